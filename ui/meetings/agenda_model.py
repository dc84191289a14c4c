"""The agenda as a tree model: TOPs with sub-items, inline editing and internal drag and drop.

The model never writes to the database. Edits and drops become *requests* (signals) that the
agenda editor turns into undoable commands; after the service call the editor loads the agenda
again and hands the new ``AgendaView`` to ``set_agenda``. Start times therefore always come
from the services (``get_agenda``), never from arithmetic in the window.

Signals:
    edit_requested(int, object): item id, the new ``AgendaItemDraft``.
    move_requested(int, object, int): item id, new parent id (or None), final 0-based index
        among the new siblings (counted without the moved item, as ``agenda.move_item`` wants).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _, format_time
from app.models import AgendaItemKind
from app.services.agenda import AgendaEntry, AgendaView
from app.services.meetings import AGENDA_KIND_LABELS, label
from ui.widgets.tables import ALIGN_RIGHT

MIME_TYPE = "application/x-treffpunkt-agenda-item"
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

COL_NUMBER, COL_START, COL_TITLE, COL_PRESENTER, COL_MINUTES, COL_KIND = range(6)
HEADERS = (
    N_("No."),
    N_("Start"),
    N_("Title"),
    N_("Presenter"),
    N_("Duration (min)"),
    N_("Kind"),
)
EDITABLE = frozenset({COL_TITLE, COL_PRESENTER, COL_MINUTES, COL_KIND})

Index = QModelIndex | QPersistentModelIndex


class _Node:
    __slots__ = ("children", "entry", "parent")

    def __init__(self, entry: AgendaEntry | None, parent: _Node | None) -> None:
        self.entry = entry
        self.parent = parent
        self.children: list[_Node] = []

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0


class AgendaTreeModel(QAbstractItemModel):
    """TOPs as a tree (see the module docstring for what edits and drops do)."""

    edit_requested = Signal(int, object)
    move_requested = Signal(int, object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None)
        self._by_id: dict[int, _Node] = {}
        self._agenda: AgendaView | None = None
        self._editable = False
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content -------------------------------------------------------------------------------

    def set_agenda(self, agenda: AgendaView | None, *, editable: bool) -> None:
        self.beginResetModel()
        self._agenda = agenda
        self._editable = editable and agenda is not None
        self._root = _Node(None, None)
        self._by_id = {}
        for entry in agenda.entries if agenda is not None else ():
            parent = (
                self._by_id.get(entry.row.parent_id, self._root)
                if entry.row.parent_id
                else (self._root)
            )
            node = _Node(entry, parent)
            parent.children.append(node)
            self._by_id[entry.id] = node
        self.endResetModel()

    def agenda(self) -> AgendaView | None:
        return self._agenda

    def is_editable(self) -> bool:
        return self._editable

    def entry(self, index: Index) -> AgendaEntry | None:
        node = self._node(index)
        return node.entry if node is not self._root else None

    def entry_by_id(self, item_id: int) -> AgendaEntry | None:
        node = self._by_id.get(item_id)
        return node.entry if node is not None else None

    def index_of(self, item_id: int, column: int = 0) -> QModelIndex:
        node = self._by_id.get(item_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row(), column, node)

    def entries(self) -> list[AgendaEntry]:
        """In display order: a TOP, then its sub-items."""
        return list(self._agenda.entries) if self._agenda is not None else []

    def _node(self, index: Index) -> _Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, _Node)
            return node
        return self._root

    # -- structure -----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(HEADERS):
            return QModelIndex()
        node = self._node(parent)
        if not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    # -- data ----------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index)
        if entry is None:
            return None
        row, column = entry.row, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.number,
                format_time(row.start),
                row.title,
                row.presenter,
                str(row.planned_minutes),
                label(AGENDA_KIND_LABELS, row.kind),
            )[column]
        if role == Qt.ItemDataRole.EditRole:
            if column == COL_MINUTES:
                return row.planned_minutes
            if column == COL_KIND:
                return row.kind.value
            if column == COL_PRESENTER:
                return entry.presenter_text if entry.presenter_id is None else row.presenter
            return row.title if column == COL_TITLE else None
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TITLE:
            return row.description or row.title
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_START:
            return _("{start}–{end}").format(
                start=format_time(row.start), end=format_time(entry.end)
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_MINUTES, COL_START):
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.FontRole and row.depth == 0 and column == COL_NUMBER:
            return self._bold
        if role == ENTRY_ROLE:
            return entry
        if role == ID_ROLE:
            return entry.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Dropping on the empty area below the list puts a TOP at the end.
            return Qt.ItemFlag.ItemIsDropEnabled if self._editable else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
            if index.column() in EDITABLE:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Turns an inline edit into ``edit_requested``; the stored row changes on reload."""
        entry = self.entry(index)
        if entry is None or role != Qt.ItemDataRole.EditRole or not self._editable:
            return False
        draft = entry.draft()
        column = index.column()
        if column == COL_TITLE:
            draft = dataclasses.replace(draft, title=str(value))
        elif column == COL_PRESENTER:
            # Typing over the presenter means free text: the person link is dropped.
            draft = dataclasses.replace(draft, presenter_id=None, presenter_text=str(value))
        elif column == COL_MINUTES:
            draft = dataclasses.replace(draft, planned_minutes=int(value))
        elif column == COL_KIND:
            draft = dataclasses.replace(draft, kind=AgendaItemKind(str(value)))
        else:
            return False
        if draft == entry.draft():
            return False
        self.edit_requested.emit(entry.id, draft)
        return True

    # -- drag and drop -------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        """One item per drag (the first selected one): a TOP moves with its sub-items."""
        data = QMimeData()
        for index in indexes:
            entry = self.entry(index)
            if entry is not None:
                data.setData(MIME_TYPE, QByteArray(str(entry.id).encode("ascii")))
                break
        return data

    def dropped_item(self, data: QMimeData) -> int | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            item_id = int(bytes(data.data(MIME_TYPE).data()).decode("ascii"))
        except ValueError:
            return None
        return item_id if item_id in self._by_id else None

    def drop_target(self, item_id: int, row: int, parent: Index) -> tuple[int | None, int] | None:
        """Where a drop at (*row*, *parent*) puts the item: (new parent id, final index).

        ``row == -1`` on an item means "onto it": the item becomes its last sub-item.
        """
        node = self._by_id[item_id]
        target = self._node(parent)
        probe: _Node | None = target
        while probe is not None:  # not into its own subtree
            if probe is node:
                return None
            probe = probe.parent
        new_parent_id = target.entry.id if target.entry is not None else None
        if row < 0:
            row = len(target.children)
        if node.parent is target and row > node.row():
            row -= 1  # Qt counts the moved item itself; the service does not
        if node.parent is target and row == node.row():
            return None  # dropped where it already is
        return new_parent_id, row

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        item_id = self.dropped_item(data)
        if not self._editable or item_id is None or action != Qt.DropAction.MoveAction:
            return False
        return self.drop_target(item_id, row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Asks for the move (``move_requested``); returns False so the view removes nothing."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        item_id = self.dropped_item(data)
        assert item_id is not None
        target = self.drop_target(item_id, row, parent)
        assert target is not None
        self.move_requested.emit(item_id, target[0], target[1])
        # The rows move when the agenda is loaded again: nothing for the view to delete.
        return False
