"""Alembic, run programmatically: no alembic.ini, the scripts live in this package."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import DatabaseDamaged
from app.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def revision_graph() -> dict[str, str | None]:
    """``{revision: down_revision}`` read from the revision files without importing Alembic.

    Opening a database only needs to know whether its revision is current, older or unknown;
    Alembic (about 0.3 s to import) is loaded only when an upgrade really runs.
    """
    return dict(_read_revision_graph(MIGRATIONS_DIR))


# ``revision: str = '20261125_01'`` / ``down_revision = None``: a top-level assignment, with or
# without a type annotation, of a literal.
_ASSIGNMENT = re.compile(
    r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?P<value>[^#\n]+)", re.MULTILINE
)


@functools.cache
def _read_revision_graph(migrations_dir: Path) -> tuple[tuple[str, str | None], ...]:
    # A regular expression over the file text, not ast.parse: the initial schema is a large
    # file and parsing it took a tenth of a second of every start.
    graph: dict[str, str | None] = {}
    for path in sorted((migrations_dir / "versions").glob("*.py")):
        values: dict[str, str | None] = {}
        for match in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8")):
            values.setdefault(match.group(1), ast.literal_eval(match.group("value").strip()))
        if values.get("revision"):
            graph[str(values["revision"])] = values.get("down_revision")
    return tuple(graph.items())


def head_revision() -> str:
    graph = revision_graph()
    parents = set(graph.values())
    heads = [revision for revision in graph if revision not in parents]
    if len(heads) != 1:  # pragma: no cover - a branch in the history is a developer error
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def known_revisions() -> set[str]:
    return set(revision_graph())


def upgrade_sqlite(connection: Connection, revision: str = "head") -> None:
    """Upgrade an SQLite database with foreign keys OFF, then check them, in one transaction.

    SQLite batch migrations recreate tables; with foreign keys ON that would cascade-delete
    child rows. The connection must not be inside a transaction yet (the PRAGMA is a no-op
    inside one).
    """
    raw = connection.connection.driver_connection  # outside any transaction
    raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    from alembic import command
    from sqlalchemy import text

    try:
        with connection.begin():
            command.upgrade(alembic_config(connection), revision)
            problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise DatabaseDamaged(
                    _("The database upgrade found broken references and was undone.")
                )
    finally:
        raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def upgrade_postgresql(
    connection: Connection, revision: str = "head", *, before: Callable[[Connection], None]
) -> None:
    """Upgrade a server database in one transaction: PostgreSQL's DDL is transactional, so a
    failed upgrade leaves the schema exactly as it was, and foreign keys stay checked.

    *before* runs first inside the transaction (the database layer takes its write lock there,
    so two clients starting a new version at once upgrade one after the other; the second
    finds nothing left to do).
    """
    from alembic import command

    with connection.begin():
        before(connection)
        command.upgrade(alembic_config(connection), revision)
