"""Read-only tables of frozen rows: one model and one view class for every list in the window.

The model turns each row into display strings once, in ``set_rows``, so ``data()`` is a list
lookup even with 10,000 people. Sorting happens in the model over precomputed keys (German
order via ``app.text.fold``), not in a proxy that would call ``data()`` for every comparison.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from app.i18n import _
from app.text import fold
from ui.widgets.column_fitter import ColumnFitter, ElidedTextDelegate

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter

Index = QModelIndex | QPersistentModelIndex
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


@dataclass(frozen=True)
class Column:
    """One column: its header (an ``N_()`` source string) and how a row shows in it."""

    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None  # default: the folded text
    align: Qt.AlignmentFlag = ALIGN_LEFT
    tooltip: Callable[[Any], str] | None = None
    foreground: Callable[[Any], QColor | None] | None = None
    header_tooltip: str = ""  # N_() source string
    width: int = 16  # initial width in characters
    stretch: bool = False  # takes the width left over (the one long text column)


class ColumnTableModel(QAbstractTableModel):
    """A table described by ``Column``s (what ``TableView`` sizes its columns by)."""

    def columns(self) -> tuple[Column, ...]:
        raise NotImplementedError

    def has_row_fonts(self) -> bool:
        """True when some rows may be drawn in another font (bold): measure with it too."""
        return False

    def longest_texts(self, column: int, count: int = 3) -> list[str]:
        """The *count* longest texts of *column* the model has at hand: what its width must
        show (a lazy model answers from the rows it has fetched)."""
        return []


class RowTableModel(ColumnTableModel):
    """A table over a list of frozen dataclass rows, described by ``Column``s.

    Subclasses may override ``row_font`` and ``row_foreground`` to mark whole rows.
    """

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._natural: list[Any] = []
        self._rows: list[Any] = []
        self._texts: list[list[str]] = []
        self._sort_keys: dict[int, list[Any]] = {}  # per column, aligned with _natural
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- content -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (GUI thread); keeps the column the user sorted by."""
        self.beginResetModel()
        self._natural = list(rows)
        self._sort_keys = {}
        self._rows = self._sorted(self._sort_column, self._sort_order)
        self._texts = [self._row_texts(row) for row in self._rows]
        self.endResetModel()

    def _row_texts(self, row: Any) -> list[str]:
        return [column.text(row) for column in self._columns]

    def merge_rows(self, rows: Sequence[Any]) -> None:
        """Like ``set_rows``, but only rows that differ are touched (``update_rows``)."""
        old = {row.id: row for row in self._natural}
        new_ids = [row.id for row in rows]
        changed = [row for row in rows if old.get(row.id) != row]
        self.update_rows(changed, old.keys() - set(new_ids), order=new_ids)

    def update_rows(
        self, changed: Sequence[Any], gone: Collection[int], order: Sequence[int] | None = None
    ) -> None:
        """Apply a change made elsewhere (team mode) without a reset: rows in *changed* replace
        the rows with their ``id`` (or are added), the rows whose ids are in *gone* and not in
        *changed* are removed. Selection and scroll position stay; only touched rows repaint.

        The service's order is *order* (row ids) or else (``sort_key``, ``id``); a column the
        user sorted by is kept.
        """
        fresh = {row.id: row for row in changed}
        drop = set(gone) - fresh.keys()
        for number in reversed(range(len(self._rows))):
            if self._rows[number].id in drop:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number]
                del self._texts[number]
                self.endRemoveRows()
        self._natural = [row for row in self._natural if row.id not in drop]
        known = {row.id for row in self._natural}
        added = [row for row_id, row in fresh.items() if row_id not in known]
        if added:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._natural.extend(added)
            self._rows.extend(added)
            self._texts.extend(self._row_texts(row) for row in added)
            self.endInsertRows()
        if not fresh:
            return
        # Replaced rows may move (a new name); then every row finds its new place.
        self.layoutAboutToBeChanged.emit()
        self._natural = [fresh.get(row.id, row) for row in self._natural]
        if order is not None:
            position = {row_id: number for number, row_id in enumerate(order)}
            self._natural.sort(key=lambda row: position.get(row.id, len(position)))
        else:
            self._natural.sort(key=lambda row: (getattr(row, "sort_key", ""), row.id))
        self._sort_keys = {}
        old_numbers = {row.id: number for number, row in enumerate(self._rows)}
        self._rows = self._sorted(self._sort_column, self._sort_order)
        self._texts = [self._row_texts(row) for row in self._rows]
        new_numbers = {row.id: number for number, row in enumerate(self._rows)}
        old_to_new = {old: new_numbers[row_id] for row_id, old in old_numbers.items()}
        for index in self.persistentIndexList():
            if index.isValid():
                self.changePersistentIndex(
                    index, self.index(old_to_new[index.row()], index.column())
                )
        self.layoutChanged.emit()
        last = len(self._columns) - 1
        for row_id in fresh:
            number = new_numbers[row_id]
            self.dataChanged.emit(self.index(number, 0), self.index(number, last))

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def row_font(self, row: Any) -> QFont | None:
        return None

    def has_row_fonts(self) -> bool:
        """True when some rows may be drawn in another font (bold): measure with it too."""
        return type(self).row_font is not RowTableModel.row_font

    def longest_texts(self, column: int, count: int = 3) -> list[str]:
        """The *count* longest texts of *column* (by characters): what its width must show."""
        return heapq.nlargest(count, (texts[column] for texts in self._texts), key=len)

    def row_foreground(self, row: Any) -> QColor | None:
        return None

    # -- Qt model interface --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row_number, column_number = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row_number][column_number]
        column = self._columns[column_number]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(self._rows[row_number]) or None
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self._rows[row_number]
            if column.foreground is not None:
                colour = column.foreground(row)
                if colour is not None:
                    return colour
            return self.row_foreground(row)
        if role == Qt.ItemDataRole.FontRole:
            return self.row_font(self._rows[row_number])
        if role == ROW_ROLE:
            return self._rows[row_number]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            # The full title also where a narrowed column cuts it.
            return _(column.header_tooltip) if column.header_tooltip else _(column.title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Called for every cell when Qt checks a selection: no enum arithmetic per call.
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's key; column -1 restores the order the service delivered."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_positions = {id(row): number for number, row in enumerate(self._rows)}
        old_texts = self._texts
        self._rows = self._sorted(column, order)
        new_to_old = [old_positions[id(row)] for row in self._rows]
        self._texts = [old_texts[old] for old in new_to_old]
        old_to_new = {old: new for new, old in enumerate(new_to_old)}
        for index in self.persistentIndexList():
            if index.isValid():
                self.changePersistentIndex(
                    index, self.index(old_to_new[index.row()], index.column())
                )
        self.layoutChanged.emit()

    def _sorted(self, column: int, order: Qt.SortOrder) -> list[Any]:
        rows = self._natural
        if not 0 <= column < len(self._columns):
            return list(rows)
        keys = self._sort_keys.get(column)
        if keys is None:
            spec = self._columns[column]
            key = spec.sort_key or (lambda row: fold(spec.text(row)))
            keys = self._sort_keys[column] = [key(row) for row in rows]
        # sorted() is stable also with reverse=True: equal keys keep the service's order.
        order_ = sorted(
            range(len(rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder
        )
        return [rows[number] for number in order_]


class SourceSortProxy(QSortFilterProxyModel):
    """A filter proxy that leaves sorting to its ``RowTableModel`` (fast, German order)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


class TableView(QTableView):
    """A read-only list: whole rows selected, alternating colours, an empty-state text.

    Shows *model*, or *shown* (a filter proxy over it) when given; sortable by header click.
    Columns are as wide as their content and share the width of the list (``fit_columns``);
    a header is never cut, and a cut cell shows its whole text as a tooltip. Until the user
    drags a column border; then the columns stay as the user left them.

    ``set_loading(True)`` shows "Loading…" instead of the empty-state text until the rows
    arrive (the next ``set_rows`` of the model ends it).
    """

    def __init__(
        self,
        model: ColumnTableModel,
        name: str,
        *,
        empty_text: str = "",
        shown: QAbstractItemModel | None = None,
        sortable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._source = model
        self._empty_text = empty_text
        self._loading = False
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTabKeyNavigation(False)
        self.setItemDelegate(ElidedTextDelegate(self))
        vertical = self.verticalHeader()
        vertical.hide()
        # Fixed row heights: Qt never measures 10,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        horizontal = self.horizontalHeader()
        horizontal.setHighlightSections(False)
        horizontal.setDefaultAlignment(ALIGN_LEFT)
        horizontal.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setModel(shown if shown is not None else model)
        self.setSortingEnabled(sortable)
        columns = model.columns()
        self.fitter = ColumnFitter(
            self,
            comfortable=[column.width for column in columns],
            stretch=[number for number, column in enumerate(columns) if column.stretch],
            longest_texts=lambda number: model.longest_texts(number) if model.rowCount() else [],
            bold=model.has_row_fonts(),
            watched=model,
        )
        model.modelReset.connect(self._rows_replaced)

    # -- empty and loading states --------------------------------------------------------------

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.viewport().update()

    def empty_text(self) -> str:
        return self._empty_text

    def set_loading(self, loading: bool = True) -> None:
        """While loading, an empty list says "Loading…" rather than its empty-state text."""
        self._loading = loading
        self.viewport().update()

    def is_loading(self) -> bool:
        return self._loading

    def shown_text(self) -> str:
        """What the empty list shows now ("" while it has rows)."""
        model = self.model()
        if model is not None and model.rowCount() > 0:
            return ""
        return _("Loading…") if self._loading else self._empty_text

    def _rows_replaced(self) -> None:
        self._loading = False

    # -- column widths -------------------------------------------------------------------------

    def fit_columns(self) -> None:
        """Share the list's width among the columns (``ui.widgets.column_fitter``)."""
        self.fitter.fit()

    def header_widths(self) -> list[int]:
        return self.fitter.header_widths()

    # -- rows ----------------------------------------------------------------------------------

    def selected_row(self) -> Any:
        """The frozen row behind the current selection (the topmost one), or None."""
        # From the selection ranges: selectedRows() asks flags() for every selected cell,
        # seconds with 10,000 selected people.
        ranges = self.selectionModel().selection() if self.selectionModel() else None
        if not ranges:
            return None
        top = min(ranges.at(number).top() for number in range(ranges.size()))
        return self.model().index(top, 0).data(ROW_ROLE)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        text = self.shown_text()
        if not text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        rect = self.viewport().rect().adjusted(24, 24, -24, -24)
        painter.drawText(
            rect,
            int(
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            ),
            text,
        )
        painter.end()
