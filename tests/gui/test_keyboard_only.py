"""The main workflow by keyboard alone: plan a meeting, invite, mark attendance.

Every key goes where the keyboard focus is (or to the open menu), as it would for someone who
cannot use a mouse: mnemonics (Alt+letter), the Meetings menu, Tab, arrows, Enter, Space.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from app.models import AttendanceStatus, InvitationState
from app.services.attendance import attendance_sheet
from app.services.invitations import list_invitees
from app.services.meetings import list_meetings
from ui.main_window import MainWindow
from ui.meetings.invite_dialog import InviteDialog
from ui.meetings.meeting_dialog import MeetingDialog

WAIT_MS = 15_000
TITLE = "Sondertreffen Sport im Park"
OpenAndWait = Callable[[Path], MainWindow]
ALT = Qt.KeyboardModifier.AltModifier


def target(window: MainWindow) -> QWidget:
    """Where a key press lands: the open menu, else the focused widget."""
    return QApplication.activePopupWidget() or QApplication.focusWidget() or window


def press(
    qtbot: QtBot,
    window: MainWindow,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(target(window), key, modifier)


def type_text(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClicks(target(window), text)


def back_to_the_window(qtbot: QtBot, window: MainWindow) -> None:
    """A closed dialog gives the window back the focus (the offscreen platform has no window
    manager to do it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def open_dialog_of(qtbot: QtBot, kind: type) -> QWidget:
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeModalWidget(), kind)
            or any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets())
        ),
        timeout=WAIT_MS,
    )
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


# Menus pop up on the offscreen platform, which cannot raise them or grab the keyboard.
@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise|grabbing|propagateSizeHints)")
def test_plan_a_meeting_invite_and_mark_attendance_with_the_keyboard_alone(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.meetings
    opened = window.opened()
    assert opened is not None
    db = opened.database

    # Meetings ▸ New meeting… (Alt+T, N in German): the form opens with the title focused.
    press(qtbot, window, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_N)
    dialog = open_dialog_of(qtbot, MeetingDialog)
    assert isinstance(dialog, MeetingDialog)
    # Ready when its choices are in: Save enabled, the title focused.
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(lambda: save.isEnabled() and dialog.title.hasFocus(), timeout=WAIT_MS)
    type_text(qtbot, window, TITLE)
    # Tab to the date; today, typed day, month, year (attendance can be marked today).
    press(qtbot, window, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.date
    today = date.today()
    type_text(qtbot, window, today.strftime("%d%m%Y"))
    assert dialog.date.date().toPython() == today
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_Return)  # Save is the default button
    meeting = next(m for m in list_meetings(db) if m.title == TITLE)
    assert meeting.start.date() == today
    assert page.planner.meeting is not None
    assert page.planner.meeting.id == meeting.id  # the new meeting is selected

    # Meetings ▸ Invite… (Alt+T, E): find people by typing, invite all listed (Alt+L:
    # "A&lle Aufgeführten einladen").
    back_to_the_window(qtbot, window)
    press(qtbot, window, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_E)
    invite = open_dialog_of(qtbot, InviteDialog)
    assert isinstance(invite, InviteDialog)
    qtbot.waitUntil(lambda: invite.candidates.rowCount() > 0, timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_P, ALT)  # "&People:" → the search field
    assert QApplication.focusWidget() is invite.search
    with qtbot.waitSignal(invite.candidates_shown, timeout=WAIT_MS):
        type_text(qtbot, window, "bayer")
    assert invite.candidates.rowCount() >= 2
    with qtbot.waitSignal(invite.invited, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_L, ALT)
    invited = list_invitees(db, meeting.id)
    assert len(invited) == invite.candidates.rowCount()
    # "bayer" also finds the club itself, invited by its own address: the attendance list
    # has a row for each invited person, none for an organisation's mailbox.
    people = [row for row in invited if row.person_id is not None]
    assert len(people) >= 2
    press(qtbot, window, Qt.Key.Key_Escape)  # close the dialog
    qtbot.waitUntil(lambda: not invite.isVisible(), timeout=WAIT_MS)
    back_to_the_window(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)

    # Attendance tab: Tab along the window to the meeting's tabs, arrows to Attendance.
    tab_bar = page.detail.tabs.tabBar()
    for _step in range(80):
        if QApplication.focusWidget() is tab_bar:
            break
        press(qtbot, window, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab_bar
    while page.detail.tabs.currentWidget() is not page.attendance:
        press(qtbot, window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: page.attendance.model.rowCount() == len(people), timeout=WAIT_MS)
    press(qtbot, window, Qt.Key.Key_Tab)
    for _step in range(20):
        if QApplication.focusWidget() is page.attendance.view:
            break
        press(qtbot, window, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.attendance.view
    # The first invitee present, the second excused: arrows move, P and E mark.
    press(qtbot, window, Qt.Key.Key_Home)
    press(qtbot, window, Qt.Key.Key_Space)  # select the row the cursor is on
    assert len(page.attendance.selected_rows()) == 1
    first, second = page.attendance.model.row(0), page.attendance.model.row(1)
    with qtbot.waitSignal(page.attendance.loaded, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_P)
    press(qtbot, window, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.attendance.loaded, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    statuses = {row.person_id: row.status for row in attendance_sheet(db, meeting.id)}
    assert statuses[first.person_id] is AttendanceStatus.PRESENT
    assert statuses[second.person_id] is AttendanceStatus.EXCUSED
    assert {row.state for row in list_invitees(db, meeting.id)} == {InvitationState.NOT_SENT}
