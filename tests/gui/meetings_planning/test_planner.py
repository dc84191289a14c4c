"""Planning in the main window: action bar, agenda editor in the tab, reply keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.models import InvitationState, MeetingState
from app.services.invitations import list_invitees
from app.services.meetings import get_meeting
from ui.main_window import MainWindow
from ui.meetings.page import MeetingsPage

WAIT_MS = 15_000
WINTER = "Netzwerktreffen der Impuls.Ag – Winter 2026/27"


def open_winter(window: MainWindow, qtbot: QtBot) -> MeetingsPage:
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.meetings)
    page = workspace.meetings
    qtbot.waitUntil(lambda: page.planner.meeting is not None, timeout=WAIT_MS)
    assert page.planner.meeting.title == WINTER  # the next meeting is selected first
    qtbot.waitUntil(lambda: page.planner.agenda_editor.model.rowCount() > 0, timeout=WAIT_MS)
    return page


def test_reply_keys_store_replies_for_the_selected_rows(
    open_and_wait: Callable[[Path], MainWindow], demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    page = open_winter(window, qtbot)
    planner = page.planner
    # The editor lives in the Agenda tab, in place of the read-only table.
    assert planner.agenda_editor.parentWidget() is page.detail.agenda_view.parentWidget()
    assert not page.detail.agenda_view.isVisibleTo(page.detail)
    assert planner.buttons["reschedule"].isEnabled()
    view = page.detail.invitation_view
    rows = page.detail.invitation_model.rows()
    waiting = [n for n, r in enumerate(rows) if r.state is InvitationState.SENT][:2]
    view.clearSelection()
    for number in waiting:
        view.selectionModel().select(
            view.model().index(number, 0),
            view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
        )
    people = {rows[n].person_id for n in waiting}
    view.setFocus()
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_D)
    stored = {r.person_id: r.state for r in list_invitees(page._db, planner.meeting.id)}
    assert {stored[p] for p in people} == {InvitationState.DECLINED}
    # The selection survives the reload, so the next key corrects the same people.
    qtbot.waitUntil(lambda: len(view.selectionModel().selectedRows()) == 2, timeout=WAIT_MS)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_N)
    stored = {r.person_id: r.state for r in list_invitees(page._db, planner.meeting.id)}
    assert {stored[p] for p in people} == {InvitationState.SENT}


def test_cancel_meeting_asks_then_offers_the_cancellation_mail(
    open_and_wait: Callable[[Path], MainWindow],
    demo_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(demo_path)
    page = open_winter(window, qtbot)
    questions: list[str] = []

    def answer(*args, **kwargs):  # type: ignore[no-untyped-def]
        questions.append(args[2])
        # Yes to cancelling, No to mailing now.
        return (
            QMessageBox.StandardButton.Yes if len(questions) == 1 else QMessageBox.StandardButton.No
        )

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    meeting_id = page.planner.meeting.id
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.mouseClick(page.planner.buttons["cancel"], Qt.MouseButton.LeftButton)
    db = page._db
    assert db is not None
    assert get_meeting(db, meeting_id).state is MeetingState.CANCELLED
    qtbot.waitUntil(lambda: len(questions) == 2, timeout=WAIT_MS)
    assert not page.planner.buttons["edit"].isEnabled()
    qtbot.waitUntil(lambda: not page.planner.agenda_editor.model.is_editable(), timeout=WAIT_MS)
    assert page.planner.buttons["send"].isEnabled()


def test_reschedule_offers_the_update_mail_to_those_invited(
    open_and_wait: Callable[[Path], MainWindow],
    demo_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QDate

    from ui.meetings import planner as planner_module

    window = open_and_wait(demo_path)
    page = open_winter(window, qtbot)
    forms: list = []
    mailings: list = []
    monkeypatch.setattr(planner_module.RescheduleDialog, "open", lambda self: forms.append(self))
    monkeypatch.setattr(planner_module.MailingDialog, "open", lambda self: mailings.append(self))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    qtbot.mouseClick(page.planner.buttons["reschedule"], Qt.MouseButton.LeftButton)
    form = forms[0]
    qtbot.waitUntil(
        lambda: form.buttons.isEnabled() and form.heading.text() == WINTER, timeout=WAIT_MS
    )
    form.date.setDate(QDate(2026, 12, 17))
    with qtbot.waitSignal(form.saved, timeout=WAIT_MS) as blocker:
        form.save()
    assert blocker.args[1].update_mail_due > 0
    assert [m.kind.value for m in mailings] == ["update"]
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def test_reply_keys_work_for_an_organisation_invited_by_its_own_address(
    open_and_wait: Callable[[Path], MainWindow], demo_path: Path, qtbot: QtBot
) -> None:
    from sqlalchemy import select

    from app.db import Database
    from app.models import Meeting, Organisation
    from app.services.invitations import add_invitees

    with Database.open(demo_path) as db:
        with db.write() as session:
            winter = session.scalars(select(Meeting).where(Meeting.title == WINTER)).one()
            office = session.scalars(select(Organisation).order_by(Organisation.id)).first()
            assert office is not None
            office.email = "info@buero.example"
            meeting_id, office_id, office_name = winter.id, office.id, office.name
        add_invitees(db, meeting_id, [], organisation_ids=[office_id])
    window = open_and_wait(demo_path)
    page = open_winter(window, qtbot)
    view = page.detail.invitation_view
    rows = page.detail.invitation_model.rows()
    (number,) = [n for n, r in enumerate(rows) if r.organisation_id == office_id]
    assert rows[number].name == office_name
    view.clearSelection()
    view.selectRow(number)
    view.setFocus()
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_A)
    stored = {r.organisation_id: r.state for r in list_invitees(page._db, meeting_id)}
    assert stored[office_id] is InvitationState.ACCEPTED
    qtbot.waitUntil(lambda: len(view.selectionModel().selectedRows()) == 1, timeout=WAIT_MS)
    (selected,) = view.selectionModel().selectedRows()
    assert page.detail.invitation_model.rows()[selected.row()].organisation_id == office_id
