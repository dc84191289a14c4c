"""Helpers for the attendance window tests: a past meeting with invitees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db import Database
from app.models import (
    AgendaItem,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Person,
)
from app.services.planning.times import localize
from tests.helpers.window import fill_small_network

START = localize(datetime(2026, 3, 10, 15, 0), "Europe/Berlin")


@dataclass(frozen=True)
class Past:
    db: Database
    meeting: int
    people: dict[str, int]  # by last name
    tops: tuple[int, ...]


def build_past_meeting(db: Database) -> Past:
    fill_small_network(db)
    with db.write() as session:
        people = {p.last_name: p.id for p in session.scalars(select(Person))}
        meeting = Meeting(title="Netzwerktreffen März", start=START, state=MeetingState.INVITED)
        session.add(meeting)
        session.flush()
        tops = [
            AgendaItem(meeting=meeting, position=n, title=t, planned_minutes=20)
            for n, t in enumerate(("Begrüßung", "Berichte", "Verschiedenes"), start=1)
        ]
        session.add_all(tops)
        for last, state in (
            ("Yılmaz", InvitationState.ACCEPTED),
            ("Müller", InvitationState.DECLINED),
            ("Öztürk-Weiß", InvitationState.TENTATIVE),
            ("Adler", InvitationState.ACCEPTED),
            ("Петрова", InvitationState.SENT),
        ):
            session.add(Invitation(meeting=meeting, person_id=people[last], state=state))
        session.flush()
        return Past(db, meeting.id, people, tuple(t.id for t in tops))
