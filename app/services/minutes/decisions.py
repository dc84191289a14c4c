"""Decisions per TOP, with an optional vote (yes / no / abstentions).

Every operation is one transaction and has an inverse for the window's undo stack:

=======================================  ==================================================
operation                                inverse
=======================================  ==================================================
``add_decision`` → new id                ``remove_decision(id)``
``update_decision`` → previous draft     ``update_decision(id, previous)``
``remove_decision`` → ``RemovedDecision``  ``restore_decision(removed)`` (same id when free)
``move_decision`` → ``MoveResult``       ``move_decision(id, r.old_index,
                                         agenda_item_id=r.old_agenda_item_id)``
=======================================  ==================================================

Decisions have no version column; a form that writes back passes the values it loaded as
``expected`` and gets ConflictError if the row changed meanwhile (compare-and-set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.db import Database
from app.db.versioning import conflict
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import Decision
from app.services.minutes.common import load_agenda_item, open_for_edit
from app.services.minutes.ordering import (
    MoveResult,
    check_same_meeting,
    clamp,
    group_ids,
    in_agenda_group,
    write_positions,
)
from app.text import nfc

MAX_VOTES = 100_000
_decisions = cast(Table, Decision.__table__)


@dataclass(frozen=True, slots=True)
class DecisionDraft:
    """What the decision form edits. Votes: whole numbers ≥ 0, or None (no vote taken)."""

    text: str
    votes_yes: int | None = None
    votes_no: int | None = None
    votes_abstain: int | None = None

    @property
    def has_votes(self) -> bool:
        return any(v is not None for v in (self.votes_yes, self.votes_no, self.votes_abstain))


@dataclass(frozen=True, slots=True)
class RemovedDecision:
    id: int
    meeting_id: int
    agenda_item_id: int | None
    index: int
    draft: DecisionDraft


def check_votes(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VOTES:
        raise ValidationError(
            _("Votes must be whole numbers from 0 to {max}, or left empty.").format(max=MAX_VOTES)
        )
    return value


def _clean(draft: DecisionDraft) -> DecisionDraft:
    text = nfc(draft.text)
    if not text:
        raise ValidationError(_("A decision needs a text."))
    return DecisionDraft(
        text,
        check_votes(draft.votes_yes),
        check_votes(draft.votes_no),
        check_votes(draft.votes_abstain),
    )


def draft_of(decision: Decision) -> DecisionDraft:
    return DecisionDraft(
        decision.text, decision.votes_yes, decision.votes_no, decision.votes_abstain
    )


def _load(session: Session, decision_id: int) -> Decision:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound(_("There is no decision with the number {id}.").format(id=decision_id))
    return decision


def _insert(
    session: Session,
    meeting_id: int,
    agenda_item_id: int | None,
    draft: DecisionDraft,
    index: int | None,
    decision_id: int | None = None,
) -> int:
    where = in_agenda_group(_decisions, meeting_id, agenda_item_id)
    siblings = group_ids(session, _decisions, *where)
    if decision_id is not None and session.get(Decision, decision_id) is not None:
        decision_id = None  # the id was taken meanwhile: restore under a new one
    decision = Decision(
        id=decision_id,
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        position=len(siblings) + 1,
        text=draft.text,
        votes_yes=draft.votes_yes,
        votes_no=draft.votes_no,
        votes_abstain=draft.votes_abstain,
    )
    session.add(decision)
    session.flush()
    siblings.insert(clamp(index, len(siblings)), decision.id)
    write_positions(session, _decisions, siblings)
    return decision.id


def add_decision(
    db: Database, agenda_item_id: int, draft: DecisionDraft, *, index: int | None = None
) -> int:
    """A new decision under a TOP at *index* (0-based; None: last). Returns its id."""
    with db.write() as session:
        item = load_agenda_item(session, agenda_item_id)
        open_for_edit(session, item.meeting_id)
        return _insert(session, item.meeting_id, item.id, _clean(draft), index)


def update_decision(
    db: Database, decision_id: int, draft: DecisionDraft, *, expected: DecisionDraft | None = None
) -> DecisionDraft:
    """Save the text and votes; returns the previous values (for undo)."""
    with db.write() as session:
        decision = _load(session, decision_id)
        open_for_edit(session, decision.meeting_id)
        previous = draft_of(decision)
        if expected is not None and previous != expected:
            raise conflict(
                decision,
                _(
                    "This decision was changed elsewhere after you opened it; nothing was "
                    "saved. Reload the minutes and make your change again."
                ),
            )
        cleaned = _clean(draft)
        decision.text = cleaned.text
        decision.votes_yes = cleaned.votes_yes
        decision.votes_no = cleaned.votes_no
        decision.votes_abstain = cleaned.votes_abstain
        return previous


def remove_decision(db: Database, decision_id: int) -> RemovedDecision:
    with db.write() as session:
        decision = _load(session, decision_id)
        open_for_edit(session, decision.meeting_id)
        where = in_agenda_group(_decisions, decision.meeting_id, decision.agenda_item_id)
        siblings = group_ids(session, _decisions, *where)
        removed = RemovedDecision(
            id=decision.id,
            meeting_id=decision.meeting_id,
            agenda_item_id=decision.agenda_item_id,
            index=siblings.index(decision.id),
            draft=draft_of(decision),
        )
        session.delete(decision)
        session.flush()
        siblings.remove(removed.id)
        write_positions(session, _decisions, siblings)
        return removed


def restore_decision(db: Database, removed: RemovedDecision) -> int:
    """Put a removed decision back where it was (under the same id if still free)."""
    with db.write() as session:
        open_for_edit(session, removed.meeting_id)
        agenda_item_id = removed.agenda_item_id
        if agenda_item_id is not None:
            check_same_meeting(session, removed.meeting_id, agenda_item_id)
        return _insert(
            session,
            removed.meeting_id,
            agenda_item_id,
            _clean(removed.draft),
            removed.index,
            removed.id,
        )


def move_decision(
    db: Database, decision_id: int, index: int, *, agenda_item_id: int | None
) -> MoveResult:
    """Move a decision to *index* under the TOP *agenda_item_id* (its own TOP to reorder)."""
    with db.write() as session:
        decision = _load(session, decision_id)
        open_for_edit(session, decision.meeting_id)
        check_same_meeting(session, decision.meeting_id, agenda_item_id)
        old_item = decision.agenda_item_id
        old_group = group_ids(
            session, _decisions, *in_agenda_group(_decisions, decision.meeting_id, old_item)
        )
        old_index = old_group.index(decision.id)
        old_group.remove(decision.id)
        if agenda_item_id == old_item:
            new_group = old_group
        else:
            write_positions(session, _decisions, old_group)
            decision.agenda_item_id = agenda_item_id
            session.flush()
            new_group = [
                row_id
                for row_id in group_ids(
                    session,
                    _decisions,
                    *in_agenda_group(_decisions, decision.meeting_id, agenda_item_id),
                )
                if row_id != decision.id
            ]
        new_index = clamp(index, len(new_group))
        new_group.insert(new_index, decision.id)
        write_positions(session, _decisions, new_group)
        return MoveResult(decision.id, old_item, old_index, agenda_item_id, new_index)
