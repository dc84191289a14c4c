"""The plain psycopg connections of a server database (``app.db.server_connection``): opening
and the first page's listings without SQLAlchemy, connections kept for reuse and replaced when
the server dropped them, and the connection the window starts while Qt loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.db import Database
from app.db.location import DatabaseLocation, ServerAddress
from app.db.server_connection import connect, connect_early
from app.errors import DatabaseUnreachable
from tests.postgres import ThrowawayCluster, free_port

pytestmark = pytest.mark.server_only

ROOT = Path(__file__).resolve().parents[3]


def backend_pid(database: Database) -> int:
    with database.raw_read() as connection:
        return int(connection.execute("SELECT pg_backend_pid()").fetchone()[0])


def address_of(url: str) -> ServerAddress:
    address = DatabaseLocation.parse(url).server
    assert address is not None
    return address


def test_opening_and_listing_import_no_sqlalchemy(db: Database) -> None:
    script = (
        "import json, sys\n"
        "from app.db import Database\n"
        "database = Database.open(sys.argv[1])\n"
        "with database.raw_read() as connection:\n"
        "    people = connection.execute('SELECT count(*) FROM people').fetchone()[0]\n"
        "revision = database.schema_revision()\n"
        "print(json.dumps([people, revision, 'sqlalchemy' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db.location)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    people, revision, sqlalchemy_loaded = json.loads(done.stdout)
    assert people == 0
    assert revision == db.schema_revision() is not None
    assert sqlalchemy_loaded is False


def test_a_listing_connection_is_kept_for_the_next_listing(db: Database) -> None:
    assert backend_pid(db) == backend_pid(db)


def test_a_connection_the_server_dropped_is_replaced(
    db: Database, postgres_cluster: ThrowawayCluster
) -> None:
    dropped = backend_pid(db)
    postgres_cluster.execute(f"SELECT pg_terminate_backend({dropped})")
    replaced = backend_pid(db)  # no error: the kept connection was found dead and replaced
    assert replaced != dropped
    assert backend_pid(db) == replaced


def test_listings_read_one_snapshot_and_never_write(db: Database) -> None:
    with db.raw_read() as connection:
        row = connection.execute("SHOW transaction_read_only").fetchone()
        isolation = connection.execute("SHOW transaction_isolation").fetchone()
    assert (row[0], isolation[0]) == ("on", "repeatable read")


def test_the_early_connection_is_the_first_one_taken(db: Database) -> None:
    address = address_of(str(db.location))
    connect_early(address)
    first = connect(address)
    try:
        pid = first.execute("SELECT pg_backend_pid()").fetchone()
        assert pid is not None
    finally:
        first.close()
    second = connect(address)  # a new one: the early connection is taken once
    try:
        assert second.execute("SELECT pg_backend_pid()").fetchone() != pid
    finally:
        second.close()


def test_the_early_connections_error_reaches_whoever_takes_it() -> None:
    address = address_of(f"postgresql://treffpunkt@127.0.0.1:{free_port()}/netzwerk")
    connect_early(address)
    with pytest.raises(DatabaseUnreachable, match=r"127\.0\.0\.1"):
        connect(address)


def test_the_early_error_is_worded_in_the_language_the_window_chose_since() -> None:
    """The early connection starts before the window applies the user's language."""
    from app import i18n
    from app.db import server_connection

    address = address_of(f"postgresql://treffpunkt@127.0.0.1:{free_port()}/netzwerk")
    before = i18n.current_language()
    try:
        i18n.set_language("en")
        connect_early(address)
        server_connection._early[address.account].exception(timeout=30)  # failed, in English
        i18n.set_language("de")
        with pytest.raises(DatabaseUnreachable, match="nicht erreich"):
            connect(address)
    finally:
        i18n.set_language(before)
