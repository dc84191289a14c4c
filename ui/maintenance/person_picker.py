"""Choose one person: a search field over the directory's people list (for the DSGVO dialogs)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.db import Database
from app.i18n import _
from app.services.directory import PersonRow, list_people
from ui.network.models import PeopleFilter, PeopleModel
from ui.tasks import TaskRunner
from ui.widgets.tables import TableView


class PersonPicker(QWidget):
    """Signals:
    selection_changed(object): the chosen ``PersonRow`` or None.
    loaded(int): the people are listed (how many).
    """

    selection_changed = Signal(object)
    loaded = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        preselect: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._preselect = preselect
        self.model = PeopleModel(self)
        self.filter = PeopleFilter(self)
        self.filter.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setAccessibleName(_("Search people"))
        self.search.setPlaceholderText(_("Search by name, organisation, e-mail…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter.set_query)
        self.view = TableView(self.model, "pickerView", shown=self.filter, empty_text=_("Loading…"))
        self.view.setAccessibleName(_("People"))
        self.view.selectionModel().selectionChanged.connect(
            lambda *_args: self.selection_changed.emit(self.selected())
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        # Archived people have data stored too: they must be findable here.
        runner.run(
            partial(list_people, include_archived=True), db, key="person-picker", on_done=self._show
        )

    def _show(self, people: list[PersonRow]) -> None:
        self.model.set_rows(people)
        self.view.set_empty_text(_("No people found."))
        if self._preselect is not None:
            self.select(self._preselect)
        self.loaded.emit(len(people))

    def select(self, person_id: int) -> bool:
        for row in range(self.filter.rowCount()):
            index = self.filter.index(row, 0)
            person = self.model.row(self.filter.mapToSource(index).row())
            if person.id == person_id:
                self.view.selectRow(row)
                self.view.scrollTo(index)
                return True
        return False

    def selected(self) -> PersonRow | None:
        row: PersonRow | None = self.view.selected_row()
        return row
