"""The mailing dialog against a real local SMTP server (aiosmtpd) and as .eml drafts."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.mail.secrets import SessionPasswords
from app.models import InvitationState, OutboxKind, OutboxState
from app.services.invitations import add_invitees, find_candidates, list_invitees
from app.services.mail_settings import default_drafts_dir, save_smtp_settings
from app.services.settings_registry import change_setting
from tests.helpers.mail import SmtpServer, start_server
from tests.helpers.planning_window import WAIT_MS, Planned
from ui.meetings.mailing_dialog import MailingDialog
from ui.settings.dialog import SettingsDialog
from ui.tasks import TaskRunner

MAILABLE = 6  # eight people: one without an address, one withdrew e-mail consent


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    smtp = start_server()
    yield smtp
    smtp.controller.stop()


@pytest.fixture
def invited(planned: Planned, server: SmtpServer) -> Planned:
    add_invitees(planned.db, planned.meeting_id, [r.person_id for r in find_candidates(planned.db)])
    save_smtp_settings(planned.db, server.settings())
    return planned


def open_mailing(qtbot: QtBot, runner: TaskRunner, planned: Planned, kind=OutboxKind.INVITATION):  # type: ignore[no-untyped-def]
    dialog = MailingDialog(runner, planned.db, planned.meeting_id, kind, SessionPasswords())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    return dialog


class StallMeter:
    """A 10 ms timer on the GUI thread; the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.longest_ms = 0
        self.ticks = 0

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest_ms = max(self.longest_ms, self.clock.restart())
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


def test_smtp_sends_one_personal_mail_each_with_progress_and_results(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer
) -> None:
    dialog = open_mailing(qtbot, runner, invited)
    assert dialog.via_smtp.isChecked()
    assert dialog.preview.toPlainText().startswith("Betreff: Einladung: ")
    assert "Netzwerktreffen Impuls.Ag" in dialog.preview.toPlainText()
    assert "الهدى" in dialog.recipients.text()  # needs a letter
    meter = StallMeter()
    progress_seen = []
    dialog.progress.valueChanged.connect(lambda v: progress_seen.append(v))
    meter.start()
    with qtbot.waitSignal(dialog.sent, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible()
        assert dialog.is_sending()
    meter.stop()
    report = blocker.args[0]
    assert report.ok
    assert len(server.handler.messages) == MAILABLE
    assert all(len(m.rcpt_tos) == 1 for m in server.handler.messages)
    message = email.message_from_bytes(server.handler.messages[0].content, policy=email.policy.SMTP)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert "einladung.ics" in names
    assert any(name and name.endswith(".pdf") for name in names)
    assert dialog.results.rowCount() == MAILABLE
    assert {row.result.state for row in dialog.results.rows()} == {OutboxState.SENT}
    assert max(progress_seen) == MAILABLE
    assert meter.ticks > 0  # the GUI kept running while the worker sent
    states = {r.name: r.state for r in list_invitees(invited.db, invited.meeting_id)}
    assert states["Ayşe Yılmaz"] is InvitationState.SENT
    assert states["نور الهدى"] is InvitationState.NOT_SENT
    # Sending again mails nobody twice.
    with qtbot.waitSignal(dialog.sent, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert len(server.handler.messages) == MAILABLE


def test_refused_address_fails_with_the_server_answer_and_retry_sends_it(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer
) -> None:
    server.handler.reject["anna@gu.example"] = "550 5.1.1 Mailbox unknown"
    dialog = open_mailing(qtbot, runner, invited)
    with qtbot.waitSignal(dialog.sent, timeout=60_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    failed = [r for r in dialog.results.rows() if r.result.state is OutboxState.FAILED]
    assert [r.result.recipient for r in failed] == ["anna@gu.example"]
    assert "Mailbox unknown" in failed[0].result.error
    assert dialog.retry_button.isVisible()
    assert len(server.handler.messages) == MAILABLE - 1
    server.handler.reject.clear()
    with qtbot.waitSignal(dialog.sent, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].ok
    assert server.handler.recipients().count("anna@gu.example") == 1
    assert not dialog.retry_button.isVisible()


def test_eml_drafts_into_a_folder(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer, tmp_path: Path
) -> None:
    dialog = open_mailing(qtbot, runner, invited)
    dialog.via_eml.setChecked(True)
    assert dialog.folder.text() == str(default_drafts_dir())  # preset: the settings' folder
    dialog.folder.clear()
    qtbot.keyClicks(dialog.folder, str(tmp_path))
    with qtbot.waitSignal(dialog.sent, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].drafts
    drafts = sorted(tmp_path.glob("*.eml"))
    assert len(drafts) == MAILABLE
    assert b"X-Unsent: 1" in drafts[0].read_bytes()
    assert server.handler.messages == []


def test_cancel_stops_and_leaves_the_rest_queued(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer
) -> None:
    dialog = open_mailing(qtbot, runner, invited)
    dialog.progress.valueChanged.connect(lambda v: v >= 1 and dialog.cancel_sending())
    with qtbot.waitSignal(dialog.sent, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.cancelled or report.ok  # a fast worker may have finished first
    assert len(server.handler.messages) + report.still_queued == MAILABLE


def test_reminder_goes_only_to_those_who_have_not_answered(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer
) -> None:
    from app.services.invitations import set_reply

    dialog = open_mailing(qtbot, runner, invited)
    with qtbot.waitSignal(dialog.sent, timeout=60_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    ayse = next(r for r in list_invitees(invited.db, invited.meeting_id) if r.name == "Ayşe Yılmaz")
    set_reply(invited.db, invited.meeting_id, ayse.person_id, InvitationState.ACCEPTED)
    server.handler.messages.clear()
    reminder = open_mailing(qtbot, runner, invited, OutboxKind.REMINDER)
    with qtbot.waitSignal(reminder.sent, timeout=60_000):
        qtbot.mouseClick(reminder.send_button, Qt.MouseButton.LeftButton)
    recipients = server.handler.recipients()
    assert len(recipients) == MAILABLE - 1
    assert "ayse.yilmaz@qb.example" not in recipients


def test_uncertain_message_after_a_crash_is_never_resent_without_asking(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer
) -> None:
    from sqlalchemy import select, update

    from app.mail.mailings import queue_invitations
    from app.models import OutboxMessage

    queue_invitations(invited.db, invited.meeting_id)
    with invited.db.write() as session:  # a crash between "sending" and "sent"
        first = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).first()
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == first).values(state=OutboxState.SENDING)
        )
    dialog = open_mailing(qtbot, runner, invited)
    with qtbot.waitSignal(dialog.sent, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert [r.outbox_id for r in report.uncertain] == [first]
    assert len(server.handler.messages) == MAILABLE - 1
    uncertain = [r for r in dialog.results.rows() if r.uncertain]
    assert len(uncertain) == 1
    assert dialog.count_sent_button.isVisible()
    assert dialog.resend_button.isVisible()
    # The user checked the Sent folder: it went out. Count it, send nothing again.
    dialog.count_sent_button.click()
    qtbot.waitUntil(lambda: not dialog.count_sent_button.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    with invited.db.read() as session:
        state = session.get(OutboxMessage, first).state
    assert state is OutboxState.SENT
    assert len(server.handler.messages) == MAILABLE - 1


def test_the_way_and_folder_from_the_settings_and_a_way_to_change_them(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer, tmp_path: Path
) -> None:
    change_setting(invited.db, "mail.mode", "eml")
    change_setting(invited.db, "mail.eml_dir", str(tmp_path / "entwuerfe"))
    dialog = open_mailing(qtbot, runner, invited)
    assert dialog.via_eml.isChecked()
    assert dialog.folder.text() == str(tmp_path / "entwuerfe")
    qtbot.mouseClick(dialog.findChild(QPushButton, "mailingSettings"), Qt.MouseButton.LeftButton)
    settings = dialog.settings_dialog
    assert isinstance(settings, SettingsDialog)
    qtbot.waitUntil(lambda: settings.stack.isEnabled(), timeout=WAIT_MS)
    assert settings.current_page() == "sender"
    settings.sender_page.way.via_smtp.setChecked(True)
    with qtbot.waitSignal(settings.saved, timeout=WAIT_MS):
        qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.via_smtp.isChecked, timeout=WAIT_MS)


@pytest.mark.parametrize("typed", ["Entwürfe", "drafts/neu", "/tmp/\u202efdp.exe"])
def test_eml_folder_refuses_bare_names_and_hidden_controls(
    qtbot: QtBot,
    runner: TaskRunner,
    invited: Planned,
    server: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
) -> None:
    """Regression: a bare name wrote into the working folder; now the dialog says why not."""
    monkeypatch.chdir(tmp_path)
    dialog = open_mailing(qtbot, runner, invited)
    dialog.via_eml.setChecked(True)
    dialog.folder.setText(typed)  # pasted: QTest types ASCII only
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert "Ordner" in dialog.status.text() or "Steuerzeichen" in dialog.status.text()
    assert not dialog.is_sending()
    assert list(tmp_path.rglob("*.eml")) == []


def test_eml_drafts_say_where_they_went(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, server: SmtpServer, tmp_path: Path
) -> None:
    folder = tmp_path / "Entwürfe"
    dialog = open_mailing(qtbot, runner, invited)
    dialog.via_eml.setChecked(True)
    dialog.folder.setText(str(folder))  # pasted: QTest types ASCII only
    with qtbot.waitSignal(dialog.sent, timeout=60_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert str(folder) in dialog.status.text()


def test_the_pdf_renderer_loads_while_the_user_reads_the_preview(
    qtbot: QtBot, runner: TaskRunner, invited: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first mailing of a session imports ReportLab and parses the fonts before Send, not
    on the worker while the window shows the progress (benchmarks/mail_gui_stall.py)."""
    loaded: list[str] = []
    monkeypatch.setattr("ui.meetings.mailing_dialog.load_renderer", loaded.append)
    open_mailing(qtbot, runner, invited)
    assert loaded == ["invitations"]
    open_mailing(qtbot, runner, invited, OutboxKind.REMINDER)
    assert loaded == ["invitations", "reminders"]
    open_mailing(qtbot, runner, invited, OutboxKind.CANCELLATION)  # no PDF goes with it
    assert loaded == ["invitations", "reminders"]
