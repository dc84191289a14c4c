"""Editing the agenda (TOPs): add, update, remove/restore, move, indent/outdent.

Every operation has a clean inverse, so the window's undo stack (QUndoStack) can call it:

=====================================  ==============================================
operation                              inverse
=====================================  ==============================================
``add_item`` → new id                  ``remove_item(id)``
``update_item`` → previous draft       ``update_item(id, previous)``
``remove_item`` → ``AgendaSnapshot``   ``restore_items(snapshot)`` (same ids when free)
``move_item`` / ``indent_item`` /      ``move_item(id, result.old_parent_id,
``outdent_item`` → ``MoveResult``      result.old_index)``
=====================================  ==============================================

Conventions:

- Indexes passed in and returned are 0-based among an item's siblings; stored ``position``
  values are 1-based and contiguous per parent after every operation (so a top-level
  item's position is its TOP number).
- Removing an item removes its sub-items with it (one undo brings all back); decisions,
  action items and attendance that pointed at removed items are linked again on restore.
- Moving and renumbering do not raise an item's ``version``: the version guards the item's
  *content* against lost updates from a second window, and reordering in one window must
  not make an open edit dialog fail.
- Agenda changes do not raise the meeting's calendar sequence: the agenda travels in the
  invitation PDF; partners' calendars only need time, place, title and cancellation.
- At most ``MAX_LEVELS`` levels (TOP 3, 3.1, 3.1.1).

Start times are computed by ``app.services.meetings.agenda_rows`` from the order and
durations; ``get_agenda`` returns them together with the editable fields.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.db.versioning import conflict
from app.errors import NotFound, ValidationError
from app.i18n import _, ngettext
from app.models import (
    ActionItem,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Decision,
    Meeting,
)
from app.services.meetings import AgendaRow, agenda_rows
from app.services.planning.common import (
    check_person,
    load_meeting,
    refuse_if_cancelled,
    refuse_if_minutes_final,
)
from app.services.planning.times import zone
from app.text import nfc

MAX_LEVELS = 3
LinkKind = Literal["decision", "action_item", "arrived_at", "left_after"]
MAX_MINUTES = 24 * 60

_items = cast(Table, AgendaItem.__table__)
# Rows elsewhere that point at agenda items (their FK is nulled when an item is removed).
_LINKS: dict[LinkKind, tuple[Table, str]] = {
    "decision": (cast(Table, Decision.__table__), "agenda_item_id"),
    "action_item": (cast(Table, ActionItem.__table__), "agenda_item_id"),
    "arrived_at": (cast(Table, Attendance.__table__), "arrived_at_item_id"),
    "left_after": (cast(Table, Attendance.__table__), "left_after_item_id"),
}


@dataclass(frozen=True, slots=True)
class AgendaItemDraft:
    """What the TOP form edits. Presenter: a person, free text, or both ("Anna (Sport)")."""

    title: str
    planned_minutes: int = 0
    presenter_id: int | None = None
    presenter_text: str = ""
    kind: AgendaItemKind = AgendaItemKind.INFORMATION
    description: str = ""
    lists_open_action_items: bool = False


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One TOP for the editor: the computed row plus what the form needs."""

    row: AgendaRow  # number ("3.1"), depth, start, presenter as shown, ...
    meeting_id: int
    index: int  # 0-based among its siblings
    end: datetime  # start + its own planned minutes
    presenter_id: int | None
    presenter_text: str
    child_count: int
    version: int

    @property
    def id(self) -> int:
        return self.row.id

    def draft(self) -> AgendaItemDraft:
        return AgendaItemDraft(
            title=self.row.title,
            planned_minutes=self.row.planned_minutes,
            presenter_id=self.presenter_id,
            presenter_text=self.presenter_text,
            kind=self.row.kind,
            description=self.row.description,
            lists_open_action_items=self.row.lists_open_action_items,
        )


@dataclass(frozen=True, slots=True)
class AgendaView:
    meeting_id: int
    start: datetime  # the meeting's start, local
    end: datetime | None  # the meeting's end, local
    planned_end: datetime  # start + all planned minutes
    entries: tuple[AgendaEntry, ...]  # display order: parent, then its sub-items

    @property
    def overruns(self) -> bool:
        """The agenda's planned end lies after the meeting's end."""
        return self.end is not None and self.planned_end > self.end

    @property
    def total_minutes(self) -> int:
        return sum(entry.row.planned_minutes for entry in self.entries)


@dataclass(frozen=True, slots=True)
class MoveResult:
    item_id: int
    old_parent_id: int | None
    old_index: int
    new_parent_id: int | None
    new_index: int


@dataclass(frozen=True, slots=True)
class ItemSnapshot:
    id: int
    parent_id: int | None
    position: int
    title: str
    description: str
    presenter_id: int | None
    presenter_text: str
    planned_minutes: int
    kind: AgendaItemKind
    lists_open_action_items: bool
    notes: str


@dataclass(frozen=True, slots=True)
class ItemLink:
    """A row outside the agenda that pointed at a removed item (its FK is nulled on delete)."""

    kind: LinkKind
    row_id: int
    item_id: int


@dataclass(frozen=True, slots=True)
class AgendaSnapshot:
    """A removed subtree, enough to put it back exactly where it was."""

    meeting_id: int
    parent_id: int | None
    index: int  # the root's 0-based index among its siblings
    items: tuple[ItemSnapshot, ...]  # root first, then descendants, parents before children
    links: tuple[ItemLink, ...] = ()

    @property
    def root_id(self) -> int:
        return self.items[0].id


# -- the tree as plain data ---------------------------------------------------------------


class _Tree:
    """The agenda of one meeting as (id → parent) and ordered children, read in one query."""

    def __init__(self, session: Session, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        self.parent: dict[int, int | None] = {}
        self.children: dict[int | None, list[int]] = defaultdict(list)
        rows = session.execute(
            select(_items.c.id, _items.c.parent_id)
            .where(_items.c.meeting_id == meeting_id)
            .order_by(_items.c.position, _items.c.id)
        ).all()
        for item_id, parent_id in rows:
            self.parent[item_id] = parent_id
            self.children[parent_id].append(item_id)

    def level(self, item_id: int | None) -> int:
        """0 for the top (no parent), 1 for a TOP, 2 for a sub-item, ..."""
        level = 0
        while item_id is not None:
            level += 1
            item_id = self.parent[item_id]
        return level

    def height(self, item_id: int) -> int:
        """Levels in the subtree of *item_id* (1 for an item without sub-items)."""
        return 1 + max((self.height(child) for child in self.children[item_id]), default=0)

    def subtree(self, item_id: int) -> list[int]:
        """*item_id* and all its descendants, parents before children, in display order."""
        result = [item_id]
        for child in self.children[item_id]:
            result.extend(self.subtree(child))
        return result

    def index(self, item_id: int) -> int:
        return self.children[self.parent[item_id]].index(item_id)


def _write_order(session: Session, parent_id: int | None, ids: list[int]) -> None:
    """Store *ids* as the children of *parent_id*, positions 1..n.

    Plain table UPDATEs on purpose: the ORM would raise each item's version (see module doc).
    """
    for position, item_id in enumerate(ids, start=1):
        session.execute(
            update(_items)
            .where(_items.c.id == item_id)
            .values(parent_id=parent_id, position=position)
        )


def _check_levels(tree: _Tree, parent_id: int | None, height: int) -> None:
    if tree.level(parent_id) + height > MAX_LEVELS:
        raise ValidationError(
            ngettext(
                "An agenda has at most {levels} level (TOP and sub-items); "
                "this would create a deeper one.",
                "An agenda has at most {levels} levels (TOP and sub-items); "
                "this would create a deeper one.",
                MAX_LEVELS,
            ).format(levels=MAX_LEVELS)
        )


def _load_item(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(_("There is no agenda item with the number {id}.").format(id=item_id))
    return item


def _check_parent(tree: _Tree, parent_id: int | None) -> None:
    if parent_id is not None and parent_id not in tree.parent:
        raise NotFound(
            _("The agenda of this meeting has no item with the number {id}.").format(id=parent_id)
        )


def _clean_draft(session: Session, draft: AgendaItemDraft) -> AgendaItemDraft:
    title = nfc(draft.title)
    if not title:
        raise ValidationError(_("An agenda item needs a title."))
    minutes = draft.planned_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError(_("The planned minutes must be a whole number."))
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValidationError(
            _("The planned minutes must lie between 0 and {maximum}.").format(maximum=MAX_MINUTES)
        )
    check_person(session, draft.presenter_id)
    return AgendaItemDraft(
        title=title,
        planned_minutes=minutes,
        presenter_id=draft.presenter_id,
        presenter_text=nfc(draft.presenter_text),
        kind=AgendaItemKind(draft.kind),
        description=nfc(draft.description),
        lists_open_action_items=bool(draft.lists_open_action_items),
    )


def _apply_draft(item: AgendaItem, draft: AgendaItemDraft) -> None:
    item.title = draft.title
    item.planned_minutes = draft.planned_minutes
    item.presenter_id = draft.presenter_id
    item.presenter_text = draft.presenter_text
    item.kind = draft.kind
    item.description = draft.description
    item.lists_open_action_items = draft.lists_open_action_items


def _draft_of(item: AgendaItem) -> AgendaItemDraft:
    return AgendaItemDraft(
        title=item.title,
        planned_minutes=item.planned_minutes,
        presenter_id=item.presenter_id,
        presenter_text=item.presenter_text,
        kind=item.kind,
        description=item.description,
        lists_open_action_items=item.lists_open_action_items,
    )


# -- reading --------------------------------------------------------------------------------


def get_agenda(db: Database, meeting_id: int) -> AgendaView:
    """The agenda with numbers and start times, as the editor shows it."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        items = list(
            session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .options(selectinload(AgendaItem.presenter))
            )
        )
        tz = zone(meeting.timezone)
        start = meeting.start.astimezone(tz)
        rows = agenda_rows(items, start)
        by_id = {item.id: item for item in items}
        siblings: dict[int | None, list[int]] = defaultdict(list)
        for row in rows:
            siblings[row.parent_id].append(row.id)
        entries = tuple(
            AgendaEntry(
                row=row,
                meeting_id=meeting_id,
                index=siblings[row.parent_id].index(row.id),
                end=row.start + timedelta(minutes=row.planned_minutes),
                presenter_id=by_id[row.id].presenter_id,
                presenter_text=by_id[row.id].presenter_text,
                child_count=len(siblings.get(row.id, ())),
                version=by_id[row.id].version,
            )
            for row in rows
        )
        total = sum(row.planned_minutes for row in rows)
        return AgendaView(
            meeting_id=meeting_id,
            start=start,
            end=meeting.end.astimezone(tz) if meeting.end else None,
            planned_end=start + timedelta(minutes=total),
            entries=entries,
        )


def item_number(db: Database, item_id: int) -> str:
    """The displayed number of an item ("3" or "3.1")."""
    with db.read() as session:
        meeting_id = _load_item(session, item_id).meeting_id
    for entry in get_agenda(db, meeting_id).entries:
        if entry.id == item_id:
            return entry.row.number
    raise NotFound(_("There is no agenda item with the number {id}.").format(id=item_id))


# -- adding and editing ---------------------------------------------------------------------


def insert_item(
    session: Session,
    meeting: Meeting,
    draft: AgendaItemDraft,
    *,
    parent_id: int | None = None,
    index: int | None = None,
) -> int:
    """``add_item`` inside an open write session (also used by the standard TOPs and copy)."""
    refuse_if_cancelled(meeting)
    refuse_if_minutes_final(meeting, "agenda")
    cleaned = _clean_draft(session, draft)
    tree = _Tree(session, meeting.id)
    _check_parent(tree, parent_id)
    _check_levels(tree, parent_id, 1)
    siblings = list(tree.children[parent_id])
    item = AgendaItem(meeting_id=meeting.id, parent_id=parent_id, position=len(siblings) + 1)
    _apply_draft(item, cleaned)
    session.add(item)
    session.flush()
    at = len(siblings) if index is None else max(0, min(index, len(siblings)))
    siblings.insert(at, item.id)
    _write_order(session, parent_id, siblings)
    return item.id


def add_item(
    db: Database,
    meeting_id: int,
    draft: AgendaItemDraft,
    *,
    parent_id: int | None = None,
    index: int | None = None,
) -> int:
    """Add a TOP (or a sub-item under *parent_id*) at *index* (default: at the end).

    Returns the new item's id. Inverse: ``remove_item``.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        return insert_item(session, meeting, draft, parent_id=parent_id, index=index)


def update_item(
    db: Database,
    item_id: int,
    draft: AgendaItemDraft,
    *,
    expected_version: int | None = None,
) -> AgendaItemDraft:
    """Save the TOP form; returns the previous values (inverse: update with those).

    With *expected_version* (``AgendaEntry.version`` when the form was opened), a change
    saved in between from elsewhere raises ConflictError and nothing is saved.
    """
    with db.write() as session:
        item = _load_item(session, item_id)
        refuse_if_cancelled(item.meeting)
        refuse_if_minutes_final(item.meeting, "agenda")
        if expected_version is not None and item.version != expected_version:
            raise conflict(
                item,
                _(
                    "The agenda item “{title}” was changed elsewhere after you opened it; "
                    "nothing was saved. Reload the agenda and make your change again."
                ).format(title=item.title),
            )
        previous = _draft_of(item)
        cleaned = _clean_draft(session, draft)
        if cleaned != previous:
            _apply_draft(item, cleaned)
            session.flush()
        return previous


# -- removing and restoring -----------------------------------------------------------------


def remove_item(db: Database, item_id: int) -> AgendaSnapshot:
    """Remove a TOP together with its sub-items; the snapshot puts them back (undo)."""
    with db.write() as session:
        item = _load_item(session, item_id)
        meeting_id = item.meeting_id
        refuse_if_cancelled(item.meeting)
        refuse_if_minutes_final(item.meeting, "agenda")
        tree = _Tree(session, meeting_id)
        ids = tree.subtree(item_id)
        by_id = {i.id: i for i in session.scalars(select(AgendaItem).where(AgendaItem.id.in_(ids)))}
        items = tuple(
            ItemSnapshot(
                id=i,
                parent_id=by_id[i].parent_id,
                position=by_id[i].position,
                title=by_id[i].title,
                description=by_id[i].description,
                presenter_id=by_id[i].presenter_id,
                presenter_text=by_id[i].presenter_text,
                planned_minutes=by_id[i].planned_minutes,
                kind=by_id[i].kind,
                lists_open_action_items=by_id[i].lists_open_action_items,
                notes=by_id[i].notes,
            )
            for i in ids
        )
        links: list[ItemLink] = []
        for kind, (table, column) in _LINKS.items():
            for row_id, target in session.execute(
                select(table.c.id, table.c[column]).where(table.c[column].in_(ids))
            ):
                links.append(ItemLink(kind, row_id, target))
        parent_id = tree.parent[item_id]
        snapshot = AgendaSnapshot(
            meeting_id=meeting_id,
            parent_id=parent_id,
            index=tree.index(item_id),
            items=items,
            links=tuple(links),
        )
        # One table DELETE: the ORM knows no parent/child relation between items and could
        # delete a parent first, whose ON DELETE CASCADE then takes the children along.
        session.execute(delete(_items).where(_items.c.id.in_(ids)))
        _write_order(session, parent_id, [i for i in tree.children[parent_id] if i != item_id])
        return snapshot


def _inner_parent(snap: ItemSnapshot) -> int:
    """The parent of a non-root snapshot item (always inside the same snapshot)."""
    assert snap.parent_id is not None
    return snap.parent_id


def restore_items(db: Database, snapshot: AgendaSnapshot) -> dict[int, int]:
    """Put a removed subtree back at its old place; returns old id → id now.

    The old ids are reused when they are still free (so later undo steps that name them keep
    working); if any was taken meanwhile, the whole subtree gets new ids.
    """
    with db.write() as session:
        meeting = load_meeting(session, snapshot.meeting_id)
        refuse_if_cancelled(meeting)
        refuse_if_minutes_final(meeting, "agenda")
        tree = _Tree(session, meeting.id)
        _check_parent(tree, snapshot.parent_id)
        root, descendants = snapshot.items[0], snapshot.items[1:]
        depth_of = {root.id: 1}
        for snap in descendants:
            depth_of[snap.id] = depth_of[_inner_parent(snap)] + 1
        _check_levels(tree, snapshot.parent_id, max(depth_of.values()))
        old_ids = [snap.id for snap in snapshot.items]
        taken = session.scalars(select(_items.c.id).where(_items.c.id.in_(old_ids))).first()
        keep_ids = taken is None
        mapping: dict[int, int] = {}
        for snap in snapshot.items:
            item = AgendaItem(
                meeting_id=meeting.id,
                parent_id=snapshot.parent_id if snap is root else mapping[_inner_parent(snap)],
                position=snap.position,
                title=snap.title,
                description=snap.description,
                presenter_id=snap.presenter_id,
                presenter_text=snap.presenter_text,
                planned_minutes=snap.planned_minutes,
                kind=snap.kind,
                lists_open_action_items=snap.lists_open_action_items,
                notes=snap.notes,
            )
            if keep_ids:
                item.id = snap.id
            session.add(item)
            session.flush()
            mapping[snap.id] = item.id
        siblings = list(tree.children[snapshot.parent_id])
        siblings.insert(max(0, min(snapshot.index, len(siblings))), mapping[snapshot.root_id])
        _write_order(session, snapshot.parent_id, siblings)
        for link in snapshot.links:
            table, column = _LINKS[link.kind]
            session.execute(
                update(table)
                .where(table.c.id == link.row_id, table.c[column].is_(None))
                .values({column: mapping[link.item_id]})
            )
        return mapping


# -- moving -----------------------------------------------------------------------------------


def _move(
    session: Session, item: AgendaItem, new_parent_id: int | None, new_index: int
) -> MoveResult:
    tree = _Tree(session, item.meeting_id)
    _check_parent(tree, new_parent_id)
    if new_parent_id is not None and new_parent_id in tree.subtree(item.id):
        raise ValidationError(_("An agenda item cannot become a sub-item of itself."))
    old_parent_id = tree.parent[item.id]
    old_index = tree.index(item.id)
    _check_levels(tree, new_parent_id, tree.height(item.id))
    old_siblings = [i for i in tree.children[old_parent_id] if i != item.id]
    if new_parent_id == old_parent_id:
        new_siblings = old_siblings
    else:
        _write_order(session, old_parent_id, old_siblings)
        new_siblings = list(tree.children[new_parent_id])
    at = max(0, min(new_index, len(new_siblings)))
    new_siblings.insert(at, item.id)
    _write_order(session, new_parent_id, new_siblings)
    return MoveResult(item.id, old_parent_id, old_index, new_parent_id, at)


def move_item(db: Database, item_id: int, new_parent_id: int | None, new_index: int) -> MoveResult:
    """Move a TOP (with its sub-items) so it ends up at *new_index* among *new_parent_id*'s
    children (``None``: top level). This is what drag and drop calls.

    *new_index* is the final 0-based index, counted without the moved item: Qt's drop row
    within the same parent is one more than this when moving downwards (convert with
    ``row - 1 if same parent and row > old index``). Out-of-range indexes are clamped.
    Inverse: ``move_item(item_id, result.old_parent_id, result.old_index)``.
    """
    with db.write() as session:
        item = _load_item(session, item_id)
        refuse_if_cancelled(item.meeting)
        refuse_if_minutes_final(item.meeting, "agenda")
        return _move(session, item, new_parent_id, new_index)


def indent_item(db: Database, item_id: int) -> MoveResult:
    """Make an item the last sub-item of the item above it (same level)."""
    with db.write() as session:
        item = _load_item(session, item_id)
        refuse_if_cancelled(item.meeting)
        refuse_if_minutes_final(item.meeting, "agenda")
        tree = _Tree(session, item.meeting_id)
        index = tree.index(item_id)
        if index == 0:
            raise ValidationError(
                _("“{title}” has no item above it on its level to become a sub-item of.").format(
                    title=item.title
                )
            )
        new_parent = tree.children[tree.parent[item_id]][index - 1]
        return _move(session, item, new_parent, len(tree.children[new_parent]))


def outdent_item(db: Database, item_id: int) -> MoveResult:
    """Lift a sub-item one level: it follows right after its former parent.

    Its former following siblings stay where they are (under the old parent).
    """
    with db.write() as session:
        item = _load_item(session, item_id)
        refuse_if_cancelled(item.meeting)
        refuse_if_minutes_final(item.meeting, "agenda")
        tree = _Tree(session, item.meeting_id)
        parent_id = tree.parent[item_id]
        if parent_id is None:
            raise ValidationError(_("“{title}” is already a main item.").format(title=item.title))
        return _move(session, item, tree.parent[parent_id], tree.index(parent_id) + 1)


# -- copying ----------------------------------------------------------------------------------


def copy_items(session: Session, source_meeting_id: int, target_meeting_id: int) -> int:
    """Copy the agenda structure (without minutes notes) into another meeting; returns count."""
    tree = _Tree(session, source_meeting_id)
    by_id = {
        i.id: i
        for i in session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == source_meeting_id)
        )
    }
    copied = 0

    def copy(parent_old: int | None, parent_new: int | None) -> None:
        nonlocal copied
        for position, old_id in enumerate(tree.children[parent_old], start=1):
            old = by_id[old_id]
            new = AgendaItem(meeting_id=target_meeting_id, parent_id=parent_new, position=position)
            _apply_draft(new, _draft_of(old))
            session.add(new)
            session.flush()
            copied += 1
            copy(old_id, new.id)

    copy(None, None)
    return copied
