"""What a look at a database found, the same for an SQLite file and a server database."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from app.db import migrate
from app.db.location import DatabaseLocation

# The tables ``treffpunkt check`` counts.
COUNTED_TABLES = ("organisations", "people", "meetings")


class SchemaStatus(enum.Enum):
    CURRENT = "current"
    OUTDATED = "outdated"
    TOO_NEW = "too_new"


@dataclass(frozen=True)
class DatabaseReport:
    """What ``inspect_database`` found: used by ``treffpunkt check`` and before opening."""

    location: DatabaseLocation
    schema_revision: str
    head_revision: str
    status: SchemaStatus
    integrity: str
    row_counts: dict[str, int]
    # "SQLite 3.40.1" / "PostgreSQL 15.18 (TLS)": what answered.
    engine: str = ""
    details: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> DatabaseLocation:
        """Where the database is (kept for the callers that print it)."""
        return self.location


def schema_status(revision: str) -> SchemaStatus:
    head = migrate.head_revision()
    if revision == head:
        return SchemaStatus.CURRENT
    if revision in migrate.known_revisions():
        return SchemaStatus.OUTDATED
    return SchemaStatus.TOO_NEW
