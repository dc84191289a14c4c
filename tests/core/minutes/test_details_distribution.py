"""Actual times, next meeting (with a suggestion), informed only, and the distribution list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.db import Database
from app.errors import ConflictError, ValidationError
from app.models import Attendance, AttendanceStatus, MeetingState, Person, PersonEmail
from app.services.minutes import (
    ActualTimes,
    NextMeeting,
    Recipient,
    distribution_list,
    ensure_minutes,
    get_minutes_info,
    set_actual_times,
    set_informed_only,
    set_next_meeting,
    suggest_next_meeting,
)
from app.services.minutes.distribution import parse_informed_only
from tests.helpers.minutes import LATER, Net, add_meeting


def test_actual_times_in_the_meeting_zone_with_undo(db: Database, net: Net) -> None:
    info = ensure_minutes(db, net.first.id, now=LATER)
    change = set_actual_times(
        db,
        net.first.id,
        ActualTimes(datetime(2025, 3, 5, 17, 10), datetime(2025, 3, 5, 19, 5)),
        expected_version=info.version,
    )
    assert change.previous == ActualTimes(None, None)
    stored = get_minutes_info(db, net.first.id)
    assert stored is not None
    assert stored.version == change.version
    assert stored.actual_start == datetime(2025, 3, 5, 16, 10, tzinfo=UTC)  # 17:10 Berlin
    assert stored.actual_start is not None
    assert stored.actual_start.hour == 17
    with pytest.raises(ConflictError):  # the version before the change is stale now
        set_actual_times(db, net.first.id, ActualTimes(None, None), expected_version=info.version)
    with pytest.raises(ValidationError):
        set_actual_times(
            db,
            net.first.id,
            ActualTimes(datetime(2025, 3, 5, 19), datetime(2025, 3, 5, 18)),
            expected_version=change.version,
        )
    set_actual_times(db, net.first.id, change.previous, expected_version=change.version)  # undo
    undone = get_minutes_info(db, net.first.id)
    assert undone is not None
    assert undone.actual_start is None


def test_next_meeting_and_its_suggestion(db: Database, net: Net) -> None:
    suggestion = suggest_next_meeting(db, net.first.id)
    assert suggestion is not None
    assert (suggestion.meeting_id, suggestion.title) == (net.second.id, "Netzwerktreffen Sommer")
    assert suggestion.place == "Museumscafé K+, Studio"
    assert suggestion.start.hour == 17
    info = ensure_minutes(db, net.first.id, now=LATER)
    change = set_next_meeting(
        db, net.first.id, suggestion.as_next_meeting(), expected_version=info.version
    )
    assert change.previous == NextMeeting(None, "", "")
    stored = get_minutes_info(db, net.first.id)
    assert stored is not None
    assert (stored.next_meeting_start, stored.next_meeting_place) == (
        suggestion.start,
        "Museumscafé K+, Studio",
    )
    with pytest.raises(ValidationError):  # not before this meeting
        set_next_meeting(
            db, net.first.id, NextMeeting(datetime(2025, 1, 1, 10)), expected_version=change.version
        )
    assert suggest_next_meeting(db, net.third.id) is None


def test_the_suggestion_skips_cancelled_meetings(db: Database, net: Net) -> None:
    add_meeting(db, "Abgesagt", datetime(2025, 4, 1, 16, tzinfo=UTC), state=MeetingState.CANCELLED)
    suggestion = suggest_next_meeting(db, net.first.id)
    assert suggestion is not None
    assert suggestion.meeting_id == net.second.id


def test_distribution_each_recipient_once(db: Database, net: Net) -> None:
    with db.write() as session:
        bernd = Person(first_name="Bernd", last_name="Adler")
        bernd.emails.append(PersonEmail(address="Bernd@Example.org", is_preferred=True))
        session.add(bernd)
        session.flush()
        first = net.first.id
        session.add_all(
            [
                Attendance(meeting_id=first, person_id=net.jan, status=AttendanceStatus.PRESENT),
                Attendance(meeting_id=first, person_id=net.ayse, status=AttendanceStatus.PRESENT),
                Attendance(meeting_id=first, person_id=net.olga, status=AttendanceStatus.EXCUSED),
                Attendance(meeting_id=first, person_id=bernd.id, status=AttendanceStatus.ABSENT),
                Attendance(
                    meeting_id=first,
                    guest_name="Tamara Schulz",
                    guest_email="t@zeitung.example",
                    guest_organisation="Westdeutsche Zeitung",
                    status=AttendanceStatus.PRESENT,
                ),
                Attendance(meeting_id=first, status=AttendanceStatus.PRESENT, anonymised=True),
            ]
        )
    info = ensure_minutes(db, net.first.id, now=LATER)
    set_informed_only(
        db,
        net.first.id,
        "Stadt Krefeld <foerderung@krefeld.example>\n"
        "  \n"
        "ayse@example.org\n"  # already present: not twice
        "bernd@example.org\n"  # absent, but informed: once, by address
        "Stiftung Nachbarschaft <BERND@example.org>\n"  # the same address again
        "Olga Łukasik\n"  # excused already: a name without address is not repeated
        "Gisela Breuer (Post)\n"
        "Tamara Schulz <T@Zeitung.example>\n",
        expected_version=info.version,
    )
    result = distribution_list(db, net.first.id)
    assert result.attendees == (
        Recipient("Jan Müller", "SV Gatherhof", "jan@example.org", net.jan),
        Recipient("Tamara Schulz", "Westdeutsche Zeitung", "t@zeitung.example", None, guest=True),
        Recipient("Ayşe Yılmaz", "Quartiersbüro Lehmheide", "ayse@example.org", net.ayse),
    )
    assert result.excused == (Recipient("Olga Łukasik", "Quartiersbüro Lehmheide", None, net.olga),)
    assert result.informed_only == (
        Recipient("Stadt Krefeld", email="foerderung@krefeld.example"),
        Recipient("bernd@example.org", email="bernd@example.org"),
        Recipient("Gisela Breuer (Post)"),
    )
    addresses = [r.email.casefold() for r in result.everyone if r.email]
    assert len(addresses) == len(set(addresses))


def test_informed_only_is_cleaned_and_guarded(db: Database, net: Net) -> None:
    info = ensure_minutes(db, net.first.id, now=LATER)
    change = set_informed_only(
        db, net.first.id, "  a@example.org \n\n\n b@example.org", expected_version=info.version
    )
    stored = get_minutes_info(db, net.first.id)
    assert stored is not None
    assert stored.informed_only == "a@example.org\nb@example.org"
    assert change.previous == ""
    with pytest.raises(ConflictError):
        set_informed_only(db, net.first.id, "", expected_version=info.version)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Müller, Hans <h@x.example>", [Recipient("Müller, Hans", email="h@x.example")]),
        (
            '"Stadt, Amt" <amt@krefeld.example>',
            [Recipient("Stadt, Amt", email="amt@krefeld.example")],
        ),
        ("<nur@adresse.example>", [Recipient("nur@adresse.example", email="nur@adresse.example")]),
        (
            "foerderung@krefeld.example (Fördermittel)",
            [Recipient("Fördermittel", email="foerderung@krefeld.example")],
        ),
        (
            "a@b.example; Bea <c@d.example>",
            [Recipient("a@b.example", email="a@b.example"), Recipient("Bea", email="c@d.example")],
        ),
        ("Text mit @ darin", [Recipient("Text mit @ darin")]),
        ("Anna <anna@x.example", [Recipient("Anna", email="anna@x.example")]),
        ("<b>Fett</b> & Co", [Recipient("<b>Fett</b> & Co")]),
    ],
)
def test_informed_only_entries(line: str, expected: list[Recipient]) -> None:
    assert parse_informed_only(line) == expected
