"""One SMTP password per session: the invitation mailing and the minutes mailing share it.

Regression: the minutes dialog kept its own password cache, so a user who had typed the
password for the invitations was asked again for the minutes (and after a language switch).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import OutboxKind
from app.services.mail_settings import SmtpSecurity, save_smtp_settings
from app.services.meetings import list_meetings
from tests.helpers.mail import SmtpServer, start_server
from tests.helpers.window import WAIT_MS, OpenAndWait
from ui.meetings.mailing_dialog import MailingDialog
from ui.minutes.send_dialog import SendMinutesDialog

AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"
WINTER = "Netzwerktreffen der Impuls.Ag – Winter 2026/27"


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    smtp = start_server()
    yield smtp
    smtp.controller.stop()


def test_the_password_is_asked_once_for_both_mailings(
    open_and_wait: OpenAndWait,
    demo_path: Path,
    qtbot: QtBot,
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def answer(*_args: object, **_kwargs: object) -> tuple[str, bool]:
        asked.append("password")
        return "geheim-123", True

    monkeypatch.setattr("ui.meetings.mailing.QInputDialog.getText", answer)
    window = open_and_wait(demo_path)
    opened = window.opened()
    assert opened is not None
    db = opened.database
    # A user name needs STARTTLS, which the local test server lacks: each run fails when it
    # connects, after the password was asked for, which is what counts here.
    save_smtp_settings(db, server.settings(username="anna", security=SmtpSecurity.STARTTLS))
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.meetings
    meetings = {row.title: row.id for row in list_meetings(db)}

    invitations = MailingDialog(
        window.runner, db, meetings[WINTER], OutboxKind.INVITATION, page.planner.passwords, window
    )
    qtbot.addWidget(invitations)
    with qtbot.waitSignal(invitations.ready, timeout=WAIT_MS):
        invitations.show()
    assert invitations.via_smtp.isChecked()
    qtbot.mouseClick(invitations.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not invitations.run.is_running(), timeout=60_000)
    assert asked == ["password"]

    window.set_language("en")  # the pages are rebuilt; the session's passwords stay
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.meetings
    workspace.setCurrentWidget(page)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.select_meeting(meetings[AUFTAKT])
    editor = page.minutes
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        page.detail.tabs.setCurrentWidget(editor)
    editor.send_minutes()
    minutes = editor.send_dialog
    assert isinstance(minutes, SendMinutesDialog)
    qtbot.waitUntil(minutes.send_button.isEnabled, timeout=WAIT_MS)
    minutes.via_smtp.setChecked(True)
    qtbot.mouseClick(minutes.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not minutes.run.is_running(), timeout=60_000)
    assert asked == ["password"]  # not asked a second time
    assert server.handler.messages == []
    minutes.close()
