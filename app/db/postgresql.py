"""The PostgreSQL side of the database layer: one network on a server, many users at once.

The counterpart of ``app.db.sqlite`` behind ``app.db.database.Database``:

- **Connecting**: psycopg 3 through SQLAlchemy (``postgresql+psycopg``); the schema check at
  opening and the window's fast listings use plain psycopg connections
  (``app.db.server_connection``), so SQLAlchemy loads only with the first ORM session or
  write, after the window shows its people. The password comes
  from the OS keyring (``app.db.server_password``) or, when none is stored there, libpq reads
  ``.pgpass`` / ``PGPASSFILE`` itself; ``sslmode``, ``sslrootcert`` … are passed through from
  the URL (``?sslmode=verify-full`` checks the certificate and the host name).
- **Writing**: every write transaction (``Database.write()``) runs at READ COMMITTED and takes
  the network's write lock first, a transaction-level advisory lock
  (``pg_advisory_xact_lock``): the server's counterpart of SQLite's ``BEGIN IMMEDIATE``.
  Writers from every client take turns, each sees everything committed before it, so every
  rule that spans rows (agenda positions, one minutes per meeting, the outbox's "claim
  before sending", unique invitations) holds exactly as on one PC, without serialisation
  failures to retry; readers never wait (MVCC). A writer waits at most ``LOCK_TIMEOUT`` for
  its turn, then gets ``DatabaseBusy``. Lost updates between clients (a form loaded before a
  colleague saved) are refused by the version checks of the services, as on SQLite.
- **Reading**: REPEATABLE READ, READ ONLY: one consistent snapshot per read session, like a
  deferred SQLite transaction.
- **No lock file, no read-only second window**: the server is made for many writers.
- **Faults**: psycopg's errors become the one-sentence errors of ``app.errors``
  (``classify``): unreachable, login refused, no such database, connection lost (with
  "nothing was saved" unless it broke during COMMIT), busy, disk full, no permission.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from app.db import migrate
from app.db.location import DatabaseLocation, ServerAddress
from app.db.report import DatabaseReport
from app.db.server_connection import (
    APPLICATION_NAME,
    CONNECT_TIMEOUT_SECONDS,
    ListingConnection,
    classify,
    connect,
    inspect_server,
    server_name,
)
from app.db.server_password import password_for
from app.errors import DatabaseEmpty, DatabaseExists, NotTreffpunktDatabase
from app.i18n import _

if TYPE_CHECKING:  # SQLAlchemy loads on first use of the engine (fast start, as on SQLite)
    import psycopg
    import sqlalchemy.exc
    from sqlalchemy import URL, Connection, Engine
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the network's write lock: "TrPtWrit" as a bigint.
WRITE_LOCK_KEY = int.from_bytes(b"TrPtWrit", "big")
LOCK_TIMEOUT = "20s"

__all__ = [
    "APPLICATION_NAME",
    "CONNECT_TIMEOUT_SECONDS",
    "LOCK_TIMEOUT",
    "WRITE_LOCK_KEY",
    "ListingConnection",
    "PostgresBackend",
    "classify",
    "make_server_engine",
]


def _url(address: ServerAddress) -> URL:
    from sqlalchemy import URL

    return URL.create(
        "postgresql+psycopg",
        username=address.user,
        host=address.host,
        port=address.port,
        database=address.dbname,
        query=dict(address.parameters),
    )


def make_server_engine(address: ServerAddress, **options: Any) -> Engine:
    """An engine for *address*; the password (typed this session, or the keyring's) is
    added at each connect."""
    from sqlalchemy import create_engine, event

    parameters = dict(address.parameters)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parameters:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    if "application_name" not in parameters:
        connect_args["application_name"] = APPLICATION_NAME
    if "poolclass" not in options:
        options = {"pool_size": 5, "max_overflow": 10, **options}
    engine = create_engine(
        _url(address),
        connect_args=connect_args,
        pool_pre_ping=True,  # a connection the server dropped is replaced, not used
        isolation_level="READ COMMITTED",
        **options,
    )

    @event.listens_for(engine, "do_connect")
    def _password(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        password = password_for(address)
        if password is not None:  # else libpq reads .pgpass / PGPASSFILE itself
            cparams["password"] = password

    return engine


def _table_names(connection: Connection) -> set[str]:
    from sqlalchemy import text

    return set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )


def _continue_sequences(connection: Connection) -> None:
    """After rows were inserted with their own ids: each serial sequence continues after the
    largest id, so the next row a user adds gets a free one."""
    from sqlalchemy import text

    serials = connection.execute(
        text(
            "SELECT table_name, column_name, "
            "pg_get_serial_sequence(quote_ident(table_name), column_name) "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL"
        )
    ).all()
    for table, column, sequence in serials:
        connection.execute(
            text(
                f'SELECT setval(:sequence, COALESCE((SELECT max("{column}") FROM "{table}"), 0)'
                " + 1, false)"
            ),
            {"sequence": sequence},
        )


def _take_write_lock(connection: Connection | Session) -> None:
    from sqlalchemy import text

    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


class PostgresBackend:
    """What ``Database`` needs from PostgreSQL: see ``app.db.database.Backend``."""

    name = "postgresql"
    uses_lock_file = False  # many writers: the write lock lives in the server

    def __init__(self, location: DatabaseLocation) -> None:
        assert location.server is not None
        self.location = location
        self.address = location.server

    def make_engine(self, *, read_only: bool) -> Engine:
        return make_server_engine(self.address)

    def read_options(self) -> dict[str, object]:
        return {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}

    def write_options(self) -> dict[str, object]:
        return {"isolation_level": "READ COMMITTED"}

    def begin_write(self, session: Session) -> None:
        _take_write_lock(session)

    def prepare_open(self) -> None:
        """Nothing: the server recovers from crashes itself."""

    # -- plain psycopg connections for the fast listings (``Database.raw_read``) ------------

    def raw_connect(self, *, read_only: bool) -> psycopg.Connection[Any]:
        """A connection of its own, outside the engine's pool: the first page lists its
        people before SQLAlchemy is imported. Read-only either way (``raw_begin``)."""
        return connect(self.address)

    def raw_begin(self, connection: Any) -> ListingConnection:
        return ListingConnection(connection)

    def raw_end(self, connection: Any) -> None:
        connection.rollback()

    def raw_usable(self, connection: Any) -> bool:
        """Whether a connection kept for reuse may still be lent: not closed, not broken."""
        return not (connection.closed or connection.broken)

    def raw_error(self, exc: BaseException) -> Exception | None:
        return classify(exc, self.address)

    def inspect(self, *, full_integrity_check: bool) -> DatabaseReport:
        return inspect_server(self.address)

    def check_writable(self) -> None:
        """Rights are the server's business; a refused write says so (``classify``)."""

    def exists(self) -> bool:
        """Whether the server database already holds a Treffpunkt network."""
        try:
            self.inspect(full_integrity_check=False)
        except DatabaseEmpty:
            return False
        return True

    def create_empty(self) -> None:
        """Check that the server database is there and holds no tables at all."""
        from app.db.server_connection import table_names

        with connect(self.address) as connection:
            try:
                tables = table_names(connection)
                connection.rollback()
            except Exception as exc:
                raise (classify(exc, self.address) or exc) from exc
        if {"alembic_version", "people"} <= tables:
            raise DatabaseExists(
                _(
                    "The database „{name}“ on the server {server} already holds a Treffpunkt "
                    "network; Treffpunkt does not overwrite it."
                ).format(name=self.address.dbname, server=server_name(self.address))
            )
        if tables:
            raise NotTreffpunktDatabase(
                _(
                    "The database „{name}“ on the server {server} holds tables of another "
                    "program ({tables}); Treffpunkt only sets up an empty database."
                ).format(
                    name=self.address.dbname,
                    server=server_name(self.address),
                    tables=", ".join(sorted(tables)[:5]),
                )
            )

    def discard_created(self) -> None:
        """Nothing: a failed upgrade was rolled back as a whole (transactional DDL)."""

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        import sqlalchemy.exc

        try:
            with engine.connect() as connection:
                migrate.upgrade_postgresql(connection, revision, before=_take_write_lock)
        except sqlalchemy.exc.DBAPIError as exc:
            raise (classify(exc, self.address) or exc) from exc

    @contextmanager
    def loading(self, engine: Engine, revision: str) -> Iterator[Connection]:
        """Schema and rows of a copy in ONE transaction (``app.db.copying``): a copy that fails
        half-way leaves the server database as empty as it was. The id sequences continue
        after the copied ids."""
        import sqlalchemy.exc
        from alembic import command

        try:
            with engine.connect() as connection, connection.begin():
                _take_write_lock(connection)
                if _table_names(connection):  # someone else filled it meanwhile
                    raise DatabaseExists(
                        _(
                            "The database „{name}“ on the server {server} is no longer empty."
                        ).format(name=self.address.dbname, server=server_name(self.address))
                    )
                command.upgrade(migrate.alembic_config(connection), revision)
                yield connection
                _continue_sequences(connection)
        except sqlalchemy.exc.DBAPIError as exc:
            raise (classify(exc, self.address) or exc) from exc

    def classify(self, exc: sqlalchemy.exc.DBAPIError, *, committing: bool) -> Exception | None:
        return classify(exc, self.address, committing=committing)

    def table_names(self, connection: Connection) -> list[str]:
        return sorted(_table_names(connection))

    def vacuum(self, engine: Engine, tables: Sequence[str]) -> bool:
        """``VACUUM (FULL)`` of *tables*: each is rewritten into new files, so deleted rows
        leave no bytes in the table's files (what the server's WAL, replicas and backups
        still hold is beyond a client's reach: README, "Team mode"). False if not allowed."""
        import sqlalchemy.exc
        from sqlalchemy import text

        if not tables:
            return True
        names = ", ".join(f'"{table}"' for table in tables)
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT}'"))
                connection.execute(text(f"VACUUM (FULL, ANALYZE) {names}"))
        except sqlalchemy.exc.DBAPIError as exc:
            log.warning("VACUUM FULL after an erasure was not possible: %s", exc.orig)
            return False
        return True
