"""Decisions and action items per TOP: add, update, remove/restore, move, status; undo."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import ActionItem, ActionItemStatus
from app.services.minutes import (
    ActionDraft,
    ActionStatusState,
    DecisionDraft,
    add_action,
    add_decision,
    load_minutes,
    move_action,
    move_decision,
    remove_action,
    remove_decision,
    restore_action,
    restore_action_status,
    restore_decision,
    set_action_status,
    update_action,
    update_decision,
)
from tests.helpers.minutes import LATER, Net


def decision_texts(db: Database, meeting_id: int) -> list[list[str]]:
    return [[d.draft.text for d in top.decisions] for top in load_minutes(db, meeting_id).tops]


def action_texts(db: Database, meeting_id: int) -> list[list[str]]:
    return [[a.draft.text for a in top.actions] for top in load_minutes(db, meeting_id).tops]


def test_decisions_in_order_with_votes(db: Database, net: Net) -> None:
    a = add_decision(db, net.first.misc, DecisionDraft("  Sommerfest  ", 12, 0, 1))
    b = add_decision(db, net.first.misc, DecisionDraft("Herbstfest"))
    c = add_decision(db, net.first.misc, DecisionDraft("Frühlingsfest"), index=0)
    assert decision_texts(db, net.first.id)[2] == ["Frühlingsfest", "Sommerfest", "Herbstfest"]
    view = load_minutes(db, net.first.id).tops[2].decisions
    assert [d.id for d in view] == [c, a, b]
    assert view[1].draft == DecisionDraft("Sommerfest", 12, 0, 1)
    assert view[1].draft.has_votes
    assert not view[0].draft.has_votes
    assert view[1].index == 1


@pytest.mark.parametrize(
    "votes", [(-1, None, None), (None, 1.5, None), (None, None, True), (100_001, 0, 0)]
)
def test_votes_must_be_whole_non_negative_numbers(
    db: Database, net: Net, votes: tuple[object, object, object]
) -> None:
    with pytest.raises(ValidationError):
        add_decision(db, net.first.misc, DecisionDraft("Beschluss", *votes))  # type: ignore[arg-type]


def test_a_decision_needs_a_text(db: Database, net: Net) -> None:
    with pytest.raises(ValidationError):
        add_decision(db, net.first.misc, DecisionDraft("  "))
    with pytest.raises(NotFound):
        add_decision(db, 9999, DecisionDraft("x"))


def test_update_returns_previous_for_undo_and_guards_lost_updates(db: Database, net: Net) -> None:
    decision = add_decision(db, net.first.misc, DecisionDraft("Entwurf"))
    loaded = load_minutes(db, net.first.id).tops[2].decisions[0].draft
    previous = update_decision(db, decision, DecisionDraft("Beschluss", 3, 1, 0), expected=loaded)
    assert previous == DecisionDraft("Entwurf")
    with pytest.raises(ConflictError):  # a second window still holds "Entwurf"
        update_decision(db, decision, DecisionDraft("Anders"), expected=loaded)
    update_decision(db, decision, previous)  # undo
    assert decision_texts(db, net.first.id)[2] == ["Entwurf"]


def test_remove_and_restore_a_decision_in_place_under_its_id(db: Database, net: Net) -> None:
    ids = [add_decision(db, net.first.misc, DecisionDraft(t)) for t in ("A", "B", "C")]
    removed = remove_decision(db, ids[1])
    assert decision_texts(db, net.first.id)[2] == ["A", "C"]
    assert removed.index == 1
    assert restore_decision(db, removed) == ids[1]
    assert decision_texts(db, net.first.id)[2] == ["A", "B", "C"]


def test_move_a_decision_within_and_between_tops_and_back(db: Database, net: Net) -> None:
    ids = [add_decision(db, net.first.misc, DecisionDraft(t)) for t in ("A", "B", "C")]
    result = move_decision(db, ids[0], 2, agenda_item_id=net.first.misc)
    assert decision_texts(db, net.first.id)[2] == ["B", "C", "A"]
    assert (result.old_index, result.new_index) == (0, 2)
    moved = move_decision(db, ids[2], 0, agenda_item_id=net.first.welcome)
    assert decision_texts(db, net.first.id) == [["C"], [], ["B", "A"]]
    move_decision(db, ids[2], moved.old_index, agenda_item_id=moved.old_agenda_item_id)  # undo
    assert decision_texts(db, net.first.id) == [[], [], ["B", "C", "A"]]
    with pytest.raises(ValidationError):  # only to a TOP of the same meeting
        move_decision(db, ids[0], 0, agenda_item_id=net.second.misc)


def test_actions_with_person_organisation_or_free_text_owners(db: Database, net: Net) -> None:
    add_action(
        db, net.first.misc, ActionDraft("Flyer", owner_person_id=net.ayse, due=date(2025, 4, 1))
    )
    add_action(db, net.first.misc, ActionDraft("Raum", owner_organisation_id=net.verein))
    add_action(db, net.first.misc, ActionDraft("Fotos", owner_text=" Presse & Co. "))
    add_action(
        db,
        net.first.misc,
        ActionDraft("Beide", owner_person_id=net.jan, owner_organisation_id=net.verein),
    )
    add_action(db, net.first.misc, ActionDraft("Offen"))
    actions = load_minutes(db, net.first.id).tops[2].actions
    assert [a.owner for a in actions] == [
        "Ayşe Yılmaz",
        "SV Gatherhof",
        "Presse & Co.",
        "Jan Müller / SV Gatherhof",
        "",
    ]
    assert actions[0].draft.due == date(2025, 4, 1)
    assert actions[0].overdue is False  # due after the meeting day
    assert all(a.status.status is ActionItemStatus.OPEN for a in actions)


def test_action_validation(db: Database, net: Net) -> None:
    with pytest.raises(ValidationError):
        add_action(db, net.first.misc, ActionDraft(""))
    with pytest.raises(NotFound):
        add_action(db, net.first.misc, ActionDraft("x", owner_person_id=9999))
    with pytest.raises(NotFound):
        add_action(db, net.first.misc, ActionDraft("x", owner_organisation_id=9999))
    with pytest.raises(ValidationError):
        add_action(db, net.first.misc, ActionDraft("x", due=datetime(2025, 1, 1, tzinfo=UTC)))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        add_action(db, net.first.misc, ActionDraft("x", owner_text="y" * 251))


def test_action_update_remove_restore_move(db: Database, net: Net) -> None:
    ids = [add_action(db, net.first.misc, ActionDraft(t)) for t in ("A", "B", "C")]
    loaded = load_minutes(db, net.first.id).tops[2].actions[1].draft
    previous = update_action(
        db, ids[1], ActionDraft("B2", owner_person_id=net.olga), expected=loaded
    )
    assert previous == ActionDraft("B")
    with pytest.raises(ConflictError):
        update_action(db, ids[1], ActionDraft("B3"), expected=loaded)
    set_action_status(db, ids[1], ActionItemStatus.DONE, in_meeting_id=net.first.id, now=LATER)
    removed = remove_action(db, ids[1])
    assert action_texts(db, net.first.id)[2] == ["A", "C"]
    assert restore_action(db, removed) == ids[1]
    restored = load_minutes(db, net.first.id).tops[2].actions[1]
    assert restored.draft == ActionDraft("B2", owner_person_id=net.olga)
    assert restored.status == ActionStatusState(ActionItemStatus.DONE, LATER, net.first.id)
    result = move_action(db, ids[2], 0, agenda_item_id=net.first.open_items)
    assert action_texts(db, net.first.id) == [[], ["C"], ["A", "B2"]]
    move_action(db, ids[2], result.old_index, agenda_item_id=result.old_agenda_item_id)
    assert action_texts(db, net.first.id)[2] == ["A", "B2", "C"]


def test_closing_an_item_closes_it_everywhere_and_can_be_undone(db: Database, net: Net) -> None:
    action = add_action(db, net.first.misc, ActionDraft("Flyer drucken"))
    closed_at = datetime(2025, 6, 4, 15, 30, tzinfo=UTC)
    previous = set_action_status(db, action, "done", in_meeting_id=net.second.id, now=closed_at)
    assert previous == ActionStatusState(ActionItemStatus.OPEN)
    with db.read() as session:
        item = session.get(ActionItem, action)
        assert item is not None
        assert (item.status, item.done_at, item.done_in_meeting_id) == (
            ActionItemStatus.DONE,
            closed_at,
            net.second.id,
        )
    # The origin meeting's minutes see the same row as done.
    assert load_minutes(db, net.first.id).tops[2].actions[0].status.status is ActionItemStatus.DONE
    # Done again keeps the first closing; undo restores "open".
    again = set_action_status(db, action, "done", now=LATER)
    assert again.done_at == closed_at
    replaced = restore_action_status(db, action, previous)
    assert replaced.status is ActionItemStatus.DONE
    reopened = load_minutes(db, net.first.id).tops[2].actions[0].status
    assert reopened == ActionStatusState(ActionItemStatus.OPEN)


def test_reopening_clears_when_and_where(db: Database, net: Net) -> None:
    action = add_action(db, net.first.misc, ActionDraft("x"))
    set_action_status(db, action, "done", in_meeting_id=net.second.id, now=LATER)
    set_action_status(db, action, "open")
    status = load_minutes(db, net.first.id).tops[2].actions[0].status
    assert status == ActionStatusState(ActionItemStatus.OPEN, None, None)


def test_an_item_cannot_be_closed_in_an_earlier_meeting(db: Database, net: Net) -> None:
    action = add_action(db, net.second.misc, ActionDraft("x"))
    with pytest.raises(ValidationError):
        set_action_status(db, action, "done", in_meeting_id=net.first.id)
    with pytest.raises(ValueError, match="erledigt"):
        set_action_status(db, action, "erledigt")
    with pytest.raises(NotFound):
        set_action_status(db, 9999, "done")
