"""The cross-meeting task list: filters by status, person, organisation, due date; overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.db import Database
from app.errors import ValidationError
from app.models import ActionItemStatus, Organisation, Person
from app.services.minutes import ActionDraft, add_action, set_action_status
from app.services.tasks_overview import list_tasks
from tests.helpers.minutes import TODAY, Net


@pytest.fixture
def tasks(db: Database, net: Net) -> dict[str, int]:
    with db.write() as session:
        aerzte = Organisation(name="Ärztehaus am Park")
        session.add(aerzte)
        session.add(Person(first_name="Zoe", last_name="Zander", organisation=aerzte))
        session.flush()
        aerzte_id = aerzte.id
    ids = {
        "flyer": add_action(
            db,
            net.first.misc,
            ActionDraft("Flyer drucken", owner_person_id=net.jan, due=date(2025, 6, 1)),
        ),
        "raum": add_action(
            db,
            net.second.welcome,
            ActionDraft("Raum buchen", owner_organisation_id=net.buero, due=date(2025, 6, 1)),
        ),
        "arzt": add_action(
            db,
            net.second.misc,
            ActionDraft(
                "Sprechstunde anfragen", owner_organisation_id=aerzte_id, due=date(2025, 6, 1)
            ),
        ),
        "kalender": add_action(
            db,
            net.first.welcome,
            ActionDraft("Kalender pflegen", owner_person_id=net.olga, due=date(2025, 9, 1)),
        ),
        "fotos": add_action(db, net.third.misc, ActionDraft("Fotos sichten", owner_text="Presse")),
        "bericht": add_action(
            db,
            net.second.misc,
            ActionDraft("Bericht schreiben", owner_person_id=net.ayse, due=date(2025, 5, 1)),
        ),
    }
    set_action_status(
        db,
        ids["bericht"],
        "done",
        in_meeting_id=net.second.id,
        now=datetime(2025, 6, 4, 16, tzinfo=UTC),
    )
    return ids


def texts(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [row.text for row in rows]


def test_open_tasks_by_due_date_then_owner_the_german_way(
    db: Database, net: Net, tasks: dict[str, int]
) -> None:
    rows = list_tasks(db, today=TODAY)
    # Due 1 June: owners "Ärztehaus" (Ä as A), "Müller", "Quartiersbüro"; then 1 Sept; then none.
    assert texts(rows) == [
        "Sprechstunde anfragen",
        "Flyer drucken",
        "Raum buchen",
        "Kalender pflegen",
        "Fotos sichten",
    ]
    assert [row.overdue for row in rows] == [True, True, True, False, False]
    first = rows[1]
    assert (first.owner, first.owner_person_id, first.meeting_title, first.agenda_number) == (
        "Jan Müller",
        net.jan,
        "Netzwerktreffen Frühjahr",
        "3",
    )
    assert first.meeting_start.hour == 17
    assert all(row.status is ActionItemStatus.OPEN for row in rows)


def test_status_filters(db: Database, tasks: dict[str, int]) -> None:
    done = list_tasks(db, status="done", today=TODAY)
    assert texts(done) == ["Bericht schreiben"]
    assert done[0].overdue is False  # done items are never overdue
    assert done[0].done_in_meeting_id is not None
    assert len(list_tasks(db, status=ActionItemStatus.OPEN, today=TODAY)) == 5
    assert len(list_tasks(db, status="all", today=TODAY)) == 6
    with pytest.raises(ValidationError):
        list_tasks(db, status="erledigt")


def test_filter_by_person_organisation_and_due_date(
    db: Database, net: Net, tasks: dict[str, int]
) -> None:
    assert texts(list_tasks(db, person_id=net.jan, today=TODAY)) == ["Flyer drucken"]
    # The Quartiersbüro's own task and those of its people (Olga; Ayşe's is done).
    assert texts(list_tasks(db, organisation_id=net.buero, today=TODAY)) == [
        "Raum buchen",
        "Kalender pflegen",
    ]
    assert texts(list_tasks(db, organisation_id=net.buero, status="all", today=TODAY)) == [
        "Bericht schreiben",
        "Raum buchen",
        "Kalender pflegen",
    ]
    due_june = list_tasks(db, due_before=date(2025, 6, 1), today=TODAY)  # inclusive
    assert texts(due_june) == ["Sprechstunde anfragen", "Flyer drucken", "Raum buchen"]
    assert list_tasks(db, due_before=date(2025, 5, 31), today=TODAY) == []
    assert texts(
        list_tasks(db, person_id=net.olga, due_before=date(2025, 12, 31), today=TODAY)
    ) == ["Kalender pflegen"]


def test_overdue_depends_on_today(db: Database, tasks: dict[str, int]) -> None:
    rows = list_tasks(db, today=date(2025, 6, 1))  # due today is not overdue yet
    assert not any(row.overdue for row in rows)
    rows = list_tasks(db, today=date(2025, 9, 2))
    assert [row.overdue for row in rows] == [True, True, True, True, False]


def test_closing_in_the_overview_shows_everywhere(db: Database, tasks: dict[str, int]) -> None:
    set_action_status(db, tasks["flyer"], "done")
    assert "Flyer drucken" not in texts(list_tasks(db, today=TODAY))
    assert "Flyer drucken" in texts(list_tasks(db, status="done", today=TODAY))
