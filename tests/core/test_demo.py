"""The demo network: its size and shape, its meetings, and its refusal to touch a used database."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import DatabaseNotEmpty
from app.i18n import _
from app.models import (
    ActionItem,
    ActionItemStatus,
    AttendanceStatus,
    Group,
    InvitationState,
    Meeting,
    MeetingState,
    MinutesState,
    OrganisationKind,
    Person,
    Salutation,
)
from app.services.demo import QUARTERS, DemoSummary, fill_demo, upcoming_day
from app.services.directory import count_rows, list_organisations, list_people
from app.services.meetings import MeetingDetail, get_meeting, list_meetings
from app.text import fold

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One filled database shared by the tests that only read."""
    database = Database.create(tmp_path_factory.mktemp("demo") / "demo.db")
    summary = fill_demo(database, today=TODAY)
    yield database, summary
    database.close()


@pytest.fixture(scope="module")
def auftakt(demo: tuple[Database, DemoSummary]) -> MeetingDetail:
    db, _summary = demo
    meeting_id = next(
        m.id for m in list_meetings(db) if m.title == "Auftakt-Netzwerktreffen der Impuls.Ag"
    )
    return get_meeting(db, meeting_id)


def table_counts(path: Path) -> dict[str, int]:
    """Rows of every table, read straight from the file."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()


# -- size and shape of the directory -----------------------------------------------------------


def test_summary_matches_the_database(demo: tuple[Database, DemoSummary]) -> None:
    db, summary = demo
    assert 35 <= summary.organisations <= 45
    assert 70 <= summary.people <= 90
    assert summary.meetings == 4
    assert count_rows(db) == {
        "people": summary.people,
        "organisations": summary.organisations,
        "meetings": summary.meetings,
    }


def test_all_five_quarters_have_their_office(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    organisations = list_organisations(db)
    offices = [o for o in organisations if o.kind is OrganisationKind.NEIGHBOURHOOD_OFFICE]
    assert sorted(q for o in offices for q in o.quarters) == sorted(QUARTERS)
    assert set(QUARTERS) == {
        "Lehmheide",
        "Bleichpfad/Hardenberg",
        "Gatherhof",
        "Schinkenplatz",
        "Stahldorf",
    }
    kinds = Counter(o.kind for o in organisations)
    for kind in (
        OrganisationKind.SPORTS_CLUB,
        OrganisationKind.SHELTER,
        OrganisationKind.WELFARE,
        OrganisationKind.EDUCATION,
        OrganisationKind.RELIGIOUS,
    ):
        assert kinds[kind] >= 2, kind
    assert kinds[OrganisationKind.MUNICIPALITY] >= 1
    venue = next(o for o in organisations if o.name.startswith("Museumscafé K+"))
    assert venue.kind is OrganisationKind.VENUE
    address = (venue.street, venue.postcode, venue.city)
    assert address == ("Joseph-Beuys-Platz 1", "47798", "Krefeld")
    for organisation in organisations:
        assert organisation.postcode.startswith(("477", "478")), organisation.name


def test_people_look_like_a_real_network(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    people = list_people(db)
    groups = Counter(g for p in people for g in p.groups)
    assert groups["Impuls.Ag"] > len(people) / 2
    for name in ("Sport", "Quartiersbüros", "Gemeinschaftsunterkünfte", "Lenkungskreis"):
        assert groups[name] >= 3, name
    assert Counter(p.salutation for p in people).keys() == set(Salutation)
    assert any(p.title == "Dr." for p in people)
    assert all(p.function for p in people)
    assert sum(1 for p in people if not p.emails) >= 3  # letters by post
    assert sum(1 for p in people if p.organisation is None) >= 3
    assert sum(1 for p in people if p.phones) > len(people) / 2
    assert {p.preferred_language for p in people} == {"de", "en"}
    assert sum(1 for p in people if p.email_consent is False) >= 2  # withdrawn
    assert sum(1 for p in people if p.photo_consent is False) >= 2  # refused
    assert any(len(p.emails) == 2 for p in people)
    for person in people:
        if person.emails:
            assert person.preferred_email in person.emails


def test_only_unreachable_addresses_and_numbers(demo: tuple[Database, DemoSummary]) -> None:
    """Screenshots and test mails must never reach a real person."""
    db, _summary = demo
    reserved = (".example", "@example.org", "@example.net", "@example.com")
    for person in list_people(db):
        for address in person.emails:
            assert address.endswith(reserved), address
        for number in person.phones:
            assert number.startswith("0221 4710-"), number  # BNetzA drama numbers
    for organisation in list_organisations(db):
        assert not organisation.email or organisation.email.endswith(reserved)
        assert organisation.phone.startswith("0221 4710-")


def test_the_organiser_is_a_fictional_quarter_manager(auftakt: MeetingDetail) -> None:
    assert auftakt.organiser == "Sabine Krüger"
    assert auftakt.moderator == "Sabine Krüger"
    assert auftakt.minute_taker == "Jana Hoffmann"
    assert "Schilling" not in (auftakt.organiser or "")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("Ayşe Yılmaz", "ayse yilmaz"),
        ("Şükrü Kaya", "sukru kaya"),
        ("Łukasz Wróbel", "lukasz wrobel"),
        ("Thị Mai Nguyễn", "thi mai nguyen"),
        ("Văn Minh Trần", "van minh tran"),
        ("Олена Коваленко", "олена коваленко"),
        ("سلمى الخطيب", "سلمى الخطيب"),
        ("Renée Öztürk-Weiß", "renee ozturk-weiss"),
        ("Małgorzata Woźniak", "malgorzata wozniak"),
    ],
)
def test_international_names_are_nfc_and_found(
    demo: tuple[Database, DemoSummary], name: str, query: str
) -> None:
    db, _summary = demo
    people = list_people(db)
    matches = [p for p in people if fold(query) in p.search_key]
    assert [p.name for p in matches] == [unicodedata.normalize("NFC", name)]
    person = matches[0]
    for text in (person.first_name, person.last_name, person.name):
        assert unicodedata.is_normalized("NFC", text)


def test_every_name_is_nfc(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    for person in list_people(db):
        assert unicodedata.is_normalized("NFC", person.name), person.name


def test_preferred_address_can_be_the_second(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    mehmet = next(p for p in list_people(db) if p.name == "Mehmet Öztürk")
    assert mehmet.emails[0].endswith(".example")
    assert mehmet.preferred_email == "mehmet.oeztuerk@example.org"


def test_renee_has_no_salutation(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    renee = next(p for p in list_people(db) if p.last_name == "Öztürk-Weiß")
    assert renee.salutation is Salutation.NONE


# -- the kick-off meeting ----------------------------------------------------------------------


def test_auftakt_agenda_with_computed_times(auftakt: MeetingDetail) -> None:
    assert auftakt.start == datetime(2022, 11, 17, 15, 0, tzinfo=BERLIN)
    assert auftakt.start.utcoffset() == timedelta(hours=1)
    assert auftakt.end == datetime(2022, 11, 17, 17, 30, tzinfo=BERLIN)
    assert auftakt.state is MeetingState.MINUTES_DRAFT
    assert auftakt.minutes_state is MinutesState.DRAFT
    assert auftakt.timezone == "Europe/Berlin"

    tops = [row for row in auftakt.agenda if row.depth == 0]
    assert [(row.number, row.title) for row in tops] == [
        ("1", "Begrüßung"),
        ("2", "Vorstellung der geförderten Projekte"),
        ("3", "Zusammenarbeit mit den Netzwerkpartnern"),
        ("4", "Zukünftige Ausrichtung des Netzwerks"),
        ("5", "Verschiedenes"),
    ]
    assert [row.position for row in tops] == [1, 2, 3, 4, 5]
    top2 = tops[1]
    assert top2.start.astimezone(BERLIN).time() == time(15, 10)
    assert top2.start.utcoffset() == timedelta(hours=1)
    subitems = [row for row in auftakt.agenda if row.parent_id == top2.id]
    assert [row.title for row in subitems] == [
        "Quartiersbüros",
        "Sport im Park",
        "Sportpark Mobil",
        "VielFeld",
        "Ladenlokal Stahldorf",
    ]
    assert [row.number for row in subitems] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    # The whole TOP 2 block takes an hour: TOP 3 starts at 16:10.
    assert tops[2].start.astimezone(BERLIN).time() == time(16, 10)
    assert tops[3].kind.value == "decision"
    assert not auftakt.overruns
    assert all(row.presenter for row in subitems)
    assert all(row.notes for row in auftakt.agenda)
    assert any("700.000 €" in row.notes for row in auftakt.agenda)
    assert any(row.notes.startswith("- ") or "\n- " in row.notes for row in auftakt.agenda)


def test_auftakt_venue_is_the_museum_cafe(auftakt: MeetingDetail) -> None:
    assert auftakt.venue is not None
    assert auftakt.venue.name.startswith("Museumscafé K+")
    assert auftakt.venue.address == "Joseph-Beuys-Platz 1, 47798 Krefeld"
    assert "stufenlos" in auftakt.venue.accessibility_notes.lower()
    assert "barrierefreies WC" in auftakt.venue.accessibility_notes


def test_auftakt_invitations_have_mixed_replies(auftakt: MeetingDetail) -> None:
    assert 40 <= len(auftakt.invitations) <= 50
    states = Counter(inv.state for inv in auftakt.invitations)
    assert {
        InvitationState.ACCEPTED,
        InvitationState.DECLINED,
        InvitationState.TENTATIVE,
        InvitationState.SENT,
    } <= states.keys()
    assert states[InvitationState.ACCEPTED] > len(auftakt.invitations) / 2
    for invitation in auftakt.invitations:
        assert invitation.sent_at is not None
        assert invitation.sent_at < auftakt.start
        answered = invitation.state is not InvitationState.SENT
        assert (invitation.answered_at is not None) == answered
        if invitation.answered_at is not None:
            assert invitation.sent_at < invitation.answered_at < auftakt.start


def test_auftakt_attendance_with_guests(auftakt: MeetingDetail) -> None:
    statuses = Counter(row.status for row in auftakt.attendance)
    assert statuses[AttendanceStatus.PRESENT] >= 30
    assert statuses[AttendanceStatus.EXCUSED] >= 2
    assert statuses[AttendanceStatus.ABSENT] == 1
    guests = [row for row in auftakt.attendance if row.guest]
    assert len(guests) == 2
    assert all(row.person_id is None and row.name and row.organisation for row in guests)
    assert {row.photo_consent for row in auftakt.attendance} >= {True, False}
    accepted = {i.person_id for i in auftakt.invitations if i.state is InvitationState.ACCEPTED}
    present = {r.person_id for r in auftakt.attendance if r.status is AttendanceStatus.PRESENT}
    assert len(accepted & present) > 0.8 * len(accepted)


def test_auftakt_decisions_and_action_items(auftakt: MeetingDetail) -> None:
    assert 3 <= len(auftakt.decisions) <= 4
    assert any(d.votes_yes is not None for d in auftakt.decisions)
    assert any(d.votes_yes is None for d in auftakt.decisions)
    assert {d.agenda_position for d in auftakt.decisions} <= {1, 2, 3, 4, 5}
    assert 5 <= len(auftakt.action_items) <= 6
    statuses = Counter(a.status for a in auftakt.action_items)
    assert statuses[ActionItemStatus.DONE] == 1
    assert statuses[ActionItemStatus.OPEN] == len(auftakt.action_items) - 1
    assert all(a.owner and a.due for a in auftakt.action_items)


def test_auftakt_task_was_reported_done_in_spring(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    with db.read() as session:
        done = session.scalars(
            select(ActionItem).where(ActionItem.status == ActionItemStatus.DONE)
        ).all()
        rows = session.execute(select(Meeting.id, Meeting.title))
        titles = {meeting_id: title for meeting_id, title in rows}
        reported = {
            (titles[a.meeting_id], titles[a.done_in_meeting_id])
            for a in done
            if a.done_in_meeting_id
        }
        assert all(a.done_at is not None for a in done)
    assert (
        "Auftakt-Netzwerktreffen der Impuls.Ag",
        "Netzwerktreffen Impuls.Ag – Frühjahr 2023",
    ) in reported


def test_past_meetings_have_final_minutes(demo: tuple[Database, DemoSummary]) -> None:
    db, _summary = demo
    rows = list_meetings(db, now=datetime.combine(TODAY, time(12), BERLIN))
    past = [r for r in rows if not r.upcoming]
    assert len(past) == 3
    finals = [get_meeting(db, r.id) for r in past if r.start.year == 2023]
    assert len(finals) == 2
    for meeting in finals:
        assert meeting.state is MeetingState.MINUTES_FINAL
        assert meeting.minutes_state is MinutesState.FINAL
        assert any(row.status is AttendanceStatus.PRESENT for row in meeting.attendance)
        assert meeting.decisions
        assert meeting.action_items
        assert not meeting.overruns


# -- the upcoming meeting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "today",
    [
        TODAY,
        date(2027, 3, 6),  # the meeting falls just after the switch to summer time
        date(2026, 12, 1),  # three weeks later is Christmas: the meeting moves to January
        date(2027, 6, 18),
        date(2027, 10, 8),
    ],
)
def test_exactly_one_upcoming_meeting(db: Database, today: date) -> None:
    summary = fill_demo(db, today=today)
    now = datetime.combine(today, time(12), BERLIN)
    upcoming = [r for r in list_meetings(db, now=now) if r.upcoming]
    assert [r.id for r in upcoming] == [summary.upcoming_meeting_id]

    meeting = get_meeting(db, summary.upcoming_meeting_id)
    start = meeting.start.astimezone(BERLIN)
    assert start.date() == upcoming_day(today)
    assert 21 <= (start.date() - today).days <= 45
    assert start.weekday() in (1, 2, 3)  # Tuesday to Thursday
    assert (start.hour, start.minute) == (15, 0)
    assert start.utcoffset() == BERLIN.utcoffset(datetime.combine(start.date(), time(15)))
    assert meeting.end is not None
    assert meeting.end > meeting.start
    assert not meeting.overruns
    assert meeting.rsvp_by == start.date() - timedelta(days=7)
    assert meeting.state is MeetingState.INVITED
    assert meeting.title.startswith("Netzwerktreffen der Impuls.Ag – ")
    titles = [row.title for row in meeting.agenda]
    assert titles[0] == "Begrüßung"
    assert titles[-1] == "Nächster Termin"
    assert "Verschiedenes" in titles
    assert [row.title for row in meeting.agenda if row.lists_open_action_items] == [
        "Offene Aufgaben aus dem letzten Treffen"
    ]

    states = Counter(inv.state for inv in meeting.invitations)
    assert {
        InvitationState.ACCEPTED,
        InvitationState.DECLINED,
        InvitationState.TENTATIVE,
        InvitationState.SENT,
    } <= states.keys()
    for invitation in meeting.invitations:
        assert invitation.sent_at is not None
        assert invitation.sent_at < now
        if invitation.answered_at is not None:
            assert invitation.sent_at < invitation.answered_at < now
    assert meeting.attendance == ()
    assert meeting.minutes_state is None


def test_upcoming_day_skips_weekends_and_christmas() -> None:
    assert upcoming_day(date(2026, 11, 25)) == date(2026, 12, 16)  # Wednesday
    assert upcoming_day(date(2026, 11, 26)) == date(2026, 12, 17)  # Thursday
    # 22 December to 6 January is holiday time: the next Tuesday to Thursday after it.
    assert upcoming_day(date(2026, 11, 27)) == date(2027, 1, 7)
    assert upcoming_day(date(2026, 12, 1)) == date(2027, 1, 7)
    assert upcoming_day(date(2027, 3, 6)) == date(2027, 3, 30)  # Tuesday after the DST switch


def test_refuses_today_before_the_history(db: Database) -> None:
    with pytest.raises(ValueError, match="2023"):
        fill_demo(db, today=date(2023, 6, 1))
    assert count_rows(db) == {"people": 0, "organisations": 0, "meetings": 0}


def test_is_deterministic(db: Database, tmp_path: Path) -> None:
    fill_demo(db, today=TODAY)
    with Database.create(tmp_path / "second.db") as other:
        fill_demo(other, today=TODAY)
        assert list_people(other) == list_people(db)
        assert list_organisations(other) == list_organisations(db)
        for row in list_meetings(db):
            mine, theirs = get_meeting(db, row.id), get_meeting(other, row.id)
            assert (
                mine.agenda,
                mine.invitations,
                mine.attendance,
                mine.decisions,
                mine.action_items,
            ) == (
                theirs.agenda,
                theirs.invitations,
                theirs.attendance,
                theirs.decisions,
                theirs.action_items,
            )


# -- refusing a database in use ----------------------------------------------------------------


def test_second_run_refuses_and_changes_nothing(db: Database, db_path: Path) -> None:
    summary = fill_demo(db, today=TODAY)
    before = table_counts(db_path)
    with pytest.raises(DatabaseNotEmpty) as caught:
        fill_demo(db, today=TODAY)
    assert table_counts(db_path) == before
    message = str(caught.value)
    expected = _(
        "The database already holds data (people: {people}, organisations: "
        "{organisations}, meetings: {meetings}); demo data is only added to an empty "
        "database."
    ).format(people=summary.people, organisations=summary.organisations, meetings=summary.meetings)
    assert message == expected
    assert "\n" not in message


def test_refuses_a_database_with_a_single_person(db: Database, db_path: Path) -> None:
    with db.write() as session:
        session.add(Person(first_name="Erika", last_name="Mustermann"))
    before = table_counts(db_path)
    with pytest.raises(DatabaseNotEmpty, match=r"\b1\b"):
        fill_demo(db, today=TODAY)
    assert table_counts(db_path) == before
    assert [p.name for p in list_people(db)] == ["Erika Mustermann"]


def test_fills_a_database_that_holds_only_groups(db: Database) -> None:
    """Groups and quarters are not "data" in the sense of the refusal; they are reused."""
    with db.write() as session:
        session.add(Group(name="Impuls.Ag", description="schon da"))
    fill_demo(db, today=TODAY)
    with db.read() as session:
        groups = session.scalars(select(Group).where(Group.name == "Impuls.Ag")).all()
        assert len(groups) == 1
        assert groups[0].description == "schon da"
        assert len(groups[0].people) > 40


def test_demo_has_a_letterhead_for_documents(db: Database) -> None:
    from app.services.letterhead import load_letterhead

    fill_demo(db, today=TODAY)
    letterhead = load_letterhead(db)
    assert letterhead is not None
    assert "Quartiersmanagement" in letterhead.name
