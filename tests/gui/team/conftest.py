"""Team-mode window tests: a real PostgreSQL server (``tests.team_server``), a window on a
server database, and a colleague (a core ``Database`` of their own) changing things."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from tests.core.mail.conftest import MemoryKeyring
from tests.gui.conftest import WAIT_MS, fill_small_network
from tests.postgres import ThrowawayCluster
from tests.team_server import server_database, shared_cluster
from ui.main_window import MainWindow


@pytest.fixture
def cluster() -> ThrowawayCluster:
    return shared_cluster()


@pytest.fixture
def server_url(cluster: ThrowawayCluster) -> Iterator[str]:
    """A server database holding the small network of the window tests."""
    for url in server_database(cluster):
        database = Database.open(url)
        try:
            fill_small_network(database)
        finally:
            database.close()
        yield url


@pytest.fixture
def colleague(server_url: str) -> Iterator[Database]:
    """Jonas, working on the same server database from another PC."""
    database = Database.open(server_url)
    database.user_name = "Jonas Weber"
    yield database
    database.close()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def on_server(window: MainWindow, qtbot: QtBot, server_url: str) -> MainWindow:
    """The window with the server database open, people shown, listening for changes."""
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.open_server(server_url)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert window.team is not None
    qtbot.waitUntil(lambda: window.team is not None and window.team.connected is True)
    return window
