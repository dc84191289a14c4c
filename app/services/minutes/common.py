"""Shared pieces of the minutes services: the minutes row, numbering, the lock, TOP numbers.

The minutes row (``Minutes``) is created lazily, the first time anything is written into the
minutes or the minutes window opens (``ensure_minutes``). Creating it

- assigns the number "<n>/<year>": n counts the minutes of the meeting's (local) year,
  one more than the highest number of that year so far (numbers never come back, even if a
  meeting is deleted);
- moves a HELD meeting to MINUTES_DRAFT, and a PLANNED or INVITED meeting whose start has
  passed (the minute-taker is typing while it runs) through HELD to MINUTES_DRAFT. A meeting
  still ahead keeps its state: notes may be prepared before it begins.

Final and approved minutes are locked: notes, decisions, action items (text, owner, due,
order), photos, times, next meeting and the distribution list raise ``MinutesLockedError``. The
status of an action item (open/done) stays changeable: closing a task is follow-up work, not
a change of what the minutes say (the carried-over list is worked out from the dates).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.versioning import conflict
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import (
    AgendaItem,
    Meeting,
    MeetingState,
    Minutes,
    MinutesRevision,
    MinutesState,
    utcnow,
)
from app.services.planning.common import (
    LOCKED_MINUTES_STATES,
    MinutesLockedError,
    load_meeting,
)
from app.services.planning.lifecycle import apply_state

_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*(\d{4})\s*$")
LOCKED_STATES = LOCKED_MINUTES_STATES


@dataclass(frozen=True, slots=True)
class MinutesInfo:
    """The minutes row of a meeting as plain data. Keep ``version`` for the guarded writes.

    ``revision``: 0 while the first draft is written; n once revision n was finalised; n+1
    while a correction (``start_correction``) is being written, with its ``change_summary``.
    """

    meeting_id: int
    meeting_title: str
    meeting_state: MeetingState
    state: MinutesState
    number: str
    revision: int
    version: int
    change_summary: str  # of the revision being written (correction) or last finalised
    correction: bool  # a draft that corrects final minutes
    finalised_at: datetime | None
    approved_at: datetime | None
    approved_in_meeting_id: int | None
    actual_start: datetime | None  # aware, in the meeting's time zone
    actual_end: datetime | None
    next_meeting_start: datetime | None
    next_meeting_place: str
    next_meeting_note: str
    informed_only: str
    signature_lines: bool = True  # final minutes end with lines to sign (a print option)

    @property
    def locked(self) -> bool:
        return self.state in LOCKED_STATES


def zone_of(meeting: Meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone)


def local(meeting: Meeting, value: datetime | None) -> datetime | None:
    return value.astimezone(zone_of(meeting)) if value is not None else None


def meeting_order(meeting: Meeting) -> tuple[datetime, int]:
    """Meetings are ordered by start, then id (two meetings may start at the same time)."""
    return (meeting.start, meeting.id)


def find_minutes(session: Session, meeting_id: int) -> Minutes | None:
    return session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()


def next_number(session: Session, year: int) -> str:
    """ "<n>/<year>", one above the highest number of that year (hand-typed ones included)."""
    highest = 0
    for (number,) in session.execute(select(Minutes.number).where(Minutes.number.like("%/%"))):
        match = _NUMBER.match(number or "")
        if match and int(match.group(2)) == year:
            highest = max(highest, int(match.group(1)))
    return f"{highest + 1}/{year}"


def advance_meeting(meeting: Meeting, now: datetime) -> None:
    """Bring the meeting's state in line with minutes being written (see module docstring)."""
    if meeting.state in (MeetingState.PLANNED, MeetingState.INVITED) and meeting.start <= now:
        apply_state(meeting, MeetingState.HELD)
    if meeting.state is MeetingState.HELD:
        apply_state(meeting, MeetingState.MINUTES_DRAFT)


def refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.state is MeetingState.CANCELLED:
        raise ValidationError(
            _("“{title}” was cancelled; a cancelled meeting has no minutes.").format(
                title=meeting.title
            )
        )


def minutes_row(
    session: Session, meeting: Meeting, *, now: datetime | None = None, advance: bool = True
) -> Minutes:
    """The meeting's minutes row, created (numbered) if missing. In an open write session."""
    minutes = find_minutes(session, meeting.id)
    now = now or utcnow()
    if minutes is None:
        refuse_if_cancelled(meeting)
        year = meeting.start.astimezone(zone_of(meeting)).year
        minutes = Minutes(meeting_id=meeting.id, number=next_number(session, year))
        session.add(minutes)
        advance_meeting(meeting, now)
        session.flush()
    elif advance and minutes.state is MinutesState.DRAFT:
        advance_meeting(meeting, now)
    return minutes


def refuse_if_locked(meeting: Meeting, minutes: Minutes | None) -> None:
    if minutes is not None and minutes.state in LOCKED_STATES:
        raise MinutesLockedError(
            _(
                "The minutes of “{title}” are final and can no longer be changed. "
                "To correct them, start a correction (a new revision)."
            ).format(title=meeting.title)
        )


def open_for_edit(session: Session, meeting_id: int) -> tuple[Meeting, Minutes]:
    """Meeting and minutes row for a change of the minutes' content; refuses locked minutes.

    Does not move the meeting's state when the row exists (autosave must stay cheap and must
    not touch the meeting row on every keystroke pause).
    """
    meeting = load_meeting(session, meeting_id)
    refuse_if_cancelled(meeting)
    minutes = minutes_row(session, meeting, advance=False)
    refuse_if_locked(meeting, minutes)
    return meeting, minutes


def check_minutes_version(meeting: Meeting, minutes: Minutes, expected: int | None) -> None:
    if expected is not None and minutes.version != expected:
        raise conflict(
            minutes,
            _(
                "The minutes of “{title}” were changed elsewhere after you opened them; "
                "nothing was saved. Reload the minutes and make your change again."
            ).format(title=meeting.title),
        )


def pending_revision(minutes: Minutes) -> MinutesRevision | None:
    """The revision row of a correction being written (no snapshot yet), if any."""
    for revision in minutes.revisions:
        if revision.revision == minutes.revision and not revision.snapshot_json:
            return revision
    return None


def current_change_summary(minutes: Minutes) -> str:
    for revision in minutes.revisions:
        if revision.revision == minutes.revision:
            return revision.change_summary
    return ""


def minutes_info(meeting: Meeting, minutes: Minutes) -> MinutesInfo:
    pending = pending_revision(minutes)
    return MinutesInfo(
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        meeting_state=meeting.state,
        state=minutes.state,
        number=minutes.number,
        revision=minutes.revision,
        version=minutes.version,
        change_summary=current_change_summary(minutes),
        correction=pending is not None and minutes.state is MinutesState.DRAFT,
        finalised_at=minutes.finalised_at,
        approved_at=minutes.approved_at,
        approved_in_meeting_id=minutes.approved_in_meeting_id,
        actual_start=local(meeting, minutes.actual_start),
        actual_end=local(meeting, minutes.actual_end),
        next_meeting_start=local(meeting, minutes.next_meeting_start),
        next_meeting_place=minutes.next_meeting_place,
        next_meeting_note=minutes.next_meeting_note,
        informed_only=minutes.informed_only,
        signature_lines=minutes.signature_lines,
    )


def load_agenda_item(session: Session, agenda_item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, agenda_item_id)
    if item is None:
        raise NotFound(_("There is no agenda item with the number {id}.").format(id=agenda_item_id))
    return item


# -- TOP numbers without loading whole agendas ---------------------------------------------


def number_items(rows: Iterable[tuple[int, int | None, int]]) -> dict[int, str]:
    """TOP numbers ("3", "3.1") from (id, parent_id, position) rows of ONE meeting.

    The same order as ``app.services.meetings.agenda_rows``: siblings by (position, id).
    """
    children: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for item_id, parent_id, position in rows:
        children[parent_id].append((position, item_id))
    numbers: dict[int, str] = {}

    def walk(parent_id: int | None, prefix: str) -> None:
        for index, (_position, item_id) in enumerate(sorted(children.get(parent_id, [])), 1):
            numbers[item_id] = f"{prefix}{index}"
            walk(item_id, f"{prefix}{index}.")

    walk(None, "")
    return numbers


def display_order(rows: Iterable[tuple[int, int | None, int]]) -> list[int]:
    """Item ids of one meeting in display order (a parent, then its sub-items)."""
    numbers = number_items(rows)
    return sorted(numbers, key=lambda item_id: tuple(int(p) for p in numbers[item_id].split(".")))


def agenda_numbers(session: Session, meeting_ids: Iterable[int]) -> dict[int, str]:
    """TOP number per agenda item id, for the agendas of several meetings in one query."""
    ids = set(meeting_ids)
    if not ids:
        return {}
    per_meeting: dict[int, list[tuple[int, int | None, int]]] = defaultdict(list)
    query = select(
        AgendaItem.id, AgendaItem.parent_id, AgendaItem.position, AgendaItem.meeting_id
    ).where(AgendaItem.meeting_id.in_(ids))
    for item_id, parent_id, position, meeting_id in session.execute(query):
        per_meeting[meeting_id].append((item_id, parent_id, position))
    numbers: dict[int, str] = {}
    for rows in per_meeting.values():
        numbers.update(number_items(rows))
    return numbers
