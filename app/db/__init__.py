"""Storage: opening, creating and migrating Treffpunkt's SQLite database."""

from app.db.database import Database, SchemaStatus, inspect_database

__all__ = ["Database", "SchemaStatus", "inspect_database"]
