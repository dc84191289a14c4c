"""Autosave of the per-TOP notes.

The window calls ``save_notes`` a moment after the minute-taker stops typing, so it must be
cheap: one SELECT, and one UPDATE only when the text really changed. The notes are guarded
by the agenda item's ``version``: the window keeps the version it loaded (or got back from the
last save) and passes it as *expected_version*. If another window or user saved the TOP in
between, nothing is written and ConflictError says so, so the typed text is never silently
overwritten nor overwrites someone else's. The text is stored as typed (NFC, ``\\n`` line
ends), not stripped (see ``markup.clean_notes``).

Undo is the editor's own: to undo a saved change, save the earlier text again with the
version this call returned.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select, update

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.i18n import _, format_number
from app.models import AgendaItem, Meeting, MeetingState, Minutes
from app.services.minutes.common import (
    LOCKED_STATES,
    find_minutes,
    minutes_row,
    refuse_if_cancelled,
    refuse_if_locked,
)
from app.services.minutes.markup import clean_notes

MAX_NOTES_CHARS = 1_000_000  # a safety net against pasting a whole book, not a real limit
_items = cast(Table, AgendaItem.__table__)


def save_notes(db: Database, agenda_item_id: int, text: str, *, expected_version: int) -> int:
    """Store the notes of one TOP; returns the item's new version (the same if unchanged).

    Raises ConflictError when the item was saved elsewhere since *expected_version*,
    MinutesLockedError when the minutes are final, NotFound for an unknown item.
    """
    notes = clean_notes(text)
    if len(notes) > MAX_NOTES_CHARS:
        raise ValidationError(
            _("The notes of one agenda item may hold at most {max} characters.").format(
                max=format_number(MAX_NOTES_CHARS)
            )
        )
    with db.write() as session:
        row = session.execute(
            select(
                AgendaItem.version,
                AgendaItem.notes,
                AgendaItem.title,
                AgendaItem.meeting_id,
                Minutes.state,
                Meeting.state,
            )
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .outerjoin(Minutes, Minutes.meeting_id == AgendaItem.meeting_id)
            .where(AgendaItem.id == agenda_item_id)
        ).one_or_none()
        if row is None:
            raise NotFound(
                _("There is no agenda item with the number {id}.").format(id=agenda_item_id)
            )
        version, stored, title, meeting_id, minutes_state, meeting_state = row
        if (
            minutes_state in LOCKED_STATES
            or minutes_state is None
            or meeting_state is MeetingState.CANCELLED
        ):
            meeting = session.get(Meeting, meeting_id)
            assert meeting is not None
            refuse_if_cancelled(meeting)
            if minutes_state is None:
                minutes_row(session, meeting)  # the first words of the minutes
            else:
                refuse_if_locked(meeting, find_minutes(session, meeting_id))
        if version != expected_version:
            raise ConflictError(
                _(
                    "The notes of “{title}” were changed in another window since you opened "
                    "them; your text was not saved. Copy it, reload the minutes and add it again."
                ).format(title=title)
            )
        if stored == notes:
            return version
        result = session.execute(
            update(_items)
            .where(_items.c.id == agenda_item_id, _items.c.version == expected_version)
            .values(notes=notes, version=expected_version + 1)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConflictError(
                _("The notes of “{title}” were changed elsewhere at the same time.").format(
                    title=title
                )
            )
        return expected_version + 1
