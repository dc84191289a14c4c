"""Window sizes that fit the screen: a dialog designed for a desktop monitor must not open
taller than a 1366×768 laptop minus its taskbar."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

# Room for the window manager's title bar and borders around the dialog.
FRAME_ALLOWANCE = (16, 40)


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, shrunk to the available area of its screen (never
    below what its layout needs)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, available.width() - FRAME_ALLOWANCE[0])
        height = min(height, available.height() - FRAME_ALLOWANCE[1])
    minimum = widget.minimumSizeHint()
    widget.resize(max(width, minimum.width()), max(height, minimum.height()))


def text_lines_height(edit: QPlainTextEdit | QTextEdit, lines: int) -> int:
    """The height at which *edit* shows *lines* lines of its font, frame and margins
    included: a text box sized so follows a larger system font."""
    margin = round(edit.document().documentMargin())
    return edit.fontMetrics().lineSpacing() * lines + 2 * (edit.frameWidth() + margin)
