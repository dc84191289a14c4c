"""Which database the window opens at start, and the worker functions that open or create one.

``plan_start`` runs on the GUI thread and only looks at paths. The ``*_task`` functions run on
a worker thread (``ui.tasks.TaskRunner``): opening may upgrade the schema, and the demo
network is written there too. They import ``app.db`` themselves, so SQLAlchemy and Alembic
(over half a second to import) load on the worker while the window already shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.preferences import Preferences

if TYPE_CHECKING:
    from app.db import Database

DEMO_FILE_NAME = "demo.db"
DATABASE_SUFFIX = ".db"


@dataclass(frozen=True)
class StartPlan:
    """What to open at start. ``demo``: the demo network, created when missing."""

    path: Path
    demo: bool = False


@dataclass(frozen=True)
class OpenedDatabase:
    """An open database and what the window shows about it (built on the worker)."""

    database: Database
    path: Path
    demo: bool
    read_only: bool
    schema_revision: str | None


def demo_database_path() -> Path:
    return paths.user_data_dir() / DEMO_FILE_NAME


def plan_start(
    database_path: Path | None, *, explicit: bool, preferences: Preferences
) -> StartPlan:
    """``--db`` / ``TREFFPUNKT_DB`` are taken literally (even when missing: the window then
    offers to create it); otherwise the last database, the default one, or the demo network.
    """
    if explicit and database_path is not None:
        return StartPlan(Path(database_path))
    candidates = [
        Path(preferences.last_database) if preferences.last_database else None,
        Path(database_path) if database_path is not None else None,
        paths.default_database_path(),
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return StartPlan(candidate)
    return StartPlan(demo_database_path(), demo=True)


def with_database_suffix(path: Path) -> Path:
    """A name typed without extension gets ``.db``, so the file dialog finds it later."""
    return path if path.suffix else path.with_suffix(DATABASE_SUFFIX)


def _opened(database: Database, *, demo: bool) -> OpenedDatabase:
    return OpenedDatabase(
        database=database,
        path=Path(database.path).absolute(),  # the status bar shows where it really is
        demo=demo,
        read_only=database.read_only,
        schema_revision=database.schema_revision(),
    )


def open_task(path: Path, read_only: bool = False) -> OpenedDatabase:
    """Worker: open an existing database (upgrading an old schema after a backup)."""
    from app.db import Database

    return _opened(Database.open(path, read_only=read_only), demo=False)


def create_task(path: Path) -> OpenedDatabase:
    """Worker: create a new, empty database; refuses an existing file (``DatabaseExists``)."""
    from app.db import Database

    return _opened(Database.create(path), demo=False)


def demo_task(path: Path) -> OpenedDatabase:
    """Worker: open the demo network, creating and filling it first when it is missing.

    It is filled under a temporary name and renamed when complete, so a crash half-way never
    leaves a half-filled demo that would then be opened as is.
    """
    from app.db import Database

    if not path.exists():
        from app.services.demo import fill_demo

        partial = path.with_name(path.name + ".new")
        partial.unlink(missing_ok=True)
        database = Database.create(partial)
        try:
            fill_demo(database)
        finally:
            database.close()
        os.replace(partial, path)
    return _opened(Database.open(path), demo=True)
