"""Restoring an old backup never brings back a person erased later: the erasure logs of the
other backups of the same database count too, when the database file is lost or damaged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.models import Person
from app.services import privacy
from app.services.backup import BackupKind, backup_dir_for, make_backup, restore

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only


def add_person(db: Database, first: str, last: str) -> int:
    with db.write() as session:
        person = Person(first_name=first, last_name=last)
        session.add(person)
        session.flush()
        return person.id


def last_names(path: Path) -> list[str]:
    with Database.open(path) as database, database.read() as session:
        return sorted(session.scalars(select(Person.last_name)))


@pytest.fixture
def erased_after_backup(db: Database, db_path: Path) -> Path:
    """Backup 1 (two days ago) holds Ayşe Yılmaz; she is erased; backup 2 (today) knows it.
    Returns backup 1."""
    add_person(db, "Jan", "Nowak")
    ayse = add_person(db, "Ayşe", "Yılmaz")
    old = make_backup(db_path, BackupKind.AUTO, datetime.now(UTC) - timedelta(days=2))
    privacy.erase_person(db, ayse)
    add_person(db, "Neu", "Person")  # a newcomer; may even get her id: must stay
    make_backup(db_path, BackupKind.MANUAL)
    db.close()
    return old.path


@pytest.mark.parametrize("where", ["same path", "other path"])
def test_restore_new_reapplies_erasures_known_to_newer_backups(
    erased_after_backup: Path,
    db_path: Path,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
    where: str,
) -> None:
    db_path.unlink()  # the database file was lost
    target = db_path if where == "same path" else tmp_path / "neu" / "treffpunkt.db"
    code, out, err = cli("--db", str(target), "restore", "--new", str(erased_after_backup))
    assert code == 0, err
    assert last_names(target) == ["Nowak"]
    assert "1 Person, die nach dem Anlegen der Sicherung gelöscht wurde" in out
    assert "1 anderen Sicherung dieser Datenbank" in out
    with Database.open(target) as database:
        assert len(privacy.erasure_log(database)) == 1  # and stays known there from now on


def test_restore_over_a_damaged_database_reapplies_erasures_of_its_backups(
    erased_after_backup: Path, db_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # damaged beyond reading
    code, out, err = cli("--db", str(db_path), "restore", str(erased_after_backup))
    assert code == 0, err
    assert last_names(db_path) == ["Nowak"]
    assert "gelöscht" in out
    assert "Sicherungen" in err  # still a warning: erasures after the newest backup may miss


def test_backups_of_other_databases_are_never_read(
    erased_after_backup: Path, tmp_path: Path
) -> None:
    """A backup folder belongs to one database; a stray folder with copies is not one."""
    stray = tmp_path / "usb-stick"
    stray.mkdir()
    for backup in backup_dir_for(tmp_path / "treffpunkt.db").iterdir():
        (stray / backup.name).write_bytes(backup.read_bytes())
    copy = stray / erased_after_backup.name
    target = tmp_path / "anderswo.db"
    result = restore(target, copy, allow_missing=True)
    assert result.reapplied_erasures == 0
    assert result.backups_consulted == 0
    assert last_names(target) == ["Nowak", "Yılmaz"]
