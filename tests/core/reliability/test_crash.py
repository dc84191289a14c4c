"""A process killed at any moment leaves the database consistent and every write
all-or-nothing: a writer is killed repeatedly (SIGKILL / TerminateProcess) at random phases."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.db import Database
from app.db.sqlite import journal_path
from app.models import Person, PersonEmail

from .conftest import Child

# About the SQLite file itself (journal, bytes on disk, lock file, file backups); the
# server's counterparts are in tests/core/server.
pytestmark = pytest.mark.sqlite_only

BATCH = 500
ROUNDS = 15
PHASES = ("begin", "half", "commit", "done", "update", "update-commit", "updated")


def check_consistent(path: Path) -> tuple[int, int]:
    """Open like the window does and check integrity and the all-or-nothing invariants.

    Returns (people, batches).
    """
    database = Database.open(path)
    try:
        with database.read() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            people = session.scalar(select(func.count()).select_from(Person)) or 0
            assert people % BATCH == 0, f"{people} people: a batch is half there"
            emails = session.scalar(select(func.count()).select_from(PersonEmail)) or 0
            assert emails == people, "every imported person has exactly one e-mail row"
            without_email = session.scalar(
                select(func.count()).select_from(Person).where(~Person.emails.any())
            )
            assert without_email == 0
            # Each batch is imported whole and updated whole: one size, one function value.
            for last_name, count, functions in session.execute(
                select(
                    Person.last_name, func.count(), func.count(Person.function.distinct())
                ).group_by(Person.last_name)
            ):
                assert count == BATCH, last_name
                assert functions == 1, f"{last_name} was updated only partly"
    finally:
        database.close()
    return people, people // BATCH


@pytest.mark.slow
def test_killed_writer_never_leaves_half_a_write(
    db: Database, db_path: Path, child: Callable[..., Child]
) -> None:
    db.close()
    rng = random.Random(20261125)
    batches_seen = 0
    hot_journals = 0
    for round_ in range(ROUNDS):
        # Half of the rounds with a tiny page cache: pages reach the file before COMMIT.
        args = ["write-batches", str(db_path)] + (["--small-cache"] if round_ % 2 else [])
        writer = child(*args)
        stop_after = rng.randrange(3)  # in the first, second or third batch of this run
        phase = rng.choice(PHASES)
        target = f"{phase} {batches_seen + stop_after}"
        lines = writer.wait_for(target)
        writer.kill()  # at once: mid-statement, mid-flush, mid-commit or between writes
        committed = [int(line.split()[1]) for line in lines if line.startswith("done ")]
        if journal_path(db_path).exists() and journal_path(db_path).stat().st_size > 0:
            hot_journals += 1
        _people, batches_seen = check_consistent(db_path)
        if committed:  # every import reported as committed survived the kill
            assert batches_seen >= max(committed) + 1
        writer.close()
    print(f"{ROUNDS} kills, {batches_seen} batches kept, {hot_journals} hot journals rolled back")
    assert batches_seen > 0
    assert hot_journals > 0, "no kill hit a transaction; the test would prove nothing"
