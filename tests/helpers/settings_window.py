"""Helpers for the settings window tests: typing, choosing options, quitting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.mail import Recorder

WAIT_MS = 15_000


def click_option(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a radio button or check box on its indicator (its middle may be empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def type_text(widget: QWidget, text: str) -> None:
    """Key events carrying the text, as a keyboard sends them (``qtbot.keyClicks`` aborts on
    "ü" and "ß")."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


@dataclass
class QuitRecorder(Recorder):
    """Also records each QUIT: the connection test must say goodbye properly."""

    quits: list[str] = field(default_factory=list)

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quits.append(session.peer[0])
        return "221 Bye"
