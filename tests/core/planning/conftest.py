"""A small network for the planning tests, written straight through the models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from app.db import Database
from app.models import (
    ConsentRecord,
    ConsentTopic,
    Group,
    Organisation,
    Person,
    PersonEmail,
    Quarter,
)
from app.services.planning import MeetingDraft, create_meeting


@dataclass(frozen=True)
class Network:
    """Ids of the test network.

    Quarters: Lehmheide (Quartiersbüro Lehmheide), Stahldorf (Ladenlokal Stahldorf).
    Groups: Impuls.Ag (ayse, rene, jan, olga), Sport (jan, klaus).
    """

    lehmheide: int
    stahldorf: int
    impuls: int
    sport: int
    buero: int  # Quartiersbüro Lehmheide
    laden: int  # Ladenlokal Stahldorf
    verein: int  # SV Gatherhof, no quarter
    ayse: int  # Büro, Impuls, e-mail
    rene: int  # Laden, Impuls, e-mail, consent withdrawn
    jan: int  # Verein, Impuls + Sport, e-mail
    olga: int  # Büro, Impuls, no e-mail
    klaus: int  # Verein, Sport, archived


def _person(
    first: str, last: str, organisation: Organisation | None, email: str | None, **extra: object
) -> Person:
    person = Person(first_name=first, last_name=last, organisation=organisation, **extra)
    if email:
        person.emails.append(PersonEmail(address=email, is_preferred=True))
    return person


def build_network(db: Database) -> Network:
    with db.write() as session:
        lehmheide, stahldorf = Quarter(name="Lehmheide"), Quarter(name="Stahldorf")
        impuls, sport = Group(name="Impuls.Ag"), Group(name="Sport")
        buero = Organisation(name="Quartiersbüro Lehmheide", quarters=[lehmheide])
        laden = Organisation(name="Ladenlokal Stahldorf", quarters=[stahldorf])
        verein = Organisation(name="SV Gatherhof")
        ayse = _person("Ayşe", "Yılmaz", buero, "ayse@example.org", groups=[impuls])
        rene = _person("Renée", "Öztürk-Weiß", laden, "renee@example.org", groups=[impuls])
        rene.consents.append(
            ConsentRecord(
                topic=ConsentTopic.EMAIL_INVITATIONS,
                given=False,
                recorded_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
        )
        jan = _person("Jan", "Müller", verein, "Jan.Mueller@example.org", groups=[impuls, sport])
        olga = _person("Olga", "Łukasik", buero, None, groups=[impuls])
        klaus = _person("Klaus", "Zimmer", verein, "klaus@example.org", groups=[sport])
        klaus.archived = True
        session.add_all([ayse, rene, jan, olga, klaus])
        session.flush()
        return Network(
            lehmheide.id,
            stahldorf.id,
            impuls.id,
            sport.id,
            buero.id,
            laden.id,
            verein.id,
            ayse.id,
            rene.id,
            jan.id,
            olga.id,
            klaus.id,
        )


@pytest.fixture
def network(db: Database) -> Network:
    return build_network(db)


@pytest.fixture
def meeting_id(db: Database) -> int:
    return create_meeting(
        db,
        MeetingDraft(
            title="Netzwerktreffen",
            start=datetime(2026, 5, 4, 18, 0),
            end=datetime(2026, 5, 4, 20, 0),
            venue_name="Museumscafé K+",
        ),
    )
