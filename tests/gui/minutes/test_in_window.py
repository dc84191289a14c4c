"""The minutes editor as the Minutes tab of a meeting in the main window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.models import MeetingState
from tests.helpers.minutes_window import AUFTAKT, WAIT_MS
from ui.main_window import MainWindow


def test_finalising_in_the_minutes_tab_updates_the_meeting_list(
    qtbot: QtBot,
    open_and_wait: Callable[[Path], MainWindow],
    demo_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.meetings
    workspace.setCurrentWidget(page)
    row = next(r for r in page.model.rows() if r.title == AUFTAKT)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.select_meeting(row.id)
    editor = page.minutes
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        page.detail.tabs.setCurrentWidget(editor)
    assert editor.meeting_id() == row.id
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    state = next(r.state for r in page.model.rows() if r.id == row.id)
    assert state is MeetingState.MINUTES_FINAL
    qtbot.waitUntil(lambda: editor.page.notes.text.isReadOnly(), timeout=WAIT_MS)


def test_notes_typed_just_before_closing_the_window_are_saved(
    qtbot: QtBot, open_and_wait: Callable[[Path], MainWindow], demo_path: Path
) -> None:
    from app.db import Database
    from app.services.minutes import load_minutes
    from app.services.minutes_recovery import pending_recoveries

    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.meetings
    workspace.setCurrentWidget(page)
    row = next(r for r in page.model.rows() if r.title == AUFTAKT)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.select_meeting(row.id)
    editor = page.minutes
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        page.detail.tabs.setCurrentWidget(editor)
    top = editor.current_top_id()
    notes = editor.page.notes.text
    notes.setFocus()
    qtbot.keyClicks(notes, "Ende")
    typed = notes.toPlainText()
    window.close()
    database = Database.open(demo_path)
    try:
        stored = next(t.notes for t in load_minutes(database, row.id).tops if t.id == top)
        assert stored == typed
        assert pending_recoveries(database.path, row.id) == []
    finally:
        database.close()
