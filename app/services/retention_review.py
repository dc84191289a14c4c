"""The retention review list with the user's "keep" decisions.

``retention.people_due_for_review`` lists everyone inactive longer than the retention period.
When the user decides to keep someone, ``mark_reviewed`` records the date (per database, in
the settings, ids only); that person leaves the list until another full retention period has
passed since the review. Nothing here erases anyone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.db import Database
from app.services.retention import (
    ReviewRow,
    months_before,
    people_due_for_review,
    retention_months,
)
from app.services.settings import get_setting, read_setting, write_setting

REVIEWED_SETTING = "retention_reviewed"


def _moment(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def reviewed_dates(db: Database) -> dict[int, datetime]:
    """Person id → when the user last decided to keep them."""
    raw = get_setting(db, REVIEWED_SETTING, {})
    result: dict[int, datetime] = {}
    if not isinstance(raw, dict):
        return result
    for key, value in raw.items():
        try:
            moment = datetime.fromisoformat(str(value))
            result[int(key)] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            continue
    return result


def mark_reviewed(db: Database, person_ids: list[int], now: datetime | None = None) -> None:
    """Record that the user keeps these people (reviewed *now*)."""
    stamp = _moment(now).isoformat(timespec="seconds")
    with db.write() as session:
        raw = read_setting(session, REVIEWED_SETTING, {})
        entries = dict(raw) if isinstance(raw, dict) else {}
        for person_id in person_ids:
            entries[str(person_id)] = stamp
        write_setting(session, REVIEWED_SETTING, entries)


def people_to_review(
    db: Database, now: datetime | None = None, *, months: int | None = None
) -> list[ReviewRow]:
    """``people_due_for_review`` without those kept within the last retention period."""
    moment = _moment(now)
    period = months if months is not None else retention_months(db)
    cutoff = months_before(moment, period)
    reviewed = reviewed_dates(db)
    return [
        row
        for row in people_due_for_review(db, moment, months=period)
        if not (row.person_id in reviewed and reviewed[row.person_id] >= cutoff)
    ]
