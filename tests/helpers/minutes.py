"""Helpers for the minutes service tests: a small network with three meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO

from PIL import Image

from app.db import Database
from app.models import (
    AgendaItem,
    Meeting,
    MeetingState,
    Organisation,
    Person,
    PersonEmail,
    Venue,
)

FIRST_START = datetime(2025, 3, 5, 16, 0, tzinfo=UTC)  # 17:00 in Berlin


SECOND_START = datetime(2025, 6, 4, 15, 0, tzinfo=UTC)  # 17:00 in Berlin (summer time)


THIRD_START = datetime(2025, 9, 10, 15, 0, tzinfo=UTC)


LATER = datetime(2026, 1, 1, tzinfo=UTC)  # "now" after all three meetings


@dataclass(frozen=True)
class Meet:
    id: int
    welcome: int  # TOP 1
    open_items: int  # TOP 2, lists_open_action_items
    misc: int  # TOP 3


@dataclass(frozen=True)
class Net:
    buero: int  # Quartiersbüro Lehmheide
    verein: int  # SV Gatherhof
    ayse: int  # Ayşe Yılmaz, Büro
    jan: int  # Jan Müller, Verein
    olga: int  # Olga Łukasik, Büro
    first: Meet
    second: Meet
    third: Meet


def add_meeting(
    db: Database,
    title: str,
    start: datetime,
    *,
    state: MeetingState = MeetingState.HELD,
    tops: tuple[tuple[str, bool], ...] = (
        ("Begrüßung", False),
        ("Offene Aufgaben aus dem letzten Treffen", True),
        ("Verschiedenes", False),
    ),
    venue: str | None = "Museumscafé K+",
) -> list[int]:
    """A meeting with top-level TOPs; returns [meeting id, TOP ids...]."""
    with db.write() as session:
        meeting = Meeting(
            title=title,
            start=start,
            end=start.replace(hour=start.hour + 2),
            state=state,
            venue=Venue(
                name=venue,
                street="Joseph-Beuys-Platz 1",
                postcode="47798",
                city="Krefeld",
                room="Studio",
            )
            if venue
            else None,
        )
        session.add(meeting)
        session.flush()
        ids = [meeting.id]
        for position, (top_title, lists_open) in enumerate(tops, start=1):
            item = AgendaItem(
                meeting_id=meeting.id,
                position=position,
                title=top_title,
                lists_open_action_items=lists_open,
            )
            session.add(item)
            session.flush()
            ids.append(item.id)
        return ids


def build_net(db: Database) -> Net:
    with db.write() as session:
        buero = Organisation(name="Quartiersbüro Lehmheide")
        verein = Organisation(name="SV Gatherhof")
        ayse = Person(first_name="Ayşe", last_name="Yılmaz", organisation=buero)
        ayse.emails.append(PersonEmail(address="ayse@example.org", is_preferred=True))
        jan = Person(first_name="Jan", last_name="Müller", organisation=verein)
        jan.emails.append(PersonEmail(address="jan@example.org", is_preferred=True))
        olga = Person(first_name="Olga", last_name="Łukasik", organisation=buero)
        session.add_all([ayse, jan, olga])
        session.flush()
        people = (buero.id, verein.id, ayse.id, jan.id, olga.id)
    meetings = [
        Meet(*add_meeting(db, title, start))
        for title, start in (
            ("Netzwerktreffen Frühjahr", FIRST_START),
            ("Netzwerktreffen Sommer", SECOND_START),
            ("Netzwerktreffen Herbst", THIRD_START),
        )
    ]
    return Net(*people, *meetings)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    """A small real image with some structure (not one flat colour)."""
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 4):
        for y in range(size[1]):
            image.putpixel((x, y), (20, 120, (x * 7 + y) % 255))
    buffer = BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


TODAY = date(2025, 7, 1)
