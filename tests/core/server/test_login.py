"""Logging in to a server as psql does: a password typed this session at once; else first
without one (libpq's .pgpass, or the server's own rules), and the keyring's password only
when the server asks for one libpq did not have or refuses the one from .pgpass. Later
connections of the session (the engine's, the listener's) log in the way the first did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import func, select

from app.db import Database, server_password
from app.db.location import DatabaseLocation, ServerAddress
from app.errors import DatabaseLoginFailed
from app.models import Person
from tests.helpers.mail import MemoryKeyring
from tests.postgres import PASSWORD, PASSWORD_USER, ThrowawayCluster

pytestmark = pytest.mark.server_only


class CountingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.lookups += 1
        return super().get_password(service, username)


@pytest.fixture(autouse=True)
def new_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test is a program start: nothing typed, no login remembered."""
    monkeypatch.setattr(server_password, "_session_passwords", {})
    monkeypatch.setattr(server_password, "_logins", {})


@pytest.fixture
def store() -> Iterator[CountingKeyring]:
    previous = keyring.get_keyring()
    backend = CountingKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def url(db: Database, postgres_cluster: ThrowawayCluster) -> str:
    """The test's server database, for the user who needs a password (scram-sha-256)."""
    name = str(db.location).rsplit("/", 1)[1]
    postgres_cluster.execute(
        f"GRANT ALL ON SCHEMA public TO {PASSWORD_USER}",
        f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PASSWORD_USER}",
        f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PASSWORD_USER}",
        dbname=name,
    )
    return postgres_cluster.url(name, user=PASSWORD_USER)


def address_of(url: str) -> ServerAddress:
    address = DatabaseLocation.parse(url).server
    assert address is not None
    return address


def pgpass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cluster: ThrowawayCluster, password: str | None
) -> None:
    file = tmp_path / "pgpass"
    if password is not None:
        file.write_text(f"127.0.0.1:{cluster.port}:*:{PASSWORD_USER}:{password}\n")
        file.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(file))


def people_both_ways(url: str) -> tuple[int, int]:
    """People counted through a plain connection and through an ORM session (the engine)."""
    database = Database.open(url)
    try:
        with database.raw_read() as connection:
            plain = connection.execute("SELECT count(*) FROM people").fetchone()[0]
        with database.read() as session:
            orm = session.scalar(select(func.count(Person.id)))
        return int(plain), int(orm or 0)
    finally:
        database.close()


def test_pgpass_logs_in_without_asking_the_keyring(
    url: str,
    store: CountingKeyring,
    postgres_cluster: ThrowawayCluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pgpass(tmp_path, monkeypatch, postgres_cluster, PASSWORD)
    store.set_password(server_password.KEYRING_SERVICE, address_of(url).account, "veraltet")
    assert people_both_ways(url) == (0, 0)
    assert store.lookups == 0


def test_the_keyring_gives_its_password_when_the_server_asks(
    url: str,
    store: CountingKeyring,
    postgres_cluster: ThrowawayCluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pgpass(tmp_path, monkeypatch, postgres_cluster, None)  # no .pgpass at all
    with pytest.raises(DatabaseLoginFailed, match=PASSWORD_USER):
        Database.open(url)  # nothing anywhere: refused, one clear sentence
    store.set_password(server_password.KEYRING_SERVICE, address_of(url).account, PASSWORD)
    assert people_both_ways(url) == (0, 0)  # the engine's connections log in the same way
    assert store.lookups >= 2


def test_a_wrong_pgpass_password_is_followed_by_the_keyrings(
    url: str,
    store: CountingKeyring,
    postgres_cluster: ThrowawayCluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pgpass(tmp_path, monkeypatch, postgres_cluster, "Geheim-XY-123")
    store.set_password(server_password.KEYRING_SERVICE, address_of(url).account, PASSWORD)
    assert people_both_ways(url) == (0, 0)


def test_a_password_typed_this_session_is_used_at_once(
    url: str,
    store: CountingKeyring,
    postgres_cluster: ThrowawayCluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pgpass(tmp_path, monkeypatch, postgres_cluster, None)
    server_password.use_for_session(address_of(url), PASSWORD)
    assert people_both_ways(url) == (0, 0)
    assert store.lookups == 0
    server_password.use_for_session(address_of(url), "falsch")  # typed again, wrongly
    with pytest.raises(DatabaseLoginFailed):
        Database.open(url)
