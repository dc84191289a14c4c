"""Faults in team mode, each with one clear message (exit 1 on the command line, one line on
stderr) and nothing half-saved: the server unreachable, a wrong or missing password, a
database that is not Treffpunkt's, a newer schema, the connection dropped in the middle of a
transaction."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.db import Database
from app.errors import DatabaseConnectionLost, DatabaseTooNew
from app.models import Person
from tests.core.database_digest import digest
from tests.postgres import PASSWORD, PASSWORD_USER, ThrowawayCluster, free_port

cli_main = importlib.import_module("app.cli.main")

pytestmark = pytest.mark.server_only


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def dbname(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://treffpunkt@127.0.0.1:{free_port()}/netzwerk"  # nobody listens
    for argv in (
        ("check",),
        ("contacts", "list"),
        ("meetings", "create", "--title", "T", "--start", "2026-05-04T18:00"),
    ):
        code, out, err = cli(capsys, "--db", url, *argv)
        assert code == 1, argv
        assert out == ""
        assert "127.0.0.1" in one_line(err)
        assert "erreich" in err  # "nicht erreichbar" (the tests run in German)


def test_wrong_or_missing_password(
    db: Database,
    postgres_cluster: ThrowawayCluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = postgres_cluster.url(dbname(str(db.location)), user=PASSWORD_USER)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{postgres_cluster.port}:*:{PASSWORD_USER}:Geheim-XY-123\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    before = digest(str(db.location))
    code, out, err = cli(capsys, "--db", url, "contacts", "list")
    assert (code, out) == (1, "")
    line = one_line(err)
    assert PASSWORD_USER in line
    assert ".pgpass" in line
    assert "Geheim-XY-123" not in line  # the password is never shown
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "missing"))
    code, out, err = cli(capsys, "--db", url, "check")
    assert (code, out) == (1, "")
    assert PASSWORD_USER in one_line(err)
    # The right password from .pgpass logs in (what follows is the database's own rights).
    pgpass.write_text(f"127.0.0.1:{postgres_cluster.port}:*:{PASSWORD_USER}:{PASSWORD}\n")
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    code, out, err = cli(capsys, "--db", url, "check")
    assert "abgelehnt" not in err, err  # logged in
    assert digest(str(db.location)) == before


def test_a_database_of_another_program_is_left_alone(
    postgres_cluster: ThrowawayCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_cluster.new_database(migrated=False)
    try:
        postgres_cluster.execute(
            "CREATE TABLE kunden (id integer PRIMARY KEY, name text)",
            "INSERT INTO kunden VALUES (1, 'Anna')",
            dbname=dbname(url),
        )
        for argv in (("contacts", "list"), ("init",), ("demo",), ("check",)):
            code, _out, err = cli(capsys, "--db", url, *argv)
            assert code == 1, argv
            assert "kunden" in one_line(err) or "anderen Programms" in err
        assert public_tables(url) == ["kunden"]  # nothing created, nothing dropped
    finally:
        postgres_cluster.drop_database(url)


def public_tables(url: str) -> list[str]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            query = text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return list(connection.execute(query).scalars())
    finally:
        engine.dispose()


def test_a_newer_schema_is_refused_unchanged(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '29991231_01'"))
    url = str(db.location)
    before = digest(url)
    with pytest.raises(DatabaseTooNew):
        Database.open(url)
    for argv in (("contacts", "list"), ("meetings", "list")):
        code, out, err = cli(capsys, "--db", url, *argv)
        assert (code, out) == (1, "")
        assert "neuere" in one_line(err)  # "von einer neueren Version"
    assert digest(url) == before


def test_connection_dropped_mid_transaction_saves_nothing(
    db: Database, postgres_cluster: ThrowawayCluster
) -> None:
    with db.write() as session:
        session.add(Person(last_name="Vorher"))

    def save_while_the_connection_drops() -> None:
        with db.write() as session:
            session.add(Person(last_name="Halb"))
            session.flush()  # the row is on the server, inside the open transaction
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            postgres_cluster.execute(f"SELECT pg_terminate_backend({pid})")
            session.add(Person(last_name="Nachher"))

    with pytest.raises(DatabaseConnectionLost, match="nichts"):
        save_while_the_connection_drops()
    # Nothing of the broken transaction is there; the next save works on a new connection.
    with db.read() as session:
        names = set(session.scalars(select(Person.last_name)))
    assert names == {"Vorher"}
    with db.write() as session:
        session.add(Person(last_name="Wieder da"))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 2
