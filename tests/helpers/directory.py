"""A tiny directory for the editing and listing tests: two organisations, groups, quarters,
a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.db import Database
from app.models import (
    Attendance,
    Group,
    Invitation,
    Meeting,
    Organisation,
    Person,
    PersonEmail,
    Quarter,
)


@dataclass(frozen=True)
class Directory:
    db: Database
    office: int
    club: int
    impuls: int
    sport: int
    lehmheide: int
    stahldorf: int
    ayse: int  # attended a past meeting
    jurgen: int  # invited only
    peter: int  # never in a meeting
    zoe: int  # never in a meeting


def make_directory(db: Database) -> Directory:
    """Two organisations, groups, quarters and people, one past meeting."""
    with db.write() as session:
        lehmheide, stahldorf = Quarter(name="Lehmheide"), Quarter(name="Stahldorf")
        impuls, sport = Group(name="Impuls.Ag"), Group(name="Sport")
        office = Organisation(name="Quartiersbüro Lehmheide", quarters=[lehmheide])
        club = Organisation(name="SV Stahldorf", quarters=[stahldorf])
        ayse = Person(first_name="Ayşe", last_name="Yılmaz", organisation=office, groups=[impuls])
        ayse.emails.append(PersonEmail(address="ayse@qb.example", is_preferred=True))
        jurgen = Person(first_name="Jürgen", last_name="Müller", organisation=club, groups=[sport])
        peter = Person(first_name="Peter", last_name="Adler", organisation=club)
        zoe = Person(first_name="Zoë", last_name="Öztürk")
        meeting = Meeting(title="Netzwerktreffen", start=datetime(2025, 3, 1, 14, tzinfo=UTC))
        session.add_all([office, club, ayse, jurgen, peter, zoe, meeting])
        session.flush()
        session.add_all(
            [
                Attendance(meeting=meeting, person=ayse),
                Invitation(meeting=meeting, person=jurgen),
            ]
        )
        session.flush()
        return Directory(
            db,
            office.id,
            club.id,
            impuls.id,
            sport.id,
            lehmheide.id,
            stahldorf.id,
            ayse.id,
            jurgen.id,
            peter.id,
            zoe.id,
        )
