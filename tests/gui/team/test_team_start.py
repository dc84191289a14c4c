"""The start on a server database: the people are shown before SQLAlchemy, the ORM or the
keyring load (the schema check and the first page run on plain psycopg connections), and
closing the window does not wait for the listener's next poll."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.db.location import DatabaseLocation
from tests.gui.conftest import WAIT_MS
from tests.helpers.start_imports import heavy_modules, modules_when_shown
from ui.team.live_updates import LiveUpdates


def test_no_heavy_module_is_imported_before_the_people_are_shown(
    server_url: str, tmp_path: Path
) -> None:
    modules = modules_when_shown(server_url, tmp_path)
    assert "ui.network.page" in modules  # the recorder did see the first page
    assert "psycopg" in modules  # it really was the server
    assert heavy_modules(modules) == []


def test_stopping_ends_the_wait_for_notices_at_once(qtbot: QtBot, server_url: str) -> None:
    address = DatabaseLocation.parse(server_url).server
    assert address is not None
    live = LiveUpdates(address, "someone-else")
    live._listener.poll_seconds = 3600.0  # without the wake-up, stop() would wait for this
    states: list[object] = []
    live.state_changed.connect(lambda state, _why: states.append(state))
    live.start()
    qtbot.waitUntil(lambda: bool(states), timeout=WAIT_MS)
    thread = live._thread
    assert thread is not None
    live.stop()  # joins for at most JOIN_SECONDS
    assert not thread.is_alive()
    assert not any(t.name == "treffpunkt-live-updates" for t in threading.enumerate())
