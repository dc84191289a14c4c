"""Moving a network: ``copy-to`` SQLite file → PostgreSQL → SQLite file gives identical content
(row counts and a checksum per table, every table), and the source is never changed."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.db.copying import database_checks
from app.models import Person
from app.services.demo import fill_demo
from app.services.directory_editing import PersonInput, create_person
from tests.core.database_digest import digest
from tests.postgres import ThrowawayCluster

cli_main = importlib.import_module("app.cli.main")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_round_trip_sqlite_server_sqlite_is_identical(
    tmp_path: Path, postgres_cluster: ThrowawayCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "quelle.db"
    with Database.create(source) as database:
        fill_demo(database, today=date(2026, 11, 20))
        revision, before = database_checks(database)
    assert sum(check.rows for check in before.values()) > 500  # a real network, not nothing
    source_digest = digest(source)
    server = postgres_cluster.new_database(migrated=False)
    back = tmp_path / "zurueck.db"
    try:
        code, out, err = cli(capsys, "--db", str(source), "copy-to", server)
        assert (code, err) == (0, ""), err
        assert "Copied" in out or "kopiert" in out
        code, out, err = cli(capsys, "--db", server, "copy-to", str(back))
        assert (code, err) == (0, ""), err
        with Database.open(server, read_only=True) as database:
            assert database_checks(database) == (revision, before)
            # Sequences continue after the copied ids: a new row gets a fresh id.
            with database.read() as session:
                highest = session.scalar(select(func.max(Person.id)))
        with Database.open(server) as database:
            created = create_person(database, PersonInput(last_name="Neu")).id
            assert highest is not None
            assert created > highest
        # A second copy into the now filled server database is refused, nothing changed.
        code, _out, err = cli(capsys, "--db", str(source), "copy-to", server)
        assert code == 1
        assert len(err.strip().splitlines()) == 1
    finally:
        postgres_cluster.drop_database(server)
    with Database.open(back, read_only=True) as database:
        assert database_checks(database) == (revision, before)
    assert digest(source) == source_digest  # the source is not changed
    assert back.stat().st_mode & 0o077 == 0  # a new file with personal data is private
