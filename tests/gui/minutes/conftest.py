"""Fixtures for the minutes editor: the demo database opened directly, an editor on it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from app.db import Database
from tests.helpers.minutes_window import WAIT_MS, EditorFactory
from ui.minutes.minutes_editor import MinutesEditor
from ui.tasks import TaskRunner


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def make_editor(qtbot: QtBot, runner: TaskRunner) -> Iterator[EditorFactory]:
    """An editor shown on the minutes of a meeting, once they are loaded.

    The editors are destroyed at the end of the test, here on the GUI thread: a parentless
    widget left to Python's cycle collector could be destroyed on a worker thread (the
    collector runs wherever memory is allocated), which crashes Qt.
    """
    made: list[MinutesEditor] = []

    def make(db: Database, meeting: int, *, owned: bool = True) -> MinutesEditor:
        """*owned*: destroyed after the test (False: the test destroys it itself)."""
        editor = MinutesEditor(runner)
        if owned:
            made.append(editor)
        editor.resize(1200, 800)
        editor.show()
        with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
            editor.open(db, meeting)
        return editor

    yield make
    for editor in made:
        if shiboken6.isValid(editor):
            editor.close()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    for editor in made:
        if shiboken6.isValid(editor):
            shiboken6.delete(editor)
    gc.collect()
