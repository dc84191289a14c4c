"""A centred notice that fills the window: opening…, a missing database, an error.

A page rather than a modal dialog: the user sees what is wrong where the data would be, and
the way out (buttons) right below the explanation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)


class Tone(enum.Enum):
    INFO = QStyle.StandardPixmap.SP_MessageBoxInformation
    WARNING = QStyle.StandardPixmap.SP_MessageBoxWarning
    ERROR = QStyle.StandardPixmap.SP_MessageBoxCritical


@dataclass(frozen=True)
class PageAction:
    text: str
    triggered: Callable[[], object]
    default: bool = False
    name: str = ""  # objectName, so tests and screen readers find the button


class MessagePage(QWidget):
    """Title, explanation and buttons, centred; optionally a busy bar instead of an icon."""

    ICON_SIZE = 48
    MAX_TEXT_WIDTH = 640

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagePage")
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title = QLabel()
        self._title.setObjectName("messageTitle")
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title.setWordWrap(True)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._text = QLabel()
        self._text.setObjectName("messageText")
        # Paths and error texts are user data: never let QLabel guess they are HTML.
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._busy = QProgressBar()
        self._busy.setRange(0, 0)
        self._busy.setTextVisible(False)
        self._busy.setMaximumWidth(240)
        self._buttons = QHBoxLayout()
        self._buttons.setSpacing(8)
        self._current: dict[str, QPushButton] = {}

        # A column of limited width, centred: wrapped labels then get their full height.
        panel = QWidget()
        panel.setMaximumWidth(self.MAX_TEXT_WIDTH)
        self._panel = panel
        column = QVBoxLayout(panel)
        column.setSpacing(14)
        column.addWidget(self._icon)
        column.addWidget(self._title)
        column.addWidget(self._text)
        column.addWidget(self._busy, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(self._buttons)
        row.addStretch(1)
        column.addSpacing(6)
        column.addLayout(row)

        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(panel, 100)
        centred.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addLayout(centred)
        outer.addStretch(3)

    def show_message(
        self,
        title: str,
        text: str,
        actions: Sequence[PageAction] = (),
        *,
        tone: Tone = Tone.INFO,
        busy: bool = False,
    ) -> None:
        self._title.setText(title)
        self._text.setText(text)
        self._text.setVisible(bool(text))
        self._busy.setVisible(busy)
        self._icon.setVisible(not busy)
        if not busy:
            icon = self.style().standardIcon(tone.value)
            self._icon.setPixmap(icon.pixmap(self.ICON_SIZE, self.ICON_SIZE))
        for old in self._current.values():
            self._buttons.removeWidget(old)
            old.hide()
            old.deleteLater()
        self._current = {}
        for action in actions:
            button = QPushButton(action.text)
            button.setObjectName(action.name)
            button.setDefault(action.default)
            button.setAutoDefault(True)
            # Called without clicked's "checked": any zero-argument callable will do.
            button.clicked.connect(lambda _checked=False, act=action: act.triggered())
            # Never cut a label short (German ones are long): a wide row widens the column.
            button.setMinimumWidth(button.sizeHint().width())
            self._buttons.addWidget(button)
            self._current[action.name or action.text] = button
            if action.default:
                button.setFocus()
        row_width = sum(b.minimumWidth() for b in self._current.values())
        row_width += self._buttons.spacing() * max(0, len(self._current) - 1) + 40
        self._panel.setMaximumWidth(max(self.MAX_TEXT_WIDTH, row_width))

    def title(self) -> str:
        return self._title.text()

    def text(self) -> str:
        return self._text.text()

    def button(self, name: str) -> QPushButton | None:
        """The button shown now whose ``PageAction.name`` is *name*."""
        return self._current.get(name)
