"""The retention review list with "keep" decisions."""

from __future__ import annotations

from datetime import UTC, datetime

from app.db import Database
from app.models import Person
from app.services.retention_review import mark_reviewed, people_to_review, reviewed_dates

CREATED = datetime(2024, 1, 10, tzinfo=UTC)


def _people(db: Database) -> list[int]:
    with db.write() as session:
        people = [
            Person(first_name="Alte", last_name="Bekannte", created_at=CREATED, updated_at=CREATED),
            Person(first_name="Karl", last_name="Ruhig", created_at=CREATED, updated_at=CREATED),
        ]
        session.add_all(people)
        session.flush()
        return [p.id for p in people]


def test_kept_people_leave_the_list_for_one_period(db: Database) -> None:
    first, second = _people(db)
    now = datetime(2026, 6, 1, tzinfo=UTC)  # 29 months later, period 24
    assert {r.person_id for r in people_to_review(db, now)} == {first, second}

    mark_reviewed(db, [first], now)
    assert reviewed_dates(db) == {first: now}
    assert {r.person_id for r in people_to_review(db, now)} == {second}
    # Still kept 23 months on; due again once a whole period has passed since the review.
    assert {r.person_id for r in people_to_review(db, datetime(2028, 5, 1, tzinfo=UTC))} == {second}
    assert {r.person_id for r in people_to_review(db, datetime(2028, 6, 2, tzinfo=UTC))} == {
        first,
        second,
    }


def test_marks_accumulate_and_a_shorter_period_applies(db: Database) -> None:
    first, second = _people(db)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    mark_reviewed(db, [first], now)
    mark_reviewed(db, [second], now)
    assert set(reviewed_dates(db)) == {first, second}
    assert people_to_review(db, datetime(2026, 9, 1, tzinfo=UTC), months=2) != []
