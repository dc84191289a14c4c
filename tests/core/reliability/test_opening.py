"""Opening checks not covered in tests/core/test_database.py and tests/core/test_cli.py:
a crash leftover (hot journal), a damaged file through Database.open, folders, read-only
opening; every refused file stays byte-identical and nothing is created."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.sqlite import journal_path
from app.errors import DatabaseDamaged, DatabaseNeedsRecovery, NotADatabase
from app.models import Person
from tests.core.database_digest import digest

from .conftest import Child

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only


def add_people(db: Database, count: int) -> None:
    with db.write() as session:
        for index in range(count):
            session.add(Person(first_name="Test", last_name=f"Person {index}", notes="n" * 300))


@pytest.fixture
def crashed(db: Database, db_path: Path, child: Callable[..., Child]) -> Path:
    """A database whose writer was killed with changed pages already in the file."""
    add_people(db, 300)
    db.close()
    writer = child("half-written", str(db_path))
    assert writer.line() == "ready"
    writer.kill()
    assert journal_path(db_path).stat().st_size > 0
    return db_path


def test_check_reports_a_crash_leftover_and_touches_nothing(
    crashed: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    before = (digest(crashed), digest(journal_path(crashed)))
    code, out, err = cli("--db", str(crashed), "check")
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert (digest(crashed), digest(journal_path(crashed))) == before
    from app.db import inspect_database

    with pytest.raises(DatabaseNeedsRecovery):
        inspect_database(crashed)


def test_opening_after_a_crash_rolls_the_half_write_back(crashed: Path) -> None:
    database = Database.open(crashed)
    try:
        with database.read() as session:
            notes = set(session.scalars(select(Person.notes)))
    finally:
        database.close()
    assert notes == {"n" * 300}  # the killed transaction left nothing behind
    assert not journal_path(crashed).exists() or journal_path(crashed).stat().st_size == 0
    Database.open(crashed, read_only=True).close()


def test_open_refuses_a_damaged_file_unchanged(db: Database, db_path: Path) -> None:
    add_people(db, 200)
    db.close()
    data = bytearray(db_path.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle : middle + 4096] = b"\xff" * 4096
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path)
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path, read_only=True)
    assert digest(db_path) == before
    assert not journal_path(db_path).exists()


def test_a_folder_is_not_a_database(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    folder = tmp_path / "treffpunkt.db"
    folder.mkdir()
    with pytest.raises(NotADatabase):
        Database.open(folder)
    code, out, err = cli("--db", str(folder), "check")
    assert code == 1
    assert out == ""
    assert str(folder) in err
    assert list(folder.iterdir()) == []


@pytest.fixture
def read_only_folder(db: Database, db_path: Path) -> Iterator[Path]:
    add_people(db, 3)
    db.close()
    db_path.chmod(0o400)
    db_path.parent.chmod(0o500)
    try:
        yield db_path
    finally:
        db_path.parent.chmod(0o700)
        db_path.chmod(0o600)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_read_only_file_in_a_read_only_folder_is_checked_and_read_unchanged(
    read_only_folder: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = read_only_folder
    before = digest(path)
    code, out, err = cli("--db", str(path), "check", "--json")
    assert code == 0, err
    assert json.loads(out)["integrity"] == "ok"
    database = Database.open(path, read_only=True)
    try:
        with database.read() as session:
            assert len(session.scalars(select(Person)).all()) == 3
    finally:
        database.close()
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_read_only_opening_never_writes(db: Database, db_path: Path) -> None:
    add_people(db, 3)
    db.close()
    before = (digest(db_path), os.stat(db_path).st_mtime_ns)
    database = Database.open(db_path, read_only=True)
    try:
        with database.read() as session:
            session.scalars(select(Person)).all()
    finally:
        database.close()
    assert (digest(db_path), os.stat(db_path).st_mtime_ns) == before
