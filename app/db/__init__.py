"""Storage: opening, creating and migrating Treffpunkt databases (an SQLite file or a
PostgreSQL server database, one layer for both: ``app.db.database``)."""

from app.db.database import Database, SchemaStatus, inspect_database
from app.db.location import DatabaseLocation

__all__ = ["Database", "DatabaseLocation", "SchemaStatus", "inspect_database"]
