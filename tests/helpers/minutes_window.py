"""Helpers for the minutes editor tests: the demo meetings by title."""

from __future__ import annotations

from collections.abc import Callable

from app.db import Database
from app.services.meetings import list_meetings
from ui.minutes.minutes_editor import MinutesEditor

WAIT_MS = 15_000


AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"


def meeting_id(db: Database, title: str) -> int:
    return next(row.id for row in list_meetings(db) if row.title == title)


EditorFactory = Callable[..., MinutesEditor]
