"""Two instances on one database: the second learns who holds it; stale locks are taken over."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.db import Database
from app.db import lock as lock_module
from app.db.lock import (
    DatabaseLock,
    DatabaseLocked,
    HolderState,
    lock_path_for,
    pid_alive,
    process_start_marker,
    read_holder,
)
from app.errors import DatabaseReadOnly, TreffpunktError

from .conftest import Child

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only


def write_lock(db_path: Path, **fields: object) -> None:
    data = {
        "app": "Treffpunkt",
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "user": "kim",
        "since": "2026-11-25T07:30:00+00:00",
        "token": "t" * 32,
    }
    data.update(fields)
    lock_path_for(db_path).write_text(json.dumps(data), encoding="utf-8")


def test_lock_file_names_host_process_user_and_time(db_path: Path) -> None:
    moment = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    lock = DatabaseLock.acquire(db_path, now=moment)
    try:
        data = json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))
        assert data["host"] == socket.gethostname()
        assert data["pid"] == os.getpid()
        assert data["since"] == "2026-11-25T07:30:00+00:00"
        assert data["token"] == lock.token
        assert lock.is_held()
        assert lock.taken_over_from is None
    finally:
        lock.release()
    assert not lock_path_for(db_path).exists()
    lock.release()  # twice is fine


def test_second_instance_is_told_who_holds_the_database(db_path: Path) -> None:
    with DatabaseLock.acquire(db_path, now=datetime(2026, 11, 25, 7, 30, tzinfo=UTC)):
        with pytest.raises(DatabaseLocked) as caught:
            DatabaseLock.acquire(db_path)
        holder = caught.value.holder
        assert holder.state is HolderState.ALIVE
        assert holder.pid == os.getpid()
        assert holder.host == socket.gethostname()
        assert holder.since == datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
        message = str(caught.value)
        assert socket.gethostname() in message
        assert str(os.getpid()) in message
        assert isinstance(caught.value, TreffpunktError)


def test_the_second_instance_may_still_open_read_only(db: Database, db_path: Path) -> None:
    with DatabaseLock.acquire(db_path):
        with pytest.raises(DatabaseLocked):
            DatabaseLock.acquire(db_path)
        reader = Database.open(db_path, read_only=True)
        reader.close()


def test_lock_held_by_another_process_then_stale_after_kill(
    db_path: Path, child: Callable[..., Child]
) -> None:
    holder_process = child("hold-lock", str(db_path))
    assert json.loads(holder_process.line())["locked"] is True
    with pytest.raises(DatabaseLocked) as caught:
        DatabaseLock.acquire(db_path)
    assert caught.value.holder.pid == holder_process.pid
    assert caught.value.holder.state is HolderState.ALIVE

    holder_process.kill()  # a crash: the lock file stays behind
    assert lock_path_for(db_path).exists()
    holder = read_holder(db_path)
    assert holder is not None
    assert holder.state is HolderState.STALE
    lock = DatabaseLock.acquire(db_path)
    try:
        assert lock.taken_over_from is not None
        assert lock.taken_over_from.pid == holder_process.pid
        assert json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))["pid"] == os.getpid()
    finally:
        lock.release()


def test_a_process_that_ends_normally_releases_its_lock(
    db_path: Path, child: Callable[..., Child]
) -> None:
    holder_process = child("hold-lock", str(db_path))
    holder_process.line()
    assert holder_process.process.stdin is not None
    holder_process.process.stdin.close()  # the child releases and exits
    assert holder_process.process.wait(timeout=30) == 0
    assert not lock_path_for(db_path).exists()


def test_two_instances_taking_over_a_stale_lock_at_once(
    db_path: Path, child: Callable[..., Child]
) -> None:
    for _round in range(3):
        write_lock(db_path, pid=dead_pid(child), token=os.urandom(8).hex())
        contenders = [child("try-lock", str(db_path)) for _ in range(2)]
        for contender in contenders:
            assert contender.line() == "ready"
        for contender in contenders:
            contender.send("go")
        answers = sorted(contender.line() for contender in contenders)
        assert answers == ["acquired", "locked"]
        for contender in contenders:
            contender.close()
        lock_path_for(db_path).unlink(missing_ok=True)


def dead_pid(child: Callable[..., Child]) -> int:
    """The pid of a process that has ended (and was reaped)."""
    ended = child("try-lock", "unused.db")
    assert ended.line() == "ready"
    ended.kill()
    assert not pid_alive(ended.pid)
    return ended.pid


def test_a_lock_from_another_host_is_reported_and_may_be_taken_over(db_path: Path) -> None:
    write_lock(db_path, host="PC-KITA-07", pid=4242, user="m.schulz")
    with pytest.raises(DatabaseLocked) as caught:
        DatabaseLock.acquire(db_path)
    holder = caught.value.holder
    assert holder.state is HolderState.UNKNOWN
    assert not holder.same_host
    assert "PC-KITA-07" in str(caught.value)
    assert "4242" in str(caught.value)
    assert lock_path_for(db_path).exists()  # nothing taken without the user's word
    lock = DatabaseLock.take_over(db_path)
    try:
        assert lock.taken_over_from is not None
        assert lock.taken_over_from.host == "PC-KITA-07"
        assert lock.is_held()
    finally:
        lock.release()


def test_a_taken_over_instance_does_not_delete_the_new_lock(db_path: Path) -> None:
    first = DatabaseLock.acquire(db_path)
    second = DatabaseLock.take_over(db_path)
    assert not first.is_held()
    first.release()
    assert second.is_held()
    assert lock_path_for(db_path).exists()
    second.release()
    assert not lock_path_for(db_path).exists()


def test_a_reused_pid_does_not_keep_a_stale_lock_alive(db_path: Path) -> None:
    if process_start_marker(os.getpid()) is None:
        pytest.skip("process start times are not available on this system")
    # Our own pid, but written by an earlier process that had it (another start time).
    write_lock(db_path, started="linux:1")
    holder = read_holder(db_path)
    assert holder is not None
    assert holder.state is HolderState.STALE
    with DatabaseLock.acquire(db_path) as lock:
        assert lock.taken_over_from is not None


def test_an_unreadable_lock_is_stale_only_after_a_while(db_path: Path) -> None:
    path = lock_path_for(db_path)
    path.write_bytes(b"")  # the writer crashed between creating and filling the file
    with pytest.raises(DatabaseLocked):
        DatabaseLock.acquire(db_path)  # may be being written just now
    old = time.time() - 2 * lock_module.UNREADABLE_GRACE_SECONDS
    os.utime(path, (old, old))
    with DatabaseLock.acquire(db_path) as lock:
        assert lock.is_held()


def test_a_folder_without_write_access_means_read_only(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock_module.os, "open", refuse)
    with pytest.raises(DatabaseReadOnly):
        DatabaseLock.acquire(db_path)


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(0)
    assert not pid_alive(-5)
