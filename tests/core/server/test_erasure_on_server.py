"""Art. 17 erasure on a server leaves no trace in the database's files: the rows are deleted or
scrubbed in one transaction, then ``VACUUM (FULL)`` rewrites the touched tables (and their
indexes and TOAST tables) into new files. The test reads the server's own relation files.

What it cannot reach, and the README says so ("Team mode"): the server's write-ahead log
(until the server recycles it), replicas, and the server's own backups.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import Database
from app.services import privacy
from app.text import fold
from tests.core.reliability.test_privacy import EMAIL, NAME, PHONE, build_network
from tests.postgres import ThrowawayCluster

cli_main = importlib.import_module("app.cli.main")

pytestmark = pytest.mark.server_only


def relation_files(db: Database, data_dir: Path) -> list[Path]:
    """The files of every table, index and TOAST table of the network (all segments and
    forks), after a CHECKPOINT has written every page out."""
    with db.read() as session:
        paths = session.execute(
            text(
                "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't') "
                "AND pg_relation_filepath(c.oid) IS NOT NULL"
            )
        ).scalars()
        files = []
        for relative in paths:
            base = data_dir / relative
            files += [p for p in base.parent.glob(base.name + "*") if p.is_file()]
    return files


def traces(files: list[Path]) -> list[str]:
    needles = {
        "surname": NAME[1],
        "first name": NAME[0],
        "surname folded": fold(NAME[1]),
        "e-mail": EMAIL,
        "phone": PHONE,
    }
    found = set()
    for path in files:
        data = path.read_bytes()
        for label, needle in needles.items():
            if needle.encode("utf-8") in data:
                found.add(label)
    return sorted(found)


def test_erasure_leaves_no_trace_in_the_servers_table_files(
    db: Database, postgres_cluster: ThrowawayCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    network = build_network(db)
    with db.write() as session:  # make the bare-surname mention a full one (as for SQLite)
        session.execute(text("UPDATE agenda_items SET notes = :notes"), {"notes": " ".join(NAME)})
    postgres_cluster.execute("CHECKPOINT")
    before = traces(relation_files(db, postgres_cluster.data))
    assert len(before) >= 4, before  # the test can fail: she is in the files before

    code = cli_main.main(["--db", str(db.location), "privacy", "erase", str(network.ayse)])
    out = capsys.readouterr().out
    assert code == 0
    assert NAME[1] not in out

    postgres_cluster.execute("CHECKPOINT")
    assert traces(relation_files(db, postgres_cluster.data)) == []
    # Jan, who was beside her, is still there.
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM people")).scalar_one() == 1


def test_erasure_without_rights_to_vacuum_says_so(db: Database) -> None:
    """``vacuum`` returns False (a warning in the log) when the tables cannot be rewritten
    now; the erasure itself is still complete in the data."""
    network = build_network(db)
    with db.engine.connect() as holder:
        holder.execute(text("LOCK TABLE people IN ACCESS SHARE MODE"))  # VACUUM FULL waits
        result = privacy.erase_person(db, network.ayse)
        holder.rollback()
    assert result.vacuumed is False
    with db.read() as session:
        names = session.execute(text("SELECT last_name FROM people")).scalars().all()
    assert NAME[1] not in names
