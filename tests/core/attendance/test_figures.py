"""Figures per meeting and per period, checked against the raw rows of the demo network."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Organisation,
    Person,
    Quarter,
)
from app.services.demo import fill_demo
from app.services.privacy import erase_person
from app.services.reporting import (
    HELD_STATES,
    figures_for_year,
    meeting_figures,
    period_figures,
)
from app.text import sort_key

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database.create(path)
    fill_demo(database, today=TODAY)
    database.close()
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    database = Database.open(path)
    yield database
    database.close()


# -- the raw truth, computed the plain way -------------------------------------------------


def raw_meetings(db: Database) -> list[tuple[int, date, MeetingState]]:
    with db.read() as session:
        return [
            (m.id, m.start.astimezone(BERLIN).date(), m.state)
            for m in session.scalars(select(Meeting))
        ]


def raw_present(db: Database, meeting_ids: list[int]) -> list[Attendance]:
    with db.read() as session:
        rows = list(
            session.scalars(
                select(Attendance).where(
                    Attendance.meeting_id.in_(meeting_ids),
                    Attendance.status == AttendanceStatus.PRESENT,
                )
            )
        )
        session.expunge_all()
        return rows


def raw_organisations(db: Database, rows: list[Attendance]) -> set[str]:
    """Names of the organisations of present people and guests (guests by their text)."""
    with db.read() as session:
        organisations = {o.name_key: o.name for o in session.scalars(select(Organisation))}
        names = set()
        for row in rows:
            if row.person_id is not None:
                person = session.get(Person, row.person_id)
                assert person is not None
                if person.organisation is not None:
                    names.add(person.organisation.name)
            elif row.guest_organisation:
                names.add(
                    organisations.get(sort_key(row.guest_organisation), row.guest_organisation)
                )
        return names


def test_meeting_figures_match_the_raw_rows(demo: Database) -> None:
    for meeting_id, _day, _state in raw_meetings(demo):
        figures = meeting_figures(demo, meeting_id)
        with demo.read() as session:
            replies = [
                s
                for (s,) in session.execute(
                    select(Invitation.state).where(Invitation.meeting_id == meeting_id)
                )
            ]
            rows = list(
                session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
            )
            invited = set(
                session.scalars(
                    select(Invitation.person_id).where(Invitation.meeting_id == meeting_id)
                )
            )
            session.expunge_all()
        people = [r for r in rows if r.person_id is not None or r.anonymised]
        guests = [r for r in rows if r.person_id is None and not r.anonymised]
        assert figures.invited == len(replies)
        assert figures.accepted == replies.count(InvitationState.ACCEPTED)
        assert figures.declined == replies.count(InvitationState.DECLINED)
        assert figures.tentative == replies.count(InvitationState.TENTATIVE)
        assert figures.no_answer == (
            replies.count(InvitationState.SENT) + replies.count(InvitationState.NOT_SENT)
        )
        for status in AttendanceStatus:
            assert getattr(figures, status.value) == sum(r.status is status for r in people)
        assert figures.guests == sum(r.status is AttendanceStatus.PRESENT for r in guests)
        assert figures.not_recorded == len(invited - {r.person_id for r in rows})
        present = [r for r in rows if r.status is AttendanceStatus.PRESENT]
        assert set(figures.organisation_names) == raw_organisations(demo, present)
        assert figures.organisations_represented == len(figures.organisation_names)
        assert list(figures.organisation_names) == sorted(figures.organisation_names, key=sort_key)


def test_the_auftakt_meeting_in_particular(demo: Database) -> None:
    meetings = raw_meetings(demo)
    auftakt = next(m for m, day, _s in meetings if day == date(2022, 11, 17))
    figures = meeting_figures(demo, auftakt)
    assert figures.guests == 2  # the press and a resident (demo.AUFTAKT_GUESTS)
    assert "Westdeutsche Zeitung (Presse)" in figures.organisation_names
    assert figures.quarters_represented == 5
    assert figures.participants == figures.present + 2


def test_period_figures_of_the_demo_years(demo: Database) -> None:
    meetings = raw_meetings(demo)
    for year in (2022, 2023, 2026):
        figures = figures_for_year(demo, year)
        held = [m for m, day, state in meetings if day.year == year and state in HELD_STATES]
        waiting = [
            m
            for m, day, state in meetings
            if day.year == year and state in (MeetingState.PLANNED, MeetingState.INVITED)
        ]
        assert figures.meetings_held == len(held)
        assert figures.meetings_not_held == len(waiting)
        rows = raw_present(demo, held)
        people = {r.person_id for r in rows if r.person_id is not None}
        guests = [r for r in rows if r.person_id is None and not r.anonymised]
        assert figures.people_reached == len(people)
        assert figures.guest_attendances == len(guests)
        assert figures.attendances == len(rows)
        assert figures.person_attendances == len(rows) - len(guests)
        assert figures.organisations_reached == len(raw_organisations(demo, rows))
        assert [m.meeting_id for m in figures.per_meeting] == sorted(
            held, key=lambda m: next(d for i, d, _s in meetings if i == m)
        )
        # The tables add up.
        assert sum(o.attendances for o in figures.per_organisation) == figures.attendances
        assert sum(q.attendances for q in figures.per_calendar_quarter) == figures.attendances
        assert sum(q.meetings_held for q in figures.per_calendar_quarter) == len(held)
        assert [(q.year, q.quarter) for q in figures.per_calendar_quarter] == [
            (year, n) for n in (1, 2, 3, 4)
        ]
    assert figures_for_year(demo, 2023).meetings_held == 2
    upcoming = figures_for_year(demo, 2026)  # the upcoming meeting is only "invited"
    assert (upcoming.meetings_held, upcoming.meetings_not_held) == (0, 1)


def test_per_organisation_and_quarter_rows(demo: Database) -> None:
    figures = period_figures(demo, date(2022, 1, 1), date(2023, 12, 31))
    names = [o.organisation for o in figures.per_organisation]
    assert names[-1] is None  # people without organisation come last
    named = [n for n in names if n is not None]
    assert named == sorted(named, key=sort_key)
    vielfeld = next(o for o in figures.per_organisation if o.organisation == "Projekt VielFeld")
    assert len(vielfeld.quarters) == 5
    with demo.read() as session:
        staff = session.scalars(
            select(Person.id)
            .join(Organisation)
            .where(Organisation.name == "Stadt Krefeld – Fachbereich Soziales / Integration")
        ).all()
    held = [m.meeting_id for m in figures.per_meeting]
    stadt_rows = [r for r in raw_present(demo, held) if r.person_id in set(staff)]
    stadt = next(
        o
        for o in figures.per_organisation
        if o.organisation and o.organisation.startswith("Stadt Krefeld")
    )
    assert stadt.attendances == len(stadt_rows)
    assert stadt.meetings == len({r.meeting_id for r in stadt_rows})
    assert stadt.people == len({r.person_id for r in stadt_rows})
    quarters = [q.quarter for q in figures.per_quarter]
    assert quarters[:-1] == [
        "Bleichpfad/Hardenberg",
        "Gatherhof",
        "Lehmheide",
        "Schinkenplatz",
        "Stahldorf",
    ]
    assert quarters[-1] is None
    with demo.read() as session:
        in_stahldorf = set(
            session.scalars(
                select(Person.id)
                .join(Organisation)
                .where(Organisation.quarters.any(Quarter.name == "Stahldorf"))
            )
        )
    stahldorf_rows = [r for r in raw_present(demo, held) if r.person_id in in_stahldorf]
    stahldorf = next(q for q in figures.per_quarter if q.quarter == "Stahldorf")
    assert stahldorf.attendances == len(stahldorf_rows) > 0
    assert stahldorf.meetings == len({r.meeting_id for r in stahldorf_rows})
    assert stahldorf.people == len({r.person_id for r in stahldorf_rows})


def test_cancelled_and_planned_meetings_are_not_counted(demo: Database) -> None:
    before = figures_for_year(demo, 2023)
    with demo.write() as session:
        person = session.scalars(select(Person)).first()
        assert person is not None
        for state in (MeetingState.CANCELLED, MeetingState.PLANNED):
            meeting = Meeting(
                title=f"Extra {state}", start=datetime(2023, 6, 1, 13, tzinfo=UTC), state=state
            )
            session.add(meeting)
            session.flush()
            session.add(
                Attendance(
                    meeting_id=meeting.id, person_id=person.id, status=AttendanceStatus.PRESENT
                )
            )
            session.add(
                Attendance(
                    meeting_id=meeting.id, guest_name="Gast", status=AttendanceStatus.PRESENT
                )
            )
    after = figures_for_year(demo, 2023)
    assert after.meetings_held == before.meetings_held
    assert after.attendances == before.attendances
    assert after.people_reached == before.people_reached
    assert (after.meetings_cancelled, after.meetings_not_held) == (1, 1)


def test_erased_people_still_count_as_present(demo: Database) -> None:
    before = figures_for_year(demo, 2023)
    held = [m.meeting_id for m in before.per_meeting]
    counts: dict[int, int] = {}
    for row in raw_present(demo, held):
        if row.person_id is not None:
            counts[row.person_id] = counts.get(row.person_id, 0) + 1
    erased = max(counts, key=lambda pid: counts[pid])  # someone present at both meetings
    assert counts[erased] == 2
    meetings_before = [meeting_figures(demo, m) for m in held]
    erase_person(demo, erased, compact=False)
    after = figures_for_year(demo, 2023)
    assert after.attendances == before.attendances
    assert after.person_attendances == before.person_attendances
    assert after.anonymous_attendances == 2
    assert after.people_reached == before.people_reached - 1
    for old, meeting_id in zip(meetings_before, held, strict=True):
        assert meeting_figures(demo, meeting_id).present == old.present
    without = next(o for o in after.per_organisation if o.organisation is None)
    assert without.attendances >= 2


def test_local_dates_decide_the_period(db: Database) -> None:
    with db.write() as session:
        person = Person(first_name="A", last_name="B")
        session.add(person)
        late = Meeting(
            title="Silvester",
            state=MeetingState.HELD,
            start=datetime(2023, 12, 31, 23, 30, tzinfo=BERLIN),
        )
        early = Meeting(
            title="Neujahr",
            state=MeetingState.HELD,
            start=datetime(2024, 1, 1, 0, 30, tzinfo=BERLIN),
        )
        session.add_all([late, early])
        session.flush()
        for meeting in (late, early):
            session.add(Attendance(meeting_id=meeting.id, person_id=person.id))
    assert [m.title for m in figures_for_year(db, 2023).per_meeting] == ["Silvester"]
    assert [m.title for m in figures_for_year(db, 2024).per_meeting] == ["Neujahr"]
    one_day = period_figures(db, date(2024, 1, 1), date(2024, 1, 1))
    assert one_day.meetings_held == 1
    assert [(q.year, q.quarter) for q in one_day.per_calendar_quarter] == [(2024, 1)]


def test_guests_of_a_directory_organisation_count_for_it(db: Database) -> None:
    with db.write() as session:
        session.add(Organisation(name="Quartiersbüro Lehmheide"))
        meeting = Meeting(
            title="T", state=MeetingState.HELD, start=datetime(2024, 5, 2, 15, tzinfo=BERLIN)
        )
        session.add(meeting)
        session.flush()
        session.add_all(
            [
                Attendance(
                    meeting_id=meeting.id,
                    guest_name="Gast Eins",
                    guest_organisation="QUARTIERSBURO LEHMHEIDE",
                ),
                Attendance(
                    meeting_id=meeting.id,
                    guest_name="Gast Zwei",
                    guest_organisation="Freie Initiative",
                ),
                Attendance(meeting_id=meeting.id, guest_name="Gast Drei"),
            ]
        )
    figures = figures_for_year(db, 2024)
    assert [o.organisation for o in figures.per_organisation] == [
        "Freie Initiative",
        "Quartiersbüro Lehmheide",
        None,
    ]
    assert figures.guest_attendances == 3
    assert figures.people_reached == 0
    assert figures.per_meeting[0].organisation_names == (
        "Freie Initiative",
        "Quartiersbüro Lehmheide",
    )


def test_empty_and_reversed_periods(db: Database) -> None:
    figures = period_figures(db, date(2025, 1, 1), date(2025, 12, 31))
    assert figures.meetings_held == 0
    assert figures.per_meeting == ()
    assert figures.per_organisation == ()
    assert len(figures.per_calendar_quarter) == 4
    with pytest.raises(ValidationError):
        period_figures(db, date(2025, 2, 1), date(2025, 1, 1))


def test_every_kind_of_row_counts_as_defined(db: Database) -> None:
    """The database counts replies and statuses (GROUP BY) and the invitees without an entry
    (NOT EXISTS): each kind of invitation and attendance row lands where the definitions say,
    and a meeting's figures are the same alone and within a period."""
    with db.write() as session:
        club = Organisation(name="Sportverein Oppum")
        session.add(club)
        people = [Person(first_name=f"P{n}", last_name="Test") for n in range(6)]
        session.add_all(people)
        meeting = Meeting(
            title="Alles", state=MeetingState.HELD, start=datetime(2024, 3, 5, 15, tzinfo=BERLIN)
        )
        other = Meeting(
            title="Andere", state=MeetingState.HELD, start=datetime(2024, 3, 6, 15, tzinfo=BERLIN)
        )
        session.add_all([meeting, other])
        session.flush()
        people[0].organisation_id = club.id
        m = meeting.id
        session.add_all(
            [
                # In person: accepted and present, declined and excused, no answer and absent,
                # tentative without an entry, not sent without an entry.
                Invitation(meeting_id=m, person_id=people[0].id, state=InvitationState.ACCEPTED),
                Invitation(meeting_id=m, person_id=people[1].id, state=InvitationState.DECLINED),
                Invitation(meeting_id=m, person_id=people[2].id, state=InvitationState.SENT),
                Invitation(meeting_id=m, person_id=people[3].id, state=InvitationState.TENTATIVE),
                Invitation(meeting_id=m, person_id=people[4].id, state=InvitationState.NOT_SENT),
                # The organisation by its own address, and an erased person's invitation.
                Invitation(meeting_id=m, organisation_id=club.id, state=InvitationState.ACCEPTED),
                Invitation(meeting_id=m, anonymised=True, state=InvitationState.DECLINED),
                # People 4 and 5 came to the other meeting only: it is not their entry here.
                Invitation(meeting_id=other.id, person_id=people[4].id),
                Attendance(meeting_id=other.id, person_id=people[4].id),
                Attendance(meeting_id=other.id, person_id=people[5].id),
                Attendance(meeting_id=m, person_id=people[0].id),
                Attendance(meeting_id=m, person_id=people[1].id, status=AttendanceStatus.EXCUSED),
                Attendance(meeting_id=m, person_id=people[2].id, status=AttendanceStatus.ABSENT),
                # Person 5 came uninvited.
                Attendance(meeting_id=m, person_id=people[5].id),
                # Erased people: present and excused.
                Attendance(meeting_id=m, anonymised=True),
                Attendance(meeting_id=m, anonymised=True, status=AttendanceStatus.EXCUSED),
                # Guests: two present (one of the club, by its name), one excused, one absent.
                Attendance(
                    meeting_id=m, guest_name="Gast A", guest_organisation="sportverein oppum"
                ),
                Attendance(meeting_id=m, guest_name="Gast B", guest_organisation="Freie Gruppe"),
                Attendance(meeting_id=m, guest_name="Gast C", status=AttendanceStatus.EXCUSED),
                Attendance(meeting_id=m, guest_name="Gast D", status=AttendanceStatus.ABSENT),
            ]
        )
    figures = meeting_figures(db, m)
    assert (figures.invited, figures.accepted, figures.declined, figures.tentative) == (7, 2, 2, 1)
    assert (figures.no_answer, figures.not_sent) == (2, 1)
    assert (figures.invited_organisations, figures.accepted_organisations) == (1, 1)
    # present: person 0, person 5 and the erased one; excused: person 1 and an erased one.
    assert (figures.present, figures.excused, figures.absent, figures.guests) == (3, 2, 1, 2)
    assert figures.not_recorded == 2  # persons 3 and 4
    assert figures.organisation_names == ("Freie Gruppe", "Sportverein Oppum")
    period = figures_for_year(db, 2024)
    assert period.per_meeting[0] == figures
    assert period.per_meeting[1].not_recorded == 0
    assert (period.attendances, period.guest_attendances, period.anonymous_attendances) == (
        7,
        2,
        1,
    )
    assert period.people_reached == 3  # persons 0, 4 and 5
    club_row = next(o for o in period.per_organisation if o.organisation == "Sportverein Oppum")
    assert (club_row.attendances, club_row.guest_attendances, club_row.people) == (2, 1, 2)
