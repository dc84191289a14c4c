"""Helpers for the maintenance window tests: reopening a database."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.helpers.window import WAIT_MS
from ui.main_window import MainWindow


def reopen(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    """Open *path* in a window that already shows a database (``ready`` fires only once)."""
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        window.open_database(path)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
