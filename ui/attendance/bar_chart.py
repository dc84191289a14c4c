"""A horizontal, stacked bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

Horizontal bars keep long labels readable (organisation names, meeting titles): the label
stands left of its bar, elided to a share of the width, the total right of it. The value
axis has round steps and numbers in the user's format (``format_number``: "1.250").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.i18n import format_number
from ui.palette import Tone, colour

SERIES_TONES = (Tone.SERIES_1, Tone.SERIES_2, Tone.SERIES_3)


def series_colour(number: int) -> QColor:
    return colour(SERIES_TONES[number % len(SERIES_TONES)])


LABEL_SHARE = 0.36  # at most this share of the width for the labels
MARGIN = 12


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series, stacked left to right
    tooltip: str = ""

    @property
    def total(self) -> int:
        return sum(self.values)


def nice_step(maximum: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving about *ticks* steps up to *maximum*."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(1, int(factor * power))
    return max(1, int(10 * power))


class BarChart(QWidget):
    """Shows ``Bar``s with a legend of the series names and a value axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("barChart")
        self._bars: list[Bar] = []
        self._series: tuple[str, ...] = ()
        self._title = ""
        self._empty_text = ""
        # Measured once per data (and font), not on every paint: 500 meetings are 500 labels.
        self._label_advance: int | None = None
        self._maximum = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(160)

    def set_data(
        self, title: str, series: Sequence[str], bars: Sequence[Bar], empty_text: str = ""
    ) -> None:
        self._title = title
        self._series = tuple(series)
        self._bars = list(bars)
        self._empty_text = empty_text
        self._label_advance = None
        self._maximum = max((bar.total for bar in self._bars), default=0)
        self.setMinimumHeight(self._needed_height())
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    # -- geometry ------------------------------------------------------------------------------

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _header_height(self) -> int:
        return 2 * self.fontMetrics().height() + 16

    def _axis_height(self) -> int:
        return self.fontMetrics().height() + 10

    def _needed_height(self) -> int:
        rows = max(3, len(self._bars))
        return self._header_height() + rows * self._row_height() + self._axis_height() + MARGIN

    def bar_at(self, y: float) -> Bar | None:
        """The bar drawn at height *y* (for tooltips), or None."""
        number = int((y - self._header_height()) // self._row_height())
        if y < self._header_height() or not 0 <= number < len(self._bars):
            return None
        return self._bars[number]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos().y())
            if bar is None:
                QToolTip.hideText()
            else:
                parts = [
                    f"{name}: {format_number(value)}"
                    for name, value in zip(self._series, bar.values, strict=False)
                ]
                QToolTip.showText(
                    event.globalPos(), "\n".join([bar.tooltip or bar.label, *parts]), self
                )
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._label_advance = None
        super().changeEvent(event)

    def _longest_label(self) -> int:
        if self._label_advance is None:
            metrics = self.fontMetrics()
            self._label_advance = max(
                (metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0
            )
        return self._label_advance

    def sizeHint(self) -> QSize:
        return QSize(640, self._needed_height())

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), self.palette().base())
            self._paint(painter, event.rect())
        finally:
            painter.end()

    def _paint(self, painter: QPainter, exposed: QRect) -> None:
        """Everything, but only the bars in *exposed*: in its scroll area the chart of ten
        years is 10,000 pixels high and shows 300 of them."""
        metrics = self.fontMetrics()
        text_colour = self.palette().text().color()
        muted = self.palette().placeholderText().color()
        width = self.width()
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        painter.drawText(MARGIN, MARGIN + metrics.ascent(), self._title)
        painter.setFont(self.font())
        self._paint_legend(painter, MARGIN + metrics.height() + 6)
        if not self._bars:
            painter.setPen(muted)
            area = QRectF(self.rect()).adjusted(MARGIN, self._header_height(), -MARGIN, -MARGIN)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), self._empty_text)
            return

        label_width = min(int(width * LABEL_SHARE), self._longest_label())
        maximum = self._maximum
        step = nice_step(maximum)
        top_value = max(step, math.ceil(maximum / step) * step)
        value_width = metrics.horizontalAdvance(format_number(top_value)) + 8
        left = MARGIN + label_width + 8
        right = width - MARGIN - value_width
        plot_width = max(10, right - left)
        top = self._header_height()
        row_height = self._row_height()
        bottom = top + len(self._bars) * row_height

        def x_of(value: float) -> float:
            return left + plot_width * value / top_value

        # The rows that intersect the exposed area.
        first = max(0, (exposed.top() - top) // row_height)
        last = min(len(self._bars), (exposed.bottom() - top) // row_height + 1)

        # Grid lines (within the exposed area, their dots in step with the whole line) and
        # the value axis.
        grid = QPen(muted)
        grid.setStyle(Qt.PenStyle.DotLine)
        period = max(1, round(sum(grid.dashPattern())))
        line_top = top + max(0, (exposed.top() - top) // period * period)
        line_bottom = min(bottom, exposed.bottom() + 1)
        for tick in range(0, top_value + 1, step):
            x = x_of(tick)
            if line_top < line_bottom:
                painter.setPen(grid)
                painter.drawLine(int(x), line_top, int(x), line_bottom)
            painter.setPen(muted)
            text = format_number(tick)
            painter.drawText(
                int(x - metrics.horizontalAdvance(text) / 2), bottom + metrics.ascent() + 4, text
            )

        colours = [series_colour(number) for number in range(len(SERIES_TONES))]
        for number in range(first, last):
            bar = self._bars[number]
            y = top + number * row_height
            painter.setPen(text_colour)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width)
            painter.drawText(
                QRectF(MARGIN, y, label_width, row_height),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            start = 0
            for series, value in enumerate(bar.values):
                if value <= 0:
                    continue
                rect = QRectF(x_of(start), y + 3, x_of(start + value) - x_of(start), row_height - 6)
                painter.fillRect(rect, colours[series % len(colours)])
                start += value
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x_of(bar.total) + 4, y, value_width + MARGIN, row_height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                format_number(bar.total),
            )
        if line_top < line_bottom:
            painter.setPen(muted)
            painter.drawLine(left, max(top, exposed.top()), left, line_bottom)

    def _paint_legend(self, painter: QPainter, y: int) -> None:
        if len(self._series) < 2:
            return
        metrics = self.fontMetrics()
        x = MARGIN
        box = metrics.height() - 4
        for number, name in enumerate(self._series):
            painter.fillRect(x, y + 2, box, box, series_colour(number))
            x += box + 4
            painter.setPen(self.palette().text().color())
            painter.drawText(x, y + metrics.ascent(), name)
            x += metrics.horizontalAdvance(name) + 16
