"""A second Treffpunkt process for the reliability tests: ``python child.py COMMAND DB ...``.

Commands talk to the test over stdout (one line per event, flushed) and wait for lines on
stdin where the test must decide the moment, so the tests need no sleeps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BATCH = 500


def write_batches(path: Path, small_cache: bool) -> None:
    """Imports of BATCH people (each with an e-mail) and whole-batch updates, forever.

    Each import and each update is one ``db.write()`` transaction. Progress lines mark the
    phases, so the test can kill the process inside a transaction, during the flush, during
    the commit or between transactions.
    """
    from sqlalchemy import event, func, select, update

    from app.db import Database
    from app.models import Person, PersonEmail

    db = Database.open(path)
    if small_cache:
        # A tiny page cache spills dirty pages into the database file before COMMIT, so a
        # kill leaves a hot journal behind (the hardest case for recovery).
        db.engine.dispose()
        event.listen(db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA cache_size=20"))
    with db.read() as session:
        start = (session.scalar(select(func.count()).select_from(Person)) or 0) // BATCH
    batch = start
    while True:
        print(f"begin {batch}", flush=True)
        with db.write() as session:
            for index in range(BATCH):
                session.add(
                    Person(
                        first_name=f"Vorname{index}",
                        last_name=f"Batch{batch:04d}",
                        function="v0",
                        notes="x" * 200,
                        emails=[PersonEmail(address=f"p{batch}-{index}@example.org")],
                    )
                )
                if index == BATCH // 2:
                    session.flush()
                    print(f"half {batch}", flush=True)
            print(f"commit {batch}", flush=True)
        print(f"done {batch}", flush=True)
        print(f"update {batch}", flush=True)
        with db.write() as session:
            session.execute(
                update(Person)
                .where(Person.last_name == f"Batch{batch:04d}")
                .values(function=f"v{batch + 1}", version=Person.version + 1)
            )
            print(f"update-commit {batch}", flush=True)
        print(f"updated {batch}", flush=True)
        batch += 1


def hold_lock(path: Path) -> None:
    from app.db.lock import DatabaseLock

    lock = DatabaseLock.acquire(path)
    print(json.dumps({"locked": True, "pid": lock_pid()}), flush=True)
    sys.stdin.read()  # until the test closes stdin (or kills us)
    lock.release()


def lock_pid() -> int:
    import os

    return os.getpid()


def try_lock(path: Path) -> None:
    from app.db.lock import DatabaseLock, DatabaseLocked

    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    try:
        lock = DatabaseLock.acquire(path)
    except DatabaseLocked:
        print("locked", flush=True)
        return
    print("acquired", flush=True)
    sys.stdin.read()
    lock.release()


def save_person(path: str, person_id: int, version: int, value: str) -> None:
    """Load-and-save of a form: save *value* if the person still has *version*."""
    from app.db import Database
    from app.db.versioning import check_version
    from app.errors import ConflictError
    from app.models import Person

    db = Database.open(path)
    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    try:
        with db.write() as session:
            person = check_version(session, Person, person_id, version)
            person.function = value
    except ConflictError:
        print("conflict", flush=True)
    else:
        print("saved", flush=True)
    db.close()


def disk_full(path: Path, extra_bytes: int) -> None:
    """Limit the size of every file this process writes (RLIMIT_FSIZE) and fill the disk."""
    import resource
    import signal

    from sqlalchemy import func, select

    from app.db import Database
    from app.errors import DiskFull
    from app.models import Person

    db = Database.open(path)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
    limit = path.stat().st_size + extra_bytes
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result: dict[str, object] = {}
    try:
        with db.write() as session:
            for index in range(3000):
                session.add(
                    Person(first_name="Gross", last_name=f"Import {index}", notes="y" * 1000)
                )
        result["big_write"] = "saved"
    except DiskFull as exc:
        result["big_write"] = "DiskFull"
        result["message"] = str(exc)
    except Exception as exc:  # the test reports what came instead
        result["big_write"] = f"{type(exc).__name__}: {exc}"
    with db.read() as session:
        result["people_after"] = session.scalar(select(func.count()).select_from(Person))
    try:
        with db.write() as session:
            person = session.scalars(select(Person).limit(1)).one()
            person.function = "nach dem Fehler"
        result["small_write"] = "saved"
    except Exception as exc:
        result["small_write"] = f"{type(exc).__name__}: {exc}"
    db.close()
    print(json.dumps(result), flush=True)


def half_written(path: Path) -> None:
    """Change every person in one transaction with a tiny page cache, so that changed pages
    reach the database file before COMMIT, then wait to be killed: a hot journal remains."""
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA cache_size=2")
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE people SET notes = 'halb geschrieben ' || notes")
    print("ready", flush=True)
    sys.stdin.read()


def end_of_write(path: Path) -> None:
    """An ordinary write through ``Database.write()``, flushed and about to commit, then wait
    to be killed: SQLite has journalled the original page but not yet written the journal's
    header (it does that just before changing the database file), so the journal that remains
    has a zeroed header, a "cold" journal."""
    from sqlalchemy import select

    from app.db import Database
    from app.models import Person

    db = Database.open(path)
    with db.write() as session:
        person = session.scalars(select(Person).limit(1)).one()
        person.function = "nie gespeichert"
        session.flush()
        print("ready", flush=True)
        sys.stdin.read()  # killed here, inside the transaction


def main(argv: list[str]) -> None:
    command, path = argv[0], Path(argv[1])
    if command == "write-batches":
        write_batches(path, small_cache="--small-cache" in argv)
    elif command == "hold-lock":
        hold_lock(path)
    elif command == "try-lock":
        try_lock(path)
    elif command == "save-person":
        save_person(argv[1], int(argv[2]), int(argv[3]), argv[4])  # a file or a server URL
    elif command == "half-written":
        half_written(path)
    elif command == "end-of-write":
        end_of_write(path)
    elif command == "disk-full":
        disk_full(path, int(argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
