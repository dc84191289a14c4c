"""Mailings: turn a meeting's invitees (or its attendees) into queued personal messages.

Who gets what:

- ``queue_invitations`` with INVITATION or UPDATE sends each invitee the current version of the
  meeting (``Meeting.ics_sequence``): an INVITATION to someone never mailed, an UPDATE to someone
  who got an older version; invitees already mailed this version (``Invitation.sent_sequence``)
  or with a message for it in the outbox (queued, sending, sent or failed: "retry failed" is the
  way to send a failed one again) are skipped. A cancelled meeting refuses both.
- CANCELLATION (meeting must be cancelled) goes to invitees who were mailed before.
- REMINDER goes to invitees in state SENT, i.e. mailed but not answered; one per version.
- ``queue_minutes`` sends the minutes to attendees present and excused (plus guests with an
  address, extra people and "informed only" addresses), each address at most once, once per
  minutes revision (stored in ``meeting_sequence`` for MINUTES rows).

People without e-mail, with withdrawn e-mail consent or with an invalid address are reported
separately (``QueueReport.for_letter``). Invitation-type mails carry an ``invite.ics`` that names
only their recipient. Attachments from ``attachments_for`` (e.g. the invitation PDF) are made
outside the write transaction; queueing itself is one transaction.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.calendar import CalendarMeeting, CalendarMethod, CalendarPerson, meeting_calendar
from app.db import Database
from app.i18n import N_, _
from app.mail.addresses import normalise_address, single_line
from app.mail.compose import Attachment, Sender, new_message_id
from app.mail.errors import InvalidAddressError, MailError
from app.mail.language import mail_language
from app.mail.outbox import OutgoingMessage, add_messages, read_sender
from app.mail.templates import (
    Addressee,
    MailTemplate,
    compose_text,
    read_template,
    template_values,
)
from app.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationState,
    MeetingState,
    Minutes,
    OutboxKind,
    OutboxMessage,
    Person,
    Salutation,
)
from app.services.consent import may_receive_email
from app.services.directory import person_name
from app.services.meetings import MeetingDetail, get_meeting

ICS_FILENAME = "invite.ics"


class SkipReason(enum.StrEnum):
    NO_EMAIL = "no_email"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    ARCHIVED = "archived"
    INVALID_ADDRESS = "invalid_address"
    ALREADY_MAILED = "already_mailed"
    NOT_INVITED = "not_invited"
    NOT_MAILED = "not_mailed"
    ANSWERED = "answered"
    DUPLICATE = "duplicate"


SKIP_REASON_LABELS = {
    SkipReason.NO_EMAIL: N_("no e-mail address"),
    SkipReason.CONSENT_WITHDRAWN: N_("e-mail consent withdrawn"),
    SkipReason.ARCHIVED: N_("archived"),
    SkipReason.INVALID_ADDRESS: N_("invalid e-mail address"),
    SkipReason.ALREADY_MAILED: N_("already mailed or queued for this version"),
    SkipReason.NOT_INVITED: N_("not invited"),
    SkipReason.NOT_MAILED: N_("never mailed an invitation"),
    SkipReason.ANSWERED: N_("has already answered"),
    SkipReason.DUPLICATE: N_("already a recipient"),
}
# Reasons that call for a printed letter instead.
LETTER_REASONS = frozenset(
    {
        SkipReason.NO_EMAIL,
        SkipReason.CONSENT_WITHDRAWN,
        SkipReason.ARCHIVED,
        SkipReason.INVALID_ADDRESS,
    }
)
_INVITE_FAMILY = (OutboxKind.INVITATION, OutboxKind.UPDATE)


@dataclass(frozen=True, slots=True)
class MailRecipient:
    """One recipient as the attachment factory sees it."""

    person_id: int | None
    name: str
    address: str
    language: str
    addressee: Addressee


# (meeting, recipient) → the attachments of that recipient's mail, e.g. the invitation PDF.
AttachmentsFor = Callable[[MeetingDetail, MailRecipient], Sequence[Attachment]]


@dataclass(frozen=True, slots=True)
class QueuedRecipient:
    outbox_id: int
    person_id: int | None
    name: str
    address: str
    kind: OutboxKind


@dataclass(frozen=True, slots=True)
class SkippedRecipient:
    person_id: int | None
    name: str
    address: str | None
    reason: SkipReason

    @property
    def reason_text(self) -> str:
        return _(SKIP_REASON_LABELS[self.reason])


@dataclass(frozen=True, slots=True)
class QueueReport:
    meeting_id: int
    kind: OutboxKind
    queued: tuple[QueuedRecipient, ...]
    skipped: tuple[SkippedRecipient, ...]

    @property
    def for_letter(self) -> tuple[SkippedRecipient, ...]:
        """People to reach by letter: no address, consent withdrawn, archived, invalid address."""
        return tuple(s for s in self.skipped if s.reason in LETTER_REASONS)

    @property
    def outbox_ids(self) -> tuple[int, ...]:
        return tuple(q.outbox_id for q in self.queued)


@dataclass(frozen=True, slots=True)
class _Candidate:
    recipient: MailRecipient
    kind: OutboxKind


def _addressee(person: Person) -> Addressee:
    return Addressee(
        salutation=person.salutation,
        title=person.title,
        first_name=person.first_name,
        last_name=person.last_name,
        organisation=person.organisation.name if person.organisation else "",
        language=mail_language(person.preferred_language),
    )


def _check_person(person: Person) -> tuple[str | None, SkipReason | None]:
    """(valid address, None) or (address or None, why not)."""
    if person.archived:
        return person.preferred_email, SkipReason.ARCHIVED
    if not person.emails:
        return None, SkipReason.NO_EMAIL
    if not may_receive_email(person):
        return person.preferred_email, SkipReason.CONSENT_WITHDRAWN
    try:
        return normalise_address(person.preferred_email), None
    except InvalidAddressError:
        return person.preferred_email, SkipReason.INVALID_ADDRESS


def _people_options() -> list[Any]:
    return [
        selectinload(Person.emails),
        selectinload(Person.consents),
        selectinload(Person.organisation),
    ]


def _calendar_meeting(detail: MeetingDetail, sender: Sender) -> CalendarMeeting:
    return CalendarMeeting.from_detail(
        detail, CalendarPerson(sender.name or sender.address, sender.address)
    )


def _compose(
    session: Session,
    detail: MeetingDetail,
    calendar: CalendarMeeting | None,
    sender: Sender,
    candidates: Sequence[_Candidate],
    attachments_for: AttachmentsFor | None,
    sequence: int,
    templates: dict[tuple[str, OutboxKind], MailTemplate],
) -> list[tuple[_Candidate, OutgoingMessage]]:
    out = []
    for candidate in candidates:
        recipient = candidate.recipient
        language = recipient.language
        key = (language, candidate.kind)
        if key not in templates:
            templates[key] = read_template(session, language, candidate.kind)
        template = templates[key]
        meeting_for_text = calendar or _calendar_meeting(detail, sender)
        values = template_values(
            meeting_for_text, recipient.addressee, language, sender.name or sender.address
        )
        subject, body = compose_text(template, values)
        files = list(attachments_for(detail, recipient)) if attachments_for else []
        if calendar is not None:
            method = (
                CalendarMethod.CANCEL
                if candidate.kind is OutboxKind.CANCELLATION
                else CalendarMethod.REQUEST
            )
            ics = meeting_calendar(
                calendar,
                method=method,
                attendees=[CalendarPerson(recipient.name, recipient.address)],
                language=language,
            )
            files.append(Attachment(ICS_FILENAME, f"text/calendar; method={method.value}", ics))
        out.append(
            (
                candidate,
                OutgoingMessage(
                    kind=candidate.kind,
                    recipient=recipient.address,
                    subject=subject,
                    body=body,
                    attachments=tuple(files),
                    meeting_id=detail.id,
                    person_id=recipient.person_id,
                    meeting_sequence=sequence,
                    message_id=new_message_id(sender.address),
                ),
            )
        )
    return out


def _existing(
    session: Session, meeting_id: int, kinds: Iterable[OutboxKind], sequence: int
) -> tuple[set[int], set[str]]:
    """Person ids and addresses that already have a message of *kinds* for *sequence*."""
    rows = session.execute(
        select(OutboxMessage.person_id, OutboxMessage.recipient).where(
            OutboxMessage.meeting_id == meeting_id,
            OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.meeting_sequence == sequence,
        )
    ).all()
    return {p for p, _r in rows if p is not None}, {r.casefold() for _p, r in rows}


def _store(
    db: Database,
    meeting_id: int,
    composed: Sequence[tuple[_Candidate, OutgoingMessage]],
    family: Iterable[OutboxKind],
    sequence: int,
    skipped: list[SkippedRecipient],
    *,
    check_invitations: bool,
    check_addresses: bool,
) -> list[QueuedRecipient]:
    """One transaction: re-check what is already mailed or queued, insert the rest."""
    queued: list[QueuedRecipient] = []
    with db.write() as session:
        people, addresses = _existing(session, meeting_id, family, sequence)
        mailed: set[int] = set()
        if check_invitations:
            mailed = set(
                session.scalars(
                    select(Invitation.person_id).where(
                        Invitation.meeting_id == meeting_id,
                        Invitation.sent_sequence == sequence,
                    )
                ).all()
            )
        fresh = []
        for candidate, message in composed:
            r = candidate.recipient
            by_person = r.person_id is not None and (r.person_id in people or r.person_id in mailed)
            by_address = (check_addresses or r.person_id is None) and (
                r.address.casefold() in addresses
            )
            if by_person or by_address:
                skipped.append(
                    SkippedRecipient(r.person_id, r.name, r.address, SkipReason.ALREADY_MAILED)
                )
                continue
            fresh.append((candidate, message))
        ids = add_messages(session, [m for _c, m in fresh])
        for (candidate, message), outbox_id in zip(fresh, ids, strict=True):
            r = candidate.recipient
            queued.append(QueuedRecipient(outbox_id, r.person_id, r.name, r.address, message.kind))
    return queued


# -- invitations, updates, cancellations, reminders ------------------------------------------


def queue_invitations(
    db: Database,
    meeting_id: int,
    *,
    kind: OutboxKind = OutboxKind.INVITATION,
    person_ids: Collection[int] | None = None,
    attachments_for: AttachmentsFor | None = None,
) -> QueueReport:
    """Queue one personal mail per invitee (see the module docstring for who gets what)."""
    kind = OutboxKind(kind)
    if kind is OutboxKind.MINUTES:
        raise ValueError("use queue_minutes for minutes")
    detail = get_meeting(db, meeting_id)
    cancelled = detail.state is MeetingState.CANCELLED
    if kind is OutboxKind.CANCELLATION and not cancelled:
        raise MailError(_("The meeting is not cancelled, so no cancellation can be sent."))
    if kind is not OutboxKind.CANCELLATION and cancelled:
        raise MailError(_("The meeting is cancelled: send a cancellation instead."))
    sequence = detail.sequence
    skipped: list[SkippedRecipient] = []
    candidates: list[_Candidate] = []
    with db.read() as session:
        sender = read_sender(session, meeting_id)
        invitations = session.scalars(
            select(Invitation)
            .where(Invitation.meeting_id == meeting_id)
            .options(selectinload(Invitation.person).options(*_people_options()))
            .order_by(Invitation.id)
        ).all()
        invited = {inv.person_id for inv in invitations}
        if person_ids is not None:
            for missing in sorted(set(person_ids) - invited):
                person = session.get(Person, missing)
                skipped.append(
                    SkippedRecipient(
                        missing, person_name(person) if person else "", None, SkipReason.NOT_INVITED
                    )
                )
        for invitation in invitations:
            person = invitation.person
            if person_ids is not None and person.id not in person_ids:
                continue
            address, reason = _check_person(person)
            if reason is None:
                reason = _reason_for_kind(kind, invitation, sequence)
            if reason is not None:
                skipped.append(SkippedRecipient(person.id, person_name(person), address, reason))
                continue
            assert address is not None
            effective = kind
            if kind in _INVITE_FAMILY:
                never = invitation.sent_sequence is None
                effective = OutboxKind.INVITATION if never else OutboxKind.UPDATE
            addressee = _addressee(person)
            candidates.append(
                _Candidate(
                    MailRecipient(
                        person.id, person_name(person), address, addressee.language, addressee
                    ),
                    effective,
                )
            )
        calendar = _calendar_meeting(detail, sender)
        composed = _compose(
            session, detail, calendar, sender, candidates, attachments_for, sequence, {}
        )
    family = _INVITE_FAMILY if kind in _INVITE_FAMILY else (kind,)
    queued = _store(
        db,
        meeting_id,
        composed,
        family,
        sequence,
        skipped,
        check_invitations=kind in _INVITE_FAMILY,
        check_addresses=False,
    )
    return QueueReport(meeting_id, kind, tuple(queued), tuple(skipped))


def _reason_for_kind(kind: OutboxKind, invitation: Invitation, sequence: int) -> SkipReason | None:
    if kind in _INVITE_FAMILY:
        return SkipReason.ALREADY_MAILED if invitation.sent_sequence == sequence else None
    if kind is OutboxKind.CANCELLATION:
        return SkipReason.NOT_MAILED if invitation.sent_sequence is None else None
    # REMINDER: only mailed and not answered.
    if invitation.state is InvitationState.NOT_SENT:
        return SkipReason.NOT_MAILED
    if invitation.state is not InvitationState.SENT:
        return SkipReason.ANSWERED
    return None


@dataclass(frozen=True, slots=True)
class MailPreview:
    language: str
    subject: str
    body: str


def preview_mail(
    db: Database,
    meeting_id: int,
    person_id: int,
    kind: OutboxKind = OutboxKind.INVITATION,
    *,
    template: MailTemplate | None = None,
) -> MailPreview:
    """Subject and body *person_id* would get, e.g. for the template editor; with *template*
    an unsaved edit is shown instead of the stored template. Queues nothing."""
    detail = get_meeting(db, meeting_id)
    with db.read() as session:
        person = session.get(Person, person_id, options=_people_options())
        if person is None:
            raise MailError(_("There is no person with the number {id}.").format(id=person_id))
        try:
            sender = read_sender(session, meeting_id)
        except MailError:
            sender = Sender(name="", address="sender@invalid.example")
        addressee = _addressee(person)
        language = addressee.language
        chosen = template or read_template(session, language, OutboxKind(kind))
    values = template_values(
        _calendar_meeting(detail, sender), addressee, language, sender.name or sender.address
    )
    subject, body = compose_text(chosen, values)
    return MailPreview(language, subject, body)


def organiser_calendar(db: Database, meeting_id: int) -> bytes:
    """The organiser's .ics: every invitee with a valid address as ATTENDEE."""
    detail = get_meeting(db, meeting_id)
    with db.read() as session:
        sender = read_sender(session, meeting_id)
    attendees = []
    for row in detail.invitations:
        try:
            attendees.append(CalendarPerson(row.name, normalise_address(row.email)))
        except InvalidAddressError:
            continue
    method = (
        CalendarMethod.CANCEL if detail.state is MeetingState.CANCELLED else CalendarMethod.REQUEST
    )
    return meeting_calendar(_calendar_meeting(detail, sender), method=method, attendees=attendees)


# -- minutes ---------------------------------------------------------------------------------


_NAMED_ADDRESS = re.compile(r"^(?P<name>.*?)<(?P<address>[^<>]*)>\s*$")


def parse_address_list(text: str) -> list[tuple[str, str]]:
    """Entries separated by new lines or semicolons → (name, raw address) pairs.

    An entry is "Name <a@b.de>" (the name may contain commas) or plain addresses separated by
    commas or blanks. Nothing is validated here: invalid ones are reported by the caller.
    """
    entries: list[tuple[str, str]] = []
    for chunk in text.replace(";", "\n").splitlines():
        chunk = chunk.strip()
        if not chunk:
            continue
        named = _NAMED_ADDRESS.match(chunk)
        if named:
            name = single_line(named["name"]).strip(' "')
            entries.append((name, named["address"].strip()))
            continue
        entries.extend(("", token) for token in re.split(r"[,\s]+", chunk) if token)
    return entries


def queue_minutes(
    db: Database,
    meeting_id: int,
    *,
    extra_person_ids: Collection[int] = (),
    informed_only: Iterable[str] | None = None,
    statuses: Collection[AttendanceStatus] = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED),
    include_guests: bool = True,
    attachments_for: AttachmentsFor | None = None,
) -> QueueReport:
    """Queue the minutes mail: attendees (present and excused by default), guests with an
    address, *extra_person_ids*, and *informed_only* addresses ("Name <a@b.de>" or "a@b.de";
    ``None`` reads the minutes' own "informed only" list). Each address at most once."""
    detail = get_meeting(db, meeting_id)
    skipped: list[SkippedRecipient] = []
    candidates: list[_Candidate] = []
    seen_people: set[int] = set()
    seen_addresses: set[str] = set()

    def consider(recipient: MailRecipient) -> None:
        key = recipient.address.casefold()
        if key in seen_addresses or (
            recipient.person_id is not None and recipient.person_id in seen_people
        ):
            skipped.append(
                SkippedRecipient(
                    recipient.person_id, recipient.name, recipient.address, SkipReason.DUPLICATE
                )
            )
            return
        seen_addresses.add(key)
        if recipient.person_id is not None:
            seen_people.add(recipient.person_id)
        candidates.append(_Candidate(recipient, OutboxKind.MINUTES))

    def consider_person(person: Person) -> None:
        if person.id in seen_people:
            return
        address, reason = _check_person(person)
        if reason is not None:
            seen_people.add(person.id)
            skipped.append(SkippedRecipient(person.id, person_name(person), address, reason))
            return
        assert address is not None
        addressee = _addressee(person)
        consider(
            MailRecipient(person.id, person_name(person), address, addressee.language, addressee)
        )

    def consider_address(name: str, raw: str) -> None:
        try:
            address = normalise_address(raw)
        except InvalidAddressError:
            skipped.append(SkippedRecipient(None, name, raw, SkipReason.INVALID_ADDRESS))
            return
        addressee = Addressee(Salutation.NONE, "", "", name, "", "de")
        consider(MailRecipient(None, name, address, "de", addressee))

    with db.read() as session:
        sender = read_sender(session, meeting_id)
        minutes = session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()
        revision = minutes.revision if minutes is not None else 0
        wanted = {AttendanceStatus(s) for s in statuses}
        attendances = session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting_id)
            .options(selectinload(Attendance.person).options(*_people_options()))
            .order_by(Attendance.id)
        ).all()
        for attendance in attendances:
            if attendance.status not in wanted or attendance.anonymised:
                continue
            if attendance.person is not None:
                consider_person(attendance.person)
            elif include_guests and attendance.guest_email.strip():
                consider_address(single_line(attendance.guest_name), attendance.guest_email)
        if extra_person_ids:
            extra = session.scalars(
                select(Person)
                .where(Person.id.in_(list(extra_person_ids)))
                .options(*_people_options())
                .order_by(Person.name_key)
            ).all()
            for person in extra:
                consider_person(person)
        if informed_only is None:
            entries = parse_address_list(minutes.informed_only) if minutes is not None else []
        else:
            entries = []
            for item in informed_only:
                entries.extend(parse_address_list(item) or [("", item)])
        for name, raw in entries:
            consider_address(name, raw)
        composed = _compose(
            session, detail, None, sender, candidates, attachments_for, revision, {}
        )
    queued = _store(
        db,
        meeting_id,
        composed,
        (OutboxKind.MINUTES,),
        revision,
        skipped,
        check_invitations=False,
        check_addresses=True,
    )
    return QueueReport(meeting_id, OutboxKind.MINUTES, tuple(queued), tuple(skipped))
