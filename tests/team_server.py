"""One throwaway PostgreSQL cluster per test process for the team-mode tests (window and
core), started on first use and stopped when the process ends; plus what fault tests need:
ending a client's server connections, stopping the server and starting it again.

``tests.postgres.ThrowawayCluster`` does the work; this module only shares one cluster
between the ``tests/core/team`` and ``tests/gui/team`` folders (a session fixture defined in
two conftest files would start two).
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator

import pytest

from tests.postgres import PostgresUnavailable, ThrowawayCluster

_shared: list[ThrowawayCluster] = []
_failed: list[str] = []


def shared_cluster() -> ThrowawayCluster:
    """The process's cluster (migrated template ready); skips (fails in CI) without one."""
    if _failed:
        _unavailable(_failed[0])
    if not _shared:
        try:
            cluster = ThrowawayCluster()
            cluster.start()
        except (PostgresUnavailable, OSError) as exc:
            _failed.append(f"PostgreSQL could not be started for the team-mode tests: {exc}")
            _unavailable(_failed[0])
        atexit.register(cluster.stop)
        cluster.prepare_template()
        _shared.append(cluster)
    return _shared[0]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def server_database(cluster: ThrowawayCluster) -> Iterator[str]:
    """A fresh migrated server database for one test (its URL), dropped afterwards."""
    url = cluster.new_database()
    try:
        yield url
    finally:
        cluster.drop_database(url)


def terminate_clients(cluster: ThrowawayCluster, url: str, *, application: str = "") -> int:
    """End every server connection to *url*'s database (``pg_terminate_backend``), or only
    those whose application name starts with *application*; how many were ended."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="treffpunkt", dbname="postgres", autocommit=True
    ) as connection:
        ended = connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND application_name LIKE %s",
            (name, application + "%"),
        ).fetchone()
    return int(ended[0]) if ended else 0


def stop_server(cluster: ThrowawayCluster) -> None:
    """Stop the server (fast: connections are ended), keeping its data for ``start_server``."""
    done = cluster._run("pg_ctl", "-D", str(cluster.data), "-m", "fast", "-w", "stop")
    assert done.returncode == 0, done.stderr


def start_server(cluster: ThrowawayCluster) -> None:
    """Start a server stopped by ``stop_server`` again, on the same port."""
    options = (
        f"-p {cluster.port} -k {cluster.sockets} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=300 -c shared_buffers=32MB"
    )
    done = cluster._run(
        "pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-o", options, "-w", "start"
    )
    assert done.returncode == 0, done.stderr
