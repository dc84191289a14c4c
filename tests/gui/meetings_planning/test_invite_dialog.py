"""The invite dialog: choose by group and organisation, letters listed, invitations stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.models import InvitationState
from app.services.invitations import LetterReason, list_invitees
from tests.helpers.planning_window import WAIT_MS, Planned
from ui.meetings.invite_dialog import InviteDialog
from ui.tasks import TaskRunner


def open_invite(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> InviteDialog:
    dialog = InviteDialog(runner, planned.db, planned.meeting_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.candidates_shown, timeout=WAIT_MS):
        dialog.show()
    return dialog


def names(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in model.rows()]


def test_group_and_organisation_select_people_and_list_letters(
    qtbot: QtBot, runner: TaskRunner, planned: Planned, qtmodeltester: ModelTester
) -> None:
    dialog = open_invite(qtbot, runner, planned)
    assert dialog.candidates.rowCount() == 8  # nothing chosen: everyone
    with qtbot.waitSignal(dialog.candidates_shown, timeout=WAIT_MS):
        dialog.groups.select_names(["Sport"])
        dialog.organisations.select_names(["Gemeinschaftsunterkunft Wehrhahnweg"])
    assert sorted(names(dialog.candidates)) == sorted(
        ["Jürgen Müller", "Peter Adler", "Анна Петрова", "نور الهدى"]
    )
    letters = {row.name: row.letter_reason for row in dialog.letters.rows()}
    assert letters == {
        "Jürgen Müller": LetterReason.CONSENT_WITHDRAWN,
        "نور الهدى": LetterReason.NO_EMAIL,
    }
    qtmodeltester.check(dialog.candidates)
    with qtbot.waitSignal(dialog.invited, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.invite_all, Qt.MouseButton.LeftButton)
    assert len(blocker.args[0].added) == 4
    stored = {row.name: row for row in list_invitees(planned.db, planned.meeting_id)}
    assert set(stored) == {"Jürgen Müller", "Peter Adler", "Анна Петрова", "نور الهدى"}
    assert all(row.state is InvitationState.NOT_SENT for row in stored.values())
    assert not stored["نور الهدى"].mailable
    # The list shows them as invited now.
    qtbot.waitUntil(
        lambda: all(r.invitation_state is not None for r in dialog.candidates.rows()),
        timeout=WAIT_MS,
    )


def test_search_narrows_and_invite_selected_adds_only_those(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = open_invite(qtbot, runner, planned)
    with qtbot.waitSignal(dialog.candidates_shown, timeout=WAIT_MS):
        qtbot.keyClicks(dialog.search, "quartiersburo")  # accents and case ignored
    assert sorted(names(dialog.candidates)) == sorted(
        ["Ayşe Yılmaz", "Zoë Öztürk-Weiß", "Thị Mai Nguyễn"]
    )
    dialog.candidate_view.selectRow(0)
    first = dialog.candidates.row(0)
    with qtbot.waitSignal(dialog.invited, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.invite_selected, Qt.MouseButton.LeftButton)
    assert [row.person_id for row in list_invitees(planned.db, planned.meeting_id)] == [
        first.person_id
    ]


def test_an_organisation_with_an_address_can_be_invited_itself(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    from sqlalchemy import update

    from app.models import Organisation
    from ui.meetings.invite_dialog import organisation_text, reach

    with planned.db.write() as session:
        session.execute(
            update(Organisation)
            .where(Organisation.name == "Gemeinschaftsunterkunft Wehrhahnweg")
            .values(email="leitung@gu-wehrhahnweg.example")
        )
    dialog = open_invite(qtbot, runner, planned)
    assert all(row.organisation_id is None for row in dialog.candidates.rows())  # everyone
    with qtbot.waitSignal(dialog.candidates_shown, timeout=WAIT_MS):
        dialog.organisations.select_names(["Gemeinschaftsunterkunft Wehrhahnweg"])
    own = dialog.candidates.row(0)  # the organisation's own address comes first
    assert own.organisation_id is not None
    assert "1 Organisation über ihre eigene Adresse" in dialog.count.text()
    assert (own.name, own.email) == (
        "Gemeinschaftsunterkunft Wehrhahnweg",
        "leitung@gu-wehrhahnweg.example",
    )
    assert organisation_text(own) == "(die Organisation selbst)"
    assert reach(own) == "E-Mail an die Organisation"
    dialog.candidate_view.selectRow(dialog.candidates.rows().index(own))
    with qtbot.waitSignal(dialog.invited, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.invite_selected, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert (result.added, result.added_organisations) == ((), (own.organisation_id,))
    assert dialog.outcome.text() == (
        "0 Personen eingeladen, 1 Organisation über ihre eigene Adresse eingeladen."
    )
    (stored,) = list_invitees(planned.db, planned.meeting_id)
    assert (stored.person_id, stored.organisation_id) == (None, own.organisation_id)
