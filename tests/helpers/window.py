"""Helpers for window tests: the small network in many scripts, waiting for the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.db import Database
from app.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Group,
    Organisation,
    OrganisationKind,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
)
from ui.main_window import MainWindow

WAIT_MS = 15_000


# The offscreen platform cannot pass a window's size limits on; on a real screen Qt says nothing.
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)"


GUI_TESTS = Path(__file__).resolve().parents[1] / "gui"


def _person(
    first: str,
    last: str,
    organisation: Organisation | None,
    *,
    email: str | None = None,
    function: str = "",
    salutation: Salutation = Salutation.NONE,
    groups: tuple[Group, ...] = (),
) -> Person:
    person = Person(
        first_name=first,
        last_name=last,
        organisation=organisation,
        function=function,
        salutation=salutation,
        groups=list(groups),
    )
    if email:
        person.emails.append(PersonEmail(address=email, is_preferred=True))
    return person


def fill_small_network(db: Database) -> None:
    """Three organisations, eight people: umlauts, Turkish, Arabic, Cyrillic, Vietnamese."""
    with db.write() as session:
        lehmheide = Quarter(name="Lehmheide")
        stahldorf = Quarter(name="Stahldorf")
        impuls = Group(name="Impuls.Ag")
        sport = Group(name="Sport")
        office = Organisation(
            name="Quartiersbüro Lehmheide",
            kind=OrganisationKind.NEIGHBOURHOOD_OFFICE,
            quarters=[lehmheide],
        )
        club = Organisation(
            name="SV Blau-Weiß Stahldorf 1911 e. V.",
            kind=OrganisationKind.SPORTS_CLUB,
            quarters=[stahldorf],
        )
        shelter = Organisation(
            name="Gemeinschaftsunterkunft Wehrhahnweg",
            kind=OrganisationKind.SHELTER,
            quarters=[stahldorf],
        )
        session.add_all([office, club, shelter])
        mueller = _person(
            "Jürgen",
            "Müller",
            club,
            email="j.mueller@svbw.example",
            function="Vorsitzender",
            salutation=Salutation.HERR,
            groups=(sport,),
        )
        mueller.phones.append(PersonPhone(number="0221 4710-001"))
        ayse = _person(
            "Ayşe",
            "Yılmaz",
            office,
            email="ayse.yilmaz@qb.example",
            function="Quartiersmanagerin",
            salutation=Salutation.FRAU,
            groups=(impuls,),
        )
        ayse.emails.append(PersonEmail(address="a.yilmaz@privat.example"))
        people = [
            mueller,
            ayse,
            _person("Zoë", "Öztürk-Weiß", office, email="zoe@qb.example", groups=(impuls,)),
            _person("Анна", "Петрова", shelter, email="anna@gu.example"),
            _person("نور", "الهدى", shelter, function="Sprachmittlerin"),
            _person("Thị Mai", "Nguyễn", office, email="mai@qb.example"),
            _person("Peter", "Adler", club, email="adler@svbw.example", groups=(sport,)),
            _person("Renée", "Ährenfeld", None, email="renee@example.org"),
        ]
        session.add_all(people)
        session.flush()
        stamp = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
        session.add_all(
            [
                ConsentRecord(
                    person=ayse,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=True,
                    recorded_at=stamp,
                    method=ConsentMethod.FORM,
                ),
                ConsentRecord(
                    person=mueller,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=True,
                    recorded_at=stamp,
                    method=ConsentMethod.FORM,
                ),
                ConsentRecord(
                    person=mueller,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=False,
                    recorded_at=stamp.replace(month=6),
                    method=ConsentMethod.EMAIL,
                ),
            ]
        )


OpenAndWait = Callable[[Path], MainWindow]
