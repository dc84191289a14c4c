"""A searchable person picker: an editable combo box whose completer matches any part of a name.

The completer matches any part of "Name (Organisation)", ignoring case.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.i18n import _
from app.services.directory import PersonRow


def person_label(row: PersonRow) -> str:
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
        self.addItem("", None)
        self._pending: int | None = None

    def set_people(self, people: Sequence[PersonRow]) -> None:
        chosen = self.person_id() if self.count() > 1 else self._pending
        self.blockSignals(True)
        self.clear()
        self.addItem("", None)
        for row in people:
            if not row.archived or row.id == chosen:
                self.addItem(person_label(row), row.id)
        self.blockSignals(False)
        self.set_person_id(chosen)

    def set_person_id(self, person_id: int | None) -> None:
        self._pending = person_id
        index = self.findData(person_id) if person_id is not None else 0
        self.setCurrentIndex(max(index, 0))

    def person_id(self) -> int | None:
        """The chosen person; a typed text that names nobody counts as nobody."""
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index < 0:
            return None
        value = self.itemData(index)
        return int(value) if value is not None else None
