"""Saved databases of every schema revision upgrade to the newest one without losing a row.

``tests/core/fixtures/schemas/<revision>.db`` is committed for every revision (made by
``tests/core/fixtures/make_schema_fixture.py``). While only one revision exists, a simulated
next revision (rebuilding the ``people`` table, the case where SQLite batch migrations with
foreign keys ON would delete child rows) proves the whole opening path: backup, upgrade,
nothing lost.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.db import Database, migrate
from app.models import Base
from app.services.backup import BackupKind, backup_before_migration, list_backups

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
FIXTURES = sorted(SCHEMAS.glob("*.db"))

NEXT_REVISION = '''"""test: a later revision that rebuilds the people table

Revision ID: 29990101_01
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "29990101_01"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("nickname", sa.String(60), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("people", recreate="always") as batch_op:
        batch_op.drop_column("nickname")
'''


def table_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()


def same_contents(before: Path, after: Path) -> list[str]:
    """Tables whose rows differ in the columns both versions have (a nulled link counts)."""
    differing = []
    old = sqlite3.connect(f"{before.resolve().as_uri()}?mode=ro", uri=True)
    new = sqlite3.connect(f"{after.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for (table,) in old.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"
        ):
            old_columns = [r[1] for r in old.execute(f'PRAGMA table_info("{table}")')]
            new_columns = {r[1] for r in new.execute(f'PRAGMA table_info("{table}")')}
            columns = ", ".join(f'"{c}"' for c in old_columns if c in new_columns)
            query = f'SELECT {columns} FROM "{table}"'
            if sorted(old.execute(query), key=repr) != sorted(new.execute(query), key=repr):
                differing.append(table)
    finally:
        old.close()
        new.close()
    return differing


def revision_of(path: Path) -> str:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def test_there_is_a_fixture_for_every_revision() -> None:
    assert {p.stem for p in FIXTURES} == migrate.known_revisions(), (
        "run tests/core/fixtures/make_schema_fixture.py for the new revision and commit it"
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_fills_every_table(fixture: Path) -> None:
    counts = table_counts(fixture)
    if fixture.stem == migrate.head_revision():
        assert set(counts) == set(Base.metadata.tables) | {"alembic_version"}
    assert [t for t, n in counts.items() if n == 0] == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_every_fixture_opens_at_the_newest_schema_without_losing_rows(
    fixture: Path, tmp_path: Path
) -> None:
    copy = tmp_path / fixture.name
    shutil.copyfile(fixture, copy)
    before = table_counts(copy)
    database = Database.open(copy, before_upgrade=backup_before_migration)
    try:
        assert database.schema_revision() == migrate.head_revision()
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        database.close()
    after = table_counts(copy)
    assert {t: n for t, n in after.items() if t in before} == before
    upgraded = fixture.stem != migrate.head_revision()
    backups = [b for b in list_backups(copy) if b.kind is BackupKind.BEFORE_UPGRADE]
    assert len(backups) == (1 if upgraded else 0)
    if upgraded:
        assert revision_of(backups[0].path) == fixture.stem
        assert table_counts(backups[0].path) == before


@pytest.fixture
def next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], str]:
    """Pretend a newer version of Treffpunkt with one more revision is installed."""
    migrations = tmp_path / "migrations"
    shutil.copytree(
        migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    head = migrate.head_revision()
    (migrations / "versions" / "29990101_01_test_next.py").write_text(
        NEXT_REVISION.format(head=head), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    return lambda: head


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_upgrade_backs_up_first_and_keeps_every_row(
    fixture: Path, tmp_path: Path, next_revision: Callable[[], str]
) -> None:
    next_revision()
    copy = tmp_path / fixture.name
    shutil.copyfile(fixture, copy)
    before = table_counts(copy)
    assert before["person_emails"] > 0  # children of people: lost if FKs cascaded
    database = Database.open(copy, before_upgrade=backup_before_migration)
    try:
        assert database.schema_revision() == "29990101_01"
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()
    after = table_counts(copy)
    assert {t: n for t, n in after.items() if t in before} == before
    assert same_contents(fixture, copy) == []  # no row lost, no link set to NULL
    backups = [b for b in list_backups(copy) if b.kind is BackupKind.BEFORE_UPGRADE]
    assert len(backups) == 1
    assert revision_of(backups[0].path) == fixture.stem
    assert table_counts(backups[0].path) == before


def test_restore_upgrades_an_older_backup(
    tmp_path: Path, next_revision: Callable[[], str], db_path: Path
) -> None:
    """A backup from before an upgrade is restored into the newer schema."""
    from app.services.backup import restore

    old_head = next_revision()
    backup = tmp_path / "old-backup.db"
    shutil.copyfile(SCHEMAS / f"{old_head}.db", backup)
    shutil.copyfile(SCHEMAS / f"{old_head}.db", db_path)
    Database.open(
        db_path, before_upgrade=backup_before_migration
    ).close()  # the current database is at the newer revision
    result = restore(db_path, backup)
    assert result.upgraded_from == old_head
    assert revision_of(db_path) == "29990101_01"
    assert revision_of(backup) == old_head  # the backup itself is never changed
