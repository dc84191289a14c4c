"""The core tests run on both engines: every test that takes ``db`` runs once on an SQLite file
and once on a real PostgreSQL server (``[sqlite]`` / ``[postgresql]`` in its id).

The server is a throwaway cluster started for the session (``tests/postgres.py``); each test
gets its own database, a copy of a migrated template, dropped afterwards. If PostgreSQL cannot
be started the ``[postgresql]`` tests FAIL in CI (``CI=true``) with the reason, and are skipped
with a loud reason (repeated in the summary) elsewhere.

Tests that are inherently about the SQLite file (journal, lock file, permissions, application
id, cold journal …) are marked ``@pytest.mark.sqlite_only`` (or a whole module with
``pytestmark``): they run once, on SQLite; tests of team mode (many writers, erasure on the
server) are ``server_only``. ``db_arg`` is what such a test passes as ``--db``:
the file path, or the server URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database, DatabaseLocation
from tests.postgres import PostgresUnavailable, ThrowawayCluster

ENGINES = ("sqlite", "postgresql")
_UNAVAILABLE: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[ThrowawayCluster]:
    """One throwaway PostgreSQL cluster for the whole session, stopped at the end."""
    try:
        cluster = ThrowawayCluster()
        cluster.start()
    except (PostgresUnavailable, OSError) as exc:
        reason = f"PostgreSQL could not be started for the tests: {exc}"
        _UNAVAILABLE.append(reason)
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(f"{reason} (outside CI the [postgresql] tests are skipped)")
    try:
        cluster.prepare_template()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_location(
    engine: str, db_path: Path, request: pytest.FixtureRequest
) -> Iterator[DatabaseLocation]:
    """Where this test's (migrated, empty) database is: *db_path* or a new server database."""
    if engine == "sqlite":
        Database.create(db_path).close()
        yield DatabaseLocation.file(db_path)
        return
    cluster: ThrowawayCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.new_database()
    try:
        yield DatabaseLocation.parse(url)
    finally:
        cluster.drop_database(url)


@pytest.fixture
def db(db_location: DatabaseLocation) -> Iterator[Database]:
    database = Database.open(db_location)
    yield database
    database.close()


@pytest.fixture
def db_arg(db_location: DatabaseLocation) -> str:
    """``--db`` for the command line: the file path or the server URL."""
    return str(db_location)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself; runs on SQLite only"
    )
    config.addinivalue_line(
        "markers", "server_only: about team mode on a PostgreSQL server; runs there only"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run ``sqlite_only`` tests once, on SQLite: their [postgresql] variant is deselected;
    ``server_only`` tests the other way round."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("engine") if callspec is not None else None
        if (engine == "postgresql" and item.get_closest_marker("sqlite_only") is not None) or (
            engine == "sqlite" and item.get_closest_marker("server_only") is not None
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reason in dict.fromkeys(_UNAVAILABLE):
        terminalreporter.section("PostgreSQL", sep="!", red=True, bold=True)
        terminalreporter.line(f"{reason}: the [postgresql] tests did not run.", red=True)
