"""Meetings as plain data: the list, and one meeting with agenda, replies, attendance, minutes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from app.db import Database
from app.errors import NotFound
from app.i18n import N_, _
from app.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Decision,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    Organisation,
    Person,
    PersonEmail,
    Venue,
    utcnow,
)
from app.services.directory import person_display_name
from app.text import fold

MEETING_STATE_LABELS = {
    MeetingState.PLANNED: N_("Planned"),
    MeetingState.INVITED: N_("Invited"),
    MeetingState.HELD: N_("Held"),
    MeetingState.MINUTES_DRAFT: N_("Minutes draft"),
    MeetingState.MINUTES_FINAL: N_("Minutes final"),
    MeetingState.CANCELLED: N_("Cancelled"),
}
INVITATION_STATE_LABELS = {
    InvitationState.NOT_SENT: N_("Not sent"),
    InvitationState.SENT: N_("Sent"),
    InvitationState.ACCEPTED: N_("Accepted"),
    InvitationState.DECLINED: N_("Declined"),
    InvitationState.TENTATIVE: N_("Tentative"),
}
ATTENDANCE_STATUS_LABELS = {
    AttendanceStatus.PRESENT: N_("Present"),
    AttendanceStatus.EXCUSED: N_("Excused"),
    AttendanceStatus.ABSENT: N_("Absent"),
}
AGENDA_KIND_LABELS = {
    AgendaItemKind.INFORMATION: N_("Information"),
    AgendaItemKind.DISCUSSION: N_("Discussion"),
    AgendaItemKind.DECISION: N_("Decision"),
}
ACTION_STATUS_LABELS = {
    ActionItemStatus.OPEN: N_("Open"),
    ActionItemStatus.DONE: N_("Done"),
}
MINUTES_STATE_LABELS = {
    MinutesState.DRAFT: N_("Draft"),
    MinutesState.FINAL: N_("Final"),
    MinutesState.APPROVED: N_("Approved"),
}


def label(labels: Mapping[Any, str], value: object) -> str:
    """The translated label of an enum value from one of the tables above."""
    return _(labels[value])


@dataclass(frozen=True, slots=True)
class MeetingRow:
    id: int
    title: str
    start: datetime  # aware, in the meeting's time zone
    end: datetime | None
    venue: str | None
    state: MeetingState
    invited: int
    accepted: int
    upcoming: bool


@dataclass(frozen=True, slots=True)
class AgendaRow:
    id: int
    parent_id: int | None
    number: str  # "3" or "3.1"
    position: int
    depth: int
    title: str
    description: str
    presenter: str
    planned_minutes: int
    kind: AgendaItemKind
    start: datetime
    notes: str
    lists_open_action_items: bool


@dataclass(frozen=True, slots=True)
class InvitationRow:
    # None: an organisation invited by its own address, or the person was erased (the
    # invitation still counts)
    person_id: int | None
    name: str
    email: str | None
    organisation: str | None
    state: InvitationState
    sent_at: datetime | None
    answered_at: datetime | None
    note: str
    organisation_id: int | None = None  # set for an organisation's own address


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    person_id: int | None
    name: str
    organisation: str | None
    status: AttendanceStatus
    photo_consent: bool | None
    guest: bool


@dataclass(frozen=True, slots=True)
class DecisionRow:
    agenda_number: str | None
    agenda_position: int | None
    text: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None


@dataclass(frozen=True, slots=True)
class ActionItemRow:
    id: int
    agenda_number: str | None
    text: str
    owner: str
    due: date | None
    status: ActionItemStatus


@dataclass(frozen=True, slots=True)
class VenueInfo:
    name: str
    address: str
    room: str
    accessibility_notes: str


@dataclass(frozen=True, slots=True)
class MeetingDetail:
    id: int
    uid: str
    title: str
    start: datetime
    end: datetime | None
    planned_end: datetime
    timezone: str
    venue: VenueInfo | None
    organiser: str | None
    moderator: str | None
    minute_taker: str | None
    description: str
    rsvp_by: date | None
    state: MeetingState
    sequence: int
    agenda: tuple[AgendaRow, ...]
    invitations: tuple[InvitationRow, ...]
    attendance: tuple[AttendanceRow, ...]
    minutes_state: MinutesState | None
    decisions: tuple[DecisionRow, ...]
    action_items: tuple[ActionItemRow, ...]
    language: str = "de"  # of its documents, and of mails to readers without a preference

    @property
    def time_note(self) -> str:
        """A note when start or end fall in the hour that occurs twice ("" otherwise)."""
        from app.services.planning.times import time_note  # late: planning imports this module

        return time_note(self.start) or time_note(self.end)

    @property
    def overruns(self) -> bool:
        """The agenda's planned end lies after the meeting's end."""
        return self.end is not None and self.planned_end > self.end


class _Named(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str: ...


class _AgendaItemLike(Protocol):
    """What ``agenda_rows`` reads of an agenda item (an ``AgendaItem`` or a plain row)."""

    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def position(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def presenter(self) -> _Named | None: ...
    @property
    def presenter_text(self) -> str: ...
    @property
    def planned_minutes(self) -> int: ...
    @property
    def kind(self) -> AgendaItemKind: ...
    @property
    def notes(self) -> str: ...
    @property
    def lists_open_action_items(self) -> bool: ...


def _name(person: _Named | None) -> str | None:
    if person is None:
        return None
    return person_display_name(person.title, person.first_name, person.last_name)


def list_meetings(db: Database, *, now: datetime | None = None) -> list[MeetingRow]:
    """Upcoming meetings first (soonest first), then past ones (latest first)."""
    now = now or utcnow()
    with db.read() as session:
        counts = dict(
            session.execute(
                select(Invitation.meeting_id, func.count()).group_by(Invitation.meeting_id)
            ).all()
        )
        accepted = dict(
            session.execute(
                select(Invitation.meeting_id, func.count())
                .where(Invitation.state == InvitationState.ACCEPTED)
                .group_by(Invitation.meeting_id)
            ).all()
        )
        meetings = session.scalars(select(Meeting).options(selectinload(Meeting.venue))).all()
        rows = []
        for meeting in meetings:
            zone = ZoneInfo(meeting.timezone)
            ends = meeting.end or meeting.start
            rows.append(
                MeetingRow(
                    id=meeting.id,
                    title=meeting.title,
                    start=meeting.start.astimezone(zone),
                    end=meeting.end.astimezone(zone) if meeting.end else None,
                    venue=meeting.venue.name if meeting.venue else None,
                    state=meeting.state,
                    invited=counts.get(meeting.id, 0),
                    accepted=accepted.get(meeting.id, 0),
                    upcoming=ends >= now,
                )
            )
    upcoming = sorted((r for r in rows if r.upcoming), key=lambda r: r.start)
    past = sorted((r for r in rows if not r.upcoming), key=lambda r: r.start, reverse=True)
    return upcoming + past


def agenda_rows(items: Sequence[_AgendaItemLike], start: datetime) -> list[AgendaRow]:
    """Number the TOPs ("1", "1.1") and compute start times from the order and durations.

    The clock runs through the items in display order (a parent, then its sub-items), each
    item advancing it by its planned minutes.
    """
    children: dict[int | None, list[_AgendaItemLike]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda i: (i.position, i.id))
    rows: list[AgendaRow] = []
    clock = start

    def walk(parent_id: int | None, prefix: str, depth: int) -> None:
        nonlocal clock
        for index, item in enumerate(children.get(parent_id, []), start=1):
            number = f"{prefix}{index}"
            presenter = _name(item.presenter) or item.presenter_text
            if item.presenter is not None and item.presenter_text:
                presenter = f"{presenter} ({item.presenter_text})"
            rows.append(
                AgendaRow(
                    id=item.id,
                    parent_id=item.parent_id,
                    number=number,
                    position=item.position,
                    depth=depth,
                    title=item.title,
                    description=item.description,
                    presenter=presenter or "",
                    planned_minutes=item.planned_minutes,
                    kind=item.kind,
                    start=clock,
                    notes=item.notes,
                    lists_open_action_items=item.lists_open_action_items,
                )
            )
            clock = clock + timedelta(minutes=item.planned_minutes)
            walk(item.id, number + ".", depth + 1)

    walk(None, "", 0)
    return rows


@dataclass(frozen=True, slots=True)
class _PersonName:
    title: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class _AgendaItemData:
    """What ``agenda_rows`` reads of an ``AgendaItem``, from a plain row."""

    id: int
    parent_id: int | None
    position: int
    title: str
    description: str
    presenter: _PersonName | None
    presenter_text: str
    planned_minutes: int
    kind: AgendaItemKind
    notes: str
    lists_open_action_items: bool


def _person_name(title: str | None, first: str | None, last: str | None) -> _PersonName | None:
    if last is None and first is None:
        return None  # the outer join found nobody
    return _PersonName(title or "", first or "", last or "")


def get_meeting(db: Database, meeting_id: int) -> MeetingDetail:
    """One meeting with everything the window shows of it.

    Issue 14: plain rows from six statements, no ORM objects: switching between the meetings
    of a ten-year history stays well within a frame or two.
    """
    organiser, moderator, minute_taker = (aliased(Person) for _ in range(3))
    with db.read() as session:
        found = session.execute(
            select(
                Meeting.id,
                Meeting.uid,
                Meeting.title,
                Meeting.start,
                Meeting.end,
                Meeting.timezone,
                Meeting.description,
                Meeting.rsvp_by,
                Meeting.state,
                Meeting.ics_sequence,
                Meeting.language,
                Venue.name,
                Venue.street,
                Venue.postcode,
                Venue.city,
                Venue.room,
                Venue.accessibility_notes,
                *(
                    column
                    for person in (organiser, moderator, minute_taker)
                    for column in (person.title, person.first_name, person.last_name)
                ),
                Minutes.state,
            )
            .outerjoin(Venue, Venue.id == Meeting.venue_id)
            .outerjoin(organiser, organiser.id == Meeting.organiser_id)
            .outerjoin(moderator, moderator.id == Meeting.moderator_id)
            .outerjoin(minute_taker, minute_taker.id == Meeting.minute_taker_id)
            .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
            .where(Meeting.id == meeting_id)
        ).one_or_none()
        if found is None:
            raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
        (
            _id,
            uid,
            title,
            meeting_start,
            meeting_end,
            timezone,
            description,
            rsvp_by,
            state,
            sequence,
            meeting_language,
            venue_name,
            venue_street,
            venue_postcode,
            venue_city,
            venue_room,
            venue_notes,
            *names,
            minutes_state,
        ) = found
        zone = ZoneInfo(timezone)
        start = meeting_start.astimezone(zone)

        presenter = aliased(Person)
        items = [
            _AgendaItemData(
                id=row.id,
                parent_id=row.parent_id,
                position=row.position,
                title=row.title,
                description=row.description,
                presenter=_person_name(row.p_title, row.p_first, row.p_last),
                presenter_text=row.presenter_text,
                planned_minutes=row.planned_minutes,
                kind=row.kind,
                notes=row.notes,
                lists_open_action_items=row.lists_open_action_items,
            )
            for row in session.execute(
                select(
                    AgendaItem.id,
                    AgendaItem.parent_id,
                    AgendaItem.position,
                    AgendaItem.title,
                    AgendaItem.description,
                    presenter.title.label("p_title"),
                    presenter.first_name.label("p_first"),
                    presenter.last_name.label("p_last"),
                    AgendaItem.presenter_text,
                    AgendaItem.planned_minutes,
                    AgendaItem.kind,
                    AgendaItem.notes,
                    AgendaItem.lists_open_action_items,
                )
                .outerjoin(presenter, presenter.id == AgendaItem.presenter_id)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position, AgendaItem.id)
            )
        ]
        agenda = agenda_rows(items, start)
        planned_end = start + timedelta(minutes=sum(row.planned_minutes for row in agenda))
        numbers = {row.id: row.number for row in agenda}
        top_positions = {row.id: int(row.number.split(".")[0]) for row in agenda}

        invited_organisation = aliased(Organisation)
        invited = session.execute(
            select(
                Invitation.person_id,
                Person.title,
                Person.first_name,
                Person.last_name,
                Organisation.name.label("organisation"),
                Invitation.state,
                Invitation.sent_at,
                Invitation.answered_at,
                Invitation.note,
                invited_organisation.id.label("org_id"),
                invited_organisation.name.label("org_name"),
                invited_organisation.email.label("org_email"),
            )
            .outerjoin(Person, Person.id == Invitation.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .outerjoin(invited_organisation, invited_organisation.id == Invitation.organisation_id)
            .where(Invitation.meeting_id == meeting_id)
            .order_by(Invitation.id)
        ).all()
        emails: dict[int, list[tuple[str, bool]]] = {}
        for person_id, address, preferred in session.execute(
            select(PersonEmail.person_id, PersonEmail.address, PersonEmail.is_preferred)
            .join(Invitation, Invitation.person_id == PersonEmail.person_id)
            .where(Invitation.meeting_id == meeting_id)
            .order_by(PersonEmail.person_id, PersonEmail.position, PersonEmail.id)
        ):
            emails.setdefault(person_id, []).append((address, preferred))

        def preferred_email(person_id: int) -> str | None:
            addresses = emails.get(person_id, [])
            chosen = [address for address, preferred in addresses if preferred]
            return chosen[0] if chosen else (addresses[0][0] if addresses else None)

        invitations = []
        for row in invited:
            invitee: int | None = row.person_id
            invited_name: str = _("a participant")  # the person was erased: still counts
            email: str | None = None
            invitee_organisation: str | None = None
            own_address_of: int | None = None
            if invitee is not None and row.last_name is not None:
                invited_name = person_display_name(row.title, row.first_name, row.last_name)
                email = preferred_email(invitee)
                invitee_organisation = row.organisation
            elif row.org_id is not None:  # an organisation invited by its own address
                invitee = None
                invited_name = invitee_organisation = row.org_name
                email = row.org_email or None
                own_address_of = row.org_id
            else:
                invitee = None
            invitations.append(
                InvitationRow(
                    person_id=invitee,
                    name=invited_name,
                    email=email,
                    organisation=invitee_organisation,
                    state=row.state,
                    sent_at=row.sent_at,
                    answered_at=row.answered_at,
                    note=row.note,
                    organisation_id=own_address_of,
                )
            )
        invitations.sort(key=inv_sort_key)
        attendance = []
        for entry in session.execute(
            select(
                Attendance.person_id,
                Person.title,
                Person.first_name,
                Person.last_name,
                Organisation.name.label("organisation"),
                Attendance.anonymised,
                Attendance.guest_name,
                Attendance.guest_organisation,
                Attendance.status,
                Attendance.photo_consent,
            )
            .outerjoin(Person, Person.id == Attendance.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Attendance.meeting_id == meeting_id)
            .order_by(Attendance.id)
        ):
            if entry.person_id is not None:
                name = person_display_name(entry.title, entry.first_name, entry.last_name)
                organisation = entry.organisation
            elif entry.anonymised:
                name, organisation = _("a participant"), None
            else:
                name, organisation = entry.guest_name, entry.guest_organisation or None
            attendance.append(
                AttendanceRow(
                    person_id=entry.person_id,
                    name=name,
                    organisation=organisation,
                    status=entry.status,
                    photo_consent=entry.photo_consent,
                    guest=entry.person_id is None and not entry.anonymised,
                )
            )
        attendance.sort(key=lambda row: (row.organisation or "~", row.name))
        decisions = tuple(
            DecisionRow(
                agenda_number=numbers.get(item_id) if item_id else None,
                agenda_position=top_positions.get(item_id) if item_id else None,
                text=text,
                votes_yes=votes_yes,
                votes_no=votes_no,
                votes_abstain=votes_abstain,
            )
            for item_id, text, votes_yes, votes_no, votes_abstain in session.execute(
                select(
                    Decision.agenda_item_id,
                    Decision.text,
                    Decision.votes_yes,
                    Decision.votes_no,
                    Decision.votes_abstain,
                )
                .where(Decision.meeting_id == meeting_id)
                .order_by(Decision.position, Decision.id)
            )
        )
        owner = aliased(Person)
        action_items = tuple(
            ActionItemRow(
                id=row.id,
                agenda_number=numbers.get(row.agenda_item_id) if row.agenda_item_id else None,
                text=row.text,
                owner=_owner_text(
                    person_display_name(row.o_title, row.o_first, row.o_last)
                    if row.owner_person_id is not None and row.o_last is not None
                    else None,
                    row.organisation,
                    row.owner_text,
                ),
                due=row.due,
                status=row.status,
            )
            for row in session.execute(
                select(
                    ActionItem.id,
                    ActionItem.agenda_item_id,
                    ActionItem.text,
                    ActionItem.owner_person_id,
                    owner.title.label("o_title"),
                    owner.first_name.label("o_first"),
                    owner.last_name.label("o_last"),
                    Organisation.name.label("organisation"),
                    ActionItem.owner_text,
                    ActionItem.due,
                    ActionItem.status,
                )
                .outerjoin(owner, owner.id == ActionItem.owner_person_id)
                .outerjoin(Organisation, Organisation.id == ActionItem.owner_organisation_id)
                .where(ActionItem.meeting_id == meeting_id)
                .order_by(ActionItem.position, ActionItem.id)
            )
        )
        venue = None
        if venue_name is not None:
            address = ", ".join(
                part
                for part in (
                    venue_street,
                    " ".join(p for p in (venue_postcode, venue_city) if p),
                )
                if part
            )
            venue = VenueInfo(venue_name, address, venue_room, venue_notes)
        people = [_person_name(*names[number : number + 3]) for number in (0, 3, 6)]
        return MeetingDetail(
            id=meeting_id,
            uid=uid,
            title=title,
            start=start,
            end=meeting_end.astimezone(zone) if meeting_end else None,
            planned_end=planned_end,
            timezone=timezone,
            venue=venue,
            organiser=_name(people[0]),
            moderator=_name(people[1]),
            minute_taker=_name(people[2]),
            description=description,
            rsvp_by=rsvp_by,
            state=state,
            sequence=sequence,
            agenda=tuple(agenda),
            invitations=tuple(invitations),
            attendance=tuple(attendance),
            minutes_state=minutes_state,
            decisions=decisions,
            action_items=action_items,
            language=meeting_language,
        )


def inv_sort_key(row: InvitationRow) -> tuple[str, bool, str]:
    """By organisation; its own address first, then its people by name."""
    return (fold(row.organisation or "~"), row.organisation_id is None, fold(row.name))


def action_owner(item: ActionItem) -> str:
    """Who is responsible: a person, an organisation or free text, in that order."""
    return _owner_text(
        _name(item.owner_person) if item.owner_person is not None else None,
        item.owner_organisation.name if item.owner_organisation is not None else None,
        item.owner_text,
    )


def _owner_text(person: str | None, organisation: str | None, text: str) -> str:
    parts = []
    if person is not None:
        parts.append(person or "")
    if organisation is not None:
        parts.append(organisation)
    if not parts and text:
        parts.append(text)
    return " / ".join(parts)
