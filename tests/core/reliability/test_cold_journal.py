"""A writer killed at the end of a write leaves a *cold* journal (zeroed header): SQLite
ignores it, and so must Treffpunkt; restore right after such a crash works."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.sqlite import has_pending_journal, journal_path, writer_active
from app.errors import DatabaseBusy
from app.models import Person
from app.services.backup import BackupKind, make_backup, restore

from .conftest import Child

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only


def add_people(db: Database, *names: str) -> None:
    with db.write() as session:
        for name in names:
            session.add(Person(first_name="Test", last_name=name))


def last_names(path: Path) -> list[str]:
    database = Database.open(path)
    try:
        with database.read() as session:
            return sorted(session.scalars(select(Person.last_name)))
    finally:
        database.close()


@pytest.fixture
def killed_at_end_of_write(db: Database, db_path: Path, child: Callable[..., Child]) -> Path:
    add_people(db, "Alt")
    make_backup(db_path, BackupKind.MANUAL)
    add_people(db, "Neu")
    db.close()
    writer = child("end-of-write", str(db_path))
    assert writer.line() == "ready"
    writer.kill()
    journal = journal_path(db_path)
    # What SQLite really leaves: a non-empty journal whose header (magic, count) is zero.
    assert journal.stat().st_size > 0
    assert journal.read_bytes()[:12] == bytes(12)
    return db_path


def test_a_cold_journal_is_not_a_writer_at_work(killed_at_end_of_write: Path) -> None:
    assert not has_pending_journal(killed_at_end_of_write)
    assert not writer_active(killed_at_end_of_write)
    # SQLite agrees: the database opens, the killed change is not there.
    assert last_names(killed_at_end_of_write) == ["Alt", "Neu"]


def test_restore_right_after_a_kill_at_the_end_of_a_write(
    killed_at_end_of_write: Path, tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    from app.services.backup import list_backups

    oldest = list_backups(killed_at_end_of_write)[-1].path
    assert journal_path(killed_at_end_of_write).exists()
    code, _out, err = cli("--db", str(killed_at_end_of_write), "restore", str(oldest))
    assert code == 0, err
    assert "wird gerade geschrieben" not in err
    assert last_names(killed_at_end_of_write) == ["Alt"]
    assert not journal_path(killed_at_end_of_write).exists()


def test_restore_still_refuses_while_a_writer_is_at_work(
    db: Database, db_path: Path, child: Callable[..., Child]
) -> None:
    add_people(db, "Alt")
    backup = make_backup(db_path, BackupKind.MANUAL).path
    db.close()
    writer = child("end-of-write", str(db_path))
    assert writer.line() == "ready"  # alive, inside its transaction
    assert writer_active(db_path)
    with pytest.raises(DatabaseBusy):
        restore(db_path, backup)
    writer.kill()
    assert not writer_active(db_path)
    restore(db_path, backup)
    assert last_names(db_path) == ["Alt"]
