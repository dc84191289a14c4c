"""RFC 5545 files for meetings, parsed back with icalendar: every property, DST edges, escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.documents.calendar import CalendarMeeting, CalendarMethod, CalendarPerson, meeting_calendar
from app.mail.errors import InvalidAddressError
from app.services.phrases import AgendaLine

BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def meeting(start: datetime | None = None, **changes: object) -> CalendarMeeting:
    start = start or datetime(2026, 12, 3, 15, 0, tzinfo=BERLIN)
    base = CalendarMeeting(
        uid="4f1c-stable@treffpunkt",
        sequence=3,
        title="Auftakt-Netzwerktreffen der Impuls.Ag",
        start=start,
        end=start + timedelta(hours=2),
        timezone="Europe/Berlin",
        organiser=CalendarPerson("Quartiersmanagement Impuls.Ag", "quartier@impuls-ag.example"),
        venue_name="Museumscafé K+",
        venue_room="Saal",
        venue_address="Am Museum 1, 12345 Musterstadt",
        accessibility_notes="Stufenloser Zugang",
        description="Wir starten das Netzwerk.",
        agenda=(
            AgendaLine("1", start, "Begrüßung", "Anna Schmidt"),
            AgendaLine("2", start + timedelta(minutes=10), "Vorstellung der Projekte"),
            AgendaLine("2.1", start + timedelta(minutes=10), "Sport im Park", "Jens Müller", 1),
        ),
        rsvp_by=date(2026, 11, 26),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def parse(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


AYSE = CalendarPerson("Ayşe Yılmaz", "a.yilmaz@quartier-lehmheide.example")
JENS = CalendarPerson("Dr. Jens Müller", "jens.mueller@sport-im-park.example")


def test_request_has_every_property() -> None:
    data = meeting_calendar(meeting(), attendees=[AYSE], stamp=STAMP)
    calendar, event = parse(data)
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar["PRODID"]).startswith("-//Treffpunkt//")
    assert calendar["VERSION"] == "2.0"
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    assert str(event["UID"]) == "4f1c-stable@treffpunkt"
    assert event["SEQUENCE"] == 3
    assert event["DTSTAMP"].dt == STAMP
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert event.start == datetime(2026, 12, 3, 15, 0, tzinfo=BERLIN)
    assert event.end == datetime(2026, 12, 3, 17, 0, tzinfo=BERLIN)
    assert event.start.astimezone(UTC) == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Auftakt-Netzwerktreffen der Impuls.Ag"
    assert str(event["LOCATION"]) == "Museumscafé K+, Saal, Am Museum 1, 12345 Musterstadt"
    description = str(event["DESCRIPTION"])
    assert "Wir starten das Netzwerk." in description
    assert "TOP 1  15:00  Begrüßung – Anna Schmidt" in description
    assert "TOP 2  15:10  Vorstellung der Projekte" in description
    assert "   TOP 2.1  15:10  Sport im Park – Jens Müller" in description
    assert "Donnerstag, 26. November 2026" in description
    assert "Stufenloser Zugang" in description
    assert str(event["STATUS"]) == "CONFIRMED"
    organiser = event["ORGANIZER"]
    assert str(organiser) == "mailto:quartier@impuls-ag.example"
    assert organiser.params["CN"] == "Quartiersmanagement Impuls.Ag"
    attendee = event["ATTENDEE"]
    assert not isinstance(attendee, list)
    assert str(attendee) == "mailto:a.yilmaz@quartier-lehmheide.example"
    assert dict(attendee.params) == {
        "CN": "Ayşe Yılmaz",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }
    assert b"\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_organiser_file_lists_every_attendee_once() -> None:
    twice = CalendarPerson("Ayşe", "A.Yilmaz@quartier-lehmheide.example")
    data = meeting_calendar(meeting(), attendees=[AYSE, JENS, twice], stamp=STAMP)
    _, event = parse(data)
    addresses = [str(a) for a in event["ATTENDEE"]]
    assert addresses == [
        "mailto:a.yilmaz@quartier-lehmheide.example",
        "mailto:jens.mueller@sport-im-park.example",
    ]


def test_cancellation() -> None:
    data = meeting_calendar(
        meeting(sequence=4), method=CalendarMethod.CANCEL, attendees=[AYSE], stamp=STAMP
    )
    calendar, event = parse(data)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert str(event["UID"]) == "4f1c-stable@treffpunkt"
    # A cancelled meeting never goes out as a REQUEST, whatever the caller asks for.
    calendar, event = parse(meeting_calendar(meeting(cancelled=True), attendees=[AYSE]))
    assert calendar["METHOD"] == "CANCEL"
    assert "Dieses Treffen wurde abgesagt." in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # Last Sunday of October 2026: clocks go back at 03:00 CEST → 02:00 CET.
        (datetime(2026, 10, 24, 10, 0), datetime(2026, 10, 24, 8, 0)),
        (datetime(2026, 10, 25, 10, 0), datetime(2026, 10, 25, 9, 0)),
        # Last Sunday of March 2026: 02:00 CET → 03:00 CEST.
        (datetime(2026, 3, 28, 10, 0), datetime(2026, 3, 28, 9, 0)),
        (datetime(2026, 3, 29, 10, 0), datetime(2026, 3, 29, 8, 0)),
    ],
)
def test_dst_edges_have_the_right_utc(local: datetime, utc: datetime) -> None:
    start = local.replace(tzinfo=BERLIN)
    data = meeting_calendar(meeting(start, end=start + timedelta(hours=2)), attendees=[AYSE])
    calendar, event = parse(data)
    assert event.start.astimezone(UTC) == utc.replace(tzinfo=UTC)
    # The file's own VTIMEZONE (what Outlook uses) gives the same offset as zoneinfo.
    vtimezone = calendar.walk("VTIMEZONE")[0].to_tz()
    assert local.replace(tzinfo=vtimezone).utcoffset() == start.utcoffset()
    assert f"DTSTART;TZID=Europe/Berlin:{local:%Y%m%dT%H%M%S}".encode() in data


def test_meeting_across_the_autumn_change_keeps_its_real_length() -> None:
    start = datetime(2026, 10, 25, 1, 30, tzinfo=BERLIN)  # CEST
    end = datetime(2026, 10, 25, 4, 30, tzinfo=BERLIN)  # CET: 4 real hours later
    _, event = parse(meeting_calendar(meeting(start, end=end), attendees=[AYSE]))
    assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(hours=4)


def test_line_breaks_and_markup_cannot_break_the_file() -> None:
    evil = meeting(
        title="Treffen\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:evil@x.example",
        venue_name="Café; Raum, 1\nzweite Zeile",
        description="<b>fett</b> & \\ Backslash\nZeile 2; mit, Zeichen",
    )
    person = CalendarPerson('Müller, "Anna"\r\nATTENDEE:mailto:evil@x.example', AYSE.email)
    data = meeting_calendar(evil, attendees=[person], stamp=STAMP)
    _calendar, event = parse(data)  # still exactly one VEVENT
    lines = data.replace(b"\r\n ", b"").split(b"\r\n")  # unfolded content lines
    assert lines.count(b"BEGIN:VEVENT") == 1
    assert lines.count(b"END:VEVENT") == 1
    assert [line.split(b":")[0].split(b";")[0] for line in lines].count(b"ATTENDEE") == 1
    attendees = event["ATTENDEE"]
    assert not isinstance(attendees, list)
    assert str(attendees) == f"mailto:{AYSE.email}"
    assert attendees.params["CN"] == 'Müller, "Anna" ATTENDEE:mailto:evil@x.example'
    assert str(event["SUMMARY"]) == (
        "Treffen END:VEVENT BEGIN:VEVENT ATTENDEE:mailto:evil@x.example"
    )
    assert str(event["LOCATION"]).startswith("Café; Raum, 1 zweite Zeile")
    assert "<b>fett</b> & \\ Backslash\nZeile 2; mit, Zeichen" in str(event["DESCRIPTION"])


def test_invalid_attendee_address_is_refused() -> None:
    with pytest.raises(InvalidAddressError):
        meeting_calendar(meeting(), attendees=[CalendarPerson("X", "x@example.de\r\nBcc: y@z.de")])
    with pytest.raises(InvalidAddressError):
        meeting_calendar(meeting(), attendees=[CalendarPerson("X", "a@b.example, c@d.example")])


def test_english_description_and_default_length() -> None:
    data = meeting_calendar(meeting(end=None), attendees=[AYSE], language="en")
    _, event = parse(data)
    description = str(event["DESCRIPTION"])
    assert "Item 1  15:00  Begrüßung – Anna Schmidt" in description
    assert "Please let us know by Thursday, 26 November 2026" in description
    assert event.end - event.start == timedelta(hours=2)
