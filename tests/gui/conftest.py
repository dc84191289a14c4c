"""Fixtures for window tests: a small network with names in many scripts, the demo network,
and a main window that opens a database and waits until the people are shown."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.preferences import Preferences
from tests.helpers.window import (
    GUI_TESTS,
    OFFSCREEN_NOISE,
    WAIT_MS,
    OpenAndWait,
    fill_small_network,
)
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """As the application does (ui/garbage.py): no automatic collection that could destroy a
    widget on a task-runner thread; collect on the GUI thread after each test instead."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def network_db(db: Database) -> Database:
    fill_small_network(db)
    return db


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network, built once per session; tests get copies."""
    from app.services.demo import fill_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database.create(path)
    try:
        fill_demo(database)
    finally:
        database.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo-copy.db"
    path.write_bytes(demo_template.read_bytes())
    return path


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow(TaskRunner(), Preferences())
    main.offer_setup_assistant = False  # tests of the assistant switch it on
    qtbot.addWidget(main)
    main.show()
    yield main
    main.shutdown()


@pytest.fixture
def open_and_wait(window: MainWindow, qtbot: QtBot) -> OpenAndWait:
    """Open a database in the window and wait until the people list is shown."""

    def open_(path: Path) -> MainWindow:
        with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
            window.open_database(path)
        # The other pages, the meetings and the details of the next meeting load after the
        # people (once the window has settled).
        qtbot.waitUntil(window.is_settled, timeout=WAIT_MS)
        return window

    return open_
