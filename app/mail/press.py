"""Issuing a press release: export as .docx or .txt, or mail it to a press group (outbox).

Each way first checks again that the meeting was held and that the chosen photo may still
be published (consent can change between drafting and sending), then writes or queues, and
records a ``PressRelease`` (date, channel, headline, text as issued) that the funding report
lists under public relations. The record is written only when the file was written or the
mails were queued: a failed export leaves no trace.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.addresses import normalise_address
from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.mail.compose import Attachment
from app.mail.errors import InvalidAddressError
from app.mail.mailings import SkippedRecipient, SkipReason, _check_person, parse_address_list
from app.mail.outbox import OutgoingMessage, add_messages, read_sender
from app.models import (
    Group,
    OutboxKind,
    Person,
    Photo,
    PressRelease,
    PressReleaseChannel,
)
from app.services.directory import person_name
from app.services.planning.common import load_meeting
from app.services.press.draft import PressDraft, check_held
from app.services.press.photos import clearances
from app.services.reporting.xlsx import write_atomic

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class PressMailReport:
    press_release_id: int
    queued: tuple[str, ...]  # addresses
    skipped: tuple[SkippedRecipient, ...]


def _checked_photo(session: Session, draft: PressDraft) -> Photo | None:
    meeting = load_meeting(session, draft.meeting_id)
    check_held(meeting)
    if draft.photo_id is None:
        return None
    photo = session.get(Photo, draft.photo_id)
    if photo is None or photo.meeting_id != draft.meeting_id:
        raise ValidationError(_("The chosen photo no longer belongs to this meeting."))
    clearance = next(
        c
        for c in clearances(session, [draft.meeting_id])[draft.meeting_id]
        if c.photo_id == photo.id
    )
    if not clearance.usable:
        raise ValidationError(
            _(
                "The chosen photo may not be published: {names} did not consent. Choose "
                "another photo or none."
            ).format(names=", ".join(clearance.refused))
        )
    return photo


def _check_text(draft: PressDraft) -> None:
    if not draft.headline.strip():
        raise ValidationError(_("A press release needs a headline."))


def _record(
    session: Session,
    draft: PressDraft,
    channel: PressReleaseChannel,
    text: str,
    recipients: str = "",
) -> int:
    row = PressRelease(
        meeting_id=draft.meeting_id,
        headline=draft.headline.strip()[:500],
        language=draft.language,
        channel=channel,
        recipients=recipients,
        text=text,
        photo_id=draft.photo_id,
    )
    session.add(row)
    session.flush()
    return row.id


def photo_filename(photo: Photo | None) -> str:
    return photo.filename if photo is not None else ""


def export_press_release(db: Database, draft: PressDraft, path: Path) -> int:
    """Write .docx or .txt (by extension) and record it; returns the record's id."""
    from app.documents.press_release.docx import press_docx_bytes
    from app.documents.press_release.text import press_text

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".txt"):
        raise ValidationError(
            _("{name}: choose a file name ending in .docx or .txt.").format(name=path.name)
        )
    _check_text(draft)
    with db.write() as session:
        photo = _checked_photo(session, draft)
        text = press_text(draft, photo_filename=photo_filename(photo))
        if suffix == ".docx":
            data = press_docx_bytes(draft, photo.data if photo is not None else None)
            channel = PressReleaseChannel.DOCX
        else:
            data = text.encode("utf-8")
            channel = PressReleaseChannel.TEXT
        # Written inside the transaction: if the file cannot be written, nothing is recorded.
        write_atomic(path, data)
        return _record(session, draft, channel, text)


def mail_press_release(
    db: Database,
    draft: PressDraft,
    *,
    group_ids: Collection[int] = (),
    addresses: str = "",
) -> PressMailReport:
    """Queue one mail per recipient (members of the groups, typed addresses) in the outbox,
    with the Word file and the photo attached, and record the release; one transaction.
    Sending is the outbox's job (``send_outbox`` with ``kinds=(OutboxKind.PRESS,)``)."""
    from app.documents.press_release.docx import press_docx_bytes
    from app.documents.press_release.text import press_text

    _check_text(draft)
    with db.write() as session:
        photo = _checked_photo(session, draft)
        sender = read_sender(session, draft.meeting_id)
        recipients: list[tuple[int | None, str]] = []
        skipped: list[SkippedRecipient] = []
        seen: set[str] = set()
        people = session.scalars(
            select(Person)
            .join(Person.groups)
            .where(Group.id.in_(list(group_ids)))
            .options(
                selectinload(Person.emails),
                selectinload(Person.consents),
                selectinload(Person.organisation),
            )
            .order_by(Person.name_key)
        ).unique()
        for person in people:
            address, reason = _check_person(person)
            if reason is not None or address is None:
                skipped.append(
                    SkippedRecipient(
                        person.id, person_name(person), address, reason or SkipReason.NO_EMAIL
                    )
                )
                continue
            if address.casefold() in seen:
                continue
            seen.add(address.casefold())
            recipients.append((person.id, address))
        for name, raw in parse_address_list(addresses):
            try:
                address = normalise_address(raw)
            except InvalidAddressError:
                skipped.append(SkippedRecipient(None, name, raw, SkipReason.INVALID_ADDRESS))
                continue
            if address.casefold() in seen:
                continue
            seen.add(address.casefold())
            recipients.append((None, address))
        if not recipients:
            raise ValidationError(_("The press release has no recipient with a valid address."))
        text = press_text(draft, photo_filename=photo_filename(photo))
        attachments = [
            Attachment(
                "Pressemitteilung.docx" if draft.language == "de" else "press-release.docx",
                DOCX_MIME,
                press_docx_bytes(draft, photo.data if photo is not None else None),
            )
        ]
        if photo is not None:
            attachments.append(Attachment(photo.filename, photo.mime_type, photo.data))
        add_messages(
            session,
            [
                OutgoingMessage(
                    kind=OutboxKind.PRESS,
                    recipient=address,
                    subject=draft.headline.strip(),
                    body=text,
                    attachments=tuple(attachments),
                    meeting_id=draft.meeting_id,
                    person_id=person_id,
                )
                for person_id, address in recipients
            ],
            sender=sender,
        )
        record = _record(
            session,
            draft,
            PressReleaseChannel.MAIL,
            text,
            ", ".join(address for _id, address in recipients),
        )
        return PressMailReport(record, tuple(a for _i, a in recipients), tuple(skipped))
