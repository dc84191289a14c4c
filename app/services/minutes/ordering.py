"""Order of decisions, action items and photos: 0-based indexes in, 1..n positions stored.

Decisions and action items are ordered per TOP (rows with the same meeting and agenda item,
including the group of rows whose TOP was removed, ``agenda_item_id`` NULL); photos per
meeting. After every operation the positions of the touched groups are 1..n again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, select, update
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import AgendaItem


@dataclass(frozen=True, slots=True)
class MoveResult:
    """Where a row was and where it went. Inverse: move it back to the old TOP and index."""

    row_id: int
    old_agenda_item_id: int | None
    old_index: int
    new_agenda_item_id: int | None
    new_index: int


def group_ids(session: Session, table: Table, *where: ColumnElement[bool]) -> list[int]:
    query = select(table.c.id).where(*where).order_by(table.c.position, table.c.id)
    return list(session.scalars(query))


def write_positions(session: Session, table: Table, ids: list[int]) -> None:
    for position, row_id in enumerate(ids, start=1):
        session.execute(update(table).where(table.c.id == row_id).values(position=position))


def clamp(index: int | None, length: int) -> int:
    """An index into a list of *length* items after insertion (None: at the end)."""
    if index is None:
        return length
    return max(0, min(index, length))


def in_agenda_group(table: Table, meeting_id: int, agenda_item_id: int | None) -> list[Any]:
    """WHERE conditions for the rows of one TOP (or the TOP-less rows) of one meeting."""
    item_column = table.c.agenda_item_id
    return [
        table.c.meeting_id == meeting_id,
        item_column.is_(None) if agenda_item_id is None else item_column == agenda_item_id,
    ]


def check_same_meeting(session: Session, meeting_id: int, agenda_item_id: int | None) -> None:
    """A row may only move to a TOP of its own meeting."""
    if agenda_item_id is None:
        return
    item = session.get(AgendaItem, agenda_item_id)
    if item is None:
        raise NotFound(_("There is no agenda item with the number {id}.").format(id=agenda_item_id))
    if item.meeting_id != meeting_id:
        raise ValidationError(_("An entry can only be moved to a TOP of the same meeting."))
