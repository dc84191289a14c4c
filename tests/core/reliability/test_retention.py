"""Retention: people without activity for the configured period are listed for review."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.db import Database
from app.errors import ValidationError
from app.models import (
    ActionItem,
    Attendance,
    ConsentRecord,
    ConsentTopic,
    Invitation,
    Meeting,
    OutboxKind,
    OutboxMessage,
    Person,
)
from app.services.retention import (
    DEFAULT_RETENTION_MONTHS,
    months_before,
    people_due_for_review,
    retention_months,
    set_retention_months,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)


def person(session: object, name: str) -> Person:
    row = Person(first_name="Test", last_name=name, created_at=LONG_AGO, updated_at=LONG_AGO)
    session.add(row)  # type: ignore[attr-defined]
    return row


def test_people_without_activity_are_due(db: Database) -> None:
    with db.write() as session:
        quiet = person(session, "Ruhig")
        invited = person(session, "Eingeladen")
        attended = person(session, "Dabei")
        owner = person(session, "Aufgabe")
        consented = person(session, "Einwilligung")
        mailed = person(session, "Post")
        moderated = person(session, "Moderation")
        edited = person(session, "Bearbeitet")
        recent_meeting = Meeting(
            title="Treffen", start=datetime(2025, 9, 1, 15, tzinfo=UTC), moderator=moderated
        )
        old_meeting = Meeting(title="Alt", start=datetime(2023, 7, 1, 15, tzinfo=UTC))
        session.add_all([recent_meeting, old_meeting])
        session.flush()
        session.add_all(
            [
                Invitation(meeting=recent_meeting, person=invited),
                Attendance(meeting=recent_meeting, person=attended),
                Attendance(meeting=old_meeting, person=quiet),  # too long ago
                ActionItem(meeting=recent_meeting, text="Flyer", owner_person_id=owner.id),
                ConsentRecord(
                    person=consented,
                    topic=ConsentTopic.PHOTOS,
                    given=True,
                    recorded_at=datetime(2025, 1, 10, tzinfo=UTC),
                ),
                OutboxMessage(
                    kind=OutboxKind.INVITATION,
                    person_id=mailed.id,
                    recipient="p@x.de",
                    subject="s",
                    body="b",
                    message_id="<m@x>",
                    created_at=datetime(2025, 2, 1, tzinfo=UTC),
                ),
            ]
        )
    # The ORM sets updated_at on every update; put it where the test wants it (bulk UPDATE).
    with db.write() as session:
        session.query(Person).update({"updated_at": LONG_AGO})
        session.query(Person).filter(Person.id == edited.id).update(
            {"updated_at": datetime(2025, 12, 24, tzinfo=UTC)}
        )

    assert retention_months(db) == DEFAULT_RETENTION_MONTHS == 24
    due = people_due_for_review(db, NOW)
    assert [row.name for row in due] == ["Test Ruhig"]
    assert due[0].last_activity == datetime(2023, 7, 1, 15, tzinfo=UTC)
    set_retention_months(db, 12)
    due = {row.name for row in people_due_for_review(db, NOW)}
    assert due == {
        "Test Ruhig",
        "Test Einwilligung",
        "Test Post",
        "Test Aufgabe",
        "Test Eingeladen",
        "Test Dabei",
        "Test Moderation",
    }


def test_a_future_meeting_counts_as_activity(db: Database) -> None:
    with db.write() as session:
        someone = person(session, "Zukunft")
        session.flush()
        meeting = Meeting(title="Bald", start=datetime(2027, 1, 10, tzinfo=UTC))
        session.add(meeting)
        session.flush()
        session.add(Invitation(meeting=meeting, person=someone))
    with db.write() as session:
        session.query(Person).update({"updated_at": LONG_AGO})
    assert people_due_for_review(db, NOW) == []


def test_retention_setting_is_validated(db: Database) -> None:
    with pytest.raises(ValidationError):
        set_retention_months(db, 0)
    with pytest.raises(ValidationError):
        set_retention_months(db, 1000)
    set_retention_months(db, 36)
    assert retention_months(db) == 36


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 11, 25, tzinfo=UTC), 24, datetime(2024, 11, 25, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 1, datetime(2025, 12, 15, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2027, 2, 28, tzinfo=UTC)),
    ],
)
def test_months_before(moment: datetime, months: int, expected: datetime) -> None:
    assert months_before(moment, months) == expected


def test_cli_review(db: Database, db_arg: str, cli: Callable[..., tuple[int, str, str]]) -> None:
    with db.write() as session:
        person(session, "Ruhig")
    with db.write() as session:
        session.query(Person).update({"updated_at": LONG_AGO})
    db.close()
    code, out, err = cli("--db", db_arg, "privacy", "review", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [row["name"] for row in rows] == ["Test Ruhig"]
    assert rows[0]["last_activity"].startswith("2023-06-01")
    code, out, err = cli("--db", db_arg, "privacy", "review")
    assert code == 0
    assert "Test Ruhig" in out
