"""Backups: checked copies, 0600, at most daily, rotated; restore replaces atomically."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.db import sqlite as sqlite_backend
from app.db.lock import DatabaseLock
from app.errors import (
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseTooNew,
    NotADatabase,
    NotTreffpunktDatabase,
)
from app.models import Person
from app.services import backup
from app.services.backup import (
    BackupFailed,
    BackupInfo,
    BackupKind,
    auto_backup,
    backup_dir_for,
    list_backups,
    make_backup,
    plan_rotation,
    restore,
    rotate_backups,
    write_backup,
)
from tests.core.database_digest import digest

from .conftest import Child

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only


def add_people(db: Database, *names: str) -> None:
    with db.write() as session:
        for name in names:
            session.add(Person(first_name="Test", last_name=name))


def people(path: Path) -> list[str]:
    database = Database.open(path)
    try:
        with database.read() as session:
            return sorted(session.scalars(select(Person.last_name)))
    finally:
        database.close()


def noon(day: datetime) -> datetime:
    return day.replace(hour=12, minute=0, second=0, microsecond=0)


# -- making backups -------------------------------------------------------------------------------


def test_backup_is_a_checked_private_copy(db: Database, db_path: Path) -> None:
    add_people(db, "Yılmaz", "Nowak")
    info = make_backup(db_path, BackupKind.MANUAL)
    assert info.path.parent == backup_dir_for(db_path)
    assert info.path.name.startswith("manual-")
    if sys.platform != "win32":
        assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(info.path.parent.stat().st_mode) == 0o700
    assert people(info.path) == ["Nowak", "Yılmaz"]
    assert [b.path for b in list_backups(db_path)] == [info.path]
    listed = list_backups(db_path, with_counts=True)[0]
    assert listed.counts == {"people": 2, "organisations": 0, "meetings": 0}
    assert listed.kind is BackupKind.MANUAL
    assert list(info.path.parent.glob("*.partial")) == []


def test_a_copy_that_fails_its_check_is_not_kept(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(db, "Yılmaz")
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    target.write_bytes(b"old backup")
    calls: list[int] = []

    def counts_differ(connection: sqlite3.Connection) -> dict[str, int]:
        calls.append(1)
        return {"people": len(calls)}  # the source says 1, the copy says 2: rows were lost

    monkeypatch.setattr(sqlite_backend, "_table_counts", counts_differ)
    with pytest.raises(BackupFailed):
        write_backup(db_path, target)
    assert target.read_bytes() == b"old backup"
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]


def test_backup_during_writes_is_a_consistent_snapshot(
    db: Database, db_path: Path, child: Callable[..., Child], tmp_path: Path
) -> None:
    """Backups taken while another process imports batches of 500 people hold whole batches."""
    db.close()
    writer = child("write-batches", str(db_path))
    copies = []
    for index in range(4):
        writer.wait_for(f"half {index}")  # inside an import: the copy must not see it
        copies.append(write_backup(db_path, tmp_path / f"during-{index}.db"))
    writer.kill()
    counts = []
    for copy in copies:
        connection = sqlite3.connect(copy)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = connection.execute("SELECT count(*) FROM people").fetchone()[0]
        emails = connection.execute("SELECT count(*) FROM person_emails").fetchone()[0]
        connection.close()
        assert count % 500 == 0
        assert emails == count
        counts.append(count)
    assert counts == sorted(counts)
    assert counts[-1] > 0


def test_auto_backup_at_most_once_a_day(db: Database, db_path: Path) -> None:
    add_people(db, "Yılmaz")
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    first = auto_backup(db_path, monday)
    assert first is not None
    assert first.kind is BackupKind.AUTO
    assert auto_backup(db_path, monday + timedelta(hours=8)) is None  # closing the window
    tuesday = auto_backup(db_path, monday + timedelta(days=1))
    assert tuesday is not None
    assert [b.path for b in list_backups(db_path)] == [tuesday.path, first.path]


def test_backup_before_migration_names_its_reason(db: Database, db_path: Path) -> None:
    path = backup.backup_before_migration(db_path)
    assert path.name.startswith("before-upgrade-")
    assert list_backups(db_path)[0].kind is BackupKind.BEFORE_UPGRADE


# -- rotation -------------------------------------------------------------------------------------


def fake(kind: BackupKind, moment: datetime) -> BackupInfo:
    name = f"{kind.value}-{moment.strftime('%Y%m%d-%H%M%S')}Z.db"
    return BackupInfo(Path("/backups") / name, moment, kind, 1000)


def test_rotation_keeps_7_daily_4_weekly_12_monthly() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
    daily = [fake(BackupKind.AUTO, now - timedelta(days=d)) for d in range(500)]
    kept, deleted = plan_rotation(daily, now)
    seven_days = {date(2026, 11, d) for d in range(19, 26)}
    sundays = {date(2026, 11, 22), date(2026, 11, 15), date(2026, 11, 8)}  # + this week: today
    month_ends = {
        date(2026, 10, 31),
        date(2026, 9, 30),
        date(2026, 8, 31),
        date(2026, 7, 31),
        date(2026, 6, 30),
        date(2026, 5, 31),
        date(2026, 4, 30),
        date(2026, 3, 31),
        date(2026, 2, 28),
        date(2026, 1, 31),
        date(2025, 12, 31),
    }  # + November: today
    assert {b.created_at.date() for b in kept} == seven_days | sundays | month_ends
    assert len(kept) == 7 + 2 + 11  # 22 Nov is one of the seven days
    assert len(deleted) == 500 - len(kept)


def test_rotation_protects_reasons_and_manual_ones_for_30_days() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    newest = fake(BackupKind.AUTO, now)
    recent_days = [fake(BackupKind.AUTO, now - timedelta(days=d)) for d in range(1, 9)]
    recent_upgrade = fake(BackupKind.BEFORE_UPGRADE, now - timedelta(days=10, hours=1))
    recent_manual = fake(BackupKind.MANUAL, now - timedelta(days=10, hours=2))
    recent_restore = fake(BackupKind.BEFORE_RESTORE, now - timedelta(days=29))
    damaged = fake(BackupKind.DAMAGED, now - timedelta(days=5, hours=1))
    old_damaged = fake(BackupKind.DAMAGED, now - timedelta(days=31))
    old_autos = [fake(BackupKind.AUTO, now - timedelta(days=40, hours=h)) for h in (1, 2)]
    old_upgrade = fake(BackupKind.BEFORE_UPGRADE, now - timedelta(days=45))
    everything = [
        newest,
        *recent_days,
        recent_upgrade,
        recent_manual,
        recent_restore,
        damaged,
        old_damaged,
        *old_autos,
        old_upgrade,
    ]
    kept, deleted = plan_rotation(everything, now)
    # Days: 25–19 Nov. Weeks: this one, 22 Nov, 15 Nov (recent_upgrade, the newer of day 10),
    # week 44 (recent_restore, also October's newest). Protected for 30 days: the manual one
    # and the raw copy of 5 days ago. 40 and 45 days old: no bucket, no protection left.
    assert set(kept) == {
        newest,
        *recent_days[:6],
        recent_upgrade,
        recent_manual,
        recent_restore,
        damaged,
    }
    assert set(deleted) == {*recent_days[6:], old_damaged, *old_autos, old_upgrade}


def test_rotation_keeps_the_newest_and_future_backups() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    only = fake(BackupKind.DAMAGED, now - timedelta(days=400))
    assert plan_rotation([only], now) == ([only], [])
    future = fake(BackupKind.AUTO, now + timedelta(days=3))  # the clock was set back
    daily = [fake(BackupKind.AUTO, now - timedelta(days=d)) for d in range(10)]
    kept, _deleted = plan_rotation([future, *daily], now)
    assert future in kept


def test_rotate_deletes_files_and_leaves_strangers_alone(db_path: Path) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    directory = backup_dir_for(db_path)
    directory.mkdir(parents=True)
    for days in range(20):  # 25 Nov back to 6 Nov
        moment = noon(now - timedelta(days=days))
        (directory / f"auto-{moment.strftime('%Y%m%d-%H%M%S')}Z.db").write_bytes(b"x")
    (directory / "meine-kopie.db").write_bytes(b"mine")
    stale_partial = directory / "auto-20261101-120000Z.db.123.partial"
    stale_partial.write_bytes(b"half")
    os.utime(stale_partial, (now.timestamp() - 3 * 86400, now.timestamp() - 3 * 86400))
    removed = rotate_backups(db_path, now)
    left = sorted(p.name for p in directory.iterdir())
    assert "meine-kopie.db" in left
    assert stale_partial.name not in left
    kept = sorted(name[5:13] for name in left if name.startswith("auto-"))
    # 19–25 Nov (7 days) and the Sundays 15 and 8 Nov; nothing from October exists.
    assert kept == ["20261108", "20261115", *(f"202611{d}" for d in range(19, 26))]
    assert len(removed) == 11


# -- restoring ------------------------------------------------------------------------------------


def test_restore_brings_back_the_old_state_and_keeps_the_current_one(
    db: Database, db_path: Path
) -> None:
    add_people(db, "Alt")
    old = make_backup(db_path, BackupKind.MANUAL, datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    add_people(db, "Neu")
    db.close()
    result = restore(db_path, old.path)
    assert people(db_path) == ["Alt"]
    assert result.counts["people"] == 1
    assert result.backup_created_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert result.pre_restore_backup is not None
    assert result.pre_restore_backup.name.startswith("before-restore-")
    assert people(result.pre_restore_backup) == ["Alt", "Neu"]
    assert result.damaged_copy is None
    if sys.platform != "win32":
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    leftovers = [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.parametrize("kind", ["text", "foreign", "newer", "damaged"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    db: Database, db_path: Path, tmp_path: Path, kind: str
) -> None:
    add_people(db, "Bleibt")
    db.close()
    bad = tmp_path / "bad.db"
    expected: type[Exception]
    if kind == "text":
        bad.write_text("kein Backup", encoding="utf-8")
        expected = NotADatabase
    elif kind == "foreign":
        connection = sqlite3.connect(bad)
        connection.execute("CREATE TABLE songs (title TEXT)")
        connection.commit()
        connection.close()
        expected = NotTreffpunktDatabase
    else:
        write_backup(db_path, bad)
        if kind == "newer":
            connection = sqlite3.connect(bad)
            connection.execute("UPDATE alembic_version SET version_num = '29991231_99'")
            connection.commit()
            connection.close()
            expected = DatabaseTooNew
        else:
            data = bytearray(bad.read_bytes())
            data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
            bad.write_bytes(bytes(data))
            expected = DatabaseDamaged
    before = digest(db_path)
    with pytest.raises(expected):
        restore(db_path, bad)
    assert digest(db_path) == before
    assert list_backups(db_path) == []  # refused before anything was written


def test_restore_over_a_damaged_database_keeps_its_bytes(db: Database, db_path: Path) -> None:
    add_people(db, "Gesichert")
    good = make_backup(db_path, BackupKind.AUTO)
    db.close()
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)  # the header survived, no more
    damaged_bytes = db_path.read_bytes()
    result = restore(db_path, good.path)
    assert people(db_path) == ["Gesichert"]
    assert result.pre_restore_backup is None
    assert result.damaged_copy is not None
    assert result.damaged_copy.read_bytes() == damaged_bytes
    assert result.erasure_log_merged is False


def test_a_failing_swap_leaves_the_database_untouched(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(db, "Alt")
    old = make_backup(db_path, BackupKind.AUTO)
    add_people(db, "Neu")
    db.close()
    before = digest(db_path)

    def power_cut(source: object, target: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(backup.os, "replace", power_cut)
    with pytest.raises(BackupFailed):
        restore(db_path, old.path)
    monkeypatch.undo()
    assert digest(db_path) == before
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == []


def test_restore_into_a_missing_path_only_when_asked(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    add_people(db, "Alt")
    copy = write_backup(db_path, tmp_path / "copy.db")
    db.close()
    target = tmp_path / "neu" / "treffpunkt.db"
    with pytest.raises(DatabaseMissing):
        restore(target, copy)
    assert not target.exists()
    target.parent.mkdir()
    result = restore(target, copy, allow_missing=True)
    assert result.pre_restore_backup is None
    assert people(target) == ["Alt"]


# -- command line ---------------------------------------------------------------------------------


def test_cli_backup_and_restore(
    db: Database, db_path: Path, tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    add_people(db, "Alt")
    db.close()
    code, out, err = cli("--db", str(db_path), "backup")
    assert code == 0, err
    default = Path(out.strip())
    assert default.parent == backup_dir_for(db_path)
    assert default.name.startswith("manual-")
    code, out, err = cli("--db", str(db_path), "backup", "-o", str(tmp_path / "mine.db"))
    assert code == 0, err
    assert Path(out.strip()) == tmp_path / "mine.db"
    # Replacing an older backup is fine, any other file never.
    assert cli("--db", str(db_path), "backup", "-o", str(tmp_path / "mine.db"))[0] == 0
    letter = tmp_path / "brief.txt"
    letter.write_text("Sehr geehrte", encoding="utf-8")
    code, _out, err = cli("--db", str(db_path), "backup", "-o", str(letter))
    assert code == 1
    assert letter.read_text(encoding="utf-8") == "Sehr geehrte"

    database = Database.open(db_path)
    add_people(database, "Neu")
    database.close()
    code, out, err = cli("--db", str(db_path), "restore", str(tmp_path / "mine.db"))
    assert code == 0, err
    assert people(db_path) == ["Alt"]
    pre = next(b for b in list_backups(db_path) if b.kind is BackupKind.BEFORE_RESTORE)
    assert str(pre.path) in out
    assert people(pre.path) == ["Alt", "Neu"]


def test_cli_restore_refuses_while_the_window_holds_the_database(
    db: Database, db_path: Path, tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    add_people(db, "Alt")
    copy = write_backup(db_path, tmp_path / "copy.db")
    add_people(db, "Neu")
    db.close()
    before = digest(db_path)
    with DatabaseLock.acquire(db_path):
        code, out, err = cli("--db", str(db_path), "restore", str(copy))
    assert code == 1
    assert out == ""
    assert str(os.getpid()) in err
    assert digest(db_path) == before


@pytest.mark.parametrize(
    "command",
    [
        ["backup"],
        ["restore", "x.db"],
        ["privacy", "export", "1"],
        ["privacy", "erase", "1"],
        ["privacy", "review"],
    ],
)
def test_commands_on_a_missing_database_create_nothing(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], command: list[str]
) -> None:
    path = tmp_path / "fehlt.db"
    code, out, err = cli("--db", str(path), *command)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_restore_keeps_the_permissions_of_a_shared_database(db: Database, db_path: Path) -> None:
    add_people(db, "Alt")
    old = make_backup(db_path, BackupKind.AUTO)
    db.close()
    db_path.chmod(0o660)  # shared with the office group
    restore(db_path, old.path)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o660
