"""What a new meeting starts with, and the meeting defaults kept in the settings.

The rule (the same for the window's "New meeting" form and the command line):

- **Day**: the next working day after today (Monday to Friday, not a nationwide German
  public holiday).
- **Time and length**: the usual ones of the last meetings (the most frequent local start
  time and duration among the last five that were not cancelled; a tie goes to the most
  recent), else the settings (``meetings.default_start``, ``meetings.default_duration``).
- **Venue**: the usual venue of the last meetings (same rule), else ``meetings.default_venue``.
- **Organiser**: ``meetings.default_organiser``, else the organiser of the latest meeting.
- **Reply by**: a week before the day, but not before today.

The settings are stored as JSON under ``meeting_defaults``: person and venue by id (so a
changed address or name does not break them; a deleted one counts as not set).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.models import Meeting, MeetingState, Person, Venue
from app.services.planning.common import MeetingDraft
from app.services.planning.times import DEFAULT_TIMEZONE, localize
from app.services.settings import read_setting, write_setting

MEETING_DEFAULTS_KEY = "meeting_defaults"
DEFAULT_START = time(18, 0)
DEFAULT_DURATION_MINUTES = 120
MIN_DURATION_MINUTES, MAX_DURATION_MINUTES = 15, 12 * 60
RECENT_MEETINGS = 5
REPLY_DAYS_BEFORE = 7

_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True, slots=True)
class MeetingDefaults:
    """The stored defaults (``meetings.*`` settings)."""

    organiser_id: int | None = None
    venue_id: int | None = None
    start: time = DEFAULT_START
    duration_minutes: int = DEFAULT_DURATION_MINUTES


@dataclass(frozen=True, slots=True)
class NewMeetingSuggestion:
    """What the form of a new meeting shows first (start/end aware in the meeting's zone)."""

    start: datetime
    end: datetime
    venue_id: int | None
    organiser_id: int | None
    rsvp_by: date


# -- calendar -----------------------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> frozenset[date]:
    """The public holidays of every German state (regional ones are left out)."""
    easter = easter_sunday(year)
    movable = (-2, 1, 39, 50)  # Good Friday, Easter Monday, Ascension, Whit Monday
    fixed = ((1, 1), (5, 1), (10, 3), (12, 25), (12, 26))
    return frozenset(
        [easter + timedelta(days=offset) for offset in movable]
        + [date(year, month, day) for month, day in fixed]
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(after: date) -> date:
    day = after + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def suggested_reply_by(meeting_day: date, today: date) -> date:
    """A week before the meeting, but not in the past (and never after the meeting day)."""
    return min(meeting_day, max(today, meeting_day - timedelta(days=REPLY_DAYS_BEFORE)))


# -- stored defaults ----------------------------------------------------------------------------


def parse_time(text: str) -> time:
    """ "18:00" or "9:30" → time; raises ValidationError with the expected form."""
    cleaned = text.strip()
    hours, sep, minutes = cleaned.partition(":")
    digits = sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
    if digits and 0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59:
        return time(int(hours), int(minutes))
    raise ValidationError(
        _("“{text}” is not a time of day like 18:00.").format(text=cleaned or text)
    )


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_meeting_defaults(session: Session) -> MeetingDefaults:
    """The stored defaults; a deleted person or venue and damaged values count as not set."""
    raw = read_setting(session, MEETING_DEFAULTS_KEY, {})
    if not isinstance(raw, dict):
        raw = {}
    organiser_id = _id(raw.get("organiser_id"))
    if organiser_id is not None and session.get(Person, organiser_id) is None:
        organiser_id = None
    venue_id = _id(raw.get("venue_id"))
    if venue_id is not None and session.get(Venue, venue_id) is None:
        venue_id = None
    try:
        start = parse_time(str(raw["start"])) if "start" in raw else DEFAULT_START
    except ValidationError:
        start = DEFAULT_START
    duration = _id(raw.get("duration_minutes"))
    if duration is None or not MIN_DURATION_MINUTES <= duration <= MAX_DURATION_MINUTES:
        duration = DEFAULT_DURATION_MINUTES
    return MeetingDefaults(organiser_id, venue_id, start, duration)


def load_meeting_defaults(db: Database) -> MeetingDefaults:
    with db.read() as session:
        return read_meeting_defaults(session)


def check_meeting_defaults(session: Session, defaults: MeetingDefaults) -> None:
    if defaults.organiser_id is not None and session.get(Person, defaults.organiser_id) is None:
        raise ValidationError(
            _("There is no person with the number {id}.").format(id=defaults.organiser_id)
        )
    if defaults.venue_id is not None and session.get(Venue, defaults.venue_id) is None:
        raise ValidationError(
            _("There is no venue with the number {id}.").format(id=defaults.venue_id)
        )
    if not MIN_DURATION_MINUTES <= defaults.duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            _("A meeting lasts between {low} and {high} minutes.").format(
                low=MIN_DURATION_MINUTES, high=MAX_DURATION_MINUTES
            )
        )


def write_meeting_defaults(session: Session, defaults: MeetingDefaults) -> MeetingDefaults:
    """Check and store inside an open write session."""
    check_meeting_defaults(session, defaults)
    write_setting(
        session,
        MEETING_DEFAULTS_KEY,
        {
            "organiser_id": defaults.organiser_id,
            "venue_id": defaults.venue_id,
            "start": defaults.start.strftime("%H:%M"),
            "duration_minutes": defaults.duration_minutes,
        },
    )
    return defaults


# -- the rule ----------------------------------------------------------------------------------


def _usual(values: Sequence[_Key | None]) -> _Key | None:
    """The most frequent value (None ignored); a tie goes to the earliest in *values*."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    counts = Counter(present)
    best = max(counts.values())
    return next(value for value in present if counts[value] == best)


def _recent_meetings(session: Session) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.state != MeetingState.CANCELLED)
            .order_by(Meeting.start.desc(), Meeting.id.desc())
            .limit(RECENT_MEETINGS)
        )
    )


def read_new_meeting_suggestion(
    session: Session, today: date, timezone: str = DEFAULT_TIMEZONE
) -> NewMeetingSuggestion:
    stored = read_meeting_defaults(session)
    recent = _recent_meetings(session)
    zone = ZoneInfo(timezone)
    local_starts = [m.start.astimezone(zone) for m in recent]
    start_time = _usual([moment.time().replace(second=0, microsecond=0) for moment in local_starts])
    duration = _usual(
        [
            int((m.end - m.start).total_seconds() // 60) if m.end is not None else None
            for m in recent
        ]
    )
    if duration is not None and not MIN_DURATION_MINUTES <= duration <= MAX_DURATION_MINUTES:
        duration = None
    venue_id = _usual([m.venue_id for m in recent]) or stored.venue_id
    organiser_id = stored.organiser_id
    if organiser_id is None:
        organiser_id = next((m.organiser_id for m in recent if m.organiser_id is not None), None)
    day = next_working_day(today)
    start = localize(datetime.combine(day, start_time or stored.start), timezone)
    end = start + timedelta(minutes=duration or stored.duration_minutes)
    return NewMeetingSuggestion(
        start=start,
        end=end,
        venue_id=venue_id,
        organiser_id=organiser_id,
        rsvp_by=suggested_reply_by(day, today),
    )


def suggest_new_meeting(
    db: Database, *, today: date | None = None, timezone: str = DEFAULT_TIMEZONE
) -> NewMeetingSuggestion:
    """The start of the "New meeting" form (see the module docstring for the rule)."""
    with db.read() as session:
        return read_new_meeting_suggestion(session, today or date.today(), timezone)


def with_stored_defaults(session: Session, draft: MeetingDraft) -> MeetingDraft:
    """*draft* with the default organiser and venue from the settings where it names none.

    Used by the command line: ``meetings create`` without ``--organiser`` or ``--venue``.
    """
    stored = read_meeting_defaults(session)
    if draft.organiser_id is None:
        draft = replace(draft, organiser_id=stored.organiser_id)
    has_venue = draft.venue_id is not None or bool(draft.venue_name and draft.venue_name.strip())
    if not has_venue:
        draft = replace(draft, venue_id=stored.venue_id, venue_name=None)
    return draft
