"""Autosave of the notes: versions, conflicts with a stale version, the lock, lazy minutes."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import AgendaItem, Meeting, MeetingState, Minutes
from app.services.agenda import AgendaItemDraft, update_item
from app.services.minutes import (
    MinutesLockedError,
    ensure_minutes,
    finalise_minutes,
    load_minutes,
    save_notes,
    start_correction,
)
from tests.helpers.minutes import LATER, Net


def notes_of(db: Database, item_id: int) -> tuple[str, int]:
    with db.read() as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None
        return item.notes, item.version


def test_save_returns_the_new_version_and_stores_the_text(db: Database, net: Net) -> None:
    version = save_notes(db, net.first.welcome, "Begrüßung durch **Ayşe**", expected_version=1)
    assert version == 2
    assert notes_of(db, net.first.welcome) == ("Begrüßung durch **Ayşe**", 2)
    version = save_notes(db, net.first.welcome, "Begrüßung durch Ayşe.", expected_version=2)
    assert notes_of(db, net.first.welcome) == ("Begrüßung durch Ayşe.", 3)
    assert version == 3


def test_saving_the_same_text_writes_nothing(db: Database, net: Net) -> None:
    version = save_notes(db, net.first.welcome, "Text", expected_version=1)
    assert save_notes(db, net.first.welcome, "Text", expected_version=version) == version
    assert notes_of(db, net.first.welcome)[1] == version


def test_text_is_stored_as_typed_in_nfc_not_stripped(db: Database, net: Net) -> None:
    typed = unicodedata.normalize("NFD", "Grüße an alle ") + "\r\n- Punkt\t"
    save_notes(db, net.first.welcome, typed, expected_version=1)
    assert notes_of(db, net.first.welcome)[0] == "Grüße an alle \n- Punkt "


def test_a_stale_version_is_a_conflict_and_keeps_the_other_text(db: Database, net: Net) -> None:
    # Window A and window B both loaded version 1; A saves first.
    save_notes(db, net.first.welcome, "Text aus Fenster A", expected_version=1)
    with pytest.raises(ConflictError) as raised:
        save_notes(db, net.first.welcome, "Text aus Fenster B", expected_version=1)
    assert "Begrüßung" in str(raised.value)  # names the TOP
    assert notes_of(db, net.first.welcome) == ("Text aus Fenster A", 2)


def test_an_agenda_edit_elsewhere_also_makes_the_notes_version_stale(
    db: Database, net: Net
) -> None:
    update_item(db, net.first.welcome, AgendaItemDraft(title="Begrüßung und Einführung"))
    with pytest.raises(ConflictError):
        save_notes(db, net.first.welcome, "Neu", expected_version=1)


def test_first_notes_start_the_minutes(db: Database, net: Net) -> None:
    save_notes(db, net.first.welcome, "Los geht's", expected_version=1)
    with db.read() as session:
        minutes = session.scalars(select(Minutes).where(Minutes.meeting_id == net.first.id)).one()
        meeting = session.get(Meeting, net.first.id)
        assert meeting is not None
        assert minutes.number == "1/2025"
        assert meeting.state is MeetingState.MINUTES_DRAFT


def test_final_minutes_refuse_notes(db: Database, net: Net) -> None:
    info = ensure_minutes(db, net.first.id, now=LATER)
    save_notes(db, net.first.welcome, "Entwurf", expected_version=1)
    finalise_minutes(db, net.first.id, expected_version=info.version, now=LATER)
    with pytest.raises(MinutesLockedError) as raised:
        save_notes(db, net.first.welcome, "Nachträglich", expected_version=2)
    assert "Netzwerktreffen Frühjahr" in str(raised.value)
    assert notes_of(db, net.first.welcome)[0] == "Entwurf"
    # A correction unlocks them again.
    final = load_minutes(db, net.first.id).minutes
    assert final is not None
    start_correction(db, net.first.id, "Tippfehler", expected_version=final.version, now=LATER)
    assert save_notes(db, net.first.welcome, "Korrigiert", expected_version=2) == 3


def test_unknown_item_and_cancelled_meeting(db: Database, net: Net) -> None:
    with pytest.raises(NotFound):
        save_notes(db, 9999, "x", expected_version=1)
    with db.write() as session:
        meeting = session.get(Meeting, net.third.id)
        assert meeting is not None
        meeting.state = MeetingState.CANCELLED
    with pytest.raises(ValidationError):
        save_notes(db, net.third.welcome, "x", expected_version=1)


def test_absurdly_long_notes_are_refused(db: Database, net: Net) -> None:
    with pytest.raises(ValidationError):
        save_notes(db, net.first.welcome, "x" * 1_000_001, expected_version=1)
