"""Meetings as plain data: the list, and one meeting with agenda, replies, attendance, minutes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

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
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    MinutesState,
    Person,
    utcnow,
)
from app.services.directory import person_name
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


def agenda_rows(items: list[AgendaItem], start: datetime) -> list[AgendaRow]:
    """Number the TOPs ("1", "1.1") and compute start times from the order and durations.

    The clock runs through the items in display order (a parent, then its sub-items), each
    item advancing it by its planned minutes.
    """
    children: dict[int | None, list[AgendaItem]] = {}
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
            presenter = person_name(item.presenter) or item.presenter_text
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


def get_meeting(db: Database, meeting_id: int) -> MeetingDetail:
    with db.read() as session:
        meeting = session.get(
            Meeting,
            meeting_id,
            options=[
                selectinload(Meeting.venue),
                selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenter),
                selectinload(Meeting.invitations)
                .selectinload(Invitation.person)
                .selectinload(Person.emails),
                selectinload(Meeting.invitations)
                .selectinload(Invitation.person)
                .selectinload(Person.organisation),
                selectinload(Meeting.invitations).selectinload(Invitation.organisation),
                selectinload(Meeting.attendances)
                .selectinload(Attendance.person)
                .selectinload(Person.organisation),
                selectinload(Meeting.decisions),
                selectinload(Meeting.action_items).selectinload(ActionItem.owner_person),
                selectinload(Meeting.action_items).selectinload(ActionItem.owner_organisation),
                selectinload(Meeting.minutes),
            ],
        )
        if meeting is None:
            raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
        zone = ZoneInfo(meeting.timezone)
        start = meeting.start.astimezone(zone)
        agenda = agenda_rows(list(meeting.agenda_items), start)
        planned_end = start + timedelta(minutes=sum(row.planned_minutes for row in agenda))
        numbers = {row.id: row.number for row in agenda}
        top_positions = {row.id: int(row.number.split(".")[0]) for row in agenda}

        invitations = sorted(
            (_invitation_row(inv) for inv in meeting.invitations), key=inv_sort_key
        )
        attendance = []
        for att in meeting.attendances:
            if att.person is not None:
                name = person_name(att.person)
                organisation = att.person.organisation.name if att.person.organisation else None
            elif att.anonymised:
                name, organisation = _("a participant"), None
            else:
                name, organisation = att.guest_name, att.guest_organisation or None
            attendance.append(
                AttendanceRow(
                    person_id=att.person_id,
                    name=name,
                    organisation=organisation,
                    status=att.status,
                    photo_consent=att.photo_consent,
                    guest=att.person_id is None and not att.anonymised,
                )
            )
        attendance.sort(key=lambda row: (row.organisation or "~", row.name))
        decisions = tuple(
            DecisionRow(
                agenda_number=numbers.get(d.agenda_item_id) if d.agenda_item_id else None,
                agenda_position=top_positions.get(d.agenda_item_id) if d.agenda_item_id else None,
                text=d.text,
                votes_yes=d.votes_yes,
                votes_no=d.votes_no,
                votes_abstain=d.votes_abstain,
            )
            for d in meeting.decisions
        )
        action_items = tuple(
            ActionItemRow(
                id=a.id,
                agenda_number=numbers.get(a.agenda_item_id) if a.agenda_item_id else None,
                text=a.text,
                owner=action_owner(a),
                due=a.due,
                status=a.status,
            )
            for a in meeting.action_items
        )
        venue = None
        if meeting.venue is not None:
            v = meeting.venue
            address = ", ".join(
                part for part in (v.street, " ".join(p for p in (v.postcode, v.city) if p)) if part
            )
            venue = VenueInfo(v.name, address, v.room, v.accessibility_notes)
        return MeetingDetail(
            id=meeting.id,
            uid=meeting.uid,
            title=meeting.title,
            start=start,
            end=meeting.end.astimezone(zone) if meeting.end else None,
            planned_end=planned_end,
            timezone=meeting.timezone,
            venue=venue,
            organiser=person_name(meeting.organiser) or None,
            moderator=person_name(meeting.moderator) or None,
            minute_taker=person_name(meeting.minute_taker) or None,
            description=meeting.description,
            rsvp_by=meeting.rsvp_by,
            state=meeting.state,
            sequence=meeting.ics_sequence,
            agenda=tuple(agenda),
            invitations=tuple(invitations),
            attendance=tuple(attendance),
            minutes_state=meeting.minutes.state if meeting.minutes else None,
            decisions=decisions,
            action_items=action_items,
            language=meeting.language,
        )


def _invitation_row(invitation: Invitation) -> InvitationRow:
    person, organisation = invitation.person, invitation.organisation
    if person is None and organisation is None:  # the person was erased
        return InvitationRow(
            person_id=None,
            name=_("a participant"),
            email=None,
            organisation=None,
            state=invitation.state,
            sent_at=invitation.sent_at,
            answered_at=invitation.answered_at,
            note=invitation.note,
        )
    if person is None:
        assert organisation is not None
        return InvitationRow(
            person_id=None,
            name=organisation.name,
            email=organisation.email or None,
            organisation=organisation.name,
            state=invitation.state,
            sent_at=invitation.sent_at,
            answered_at=invitation.answered_at,
            note=invitation.note,
            organisation_id=organisation.id,
        )
    return InvitationRow(
        person_id=person.id,
        name=person_name(person),
        email=person.preferred_email,
        organisation=person.organisation.name if person.organisation else None,
        state=invitation.state,
        sent_at=invitation.sent_at,
        answered_at=invitation.answered_at,
        note=invitation.note,
    )


def inv_sort_key(row: InvitationRow) -> tuple[str, bool, str]:
    """By organisation; its own address first, then its people by name."""
    return (fold(row.organisation or "~"), row.organisation_id is None, fold(row.name))


def action_owner(item: ActionItem) -> str:
    """Who is responsible: a person, an organisation or free text, in that order."""
    parts = []
    if item.owner_person is not None:
        parts.append(person_name(item.owner_person))
    if item.owner_organisation is not None:
        parts.append(item.owner_organisation.name)
    if not parts and item.owner_text:
        parts.append(item.owner_text)
    return " / ".join(parts)
