"""Storage: opening, creating and migrating Treffpunkt's SQLite database.

The names below load on first use (PEP 562): ``app.db.lock`` and ``app.db.migrate`` are needed
before the window shows its first page and must not pull in ``app.db.database`` on the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.db.database import Database, SchemaStatus, inspect_database

__all__ = ["Database", "SchemaStatus", "inspect_database"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from app.db import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
