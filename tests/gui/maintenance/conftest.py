"""Fixtures for the issue 7 window tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from tests.gui.conftest import WAIT_MS, fill_small_network
from ui.main_window import MainWindow


def reopen(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    """Open *path* in a window that already shows a database (``ready`` fires only once)."""
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        window.open_database(path)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


@pytest.fixture
def network_file(tmp_path: Path) -> Path:
    """The small network in a database file that no test code holds open."""
    path = tmp_path / "netz.db"
    database = Database.create(path)
    try:
        fill_small_network(database)
    finally:
        database.close()
    return path
