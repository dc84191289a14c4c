"""Fixtures for the minutes editor: the demo database opened directly, an editor on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.meetings import list_meetings
from ui.minutes.minutes_editor import MinutesEditor
from ui.tasks import TaskRunner

WAIT_MS = 15_000
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"


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


def meeting_id(db: Database, title: str) -> int:
    return next(row.id for row in list_meetings(db) if row.title == title)


EditorFactory = Callable[..., MinutesEditor]


@pytest.fixture
def make_editor(qtbot: QtBot, runner: TaskRunner) -> EditorFactory:
    """An editor shown on the minutes of a meeting, once they are loaded."""

    def make(db: Database, meeting: int, *, owned: bool = True) -> MinutesEditor:
        """*owned*: closed by qtbot after the test (False: the test destroys it itself)."""
        editor = MinutesEditor(runner)
        if owned:
            qtbot.addWidget(editor)
        editor.resize(1200, 800)
        editor.show()
        with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
            editor.open(db, meeting)
        return editor

    return make
