"""Fixtures for the planning windows: a meeting 18:00–19:30 with a small agenda, and a runner."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtWidgets import QMessageBox

from app.db import Database
from app.services.agenda import AgendaItemDraft, add_item
from app.services.planning import MeetingDraft, create_meeting
from tests.helpers.planning_window import Planned
from ui.tasks import TaskRunner


@pytest.fixture
def runner(network_db: Database) -> Iterator[TaskRunner]:
    """Set up after the database, so it is shut down (tasks finished) before that closes."""
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def planned(network_db: Database) -> Planned:
    """Begrüßung 10, Projekte 30 (with Sport im Park 10 below), Verschiedenes 15."""
    db = network_db
    meeting_id = create_meeting(
        db,
        MeetingDraft(
            title="Netzwerktreffen Impuls.Ag",
            start=datetime(2026, 5, 4, 18, 0),
            end=datetime(2026, 5, 4, 19, 30),
            venue_name="Museumscafé K+",
        ),
    )
    items = {}
    items["welcome"] = add_item(db, meeting_id, AgendaItemDraft("Begrüßung", 10))
    items["projects"] = add_item(db, meeting_id, AgendaItemDraft("Projekte", 30))
    items["sport"] = add_item(
        db, meeting_id, AgendaItemDraft("Sport im Park", 10), parent_id=items["projects"]
    )
    items["misc"] = add_item(db, meeting_id, AgendaItemDraft("Verschiedenes", 15))
    return Planned(db, meeting_id, items)


@pytest.fixture
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Records message boxes instead of blocking on them."""
    shown: list[tuple[str, str]] = []

    def record(kind: str):  # type: ignore[no-untyped-def]
        def box(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return box

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return shown


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Python's cyclic GC runs in whichever thread happens to allocate: in a task runner
    worker it would destroy a dialog (a cycle through its signal lambdas) on that thread
    ("QBasicTimer::stop: Failed ... from a different thread", sometimes a crash). Anki's
    window does the same: automatic GC off, collection on the GUI thread. The lead is told;
    the application should do this for the real window too."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
