"""Organisations invited through their own address (info@…): invited like a person, greeted
"Sehr geehrte Damen und Herren", counted in replies and figures as the organisation."""

from __future__ import annotations

import email
import email.policy
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.cli import main
from app.db import Database
from app.errors import ValidationError
from app.mail.mailings import organiser_calendar, preview_mail, queue_invitations
from app.mail.outbox import list_outbox, send_outbox
from app.mail.transports import EmlTransport
from app.models import (
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Organisation,
    OutboxKind,
)
from app.services.attendance import mark_accepted_present
from app.services.invitations import (
    add_invitees,
    find_candidates,
    list_invitees,
    remove_invitees,
    reply_counts,
    restore_invitations,
    restore_reply,
    select_organisations,
    set_replies,
)
from app.services.meetings import get_meeting
from app.services.reporting import meeting_figures
from app.services.snapshots.signin import SigninOptions, build_signin_snapshot
from tests.core.mail.conftest import Network, make_network

OFFICE = "Quartiersbüro Lehmheide"
OFFICE_MAIL = "info@quartier-lehmheide.example"


@pytest.fixture
def network(db: Database) -> Network:
    network = make_network(db)
    with db.write() as session:
        session.execute(
            update(Organisation).where(Organisation.name == OFFICE).values(email=OFFICE_MAIL)
        )
        session.add(Organisation(name="Förderverein ohne Adresse"))
    return network


def office_id(db: Database) -> int:
    with db.read() as session:
        found = session.scalar(select(Organisation.id).where(Organisation.name == OFFICE))
    assert found is not None
    return found


def test_an_invitation_names_exactly_one_invitee(db: Database, network: Network) -> None:
    for values in ({}, {"person_id": network.id("yilmaz"), "organisation_id": office_id(db)}):
        with pytest.raises(IntegrityError), db.write() as session:
            session.add(Invitation(meeting_id=network.meeting_id, **values))


def test_invite_an_organisation_by_its_own_address(db: Database, network: Network) -> None:
    office = office_id(db)
    result = add_invitees(db, network.meeting_id, [], organisation_ids=[office])
    assert (result.added, result.added_organisations) == ((), (office,))
    again = add_invitees(db, network.meeting_id, [], organisation_ids=[office])
    assert again.already_invited_organisations == (office,)
    rows = list_invitees(db, network.meeting_id)
    own = [row for row in rows if row.organisation_id == office]
    assert len(own) == 1
    assert (own[0].person_id, own[0].name, own[0].email, own[0].mailable) == (
        None,
        OFFICE,
        OFFICE_MAIL,
        True,
    )
    # Its own address comes first among the organisation's people.
    assert [row.organisation for row in rows].index(OFFICE) == rows.index(own[0])
    assert reply_counts(db, network.meeting_id).total == 8  # seven people and the office


def test_an_organisation_without_an_address_is_refused(db: Database, network: Network) -> None:
    with db.read() as session:
        bare = session.scalar(
            select(Organisation.id).where(Organisation.name == "Förderverein ohne Adresse")
        )
    assert bare is not None
    before = reply_counts(db, network.meeting_id).total
    with pytest.raises(ValidationError, match="keine eigene E-Mail-Adresse"):
        add_invitees(
            db, network.meeting_id, [network.id("yilmaz")], organisation_ids=[office_id(db), bare]
        )
    assert reply_counts(db, network.meeting_id).total == before  # nothing added
    with pytest.raises(ValidationError):
        select_organisations(db, ["Förderverein ohne Adresse"])
    assert select_organisations(db, ["quartiersburo lehmheide"]) == (office_id(db),)


def test_candidates_offer_organisations_when_looked_for(db: Database, network: Network) -> None:
    office = office_id(db)
    assert all(row.organisation_id is None for row in find_candidates(db))  # "everyone"
    chosen = find_candidates(db, organisation_ids=[office], meeting_id=network.meeting_id)
    own = [row for row in chosen if row.organisation_id == office]
    assert [(row.name, row.email, row.invitation_state) for row in own] == [
        (OFFICE, OFFICE_MAIL, None)
    ]
    assert len(chosen) == 8  # its seven people and its own address
    found = find_candidates(db, search="info@quartier")
    assert [row.organisation_id for row in found] == [office]
    add_invitees(db, network.meeting_id, [], organisation_ids=[office])
    again = find_candidates(db, organisation_ids=[office], meeting_id=network.meeting_id)
    assert [r.invitation_state for r in again if r.organisation_id] == [InvitationState.NOT_SENT]


def test_replies_undo_and_removal(db: Database, network: Network) -> None:
    office = office_id(db)
    add_invitees(db, network.meeting_id, [], organisation_ids=[office])
    (change,) = set_replies(
        db,
        network.meeting_id,
        [],
        InvitationState.ACCEPTED,
        "kommt zu zweit",
        organisation_ids=[office],
    )
    assert (change.person_id, change.organisation_id) == (None, office)
    counts = reply_counts(db, network.meeting_id)
    assert counts.accepted == 1
    restore_reply(db, network.meeting_id, None, change.previous, organisation_id=office)
    assert reply_counts(db, network.meeting_id).accepted == 0
    removed = remove_invitees(db, network.meeting_id, [], organisation_ids=[office])
    assert [snap.organisation_id for snap in removed] == [office]
    assert all(row.organisation_id is None for row in list_invitees(db, network.meeting_id))
    restore_invitations(db, removed)
    assert any(row.organisation_id == office for row in list_invitees(db, network.meeting_id))


def test_the_mail_greets_the_organisation_and_marks_its_invitation_sent(
    db: Database, network: Network, tmp_path: Path
) -> None:
    office = office_id(db)
    add_invitees(db, network.meeting_id, [], organisation_ids=[office])
    preview = preview_mail(db, network.meeting_id, None, organisation_id=office)
    assert preview.body.startswith("Sehr geehrte Damen und Herren,\n")
    report = queue_invitations(db, network.meeting_id)
    queued = {q.address: q for q in report.queued}
    assert queued[OFFICE_MAIL].organisation_id == office
    assert queued[OFFICE_MAIL].person_id is None
    outbox = {row.recipient: row for row in list_outbox(db)}
    assert outbox[OFFICE_MAIL].recipient_name == OFFICE
    assert send_outbox(db, EmlTransport(tmp_path)).ok
    drafts = {}
    for path in tmp_path.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        drafts[message["To"].addresses[0].addr_spec] = message
    mail = drafts[OFFICE_MAIL]
    body = mail.get_body(("plain",))
    assert body is not None
    assert body.get_content().startswith("Sehr geehrte Damen und Herren,")
    (ics,) = [p for p in mail.iter_attachments() if str(p.get_filename()).endswith(".ics")]
    attendee = Calendar.from_ical(ics.get_content()).events[0]["ATTENDEE"]
    assert str(attendee) == f"mailto:{OFFICE_MAIL}"
    assert attendee.params["CUTYPE"] == "GROUP"
    (own,) = [row for row in list_invitees(db, network.meeting_id) if row.organisation_id]
    assert (own.state, own.sent_sequence) == (InvitationState.SENT, 0)
    again = queue_invitations(db, network.meeting_id)
    assert OFFICE_MAIL not in {q.address for q in again.queued}
    reminders = queue_invitations(db, network.meeting_id, kind=OutboxKind.REMINDER)
    assert OFFICE_MAIL in {q.address for q in reminders.queued}
    organiser = Calendar.from_ical(organiser_calendar(db, network.meeting_id)).events[0]
    kinds = {str(a): a.params["CUTYPE"] for a in organiser["ATTENDEE"]}
    assert kinds[f"mailto:{OFFICE_MAIL}"] == "GROUP"
    assert kinds["mailto:a.yilmaz@quartier-lehmheide.example"] == "INDIVIDUAL"


def test_figures_count_the_organisation_not_a_person(db: Database, network: Network) -> None:
    office = office_id(db)
    add_invitees(db, network.meeting_id, [], organisation_ids=[office])
    set_replies(db, network.meeting_id, [], InvitationState.ACCEPTED, organisation_ids=[office])
    set_replies(db, network.meeting_id, [network.id("yilmaz")], InvitationState.ACCEPTED)
    with db.write() as session:
        session.execute(
            update(Meeting).where(Meeting.id == network.meeting_id).values(state=MeetingState.HELD)
        )
    before = meeting_figures(db, network.meeting_id)
    assert (before.invited, before.invited_organisations) == (8, 1)
    assert (before.accepted, before.accepted_organisations) == (2, 1)
    assert before.not_recorded == 7  # the seven people; the office is no person to record
    marked = mark_accepted_present(db, network.meeting_id)
    assert len(marked) == 7  # every person; nobody is made up for the office
    assert all(change.person_id is not None for change in marked)
    after = meeting_figures(db, network.meeting_id)
    assert (after.present, after.not_recorded) == (1, 0)


def test_sign_in_sheet_has_a_row_to_write_in_for_the_organisation(
    db: Database, network: Network
) -> None:
    add_invitees(db, network.meeting_id, [], organisation_ids=[office_id(db)])
    snapshot = build_signin_snapshot(db, network.meeting_id, SigninOptions(blank_rows=0))
    own = [row for row in snapshot.invitee_rows if row.person_id is None]
    assert [(row.name, row.organisation) for row in own] == [("", OFFICE)]


def test_cli_invites_the_organisation_or_its_people(
    db: Database, db_arg: str, network: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = str(network.meeting_id)
    remove_invitees(db, network.meeting_id, list(network.people.values()))
    code = main(["--db", db_arg, "meetings", "invite", meeting, "--organisation", OFFICE])
    assert code == 0
    assert capsys.readouterr().out.startswith("7 Personen eingeladen.")
    assert all(row.organisation_id is None for row in list_invitees(db, network.meeting_id))
    code = main(["--db", db_arg, "meetings", "invite", meeting, "--organisation-address", OFFICE])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("1 Organisation über ihre eigene Adresse eingeladen.")
    assert main(["--db", db_arg, "meetings", "show", meeting, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    own = [row for row in shown["invitations"] if row["organisation_id"] is not None]
    assert [(row["person_id"], row["name"], row["email"]) for row in own] == [
        (None, OFFICE, OFFICE_MAIL)
    ]
    code = main(
        [
            "--db",
            db_arg,
            "meetings",
            "invite",
            meeting,
            "--organisation-address",
            "Förderverein ohne Adresse",
        ]
    )
    assert code == 1
    assert "keine eigene E-Mail-Adresse" in capsys.readouterr().err
    assert get_meeting(db, network.meeting_id).invitations[0].organisation_id is not None
