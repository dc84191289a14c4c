"""Columns that share a list's width: each as wide as its content, headers never cut.

``ColumnFitter`` measures (header titles, the longest texts of each column) and applies
``ui.widgets.column_fit.fit_widths`` whenever the rows or the list's width change, until the
user drags a column border: from then on the columns are the user's. ``ElidedTextDelegate``
shows a cut cell's whole text as its tooltip.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QTreeView,
)

from ui.widgets.column_fit import fit_widths

Index = QModelIndex | QPersistentModelIndex
# A column's content is measured up to this many characters ("n"); longer texts are cut with
# "…" (the whole text shows as a tooltip) unless the list has room for all of it.
MAX_CONTENT_CHARS = 48
# Text columns keep at least this many characters when the list is narrow.
MIN_TEXT_CHARS = 8
CELL_PADDING = 18  # the item's margins and a little air
SAMPLED_ROWS = 400  # a generic model is measured on its first rows only


def elided_tooltip(view: QAbstractItemView, index: Index) -> str:
    """The tooltip of the cell at *index*: the model's own, else the cell's text when its
    column cuts it, else ""."""
    own = index.data(Qt.ItemDataRole.ToolTipRole)
    if own:
        return str(own)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text:
        return ""
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font) if isinstance(font, QFont) else view.fontMetrics()
    room = view.visualRect(index).width() - CELL_PADDING + 6
    return text if metrics.horizontalAdvance(text) > room else ""


class ElidedTextDelegate(QStyledItemDelegate):
    """Shows a cell's whole text as its tooltip when the column is too narrow for it (and
    the model gives no tooltip of its own)."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            text = elided_tooltip(view, index)
            if text:
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


def _header(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def sampled_texts(view: QAbstractItemView, column: int, count: int = 3) -> list[str]:
    """The *count* longest display texts of *column* among the first rows of the model."""
    model = view.model()
    if model is None:
        return []
    rows = min(model.rowCount(), SAMPLED_ROWS)
    texts = (model.index(row, column).data(Qt.ItemDataRole.DisplayRole) for row in range(rows))
    return heapq.nlargest(count, (t for t in texts if isinstance(t, str)), key=len)


class ColumnFitter(QObject):
    """Keeps the columns of *view* fitted to its width.

    *comfortable*: per column, the characters it keeps while other columns can still give;
    *stretch*: the columns that take spare room (all in proportion when empty);
    *longest_texts(column)*: the texts to measure (default: sampled from the model);
    *bold*: rows may be bold (measured in bold too);
    *watched*: the model whose changes mean new texts (default: the view's model; a list
    filtered per keystroke passes its source, which changes only on a reload).
    """

    def __init__(
        self,
        view: QTableView | QTreeView,
        *,
        comfortable: Sequence[int] = (),
        stretch: Sequence[int] = (),
        longest_texts: Callable[[int], list[str]] | None = None,
        bold: bool = False,
        watched: QAbstractItemModel | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._comfortable = tuple(comfortable)
        self._stretch = tuple(stretch)
        self._longest = longest_texts or (lambda column: sampled_texts(view, column))
        self._bold = bold
        self._content: list[int] | None = None
        self._fitting = False
        self.automatic = True
        header = _header(view)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for number in range(header.count()):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._section_resized)
        view.viewport().installEventFilter(self)
        model = watched if watched is not None else view.model()
        if model is not None:
            model.modelReset.connect(self.refresh)
            model.rowsInserted.connect(self.refresh)
            model.rowsRemoved.connect(self.refresh)

    def refresh(self, *_args: object) -> None:
        """The rows changed: measure again, then fit."""
        self._content = None
        self.fit()

    def header_widths(self) -> list[int]:
        """What each header needs to show its whole title (and the sort arrow)."""
        header = _header(self._view)
        return [header.sectionSizeHint(number) for number in range(header.count())]

    def _measure(self, count: int) -> list[int]:
        if self._content is not None and len(self._content) == count:
            return self._content
        view = self._view
        metrics = view.fontMetrics()
        bold_font = QFont(view.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font) if self._bold else None
        widths = []
        for number in range(count):
            texts = self._longest(number)
            measured = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            if bold is not None:
                measured = max(
                    measured, max((bold.horizontalAdvance(text) for text in texts), default=0)
                )
            if not texts:  # no rows yet: the width the column was designed for
                measured = metrics.horizontalAdvance("n" * self._chars(number))
            widths.append(measured + CELL_PADDING)
        self._content = widths
        return widths

    def _chars(self, column: int) -> int:
        return self._comfortable[column] if column < len(self._comfortable) else MIN_TEXT_CHARS

    def fit(self) -> None:
        """Share the list's width among the columns (``ui.widgets.column_fit``)."""
        if not self.automatic or self._fitting:
            return
        view = self._view
        header = _header(view)
        count = header.count()
        if not count:
            return
        metrics = view.fontMetrics()
        headers = self.header_widths()
        content = self._measure(count)
        available = max(0, view.viewport().width())
        wanted = [max(h, c) for h, c in zip(headers, content, strict=True)]
        if sum(wanted) > available:
            # Not everything fits: one long text must not squeeze the other columns.
            cap = metrics.horizontalAdvance("n" * MAX_CONTENT_CHARS)
            wanted = [max(h, min(c, cap)) for h, c in zip(headers, content, strict=True)]
        least = metrics.horizontalAdvance("n" * MIN_TEXT_CHARS) + CELL_PADDING
        minimum = [max(h, min(c, least)) for h, c in zip(headers, content, strict=True)]
        # The width each column was designed with is kept while others can still give: the
        # name stays readable while the groups are cut.
        comfortable = [
            metrics.horizontalAdvance("n" * self._chars(number)) + CELL_PADDING
            for number in range(count)
        ]
        stretch = [number for number in self._stretch if number < count]
        widths = fit_widths(wanted, minimum, available, stretch, comfortable)
        self._fitting = True
        try:
            for number, width in enumerate(widths):
                if header.sectionSize(number) != width:
                    header.resizeSection(number, width)
        finally:
            self._fitting = False

    def _section_resized(self, _index: int, _old: int, _new: int) -> None:
        if not self._fitting and self.automatic and self._view.isVisible():
            # The user dragged a border: from now on the columns are theirs.
            self.automatic = False
            _header(self._view).setStretchLastSection(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._view.viewport():
            self.fit()
        return super().eventFilter(watched, event)
