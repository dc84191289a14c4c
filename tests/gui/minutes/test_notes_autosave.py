"""Typing minutes: autosave, the crash-recovery journal, conflicts, switching TOPs."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.minutes import load_minutes, save_notes
from app.services.minutes_recovery import pending_recoveries, write_recovery
from tests.helpers.minutes_window import AUFTAKT, WAIT_MS, EditorFactory, meeting_id
from ui.minutes import autosave
from ui.minutes.autosave import NotesAutosaver, SaveState
from ui.minutes.dialogs import ConflictChoice, NotesConflictDialog, RecoveryDialog


def side(dialog: QDialog, name: str) -> str:
    view = dialog.findChild(QPlainTextEdit, name)
    assert view is not None
    return view.toPlainText()


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
    autosaver = editor.autosaver
    qtbot.waitUntil(lambda: autosaver.state() is SaveState.SAVED, timeout=WAIT_MS)
    assert pending_recoveries(demo_db.path, meeting) == []
    assert editor.save_status.property("saveState") == "saved"


def test_crash_before_the_save_is_recovered_on_the_next_opening(
    qtbot: QtBot,
    demo_db: Database,
    make_editor: EditorFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting, owned=False)
    top = editor.current_top_id()
    assert top is not None
    before = stored_notes(demo_db, meeting, top)
    # The background save never runs: the program "crashes" before it could.
    with monkeypatch.context() as patch:
        patch.setattr(NotesAutosaver, "_save", lambda self, item, notes: None)
        notes = editor.page.notes.text
        notes.setFocus()
        notes.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(notes, " Nachtrag vor dem Absturz")
        editor.autosaver.flush()  # type: ignore[union-attr]
        typed = notes.toPlainText()
        assert typed == before + " Nachtrag vor dem Absturz"
        # Gone without closing: no flush, no save, only the journal is left.
        editor.autosaver = None
        shiboken6.delete(editor)
        assert not shiboken6.isValid(editor)
    assert stored_notes(demo_db, meeting, top) == before
    [entry] = pending_recoveries(demo_db.path, meeting)
    assert entry.text == typed

    shown: list[tuple[str, str]] = []

    def restore(dialog: RecoveryDialog) -> int:
        shown.append((side(dialog, "leftText"), side(dialog, "rightText")))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecoveryDialog, "exec", restore)
    make_editor(demo_db, meeting)
    assert shown == [(typed, before)]  # both texts side by side
    qtbot.waitUntil(lambda: stored_notes(demo_db, meeting, top) == typed, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pending_recoveries(demo_db.path, meeting) == [], timeout=WAIT_MS)


def test_declining_the_recovery_keeps_the_stored_notes(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    view = load_minutes(demo_db, meeting)
    top = view.tops[0]
    write_recovery(demo_db.path, meeting, top.id, top.notes_version, "verworfen")
    monkeypatch.setattr(RecoveryDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    editor = make_editor(demo_db, meeting)
    assert pending_recoveries(demo_db.path, meeting) == []
    assert editor.page.notes.notes(top.id) == top.notes
    assert stored_notes(demo_db, meeting, top.id) == top.notes


@pytest.mark.parametrize("choice", [ConflictChoice.KEEP_MINE, ConflictChoice.TAKE_THEIRS])
def test_notes_saved_elsewhere_meanwhile_ask_which_text_wins(
    qtbot: QtBot,
    demo_db: Database,
    make_editor: EditorFactory,
    monkeypatch: pytest.MonkeyPatch,
    choice: ConflictChoice,
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    view = load_minutes(demo_db, meeting)
    version = next(t.notes_version for t in view.tops if t.id == top)
    # Another window saves first.
    save_notes(demo_db, top, "Text aus dem anderen Fenster", expected_version=version)
    asked: list[tuple[str, str]] = []

    def answer(dialog: NotesConflictDialog) -> int:
        asked.append((side(dialog, "leftText"), side(dialog, "rightText")))
        dialog.choice = choice
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NotesConflictDialog, "exec", answer)
    notes = editor.page.notes.text
    notes.setFocus()
    qtbot.keyClicks(notes, "Mein Text")
    mine = notes.toPlainText()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert asked == [(mine, "Text aus dem anderen Fenster")]
    expected = mine if choice is ConflictChoice.KEEP_MINE else "Text aus dem anderen Fenster"
    qtbot.waitUntil(lambda: stored_notes(demo_db, meeting, top) == expected, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: editor.autosaver.state() is SaveState.SAVED,
        timeout=WAIT_MS,  # type: ignore[union-attr]
    )
    assert editor.page.notes.notes(top) == expected
    assert pending_recoveries(demo_db.path, meeting) == []


def test_switching_tops_by_keyboard_saves_and_moves_the_focus(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    first = editor.current_top_id()
    notes = editor.page.notes.text
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(notes, "Eins")
    qtbot.keyClick(notes, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    second = editor.current_top_id()
    assert second != first
    assert editor.page.heading.text().startswith("TOP 2")
    qtbot.waitUntil(notes.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(notes, "Zwei")
    qtbot.keyClick(notes, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert editor.current_top_id() == first
    assert first is not None
    assert second is not None
    qtbot.waitUntil(lambda: stored_notes(demo_db, meeting, first).endswith("Eins"), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: stored_notes(demo_db, meeting, second).endswith("Zwei"), timeout=WAIT_MS
    )


def test_bold_and_bullet_buttons_insert_the_markup(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    notes = editor.page.notes.text
    notes.setFocus()
    notes.selectAll()
    qtbot.keyClicks(notes, "Punkt eins")
    notes.selectAll()
    qtbot.keyClick(notes, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert notes.toPlainText() == "**Punkt eins**"
    editor.page.notes.bullet_button.click()
    assert notes.toPlainText() == "- **Punkt eins**"
    editor.page.notes.bullet_button.click()
    assert notes.toPlainText() == "**Punkt eins**"


def test_typing_on_during_a_slow_save_keeps_the_journal_until_all_is_saved(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    release = threading.Event()
    real_save = autosave.save_notes

    def slow_save(*args: object, **kwargs: object) -> int:
        release.wait(WAIT_MS / 1000)
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(autosave, "save_notes", slow_save)
    notes = editor.page.notes.text
    notes.setFocus()
    notes.selectAll()
    qtbot.keyClicks(notes, "Erster Teil")
    assert editor.autosaver is not None
    editor.autosaver.flush()
    assert editor.autosaver.state() is SaveState.SAVING
    qtbot.keyClicks(notes, " und zweiter Teil")
    with qtbot.waitSignal(editor.autosaver.saved, timeout=WAIT_MS):
        release.set()
    assert stored_notes(demo_db, meeting, top) == "Erster Teil"
    # The first save must not delete the journal of the newer text.
    [entry] = pending_recoveries(demo_db.path, meeting)
    assert entry.text == "Erster Teil und zweiter Teil"
    qtbot.waitUntil(
        lambda: stored_notes(demo_db, meeting, top) == "Erster Teil und zweiter Teil",
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: pending_recoveries(demo_db.path, meeting) == [], timeout=WAIT_MS)
    assert editor.autosaver.state() is SaveState.SAVED


def test_closing_saves_what_was_just_typed(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    notes = editor.page.notes.text
    notes.setFocus()
    qtbot.keyClicks(notes, "Schlusswort")
    typed = notes.toPlainText()
    assert editor.save_before_close()  # at once, without waiting for the pause
    assert stored_notes(demo_db, meeting, top) == typed
    assert pending_recoveries(demo_db.path, meeting) == []
    assert editor.save_status.property("saveState") == "saved"
