"""The minutes' own fields: actual start and end, next meeting, "informed only" recipients.

Each setter is guarded by the minutes' ``version`` (the window passes the version it loaded;
ConflictError if someone saved in between) and returns ``MinutesChange``: the new version and
the previous value. Inverse for undo: call the same setter with ``change.previous`` and
``expected_version=change.version``. Locked with final minutes like the rest of the content.

Times: aware datetimes, or naive ones meaning wall time in the meeting's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy import and_, or_, select

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.models import Meeting, MeetingState, Venue
from app.services.minutes.common import (
    check_minutes_version,
    local,
    minutes_row,
    open_for_edit,
    refuse_if_cancelled,
)
from app.services.planning.common import load_meeting
from app.services.planning.times import localize
from app.text import nfc

_T = TypeVar("_T")
MAX_PLACE = 300
MAX_INFORMED_ONLY = 20_000


@dataclass(frozen=True, slots=True)
class ActualTimes:
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class NextMeeting:
    start: datetime | None
    place: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class NextMeetingSuggestion:
    """A meeting already planned after this one, offered for the "next meeting" fields."""

    meeting_id: int
    title: str
    start: datetime  # local
    place: str

    def as_next_meeting(self) -> NextMeeting:
        return NextMeeting(self.start, self.place, "")


@dataclass(frozen=True, slots=True)
class MinutesChange(Generic[_T]):
    version: int  # the minutes' new version: continue editing with it
    previous: _T


def set_actual_times(
    db: Database,
    meeting_id: int,
    times: ActualTimes,
    *,
    expected_version: int | None,
) -> MinutesChange[ActualTimes]:
    """When the meeting really began and ended (the minutes show these instead of the plan)."""
    with db.write() as session:
        meeting, minutes = open_for_edit(session, meeting_id)
        check_minutes_version(meeting, minutes, expected_version)
        start = localize(times.start, meeting.timezone) if times.start else None
        end = localize(times.end, meeting.timezone) if times.end else None
        if start is not None and end is not None and end <= start:
            raise ValidationError(_("The meeting must end after it began."))
        previous = ActualTimes(
            local(meeting, minutes.actual_start), local(meeting, minutes.actual_end)
        )
        minutes.actual_start = start.astimezone(UTC) if start else None
        minutes.actual_end = end.astimezone(UTC) if end else None
        session.flush()
        return MinutesChange(minutes.version, previous)


def set_next_meeting(
    db: Database,
    meeting_id: int,
    next_meeting: NextMeeting,
    *,
    expected_version: int | None,
) -> MinutesChange[NextMeeting]:
    """Date, place and a note on the next meeting, as the minutes announce it."""
    with db.write() as session:
        meeting, minutes = open_for_edit(session, meeting_id)
        check_minutes_version(meeting, minutes, expected_version)
        start = localize(next_meeting.start, meeting.timezone) if next_meeting.start else None
        if start is not None and start <= meeting.start:
            raise ValidationError(_("The next meeting must lie after this one."))
        place = nfc(next_meeting.place)
        if len(place) > MAX_PLACE:
            raise ValidationError(
                _("The place may be at most {max} characters long.").format(max=MAX_PLACE)
            )
        previous = NextMeeting(
            local(meeting, minutes.next_meeting_start),
            minutes.next_meeting_place,
            minutes.next_meeting_note,
        )
        minutes.next_meeting_start = start.astimezone(UTC) if start else None
        minutes.next_meeting_place = place
        minutes.next_meeting_note = nfc(next_meeting.note)
        session.flush()
        return MinutesChange(minutes.version, previous)


def set_informed_only(
    db: Database, meeting_id: int, text: str, *, expected_version: int | None
) -> MinutesChange[str]:
    """The "informed only" recipients: one per line, "Name <address>", an address or a name."""
    cleaned = "\n".join(line for line in (nfc(raw) for raw in (text or "").splitlines()) if line)
    if len(cleaned) > MAX_INFORMED_ONLY:
        raise ValidationError(_("The list of further recipients is too long."))
    with db.write() as session:
        meeting, minutes = open_for_edit(session, meeting_id)
        check_minutes_version(meeting, minutes, expected_version)
        previous = minutes.informed_only
        minutes.informed_only = cleaned
        session.flush()
        return MinutesChange(minutes.version, previous)


def set_signature_lines(
    db: Database, meeting_id: int, on: bool, *, expected_version: int | None
) -> MinutesChange[bool]:
    """Whether final minutes end with lines to sign for the minute-taker and the moderation.

    A print option, not content: it may change on final minutes too (the recorded revision
    stays as it was), and drafts never show the lines (a draft is not signed).
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        refuse_if_cancelled(meeting)
        minutes = minutes_row(session, meeting, advance=False)
        check_minutes_version(meeting, minutes, expected_version)
        previous = minutes.signature_lines
        minutes.signature_lines = bool(on)
        session.flush()
        return MinutesChange(minutes.version, previous)


def suggest_next_meeting(db: Database, meeting_id: int) -> NextMeetingSuggestion | None:
    """The first meeting after this one that is not cancelled, if one is planned already."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        later = session.execute(
            select(Meeting, Venue)
            .outerjoin(Venue, Venue.id == Meeting.venue_id)
            .where(
                Meeting.state != MeetingState.CANCELLED,
                or_(
                    Meeting.start > meeting.start,
                    and_(Meeting.start == meeting.start, Meeting.id > meeting.id),
                ),
            )
            .order_by(Meeting.start, Meeting.id)
            .limit(1)
        ).first()
        if later is None:
            return None
        found, venue = later
        start = local(found, found.start)
        assert start is not None
        place = ""
        if venue is not None:
            place = ", ".join(part for part in (venue.name, venue.room) if part)
        return NextMeetingSuggestion(found.id, nfc(found.title), start, nfc(place))
