"""A throwaway PostgreSQL cluster for the tests and benchmarks: ``initdb`` + ``pg_ctl`` in a
temporary folder, on a free port, for one test session; stopped and deleted at the end.

Debian's ``postgresql`` package provides the server binaries (``scripts/bootstrap.sh`` installs
it); they live in ``/usr/lib/postgresql/VERSION/bin``, not on PATH. ``initdb`` refuses to run
as root (CI runs as root), so then the cluster runs as the unprivileged ``postgres`` user the
package creates (``runuser``), in folders that user owns. ``fsync=off`` and friends: a cluster
that is deleted after the session needs no durability, and the tests run much faster.

Roles: ``treffpunkt`` (superuser, trusted on 127.0.0.1: the tests' own connections) and
``secretive`` (password ``richtig``, scram-sha-256: the wrong-password and .pgpass tests).
Every test database is ``CREATE DATABASE … TEMPLATE treffpunkt_template``: a copy of a database
migrated once per session, about 30 ms instead of a migration per test.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

SUPERUSER = "treffpunkt"
PASSWORD_USER = "secretive"
PASSWORD = "richtig"
TEMPLATE = "treffpunkt_template"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries, or the cluster would not start; the message says why."""


def server_bin_dir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` are: ``PG_BIN``, PATH, or Debian's versioned folder."""
    explicit = os.environ.get("PG_BIN")
    if explicit:
        return Path(explicit)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's "
            "'postgresql' package (scripts/bootstrap.sh does, as root) or set PG_BIN."
        )
    return candidates[-1].parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayCluster:
    """One PostgreSQL cluster in a temporary folder. ``start()``, ``url(db)``, ``stop()``."""

    def __init__(self) -> None:
        self.bin_dir = server_bin_dir()
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="treffpunkt-pg-"))
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.log = self.base / "server.log"
        self._admin: object | None = None

    # -- running the server binaries -----------------------------------------------------

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bin_dir / command[0]), *command[1:]]
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> None:
        self.sockets.mkdir()
        if self.as_postgres:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, but there is no 'postgres' user to run the cluster as "
                    "(Debian's postgresql package creates it)"
                ) from None
            for folder in (self.base, self.sockets):
                os.chown(folder, owner.pw_uid, owner.pw_gid)
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if done.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout}")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300 -c shared_buffers=32MB"
        )
        done = self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()} {log[-800:]}")
        self.execute(
            f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'",
            f"CREATE DATABASE {TEMPLATE}",
        )

    def stop(self) -> None:
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()  # type: ignore[attr-defined]
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    # -- databases ---------------------------------------------------------------------------

    def url(self, dbname: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def execute(self, *statements: str, dbname: str = "postgres") -> None:
        """Run statements outside a transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True
        ) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]

    def prepare_template(self) -> None:
        """Migrate the template database once; every test database is a copy of it."""
        from app.db import Database

        Database.create(self.url(TEMPLATE)).close()

    def new_database(self, *, migrated: bool = True) -> str:
        """A fresh database (a copy of the migrated template, or empty); its URL."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        template = TEMPLATE if migrated else "template0"
        for attempt in range(20):
            try:
                self.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
                break
            except Exception as exc:  # the template is in use by another session: retry
                if "is being accessed by other users" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.05)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def running_cluster() -> Iterator[ThrowawayCluster]:
    cluster = ThrowawayCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
