"""Who gets which mail: invitations, updates, cancellations, reminders, minutes."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select, update

from app.db import Database
from app.mail.compose import Attachment
from app.mail.errors import MailError, MailNotConfiguredError
from app.mail.mailings import (
    MailRecipient,
    SkipReason,
    organiser_calendar,
    parse_address_list,
    queue_invitations,
    queue_minutes,
)
from app.mail.outbox import list_outbox, send_outbox
from app.mail.transports import SmtpTransport
from app.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Minutes,
    OutboxKind,
    Person,
    PersonEmail,
    Setting,
)
from app.services.meetings import MeetingDetail


def change_meeting(db: Database, meeting_id: int, **values: Any) -> None:
    """What the meeting editor does on a change partners must learn of."""
    with db.write() as session:
        session.execute(
            update(Meeting)
            .where(Meeting.id == meeting_id)
            .values(ics_sequence=Meeting.ics_sequence + 1, **values)
        )


def set_invitation(db: Database, meeting_id: int, person_id: int, state: InvitationState) -> None:
    with db.write() as session:
        session.execute(
            update(Invitation)
            .where(Invitation.meeting_id == meeting_id, Invitation.person_id == person_id)
            .values(state=state)
        )


def received(server: Any) -> dict[str, EmailMessage]:
    return {
        m.rcpt_tos[0]: email.message_from_bytes(m.content, policy=email.policy.default)  # type: ignore[misc]
        for m in server.handler.messages
    }


def ics_of(message: EmailMessage) -> Calendar:
    [part] = [p for p in message.iter_attachments() if str(p.get_filename()).endswith(".ics")]
    return Calendar.from_ical(part.get_content())


def test_skipped_people_are_listed_for_a_letter(db: Database, network: Any) -> None:
    report = queue_invitations(db, network.meeting_id)
    assert {q.person_id for q in report.queued} == {
        network.id(k) for k in ("yilmaz", "mueller", "oeztuerk", "connolly")
    }
    reasons = {s.person_id: s.reason for s in report.skipped}
    assert reasons == {
        network.id("nomail"): SkipReason.NO_EMAIL,
        network.id("withdrawn"): SkipReason.CONSENT_WITHDRAWN,
        network.id("invalid"): SkipReason.INVALID_ADDRESS,
    }
    assert {s.person_id for s in report.for_letter} == set(reasons)
    assert all(s.reason_text for s in report.skipped)
    assert {q.kind for q in report.queued} == {OutboxKind.INVITATION}


def test_attachment_factory_gets_the_meeting_and_the_recipient(db: Database, network: Any) -> None:
    seen: list[tuple[int, str, str]] = []

    def factory(meeting: MeetingDetail, recipient: MailRecipient) -> Sequence[Attachment]:
        seen.append((meeting.id, recipient.address, recipient.language))
        return [Attachment("Einladung.pdf", "application/pdf", b"%PDF")]

    queue_invitations(db, network.meeting_id, attachments_for=factory)
    assert ("sarah.connolly@funder.example", "en") in {(a, lang) for _m, a, lang in seen}
    assert {m for m, _a, _l in seen} == {network.meeting_id}
    assert {row.attachment_names for row in list_outbox(db)} == {
        ("Einladung.pdf", "einladung.ics"),
        ("Einladung.pdf", "invitation.ics"),  # Sarah Connolly reads English
    }


def test_only_chosen_invitees(db: Database, network: Any) -> None:
    with db.write() as session:
        stranger = Person(last_name="Fremd")
        session.add(stranger)
        session.flush()
        stranger_id = stranger.id
    report = queue_invitations(
        db, network.meeting_id, person_ids=[network.id("yilmaz"), stranger_id]
    )
    assert [q.person_id for q in report.queued] == [network.id("yilmaz")]
    assert [(s.person_id, s.reason) for s in report.skipped] == [
        (stranger_id, SkipReason.NOT_INVITED)
    ]
    # The others are still to be invited later.
    assert len(queue_invitations(db, network.meeting_id).queued) == 3


def test_changed_meeting_sends_updates_and_new_invitations(
    db: Database, network: Any, smtp_server: Any
) -> None:
    queue_invitations(db, network.meeting_id)
    send_outbox(db, SmtpTransport(smtp_server.settings()))
    set_invitation(db, network.meeting_id, network.id("mueller"), InvitationState.ACCEPTED)
    change_meeting(db, network.meeting_id, title="Auftakt (neuer Raum)")
    with db.write() as session:
        newcomer = Person(last_name="Neu", first_name="Nina", salutation="frau")
        newcomer.emails.append(PersonEmail(address="nina@neu.example", is_preferred=True))
        session.add(newcomer)
        session.flush()
        session.add(Invitation(meeting_id=network.meeting_id, person_id=newcomer.id))
    smtp_server.handler.messages.clear()

    report = queue_invitations(db, network.meeting_id)
    kinds = {q.address: q.kind for q in report.queued}
    assert kinds["nina@neu.example"] is OutboxKind.INVITATION
    assert kinds["a.yilmaz@quartier-lehmheide.example"] is OutboxKind.UPDATE
    assert len(kinds) == 5
    send_outbox(db, SmtpTransport(smtp_server.settings()))
    messages = received(smtp_server)
    update_mail = messages["a.yilmaz@quartier-lehmheide.example"]
    assert update_mail["Subject"].startswith("Geändert: Auftakt (neuer Raum)")
    event = ics_of(update_mail).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert messages["nina@neu.example"]["Subject"].startswith("Einladung:")
    with db.read() as session:
        rows = {
            i.person_id: (i.state, i.sent_sequence) for i in session.scalars(select(Invitation))
        }
    assert rows[network.id("mueller")] == (InvitationState.ACCEPTED, 1)  # the reply stays
    assert rows[network.id("yilmaz")] == (InvitationState.SENT, 1)
    assert queue_invitations(db, network.meeting_id).queued == ()


def test_cancellation_goes_to_those_mailed_before(
    db: Database, network: Any, smtp_server: Any
) -> None:
    with pytest.raises(MailError):
        queue_invitations(db, network.meeting_id, kind=OutboxKind.CANCELLATION)
    queue_invitations(
        db, network.meeting_id, person_ids=[network.id("yilmaz"), network.id("connolly")]
    )
    send_outbox(db, SmtpTransport(smtp_server.settings()))
    change_meeting(db, network.meeting_id, state=MeetingState.CANCELLED)
    with pytest.raises(MailError):
        queue_invitations(db, network.meeting_id)
    smtp_server.handler.messages.clear()

    report = queue_invitations(db, network.meeting_id, kind=OutboxKind.CANCELLATION)
    assert {q.address for q in report.queued} == {
        "a.yilmaz@quartier-lehmheide.example",
        "sarah.connolly@funder.example",
    }
    assert {s.reason for s in report.skipped if s.person_id == network.id("oeztuerk")} == {
        SkipReason.NOT_MAILED
    }
    send_outbox(db, SmtpTransport(smtp_server.settings()))
    messages = received(smtp_server)
    calendar = ics_of(messages["sarah.connolly@funder.example"])
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert messages["sarah.connolly@funder.example"]["Subject"].startswith("Cancelled:")
    assert queue_invitations(db, network.meeting_id, kind=OutboxKind.CANCELLATION).queued == ()


def test_reminders_only_to_those_who_have_not_answered(
    db: Database, network: Any, smtp_server: Any
) -> None:
    queue_invitations(
        db,
        network.meeting_id,
        person_ids=[network.id("yilmaz"), network.id("mueller"), network.id("connolly")],
    )
    send_outbox(db, SmtpTransport(smtp_server.settings()))
    set_invitation(db, network.meeting_id, network.id("mueller"), InvitationState.DECLINED)
    report = queue_invitations(db, network.meeting_id, kind=OutboxKind.REMINDER)
    assert {q.person_id for q in report.queued} == {network.id("yilmaz"), network.id("connolly")}
    reasons = {s.person_id: s.reason for s in report.skipped}
    assert reasons[network.id("mueller")] is SkipReason.ANSWERED
    assert reasons[network.id("oeztuerk")] is SkipReason.NOT_MAILED
    assert queue_invitations(db, network.meeting_id, kind=OutboxKind.REMINDER).queued == ()
    smtp_server.handler.messages.clear()
    send_outbox(db, SmtpTransport(smtp_server.settings()))
    reminder = received(smtp_server)["a.yilmaz@quartier-lehmheide.example"]
    assert reminder["Subject"].startswith("Erinnerung:")
    with db.read() as session:
        states = {i.person_id: i.state for i in session.scalars(select(Invitation))}
    assert states[network.id("yilmaz")] is InvitationState.SENT


def test_minutes_to_attendees_each_address_once(
    db: Database, network: Any, smtp_server: Any
) -> None:
    with db.write() as session:
        for key, status in (
            ("yilmaz", AttendanceStatus.PRESENT),
            ("mueller", AttendanceStatus.EXCUSED),
            ("oeztuerk", AttendanceStatus.ABSENT),
            ("withdrawn", AttendanceStatus.PRESENT),
        ):
            session.add(
                Attendance(meeting_id=network.meeting_id, person_id=network.id(key), status=status)
            )
        session.add(
            Attendance(
                meeting_id=network.meeting_id,
                guest_name="Gast Gustav",
                guest_email="gustav@gast.example",
                status=AttendanceStatus.PRESENT,
            )
        )
        session.add(
            Minutes(
                meeting_id=network.meeting_id,
                revision=1,
                informed_only="Förderverein <foerder@verein.example>\n"
                "a.yilmaz@quartier-lehmheide.example; kaputt@@x",
            )
        )
    report = queue_minutes(
        db,
        network.meeting_id,
        extra_person_ids=[network.id("connolly"), network.id("yilmaz")],
        attachments_for=lambda m, r: [Attachment("Protokoll.pdf", "application/pdf", b"%PDF-min")],
    )
    assert sorted(q.address for q in report.queued) == [
        "a.yilmaz@quartier-lehmheide.example",
        "foerder@verein.example",
        "gustav@gast.example",
        "jens.mueller@sport-im-park.example",
        "sarah.connolly@funder.example",
    ]
    reasons = sorted((s.name or s.address or "", s.reason) for s in report.skipped)
    assert ("Petra Widerruf", SkipReason.CONSENT_WITHDRAWN) in reasons
    assert ("kaputt@@x", SkipReason.INVALID_ADDRESS) in reasons
    assert any(r is SkipReason.DUPLICATE for _n, r in reasons)
    assert {q.kind for q in report.queued} == {OutboxKind.MINUTES}

    send_outbox(db, SmtpTransport(smtp_server.settings()))
    messages = received(smtp_server)
    assert len(messages) == 5
    assert len(smtp_server.handler.messages) == 5
    guest = messages["gustav@gast.example"]
    assert guest.get_body(("plain",)).get_content().startswith("Guten Tag Gast Gustav,")  # type: ignore[union-attr]
    assert [p.get_filename() for p in guest.iter_attachments()] == ["Protokoll.pdf"]
    assert messages["sarah.connolly@funder.example"]["Subject"].startswith("Minutes:")

    # Once per revision: again nothing, after a correction (revision 2) everyone again.
    assert (
        queue_minutes(db, network.meeting_id, extra_person_ids=[network.id("connolly")]).queued
        == ()
    )
    with db.write() as session:
        session.execute(update(Minutes).values(revision=2))
    assert (
        len(queue_minutes(db, network.meeting_id, extra_person_ids=[network.id("connolly")]).queued)
        == 5
    )


def test_explicit_informed_only_list(db: Database, network: Any) -> None:
    report = queue_minutes(
        db, network.meeting_id, informed_only=["Amt <amt@stadt.example>", "amt@stadt.example"]
    )
    assert [q.address for q in report.queued] == ["amt@stadt.example"]
    assert [s.reason for s in report.skipped] == [SkipReason.DUPLICATE]


def test_parse_address_list() -> None:
    assert parse_address_list("Müller, Anna <anna@x.example>\n b@y.example ; ") == [
        ("Müller, Anna", "anna@x.example"),
        ("", "b@y.example"),
    ]


def test_organiser_calendar_lists_every_invitee_with_an_address(db: Database, network: Any) -> None:
    calendar = Calendar.from_ical(organiser_calendar(db, network.meeting_id))
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert sorted(str(a) for a in event["ATTENDEE"]) == sorted(
        f"mailto:{a}"
        for a in (
            "a.yilmaz@quartier-lehmheide.example",
            "jens.mueller@sport-im-park.example",
            "renee@vielfeld.example",
            "sarah.connolly@funder.example",
            "petra@widerruf.example",
        )
    )
    with db.read() as session:
        uid = session.get(Meeting, network.meeting_id).uid  # type: ignore[union-attr]
    assert str(event["UID"]) == uid
    assert "TOP 1  15:00  Begrüßung – Anna Schmidt" in str(event["DESCRIPTION"])


def test_sender_falls_back_to_the_organiser(db: Database, network: Any) -> None:
    with db.write() as session:
        session.execute(update(Setting).where(Setting.key == "smtp").values(value_json="{}"))
    with pytest.raises(MailNotConfiguredError):
        queue_invitations(db, network.meeting_id)
    with db.write() as session:
        session.execute(
            update(Meeting)
            .where(Meeting.id == network.meeting_id)
            .values(organiser_id=network.id("oeztuerk"))
        )
    report = queue_invitations(db, network.meeting_id)
    assert len(report.queued) == 4
    assert all(row.message_id.endswith("@vielfeld.example>") for row in list_outbox(db))


def test_preview_for_the_template_editor(db: Database, network: Any) -> None:
    from app.mail.mailings import preview_mail
    from app.mail.templates import MailTemplate

    preview = preview_mail(db, network.meeting_id, network.id("connolly"))
    assert preview.language == "en"
    assert preview.subject.startswith("Invitation: Auftakt-Netzwerktreffen")
    assert preview.body.startswith("Dear Ms Connolly,")
    edited = preview_mail(
        db,
        network.meeting_id,
        network.id("mueller"),
        template=MailTemplate("Hallo {name}", "{salutation}\n"),
    )
    assert (edited.subject, edited.body) == (
        "Hallo Dr. Jens Müller",
        "Sehr geehrter Herr Dr. Müller,\n",
    )
    assert list_outbox(db) == []
