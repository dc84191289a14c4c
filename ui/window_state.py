"""What the window remembers per user: its geometry and where the splitters stand.

Kept in ``window-state.ini`` beside ``preferences.json`` in the user config folder (Qt's own
binary blobs, so not in the JSON preferences; a path of our own rather than QSettings'
default place, which Qt fixes once per process).

Per-screen sanity: a geometry saved on a big monitor is used only when it fits the screen the
window opens on now (docked laptop → laptop alone); otherwise the window starts as on a first
start: maximised on a small screen, 90 % of a large one, centred.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

from app import paths

STATE_FILE = "window-state.ini"
GEOMETRY_KEY = "main_window/geometry"
SPLITTER_GROUP = "splitters"
# Below this available size (a 1366×768 or 1440×900 laptop) the window opens maximised.
MAXIMISE_BELOW = (1600, 940)
LARGE_SCREEN_SHARE = 0.9
# The window manager's frame is unknown before the first show: a title bar and thin borders.
FRAME_ESTIMATE = QMargins(8, 32, 8, 8)
SAVE_DELAY_MS = 400


def _settings() -> QSettings:
    return QSettings(str(paths.user_config_dir() / STATE_FILE), QSettings.Format.IniFormat)


def load_state(key: str) -> QByteArray | None:
    value = _settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_state(key: str, value: QByteArray) -> None:
    settings = _settings()
    settings.setValue(key, value)
    settings.sync()


# -- the main window's geometry ----------------------------------------------------------------


def first_start_geometry(available: QRect) -> tuple[QRect, bool]:
    """The window's geometry (without frame) on *available*, and whether to maximise.

    Small screens: all of it (maximised; the normal geometry leaves room for the frame).
    Large screens: 90 % of the width and height, centred, so the window is clearly a window.
    """
    usable = available.marginsRemoved(FRAME_ESTIMATE)
    if available.width() < MAXIMISE_BELOW[0] or available.height() < MAXIMISE_BELOW[1]:
        return usable, True
    width = round(usable.width() * LARGE_SCREEN_SHARE)
    height = round(usable.height() * LARGE_SCREEN_SHARE)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(usable.center())
    return rect, False


def fits_a_screen(frame: QRect) -> bool:
    """True when the window frame *frame* lies within the available area of one screen."""
    return any(screen.availableGeometry().contains(frame) for screen in QGuiApplication.screens())


def restore_window_geometry(window: QWidget) -> None:
    """The remembered geometry if it fits a screen now, else the first-start geometry."""
    saved = load_state(GEOMETRY_KEY)
    if saved is not None and window.restoreGeometry(saved):
        maximised = window.windowState() & (
            Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
        )
        # A maximised window's normal geometry must fit too: it is what "restore" shows.
        if fits_a_screen(window.normalGeometry() if maximised else window.geometry()):
            return
        window.setWindowState(Qt.WindowState.WindowNoState)
    place_for_first_start(window)


def place_for_first_start(window: QWidget) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    geometry, maximise = first_start_geometry(screen.availableGeometry())
    window.setGeometry(geometry)
    if maximise:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def save_window_geometry(window: QWidget) -> None:
    save_state(GEOMETRY_KEY, window.saveGeometry())


# -- splitters ---------------------------------------------------------------------------------


def remember_splitter(splitter: QSplitter, name: str) -> None:
    """Restore *splitter*'s positions saved under *name* and save them whenever the user
    moves a handle (a moment after the last move, not on every pixel of a drag)."""
    key = f"{SPLITTER_GROUP}/{name}"
    saved = load_state(key)
    if saved is not None:
        sizes = splitter.sizes()
        if not splitter.restoreState(saved) or len(splitter.sizes()) != len(sizes):
            splitter.setSizes(sizes)
    timer = QTimer(splitter)
    timer.setSingleShot(True)
    timer.setInterval(SAVE_DELAY_MS)
    timer.timeout.connect(lambda: save_state(key, splitter.saveState()))
    splitter.splitterMoved.connect(lambda _position, _index: timer.start())
    splitter.setProperty("rememberedAs", key)
