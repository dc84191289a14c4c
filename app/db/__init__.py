"""Storage: opening, creating and migrating Treffpunkt databases (an SQLite file or a
PostgreSQL server database, one layer for both: ``app.db.database``).

The names below load on first use (PEP 562): ``app.db.lock`` and ``app.db.migrate`` are needed
before the window shows its first page and must not pull in ``app.db.database`` on the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.db.database import Database, SchemaStatus, inspect_database
    from app.db.location import DatabaseLocation

__all__ = ["Database", "DatabaseLocation", "SchemaStatus", "inspect_database"]


def __getattr__(name: str) -> Any:
    if name == "DatabaseLocation":
        from app.db.location import DatabaseLocation

        return DatabaseLocation
    if name in __all__:
        from app.db import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
