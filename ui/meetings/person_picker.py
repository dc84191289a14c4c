"""A searchable person picker: an editable combo box whose completer matches any part of a name.

The completer matches any part of "Name (Organisation)", ignoring case.

Issue 14: the names go in with one ``addItems`` call and the ids stay in a Python list beside
them, so 10,000 people fill the box in a few hundredths of a second, not one ``addItem`` call
(and its item data) per person.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.i18n import _
from app.services.directory_rows import PersonChoice, PersonRow


def person_label(row: PersonRow | PersonChoice) -> str:
    return f"{row.name} ({row.organisation})" if row.organisation else row.name


class PersonCombo(QComboBox):
    """Choose one person or nobody; type to search. ``person_id()`` is None for nobody."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.lineEdit()
        assert line is not None  # editable combo boxes have one
        line.setPlaceholderText(_("Type to search…"))
        line.setClearButtonEnabled(True)
        completer = QCompleter(self)
        completer.setModel(self.model())
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.addItem("")
        self._pending: int | None = None
        self._ids: list[int | None] = [None]  # per item: the person's id ("" is nobody)
        self._rows: dict[int, int] = {}  # person id -> item

    def set_people(self, people: Sequence[PersonRow | PersonChoice]) -> None:
        chosen = self.person_id() if self.count() > 1 else self._pending
        shown = [row for row in people if not row.archived or row.id == chosen]
        self.blockSignals(True)
        self.clear()
        self._ids = [None, *(row.id for row in shown)]
        self._rows = {row.id: number for number, row in enumerate(shown, start=1)}
        self.addItems(["", *(person_label(row) for row in shown)])
        self.blockSignals(False)
        self.set_person_id(chosen)

    def set_person_id(self, person_id: int | None) -> None:
        self._pending = person_id
        index = self._rows.get(person_id, 0) if person_id is not None else 0
        self.setCurrentIndex(index)

    def person_id(self) -> int | None:
        """The chosen person; a typed text that names nobody counts as nobody."""
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if not 0 < index < len(self._ids):
            return None
        return self._ids[index]
