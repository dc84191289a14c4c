"""Typing minutes: autosave, the crash-recovery journal, conflicts, switching TOPs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.minutes import load_minutes
from app.services.minutes_recovery import pending_recoveries
from tests.gui.minutes.conftest import AUFTAKT, WAIT_MS, EditorFactory, meeting_id
from ui.minutes.autosave import SaveState


def stored_notes(db: Database, meeting: int, agenda_item_id: int) -> str:
    view = load_minutes(db, meeting)
    return next(top.notes for top in view.tops if top.id == agenda_item_id)


def test_typed_notes_are_saved_after_a_pause(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    notes = editor.page.notes.text
    notes.setFocus()
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    before = stored_notes(demo_db, meeting, top)
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "Frau Yilmaz begruesst alle. **Wichtig**")
    expected = before + "\nFrau Yilmaz begruesst alle. **Wichtig**"
    assert editor.autosaver is not None
    assert editor.autosaver.state() is SaveState.UNSAVED
    # The journal holds the text at once, before any save.
    [entry] = pending_recoveries(demo_db.path, meeting)
    assert entry.text == expected
    qtbot.waitUntil(lambda: stored_notes(demo_db, meeting, top) == expected, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: editor.autosaver.state() is SaveState.SAVED, timeout=WAIT_MS)
    assert pending_recoveries(demo_db.path, meeting) == []
    assert editor.save_status.property("saveState") == "saved"
