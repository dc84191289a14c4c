"""Freezing a meeting into an ``InvitationSnapshot`` in one short read session.

Kept apart from the renderer so that rendering imports no database code. All text is NFC and
unescaped ("<b>offen" stays literally that): escaping is the renderer's job.

Open action items: those of meetings that started before this one and are still open today
(the rule of ``standard_agenda.open_action_items``, read here in the same session), listed
under the first TOP, in agenda order, that ``lists_open_action_items``. The invitation goes to
every partner, so an item names its owner as an organisation (``public_owner``), never a
person's name.

Letters: ``letters=True`` makes one letter per invitee who cannot be mailed (no address,
e-mail consent withdrawn, archived, invalid address: the mailing's "needs a letter" rule),
with ``all_invitees=True`` one per invitee; ``person_ids`` makes letters for exactly those
people (invited or not, e.g. a funder). Each letter goes to the person's own postal address,
else their organisation's (``app.services.postal``); a letter without a usable address is
still made (to hand over), and ``LetterRecipient.has_address`` says so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import i18n
from app.addresses import normalise_address
from app.db import Database
from app.errors import InvalidAddressError, NotFound, TreffpunktError
from app.i18n import _, current_language, pgettext
from app.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Invitation,
    Meeting,
    MeetingState,
    Person,
    Salutation,
)
from app.services.consent import may_receive_email
from app.services.directory import person_letter_address, person_name
from app.services.languages import meeting_language, reader_language
from app.services.letterhead import Letterhead
from app.services.mail_settings import read_smtp_settings
from app.services.meetings import agenda_rows
from app.services.phrases import Addressee, salutation_line
from app.services.postal import AddressParts, recipient_lines
from app.text import nfc


@dataclass(frozen=True, slots=True)
class OpenItemLine:
    """An open action item of an earlier meeting, listed under the "open items" TOP."""

    text: str
    owner: str
    due: date | None
    overdue: bool  # due before the day of this meeting
    meeting_title: str
    meeting_date: date  # the day of the meeting that set it


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    number: str  # "3" or "3.1"
    depth: int  # 0 for a TOP, 1 for a sub-item …
    start: datetime  # planned start, aware, in the meeting's time zone
    title: str
    description: str = ""
    presenter: str = ""
    minutes: int = 0
    kind: str = "information"  # AgendaItemKind value: information | discussion | decision
    lists_open_items: bool = False
    open_items: tuple[OpenItemLine, ...] = ()  # filled for the first TOP that lists them


@dataclass(frozen=True, slots=True)
class VenueBlock:
    name: str
    room: str = ""
    address: str = ""  # "Street 1, 12345 City"
    accessibility: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    """Whom to answer or ask: the organiser (or the sender of the mail settings)."""

    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class LetterRecipient:
    """One printed letter: the window-envelope address and the personal salutation."""

    person_id: int | None
    name: str  # "Dr. Ayşe Yılmaz"
    salutation: str  # "Sehr geehrte Frau Dr. Yılmaz,"
    # DIN 5008 order: organisation, "Frau Dr. Ayşe Yılmaz", street, town, COUNTRY abroad.
    address_lines: tuple[str, ...]
    reason: str = ""  # why a letter (the skip reason's identifier, e.g. "no_email")
    has_address: bool = True  # False: no usable postal address, the name only (hand it over)


@dataclass(frozen=True, slots=True)
class InvitationSnapshot:
    """Everything the invitation shows, frozen before rendering."""

    meeting_id: int
    title: str
    description: str
    start: datetime  # aware, in the meeting's time zone
    end: datetime | None
    planned_end: datetime  # start + the agenda's minutes
    venue: VenueBlock | None
    rsvp_by: date | None
    agenda: tuple[AgendaEntry, ...]
    organiser: Contact | None
    privacy_notice: str
    cancelled: bool = False
    issued: date | None = None  # the letter date; None: no date line
    language: str = ""  # "de"/"en": every text and date of the PDF; "" the current language
    letters: tuple[LetterRecipient, ...] = ()  # empty: the generic invitation
    letterhead: Letterhead | None = field(default=None, compare=False)

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def open_items(self) -> tuple[OpenItemLine, ...]:
        return tuple(item for entry in self.agenda for item in entry.open_items)


def default_privacy_notice(controller: str) -> str:
    """The short data-protection note at the end of every invitation."""
    # Translators: legal text (Art. 13 DSGVO, short form); keep {controller}. Have it checked.
    return _(
        "Data protection: {controller} uses your name and contact details only to organise the "
        "network and its meetings (Art. 6(1)(f) GDPR). At the meeting an attendance list is kept "
        "as proof for the funding body; photos are taken only with consent. You may object at "
        "any time and ask what is stored about you: a short message to the contact above is "
        "enough."
    ).format(controller=nfc(controller) or _("the organiser of this meeting"))


class NoLettersNeededError(TreffpunktError):
    """Letters were asked for, but every invitee can be reached by e-mail."""


def letter_reason(person: Person) -> str | None:
    """Why *person* needs a printed letter ("no_email", …), or None if a mail reaches them.

    The same rule as the mailing's ``LETTER_REASONS``; the values are its ``SkipReason``s.
    """
    if person.archived:
        return "archived"
    if not person.emails:
        return "no_email"
    if not may_receive_email(person):
        return "consent_withdrawn"
    try:
        normalise_address(person.preferred_email)
    except InvalidAddressError:
        return "invalid_address"
    return None


def _address_name(person: Person) -> str:
    """The name line of a postal address: "Frau Dr. Ayşe Yılmaz" (DIN 5008: one line)."""
    if person.salutation is Salutation.FRAU:
        # Translators: before a woman's name in a postal address ("Frau").
        prefix = pgettext("postal address", "Ms")
    elif person.salutation is Salutation.HERR:
        # Translators: before a man's name in a postal address ("Herr").
        prefix = pgettext("postal address", "Mr")
    else:
        prefix = ""
    return " ".join(part for part in (prefix, nfc(person_name(person))) if part)


def _letter(person: Person, language: str, reason: str) -> LetterRecipient:
    organisation = person.organisation
    address = person_letter_address(
        person,
        nfc(organisation.name) if organisation else "",
        AddressParts.of(organisation.street, organisation.postcode, organisation.city)
        if organisation
        else None,
    )
    if address is not None:
        lines = recipient_lines(address, _address_name(person))
    else:  # no usable address: the name (and organisation) only, for handing over
        lines = tuple(
            line
            for line in (nfc(organisation.name) if organisation else "", _address_name(person))
            if line
        )
    addressee = Addressee(
        salutation=person.salutation,
        title=nfc(person.title),
        first_name=nfc(person.first_name),
        last_name=nfc(person.last_name),
        organisation=nfc(organisation.name) if organisation else "",
        language=language,
    )
    return LetterRecipient(
        person_id=person.id,
        name=nfc(person_name(person)),
        salutation=nfc(salutation_line(addressee, language)),
        address_lines=lines,
        reason=reason,
        has_address=address is not None,
    )


def _people_options() -> list[Any]:
    return [
        selectinload(Person.emails),
        selectinload(Person.consents),
        selectinload(Person.organisation),
    ]


def _letters(
    session: Session,
    meeting_id: int,
    letters: bool,
    person_ids: Collection[int] | None,
    all_invitees: bool = False,
) -> tuple[LetterRecipient, ...]:
    language = current_language()
    if person_ids is not None:
        wanted = list(dict.fromkeys(person_ids))
        found = {
            person.id: person
            for person in session.scalars(
                select(Person).where(Person.id.in_(wanted)).options(*_people_options())
            )
        }
        missing = [person_id for person_id in wanted if person_id not in found]
        if missing:
            raise NotFound(_("There is no person with the number {id}.").format(id=missing[0]))
        return tuple(
            _letter(found[person_id], language, letter_reason(found[person_id]) or "")
            for person_id in wanted
        )
    if not letters:
        return ()
    invitees = session.scalars(
        select(Person)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.meeting_id == meeting_id)
        .options(*_people_options())
        .order_by(Person.name_key, Person.id)
    ).all()
    chosen = []
    for person in invitees:
        reason = letter_reason(person)
        if reason is not None or all_invitees:
            chosen.append(_letter(person, language, reason or ""))
    if not chosen and all_invitees:
        raise NoLettersNeededError(_("Nobody is invited to this meeting yet."))
    if not chosen:
        raise NoLettersNeededError(
            _("Every invitee can be reached by e-mail; no letter needs to be printed.")
        )
    return tuple(chosen)


def public_owner(item: ActionItem) -> str:
    """Who answers for an item, as a document for all partners may say: the organisation
    (given, or the owner's), else a free-text owner ("Lenkungskreis"); never a person."""
    if item.owner_organisation is not None:
        return item.owner_organisation.name
    person = item.owner_person
    if person is not None and person.organisation is not None:
        return person.organisation.name
    if person is None:
        return item.owner_text
    return ""


def _open_items(session: Session, meeting: Meeting, day: date) -> tuple[OpenItemLine, ...]:
    items = session.scalars(
        select(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(
            ActionItem.status == ActionItemStatus.OPEN,
            Meeting.start < meeting.start,
            Meeting.id != meeting.id,
        )
        .order_by(Meeting.start, ActionItem.position, ActionItem.id)
        .options(
            selectinload(ActionItem.meeting),
            selectinload(ActionItem.owner_person).selectinload(Person.organisation),
            selectinload(ActionItem.owner_organisation),
        )
    ).all()
    return tuple(
        OpenItemLine(
            text=nfc(item.text),
            owner=nfc(public_owner(item)),
            due=item.due,
            overdue=item.due is not None and item.due < day,
            meeting_title=nfc(item.meeting.title),
            meeting_date=item.meeting.start.astimezone(ZoneInfo(item.meeting.timezone)).date(),
        )
        for item in items
    )


def _contact(session: Session, meeting: Meeting) -> Contact | None:
    organiser = meeting.organiser
    if organiser is not None:
        return Contact(
            name=nfc(person_name(organiser)),
            organisation=nfc(organiser.organisation.name) if organiser.organisation else "",
            email=nfc(organiser.preferred_email),
            phone=nfc(organiser.phones[0].number) if organiser.phones else "",
        )
    settings = read_smtp_settings(session)
    if settings.sender_name or settings.sender_address:
        return Contact(
            name=nfc(settings.sender_name) or nfc(settings.sender_address),
            email=nfc(settings.reply_to or settings.sender_address),
        )
    return None


def build_invitation_snapshot(
    db: Database,
    meeting_id: int,
    *,
    letterhead: Letterhead | None = None,
    letters: bool = False,
    person_ids: Collection[int] | None = None,
    all_invitees: bool = False,
    privacy_notice: str | None = None,
    today: date | None = None,
    language: str | None = None,
) -> InvitationSnapshot:
    """Everything the invitation of meeting *meeting_id* shows, as frozen data.

    *letterhead* comes from the settings (``letterhead.load_letterhead``). ``letters`` or
    ``person_ids`` make a stack of letters (module docstring; ``all_invitees``: one for every
    invitee, not only those without e-mail); *today* is their date (default: today).
    *language* is the reader's ("de"/"en", e.g. a mail recipient's); by default the
    meeting's: every text in the snapshot, and later the PDF, is in that language whatever
    the window speaks. Raises ``NotFound`` for an unknown meeting or person and
    ``NoLettersNeededError`` when ``letters`` finds nobody who needs one.
    """
    with db.read() as session:
        chosen = reader_language(language, meeting_language(session, meeting_id))
    with i18n.language(chosen):
        return _build_invitation_snapshot(
            db,
            meeting_id,
            letterhead=letterhead,
            letters=letters,
            person_ids=person_ids,
            all_invitees=all_invitees,
            privacy_notice=privacy_notice,
            today=today,
            language=chosen,
        )


def _build_invitation_snapshot(
    db: Database,
    meeting_id: int,
    *,
    letterhead: Letterhead | None,
    letters: bool,
    person_ids: Collection[int] | None,
    all_invitees: bool,
    privacy_notice: str | None,
    today: date | None,
    language: str,
) -> InvitationSnapshot:
    with db.read() as session:
        meeting = session.get(
            Meeting,
            meeting_id,
            options=[
                selectinload(Meeting.venue),
                selectinload(Meeting.organiser).options(
                    selectinload(Person.organisation),
                    selectinload(Person.emails),
                    selectinload(Person.phones),
                ),
                selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenter),
            ],
        )
        if meeting is None:
            raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
        zone = ZoneInfo(meeting.timezone)
        start = meeting.start.astimezone(zone)
        rows = agenda_rows(list(meeting.agenda_items), start)
        host = next((row.id for row in rows if row.lists_open_action_items), None)
        open_items = _open_items(session, meeting, start.date()) if host is not None else ()
        agenda = tuple(
            AgendaEntry(
                number=row.number,
                depth=row.depth,
                start=row.start,
                title=nfc(row.title),
                description=nfc(row.description),
                presenter=nfc(row.presenter),
                minutes=row.planned_minutes,
                kind=row.kind.value,
                lists_open_items=row.lists_open_action_items,
                open_items=open_items if row.id == host else (),
            )
            for row in rows
        )
        venue = None
        if meeting.venue is not None:
            place = meeting.venue
            town = " ".join(part for part in (place.postcode, place.city) if part)
            venue = VenueBlock(
                name=nfc(place.name),
                room=nfc(place.room),
                address=nfc(", ".join(part for part in (place.street, town) if part)),
                accessibility=nfc(place.accessibility_notes).strip(),
            )
        contact = _contact(session, meeting)
        organiser_org = contact.organisation if meeting.organiser is not None and contact else ""
        recipients = _letters(session, meeting_id, letters, person_ids, all_invitees)
        end = meeting.end.astimezone(zone) if meeting.end else None
        planned_end = start + timedelta(minutes=sum(row.planned_minutes for row in rows))
        title = nfc(meeting.title)
        description = nfc(meeting.description).strip()
        rsvp_by = meeting.rsvp_by
        cancelled = meeting.state is MeetingState.CANCELLED

    if privacy_notice is not None:
        notice = nfc(privacy_notice)
    else:
        if letterhead is not None:
            parts: tuple[str, ...] = (letterhead.name, *letterhead.address_lines)
            controller = ", ".join(nfc(part) for part in parts if part)
        else:
            controller = organiser_org or (contact.name if contact else "")
        notice = default_privacy_notice(controller)
    return InvitationSnapshot(
        meeting_id=meeting_id,
        title=title,
        description=description,
        start=start,
        end=end,
        planned_end=planned_end,
        venue=venue,
        rsvp_by=rsvp_by,
        agenda=agenda,
        organiser=contact,
        privacy_notice=notice,
        cancelled=cancelled,
        issued=(today or datetime.now(zone).date()) if recipients else None,
        language=language,
        letters=recipients,
        letterhead=letterhead,
    )
