"""Which action items of earlier meetings a meeting's minutes list ("Offene Aufgaben").

Meetings are ordered by start, then id; cancelled meetings do not count as meetings here.
For the meeting M, an action item set in an EARLIER meeting is listed when it was still open
at M or was closed at M. Where an item was closed ("closing point"):

- in the meeting ``done_in_meeting_id`` (closed in that meeting's minutes), or else
- at the first meeting that started after ``done_at`` (closed between meetings, e.g. in the
  task overview: it is reported at the next meeting).

So an item is listed at every meeting after its own until its closing point; at the closing
point it is listed once more, as done; after that it drops out. An open item is listed at
every later meeting. Because this depends only on dates, the list of an old meeting stays the
same when items are closed later: there they count as open (``status``, the state at that
meeting), while ``current_status`` tells the window the state today.

An item marked done without a date and without a meeting (imported) is never carried.
The list appears under the first TOP (in agenda order) with ``lists_open_action_items``;
without such a TOP the minutes show it in a section of its own.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.models import ActionItem, ActionItemStatus, AgendaItem, Meeting, MeetingState
from app.services.meetings import action_owner
from app.services.minutes.common import agenda_numbers, display_order, meeting_order, zone_of
from app.services.planning.common import load_meeting
from app.text import nfc

_Key = tuple[datetime, int]


@dataclass(frozen=True, slots=True)
class CarriedItem:
    """An action item of an earlier meeting as listed in this meeting's minutes."""

    id: int
    text: str
    owner: str
    owner_person_id: int | None
    owner_organisation_id: int | None
    owner_text: str
    due: date | None
    status: ActionItemStatus  # at this meeting: DONE only when it was closed at this meeting
    current_status: ActionItemStatus  # today (what the window shows and changes)
    done_at: datetime | None  # aware, in this meeting's time zone
    done_in_meeting_id: int | None
    overdue: bool  # open at this meeting and due before its day
    meeting_id: int  # the meeting that set it
    meeting_title: str
    meeting_start: datetime  # local time of that meeting
    agenda_number: str | None  # its TOP in that meeting

    @property
    def closed_here(self) -> bool:
        return self.status is ActionItemStatus.DONE


class _Timeline:
    """Non-cancelled meetings in order, to find the first one that starts after a moment."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Meeting.start, Meeting.id).where(Meeting.state != MeetingState.CANCELLED)
        ).all()
        self.keys: list[_Key] = sorted((start, meeting_id) for start, meeting_id in rows)
        self.starts = [start for start, _id in self.keys]

    def previous(self, key: _Key) -> _Key | None:
        index = bisect.bisect_left(self.keys, key)
        return self.keys[index - 1] if index > 0 else None

    def first_after(self, moment: datetime) -> _Key | None:
        index = bisect.bisect_right(self.starts, moment)
        return self.keys[index] if index < len(self.keys) else None


def carried_host(session: Session, meeting_id: int) -> int | None:
    """The TOP that lists the carried items: the first with ``lists_open_action_items``."""
    rows = session.execute(
        select(
            AgendaItem.id,
            AgendaItem.parent_id,
            AgendaItem.position,
            AgendaItem.lists_open_action_items,
        ).where(AgendaItem.meeting_id == meeting_id)
    ).all()
    flagged = {row[0] for row in rows if row[3]}
    for item_id in display_order((row[0], row[1], row[2]) for row in rows):
        if item_id in flagged:
            return item_id
    return None


def carried_in_session(session: Session, meeting: Meeting) -> list[CarriedItem]:
    """``carried_action_items`` inside an open session."""
    timeline = _Timeline(session)
    key = meeting_order(meeting)
    previous = timeline.previous(key)
    earlier_origin = or_(
        Meeting.start < meeting.start, and_(Meeting.start == meeting.start, Meeting.id < meeting.id)
    )
    # Prefilter in SQL; the exact closing point is worked out below.
    maybe_listed = [
        ActionItem.status == ActionItemStatus.OPEN,
        ActionItem.done_in_meeting_id.is_not(None),
    ]
    if previous is not None:
        maybe_listed.append(ActionItem.done_at >= previous[0])
    items = session.scalars(
        select(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(earlier_origin, ActionItem.meeting_id != meeting.id, or_(*maybe_listed))
        .options(
            selectinload(ActionItem.meeting),
            selectinload(ActionItem.owner_person),
            selectinload(ActionItem.owner_organisation),
        )
    ).all()
    closing_meetings = {
        item.done_in_meeting_id for item in items if item.done_in_meeting_id is not None
    }
    closing_keys: dict[int, _Key] = {
        meeting_id: (start, meeting_id)
        for start, meeting_id in session.execute(
            select(Meeting.start, Meeting.id).where(Meeting.id.in_(closing_meetings))
        )
    }
    numbers = agenda_numbers(session, {item.meeting_id for item in items})
    zone = zone_of(meeting)
    meeting_day = meeting.start.astimezone(zone).date()
    listed: list[tuple[tuple[object, ...], CarriedItem]] = []
    for item in items:
        closing: _Key | None
        if item.status is ActionItemStatus.OPEN:
            closing = None
        elif item.done_in_meeting_id is not None and item.done_in_meeting_id in closing_keys:
            closing = closing_keys[item.done_in_meeting_id]
        elif item.done_at is not None:
            closing = timeline.first_after(item.done_at)
        else:
            continue  # done, but nobody knows when: never carried
        if closing is not None and closing < key:
            continue
        status = ActionItemStatus.DONE if closing == key else ActionItemStatus.OPEN
        origin = item.meeting
        number = numbers.get(item.agenda_item_id) if item.agenda_item_id else None
        carried = CarriedItem(
            id=item.id,
            text=nfc(item.text),
            owner=nfc(action_owner(item)),
            owner_person_id=item.owner_person_id,
            owner_organisation_id=item.owner_organisation_id,
            owner_text=nfc(item.owner_text),
            due=item.due,
            status=status,
            current_status=item.status,
            done_at=item.done_at.astimezone(zone) if item.done_at else None,
            done_in_meeting_id=item.done_in_meeting_id,
            overdue=status is ActionItemStatus.OPEN
            and item.due is not None
            and item.due < meeting_day,
            meeting_id=origin.id,
            meeting_title=nfc(origin.title),
            meeting_start=origin.start.astimezone(zone_of(origin)),
            agenda_number=number,
        )
        number_key = tuple(int(part) for part in number.split(".")) if number else (10**9,)
        listed.append(((meeting_order(origin), number_key, item.position, item.id), carried))
    listed.sort(key=lambda pair: pair[0])
    return [carried for _key, carried in listed]


def carried_action_items(db: Database, meeting_id: int) -> list[CarriedItem]:
    """Action items of earlier meetings listed in this meeting's minutes (module docstring),
    oldest meeting first, then in the agenda order of their meeting."""
    with db.read() as session:
        return carried_in_session(session, load_meeting(session, meeting_id))
