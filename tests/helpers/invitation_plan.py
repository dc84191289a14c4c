"""A planned meeting with everything the invitation shows: agenda, invitees, letters."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.db import Database
from app.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    AgendaItemKind,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Invitation,
    Meeting,
    MeetingState,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Salutation,
    Venue,
)

BERLIN = ZoneInfo("Europe/Berlin")


START = datetime(2026, 12, 16, 15, 0, tzinfo=BERLIN)


EARLIER = datetime(2026, 9, 10, 17, 0, tzinfo=BERLIN)


MARKUP_ORG = "Müller & Söhne <GmbH>"


MARKUP_TITLE = "<b>offen</b> & <i>Verschiedenes"


ARABIC_FIRST, ARABIC_LAST = "محمد", "عبد الله"


NFD_TITLE = unicodedata.normalize("NFD", "Nguyễn Thị Minh stellt vor")


@dataclass(frozen=True)
class Plan:
    meeting_id: int
    earlier_id: int
    later_id: int
    people: dict[str, int]


def _person(
    session: Session,
    key: str,
    people: dict[str, Person],
    *,
    salutation: Salutation = Salutation.NONE,
    first: str = "",
    last: str,
    email: str | None = None,
    organisation: Organisation | None = None,
    title: str = "",
) -> Person:
    person = Person(
        salutation=salutation,
        first_name=first,
        last_name=last,
        title=title,
        organisation=organisation,
    )
    if email:
        person.emails.append(PersonEmail(address=email, is_preferred=True))
    session.add(person)
    people[key] = person
    return person


def build_plan(db: Database, *, letters_needed: bool = True) -> Plan:
    """An autumn meeting with action items, and the winter meeting to invite to."""
    people: dict[str, Person] = {}
    with db.write() as session:
        stadt = Organisation(name="Stadt Krefeld – Fachbereich Soziales")
        markup_org = Organisation(
            name=MARKUP_ORG, street="Hauptstraße 5", postcode="47798", city="Krefeld"
        )
        organiser = _person(
            session,
            "organiser",
            people,
            salutation=Salutation.FRAU,
            first="Sabine",
            last="Krüger",
            email="sabine.krueger@krefeld.example",
            organisation=stadt,
        )
        organiser.phones.append(PersonPhone(number="02151 86-0"))
        yilmaz = _person(
            session,
            "yilmaz",
            people,
            salutation=Salutation.FRAU,
            first="Ayşe",
            last="Yılmaz",
            email="ayse@lehmheide.example",
            title="Dr.",
        )
        venue = Venue(
            name="Museumscafé K+",
            room="Studio",
            street="Joseph-Beuys-Platz 1",
            postcode="47798",
            city="Krefeld",
            accessibility_notes="Stufenloser Zugang, barrierefreies WC",
        )
        earlier = Meeting(
            title="Netzwerktreffen Herbst",
            start=EARLIER,
            end=EARLIER + timedelta(hours=2),
            state=MeetingState.HELD,
        )
        later = Meeting(
            title="Netzwerktreffen Frühjahr",
            start=START + timedelta(days=100),
            end=START + timedelta(days=100, hours=2),
        )
        meeting = Meeting(
            title="Netzwerktreffen Winter",
            start=START,
            end=START + timedelta(hours=2),
            venue=venue,
            organiser=organiser,
            rsvp_by=date(2026, 12, 9),
            description="Bitte <b>pünktlich</b> & gut gelaunt.",
        )
        session.add_all([earlier, later, meeting])
        session.flush()
        earlier_top = AgendaItem(meeting=earlier, position=1, title="Verschiedenes")
        session.add(earlier_top)
        session.flush()
        session.add_all(
            [
                ActionItem(
                    meeting_id=earlier.id,
                    agenda_item_id=earlier_top.id,
                    position=1,
                    text="Flyer <drucken> & verteilen",
                    owner_person=yilmaz,
                    due=date(2026, 11, 1),
                ),
                ActionItem(
                    meeting_id=earlier.id,
                    position=2,
                    text="Raum für 2027 anfragen",
                    owner_organisation=markup_org,
                    due=date(2027, 1, 15),
                ),
                ActionItem(
                    meeting_id=earlier.id,
                    position=3,
                    text="Erledigte Aufgabe",
                    status=ActionItemStatus.DONE,
                ),
                ActionItem(meeting_id=later.id, position=1, text="Aufgabe aus der Zukunft"),
            ]
        )
        tops = [
            AgendaItem(position=1, title="Begrüßung", planned_minutes=10, presenter=organiser),
            AgendaItem(
                position=2,
                title="Offene Aufgaben aus dem letzten Treffen",
                planned_minutes=15,
                lists_open_action_items=True,
                kind=AgendaItemKind.DISCUSSION,
            ),
            AgendaItem(
                position=3,
                title="Projekte",
                planned_minutes=5,
                description="Je fünf Minuten: was läuft gut?",
                presenter_text="alle Projektträger",
            ),
            AgendaItem(
                position=4, title="Haushalt 2027", planned_minutes=10, kind=AgendaItemKind.DECISION
            ),
            AgendaItem(position=5, title=MARKUP_TITLE, planned_minutes=10),
        ]
        for top in tops:
            meeting.agenda_items.append(top)
        session.flush()
        for position, (title, minutes, presenter) in enumerate(
            ((NFD_TITLE, 10, "Ayşe Yılmaz"), ("Sport im Park", 20, "")), start=1
        ):
            meeting.agenda_items.append(
                AgendaItem(
                    parent_id=tops[2].id,
                    position=position,
                    title=title,
                    planned_minutes=minutes,
                    presenter_text=presenter,
                )
            )
        invitees = [yilmaz]
        if letters_needed:
            invitees += [
                _person(
                    session,
                    "ohnemail",
                    people,
                    salutation=Salutation.HERR,
                    first="Klaus",
                    last="Ohnemail",
                    organisation=markup_org,
                ),
                _person(
                    session,
                    "widerruf",
                    people,
                    salutation=Salutation.FRAU,
                    first="Petra",
                    last="Widerruf",
                    email="petra@widerruf.example",
                ),
                _person(
                    session,
                    "kaputt",
                    people,
                    salutation=Salutation.HERR,
                    first="Bernd",
                    last="Kaputt",
                    email="bernd@@kaputt",
                ),
                _person(session, "arabic", people, first=ARABIC_FIRST, last=ARABIC_LAST),
            ]
            people["widerruf"].consents.append(
                ConsentRecord(
                    topic=ConsentTopic.EMAIL_INVITATIONS, given=False, method=ConsentMethod.EMAIL
                )
            )
            archived = _person(
                session,
                "archived",
                people,
                first="Anna",
                last="Archiv",
                email="anna@archiv.example",
            )
            archived.archived = True
            invitees.append(archived)
        session.flush()
        for person in invitees:
            session.add(Invitation(meeting_id=meeting.id, person_id=person.id))
        session.flush()
        return Plan(meeting.id, earlier.id, later.id, {k: p.id for k, p in people.items()})
