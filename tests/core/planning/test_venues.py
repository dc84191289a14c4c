"""Venues are kept for reuse."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.db import Database
from app.errors import NotFound, ValidationError
from app.services.planning import MeetingDraft, create_meeting
from app.services.venues import (
    VenueDraft,
    create_venue,
    delete_venue,
    get_venue,
    list_venues,
    update_venue,
)


def test_create_list_update(db: Database) -> None:
    venue_id = create_venue(
        db,
        VenueDraft(
            "Museumscafe\u0301 K+",
            street="Museumsplatz 1",
            postcode="12345",
            city="Stadt",
            room="Saal",
            accessibility_notes="Stufenlos, Aufzug",
        ),
    )
    create_venue(db, VenueDraft("Aula Gatherhof"))
    rows = list_venues(db)
    assert [r.name for r in rows] == ["Aula Gatherhof", "Museumscafé K+"]
    row = get_venue(db, venue_id)
    assert row.address == "Museumsplatz 1, 12345 Stadt"
    assert row.meetings == 0
    assert "museumscafe" in row.search_key
    previous = update_venue(db, venue_id, VenueDraft("Museumscafé K+", room="Foyer"))
    assert previous == row.draft()
    assert get_venue(db, venue_id).room == "Foyer"


def test_refusals(db: Database) -> None:
    with pytest.raises(ValidationError):
        create_venue(db, VenueDraft(" "))
    with pytest.raises(NotFound):
        create_venue(db, VenueDraft("Ort", organisation_id=42))
    with pytest.raises(NotFound):
        get_venue(db, 42)
    assert list_venues(db) == []


def test_a_used_venue_is_not_deleted(db: Database) -> None:
    used = create_venue(db, VenueDraft("K+"))
    free = create_venue(db, VenueDraft("Frei"))
    create_meeting(db, MeetingDraft("Treffen", datetime(2026, 5, 4, 18), venue_id=used))
    assert get_venue(db, used).meetings == 1
    with pytest.raises(ValidationError):
        delete_venue(db, used)
    delete_venue(db, free)
    assert [r.name for r in list_venues(db)] == ["K+"]
