"""Start the window: ``run(database_path, explicit=...)`` is what ``ui.launcher`` calls.

Order matters for a quick start: the QApplication, the language and the empty main window
come first and show at once; the database is opened (and maybe upgraded or, for the demo,
created) afterwards on a worker thread, while the window already paints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app.log_file import start_log_file
from app.paths import APP_NAME, icon_paths
from app.preferences import load_preferences
from ui.garbage import GuiThreadCollector
from ui.main_window import MainWindow
from ui.opening import plan_start
from ui.translations import apply_language

# Start-up benchmark: "1" quits as soon as the window is shown (as the bare baseline does),
# "data" once the first people list is on screen.
QUIT_WHEN_SHOWN_ENV = "TREFFPUNKT_QUIT_WHEN_SHOWN"
# Name of packaging/linux/treffpunkt.desktop without ".desktop": Wayland compositors and
# task bars find the icon and name of a running window through it.
DESKTOP_FILE_NAME = "treffpunkt"


def application_icon() -> QIcon:
    """The Treffpunkt icon with every rendered size, so Qt never scales a blurry one."""
    icon = QIcon()
    for size, path in icon_paths().items():
        icon.addFile(str(path), QSize(size, size))
    return icon


def run(database_path: Path | str | None, *, explicit: bool) -> int:
    """Show the main window and open a database; returns the process exit code.

    ``explicit``: *database_path* came from ``--db`` or ``TREFFPUNKT_DB`` and is opened as
    given; when it does not exist, the window says so and creates nothing unless asked.
    Otherwise the last database, the default one, or the demo network is opened.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(application_icon())

    try:
        start_log_file()
    except OSError as error:  # no log folder: the window works all the same
        print(f"Treffpunkt: no log file ({error})", file=sys.stderr)
    collector = GuiThreadCollector(app)
    collector.start()
    preferences = load_preferences()
    apply_language(preferences.language)

    window = MainWindow(preferences=preferences)
    # What start-up built stays out of later full collections (ui.garbage).
    window.settled.connect(collector.freeze)
    quit_mode = os.environ.get(QUIT_WHEN_SHOWN_ENV)
    if quit_mode == "data":
        window.ready.connect(lambda: QTimer.singleShot(0, app.quit))
        window.open_failed.connect(lambda _error: QTimer.singleShot(0, lambda: app.exit(1)))
    window.show()
    if quit_mode == "1":
        QTimer.singleShot(0, app.quit)
    # Opening starts on the first turn of the event loop, after the window has been shown.
    plan = plan_start(database_path, explicit=explicit, preferences=preferences)
    QTimer.singleShot(0, lambda: window.start(plan))
    code = app.exec()
    window.shutdown()
    collector.stop()
    return code
