"""A multi-select list of groups or quarters: one checkbox per entry, with a type-to-filter box."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QLineEdit, QListView, QVBoxLayout, QWidget

from app.i18n import _
from app.services.directory_editing import Choice
from app.text import fold

Index = QModelIndex | QPersistentModelIndex


class CheckListModel(QAbstractListModel):
    """Entries (``Choice``) with a check state each; ``checked_ids`` in the entries' order.

    Signals:
        checks_changed(): the user ticked or unticked an entry.
    """

    checks_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: list[Choice] = []
        self._checked: set[int] = set()

    def set_choices(self, choices: Sequence[Choice], checked: Iterable[int] = ()) -> None:
        self.beginResetModel()
        self._choices = list(choices)
        known = {choice.id for choice in self._choices}
        self._checked = {id_ for id_ in checked if id_ in known}
        self.endResetModel()

    def checked_ids(self) -> tuple[int, ...]:
        return tuple(c.id for c in self._choices if c.id in self._checked)

    def set_checked(self, choice_id: int, checked: bool) -> None:
        for row, choice in enumerate(self._choices):
            if choice.id == choice_id:
                self.setData(
                    self.index(row),
                    Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                    Qt.ItemDataRole.CheckStateRole,
                )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._choices)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        choice = self._choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return choice.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if choice.id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return choice.id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        choice = self._choices[index.row()]
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if checked == (choice.id in self._checked):
            return True
        if checked:
            self._checked.add(choice.id)
        else:
            self._checked.discard(choice.id)
        target = self.index(index.row())
        self.dataChanged.emit(target, target)
        self.checks_changed.emit()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class FoldFilter(QSortFilterProxyModel):
    """Rows whose first column contains every typed word, ignoring case and accents."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._terms = tuple(fold(text).split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        name = fold(self.sourceModel().index(source_row, 0, source_parent).data() or "")
        return all(term in name for term in self._terms)


class CheckList(QWidget):
    """A filter field over a checkable list; ticking works with the mouse and the space key."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CheckListModel(self)
        self._filter = FoldFilter(self)
        self._filter.setSourceModel(self.model)
        self.filter_field = QLineEdit()
        self.filter_field.setPlaceholderText(placeholder)
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.textChanged.connect(self._filter.set_query)
        self.view = QListView()
        self.view.setModel(self._filter)
        self.view.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_field)
        layout.addWidget(self.view)

    def set_accessible_name(self, name: str) -> None:
        """What a screen reader calls the list (and its filter field)."""
        self.view.setAccessibleName(name)
        self.filter_field.setAccessibleName(_("Filter: {list}").format(list=name))

    def set_choices(self, choices: Sequence[Choice], checked: Iterable[int] = ()) -> None:
        self.model.set_choices(choices, checked)
        # The filter field only helps with long lists.
        self.filter_field.setVisible(len(choices) > 8)

    def checked_ids(self) -> tuple[int, ...]:
        return self.model.checked_ids()
