"""Helpers for the document tests: meetings with invitees, PDF text read back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO

from pypdf import PdfReader

from app.db import Database
from app.models import (
    Group,
    Invitation,
    InvitationState,
    Meeting,
    Organisation,
    Person,
    Venue,
)

START = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # 14:00 in Berlin


END = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)  # 16:30 in Berlin


@dataclass(frozen=True)
class Invitee:
    first: str
    last: str
    organisation: str | None = None
    function: str = ""
    state: InvitationState = InvitationState.ACCEPTED
    groups: tuple[str, ...] = ("Impuls.Ag",)
    title: str = ""


def add_meeting(
    db: Database,
    invitees: Iterable[Invitee],
    *,
    title: str = "Auftakt-Netzwerktreffen der Impuls.Ag",
    with_venue: bool = True,
    organiser: Invitee | None = None,
) -> int:
    """One meeting with its invitees; organisations and groups are created by name."""
    with db.write() as session:
        organisations: dict[str, Organisation] = {}
        groups: dict[str, Group] = {}

        def person(invitee: Invitee) -> Person:
            org = None
            if invitee.organisation is not None:
                org = organisations.setdefault(
                    invitee.organisation, Organisation(name=invitee.organisation)
                )
            member_of = [groups.setdefault(name, Group(name=name)) for name in invitee.groups]
            return Person(
                title=invitee.title,
                first_name=invitee.first,
                last_name=invitee.last,
                organisation=org,
                function=invitee.function,
                groups=member_of,
            )

        venue = None
        if with_venue:
            venue = Venue(
                name="Museumscafé K+",
                street="Museumsstraße 1",
                postcode="12345",
                city="Gatherhof",
                room="Saal 2",
            )
        meeting = Meeting(
            title=title,
            start=START,
            end=END,
            venue=venue,
            organiser=person(organiser) if organiser else None,
        )
        session.add(meeting)
        for invitee in invitees:
            session.add(Invitation(meeting=meeting, person=person(invitee), state=invitee.state))
        session.flush()
        return meeting.id


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page with all runs of whitespace collapsed to one space."""
    reader = PdfReader(BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def count(needle: str, haystack: str) -> int:
    return len(re.findall(re.escape(needle), haystack))


DEMO_TODAY = date(2026, 12, 6)


def demo_meeting(db: Database, state: str) -> int:
    """The id of the demo meeting in *state* ("invited", "minutes_final", "minutes_draft")."""
    from app.services.meetings import list_meetings

    return next(row.id for row in list_meetings(db) if row.state.value == state)
