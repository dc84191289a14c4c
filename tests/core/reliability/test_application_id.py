"""Treffpunkt databases carry their own ``PRAGMA application_id``; other programs' SQLite
files are recognised by theirs and refused with a clear message, untouched."""

from __future__ import annotations

import ast
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.db import Database, migrate
from app.db.sqlite import APPLICATION_ID
from app.errors import NotTreffpunktDatabase
from app.services.backup import BackupKind, backup_before_migration, make_backup
from tests.core.database_digest import digest

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def application_id(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("PRAGMA application_id").fetchone()[0])
    finally:
        connection.close()


def test_a_new_database_and_its_backups_carry_the_id(db: Database, db_path: Path) -> None:
    assert application_id(db_path) == APPLICATION_ID
    backup = make_backup(db_path, BackupKind.MANUAL)
    assert application_id(backup.path) == APPLICATION_ID


def test_an_older_database_gets_the_id_on_upgrade(tmp_path: Path) -> None:
    copy = tmp_path / "alt.db"
    shutil.copyfile(SCHEMAS / "20261125_01.db", copy)
    assert application_id(copy) == 0  # from before the revision that sets it
    Database.open(copy, before_upgrade=backup_before_migration).close()
    assert application_id(copy) == APPLICATION_ID


def test_the_migration_sets_the_same_value() -> None:
    """Revisions never import app code, so the number is written twice: they must agree."""
    revision = next((migrate.MIGRATIONS_DIR / "versions").glob("20261206_02_*.py"))
    module = ast.parse(revision.read_text(encoding="utf-8"))
    values = [
        ast.literal_eval(node.value)
        for node in module.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "APPLICATION_ID" for t in node.targets)
    ]
    assert values == [APPLICATION_ID]


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """An SQLite file of another program that happens to have tables like ours."""
    path = tmp_path / "fremd.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 0x0f055112")  # Fossil's repository id
    connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY)")
    connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
    connection.execute("INSERT INTO alembic_version VALUES (?)", (migrate.head_revision(),))
    connection.commit()
    connection.close()
    return path


def test_a_foreign_sqlite_file_is_refused_by_its_id(
    foreign: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    before = digest(foreign)
    with pytest.raises(NotTreffpunktDatabase, match="0x0f055112"):
        Database.open(foreign)
    code, out, err = cli("--db", str(foreign), "check")
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "anderen Programms" in err
    code, _out, err = cli("--db", str(foreign), "meetings", "list")
    assert code == 1
    assert digest(foreign) == before
