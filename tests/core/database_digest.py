"""A digest of what a database holds, to prove that something left it unchanged, on both
engines: an SQLite file's bytes (nothing written at all); a server database's schema revision
and per-table row counts and checksums (``app.db.copying.database_checks``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.db import Database, DatabaseLocation
from app.db.copying import database_checks


def digest(where: Path | str) -> str:
    location = DatabaseLocation.parse(where)
    if not location.is_server:
        return hashlib.sha256(location.file_path.read_bytes()).hexdigest()
    with Database(location, read_only=True) as database:  # any schema, even a newer one
        revision, checks = database_checks(database)
    return repr((revision, sorted(checks.items())))
