"""What a new meeting starts with: next working day, usual time and venue, default organiser."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.db import Database
from app.models import MeetingState, Person, PersonEmail
from app.services.planning import (
    MeetingDraft,
    create_meeting,
    load_meeting_form,
    set_meeting_state,
)
from app.services.planning.defaults import (
    MeetingDefaults,
    easter_sunday,
    next_working_day,
    suggest_new_meeting,
    suggested_reply_by,
    write_meeting_defaults,
)
from app.services.venues import VenueDraft, create_venue

BERLIN = ZoneInfo("Europe/Berlin")


def person(db: Database, first: str) -> int:
    with db.write() as session:
        row = Person(first_name=first, last_name="Test")
        row.emails.append(PersonEmail(address=f"{first.lower()}@example.org", is_preferred=True))
        session.add(row)
        session.flush()
        return row.id


def meeting(
    db: Database,
    day: date,
    start: time,
    minutes: int,
    venue: int | None,
    organiser: int | None = None,
) -> int:
    begin = datetime.combine(day, start)
    return create_meeting(
        db,
        MeetingDraft(
            title=f"Treffen {day}",
            start=begin,
            end=begin + timedelta(minutes=minutes),
            venue_id=venue,
            organiser_id=organiser,
        ),
    )


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 22), date(2026, 11, 23)),  # Sunday → Monday
        (date(2026, 11, 27), date(2026, 11, 30)),  # Friday → Monday
        (date(2026, 4, 2), date(2026, 4, 7)),  # Thursday before Good Friday and Easter Monday
        (date(2026, 12, 24), date(2026, 12, 28)),  # Christmas days
        (date(2026, 10, 2), date(2026, 10, 5)),  # German Unity Day falls on a Saturday
        (date(2027, 4, 30), date(2027, 5, 3)),
    ],
)
def test_next_working_day(today: date, expected: date) -> None:
    assert next_working_day(today) == expected


def test_reply_by_is_a_week_before_but_never_in_the_past() -> None:
    assert suggested_reply_by(date(2027, 3, 30), date(2027, 3, 1)) == date(2027, 3, 23)
    assert suggested_reply_by(date(2027, 3, 2), date(2027, 3, 1)) == date(2027, 3, 1)


def test_an_empty_database_uses_the_settings(db: Database) -> None:
    suggestion = suggest_new_meeting(db, today=date(2026, 11, 22))  # a Sunday
    assert suggestion.start == datetime(2026, 11, 23, 18, 0, tzinfo=BERLIN)
    assert suggestion.end == datetime(2026, 11, 23, 20, 0, tzinfo=BERLIN)
    assert suggestion.venue_id is None
    assert suggestion.organiser_id is None
    assert suggestion.rsvp_by == date(2026, 11, 22)

    organiser = person(db, "Sabine")
    venue = create_venue(db, VenueDraft(name="Museumscafé K+"))
    with db.write() as session:
        write_meeting_defaults(session, MeetingDefaults(organiser, venue, time(15, 30), 90))
    suggestion = suggest_new_meeting(db, today=date(2026, 11, 22))
    assert suggestion.start == datetime(2026, 11, 23, 15, 30, tzinfo=BERLIN)
    assert suggestion.end - suggestion.start == timedelta(minutes=90)
    assert (suggestion.venue_id, suggestion.organiser_id) == (venue, organiser)


def test_the_usual_time_and_venue_of_the_last_meetings_win(db: Database) -> None:
    settings_venue = create_venue(db, VenueDraft(name="Rathaus"))
    usual = create_venue(db, VenueDraft(name="Museumscafé K+"))
    other = create_venue(db, VenueDraft(name="Quartiersbüro"))
    jana = person(db, "Jana")
    with db.write() as session:
        write_meeting_defaults(session, MeetingDefaults(None, settings_venue, time(18, 0), 120))
    meeting(db, date(2026, 3, 3), time(15, 0), 120, usual, jana)
    meeting(db, date(2026, 6, 2), time(15, 0), 120, usual)
    meeting(db, date(2026, 9, 1), time(10, 0), 90, other)
    cancelled = meeting(db, date(2026, 10, 6), time(10, 0), 90, other)
    set_meeting_state(db, cancelled, MeetingState.CANCELLED)
    suggestion = suggest_new_meeting(db, today=date(2026, 11, 25))
    assert suggestion.start == datetime(2026, 11, 26, 15, 0, tzinfo=BERLIN)
    assert suggestion.end - suggestion.start == timedelta(minutes=120)
    assert suggestion.venue_id == usual
    assert suggestion.organiser_id == jana  # no default set: the latest organiser


def test_a_tie_goes_to_the_most_recent_meeting(db: Database) -> None:
    first = create_venue(db, VenueDraft(name="A"))
    second = create_venue(db, VenueDraft(name="B"))
    meeting(db, date(2026, 3, 3), time(15, 0), 120, first)
    meeting(db, date(2026, 6, 2), time(17, 0), 60, second)
    suggestion = suggest_new_meeting(db, today=date(2026, 11, 25))
    assert suggestion.start.time() == time(17, 0)
    assert suggestion.venue_id == second
    assert suggestion.end - suggestion.start == timedelta(minutes=60)


def test_create_with_stored_defaults_fills_only_what_is_missing(db: Database) -> None:
    organiser, other = person(db, "Sabine"), person(db, "Jana")
    venue = create_venue(db, VenueDraft(name="Museumscafé K+"))
    with db.write() as session:
        write_meeting_defaults(session, MeetingDefaults(organiser, venue, time(15, 0), 120))
    start = datetime(2027, 3, 2, 15, 0)
    filled = create_meeting(db, MeetingDraft(title="A", start=start), stored_defaults=True)
    chosen = create_meeting(
        db,
        MeetingDraft(title="B", start=start, organiser_id=other, venue_name="Rathaus"),
        stored_defaults=True,
    )
    plain = create_meeting(db, MeetingDraft(title="C", start=start))
    assert load_meeting_form(db, filled).draft.organiser_id == organiser
    assert load_meeting_form(db, filled).draft.venue_id == venue
    assert load_meeting_form(db, chosen).draft.organiser_id == other
    assert load_meeting_form(db, chosen).draft.venue_name == "Rathaus"
    assert load_meeting_form(db, plain).draft.organiser_id is None
