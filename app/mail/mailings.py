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
separately (``QueueReport.for_letter``). Invitation-type mails carry a calendar file
("einladung.ics" / "invitation.ics", "absage.ics" for a cancellation) that names only their
recipient.

Language: each mail, its calendar file and its attachments speak the recipient's preferred
language, else the meeting's (``services.languages``), never the window's. Attachments from
``attachments_for`` (e.g. the invitation PDF) are made outside the write transaction;
queueing itself is one transaction.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import i18n
from app.addresses import normalise_address, single_line
from app.db import Database
from app.documents.calendar import (
    GROUP,
    INDIVIDUAL,
    CalendarMeeting,
    CalendarMethod,
    CalendarPerson,
    meeting_calendar,
)
from app.i18n import N_, _, pgettext
from app.mail.compose import Attachment, Sender, new_message_id
from app.mail.errors import InvalidAddressError, MailError
from app.mail.outbox import OutgoingMessage, add_messages, read_sender
from app.mail.templates import compose_text, template_values
from app.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationState,
    MeetingState,
    Minutes,
    Organisation,
    OutboxKind,
    OutboxMessage,
    Person,
    Salutation,
)
from app.services.consent import may_receive_email
from app.services.directory import person_name
from app.services.mail_templates import MailTemplate, read_template
from app.services.meetings import MeetingDetail, get_meeting
from app.services.phrases import Addressee, mail_language


def calendar_filename(kind: OutboxKind, language: str) -> str:
    """The calendar attachment's file name in the recipient's language ("einladung.ics")."""
    with i18n.language(language):
        if kind is OutboxKind.CANCELLATION:
            # Translators: file name of the calendar file of a cancellation, no extension.
            stem = pgettext("file name", "cancellation")
        else:
            # Translators: file name of the calendar file of an invitation, no extension.
            stem = pgettext("file name", "invitation")
    return f"{stem}.ics"


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
    organisation_id: int | None = None  # an organisation's own address


# (meeting, recipient) → the attachments of that recipient's mail, e.g. the invitation PDF.
AttachmentsFor = Callable[[MeetingDetail, MailRecipient], Sequence[Attachment]]


@dataclass(frozen=True, slots=True)
class QueuedRecipient:
    outbox_id: int
    person_id: int | None
    name: str
    address: str
    kind: OutboxKind
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class SkippedRecipient:
    person_id: int | None
    name: str
    address: str | None
    reason: SkipReason
    organisation_id: int | None = None

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


def _addressee(person: Person, meeting_language: str) -> Addressee:
    return Addressee(
        salutation=person.salutation,
        title=person.title,
        first_name=person.first_name,
        last_name=person.last_name,
        organisation=person.organisation.name if person.organisation else "",
        language=mail_language(person.preferred_language, meeting_language),
    )


def _organisation_addressee(organisation: Organisation, meeting_language: str) -> Addressee:
    """An organisation's own address: "Sehr geehrte Damen und Herren," in the meeting's
    language (an organisation has no preferred language of its own)."""
    return Addressee(
        salutation=Salutation.NONE,
        title="",
        first_name="",
        last_name=organisation.name,
        organisation=organisation.name,
        language=mail_language(None, meeting_language),
        is_organisation=True,
    )


def _check_organisation(organisation: Organisation) -> tuple[str | None, SkipReason | None]:
    """(valid address, None) or (address or None, why not) for an organisation's address."""
    if organisation.archived:
        return organisation.email or None, SkipReason.ARCHIVED
    if not organisation.email.strip():
        return None, SkipReason.NO_EMAIL
    try:
        return normalise_address(organisation.email), None
    except InvalidAddressError:
        return organisation.email, SkipReason.INVALID_ADDRESS


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
    sequence: int,
    templates: dict[tuple[str, OutboxKind], MailTemplate],
) -> list[tuple[_Candidate, OutgoingMessage]]:
    """Each candidate's text and calendar file; documents follow in ``_attach``."""
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
        files: list[Attachment] = []
        if calendar is not None:
            method = (
                CalendarMethod.CANCEL
                if candidate.kind is OutboxKind.CANCELLATION
                else CalendarMethod.REQUEST
            )
            attendee = CalendarPerson(
                recipient.name,
                recipient.address,
                GROUP if recipient.organisation_id is not None else INDIVIDUAL,
            )
            ics = meeting_calendar(calendar, method=method, attendees=[attendee], language=language)
            files.append(
                Attachment(
                    calendar_filename(candidate.kind, language),
                    f"text/calendar; method={method.value}",
                    ics,
                )
            )
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
                    organisation_id=recipient.organisation_id,
                    meeting_sequence=sequence,
                    message_id=new_message_id(sender.address),
                ),
            )
        )
    return out


def _attach(
    detail: MeetingDetail,
    composed: Sequence[tuple[_Candidate, OutgoingMessage]],
    attachments_for: AttachmentsFor | None,
) -> list[tuple[_Candidate, OutgoingMessage]]:
    """Put each recipient's documents (e.g. the invitation PDF in their language) before the
    calendar file. Called outside any session: the factory may render and read on its own."""
    if attachments_for is None:
        return list(composed)
    return [
        (
            candidate,
            replace(
                message,
                attachments=(
                    *attachments_for(detail, candidate.recipient),
                    *message.attachments,
                ),
            ),
        )
        for candidate, message in composed
    ]


def _existing(
    session: Session, meeting_id: int, kinds: Iterable[OutboxKind], sequence: int
) -> tuple[set[int], set[int], set[str]]:
    """Person ids, organisation ids and addresses that already have a message of *kinds* for
    *sequence*."""
    rows = session.execute(
        select(
            OutboxMessage.person_id, OutboxMessage.organisation_id, OutboxMessage.recipient
        ).where(
            OutboxMessage.meeting_id == meeting_id,
            OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.meeting_sequence == sequence,
        )
    ).all()
    return (
        {p for p, _o, _r in rows if p is not None},
        {o for _p, o, _r in rows if o is not None},
        {r.casefold() for _p, _o, r in rows},
    )


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
        people, organisations, addresses = _existing(session, meeting_id, family, sequence)
        mailed: set[int] = set()
        mailed_organisations: set[int] = set()
        if check_invitations:
            for person_id, organisation_id in session.execute(
                select(Invitation.person_id, Invitation.organisation_id).where(
                    Invitation.meeting_id == meeting_id,
                    Invitation.sent_sequence == sequence,
                )
            ):
                if person_id is not None:
                    mailed.add(person_id)
                if organisation_id is not None:
                    mailed_organisations.add(organisation_id)
        fresh = []
        for candidate, message in composed:
            r = candidate.recipient
            by_person = r.person_id is not None and (r.person_id in people or r.person_id in mailed)
            by_organisation = r.organisation_id is not None and (
                r.organisation_id in organisations or r.organisation_id in mailed_organisations
            )
            by_address = (check_addresses or r.person_id is None) and (
                r.address.casefold() in addresses
            )
            if by_person or by_organisation or by_address:
                skipped.append(
                    SkippedRecipient(
                        r.person_id,
                        r.name,
                        r.address,
                        SkipReason.ALREADY_MAILED,
                        r.organisation_id,
                    )
                )
                continue
            fresh.append((candidate, message))
        ids = add_messages(session, [m for _c, m in fresh])
        for (candidate, message), outbox_id in zip(fresh, ids, strict=True):
            r = candidate.recipient
            queued.append(
                QueuedRecipient(
                    outbox_id, r.person_id, r.name, r.address, message.kind, r.organisation_id
                )
            )
    return queued


# -- invitations, updates, cancellations, reminders ------------------------------------------


def queue_invitations(
    db: Database,
    meeting_id: int,
    *,
    kind: OutboxKind = OutboxKind.INVITATION,
    person_ids: Collection[int] | None = None,
    attachments_for: AttachmentsFor | None = None,
    organisation_ids: Collection[int] | None = None,
) -> QueueReport:
    """Queue one personal mail per invitee (see the module docstring for who gets what).

    *person_ids* / *organisation_ids* narrow the mailing to those invitees; with only
    *person_ids* given, organisations' own addresses are left out (and vice versa).
    """
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
            .options(
                selectinload(Invitation.person).options(*_people_options()),
                selectinload(Invitation.organisation),
            )
            .order_by(Invitation.id)
        ).all()
        invited = {inv.person_id for inv in invitations if inv.person_id is not None}
        if person_ids is not None:
            for missing in sorted(set(person_ids) - invited):
                person = session.get(Person, missing)
                skipped.append(
                    SkippedRecipient(
                        missing, person_name(person) if person else "", None, SkipReason.NOT_INVITED
                    )
                )
        narrowed = person_ids is not None or organisation_ids is not None
        for invitation in invitations:
            person = invitation.person
            if person is None:
                organisation = invitation.organisation
                if organisation is None:  # an erased person's anonymised invitation
                    continue
                if narrowed and organisation.id not in (organisation_ids or ()):
                    continue
                candidate = _organisation_candidate(
                    organisation, invitation, kind, sequence, detail.language, skipped
                )
                if candidate is not None:
                    candidates.append(candidate)
                continue
            if narrowed and person.id not in (person_ids or ()):
                continue
            address, reason = _check_person(person)
            if reason is None:
                reason = _reason_for_kind(kind, invitation, sequence)
            if reason is not None:
                skipped.append(SkippedRecipient(person.id, person_name(person), address, reason))
                continue
            assert address is not None
            effective = _effective_kind(kind, invitation)
            addressee = _addressee(person, detail.language)
            candidates.append(
                _Candidate(
                    MailRecipient(
                        person.id, person_name(person), address, addressee.language, addressee
                    ),
                    effective,
                )
            )
        calendar = _calendar_meeting(detail, sender)
        composed = _compose(session, detail, calendar, sender, candidates, sequence, {})
    composed = _attach(detail, composed, attachments_for)
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


def _effective_kind(kind: OutboxKind, invitation: Invitation) -> OutboxKind:
    """INVITATION for someone never mailed, UPDATE for someone who got an older version."""
    if kind in _INVITE_FAMILY:
        return OutboxKind.INVITATION if invitation.sent_sequence is None else OutboxKind.UPDATE
    return kind


def _organisation_candidate(
    organisation: Organisation,
    invitation: Invitation,
    kind: OutboxKind,
    sequence: int,
    meeting_language: str,
    skipped: list[SkippedRecipient],
) -> _Candidate | None:
    """The mail to an organisation's own address, or None (with the reason in *skipped*)."""
    address, reason = _check_organisation(organisation)
    if reason is None:
        reason = _reason_for_kind(kind, invitation, sequence)
    if reason is not None:
        skipped.append(SkippedRecipient(None, organisation.name, address, reason, organisation.id))
        return None
    assert address is not None
    addressee = _organisation_addressee(organisation, meeting_language)
    recipient = MailRecipient(
        None, organisation.name, address, addressee.language, addressee, organisation.id
    )
    return _Candidate(recipient, _effective_kind(kind, invitation))


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


def mail_preview_text(preview: MailPreview) -> str:
    """The preview as the window shows it: "Betreff: …", a blank line, the body."""
    # Translators: first line of a mail preview in the window ("Betreff: …").
    return _("Subject: {subject}").format(subject=preview.subject) + "\n\n" + preview.body


def preview_mail(
    db: Database,
    meeting_id: int,
    person_id: int | None,
    kind: OutboxKind = OutboxKind.INVITATION,
    *,
    template: MailTemplate | None = None,
    organisation_id: int | None = None,
) -> MailPreview:
    """Subject and body *person_id* (or, with ``person_id`` None, the organisation's own
    address *organisation_id*) would get, e.g. for the template editor; with *template* an
    unsaved edit is shown instead of the stored template. Queues nothing."""
    detail = get_meeting(db, meeting_id)
    with db.read() as session:
        if person_id is None and organisation_id is not None:
            organisation = session.get(Organisation, organisation_id)
            if organisation is None:
                raise MailError(
                    _("There is no organisation with the number {id}.").format(id=organisation_id)
                )
            addressee = _organisation_addressee(organisation, detail.language)
        else:
            person = session.get(Person, person_id, options=_people_options())
            if person is None:
                raise MailError(_("There is no person with the number {id}.").format(id=person_id))
            addressee = _addressee(person, detail.language)
        try:
            sender = read_sender(session, meeting_id)
        except MailError:
            sender = Sender(name="", address="sender@invalid.example")
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
        kind = GROUP if row.organisation_id is not None else INDIVIDUAL
        try:
            attendees.append(CalendarPerson(row.name, normalise_address(row.email), kind))
        except InvalidAddressError:
            continue
    method = (
        CalendarMethod.CANCEL if detail.state is MeetingState.CANCELLED else CalendarMethod.REQUEST
    )
    return meeting_calendar(
        _calendar_meeting(detail, sender),
        method=method,
        attendees=attendees,
        language=detail.language,
    )


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
        addressee = _addressee(person, detail.language)
        consider(
            MailRecipient(person.id, person_name(person), address, addressee.language, addressee)
        )

    def consider_address(name: str, raw: str) -> None:
        try:
            address = normalise_address(raw)
        except InvalidAddressError:
            skipped.append(SkippedRecipient(None, name, raw, SkipReason.INVALID_ADDRESS))
            return
        addressee = Addressee(Salutation.NONE, "", "", name, "", detail.language)
        consider(MailRecipient(None, name, address, detail.language, addressee))

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
        composed = _compose(session, detail, None, sender, candidates, revision, {})
    composed = _attach(detail, composed, attachments_for)
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
