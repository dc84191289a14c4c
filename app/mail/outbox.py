"""The outbox: queued personal e-mails, sent one by one, resumable, never twice.

States: QUEUED → SENDING → SENT, or → FAILED (with the server's answer; "retry failed" puts
them back to QUEUED). Each step is its own committed transaction:

1. the message is built from the row (nothing changes if that fails: the row becomes FAILED);
2. QUEUED → SENDING, attempts + 1, committed (a conditional UPDATE, so two processes never
   take the same row);
3. the transport delivers it;
4. SENDING → SENT with ``sent_at`` (and the invitation marked), committed; or FAILED with the
   server's answer; or back to QUEUED when the server could not be used at all (unreachable,
   connection lost before the message was handed over), which also stops the batch.

**A crash or kill between 2 and 4 leaves the row in SENDING.** Whether that message reached the
server cannot be known afterwards (SMTP has no "did you get Message-ID X?"), so such a row is
*never re-sent automatically*: ``send_outbox`` leaves it alone and lists it in
``SendReport.uncertain``; the user checks (e.g. the Sent folder or with the recipient) and
decides with ``resolve_uncertain(delivered=True)`` (mark SENT) or ``delivered=False`` (queue it
again). The same happens when the connection breaks after the message body went out but before
the server's final answer. Everything else resumes by itself: queued rows simply wait for the
next run. The window between 2 and 4 is one SMTP transaction, so this is rare, and the cost of
asking is one question instead of a duplicate mail to a partner.

``.eml`` drafts (``EmlTransport``) go through the same states: a written draft counts as SENT
(``last_error`` empty) and marks the invitation, because the user sends the drafts from
Outlook and a re-run must not write them again; ``SendReport.drafts`` says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session, selectinload

from app.addresses import normalise_address, single_line
from app.db import Database
from app.i18n import _, ngettext
from app.mail import pacing as pace
from app.mail.compose import Attachment, MailDraft, Sender, build_message, new_message_id
from app.mail.errors import (
    DeliveryRefusedError,
    DeliveryUncertainError,
    LoginRefusedError,
    MailError,
    MailNotConfiguredError,
    TlsError,
    TransportError,
)
from app.mail.transports import Envelope, Transport
from app.models import (
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Organisation,
    OutboxAttachment,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    Person,
    utcnow,
)
from app.services.directory import person_display_name, person_name
from app.services.mail_settings import read_smtp_settings

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Kinds whose delivery tells us the invitee knows this version of the meeting.
_INVITATION_KINDS = (OutboxKind.INVITATION, OutboxKind.UPDATE, OutboxKind.CANCELLATION)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message to queue. ``message_id`` is generated in the sender's domain when empty."""

    kind: OutboxKind
    recipient: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()
    meeting_id: int | None = None
    person_id: int | None = None
    meeting_sequence: int | None = None
    message_id: str | None = None
    organisation_id: int | None = None  # a mail to an organisation's own address


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    kind: OutboxKind
    meeting_id: int | None
    person_id: int | None
    meeting_sequence: int | None
    recipient: str
    recipient_name: str
    subject: str
    message_id: str
    state: OutboxState
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    attachment_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SendResult:
    outbox_id: int
    kind: OutboxKind
    person_id: int | None
    recipient: str
    recipient_name: str
    state: OutboxState
    error: str = ""


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one ``send_outbox`` run did, per message, for the window and the command line."""

    results: tuple[SendResult, ...]
    uncertain: tuple[SendResult, ...]
    still_queued: int
    interrupted: str | None = None  # why the batch stopped early (server gone)
    cancelled: bool = False
    drafts: bool = False
    drafts_folder: Path | None = None  # where the drafts went

    @property
    def sent(self) -> tuple[SendResult, ...]:
        return tuple(r for r in self.results if r.state is OutboxState.SENT)

    @property
    def failed(self) -> tuple[SendResult, ...]:
        return tuple(r for r in self.results if r.state is OutboxState.FAILED)

    @property
    def ok(self) -> bool:
        """Everything selected went out: nothing failed, uncertain, left over or interrupted."""
        return not (
            self.failed or self.uncertain or self.interrupted or self.cancelled or self.still_queued
        )

    def summary(self) -> str:
        if self.drafts:
            parts = [
                ngettext("{n} draft written", "{n} drafts written", len(self.sent)).format(
                    n=len(self.sent)
                )
            ]
        else:
            parts = [
                ngettext("{n} message sent", "{n} messages sent", len(self.sent)).format(
                    n=len(self.sent)
                )
            ]
        if self.failed:
            parts.append(
                ngettext("{n} failed", "{n} failed", len(self.failed)).format(n=len(self.failed))
            )
        if self.uncertain:
            parts.append(
                ngettext(
                    "{n} uncertain (may have been sent)",
                    "{n} uncertain (may have been sent)",
                    len(self.uncertain),
                ).format(n=len(self.uncertain))
            )
        if self.still_queued:
            parts.append(
                ngettext("{n} still queued", "{n} still queued", self.still_queued).format(
                    n=self.still_queued
                )
            )
        text = ", ".join(parts) + "."
        if self.cancelled:
            text += " " + _("Sending was cancelled; the rest stays in the outbox.")
        if self.interrupted:
            text += " " + _("Sending stopped: {reason}").format(reason=self.interrupted)
        if self.drafts and self.sent:
            if self.drafts_folder is not None:
                text += " " + _(
                    "The drafts are in {folder}; they still have to be sent from the mail program."
                ).format(folder=self.drafts_folder)
            else:
                text += " " + _("The drafts still have to be sent from the mail program.")
        return text


# -- sender ----------------------------------------------------------------------------------


def read_sender(session: Session, meeting_id: int | None = None) -> Sender:
    """The sender from the mail settings; without one, the meeting's organiser and address."""
    settings = read_smtp_settings(session)
    if settings.sender_address:
        return Sender(
            name=settings.sender_name,
            address=normalise_address(settings.sender_address),
            reply_to=normalise_address(settings.reply_to) if settings.reply_to else "",
        )
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        organiser = meeting.organiser if meeting is not None else None
        if organiser is not None and organiser.preferred_email:
            try:
                address = normalise_address(organiser.preferred_email)
            except MailError:
                address = ""
            if address:
                name = person_display_name(
                    organiser.title, organiser.first_name, organiser.last_name
                )
                return Sender(name=name, address=address)
    raise MailNotConfiguredError(
        _(
            "No sender address is set up. Enter it under Extras ▸ Settings ▸ Sender & delivery, "
            "or with “treffpunkt settings set sender.address ADDRESS”."
        )
    )


# -- queueing --------------------------------------------------------------------------------


def add_messages(
    session: Session, messages: Sequence[OutgoingMessage], *, sender: Sender | None = None
) -> list[int]:
    """Insert *messages* as QUEUED rows in *session*'s transaction; returns their ids."""
    ids = []
    for message in messages:
        recipient = normalise_address(message.recipient)
        if not single_line(message.subject):
            raise MailError(_("A message needs a subject."))
        message_id = message.message_id
        if not message_id:
            message_sender = sender or read_sender(session, message.meeting_id)
            message_id = new_message_id(message_sender.address)
        row = OutboxMessage(
            kind=OutboxKind(message.kind),
            meeting_id=message.meeting_id,
            person_id=message.person_id,
            organisation_id=message.organisation_id,
            meeting_sequence=message.meeting_sequence,
            recipient=recipient,
            subject=single_line(message.subject)[:500],
            body=message.body,
            message_id=message_id,
            state=OutboxState.QUEUED,
            attempts=0,
            last_error="",
        )
        row.attachments = [
            OutboxAttachment(filename=a.filename, mime_type=a.mime_type, data=a.data)
            for a in message.attachments
        ]
        session.add(row)
        session.flush()
        ids.append(row.id)
    return ids


def queue_messages(
    db: Database, messages: Sequence[OutgoingMessage], *, sender: Sender | None = None
) -> list[int]:
    """Queue all *messages* in one transaction (all or nothing); returns the new ids."""
    with db.write() as session:
        return add_messages(session, messages, sender=sender)


# -- listing ---------------------------------------------------------------------------------


_Q = TypeVar("_Q", bound=Select[Any])


def _filtered(
    query: _Q,
    *,
    meeting_id: int | None = None,
    kinds: Collection[OutboxKind] | None = None,
    ids: Collection[int] | None = None,
) -> _Q:
    if meeting_id is not None:
        query = query.where(OutboxMessage.meeting_id == meeting_id)
    if kinds is not None:
        query = query.where(OutboxMessage.kind.in_([OutboxKind(k) for k in kinds]))
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    return query.order_by(OutboxMessage.id)


def _recipient_names(session: Session, rows: Sequence[OutboxMessage]) -> dict[int, str]:
    """Outbox id → the name of the person or organisation the message goes to ("" unknown)."""
    people = _people(session, {r.person_id for r in rows if r.person_id is not None})
    organisation_ids = {r.organisation_id for r in rows if r.organisation_id is not None}
    organisations = {
        o.id: o.name
        for o in session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids)))
    }
    names = {}
    for row in rows:
        if row.person_id is not None:
            names[row.id] = person_name(people.get(row.person_id))
        elif row.organisation_id is not None:
            names[row.id] = organisations.get(row.organisation_id, "")
        else:
            names[row.id] = ""
    return names


def list_outbox(
    db: Database,
    *,
    meeting_id: int | None = None,
    kinds: Collection[OutboxKind] | None = None,
    states: Collection[OutboxState] | None = None,
    ids: Collection[int] | None = None,
) -> list[OutboxRow]:
    query = _filtered(
        select(OutboxMessage).options(selectinload(OutboxMessage.attachments)),
        meeting_id=meeting_id,
        kinds=kinds,
        ids=ids,
    )
    if states is not None:
        query = query.where(OutboxMessage.state.in_([OutboxState(s) for s in states]))
    with db.read() as session:
        rows = session.scalars(query).all()
        names = _recipient_names(session, rows)
        return [
            OutboxRow(
                id=r.id,
                kind=r.kind,
                meeting_id=r.meeting_id,
                person_id=r.person_id,
                meeting_sequence=r.meeting_sequence,
                recipient=r.recipient,
                recipient_name=names[r.id],
                subject=r.subject,
                message_id=r.message_id,
                state=r.state,
                attempts=r.attempts,
                last_error=r.last_error,
                created_at=r.created_at,
                sent_at=r.sent_at,
                attachment_names=tuple(a.filename for a in r.attachments),
            )
            for r in rows
        ]


def _people(session: Session, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def _result(row: OutboxMessage, name: str, error: str = "") -> SendResult:
    return SendResult(
        outbox_id=row.id,
        kind=row.kind,
        person_id=row.person_id,
        recipient=row.recipient,
        recipient_name=name,
        state=row.state,
        error=error or row.last_error,
    )


# -- sending ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prepared:
    envelope: Envelope | None
    result: SendResult
    error: str = ""


def _prepare(
    db: Database, outbox_id: int, *, drafts: bool, senders: dict[int | None, Sender]
) -> _Prepared | None:
    with db.read() as session:
        row = session.get(
            OutboxMessage, outbox_id, options=[selectinload(OutboxMessage.attachments)]
        )
        if row is None or row.state is not OutboxState.QUEUED:
            return None
        if row.documents_outdated:  # an erasure since the rebuild: stays queued, next run
            return None
        name = _recipient_names(session, [row])[row.id]
        result = _result(row, name)
        try:
            if row.meeting_id not in senders:
                senders[row.meeting_id] = read_sender(session, row.meeting_id)
            sender = senders[row.meeting_id]
            draft = MailDraft(
                recipient=row.recipient,
                recipient_name=name,
                subject=row.subject,
                body=row.body,
                message_id=row.message_id,
                attachments=tuple(
                    Attachment(a.filename, a.mime_type, a.data) for a in row.attachments
                ),
            )
            message = build_message(draft, sender, unsent_draft=drafts)
        except MailError as exc:
            return _Prepared(None, result, str(exc))
        envelope = Envelope(row.id, sender.address, normalise_address(row.recipient), message, name)
        return _Prepared(envelope, result)


def _claim(db: Database, outbox_id: int) -> bool:
    """QUEUED → SENDING (attempts + 1), committed; False when someone else took the row."""
    with db.write() as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.state == OutboxState.QUEUED)
            .values(state=OutboxState.SENDING, attempts=OutboxMessage.attempts + 1)
        )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _mark_invitation(session: Session, row: OutboxMessage, when: datetime) -> None:
    if row.kind not in _INVITATION_KINDS or row.meeting_id is None:
        return
    if row.person_id is not None:
        invitee = Invitation.person_id == row.person_id
    elif row.organisation_id is not None:  # an organisation's own address
        invitee = Invitation.organisation_id == row.organisation_id
    else:
        return
    invitation = session.scalars(
        select(Invitation).where(Invitation.meeting_id == row.meeting_id, invitee)
    ).first()
    if invitation is None:
        return
    if invitation.state is InvitationState.NOT_SENT:
        invitation.state = InvitationState.SENT
    invitation.sent_at = when
    invitation.sent_sequence = row.meeting_sequence
    if row.kind is OutboxKind.INVITATION:
        # Core UPDATE: no version bump, so an open meeting form does not see a conflict.
        session.execute(
            update(Meeting)
            .where(Meeting.id == row.meeting_id, Meeting.state == MeetingState.PLANNED)
            .values(state=MeetingState.INVITED)
        )


def _finish(
    db: Database, outbox_id: int, state: OutboxState, error: str = "", *, when: datetime
) -> OutboxMessage | None:
    with db.write() as session:
        row = session.get(OutboxMessage, outbox_id)
        if row is None:
            return None
        row.state = state
        row.last_error = error
        if state is OutboxState.SENT:
            row.sent_at = when
            _mark_invitation(session, row, when)
        return row


def send_outbox(
    db: Database,
    transport: Transport,
    *,
    meeting_id: int | None = None,
    kinds: Collection[OutboxKind] | None = None,
    ids: Collection[int] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    status: Callable[[str], None] | None = None,
    pause: pace.Pause | None = None,
) -> SendReport:
    """Send the QUEUED messages matching the filters, oldest first, one by one.

    Raises ``TransportError`` (nothing changed) when the transport cannot be opened at all.
    Later problems are in the report: refusals per message (FAILED), a server lost mid-batch
    (``interrupted``; the rest stays QUEUED), uncertain deliveries (left SENDING). ``progress``
    is called with (done, total) after each message; ``cancelled`` is checked before each one
    and during every wait. The pace (``app.mail.pacing``): the transport's rate limit, and
    temporary failures tried again after a pause; ``status`` gets a sentence while waiting and
    "" when the wait is over; ``pause`` replaces the real waiting (tests).
    Runs in the caller's thread (the window calls it from a worker).
    """

    def selected(query: _Q) -> _Q:
        return _filtered(query, meeting_id=meeting_id, kinds=kinds, ids=ids)

    with db.read() as session:
        leftover = session.scalars(
            selected(select(OutboxMessage).where(OutboxMessage.state == OutboxState.SENDING))
        ).all()
        names = _recipient_names(session, leftover)
        uncertain = [_result(row, names[row.id]) for row in leftover]
        queued = list(
            session.scalars(
                selected(select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.QUEUED))
            ).all()
        )
    drafts = bool(getattr(transport, "writes_drafts", False))
    total = len(queued)
    results: list[SendResult] = []
    interrupted: str | None = None
    was_cancelled = False
    if progress is not None:
        progress(0, total)
    if not queued:
        return SendReport((), tuple(uncertain), 0, drafts=drafts)

    # Documents that named someone erased since are made again first (Art. 17); a message
    # whose document cannot be made again does not go out with the old one or none.
    from app.mail.rebuild import rebuild_outdated_documents  # late: ReportLab, cycle

    rebuild = rebuild_outdated_documents(db, ids=queued)
    for outbox_id, reason in rebuild.failed:
        row = _finish(db, outbox_id, OutboxState.FAILED, reason, when=utcnow())
        if row is not None:
            results.append(_result(row, "", reason))
    queued = [i for i in queued if i not in set(rebuild.failed_ids)]
    if not queued:
        return SendReport(tuple(results), tuple(uncertain), 0, drafts=drafts)

    senders: dict[int | None, Sender] = {}
    wait = pause or pace.pause
    limiter = pace.RateLimiter(int(getattr(transport, "rate_per_minute", 0) or 0))

    def waited(seconds: float, text: str) -> bool:
        """Wait, saying why; True when the user stopped the batch meanwhile."""
        if status is not None:
            status(text)
        stopped = wait(seconds, cancelled)
        if status is not None:
            status("")
        return stopped

    transport.open()
    try:
        for done, outbox_id in enumerate(queued, start=1):
            if cancelled is not None and cancelled():
                was_cancelled = True
                break
            prepared = _prepare(db, outbox_id, drafts=drafts, senders=senders)
            if prepared is None:
                continue
            if prepared.envelope is None:
                _finish(db, outbox_id, OutboxState.FAILED, prepared.error, when=utcnow())
                results.append(_with(prepared.result, OutboxState.FAILED, prepared.error))
            else:
                outcome = _deliver(db, transport, prepared, limiter, waited, retries=not drafts)
                if outcome.result is not None:
                    (uncertain if outcome.uncertain else results).append(outcome.result)
                if outcome.stopped:
                    was_cancelled = True
                    break
                if outcome.interrupted:
                    interrupted = outcome.interrupted
                    break
            if progress is not None:
                progress(done, total)
    finally:
        transport.close()
    handled = {r.outbox_id for r in results} | {r.outbox_id for r in uncertain}
    with db.read() as session:
        still = session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.id.in_(queued), OutboxMessage.state == OutboxState.QUEUED
            )
        ).all()
    still_queued = len([i for i in still if i not in handled])
    return SendReport(
        tuple(results),
        tuple(uncertain),
        still_queued,
        interrupted,
        was_cancelled,
        drafts,
        _drafts_folder(transport),
    )


@dataclass(frozen=True, slots=True)
class _Outcome:
    result: SendResult | None = None  # None: another process took the row
    uncertain: bool = False
    interrupted: str | None = None  # the server is gone: the batch stops
    stopped: bool = False  # the user stopped the batch during a wait


def _deliver(
    db: Database,
    transport: Transport,
    prepared: _Prepared,
    limiter: pace.RateLimiter,
    waited: Callable[[float, str], bool],
    *,
    retries: bool,
) -> _Outcome:
    """One message: wait for the rate limit, claim, deliver; temporary failures are tried
    again after ``pace.RETRY_DELAYS`` (the row is QUEUED while it waits, so a crash then
    leaves nothing uncertain: a refused message was not delivered)."""
    assert prepared.envelope is not None
    outbox_id = prepared.envelope.outbox_id
    delays = pace.RETRY_DELAYS if retries else ()
    for attempt in range(len(delays) + 1):
        due = limiter.wait_time()
        if due > 0 and waited(
            due,
            _("At most {rate} messages per minute: the next one goes out in {seconds} s.").format(
                rate=limiter.per_minute, seconds=math.ceil(due)
            ),
        ):
            return _Outcome(stopped=True)
        if not _claim(db, outbox_id):
            return _Outcome()
        limiter.record()
        try:
            transport.deliver(prepared.envelope)
        except DeliveryRefusedError as exc:
            if not (exc.temporary and attempt < len(delays)):
                _finish(db, outbox_id, OutboxState.FAILED, exc.answer, when=utcnow())
                return _Outcome(_with(prepared.result, OutboxState.FAILED, exc.answer))
            _release(db, outbox_id, exc.answer)
            text = _(
                "The mail server asks to try again later ({answer}); next try in {seconds} s "
                "({attempt} of {attempts})."
            )
            reason = exc.answer
        except DeliveryUncertainError as exc:
            _note_uncertain(db, outbox_id, str(exc))
            return _Outcome(_with(prepared.result, OutboxState.SENDING, str(exc)), uncertain=True)
        except (TlsError, LoginRefusedError) as exc:  # no pause changes a certificate
            _release(db, outbox_id)
            return _Outcome(interrupted=str(exc))
        except TransportError as exc:
            _release(db, outbox_id)
            if attempt >= len(delays):
                return _Outcome(interrupted=str(exc))
            text = _(
                "The connection to the mail server was lost ({answer}); next try in {seconds} s "
                "({attempt} of {attempts})."
            )
            reason = str(exc)
        else:
            _finish(db, outbox_id, OutboxState.SENT, when=utcnow())
            return _Outcome(_with(prepared.result, OutboxState.SENT))
        note = text.format(
            answer=reason,
            seconds=math.ceil(delays[attempt]),
            attempt=attempt + 2,
            attempts=len(delays) + 1,
        )
        if waited(delays[attempt], note):
            return _Outcome(stopped=True)
    raise AssertionError("unreachable: the last attempt always returns")  # pragma: no cover


def _drafts_folder(transport: Transport) -> Path | None:
    folder = (
        getattr(transport, "folder", None) if getattr(transport, "writes_drafts", False) else None
    )
    return Path(folder).absolute() if folder is not None else None


def _with(result: SendResult, state: OutboxState, error: str = "") -> SendResult:
    return SendResult(
        result.outbox_id,
        result.kind,
        result.person_id,
        result.recipient,
        result.recipient_name,
        state,
        error,
    )


def _release(db: Database, outbox_id: int, answer: str | None = None) -> None:
    """SENDING → QUEUED for a message that certainly did not go out (with the server's
    temporary answer, if any, as ``last_error`` until it goes out)."""
    values: dict[str, Any] = {"state": OutboxState.QUEUED}
    if answer is not None:
        values["last_error"] = answer
    with db.write() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.state == OutboxState.SENDING)
            .values(values)
        )


def _note_uncertain(db: Database, outbox_id: int, reason: str) -> None:
    with db.write() as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(last_error=reason)
        )


# -- after the fact --------------------------------------------------------------------------


def resolve_uncertain(db: Database, ids: Collection[int], *, delivered: bool) -> int:
    """The user's decision on SENDING rows: delivered → SENT, else → QUEUED again."""
    now = utcnow()
    count = 0
    with db.write() as session:
        rows = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(list(ids)), OutboxMessage.state == OutboxState.SENDING
            )
        ).all()
        for row in rows:
            count += 1
            if delivered:
                row.state = OutboxState.SENT
                row.sent_at = now
                row.last_error = ""
                _mark_invitation(session, row, now)
            else:
                row.state = OutboxState.QUEUED
    return count


def retry_failed(
    db: Database,
    *,
    meeting_id: int | None = None,
    kinds: Collection[OutboxKind] | None = None,
    ids: Collection[int] | None = None,
) -> int:
    """FAILED → QUEUED for the next ``send_outbox``; returns how many."""
    with db.write() as session:
        rows = session.scalars(
            _filtered(
                select(OutboxMessage).where(OutboxMessage.state == OutboxState.FAILED),
                meeting_id=meeting_id,
                kinds=kinds,
                ids=ids,
            )
        ).all()
        for row in rows:
            row.state = OutboxState.QUEUED
        return len(rows)


def discard_messages(db: Database, ids: Collection[int]) -> int:
    """Delete QUEUED or FAILED rows (never SENT or SENDING ones); returns how many."""
    with db.write() as session:
        result = session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.id.in_(list(ids)),
                OutboxMessage.state.in_([OutboxState.QUEUED, OutboxState.FAILED]),
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
