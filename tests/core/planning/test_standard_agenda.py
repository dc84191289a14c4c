"""Standard TOPs (data per document language, editable in settings) and open action items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from app.db import Database
from app.errors import ValidationError
from app.models import ActionItem, ActionItemStatus, AgendaItemKind
from app.services.agenda import get_agenda
from app.services.planning import MeetingDraft, create_meeting
from app.services.settings import set_setting
from app.services.standard_agenda import (
    DEFAULT_STANDARD_AGENDA,
    DOCUMENT_LANGUAGE_KEY,
    STANDARD_AGENDA_KEY,
    StandardItem,
    add_standard_agenda,
    open_action_items,
    reset_standard_agenda,
    set_standard_agenda,
    standard_agenda,
)

GERMAN = [
    "Begrüßung",
    "Genehmigung der Tagesordnung und des letzten Protokolls",
    "Offene Aufgaben aus dem letzten Treffen",
    "Verschiedenes",
    "Nächster Termin",
]


def titles(db: Database, meeting_id: int) -> list[str]:
    return [e.row.title for e in get_agenda(db, meeting_id).entries]


def test_defaults_follow_the_document_language(db: Database, meeting_id: int) -> None:
    assert [item.title for item in standard_agenda(db)] == GERMAN
    assert standard_agenda(db, "en")[0].title == "Welcome"
    assert standard_agenda(db, "xx") == DEFAULT_STANDARD_AGENDA["de"]
    set_setting(db, DOCUMENT_LANGUAGE_KEY, "en")
    assert standard_agenda(db)[-1].title == "Next meeting"
    # A meeting keeps the language it was made with; a new one takes the network's.
    ids = add_standard_agenda(db, meeting_id)
    assert len(ids) == 5
    assert titles(db, meeting_id)[0] == "Begrüßung"
    english = create_meeting(
        db,
        MeetingDraft(title="Exchange", start=datetime(2026, 5, 4, 18)),
        with_standard_agenda=True,
    )
    assert titles(db, english)[0] == "Welcome"


def test_add_standard_tops(db: Database, meeting_id: int) -> None:
    ids = add_standard_agenda(db, meeting_id, "de")
    view = get_agenda(db, meeting_id)
    assert [e.id for e in view.entries] == list(ids)
    assert [e.row.title for e in view.entries] == GERMAN
    assert [e.row.number for e in view.entries] == ["1", "2", "3", "4", "5"]
    flagged = [e.row.title for e in view.entries if e.row.lists_open_action_items]
    assert flagged == ["Offene Aufgaben aus dem letzten Treffen"]
    assert view.entries[1].row.kind is AgendaItemKind.DECISION
    assert view.total_minutes == sum(item.minutes for item in DEFAULT_STANDARD_AGENDA["de"])


def test_edited_standard_tops_are_stored_and_reset(db: Database, meeting_id: int) -> None:
    custom = [
        StandardItem("Begrüßung und Vorstellungsrunde", 15),
        StandardItem("Berichte aus den Quartieren", 30, AgendaItemKind.DISCUSSION),
        StandardItem("Offene Punkte", 10, lists_open_action_items=True),
    ]
    set_standard_agenda(db, "de", custom)
    assert list(standard_agenda(db, "de")) == custom
    assert standard_agenda(db, "en") == DEFAULT_STANDARD_AGENDA["en"]  # other language kept
    add_standard_agenda(db, meeting_id, "de")
    assert titles(db, meeting_id) == [item.title for item in custom]
    reset_standard_agenda(db, "de")
    assert standard_agenda(db, "de") == DEFAULT_STANDARD_AGENDA["de"]


def test_an_empty_standard_agenda_is_allowed(db: Database, meeting_id: int) -> None:
    set_standard_agenda(db, "de", [])
    assert add_standard_agenda(db, meeting_id, "de") == ()


def test_invalid_standard_items_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        set_standard_agenda(db, "de", [StandardItem(" ", 5)])
    with pytest.raises(ValidationError):
        set_standard_agenda(db, "de", [StandardItem("TOP", -1)])
    assert standard_agenda(db, "de") == DEFAULT_STANDARD_AGENDA["de"]


def test_a_broken_stored_value_falls_back_gracefully(db: Database) -> None:
    set_setting(
        db,
        STANDARD_AGENDA_KEY,
        {
            "de": [
                {"title": "Gut", "minutes": 5},
                {"minutes": 3},
                "Unsinn",
                {"title": "X", "minutes": "viele"},
                {"title": "Art", "kind": "party"},
            ]
        },
    )
    assert standard_agenda(db, "de") == (StandardItem("Gut", 5),)
    set_setting(db, STANDARD_AGENDA_KEY, "kaputt")
    assert standard_agenda(db, "de") == DEFAULT_STANDARD_AGENDA["de"]


def test_open_action_items_of_earlier_meetings(db: Database, network: Any) -> None:
    earlier = create_meeting(db, MeetingDraft("Januar", datetime(2026, 1, 20, 18)))
    older = create_meeting(db, MeetingDraft("Dezember", datetime(2025, 12, 2, 18)))
    current = create_meeting(db, MeetingDraft("Mai", datetime(2026, 5, 4, 18)))
    later = create_meeting(db, MeetingDraft("Juni", datetime(2026, 6, 1, 18)))
    with db.write() as session:
        session.add_all(
            [
                ActionItem(
                    meeting_id=earlier,
                    text="Flyer drucken",
                    owner_person_id=network.ayse,
                    due=date(2026, 3, 1),
                    position=1,
                ),
                ActionItem(
                    meeting_id=earlier,
                    text="Erledigt",
                    status=ActionItemStatus.DONE,
                    position=2,
                ),
                ActionItem(
                    meeting_id=older,
                    text="Raum anfragen",
                    owner_text="Sportverein",
                    due=date(2026, 6, 1),
                ),
                ActionItem(meeting_id=current, text="Aus diesem Treffen"),
                ActionItem(meeting_id=later, text="Aus der Zukunft"),
            ]
        )
    items = open_action_items(db, current)
    assert [(i.text, i.owner, i.meeting_title, i.overdue) for i in items] == [
        ("Raum anfragen", "Sportverein", "Dezember", False),
        ("Flyer drucken", "Ayşe Yılmaz", "Januar", True),
    ]
    assert items[1].meeting_start.hour == 18
    assert open_action_items(db, older) == []
