"""Closing a dialog while its data still loads: the late result finds it gone and does nothing.

Regression (monkey test): Aufbewahrungsprüfung set a deleted spin box, Auskunft and Person
löschen filled the deleted person picker's model, Sicherungen its deleted list, and switching
the language while the minutes loaded called a deleted write queue: "already deleted" errors.
Each test holds the dialog's load back (``held_tasks``), closes the dialog until it is
destroyed, then lets the load finish. An exception in a slot or any Qt warning fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import OutboxKind
from app.services.meetings import list_meetings
from tests.helpers.tasks import held_tasks
from tests.helpers.window import WAIT_MS, OpenAndWait
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"

Opener = Callable[[MainWindow, TaskRunner, Database, int], QWidget | None]


def _meeting(db: Database) -> int:
    return next(row.id for row in list_meetings(db) if row.title == AUFTAKT)


def _backups(window: MainWindow, *_args: object) -> QWidget | None:
    return window.maintenance.show_backups()


def _access(window: MainWindow, *_args: object) -> QWidget | None:
    return window.maintenance.show_access_request()


def _erasure(window: MainWindow, *_args: object) -> QWidget | None:
    return window.maintenance.show_erasure()


def _retention(window: MainWindow, *_args: object) -> QWidget | None:
    return window.maintenance.show_retention_review()


def _settings(window: MainWindow, *_args: object) -> QWidget | None:
    return window.show_settings()


def _setup(window: MainWindow, *_args: object) -> QWidget | None:
    return window.show_setup_assistant()


def _meeting_dialog(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from ui.meetings.meeting_dialog import MeetingDialog, Mode

    return MeetingDialog(runner, db, Mode.EDIT, meeting, parent=window)


def _reschedule(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from ui.meetings.meeting_dialog import RescheduleDialog

    return RescheduleDialog(runner, db, meeting, parent=window)


def _invite(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from ui.meetings.invite_dialog import InviteDialog

    return InviteDialog(runner, db, meeting, parent=window)


def _mailing(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from app.mail.secrets import SessionPasswords
    from ui.meetings.mailing_dialog import MailingDialog

    return MailingDialog(
        runner, db, meeting, OutboxKind.INVITATION, SessionPasswords(), parent=window
    )


def _letters(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from ui.meetings.letters_dialog import LettersDialog

    return LettersDialog(runner, db, meeting, AUFTAKT, parent=window)


def _signin(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from ui.attendance.signin_print import SigninDialog

    return SigninDialog(runner, db, meeting, AUFTAKT, parent=window)


def _send_minutes(window: MainWindow, runner: TaskRunner, db: Database, meeting: int) -> QDialog:
    from app.mail.secrets import SessionPasswords
    from ui.minutes.send_dialog import SendMinutesDialog

    return SendMinutesDialog(runner, db, meeting, SessionPasswords(), parent=window)


OPENERS: dict[str, Opener] = {
    "Sicherungen": _backups,
    "Auskunft": _access,
    "Person löschen": _erasure,
    "Aufbewahrungsprüfung": _retention,
    "Einstellungen": _settings,
    "Einrichtungsassistent": _setup,
    "Treffen bearbeiten": _meeting_dialog,
    "Verschieben": _reschedule,
    "Einladen": _invite,
    "Einladungen versenden": _mailing,
    "Briefe": _letters,
    "Anwesenheitsliste": _signin,
    "Protokoll versenden": _send_minutes,
}


def _close_until_destroyed(qtbot: QtBot, widget: QWidget, close: Callable[[], object]) -> None:
    # Not qtbot.waitSignal(widget.destroyed): it cannot disconnect from a deleted object.
    destroyed: list[bool] = []
    widget.destroyed.connect(lambda *_args: destroyed.append(True))
    close()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=WAIT_MS)


@pytest.mark.parametrize("name", list(OPENERS))
def test_dialog_closed_while_loading_ignores_the_late_result(
    name: str, open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    opened = window.opened()
    assert opened is not None
    runner, db = window.runner, opened.database
    meeting = _meeting(db)
    with held_tasks(runner) as held:
        dialog = OPENERS[name](window, runner, db, meeting)
        assert dialog is not None
        assert held.started, f"{name} loads nothing in the background"
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        _close_until_destroyed(qtbot, dialog, dialog.close)
    # The held loads end now, after the dialog is gone.
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    qtbot.wait(50)  # queued deliveries and what they post
    assert window.maintenance.errors.current_box() is None


def test_switching_the_language_while_the_minutes_load(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.meetings
    workspace.setCurrentWidget(page)
    row = next(r for r in page.model.rows() if r.title == AUFTAKT)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.select_meeting(row.id)
    old_editor = page.minutes
    with held_tasks(window.runner) as held:
        page.detail.tabs.setCurrentWidget(old_editor)
        assert held.started
        _close_until_destroyed(qtbot, old_editor, lambda: window.set_language("en"))
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    qtbot.wait(50)
    new_workspace = window.workspace()
    assert new_workspace is not None
    assert new_workspace is not workspace
    assert window.maintenance.errors.current_box() is None
