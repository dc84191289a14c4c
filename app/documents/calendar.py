"""RFC 5545 calendar files for meetings (``icalendar``), built from a frozen snapshot.

One VEVENT per meeting with the meeting's stable UID and its SEQUENCE (raised by the meeting
editor on every change partners must learn of), times with ``TZID`` plus the matching VTIMEZONE,
and ORGANIZER/ATTENDEE as iTIP (RFC 5546) expects for METHOD:REQUEST and METHOD:CANCEL.

A personal mail's file names only its recipient as ATTENDEE, so partners never see each other's
addresses; the organiser's file (``treffpunkt ics ID``) lists every invitee with an address.

Text goes through ``icalendar``, which escapes ``,;\\`` and line breaks in values and uses
RFC 6868 for parameters; names, title and location are squeezed onto one line first anyway.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from app import __version__
from app.addresses import normalise_address, single_line
from app.i18n import occurs_twice
from app.services.phrases import AgendaLine, agenda_text, format_long_date, phrases

if TYPE_CHECKING:
    from app.services.meetings import MeetingDetail

PRODID = f"-//Treffpunkt//Treffpunkt {__version__}//DE"
# Without an end and without an agenda, a meeting is shown as two hours long.
DEFAULT_DURATION = timedelta(hours=2)


class CalendarMethod(enum.StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


# RFC 5545 CUTYPE of an attendee: a person, or an organisation's own address (a mailbox that
# stands for a group of people, "info@verein.de").
INDIVIDUAL = "INDIVIDUAL"
GROUP = "GROUP"


@dataclass(frozen=True, slots=True)
class CalendarPerson:
    name: str
    email: str
    kind: str = INDIVIDUAL  # CUTYPE for an ATTENDEE


@dataclass(frozen=True, slots=True)
class CalendarMeeting:
    """What a calendar file says about a meeting; times are aware datetimes."""

    uid: str
    sequence: int
    title: str
    start: datetime
    end: datetime | None
    timezone: str
    organiser: CalendarPerson
    venue_name: str = ""
    venue_room: str = ""
    venue_address: str = ""
    accessibility_notes: str = ""
    description: str = ""
    agenda: tuple[AgendaLine, ...] = ()
    rsvp_by: date | None = None
    cancelled: bool = False

    @classmethod
    def from_detail(cls, detail: MeetingDetail, organiser: CalendarPerson) -> CalendarMeeting:
        from app.models import MeetingState

        end = detail.end
        if end is None and detail.planned_end > detail.start:
            end = detail.planned_end
        venue = detail.venue
        return cls(
            uid=detail.uid,
            sequence=detail.sequence,
            title=detail.title,
            start=detail.start,
            end=end,
            timezone=detail.timezone,
            organiser=organiser,
            venue_name=venue.name if venue else "",
            venue_room=venue.room if venue else "",
            venue_address=venue.address if venue else "",
            accessibility_notes=venue.accessibility_notes if venue else "",
            description=detail.description,
            agenda=tuple(
                AgendaLine(row.number, row.start, row.title, row.presenter, row.depth)
                for row in detail.agenda
            ),
            rsvp_by=detail.rsvp_by,
            cancelled=detail.state is MeetingState.CANCELLED,
        )

    @property
    def location(self) -> str:
        parts = (self.venue_name, self.venue_room, self.venue_address)
        return ", ".join(single_line(part) for part in parts if single_line(part))

    @property
    def effective_end(self) -> datetime:
        return (
            self.end
            if self.end is not None and self.end > self.start
            else (self.start + DEFAULT_DURATION)
        )


def calendar_description(meeting: CalendarMeeting, language: str = "de") -> str:
    """Free description, agenda with numbers, times and presenters, RSVP-by, accessibility."""
    said = phrases(language)
    blocks = []
    if meeting.cancelled:
        blocks.append(said.cancelled)
    if meeting.description.strip():
        blocks.append(meeting.description.strip())
    blocks.append(f"{said.agenda}:\n{agenda_text(meeting.agenda, language)}")
    if meeting.rsvp_by is not None and not meeting.cancelled:
        blocks.append(said.rsvp_by.format(date=format_long_date(meeting.rsvp_by, language)))
    if meeting.accessibility_notes.strip():
        blocks.append(said.accessibility.format(notes=meeting.accessibility_notes.strip()))
    return "\n\n".join(blocks)


def _calendar_time(value: datetime) -> datetime:
    """*value* as the file states it: local time with TZID, but in UTC when the wall-clock
    time occurs twice (the hour the clocks go back). RFC 5545 reads such a TZID time as its
    first occurrence, and clients do not agree even on that; UTC names the instant the
    database holds, whichever of the two it is."""
    return value.astimezone(UTC) if occurs_twice(value) else value


def _address(person: CalendarPerson) -> vCalAddress:
    address = vCalAddress(f"mailto:{normalise_address(person.email)}")
    name = single_line(person.name)
    if name:
        address.params["CN"] = name
    return address


def meeting_calendar(
    meeting: CalendarMeeting,
    *,
    method: CalendarMethod | str = CalendarMethod.REQUEST,
    attendees: Iterable[CalendarPerson] = (),
    language: str = "de",
    stamp: datetime | None = None,
) -> bytes:
    """The .ics bytes (UTF-8, CRLF lines) for *meeting*.

    ``method`` REQUEST invites or updates, CANCEL cancels (STATUS:CANCELLED); a cancelled
    meeting always gives CANCEL. Every attendee address must be valid (``InvalidAddressError``
    otherwise); duplicates are listed once.
    """
    method = CalendarMethod(str(method).upper())
    if meeting.cancelled:
        method = CalendarMethod.CANCEL
    zone = ZoneInfo(meeting.timezone)
    start = meeting.start.astimezone(zone)
    end = meeting.effective_end.astimezone(zone)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", _calendar_time(start))
    event.add("dtend", _calendar_time(end))
    event.add("summary", single_line(meeting.title))
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", calendar_description(meeting, language))
    event.add("status", "CANCELLED" if method is CalendarMethod.CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(meeting.organiser))
    seen: set[str] = set()
    for person in attendees:
        address = _address(person)
        key = str(address).casefold()
        if key in seen:
            continue
        seen.add(key)
        address.params["CUTYPE"] = person.kind
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
        event.add("attendee", address, encode=False)
    calendar.add_component(event)
    # VTIMEZONE covering the meeting with a margin: enough for every client, small file.
    calendar.add_missing_timezones(
        first_date=date(start.year - 1, 1, 1), last_date=date(end.year + 2, 1, 1)
    )
    data: bytes = calendar.to_ical()
    return data
