"""Freezing a meeting's minutes into a ``MinutesSnapshot`` in one short read session.

The snapshot is everything the minutes PDF ("Protokoll") shows, as plain frozen data: the
renderer (``app.documents.minutes``, not here) never touches the database and can run in any
thread. The same snapshot, as JSON (``snapshot_json``), is what a finalised revision records.

All text is NFC; user text is NOT escaped here ("<b>Anna</b>" stays that literally): escaping
is the renderer's job (``app.documents.text.pdf_text``). Notes come parsed into blocks
(``app.services.minutes.markup``). Times are aware, in the meeting's time zone.

Order: present people grouped by organisation (alphabetically, German-aware; people without an
organisation and erased people, shown as "a participant", last), inside a group by last and
first name; excused likewise by name; guests by name; TOPs in agenda order; decisions and
action items in their order per TOP; carried-over items as in ``carry_over``.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import i18n
from app.db import Database
from app.errors import NotFound
from app.i18n import _, format_date
from app.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    Minutes,
    MinutesState,
    Person,
    Photo,
)
from app.services.directory import person_name
from app.services.languages import meeting_language, reader_language
from app.services.letterhead import Letterhead
from app.services.meetings import action_owner, agenda_rows
from app.services.minutes.carry_over import CarriedItem, carried_host, carried_in_session
from app.services.minutes.distribution import Distribution, Recipient, distribution_in_session
from app.services.minutes.markup import Block, BulletList, Paragraph, parse_notes
from app.services.snapshots.common import DocumentInfo
from app.text import nfc, sort_key

_NO_ORGANISATION = "\U0010ffff"  # sorts after every organisation


@dataclass(frozen=True, slots=True)
class VenuePlace:
    name: str
    address: str  # "Street 1, 47798 City"
    room: str


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str  # "Dr. Ayşe Yılmaz"; "a participant" (translated) for an erased person
    organisation: str = ""
    function: str = ""
    person_id: int | None = None
    guest: bool = False
    anonymised: bool = False
    arrived_at: str | None = None  # TOP number during which the person came, if late
    left_after: str | None = None  # TOP number after which the person left, if early

    @property
    def label(self) -> str:
        """ "Name – Organisation" (or just the name)."""
        return f"{self.name} – {self.organisation}" if self.organisation else self.name


@dataclass(frozen=True, slots=True)
class PresentGroup:
    organisation: str  # "" for people without an organisation (and erased people)
    attendees: tuple[Attendee, ...]


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    id: int
    text: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None

    @property
    def has_votes(self) -> bool:
        return any(v is not None for v in (self.votes_yes, self.votes_no, self.votes_abstain))


@dataclass(frozen=True, slots=True)
class ActionEntry:
    id: int
    agenda_number: str | None  # the TOP it was set under (None: its TOP was removed)
    text: str
    owner: str  # person, organisation or free text ("Jana Hoffmann / Stadt Krefeld")
    due: date | None
    status: ActionItemStatus  # today
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class TopEntry:
    id: int
    number: str  # "3" or "3.1"
    depth: int  # 0 for a TOP, 1 for a sub-item …
    title: str
    presenter: str
    description: str
    notes: tuple[Block, ...]
    notes_text: str  # the notes as typed (markup included)
    decisions: tuple[DecisionEntry, ...]
    actions: tuple[ActionEntry, ...]
    carried_actions: tuple[CarriedItem, ...] = ()  # only under the "open action items" TOP


@dataclass(frozen=True, slots=True)
class NextMeetingEntry:
    start: datetime | None
    place: str
    note: str


@dataclass(frozen=True, slots=True)
class PhotoEntry:
    id: int
    filename: str
    mime_type: str
    data: bytes = field(repr=False)
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class MeetingReference:
    """Another meeting, e.g. the one whose minutes were approved here ("Protokoll vom …")."""

    meeting_id: int
    title: str
    date: date
    minutes_number: str
    revision: int


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    revision: int
    created_at: datetime  # local
    change_summary: str


@dataclass(frozen=True, slots=True)
class MinutesSnapshot:
    """Everything the minutes PDF shows, frozen before rendering."""

    meeting_id: int
    info: DocumentInfo  # PDF metadata: title, author, subject, language
    title: str
    number: str  # "3/2026"; "" before the minutes were started
    state: MinutesState  # DRAFT → the renderer marks every page "ENTWURF"
    revision: int  # 0 for a first draft; n for final revision n (or the correction n)
    change_summary: str  # what revision n changed ("" for the first)
    revisions: tuple[RevisionEntry, ...]  # finalised revisions, oldest first
    finalised_at: datetime | None
    approved_in: MeetingReference | None  # the later meeting that approved these minutes
    approvals: tuple[MeetingReference, ...]  # minutes of earlier meetings approved in this one
    date: date
    start: datetime  # actual start if recorded, else planned
    end: datetime | None  # actual end if recorded, else planned
    times_actual: bool  # start/end are the recorded actual times
    timezone: str
    venue: VenuePlace | None
    organiser: str
    moderator: str
    minute_taker: str
    present: tuple[PresentGroup, ...]
    excused: tuple[Attendee, ...]
    guests: tuple[Attendee, ...]
    agenda: tuple[TopEntry, ...]
    # Entries whose TOP was removed from the agenda after they were written.
    unassigned_decisions: tuple[DecisionEntry, ...]
    unassigned_actions: tuple[ActionEntry, ...]
    # Carried-over items when no TOP lists them (a section of their own).
    carried_section: tuple[CarriedItem, ...]
    action_summary: tuple[ActionEntry, ...]  # this meeting's action items (Was/Wer/Bis wann)
    next_meeting: NextMeetingEntry | None
    distribution: Distribution  # names only: ``email`` is always None here
    photos: tuple[PhotoEntry, ...]
    letterhead: Letterhead | None = field(default=None, compare=False)
    # Lines to sign for minute-taker and moderation under final minutes (a print option).
    signature_lines: bool = True

    @property
    def draft(self) -> bool:
        return self.state is MinutesState.DRAFT

    @property
    def carried_actions(self) -> tuple[CarriedItem, ...]:
        """All carried-over items, wherever they are shown."""
        in_tops = tuple(item for top in self.agenda for item in top.carried_actions)
        return in_tops + self.carried_section

    @property
    def present_count(self) -> int:
        return sum(len(group.attendees) for group in self.present) + len(self.guests)


# -- building --------------------------------------------------------------------------------


def _attendees(
    attendances: list[Attendance], numbers: dict[int, str]
) -> tuple[tuple[PresentGroup, ...], tuple[Attendee, ...], tuple[Attendee, ...]]:
    groups: dict[str, list[tuple[str, Attendee]]] = {}
    group_names: dict[str, str] = {}
    excused: list[tuple[str, Attendee]] = []
    guests: list[tuple[str, Attendee]] = []
    for attendance in attendances:
        if attendance.status is AttendanceStatus.ABSENT:
            continue
        person = attendance.person
        arrived = numbers.get(attendance.arrived_at_item_id or -1)
        left = numbers.get(attendance.left_after_item_id or -1)
        if attendance.anonymised:
            key, org_key = "\U0010ffff", _NO_ORGANISATION
            attendee = Attendee(_("a participant"), anonymised=True)
        elif person is not None:
            organisation = nfc(person.organisation.name) if person.organisation else ""
            key = person.name_key or sort_key(person.last_name, person.first_name)
            org_key = sort_key(organisation) if organisation else _NO_ORGANISATION
            attendee = Attendee(
                nfc(person_name(person)),
                organisation,
                nfc(person.function),
                person.id,
                arrived_at=arrived,
                left_after=left,
            )
        else:
            name = nfc(attendance.guest_name)
            if not name:
                continue
            key, org_key = sort_key(name), ""
            attendee = Attendee(
                name,
                nfc(attendance.guest_organisation),
                guest=True,
                arrived_at=arrived,
                left_after=left,
            )
        if attendance.status is AttendanceStatus.EXCUSED:
            excused.append((key, attendee))
        elif attendee.guest:
            guests.append((key, attendee))
        else:
            group_names[org_key] = attendee.organisation
            groups.setdefault(org_key, []).append((key, attendee))

    def ordered(rows: list[tuple[str, Attendee]]) -> tuple[Attendee, ...]:
        return tuple(a for _k, a in sorted(rows, key=lambda r: (r[0], r[1].name)))

    present = tuple(
        PresentGroup(group_names[org_key], ordered(groups[org_key])) for org_key in sorted(groups)
    )
    return present, ordered(excused), ordered(guests)


def _venue(meeting: Meeting) -> VenuePlace | None:
    venue = meeting.venue
    if venue is None:
        return None
    postcode_city = " ".join(part for part in (venue.postcode, venue.city) if part)
    address = ", ".join(part for part in (venue.street, postcode_city) if part)
    return VenuePlace(nfc(venue.name), nfc(address), nfc(venue.room))


def _reference(meeting: Meeting, minutes: Minutes | None) -> MeetingReference:
    return MeetingReference(
        meeting.id,
        nfc(meeting.title),
        meeting.start.astimezone(_zone(meeting)).date(),
        minutes.number if minutes else "",
        minutes.revision if minutes else 0,
    )


def _zone(meeting: Meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone)


def _action_entry(item: ActionItem, numbers: dict[int, str], zone: ZoneInfo) -> ActionEntry:
    return ActionEntry(
        id=item.id,
        agenda_number=numbers.get(item.agenda_item_id) if item.agenda_item_id else None,
        text=nfc(item.text),
        owner=nfc(action_owner(item)),
        due=item.due,
        status=item.status,
        done_at=item.done_at.astimezone(zone) if item.done_at else None,
    )


def _decision_entry(decision: Decision) -> DecisionEntry:
    return DecisionEntry(
        decision.id,
        nfc(decision.text),
        decision.votes_yes,
        decision.votes_no,
        decision.votes_abstain,
    )


def snapshot_in_session(
    session: Session,
    meeting_id: int,
    *,
    letterhead: Letterhead | None = None,
    language: str | None = None,
) -> MinutesSnapshot:
    """``build_minutes_snapshot`` inside an open session (also used when finalising)."""
    chosen = reader_language(language, meeting_language(session, meeting_id))
    with i18n.language(chosen):
        return _snapshot_in_session(session, meeting_id, letterhead, chosen)


def _snapshot_in_session(
    session: Session, meeting_id: int, letterhead: Letterhead | None, language: str
) -> MinutesSnapshot:
    meeting = session.get(
        Meeting,
        meeting_id,
        options=[
            selectinload(Meeting.venue),
            selectinload(Meeting.organiser),
            selectinload(Meeting.moderator),
            selectinload(Meeting.minute_taker),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenter),
        ],
    )
    if meeting is None:
        raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
    zone = _zone(meeting)
    planned_start = meeting.start.astimezone(zone)
    rows = agenda_rows(list(meeting.agenda_items), planned_start)
    numbers = {row.id: row.number for row in rows}
    minutes = session.scalars(
        select(Minutes)
        .where(Minutes.meeting_id == meeting_id)
        .options(selectinload(Minutes.revisions))
    ).first()

    attendances = list(
        session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting_id)
            .options(selectinload(Attendance.person).selectinload(Person.organisation))
        )
    )
    present, excused, guests = _attendees(attendances, numbers)

    decisions = session.scalars(
        select(Decision)
        .where(Decision.meeting_id == meeting_id)
        .order_by(Decision.position, Decision.id)
    ).all()
    actions = session.scalars(
        select(ActionItem)
        .where(ActionItem.meeting_id == meeting_id)
        .order_by(ActionItem.position, ActionItem.id)
        .options(selectinload(ActionItem.owner_person), selectinload(ActionItem.owner_organisation))
    ).all()
    decisions_by_top: dict[int | None, list[DecisionEntry]] = {}
    for decision in decisions:
        top = decision.agenda_item_id if decision.agenda_item_id in numbers else None
        decisions_by_top.setdefault(top, []).append(_decision_entry(decision))
    actions_by_top: dict[int | None, list[ActionEntry]] = {}
    for action in actions:
        top = action.agenda_item_id if action.agenda_item_id in numbers else None
        actions_by_top.setdefault(top, []).append(_action_entry(action, numbers, zone))

    carried = tuple(carried_in_session(session, meeting))
    host = carried_host(session, meeting_id)
    agenda = tuple(
        TopEntry(
            id=row.id,
            number=row.number,
            depth=row.depth,
            title=nfc(row.title),
            presenter=nfc(row.presenter),
            description=nfc(row.description),
            notes=tuple(parse_notes(row.notes)),
            notes_text=nfc(row.notes),
            decisions=tuple(decisions_by_top.get(row.id, ())),
            actions=tuple(actions_by_top.get(row.id, ())),
            carried_actions=carried if row.id == host else (),
        )
        for row in rows
    )
    action_summary = tuple(entry for top in agenda for entry in top.actions) + tuple(
        actions_by_top.get(None, ())
    )

    photos = tuple(
        PhotoEntry(p.id, p.filename, p.mime_type, p.data, nfc(p.caption), nfc(p.credit))
        for p in session.scalars(
            select(Photo).where(Photo.meeting_id == meeting_id).order_by(Photo.position, Photo.id)
        )
    )

    approvals = tuple(
        _reference(approved, approved_minutes)
        for approved_minutes, approved in session.execute(
            select(Minutes, Meeting)
            .join(Meeting, Meeting.id == Minutes.meeting_id)
            .where(Minutes.approved_in_meeting_id == meeting_id)
            .order_by(Meeting.start, Meeting.id)
        ).all()
    )
    approved_in = None
    if minutes is not None and minutes.approved_in_meeting_id is not None:
        approving = session.get(Meeting, minutes.approved_in_meeting_id)
        if approving is not None:
            approved_in = _reference(approving, None)

    distribution = distribution_in_session(session, meeting)
    printed = Distribution(
        *(
            tuple(Recipient(r.name, r.organisation, None, r.person_id, r.guest) for r in group)
            for group in (distribution.attendees, distribution.excused, distribution.informed_only)
        )
    )

    revision = minutes.revision if minutes else 0
    recorded = list(minutes.revisions) if minutes else []
    is_final = minutes is not None and minutes.state is not MinutesState.DRAFT
    revisions = tuple(
        RevisionEntry(r.revision, r.created_at.astimezone(zone), nfc(r.change_summary))
        for r in recorded
        # Finalised ones; while finalising, the current one has no JSON record yet.
        if r.snapshot_json or (is_final and r.revision == revision)
    )
    change_summary = next((nfc(r.change_summary) for r in recorded if r.revision == revision), "")
    next_meeting = None
    if minutes is not None and (
        minutes.next_meeting_start or minutes.next_meeting_place or minutes.next_meeting_note
    ):
        next_meeting = NextMeetingEntry(
            minutes.next_meeting_start.astimezone(zone) if minutes.next_meeting_start else None,
            nfc(minutes.next_meeting_place),
            nfc(minutes.next_meeting_note),
        )

    actual_start = minutes.actual_start if minutes else None
    actual_end = minutes.actual_end if minutes else None
    start = (actual_start or meeting.start).astimezone(zone)
    end_value = actual_end or meeting.end
    title = nfc(meeting.title)
    number = minutes.number if minutes else ""
    organiser = nfc(person_name(meeting.organiser))
    day = planned_start.date()
    if number:
        subject = _("Minutes no. {number} of the meeting on {date}").format(
            number=number, date=format_date(day)
        )
    else:
        subject = _("Minutes of the meeting on {date}").format(date=format_date(day))
    info = DocumentInfo(
        title=_("Minutes: {title}").format(title=title),
        author=organiser or (nfc(letterhead.name) if letterhead else ""),
        subject=subject,
        language=language,
    )
    return MinutesSnapshot(
        meeting_id=meeting.id,
        info=info,
        title=title,
        number=number,
        state=minutes.state if minutes else MinutesState.DRAFT,
        revision=revision,
        change_summary=change_summary,
        revisions=revisions,
        finalised_at=minutes.finalised_at.astimezone(zone)
        if minutes and minutes.finalised_at
        else None,
        approved_in=approved_in,
        approvals=approvals,
        date=day,
        start=start,
        end=end_value.astimezone(zone) if end_value else None,
        times_actual=actual_start is not None or actual_end is not None,
        timezone=meeting.timezone,
        venue=_venue(meeting),
        organiser=organiser,
        moderator=nfc(person_name(meeting.moderator)),
        minute_taker=nfc(person_name(meeting.minute_taker)),
        present=present,
        excused=excused,
        guests=guests,
        agenda=agenda,
        unassigned_decisions=tuple(decisions_by_top.get(None, ())),
        unassigned_actions=tuple(actions_by_top.get(None, ())),
        carried_section=carried if host is None else (),
        action_summary=action_summary,
        next_meeting=next_meeting,
        distribution=printed,
        photos=photos,
        letterhead=letterhead,
        signature_lines=minutes.signature_lines if minutes is not None else True,
    )


def build_minutes_snapshot(
    db: Database,
    meeting_id: int,
    *,
    letterhead: Letterhead | None = None,
    language: str | None = None,
) -> MinutesSnapshot:
    """Everything the minutes of meeting *meeting_id* show, read in ONE session.

    Works for a meeting without a minutes row too (a draft without number). Raises
    ``NotFound`` for an unknown meeting. *letterhead* comes from the settings (the caller's).
    Every text is in *language* (a mail recipient's), by default the meeting's language.
    """
    with db.read() as session:
        return snapshot_in_session(session, meeting_id, letterhead=letterhead, language=language)


# -- the JSON record of a finalised revision -------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, Paragraph | BulletList):
        return {"type": type(value).__name__, **_jsonable_fields(value)}
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable_fields(value)
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest(), "size": len(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def _jsonable_fields(value: Any) -> dict[str, Any]:
    return {
        f.name: _jsonable(getattr(value, f.name))
        for f in fields(value)
        # Settings and print options, not minutes content (the letterhead holds the logo).
        if f.name not in ("letterhead", "signature_lines")
    }


def snapshot_json(snapshot: MinutesSnapshot) -> str:
    """The snapshot as JSON for ``MinutesRevision.snapshot_json``.

    Photos are recorded by SHA-256 and size instead of their bytes; the letterhead is left
    out (it belongs to the settings).
    """
    return json.dumps(_jsonable(snapshot), ensure_ascii=False, sort_keys=False)
