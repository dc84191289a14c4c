"""A full disk during a write: DiskFull, the write rolled back, the program keeps working."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.db import Database
from app.errors import DiskFull
from app.models import Person

from .conftest import Child

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only


def count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def big_import(db: Database, people: int) -> None:
    with db.write() as session:
        for index in range(people):
            session.add(Person(first_name="Import", last_name=f"Nr. {index}", notes="z" * 800))


def test_full_database_raises_disk_full_and_keeps_working(db: Database) -> None:
    """Portable simulation: SQLite's max_page_count makes the file unable to grow."""
    with db.write() as session:
        session.add(Person(first_name="Erste", last_name="Person"))
    with db.write() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar()
        # Per connection; the pool keeps this one for the next write.
        session.execute(text(f"PRAGMA max_page_count = {pages + 2}"))
    with pytest.raises(DiskFull):
        big_import(db, 2000)
    assert count(db) == 1  # all or nothing
    with db.write() as session:  # a small write still fits
        session.scalars(select(Person)).one().function = "weiter"
    with db.read() as session:
        assert session.scalars(select(Person.function)).one() == "weiter"
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_real_write_errors_at_commit_are_disk_full(
    db: Database, db_path: Path, child: Callable[..., Child]
) -> None:
    """The operating system refuses to grow the files (RLIMIT_FSIZE) in a second process:
    the error comes from the COMMIT, as with a real full disk, not from SQLite's own limit."""
    with db.write() as session:
        session.add(Person(first_name="Erste", last_name="Person"))
    db.close()
    writer = child("disk-full", str(db_path), str(64 * 1024))
    result = json.loads(writer.line())
    assert result["big_write"] == "DiskFull", result
    assert result["people_after"] == 1
    assert result["small_write"] == "saved"
    database = Database.open(db_path)
    try:
        assert count(database) == 1
        with database.read() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        database.close()


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system, where the machine allows mounting one (root on Linux)."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("needs Linux mount")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_disk_full_on_a_real_small_disk(small_tmpfs: Path) -> None:
    path = small_tmpfs / "treffpunkt.db"
    database = Database.create(path)
    try:
        with database.write() as session:
            session.add(Person(first_name="Erste", last_name="Person"))
        with pytest.raises(DiskFull):
            big_import(database, 1500)
        assert count(database) == 1
        with database.write() as session:
            session.scalars(select(Person)).one().function = "weiter"
        with database.read() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        database.close()
