"""Final minutes in the editor: the revision as people say it, and the signature-lines option."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _
from app.services.meetings import list_meetings
from app.services.minutes import finalise_minutes, load_minutes, start_correction
from app.services.snapshots.minutes import build_minutes_snapshot
from tests.helpers.minutes_window import WAIT_MS, EditorFactory
from ui.minutes.minutes_editor import MinutesEditor


def _final_meeting(db: Database) -> int:
    return next(row.id for row in list_meetings(db) if row.state.value == "minutes_final")


def _reload(qtbot: QtBot, editor: MinutesEditor, meeting: int) -> None:
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.reload()
    assert editor.view() is not None
    assert editor.view().meeting_id == meeting  # type: ignore[union-attr]


def test_final_minutes_are_revision_one_and_a_correction_counts_up(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = _final_meeting(demo_db)
    editor = make_editor(demo_db, meeting)
    expected = _("Final, revision {revision} – locked. Use “Correct…” to change.")
    assert editor.banner.text() == expected.format(revision=1)
    assert "0" not in editor.banner.text()

    info = load_minutes(demo_db, meeting).minutes
    assert info is not None
    start_correction(demo_db, meeting, "Tippfehler", expected_version=info.version)
    info = load_minutes(demo_db, meeting).minutes
    assert info is not None
    finalise_minutes(demo_db, meeting, expected_version=info.version)
    _reload(qtbot, editor, meeting)
    assert editor.banner.text() == expected.format(revision=2)


def test_signature_lines_checkbox_is_stored_for_the_meeting(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = _final_meeting(demo_db)
    editor = make_editor(demo_db, meeting)
    box = editor.next_meeting.signature_lines
    assert box.isChecked()
    assert box.isEnabled()  # a print option: available on locked, final minutes
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        box.click()  # as a user unticks it
    assert not build_minutes_snapshot(demo_db, meeting).signature_lines
    assert not editor.next_meeting.signature_lines.isChecked()
