"""The "Tasks" page: action items of all meetings, filterable; overdue ones in red.

Filters go straight to ``app.services.tasks_overview.list_tasks`` (person, organisation, due
by, status). Double-click opens the minutes of the meeting that set the task; "Mark done"
closes it everywhere (``set_action_status`` without a meeting: closed between meetings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, format_date, ngettext
from app.models import ActionItemStatus
from app.services.directory import list_organisations, list_people
from app.services.minutes import set_action_status
from app.services.tasks_overview import TaskRow, list_tasks
from ui.palette import Tone, colour
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.tables import Column, RowTableModel, TableView

NO_DATE = QDate(2000, 1, 1)
STATUS_CHOICES = (("open", N_("Open")), ("done", N_("Done")), ("all", N_("All")))


def _status(row: TaskRow) -> str:
    if row.status is ActionItemStatus.DONE:
        return _("Done")
    return _("Overdue") if row.overdue else _("Open")


def task_columns() -> list[Column]:
    return [
        Column(N_("What"), lambda r: r.text, stretch=True, width=30, tooltip=lambda r: r.text),
        Column(N_("Who"), lambda r: r.owner, width=20),
        Column(
            N_("Due"),
            lambda r: format_date(r.due),
            sort_key=lambda r: (r.due is None, r.due or date.min),
            width=10,
        ),
        Column(N_("Status"), _status, width=10),
        Column(
            N_("Meeting"),
            lambda r: f"{format_date(r.meeting_start.date())} – {r.meeting_title}",
            sort_key=lambda r: r.meeting_start,
            width=28,
            tooltip=lambda r: r.meeting_title,
        ),
        Column(N_("TOP"), lambda r: r.agenda_number or "", width=4),
    ]


class TaskModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(task_columns(), parent)

    def row_foreground(self, row: TaskRow) -> QColor | None:
        return colour(Tone.NEGATIVE) if row.overdue else None


@dataclass(frozen=True, slots=True)
class Choices:
    people: tuple[tuple[int, str], ...]
    organisations: tuple[tuple[int, str], ...]


def load_choices(db: Database) -> Choices:
    return Choices(
        tuple((p.id, p.name) for p in list_people(db)),
        tuple((o.id, o.name) for o in list_organisations(db)),
    )


def _search_combo(name: str, everyone: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    assert completer is not None  # editable combo boxes have one
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.addItem(everyone, None)
    combo.setMinimumContentsLength(18)
    return combo


class TasksPage(QWidget):
    """Signals:
    loaded(int): number of tasks shown after a (re)load.
    open_meeting(int): the user wants the minutes of that meeting.
    """

    loaded = Signal(int)
    open_meeting = Signal(int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tasksPage")
        self._runner = runner
        self._db: Database | None = None
        self._pending = False
        self.model = TaskModel(self)
        self.view = TableView(self.model, "taskView", empty_text=_("No tasks match the filter."))
        self.view.setAccessibleName(_("Tasks"))
        self.view.doubleClicked.connect(self._activated)
        self.person = _search_combo("personFilter", _("Everyone"))
        self.organisation = _search_combo("organisationFilter", _("All organisations"))
        self.due = QDateEdit()
        self.due.setObjectName("dueFilter")
        self.due.setCalendarPopup(True)
        self.due.setMinimumDate(NO_DATE)
        self.due.setSpecialValueText(_("any date"))
        self.due.setDate(NO_DATE)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        for value, text in STATUS_CHOICES:
            self.status.addItem(_(text), value)
        self.done_button = QPushButton(_("Mark done"))
        self.done_button.setObjectName("markDone")
        self.open_button = QPushButton(_("Open minutes"))
        self.open_button.setObjectName("openMinutes")
        self.count = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Person")))
        filters.addWidget(self.person)
        filters.addWidget(QLabel(_("Organisation")))
        filters.addWidget(self.organisation)
        due_label = QLabel(_("Due by"))
        due_label.setBuddy(self.due)
        filters.addWidget(due_label)
        filters.addWidget(self.due)
        filters.addWidget(QLabel(_("Status")))
        filters.addWidget(self.status)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.person.currentIndexChanged.connect(self.reload)
        self.organisation.currentIndexChanged.connect(self.reload)
        self.due.dateChanged.connect(self.reload)
        self.status.currentIndexChanged.connect(self.reload)
        self.done_button.clicked.connect(self.mark_done)
        self.open_button.clicked.connect(self._open_selected)

    # -- loading --------------------------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        """Loaded when the page is shown (the list spans every meeting)."""
        self._db = db
        self._pending = True
        if self.isVisible():
            self._load_all()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending:
            self._load_all()
        elif self._db is not None:
            self.reload()  # tasks may have been closed in the minutes meanwhile

    def _load_all(self) -> None:
        self._pending = False
        if self._db is None:
            return
        self._runner.run(load_choices, self._db, key="tasks-choices", on_done=self._fill)
        self.reload()

    def _fill(self, choices: Choices) -> None:
        for combo, items in (
            (self.person, choices.people),
            (self.organisation, choices.organisations),
        ):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for item_id, name in items:
                combo.addItem(name, item_id)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    def filters(self) -> dict[str, object]:
        due = self.due.date()
        return {
            "status": self.status.currentData(),
            "person_id": self.person.currentData(),
            "organisation_id": self.organisation.currentData(),
            "due_before": None if due == NO_DATE else due.toPython(),
        }

    def reload(self) -> None:
        if self._db is None:
            return
        db, filters = self._db, self.filters()
        self.view.set_loading()
        self._runner.run(
            lambda: list_tasks(db, **filters),  # type: ignore[arg-type]
            key="tasks",
            on_done=self._show,
            on_error=self._error,
        )

    def _show(self, rows: list[TaskRow]) -> None:
        selected: TaskRow | None = self.view.selected_row()
        self.model.set_rows(rows)
        self.count.setText(
            ngettext("{count} task", "{count} tasks", len(rows)).format(count=len(rows))
        )
        if selected is not None:
            for number, row in enumerate(self.model.rows()):
                if row.id == selected.id:
                    self.view.selectRow(number)
        self.loaded.emit(len(rows))

    # -- actions --------------------------------------------------------------------------------

    def mark_done(self) -> None:
        row: TaskRow | None = self.view.selected_row()
        if row is None or self._db is None or row.status is ActionItemStatus.DONE:
            return
        db = self._db
        self._runner.run(
            set_action_status,
            db,
            row.id,
            ActionItemStatus.DONE,
            on_done=lambda _previous: self.reload(),
            on_error=self._error,
            owner=self,
        )

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_meeting.emit(self.model.row(index.row()).meeting_id)

    def _open_selected(self) -> None:
        row: TaskRow | None = self.view.selected_row()
        if row is not None:
            self.open_meeting.emit(row.meeting_id)

    def _error(self, error: BaseException) -> None:
        text = error_text(error)
        QMessageBox.warning(self, _("Tasks"), text)
