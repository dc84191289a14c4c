"""Photos (drag and drop), next meeting, PDF and sending from the minutes editor."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QDateTime, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from app.db import Database
from app.models import OutboxState, Photo
from app.services.minutes import list_photos, load_minutes, photo_consent_warnings
from tests.helpers.minutes_window import AUFTAKT, WAIT_MS, EditorFactory, meeting_id
from ui.minutes.send_dialog import SendMinutesDialog


def png(path: Path) -> Path:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_dropped_photo_is_attached_and_consent_is_warned(
    qtbot: QtBot,
    demo_db: Database,
    make_editor: EditorFactory,
    tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    # The demo's own photos of this meeting are removed: the drop is the only one.
    with demo_db.write() as session:
        session.execute(delete(Photo).where(Photo.meeting_id == meeting))
    editor = make_editor(demo_db, meeting)
    panel = editor.photos
    editor.tabs.setCurrentWidget(panel)
    warnings = photo_consent_warnings(demo_db, meeting)
    assert warnings
    assert panel.warning.isVisible()
    assert warnings[0].name in panel.warning.text()

    image = png(tmp_path / "Pressefoto Auftakt.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image)), QUrl.fromLocalFile(str(tmp_path / "x.txt"))])
    event = QDropEvent(
        QPointF(panel.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        panel.dropEvent(event)
    [photo] = list_photos(demo_db, meeting)
    assert photo.filename == "Pressefoto Auftakt.png"
    assert panel.model.rowCount() == 1
    qtbot.waitUntil(
        lambda: panel.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None,
        timeout=WAIT_MS,
    )
    qtmodeltester.check(panel.model)

    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        panel.model.setData(panel.model.index(0, 2), "Foto: Stadt Krefeld")
    assert list_photos(demo_db, meeting)[0].credit == "Foto: Stadt Krefeld"

    # Undo, step by step: the credit, then the photo itself; redo brings the same image back.
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.undo()
    assert list_photos(demo_db, meeting)[0].credit == ""
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.undo()
    assert list_photos(demo_db, meeting) == []
    assert panel.model.rowCount() == 0
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.redo()
    [again] = list_photos(demo_db, meeting)
    assert (again.id, again.size) == (photo.id, photo.size)


def test_next_meeting_is_saved(qtbot: QtBot, demo_db: Database, make_editor: EditorFactory) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    panel = editor.next_meeting
    editor.tabs.setCurrentWidget(panel)
    panel.start.setDateTime(QDateTime(datetime(2023, 3, 23, 15, 0)))
    panel.place.setFocus()
    panel.place.selectAll()
    qtbot.keyClicks(panel.place, "Museumscafe K+")
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    info = load_minutes(demo_db, meeting).minutes
    assert info is not None
    assert info.next_meeting_place == "Museumscafe K+"
    assert info.next_meeting_start is not None
    assert (info.next_meeting_start.date().isoformat(), info.next_meeting_start.hour) == (
        "2023-03-23",
        15,
    )


def test_pdf_is_written_in_the_background(
    qtbot: QtBot,
    demo_db: Database,
    make_editor: EditorFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    target = tmp_path / "Protokoll"
    monkeypatch.setattr(
        "ui.minutes.steps.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    monkeypatch.setattr(
        "ui.minutes.steps.QMessageBox.information",
        lambda *a, **k: QMessageBox.StandardButton.Close,
    )
    with qtbot.waitSignal(editor.pdf_saved, timeout=WAIT_MS * 2) as blocker:
        qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    written = Path(blocker.args[0])
    assert written == target.with_suffix(".pdf")
    assert written.read_bytes().startswith(b"%PDF")
    assert editor.pdf_button.isEnabled()


def test_minutes_are_sent_as_drafts_with_a_result_per_recipient(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, tmp_path: Path
) -> None:
    editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    dialog = editor.send_dialog
    assert isinstance(dialog, SendMinutesDialog)
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=WAIT_MS)
    folder = tmp_path / "drafts"
    folder.mkdir()
    dialog.folder.setText(str(folder))
    dialog.informed.setPlainText("Fördermittelstelle <foerderung@krefeld.example>")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=WAIT_MS * 4)
    outcome = dialog.outcome
    assert outcome is not None
    sent = [r for r in outcome.report.results if r.state is OutboxState.SENT]
    assert sent
    assert len(list(folder.glob("*.eml"))) == len(sent)
    assert "foerderung@krefeld.example" in {r.recipient for r in sent}
    assert dialog.result_model.rowCount() == len(outcome.report.results) + len(
        outcome.report.uncertain
    ) + len(outcome.queued.skipped)
    dialog.close()


def test_pdf_preview_opens_the_viewer(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr("ui.minutes.steps.QDesktopServices.openUrl", open_url)
    with qtbot.waitSignal(editor.pdf_saved, timeout=WAIT_MS * 2):
        qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    [path] = opened
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert editor.preview_button.isEnabled()


def test_top_list_and_attendance_follow_the_meeting(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    from app.services.snapshots.minutes import build_minutes_snapshot

    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    model = editor.top_model
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert rows[0][0] == "1"
    assert rows[1][:2] == ["2", "Vorstellung der geförderten Projekte"]
    assert rows[1][3] == "15:10"
    assert rows[2][1].strip() == "Quartiersbüros"  # sub-items indented
    snapshot = build_minutes_snapshot(demo_db, meeting)
    text = editor.attendance.toPlainText()
    assert snapshot.moderator in text
    assert snapshot.minute_taker in text
    for group in snapshot.present:
        assert all(attendee.name in text for attendee in group.attendees)
    assert all(attendee.name in text for attendee in snapshot.excused)
    assert all(attendee.name in text for attendee in snapshot.guests)
    assert editor.consent_warning.text()  # people without photo consent attended


def test_minutes_are_sent_through_a_real_smtp_server(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    from app.services.mail_settings import save_smtp_settings
    from tests.helpers.mail import start_server

    server = start_server()
    try:
        save_smtp_settings(demo_db, server.settings())
        editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
        qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
        dialog = editor.send_dialog
        assert isinstance(dialog, SendMinutesDialog)
        qtbot.waitUntil(dialog.send_button.isEnabled, timeout=WAIT_MS)
        assert dialog.via_smtp.isEnabled()
        dialog.via_smtp.setChecked(True)
        dialog.excused.setChecked(False)  # attendees only
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=WAIT_MS * 4)
        outcome = dialog.outcome
        assert outcome is not None
        sent = {r.recipient for r in outcome.report.results if r.state is OutboxState.SENT}
        assert sent
        assert set(server.handler.recipients()) == sent  # one personal mail each
        assert all(b"application/pdf" in message.content for message in server.handler.messages)
        dialog.close()
    finally:
        server.controller.stop()


def test_next_meeting_suggested_from_the_planned_one(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    from app.services.minutes import suggest_next_meeting

    meeting = meeting_id(demo_db, AUFTAKT)
    suggestion = suggest_next_meeting(demo_db, meeting)
    assert suggestion is not None
    editor = make_editor(demo_db, meeting)
    panel = editor.next_meeting
    panel.place.clear()
    qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.place.text() == suggestion.place, timeout=WAIT_MS)
    shown = panel.start.dateTime().toPython()
    assert shown == suggestion.start.replace(tzinfo=None)


def test_actual_times_are_saved_for_the_meeting_day(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    from PySide6.QtCore import QTime

    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    panel = editor.next_meeting
    panel.actual_start.setTime(QTime(15, 5))
    panel.actual_end.setTime(QTime(17, 40))
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(panel.save_times_button, Qt.MouseButton.LeftButton)
    info = load_minutes(demo_db, meeting).minutes
    assert info is not None
    assert info.actual_start is not None
    assert info.actual_end is not None
    assert (info.actual_start.date().isoformat(), info.actual_start.strftime("%H:%M")) == (
        "2022-11-17",
        "15:05",
    )
    assert info.actual_end.strftime("%H:%M") == "17:40"
    assert panel.actual_start.time() == QTime(15, 5)  # shown again after the reload


def test_previews_are_removed_when_replaced_and_when_the_minutes_close(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Previews are PDFs full of names; they must not pile up."""
    from app.services.previews import previews_dir

    editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    opened: list[Path] = []
    monkeypatch.setattr(
        "ui.minutes.steps.QDesktopServices.openUrl",
        lambda url: opened.append(Path(url.toLocalFile())) or True,
    )
    for _round in range(2):
        with qtbot.waitSignal(editor.pdf_saved, timeout=WAIT_MS * 2):
            qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    first, second = opened
    assert first.parent.parent == second.parent.parent == previews_dir()  # not the temp folder
    assert not first.exists()  # replaced by the second
    assert second.exists()
    editor.close_minutes()
    assert not second.exists()
    assert list(previews_dir().iterdir()) == []


def test_the_pdf_renderer_loads_while_the_recipients_are_shown(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ReportLab and the fonts load before Send, not on the worker while the window shows
    the progress (as for invitations: benchmarks/mail_gui_stall.py)."""
    loaded: list[str] = []
    monkeypatch.setattr("ui.minutes.send_dialog.load_renderer", loaded.append)
    editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    dialog = editor.send_dialog
    assert isinstance(dialog, SendMinutesDialog)
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=WAIT_MS)
    assert loaded == ["minutes"]
    dialog.close()
