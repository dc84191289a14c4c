"""Helpers for the attendance service tests: a meeting with invitees in every state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.db import Database
from app.models import (
    AgendaItem,
    ConsentRecord,
    ConsentTopic,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Organisation,
    Person,
    PersonEmail,
    Quarter,
)
from app.services.planning.times import localize

DAY = date(2026, 3, 10)


START = localize(datetime(2026, 3, 10, 15, 0), "Europe/Berlin")


# "Now" for the tests: the evening of the meeting's day.
NOW = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Setup:
    """Ids of the test network and its meeting.

    Invitees and replies: ayse accepted, rene declined, jan tentative, olga sent (no answer),
    anna not sent. bernd is in the directory but not invited; klaus is archived.
    TOPs in order: top1, top2, top3 (top3 has a sub-item top3_1).
    """

    meeting: int
    buero: int  # Quartiersbüro Lehmheide, quarter Lehmheide
    laden: int  # Ladenlokal Stahldorf, quarter Stahldorf
    verein: int  # SV Gatherhof, no quarter
    ayse: int
    rene: int
    jan: int
    olga: int
    anna: int
    bernd: int
    klaus: int
    top1: int
    top2: int
    top3: int
    top3_1: int
    other_meeting_top: int


def _person(
    first: str, last: str, org: Organisation | None, email: str | None, **extra: object
) -> Person:
    person = Person(first_name=first, last_name=last, organisation=org, **extra)
    if email:
        person.emails.append(PersonEmail(address=email, is_preferred=True))
    return person


def build(db: Database) -> Setup:
    with db.write() as session:
        lehmheide, stahldorf = Quarter(name="Lehmheide"), Quarter(name="Stahldorf")
        buero = Organisation(name="Quartiersbüro Lehmheide", quarters=[lehmheide])
        laden = Organisation(name="Ladenlokal Stahldorf", quarters=[stahldorf])
        verein = Organisation(name="SV Gatherhof")
        ayse = _person("Ayşe", "Yılmaz", buero, "ayse@example.org")
        ayse.consents.append(
            ConsentRecord(
                topic=ConsentTopic.PHOTOS, given=True, recorded_at=datetime(2025, 1, 5, tzinfo=UTC)
            )
        )
        rene = _person("Renée", "Öztürk-Weiß", laden, "renee@example.org")
        jan = _person("Jan", "Müller", verein, "Jan.Mueller@example.org")
        olga = _person("Olga", "Łukasik", buero, None)
        anna = _person("Anna", "Ayhan", laden, "anna@example.org", function="Sozialarbeiterin")
        bernd = _person("Bernd", "Schulz", None, "bernd@example.org")
        klaus = _person("Klaus", "Zimmer", verein, "klaus@example.org", archived=True)
        people = [ayse, rene, jan, olga, anna, bernd, klaus]
        session.add_all(people)
        meeting = Meeting(title="Netzwerktreffen März", start=START, state=MeetingState.INVITED)
        other = Meeting(title="Anderes Treffen", start=START)
        session.add_all([meeting, other])
        session.flush()
        top1 = AgendaItem(meeting=meeting, position=1, title="Begrüßung", planned_minutes=10)
        top2 = AgendaItem(meeting=meeting, position=2, title="Berichte", planned_minutes=30)
        top3 = AgendaItem(meeting=meeting, position=3, title="Verschiedenes", planned_minutes=20)
        other_top = AgendaItem(meeting=other, position=1, title="Begrüßung")
        session.add_all([top1, top2, top3, other_top])
        session.flush()
        top3_1 = AgendaItem(meeting=meeting, parent_id=top3.id, position=1, title="Termine")
        session.add(top3_1)
        for person, state in (
            (ayse, InvitationState.ACCEPTED),
            (rene, InvitationState.DECLINED),
            (jan, InvitationState.TENTATIVE),
            (olga, InvitationState.SENT),
            (anna, InvitationState.NOT_SENT),
        ):
            session.add(Invitation(meeting=meeting, person=person, state=state))
        session.flush()
        return Setup(
            meeting.id,
            buero.id,
            laden.id,
            verein.id,
            ayse.id,
            rene.id,
            jan.id,
            olga.id,
            anna.id,
            bernd.id,
            klaus.id,
            top1.id,
            top2.id,
            top3.id,
            top3_1.id,
            other_top.id,
        )
