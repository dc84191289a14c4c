"""Helpers for the planning window tests: a planned meeting, the stored agenda order."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from app.services.agenda import get_agenda

WAIT_MS = 15_000


@dataclass
class Planned:
    db: Database
    meeting_id: int
    items: dict[str, int]


def stored_order(db: Database, meeting_id: int) -> list[tuple[str, str, str]]:
    """(number, title, start HH:MM) of the stored agenda, in display order."""
    return [
        (e.row.number, e.row.title, e.row.start.strftime("%H:%M"))
        for e in get_agenda(db, meeting_id).entries
    ]
