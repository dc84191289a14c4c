"""The command line on a server database: ``init`` an empty one (never an existing network),
``demo``, ``check`` (engine, connectivity, schema), ``backup`` (a portable Treffpunkt SQLite
file of the whole network) and ``restore FILE`` (into an empty server database only), each
checked by row counts and per-table checksums."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database, migrate
from app.db.copying import database_checks
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


@pytest.fixture
def empty_server(postgres_cluster: ThrowawayCluster) -> Iterator[str]:
    url = postgres_cluster.new_database(migrated=False)
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture
def second_empty_server(postgres_cluster: ThrowawayCluster) -> Iterator[str]:
    url = postgres_cluster.new_database(migrated=False)
    yield url
    postgres_cluster.drop_database(url)


def test_init_demo_check_backup_restore(
    empty_server: str,
    second_empty_server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _out, err = cli(capsys, "--db", empty_server, "demo")
    assert (code, err) == (0, "")
    code, _out, err = cli(capsys, "--db", empty_server, "init")  # never over a network
    assert code == 1
    assert "bereits" in err  # "enthält bereits ein Treffpunkt-Netzwerk"
    code, out, err = cli(capsys, "--db", empty_server, "check")
    assert (code, err) == (0, "")
    assert "PostgreSQL" in out or "postgresql" in out
    assert migrate.head_revision() in out

    with Database.open(empty_server, read_only=True) as database:
        before = database_checks(database)
    backup = tmp_path / "netzwerk.db"
    code, out, err = cli(capsys, "--db", empty_server, "backup", "-o", str(backup))
    assert (code, err) == (0, "")
    assert out.strip() == str(backup)
    # A portable snapshot: a Treffpunkt SQLite file with the whole network, private.
    with sqlite3.connect(backup) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert backup.stat().st_mode & 0o077 == 0
    with Database.open(backup, read_only=True) as database:
        assert database_checks(database) == before

    code, out, err = cli(capsys, "--db", second_empty_server, "restore", str(backup))
    assert (code, err) == (0, "")
    with Database.open(second_empty_server) as database:
        assert database_checks(database) == before
        create_person(database, PersonInput(last_name="Neu"))  # the ids go on after the copy
    # Restoring into a database that is no longer empty is refused, nothing changed.
    unchanged = digest(second_empty_server)
    code, out, err = cli(capsys, "--db", second_empty_server, "restore", str(backup))
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert digest(second_empty_server) == unchanged
