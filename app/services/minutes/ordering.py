"""Order of decisions, action items and photos: 0-based indexes in, 1..n positions stored.

Decisions and action items are ordered per TOP (rows with the same meeting and agenda item,
including the group of rows whose TOP was removed, ``agenda_item_id`` NULL); photos per
meeting. After every operation the positions of the touched groups are 1..n again.

``insert_entry``, ``remove_entry`` and ``move_entry`` do it for a decision or an action item
(a "TOP entry"); ``decisions`` and ``actions`` only add what is their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast

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


class TopEntry(Protocol):
    """A decision or an action item: a row in the ordered list of one TOP."""

    id: Any  # None until inserted
    meeting_id: int
    agenda_item_id: int | None
    position: int


def _table(entry: TopEntry) -> Table:
    return cast(Table, type(entry).__table__)  # type: ignore[attr-defined]


def _siblings(session: Session, entry: TopEntry, agenda_item_id: int | None) -> list[int]:
    table = _table(entry)
    return group_ids(session, table, *in_agenda_group(table, entry.meeting_id, agenda_item_id))


def insert_entry(session: Session, entry: TopEntry, index: int | None) -> int:
    """Add the new *entry* (its meeting and TOP set) at *index* of its TOP's list (None: last).

    An *entry* carrying an id (an undone removal) keeps it when the id is still free.
    """
    siblings = _siblings(session, entry, entry.agenda_item_id)
    if entry.id is not None and session.get(type(entry), entry.id) is not None:
        entry.id = None  # the id was taken meanwhile: back under a new one
    entry.position = len(siblings) + 1
    session.add(entry)
    session.flush()
    siblings.insert(clamp(index, len(siblings)), entry.id)
    write_positions(session, _table(entry), siblings)
    return int(entry.id)


def entry_index(session: Session, entry: TopEntry) -> int:
    return _siblings(session, entry, entry.agenda_item_id).index(entry.id)


def remove_entry(session: Session, entry: TopEntry) -> None:
    """Delete *entry* and close the gap in its TOP's list."""
    siblings = _siblings(session, entry, entry.agenda_item_id)
    session.delete(entry)
    session.flush()
    siblings.remove(entry.id)
    write_positions(session, _table(entry), siblings)


def move_entry(
    session: Session, entry: TopEntry, index: int, agenda_item_id: int | None
) -> MoveResult:
    """Move *entry* to *index* under the TOP *agenda_item_id* (its own TOP to reorder)."""
    check_same_meeting(session, entry.meeting_id, agenda_item_id)
    table = _table(entry)
    old_item = entry.agenda_item_id
    old_group = _siblings(session, entry, old_item)
    old_index = old_group.index(entry.id)
    old_group.remove(entry.id)
    if agenda_item_id == old_item:
        new_group = old_group
    else:
        write_positions(session, table, old_group)
        entry.agenda_item_id = agenda_item_id
        session.flush()
        new_group = [i for i in _siblings(session, entry, agenda_item_id) if i != entry.id]
    new_index = clamp(index, len(new_group))
    new_group.insert(new_index, entry.id)
    write_positions(session, table, new_group)
    return MoveResult(entry.id, old_item, old_index, agenda_item_id, new_index)
