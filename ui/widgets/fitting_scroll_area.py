"""A scroll area that scrolls only when its widget cannot shrink any further.

``QScrollArea.setWidgetResizable(True)`` sizes a widget whose layout has height-for-width
(any word-wrapped label inside) to its *preferred* height for the width: a page full of
tables then scrolls on a laptop although every table could have been shorter. This area
gives the widget the viewport's size, or its minimum size where that is larger (with
*wrapping*, the minimum height for the width it gets).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class FittingScrollArea(QScrollArea):
    """*wrapping*: the widget holds rows that wrap (``ui.widgets.flow_layout``), so its
    minimum height is asked for the width it gets. Not for a widget with tabs or stacked
    pages: Qt's height for a width counts their hidden pages too."""

    def __init__(
        self, widget: QWidget, parent: QWidget | None = None, *, wrapping: bool = False
    ) -> None:
        super().__init__(parent)
        self._wrapping = wrapping
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setWidget(widget)
        widget.installEventFilter(self)
        self._fit()

    def _fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        viewport = self.viewport().size()
        width = max(viewport.width(), minimum.width())
        layout = widget.layout()
        if self._wrapping and layout is not None and layout.hasHeightForWidth():
            # A wrapping row of buttons needs more lines when narrow.
            minimum.setHeight(max(minimum.height(), layout.totalMinimumHeightForWidth(width)))
        height = max(viewport.height(), minimum.height())
        if widget.width() != width or widget.height() != height:
            widget.resize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)
