"""Carry-over of action items: open ones come back, done ones once more, then they drop out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.db import Database
from app.models import ActionItem, ActionItemStatus, MeetingState
from app.services.minutes import (
    ActionDraft,
    add_action,
    carried_action_items,
    load_minutes,
    set_action_status,
)
from tests.helpers.minutes import SECOND_START, Net, add_meeting

OPEN, DONE = ActionItemStatus.OPEN, ActionItemStatus.DONE


def listed(db: Database, meeting_id: int) -> dict[str, ActionItemStatus]:
    return {item.text: item.status for item in carried_action_items(db, meeting_id)}


def test_open_then_still_open_then_done_once_then_gone(db: Database, net: Net) -> None:
    """Three meetings after the one that set the tasks, and a fourth to see them drop out."""
    fourth = add_meeting(db, "Netzwerktreffen Winter", datetime(2025, 12, 3, 16, tzinfo=UTC))[0]
    flyer = add_action(db, net.first.misc, ActionDraft("Flyer drucken", due=date(2025, 5, 1)))
    room = add_action(db, net.first.misc, ActionDraft("Raum buchen"))
    calendar = add_action(db, net.first.welcome, ActionDraft("Kalender pflegen"))

    # Second meeting: all three are open; "Raum buchen" is closed in its minutes.
    assert listed(db, net.second.id) == {
        "Kalender pflegen": OPEN,
        "Flyer drucken": OPEN,
        "Raum buchen": OPEN,
    }
    set_action_status(
        db, room, "done", in_meeting_id=net.second.id, now=datetime(2025, 6, 4, 15, 40, tzinfo=UTC)
    )
    assert listed(db, net.second.id)["Raum buchen"] is DONE  # shown as done, here

    # Between the meetings "Flyer drucken" is closed in the task overview (no meeting).
    set_action_status(db, flyer, "done", now=datetime(2025, 7, 15, 9, tzinfo=UTC))
    third = listed(db, net.third.id)
    assert third == {"Kalender pflegen": OPEN, "Flyer drucken": DONE}  # "Raum buchen" is gone

    # Fourth meeting: only the still open one remains.
    assert listed(db, fourth) == {"Kalender pflegen": OPEN}
    set_action_status(
        db, calendar, "done", in_meeting_id=fourth, now=datetime(2025, 12, 3, 17, tzinfo=UTC)
    )
    assert listed(db, fourth) == {"Kalender pflegen": DONE}


def test_the_list_of_an_old_meeting_stays_as_it_was(db: Database, net: Net) -> None:
    flyer = add_action(db, net.first.misc, ActionDraft("Flyer drucken", due=date(2025, 5, 1)))
    set_action_status(
        db, flyer, "done", in_meeting_id=net.third.id, now=datetime(2025, 9, 10, 16, tzinfo=UTC)
    )
    [at_second] = carried_action_items(db, net.second.id)
    assert at_second.status is OPEN  # it was open at the second meeting …
    assert at_second.current_status is DONE  # … and is done today
    assert at_second.overdue  # due 1 May, open at the meeting on 4 June
    assert not at_second.closed_here
    [at_third] = carried_action_items(db, net.third.id)
    assert at_third.closed_here
    assert not at_third.overdue
    assert at_third.done_in_meeting_id == net.third.id


def test_closed_after_the_last_meeting_shows_as_open_until_the_next_one(
    db: Database, net: Net
) -> None:
    flyer = add_action(db, net.second.misc, ActionDraft("Flyer drucken"))
    set_action_status(db, flyer, "done", now=datetime(2025, 11, 1, tzinfo=UTC))
    [item] = carried_action_items(db, net.third.id)
    assert (item.status, item.current_status) == (OPEN, DONE)
    upcoming = add_meeting(
        db, "Nächstes Treffen", datetime(2026, 3, 1, 16, tzinfo=UTC), state=MeetingState.PLANNED
    )[0]
    assert listed(db, upcoming) == {"Flyer drucken": DONE}


def test_what_is_never_carried(db: Database, net: Net) -> None:
    add_action(db, net.second.misc, ActionDraft("Eigene Aufgabe"))  # the meeting's own
    later = add_action(db, net.third.misc, ActionDraft("Spätere Aufgabe"))  # a later meeting's
    closed_at_once = add_action(db, net.first.misc, ActionDraft("Sofort erledigt"))
    set_action_status(
        db,
        closed_at_once,
        "done",
        in_meeting_id=net.first.id,
        now=datetime(2025, 3, 5, 17, tzinfo=UTC),
    )
    undated = add_action(db, net.first.misc, ActionDraft("Ohne Datum erledigt"))
    with db.write() as session:  # e.g. imported: done, but nobody knows when
        item = session.get(ActionItem, undated)
        assert item is not None
        item.status = DONE
    assert listed(db, net.second.id) == {}
    assert later not in {item.id for item in carried_action_items(db, net.second.id)}


def test_cancelled_meetings_do_not_count(db: Database, net: Net) -> None:
    add_meeting(db, "Abgesagt", datetime(2025, 8, 1, 16, tzinfo=UTC), state=MeetingState.CANCELLED)
    flyer = add_action(db, net.second.misc, ActionDraft("Flyer drucken"))
    # Closed after the cancelled date: still reported at the next real meeting.
    set_action_status(db, flyer, "done", now=datetime(2025, 8, 2, tzinfo=UTC))
    assert listed(db, net.third.id) == {"Flyer drucken": DONE}


def test_meetings_at_the_same_time_are_ordered_by_id(db: Database, net: Net) -> None:
    twin = add_meeting(db, "Parallel", SECOND_START)[0]  # same start, higher id
    add_action(db, net.second.misc, ActionDraft("Aus dem Sommertreffen"))
    assert listed(db, twin) == {"Aus dem Sommertreffen": OPEN}
    assert listed(db, net.second.id) == {}


def test_order_and_origin_details(db: Database, net: Net) -> None:
    add_action(db, net.second.misc, ActionDraft("Zweites Treffen, TOP 3"))
    add_action(db, net.first.misc, ActionDraft("Erstes Treffen, TOP 3"))
    add_action(db, net.first.welcome, ActionDraft("Erstes Treffen, TOP 1", owner_person_id=net.jan))
    items = carried_action_items(db, net.third.id)
    assert [item.text for item in items] == [
        "Erstes Treffen, TOP 1",
        "Erstes Treffen, TOP 3",
        "Zweites Treffen, TOP 3",
    ]
    assert (items[0].agenda_number, items[0].meeting_id, items[0].owner) == (
        "1",
        net.first.id,
        "Jan Müller",
    )
    assert items[0].meeting_title == "Netzwerktreffen Frühjahr"
    assert items[0].meeting_start.utcoffset() is not None
    assert items[2].meeting_start.hour == 17  # local time of the meeting it came from


def test_the_window_gets_the_list_and_its_top(db: Database, net: Net) -> None:
    add_action(db, net.first.misc, ActionDraft("Flyer drucken"))
    view = load_minutes(db, net.third.id)
    assert view.carried_agenda_item_id == net.third.open_items
    assert [item.text for item in view.carried] == ["Flyer drucken"]
