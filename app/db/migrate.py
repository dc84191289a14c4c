"""Alembic, run programmatically: no alembic.ini, the scripts live in this package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from app.errors import DatabaseDamaged
from app.i18n import _

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def upgrade_to_head(connection: Connection) -> None:
    """Upgrade with foreign keys OFF, then check them, all in one transaction.

    SQLite batch migrations recreate tables; with foreign keys ON that would cascade-delete
    child rows. The connection must not be inside a transaction yet (the PRAGMA is a no-op
    inside one).
    """
    raw = connection.connection.driver_connection  # outside any transaction
    raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    try:
        with connection.begin():
            command.upgrade(alembic_config(connection), "head")
            problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise DatabaseDamaged(
                    _("The database upgrade found broken references and was undone.")
                )
    finally:
        raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
