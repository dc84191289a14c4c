"""Data protection duties (DSGVO): Auskunft (Art. 15) and Löschung (Art. 17).

Auskunft, ``export_person``: everything stored about one person as a JSON-ready dict:
directory data, e-mails, phones, groups, organisation, consent records, invitations,
attendance (also as a walk-in guest under one of their addresses), the photos that show or
may show them (``privacy_photos``), meeting roles, TOPs they present, action items they own,
e-mails to them and references to texts that name them.
E-mails are listed with recipient, subject, kind, state and dates but **without body and
attachments**: those are copies of invitations and minutes that also name other participants
(Art. 15 (4)), and the person received them anyway. Texts that mention them (minutes notes,
decisions …) are referenced (where) but not copied, for the same reason.

Löschung, ``erase_person``: in one transaction

* the person row goes, with their e-mails, phones, consent records and group memberships;
* their invitations and attendance rows stay, anonymised (``anonymised``, no person, no
  note or guest fields), so past meetings still count them as invited (with their reply)
  and present ("a participant"); walk-in guest rows under one of their addresses or their
  full name likewise;
* photos on which they are recorded as pictured are deleted; photos of their meetings that
  do not record who is pictured stay, withheld from publication if they refused
  (``privacy_photos`` explains the decision);
* action items they owned keep their text, the owner becomes the neutral label; TOPs they
  presented and meeting roles (organiser, moderator, minute-taker) lose the link;
* e-mails to them are deleted with their attachments;
* free texts everywhere (TOP notes, decisions, action items, minutes, finalised minutes
  snapshots, captions, other people's notes, subjects and bodies of e-mails to others …) are
  scrubbed: their full name (also "Frau/Herr [Titel] Nachname" and "Nachname, Vorname"),
  their e-mail addresses and phone numbers are replaced; versioned rows get a new version, so
  a form still open elsewhere cannot write the old text back;
* documents (PDF attachments) of e-mails to others about their meetings are read back: those
  that name the person (e.g. the minutes' list of those present) are removed from sent
  e-mails, and in e-mails not sent yet marked to be made again from the anonymised data
  (``app.mail.rebuild``: right after the erasure when it is started through
  ``app.mail.erasure.erase_person``, as the window and ``privacy erase`` do, and before
  sending at the latest); documents that do not name them stay as they are;
* an ``ErasureLogEntry`` with the id only is written.

Afterwards ``VACUUM`` rebuilds the file (``secure_delete`` is on for every connection anyway),
so the name, addresses and numbers are gone from the database file, not only from its tables.
A bare surname in free text ("Yılmaz berichtet …") is not replaced automatically, because it
may be part of other words or names (a "Park" in "Sport im Park"); such places are returned as
``remaining_mentions`` for the user to review. Backups made before the erasure still hold the
person until they are rotated out; a restore re-applies the erasure log (``reapply_erasures``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app import __version__
from app.db import Database
from app.errors import NotFound
from app.i18n import _, ngettext
from app.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ConsentRecord,
    Decision,
    ErasureLogEntry,
    Group,
    Invitation,
    Meeting,
    Minutes,
    MinutesRevision,
    Organisation,
    OutboxAttachment,
    OutboxMessage,
    OutboxState,
    Person,
    PersonEmail,
    PersonPhone,
    Photo,
    Setting,
    Venue,
    person_groups,
)
from app.services.directory import person_letter_address
from app.services.postal import AddressParts
from app.services.privacy_photos import erase_photos, photos_for_export
from app.services.settings import read_setting
from app.text import fold, nfc

log = logging.getLogger(__name__)

EXPORT_FORMAT = 1
_MIN_NAME_LENGTH = 4  # shorter variants ("Li") would hit ordinary words
_PHONE_SEPARATORS = r"[\s/().\-]*"
_SALUTATIONS = r"(?:Frau|Herrn?|Fr\.|Hr\.|Mrs?\.?|Ms\.?|Mx\.?)"
_TITLES = r"(?:(?:Dr|Prof|Dipl|Mag)\.(?:\s*[\w-]+\.)*\s*)*"


def neutral_label() -> str:
    """What stands where an erased person was named ("eine teilnehmende Person")."""
    return _("a participant")


def removed_label() -> str:
    return _("[removed]")


# -- who: the strings that identify a person ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    person_id: int
    first_name: str
    last_name: str
    title: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]

    @property
    def full_names(self) -> tuple[str, ...]:
        names = []
        if self.first_name and self.last_name:
            names.append(f"{self.first_name} {self.last_name}")
        elif self.last_name:
            names.append(self.last_name)
        return tuple(n for n in names if len(n) >= _MIN_NAME_LENGTH)


def _flexible(text: str) -> str:
    """A literal whose inner spaces match any run of white space."""
    return r"\s+".join(re.escape(part) for part in text.split())


def _name_pattern(identity: Identity) -> re.Pattern[str] | None:
    first, last = identity.first_name, identity.last_name
    alternatives = []
    if first and last:
        # "Frau Dr. Ayşe Yılmaz", "Ayşe Yılmaz", "Yılmaz, Ayşe"
        alternatives.append(
            rf"(?:{_SALUTATIONS}\s+)?{_TITLES}{_flexible(first)}\s+{_flexible(last)}"
        )
        alternatives.append(rf"{_flexible(last)},\s*{_flexible(first)}")
    elif last and len(last) >= _MIN_NAME_LENGTH:
        alternatives.append(rf"{_TITLES}{_flexible(last)}")
    if last:
        alternatives.append(rf"{_SALUTATIONS}\s+{_TITLES}{_flexible(last)}")  # "Frau Yılmaz"
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def _email_pattern(identity: Identity) -> re.Pattern[str] | None:
    addresses = [re.escape(a) for a in identity.emails if a]
    if not addresses:
        return None
    return re.compile(rf"(?<![\w.%+-])(?:{'|'.join(addresses)})(?![\w-])", re.IGNORECASE)


def phone_digits(number: str) -> str:
    """Digits of a phone number in German national form: "+49 2151 12-34" → "021511234"."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        digits = "0" + digits[2:] if digits.startswith("49") else "00" + digits
    elif digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits


def _phone_pattern(identity: Identity) -> re.Pattern[str] | None:
    alternatives = []
    for number in identity.phones:
        digits = phone_digits(number)
        if len(digits) < 6:
            continue
        if digits.startswith("0") and not digits.startswith("00"):
            sep = _PHONE_SEPARATORS
            head = rf"(?:\+\s*49{sep}(?:\(0\){sep})?|0049{sep}|0)"  # +49 (0) 2151, 0049 2151
            rest = digits[1:]
        else:
            head, rest = "", digits
        body = _PHONE_SEPARATORS.join(re.escape(d) for d in rest)
        alternatives.append(head + _PHONE_SEPARATORS + body if head else body)
    if not alternatives:
        return None
    return re.compile(rf"(?<![\d+])(?:{'|'.join(alternatives)})(?!\d)")


@dataclass(frozen=True)
class _Scrubber:
    identity: Identity
    names: re.Pattern[str] | None
    emails: re.Pattern[str] | None
    phones: re.Pattern[str] | None
    surname: re.Pattern[str] | None

    @classmethod
    def for_identity(cls, identity: Identity) -> _Scrubber:
        surname = None
        if len(identity.last_name) >= 2:
            surname = re.compile(rf"(?<!\w){re.escape(fold(identity.last_name))}(?!\w)")
        return cls(
            identity,
            _name_pattern(identity),
            _email_pattern(identity),
            _phone_pattern(identity),
            surname,
        )

    def scrub(self, text: str) -> str:
        """*text* with every full name, address and number of the person replaced."""
        if not text:
            return text
        composed = unicodedata.normalize("NFC", text)
        result = composed if self.hits(composed) else text  # keep untouched text byte-identical
        if self.emails is not None:
            result = self.emails.sub(removed_label(), result)
        if self.names is not None:
            result = self.names.sub(neutral_label(), result)
        if self.phones is not None:
            result = self.phones.sub(removed_label(), result)
        return result

    def hits(self, text: str) -> bool:
        return any(p is not None and p.search(text) for p in (self.names, self.emails, self.phones))

    def scrub_json(self, text: str) -> str:
        """Scrub the strings inside a JSON document (names may be \\u-escaped there)."""
        try:
            data = json.loads(text)
        except ValueError:
            return self.scrub(text)
        cleaned = _walk(data, self.scrub)
        if cleaned == data:
            return text
        return json.dumps(cleaned, ensure_ascii=False)

    def mentions(self, text: str) -> bool:
        """Whether *text* still names the person (surname alone, accent- and case-blind)."""
        if not text:
            return False
        if self.hits(unicodedata.normalize("NFC", text)):
            return True
        return self.surname is not None and self.surname.search(fold(text)) is not None


def _walk(value: Any, scrub: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_walk(v, scrub) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, scrub) for k, v in value.items()}
    return value


def _identity(session: Session, person: Person) -> Identity:
    emails = tuple(
        session.scalars(select(PersonEmail.address).where(PersonEmail.person_id == person.id))
    )
    phones = tuple(
        session.scalars(select(PersonPhone.number).where(PersonPhone.person_id == person.id))
    )
    return Identity(
        person.id, nfc(person.first_name), nfc(person.last_name), nfc(person.title), emails, phones
    )


# -- where: the free-text columns ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _TextField:
    model: type[Any]
    column: str
    meeting: str | None = None  # attribute holding the meeting id, for references
    json: bool = False
    whole_value: bool = False  # an address or number field: cleared, not edited


_TEXT_FIELDS = (
    _TextField(Meeting, "title", "id"),
    _TextField(Meeting, "description", "id"),
    _TextField(AgendaItem, "title", "meeting_id"),
    _TextField(AgendaItem, "description", "meeting_id"),
    _TextField(AgendaItem, "presenter_text", "meeting_id"),
    _TextField(AgendaItem, "notes", "meeting_id"),
    _TextField(Minutes, "next_meeting_place", "meeting_id"),
    _TextField(Minutes, "next_meeting_note", "meeting_id"),
    _TextField(Minutes, "informed_only", "meeting_id"),
    _TextField(MinutesRevision, "change_summary"),
    _TextField(MinutesRevision, "snapshot_json", json=True),
    _TextField(Decision, "text", "meeting_id"),
    _TextField(ActionItem, "text", "meeting_id"),
    _TextField(ActionItem, "owner_text", "meeting_id"),
    _TextField(Photo, "caption", "meeting_id"),
    _TextField(Photo, "credit", "meeting_id"),
    _TextField(Photo, "filename", "meeting_id"),
    _TextField(Invitation, "note", "meeting_id"),
    _TextField(Attendance, "guest_name", "meeting_id"),
    _TextField(Attendance, "guest_organisation", "meeting_id"),
    _TextField(OutboxMessage, "subject", "meeting_id"),
    _TextField(OutboxMessage, "body", "meeting_id"),
    _TextField(OutboxMessage, "last_error", "meeting_id"),
    _TextField(OutboxAttachment, "filename"),
    _TextField(Person, "notes"),
    _TextField(Person, "function"),
    _TextField(ConsentRecord, "note"),
    _TextField(Organisation, "notes"),
    _TextField(Organisation, "email", whole_value=True),
    _TextField(Organisation, "phone", whole_value=True),
    _TextField(Venue, "notes"),
    _TextField(Venue, "accessibility_notes"),
    _TextField(Group, "description"),
)
_VERSIONED = (Meeting, AgendaItem, Minutes, Organisation, Person)
_ROLE_COLUMNS = (Meeting.organiser_id, Meeting.moderator_id, Meeting.minute_taker_id)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place whose text still names the person: for review, without quoting the text."""

    table: str
    column: str
    row_id: int | str
    meeting_id: int | None


def _field_rows(session: Session, field: _TextField) -> Iterable[tuple[Any, str, int | None]]:
    column: InstrumentedAttribute[Any] = getattr(field.model, field.column)
    meeting = getattr(field.model, field.meeting) if field.meeting else None
    query = (
        select(field.model.id, column, meeting)
        if meeting is not None
        else select(field.model.id, column)
    )
    for row in session.execute(query.where(column != "")):
        yield row[0], row[1], (row[2] if meeting is not None else None)


def find_mentions(
    session: Session, identity: Identity, *, exclude_person: bool = True
) -> list[Mention]:
    scrubber = _Scrubber.for_identity(identity)
    found = []
    for field in _TEXT_FIELDS:
        for row_id, text, meeting_id in _field_rows(session, field):
            if exclude_person and field.model is Person and row_id == identity.person_id:
                continue
            if scrubber.mentions(text):
                found.append(Mention(field.model.__tablename__, field.column, row_id, meeting_id))
    for key, value in session.execute(select(Setting.key, Setting.value_json)):
        if scrubber.mentions(value):
            found.append(Mention(Setting.__tablename__, "value_json", key, None))
    return found


# -- Löschung (Art. 17) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErasureResult:
    person_id: int
    emails: int
    phones: int
    consents: int
    groups: int
    invitations: int
    attendance_anonymised: int
    guest_rows_anonymised: int
    action_items: int
    presented_items: int
    meeting_roles: int
    messages_deleted: int
    texts_scrubbed: int
    # Documents (PDFs) of e-mails already sent to others that named the person: removed.
    attachments_dropped: int
    # E-mails not sent yet whose documents named the person: their old documents are removed
    # and made again from the anonymised data; ``documents_rebuilt`` of them are ready, the
    # rest is made again before they are sent (``app.mail.rebuild``).
    documents_outdated: int
    documents_rebuilt: int
    remaining_mentions: tuple[Mention, ...]
    vacuumed: bool
    # Photos on which the person was recorded as pictured: deleted (``privacy_photos``).
    photos_deleted: int = 0
    # Photos of their meetings that do not record who is pictured: kept, for the user to check.
    photos_to_check: int = 0

    def photos_note(self) -> str:
        """What became of the photos ("" if none concerned the person)."""
        parts = []
        if self.photos_deleted:
            parts.append(
                ngettext(
                    "{count} photo showing the person was deleted.",
                    "{count} photos showing the person were deleted.",
                    self.photos_deleted,
                ).format(count=self.photos_deleted)
            )
        if self.photos_to_check:
            parts.append(
                ngettext(
                    "{count} photo of their meetings does not record who is pictured: please "
                    "check whether it shows the person (minutes, tab “Photos”).",
                    "{count} photos of their meetings do not record who is pictured: please "
                    "check whether they show the person (minutes, tab “Photos”).",
                    self.photos_to_check,
                ).format(count=self.photos_to_check)
            )
        return " ".join(parts)

    def documents_note(self) -> str:
        """What became of unsent e-mails whose documents named the person ("" if none)."""
        if not self.documents_outdated:
            return ""
        text = ngettext(
            "The documents of {count} unsent e-mail named the person; made again from the "
            "anonymised data: {rebuilt}.",
            "The documents of {count} unsent e-mails named the person; made again from the "
            "anonymised data: {rebuilt}.",
            self.documents_outdated,
        ).format(count=self.documents_outdated, rebuilt=self.documents_rebuilt)
        if self.documents_rebuilt < self.documents_outdated:
            text += " " + _("The others are made again before they are sent.")
        return text


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _count(session: Session, query: Any) -> int:
    return len(session.execute(query).all())


def _meetings_of(session: Session, pid: int) -> set[int]:
    """Meetings the person was invited to, attended, owned a task in, presented at or ran."""
    queries = (
        select(Invitation.meeting_id).where(Invitation.person_id == pid),
        select(Attendance.meeting_id).where(Attendance.person_id == pid),
        select(ActionItem.meeting_id).where(ActionItem.owner_person_id == pid),
        select(AgendaItem.meeting_id).where(AgendaItem.presenter_id == pid),
        select(Meeting.id).where(or_(*(c == pid for c in _ROLE_COLUMNS))),
    )
    meetings: set[int] = set()
    for query in queries:
        meetings.update(session.scalars(query))
    return meetings


def _erase_in_session(
    session: Session, person: Person, moment: datetime, *, log_entry: bool
) -> tuple[ErasureResult, Identity]:
    identity = _identity(session, person)
    pid = person.id
    scrubber = _Scrubber.for_identity(identity)
    address_keys = {a.casefold() for a in identity.emails}
    label = neutral_label()

    meetings = _meetings_of(session, pid)

    # Walk-in guest rows that were this person (same address or full name).
    guest_ids = []
    for row_id, name, email, meeting_id in session.execute(
        select(
            Attendance.id, Attendance.guest_name, Attendance.guest_email, Attendance.meeting_id
        ).where(Attendance.person_id.is_(None), Attendance.anonymised.is_(False))
    ):
        named = scrubber.names is not None and scrubber.names.fullmatch(nfc(name) or "")
        if (email and email.casefold() in address_keys) or named:
            guest_ids.append(row_id)
            meetings.add(meeting_id)
    own_rows = list(session.scalars(select(Attendance.id).where(Attendance.person_id == pid)))
    photos = erase_photos(session, pid, [*own_rows, *guest_ids])
    anonymous = {
        "anonymised": True,
        "person_id": None,
        "guest_name": "",
        "guest_organisation": "",
        "guest_email": "",
    }
    if guest_ids:
        session.execute(update(Attendance).where(Attendance.id.in_(guest_ids)).values(anonymous))
    attendance = _rowcount(
        session.execute(update(Attendance).where(Attendance.person_id == pid).values(anonymous))
    )
    action_items = _rowcount(
        session.execute(
            update(ActionItem)
            .where(ActionItem.owner_person_id == pid)
            .values(owner_person_id=None, owner_text=label)
        )
    )
    presented = 0
    for item in session.scalars(select(AgendaItem).where(AgendaItem.presenter_id == pid)):
        item.presenter_id = None
        item.presenter_text = scrubber.scrub(item.presenter_text) or label
        presented += 1
    roles = 0
    for meeting in session.scalars(select(Meeting).where(or_(*(c == pid for c in _ROLE_COLUMNS)))):
        for column in ("organiser_id", "moderator_id", "minute_taker_id"):
            if getattr(meeting, column) == pid:
                setattr(meeting, column, None)
                roles += 1
    session.flush()

    to_them = or_(
        OutboxMessage.person_id == pid,
        *([OutboxMessage.recipient.in_(identity.emails)] if identity.emails else []),
    )
    message_ids = list(session.scalars(select(OutboxMessage.id).where(to_them)))
    for message_id, recipient in session.execute(select(OutboxMessage.id, OutboxMessage.recipient)):
        if recipient.casefold() in address_keys and message_id not in message_ids:
            message_ids.append(message_id)
    if message_ids:
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))
    # The invitation stays, without the person, so past meetings keep their "invited" count.
    invitations = _rowcount(
        session.execute(
            update(Invitation)
            .where(Invitation.person_id == pid)
            .values(person_id=None, anonymised=True, note="")
        )
    )

    scrubbed = _scrub_texts(session, scrubber, pid, meetings)
    attachments_dropped, outdated = _documents_naming(session, scrubber, meetings)

    emails = len(identity.emails)
    phones = len(identity.phones)
    consents = _count(session, select(ConsentRecord.id).where(ConsentRecord.person_id == pid))
    groups = _count(
        session, select(person_groups.c.group_id).where(person_groups.c.person_id == pid)
    )
    session.execute(delete(Person).where(Person.id == pid))  # cascades: e-mails, phones, …
    if log_entry:
        session.add(ErasureLogEntry(person_id=pid, erased_at=moment))
    session.flush()
    result = ErasureResult(
        person_id=pid,
        emails=emails,
        phones=phones,
        consents=consents,
        groups=groups,
        invitations=invitations,
        attendance_anonymised=attendance,
        guest_rows_anonymised=len(guest_ids),
        action_items=action_items,
        presented_items=presented,
        meeting_roles=roles,
        messages_deleted=len(message_ids),
        texts_scrubbed=scrubbed,
        attachments_dropped=attachments_dropped,
        documents_outdated=outdated,
        documents_rebuilt=0,
        remaining_mentions=(),
        vacuumed=False,
        photos_deleted=photos.deleted,
        photos_to_check=photos.to_check,
    )
    return result, identity


def _documents_naming(session: Session, scrubber: _Scrubber, meetings: set[int]) -> tuple[int, int]:
    """Documents (PDFs) of e-mails about *meetings* that name the person, judged by their
    text layer: (removed from sent e-mails, e-mails not sent yet marked for a new document).

    Documents that do not name the person stay untouched: an invitation PDF to someone else
    that only lists the agenda is theirs, not the erased person's. A sent one that names
    them loses it (the mail's record stays); an unsent one loses it too and gets a new one,
    made from the anonymised data, before it can go out.
    """
    from app.services.pdf_text import is_document, pdf_text  # late: pypdf

    if not meetings:
        return 0, 0
    verdicts: dict[bytes, bool] = {}

    def names_person(data: bytes) -> bool:
        key = hashlib.sha256(data).digest()
        if key not in verdicts:
            text = pdf_text(data)
            if text is None:  # not readable as a PDF: judged by its raw bytes
                text = data.decode("utf-8", "replace")
            verdicts[key] = scrubber.mentions(text)
        return verdicts[key]

    dropped = outdated = 0
    messages = session.execute(
        select(OutboxMessage.id, OutboxMessage.state).where(OutboxMessage.meeting_id.in_(meetings))
    ).all()
    for message_id, state in messages:
        stale = [
            attachment_id
            for attachment_id, mime_type, data in session.execute(
                select(OutboxAttachment.id, OutboxAttachment.mime_type, OutboxAttachment.data)
                .where(OutboxAttachment.message_id == message_id)
                .order_by(OutboxAttachment.id)
            )
            if is_document(mime_type) and names_person(data)
        ]
        if not stale:
            continue
        session.execute(delete(OutboxAttachment).where(OutboxAttachment.id.in_(stale)))
        if state is OutboxState.SENT:
            dropped += len(stale)
        else:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(documents_outdated=True)
            )
            outdated += 1
    return dropped, outdated


def _scrub_texts(session: Session, scrubber: _Scrubber, pid: int, meetings: set[int]) -> int:
    changed = 0
    for field in _TEXT_FIELDS:
        for row_id, text, meeting_id in _field_rows(session, field):
            if field.model is Person and row_id == pid:
                continue  # deleted anyway
            if field.whole_value:
                hit = scrubber.hits(unicodedata.normalize("NFC", text))
                new = "" if hit else text
            else:
                new = scrubber.scrub_json(text) if field.json else scrubber.scrub(text)
            if new == text:
                continue
            values: dict[str, Any] = {field.column: new}
            if field.model in _VERSIONED:
                values["version"] = field.model.version + 1
            session.execute(update(field.model).where(field.model.id == row_id).values(values))
            if meeting_id is not None:
                meetings.add(meeting_id)
            changed += 1
    # Text attachments (.ics, .txt) of e-mails to others.
    for attachment_id, data in session.execute(
        select(OutboxAttachment.id, OutboxAttachment.data).where(
            OutboxAttachment.mime_type.startswith("text/")
        )
    ):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        new = scrubber.scrub(text)
        if new != text:
            session.execute(
                update(OutboxAttachment)
                .where(OutboxAttachment.id == attachment_id)
                .values(data=new.encode("utf-8"))
            )
            changed += 1
    return changed


# Tables an erasure deletes from or rewrites, besides those of ``_TEXT_FIELDS``: the person's
# own rows (cascading to e-mails, phones, consent records, group memberships), anonymised
# invitations and attendance, and the outbox.
_PERSON_TABLES = (
    Person,
    PersonEmail,
    PersonPhone,
    ConsentRecord,
    Invitation,
    Attendance,
    ActionItem,
    OutboxMessage,
    OutboxAttachment,
)


def erasure_tables() -> list[str]:
    """Every table an erasure may leave deleted bytes in."""
    models = {field.model for field in _TEXT_FIELDS} | set(_PERSON_TABLES)
    names = {model.__tablename__ for model in models} | {"person_groups", "photo_subjects"}
    return sorted(names)


def vacuum(db: Database) -> bool:
    """Leave no byte of the erased data in the database's files: SQLite rebuilds the file,
    a server rewrites the touched tables (``VACUUM (FULL)``). False if not possible now."""
    done = db.vacuum(erasure_tables())
    if not done:
        log.warning("compacting after an erasure was not possible now")
    return done


def _already_erased(session: Session, person_id: int) -> bool:
    return (
        session.scalar(
            select(ErasureLogEntry.id).where(ErasureLogEntry.person_id == person_id).limit(1)
        )
        is not None
    )


def erase_person(
    db: Database, person_id: int, *, now: datetime | None = None, compact: bool = True
) -> ErasureResult:
    """Erase a person (Art. 17) as described in the module docstring; see ``ErasureResult``."""
    moment = now or datetime.now(UTC)
    with db.write() as session:
        person = session.get(Person, person_id)
        if person is None:
            if _already_erased(session, person_id):
                raise NotFound(
                    _("The person with the number {id} has already been erased.").format(
                        id=person_id
                    )
                )
            raise NotFound(_("There is no person with the number {id}.").format(id=person_id))
        result, identity = _erase_in_session(session, person, moment, log_entry=True)
    vacuumed = vacuum(db) if compact else False
    with db.read() as session:
        remaining = tuple(find_mentions(session, identity))
    log.info("person %d erased (%d texts scrubbed)", person_id, result.texts_scrubbed)
    return _replace(result, remaining_mentions=remaining, vacuumed=vacuumed)


def _replace(result: ErasureResult, **changes: Any) -> ErasureResult:
    from dataclasses import replace

    return replace(result, **changes)


def erasure_log(db: Database) -> list[tuple[int, datetime]]:
    with db.read() as session:
        return [
            (row.person_id, row.erased_at)
            for row in session.scalars(
                select(ErasureLogEntry).order_by(ErasureLogEntry.erased_at, ErasureLogEntry.id)
            )
        ]


def merge_erasure_log(db: Database, entries: Iterable[tuple[int, str | datetime]]) -> int:
    """Add the erasure log entries of another copy of the database (e.g. before a restore)."""
    added = 0
    with db.write() as session:
        known = {
            (row.person_id, row.erased_at.replace(microsecond=0))
            for row in session.scalars(select(ErasureLogEntry))
        }
        for person_id, erased_at in entries:
            moment = _as_utc(erased_at)
            if (person_id, moment.replace(microsecond=0)) in known:
                continue
            session.add(ErasureLogEntry(person_id=person_id, erased_at=moment))
            known.add((person_id, moment.replace(microsecond=0)))
            added += 1
    return added


def _as_utc(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # as SQLite stores it: naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def reapply_erasures(db: Database, *, now: datetime | None = None) -> int:
    """Erase again every logged person who is (back) in the database, e.g. after a restore.

    A person counts only if created before the erasure: SQLite may give a later, different
    person the same id, and that person must not be erased. Queued e-mails whose documents
    named them are marked; their documents are made again before they are sent.
    """
    moment = now or datetime.now(UTC)
    erased = 0
    with db.write() as session:
        entries = session.execute(select(ErasureLogEntry.person_id, ErasureLogEntry.erased_at))
        latest: dict[int, datetime] = {}
        for person_id, erased_at in entries:
            latest[person_id] = max(erased_at, latest.get(person_id, erased_at))
        for person_id, erased_at in sorted(latest.items()):
            person = session.get(Person, person_id)
            if person is None or person.created_at > erased_at:
                continue
            _erase_in_session(session, person, moment, log_entry=False)
            erased += 1
    if erased:
        vacuum(db)
        log.info("%d erasures re-applied", erased)
    return erased


# -- Auskunft (Art. 15) -------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _controller(session: Session) -> dict[str, Any] | None:
    """The letterhead's name and address: who is responsible for the data.

    Read from the stored JSON (``app.services.letterhead`` describes it) without importing
    the documents package, which would load ReportLab for a JSON export.
    """
    value = read_setting(session, "letterhead")
    if not isinstance(value, dict) or not str(value.get("name") or "").strip():
        return None
    lines = value.get("address_lines", value.get("address", ()))
    if isinstance(lines, str):
        lines = lines.splitlines()
    if not isinstance(lines, list | tuple):
        lines = []
    return {
        "name": nfc(str(value["name"])),
        "address_lines": [nfc(str(line)) for line in lines if str(line).strip()],
    }


def _retention_months(session: Session) -> int:
    from app.services.retention import (
        DEFAULT_RETENTION_MONTHS,
        MAX_MONTHS,
        MIN_MONTHS,
        RETENTION_SETTING,
    )

    value = read_setting(session, RETENTION_SETTING, DEFAULT_RETENTION_MONTHS)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_MONTHS <= value <= MAX_MONTHS:
        return value
    return DEFAULT_RETENTION_MONTHS


def _meeting_fields(session: Session, meeting_id: int | None) -> dict[str, Any]:
    meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
    if meeting is None:
        return {}
    return {"meeting_title": meeting.title, "meeting_start": _iso(meeting.start)}


def export_person(db: Database, person_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything stored about a person, JSON-ready (see the module docstring for the scope)."""
    moment = now or datetime.now(UTC)
    with db.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(_("There is no person with the number {id}.").format(id=person_id))
        identity = _identity(session, person)
        organisation = person.organisation
        letter = person_letter_address(
            person,
            organisation.name if organisation else "",
            AddressParts.of(organisation.street, organisation.postcode, organisation.city)
            if organisation
            else None,
        )

        def meeting_ref(meeting: Meeting) -> dict[str, Any]:
            return {
                "meeting_id": meeting.id,
                "meeting_title": meeting.title,
                "meeting_start": _iso(meeting.start),
            }

        address_keys = {a.casefold() for a in identity.emails}
        guest_rows = [
            a
            for a in session.scalars(select(Attendance).where(Attendance.person_id.is_(None)))
            if a.guest_email and a.guest_email.casefold() in address_keys
        ]
        roles = []
        for meeting in session.scalars(
            select(Meeting)
            .where(
                or_(
                    Meeting.organiser_id == person_id,
                    Meeting.moderator_id == person_id,
                    Meeting.minute_taker_id == person_id,
                )
            )
            .order_by(Meeting.start)
        ):
            for role in ("organiser", "moderator", "minute_taker"):
                if getattr(meeting, f"{role}_id") == person_id:
                    roles.append({**meeting_ref(meeting), "role": role})
        for item in session.scalars(select(AgendaItem).where(AgendaItem.presenter_id == person_id)):
            roles.append(
                {**meeting_ref(item.meeting), "role": "presenter", "agenda_item": item.title}
            )
        messages = session.scalars(
            select(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.person_id == person_id,
                    *([OutboxMessage.recipient.in_(identity.emails)] if identity.emails else []),
                )
            )
            .order_by(OutboxMessage.created_at)
        ).all()
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "generator": f"Treffpunkt {__version__}",
            "exported_at": _iso(moment),
            "person": {
                "id": person.id,
                "salutation": person.salutation.value,
                "title": person.title,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "function": person.function,
                "preferred_language": person.preferred_language,
                "street": person.street,
                "postcode": person.postcode,
                "city": person.city,
                "country": person.country,
                "address_kind": person.address_kind.value,
                "notes": person.notes,
                "archived": person.archived,
                "created_at": _iso(person.created_at),
                "updated_at": _iso(person.updated_at),
            },
            "organisation": (
                {"id": organisation.id, "name": organisation.name} if organisation else None
            ),
            # The address letters use: the person's own, else the organisation's.
            "letter_address": letter.as_json() if letter is not None else None,
            # Who answers for the data and how long it is kept (Art. 15 (1) and (1) d).
            "controller": _controller(session),
            "retention_months": _retention_months(session),
            "emails": [
                {"address": e.address, "label": e.label, "preferred": e.is_preferred}
                for e in person.emails
            ],
            "phones": [{"number": p.number, "label": p.label} for p in person.phones],
            "groups": sorted(g.name for g in person.groups),
            "consents": [
                {
                    "topic": c.topic.value,
                    "given": c.given,
                    "recorded_at": _iso(c.recorded_at),
                    "method": c.method.value,
                    "note": c.note,
                }
                for c in person.consents
            ],
            "invitations": [
                {
                    **meeting_ref(i.meeting),
                    "state": i.state.value,
                    "sent_at": _iso(i.sent_at),
                    "answered_at": _iso(i.answered_at),
                    "note": i.note,
                }
                for i in session.scalars(
                    select(Invitation)
                    .where(Invitation.person_id == person_id)
                    .join(Meeting)
                    .order_by(Meeting.start)
                )
            ],
            "attendance": [
                {
                    **meeting_ref(a.meeting),
                    "status": a.status.value,
                    "photo_consent": a.photo_consent,
                    "checked_in_at": _iso(a.checked_in_at),
                    "as_guest": a.person_id is None,
                }
                for a in [
                    *session.scalars(select(Attendance).where(Attendance.person_id == person_id)),
                    *guest_rows,
                ]
            ],
            "photos": photos_for_export(
                session,
                [
                    *session.scalars(
                        select(Attendance.id).where(Attendance.person_id == person_id)
                    ),
                    *(a.id for a in guest_rows),
                ],
            ),
            "meeting_roles": roles,
            "action_items": [
                {
                    **meeting_ref(a.meeting),
                    "text": a.text,
                    "due": _iso(a.due),
                    "status": a.status.value,
                    "done_at": _iso(a.done_at),
                }
                for a in session.scalars(
                    select(ActionItem).where(ActionItem.owner_person_id == person_id)
                )
            ],
            "emails_sent": [
                {
                    "kind": m.kind.value,
                    "meeting_id": m.meeting_id,
                    "recipient": m.recipient,
                    "subject": m.subject,
                    "state": m.state.value,
                    "attempts": m.attempts,
                    "created_at": _iso(m.created_at),
                    "sent_at": _iso(m.sent_at),
                    "attachments": [a.filename for a in m.attachments],
                }
                for m in messages
            ],
            "mentioned_in": [
                {
                    "table": m.table,
                    "column": m.column,
                    "row_id": m.row_id,
                    "meeting_id": m.meeting_id,
                    **_meeting_fields(session, m.meeting_id),
                }
                for m in find_mentions(session, identity)
            ],
            "not_included": _(
                "Bodies and attachments of e-mails and the texts that mention the person are "
                "referenced, not copied: they also concern other participants (Art. 15 (4) "
                "GDPR)."
            ),
        }
    return data


def export_person_json(db: Database, person_id: int, *, now: datetime | None = None) -> str:
    return json.dumps(export_person(db, person_id, now=now), ensure_ascii=False, indent=2)


__all__ = [
    "ErasureResult",
    "Identity",
    "Mention",
    "erase_person",
    "erasure_log",
    "export_person",
    "export_person_json",
    "merge_erasure_log",
    "neutral_label",
    "reapply_erasures",
    "vacuum",
]
