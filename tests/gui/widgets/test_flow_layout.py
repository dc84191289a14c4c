"""The wrapping button row: one line while the buttons fit, more lines when they do not,
never narrower than its widest button; and text boxes sized in lines follow the font."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.flow_layout import FlowLayout
from ui.widgets.sizing import text_lines_height

LABELS = (
    "Treffen oder TOPs verknüpfen…",
    "Verknüpfung entfernen",
    "Pressemitteilung…",
    "Unterschriebene Anwesenheitsliste anhängen…",
)


def _row(qtbot: QtBot) -> tuple[QWidget, FlowLayout, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    flow = FlowLayout(holder)
    flow.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(text) for text in LABELS]
    for button in buttons:
        flow.addWidget(button)
    return holder, flow, buttons


def _lines(buttons: list[QPushButton]) -> int:
    return len({button.y() for button in buttons if button.isVisible()})


def _no_overlap(buttons: list[QPushButton]) -> bool:
    shown = [b.geometry() for b in buttons if b.isVisible()]
    return not any(a.intersects(b) for n, a in enumerate(shown) for b in shown[n + 1 :])


def test_one_line_while_the_buttons_fit(qtbot: QtBot) -> None:
    holder, flow, buttons = _row(qtbot)
    holder.resize(flow.sizeHint().width(), flow.heightForWidth(flow.sizeHint().width()))
    holder.show()
    qtbot.waitExposed(holder)
    assert _lines(buttons) == 1
    assert _no_overlap(buttons)
    assert all(b.width() == b.sizeHint().width() for b in buttons)  # none is stretched


def test_narrow_wraps_onto_more_lines_inside_its_width(qtbot: QtBot) -> None:
    holder, flow, buttons = _row(qtbot)
    widest = max(b.sizeHint().width() for b in buttons)
    assert flow.minimumSize().width() == widest
    one_line = flow.heightForWidth(flow.sizeHint().width())
    assert flow.heightForWidth(widest) > 2 * one_line  # three or four lines
    holder.resize(widest, flow.heightForWidth(widest))
    holder.show()
    qtbot.waitExposed(holder)
    assert _lines(buttons) >= 3
    assert _no_overlap(buttons)
    assert all(holder.rect().contains(b.geometry()) for b in buttons)


def test_a_hidden_button_takes_no_place(qtbot: QtBot) -> None:
    _holder, flow, buttons = _row(qtbot)
    with_all = flow.sizeHint().width()
    buttons[3].hide()
    assert flow.sizeHint().width() < with_all - buttons[3].sizeHint().width() + 1
    assert flow.minimumSize().width() == max(b.sizeHint().width() for b in buttons[:3])


def test_text_boxes_sized_in_lines_follow_the_font(qtbot: QtBot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    normal = text_lines_height(edit, 4)
    larger = QFont(edit.font())
    larger.setPointSizeF(edit.font().pointSizeF() * 1.5)
    edit.setFont(larger)
    assert text_lines_height(edit, 4) > normal
    assert text_lines_height(edit, 4) >= 4 * edit.fontMetrics().lineSpacing()
