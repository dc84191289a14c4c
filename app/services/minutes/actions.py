"""Action items ("Aufgaben") per TOP: what, who, by when, open or done.

Who: a person from the directory, an organisation, free text, or a person together with an
organisation; nobody is allowed too (to be settled later). Each action item is ONE row: closing
it anywhere (in a later meeting's minutes, in the task overview) closes it everywhere.

Inverses for the undo stack, as for decisions:

=========================================  ================================================
operation                                  inverse
=========================================  ================================================
``add_action`` → new id                    ``remove_action(id)``
``update_action`` → previous draft         ``update_action(id, previous)``
``remove_action`` → ``RemovedAction``      ``restore_action(removed)`` (same id when free)
``move_action`` → ``MoveResult``           ``move_action(id, r.old_index,
                                           agenda_item_id=r.old_agenda_item_id)``
``set_action_status`` → previous status    ``restore_action_status(id, previous)``
=========================================  ================================================

Text, owner, due date and order belong to the minutes and are locked with final minutes;
the status is follow-up and stays changeable (see ``common``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.db import Database
from app.db.versioning import conflict
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import ActionItem, ActionItemStatus, Meeting, Organisation, Person, utcnow
from app.services.minutes.common import load_agenda_item, meeting_order, open_for_edit
from app.services.minutes.ordering import (
    MoveResult,
    check_same_meeting,
    clamp,
    group_ids,
    in_agenda_group,
    write_positions,
)
from app.services.planning.common import load_meeting
from app.text import nfc

MAX_OWNER_TEXT = 250
_actions = cast(Table, ActionItem.__table__)


@dataclass(frozen=True, slots=True)
class ActionDraft:
    """What the action item form edits."""

    text: str
    owner_person_id: int | None = None
    owner_organisation_id: int | None = None
    owner_text: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class ActionStatusState:
    """The status of an action item with when and in which meeting it was closed."""

    status: ActionItemStatus
    done_at: datetime | None = None
    done_in_meeting_id: int | None = None


@dataclass(frozen=True, slots=True)
class RemovedAction:
    id: int
    meeting_id: int
    agenda_item_id: int | None
    index: int
    draft: ActionDraft
    status: ActionStatusState


def draft_of(item: ActionItem) -> ActionDraft:
    return ActionDraft(
        item.text, item.owner_person_id, item.owner_organisation_id, item.owner_text, item.due
    )


def status_of(item: ActionItem) -> ActionStatusState:
    return ActionStatusState(item.status, item.done_at, item.done_in_meeting_id)


def _clean(session: Session, draft: ActionDraft) -> ActionDraft:
    text = nfc(draft.text)
    if not text:
        raise ValidationError(_("An action item needs a text: what is to be done?"))
    owner_text = nfc(draft.owner_text)
    if len(owner_text) > MAX_OWNER_TEXT:
        raise ValidationError(
            _("“Who” may be at most {max} characters long.").format(max=MAX_OWNER_TEXT)
        )
    if draft.owner_person_id is not None and session.get(Person, draft.owner_person_id) is None:
        raise NotFound(
            _("There is no person with the number {id}.").format(id=draft.owner_person_id)
        )
    if (
        draft.owner_organisation_id is not None
        and session.get(Organisation, draft.owner_organisation_id) is None
    ):
        raise NotFound(
            _("There is no organisation with the number {id}.").format(
                id=draft.owner_organisation_id
            )
        )
    due = draft.due
    if due is not None and (isinstance(due, datetime) or not isinstance(due, date)):
        raise ValidationError(_("The due date must be a date without a time."))
    return ActionDraft(text, draft.owner_person_id, draft.owner_organisation_id, owner_text, due)


def load_action(session: Session, action_id: int) -> ActionItem:
    item = session.get(ActionItem, action_id)
    if item is None:
        raise NotFound(_("There is no action item with the number {id}.").format(id=action_id))
    return item


def _insert(
    session: Session,
    meeting_id: int,
    agenda_item_id: int | None,
    draft: ActionDraft,
    index: int | None,
    status: ActionStatusState | None = None,
    action_id: int | None = None,
) -> int:
    siblings = group_ids(session, _actions, *in_agenda_group(_actions, meeting_id, agenda_item_id))
    if action_id is not None and session.get(ActionItem, action_id) is not None:
        action_id = None
    status = status or ActionStatusState(ActionItemStatus.OPEN)
    item = ActionItem(
        id=action_id,
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        position=len(siblings) + 1,
        text=draft.text,
        owner_person_id=draft.owner_person_id,
        owner_organisation_id=draft.owner_organisation_id,
        owner_text=draft.owner_text,
        due=draft.due,
        status=status.status,
        done_at=status.done_at,
        done_in_meeting_id=status.done_in_meeting_id,
    )
    session.add(item)
    session.flush()
    siblings.insert(clamp(index, len(siblings)), item.id)
    write_positions(session, _actions, siblings)
    return item.id


def add_action(
    db: Database, agenda_item_id: int, draft: ActionDraft, *, index: int | None = None
) -> int:
    """A new open action item under a TOP at *index* (0-based; None: last). Returns its id."""
    with db.write() as session:
        item = load_agenda_item(session, agenda_item_id)
        open_for_edit(session, item.meeting_id)
        return _insert(session, item.meeting_id, item.id, _clean(session, draft), index)


def update_action(
    db: Database, action_id: int, draft: ActionDraft, *, expected: ActionDraft | None = None
) -> ActionDraft:
    """Save what, who and by when; returns the previous values (for undo).

    *expected*: the values the form loaded; ConflictError if the row changed since.
    """
    with db.write() as session:
        item = load_action(session, action_id)
        open_for_edit(session, item.meeting_id)
        previous = draft_of(item)
        if expected is not None and previous != expected:
            raise conflict(
                item,
                _(
                    "This action item was changed elsewhere after you opened it; nothing was "
                    "saved. Reload the minutes and make your change again."
                ),
            )
        cleaned = _clean(session, draft)
        item.text = cleaned.text
        item.owner_person_id = cleaned.owner_person_id
        item.owner_organisation_id = cleaned.owner_organisation_id
        item.owner_text = cleaned.owner_text
        item.due = cleaned.due
        return previous


def remove_action(db: Database, action_id: int) -> RemovedAction:
    with db.write() as session:
        item = load_action(session, action_id)
        open_for_edit(session, item.meeting_id)
        siblings = group_ids(
            session, _actions, *in_agenda_group(_actions, item.meeting_id, item.agenda_item_id)
        )
        removed = RemovedAction(
            id=item.id,
            meeting_id=item.meeting_id,
            agenda_item_id=item.agenda_item_id,
            index=siblings.index(item.id),
            draft=draft_of(item),
            status=status_of(item),
        )
        session.delete(item)
        session.flush()
        siblings.remove(removed.id)
        write_positions(session, _actions, siblings)
        return removed


def restore_action(db: Database, removed: RemovedAction) -> int:
    """Put a removed action item back with its status (under the same id if still free)."""
    with db.write() as session:
        open_for_edit(session, removed.meeting_id)
        check_same_meeting(session, removed.meeting_id, removed.agenda_item_id)
        status = removed.status
        closing = status.done_in_meeting_id
        if closing is not None and session.get(Meeting, closing) is None:
            # That meeting was deleted meanwhile; the date still places the closing.
            status = ActionStatusState(status.status, status.done_at, None)
        return _insert(
            session,
            removed.meeting_id,
            removed.agenda_item_id,
            _clean(session, removed.draft),
            removed.index,
            status,
            removed.id,
        )


def move_action(
    db: Database, action_id: int, index: int, *, agenda_item_id: int | None
) -> MoveResult:
    """Move an action item to *index* under the TOP *agenda_item_id* (its own to reorder)."""
    with db.write() as session:
        item = load_action(session, action_id)
        open_for_edit(session, item.meeting_id)
        check_same_meeting(session, item.meeting_id, agenda_item_id)
        old_item = item.agenda_item_id
        old_group = group_ids(
            session, _actions, *in_agenda_group(_actions, item.meeting_id, old_item)
        )
        old_index = old_group.index(item.id)
        old_group.remove(item.id)
        if agenda_item_id == old_item:
            new_group = old_group
        else:
            write_positions(session, _actions, old_group)
            item.agenda_item_id = agenda_item_id
            session.flush()
            new_group = [
                row_id
                for row_id in group_ids(
                    session, _actions, *in_agenda_group(_actions, item.meeting_id, agenda_item_id)
                )
                if row_id != item.id
            ]
        new_index = clamp(index, len(new_group))
        new_group.insert(new_index, item.id)
        write_positions(session, _actions, new_group)
        return MoveResult(item.id, old_item, old_index, agenda_item_id, new_index)


def _apply_status(session: Session, item: ActionItem, state: ActionStatusState) -> None:
    if state.status is ActionItemStatus.DONE and state.done_in_meeting_id is not None:
        origin = load_meeting(session, item.meeting_id)
        closing = load_meeting(session, state.done_in_meeting_id)
        if meeting_order(closing) < meeting_order(origin):
            raise ValidationError(
                _(
                    "An action item cannot be closed in a meeting that took place before the "
                    "meeting that set it."
                )
            )
    item.status = state.status
    item.done_at = state.done_at if state.status is ActionItemStatus.DONE else None
    item.done_in_meeting_id = (
        state.done_in_meeting_id if state.status is ActionItemStatus.DONE else None
    )


def set_action_status(
    db: Database,
    action_id: int,
    status: ActionItemStatus | str,
    *,
    in_meeting_id: int | None = None,
    now: datetime | None = None,
) -> ActionStatusState:
    """Mark an action item done or open again; returns the previous status (for undo).

    Done: ``done_at`` is now, ``done_in_meeting_id`` the meeting in whose minutes it was
    closed (None when closed in the task overview; the carry-over then goes by ``done_at``).
    Open again: both are cleared. Allowed for final minutes too (follow-up, see ``common``).
    Marking a done item done again keeps its original ``done_at`` and only records
    *in_meeting_id* if it had none.
    """
    status = ActionItemStatus(status)
    with db.write() as session:
        item = load_action(session, action_id)
        previous = status_of(item)
        if status is ActionItemStatus.DONE:
            if previous.status is ActionItemStatus.DONE:
                new = ActionStatusState(
                    status, previous.done_at, previous.done_in_meeting_id or in_meeting_id
                )
            else:
                new = ActionStatusState(status, now or utcnow(), in_meeting_id)
        else:
            new = ActionStatusState(ActionItemStatus.OPEN)
        _apply_status(session, item, new)
        return previous


def restore_action_status(
    db: Database, action_id: int, state: ActionStatusState
) -> ActionStatusState:
    """Put back a status returned by ``set_action_status``; returns the replaced one (redo)."""
    with db.write() as session:
        item = load_action(session, action_id)
        previous = status_of(item)
        _apply_status(session, item, state)
        return previous
