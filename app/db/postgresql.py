"""The PostgreSQL side of the database layer: one network on a server, many users at once.

The counterpart of ``app.db.sqlite`` behind ``app.db.database.Database``:

- **Connecting**: psycopg 3 through SQLAlchemy (``postgresql+psycopg``). The password comes
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
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy.exc
from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session

from app.db import migrate
from app.db.location import DatabaseLocation, ServerAddress
from app.db.report import COUNTED_TABLES, DatabaseReport, SchemaStatus, schema_status
from app.db.server_password import KEYRING_SERVICE, password_for
from app.errors import (
    DatabaseBusy,
    DatabaseConnectionLost,
    DatabaseEmpty,
    DatabaseExists,
    DatabaseLoginFailed,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseUnreachable,
    DiskFull,
    NotTreffpunktDatabase,
)
from app.i18n import _

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the network's write lock: "TrPtWrit" as a bigint.
WRITE_LOCK_KEY = int.from_bytes(b"TrPtWrit", "big")
LOCK_TIMEOUT = "20s"
CONNECT_TIMEOUT_SECONDS = 10
APPLICATION_NAME = "Treffpunkt"

_CONNECTION_LOST_MARKERS = (
    "terminating connection",
    "server closed the connection",
    "connection is lost",
    "the connection is closed",
    "consuming input failed",
    "ssl connection has been closed",
    "connection reset",
    "broken pipe",
    "could not receive data",
    "could not send data",
    "eof detected",
)
_UNREACHABLE_MARKERS = (
    "connection failed",
    "could not connect",
    "connection refused",
    "failed to resolve host",
    "could not translate host name",
    "timeout expired",
    "no route to host",
    "network is unreachable",
)


def _server(address: ServerAddress) -> str:
    return f"{address.host}:{address.port}"


def classify(
    exc: BaseException, address: ServerAddress, *, committing: bool = False
) -> Exception | None:
    """The user's error for a psycopg error (also wrapped by SQLAlchemy), or None."""
    import psycopg

    original = getattr(exc, "orig", None) or exc
    if not isinstance(original, psycopg.Error):
        return None
    state = getattr(original, "sqlstate", None) or ""
    message = str(original)
    lowered = message.lower()
    server = _server(address)
    if (
        state in ("28P01", "28000")
        or "password authentication failed" in lowered
        or "no password supplied" in lowered
        or ("role " in lowered and "does not exist" in lowered)
    ):
        return DatabaseLoginFailed(
            _(
                "The server {server} refused the login of {user}: the password is wrong or "
                "missing. Store it in the system's keyring (service „{service}“, account "
                "„{account}“) or in the .pgpass file."
            ).format(
                server=server,
                user=address.user,
                service=KEYRING_SERVICE,
                account=address.account,
            )
        )
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return DatabaseMissing(
            _(
                "There is no database „{name}“ on the server {server}; ask its administrator "
                "to create it (an empty database owned by {user})."
            ).format(name=address.dbname, server=server, user=address.user)
        )
    if state.startswith("57P") or any(marker in lowered for marker in _CONNECTION_LOST_MARKERS):
        if committing:
            return DatabaseConnectionLost(
                _(
                    "The connection to the server {server} broke while the change was being "
                    "saved; it may or may not have been saved. Look at the data and try again."
                ).format(server=server)
            )
        return DatabaseConnectionLost(
            _(
                "The connection to the server {server} broke; nothing of the change was "
                "saved. Try again when the server is reachable."
            ).format(server=server)
        )
    if "ssl" in lowered or "certificate" in lowered:
        return DatabaseUnreachable(
            _("The secure connection (TLS) to the server {server} failed: {reason}").format(
                server=server, reason=_last_line(message)
            )
        )
    if any(marker in lowered for marker in _UNREACHABLE_MARKERS):
        return DatabaseUnreachable(
            _("The database server {server} cannot be reached: {reason}").format(
                server=server, reason=_last_line(message)
            )
        )
    if state in ("40001", "40P01", "55P03", "53300"):
        return DatabaseBusy(
            _(
                "The server {server} is busy with other users' changes; nothing was saved. "
                "Try again in a moment."
            ).format(server=server)
        )
    if state == "53100":
        return DiskFull(
            _("The server {server} has no disk space left; nothing was saved.").format(
                server=server
            )
        )
    if state in ("25006", "42501"):
        return DatabaseReadOnly(
            _("{user} may not change the database „{name}“ on the server {server}.").format(
                user=address.user, name=address.dbname, server=server
            )
        )
    return None


def _last_line(message: str) -> str:
    """psycopg's "connection failed: connection to server … failed: REASON" → REASON."""
    line = message.strip().splitlines()[0] if message.strip() else message
    return line.rsplit("failed: ", 1)[-1].strip() or line


def _url(address: ServerAddress) -> URL:
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
    return set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )


def inspect_server(address: ServerAddress, engine: Engine | None = None) -> DatabaseReport:
    """Connect, read the schema revision and the row counts; never changes anything."""
    own = engine is None
    engine = engine or make_server_engine(address, poolclass=_null_pool())
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar() or "?"
            tls = connection.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar()
            tables = _table_names(connection)
            if not tables:
                raise DatabaseEmpty(
                    _(
                        "The database „{name}“ on the server {server} holds no Treffpunkt "
                        "network yet; create one with “treffpunkt --db {url} init” (or demo)."
                    ).format(name=address.dbname, server=_server(address), url=address.url())
                )
            if "alembic_version" not in tables or "people" not in tables:
                raise NotTreffpunktDatabase(
                    _(
                        "The database „{name}“ on the server {server} holds tables of another "
                        "program, not a Treffpunkt network; Treffpunkt leaves it alone."
                    ).format(name=address.dbname, server=_server(address))
                )
            revision = str(
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            )
            status = schema_status(revision)
            counts: dict[str, int] = {}
            if status is not SchemaStatus.TOO_NEW:
                for table in COUNTED_TABLES:
                    counts[table] = int(
                        connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
                    )
    except sqlalchemy.exc.DBAPIError as exc:
        raise (classify(exc, address) or exc) from exc
    finally:
        if own:
            engine.dispose()
    engine_text = f"PostgreSQL {str(version).split()[0]}" + (" (TLS)" if tls else "")
    return DatabaseReport(
        DatabaseLocation(server=address),
        revision,
        migrate.head_revision(),
        status,
        "ok",
        counts,
        engine=engine_text,
        details={"server": _server(address), "tls": "yes" if tls else "no"},
    )


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


def _continue_sequences(connection: Connection) -> None:
    """After rows were inserted with their own ids: each serial sequence continues after the
    largest id, so the next row a user adds gets a free one."""
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
    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


_MARKER = re.compile(r"\?")
_INDEX_HINT = re.compile(r"(?<![\w)\]'])\+(?=[A-Za-z_])")  # SQLite's "+column": no index


class ListingConnection:
    """The plain connection of ``Database.raw_read()`` on a server: runs the listings' SQL,
    written for SQLite, on psycopg, in one read-only REPEATABLE READ transaction.

    The listings keep to SQL both engines share (``NOT archived``, ``CASE WHEN``); what this
    translates is only SQLite's notation: ``?`` parameters become ``%s`` (a literal ``%``
    doubled) and the ``+column`` index hint is dropped.
    """

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        self._connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        sql = _INDEX_HINT.sub("", sql)
        if parameters:
            sql = _MARKER.sub("%s", sql.replace("%", "%%"))
            return self._connection.execute(sql, tuple(parameters))
        return self._connection.execute(sql)


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
        engine = make_server_engine(self.address, poolclass=_null_pool())
        try:
            with engine.connect() as connection:
                tables = _table_names(connection)
        except sqlalchemy.exc.DBAPIError as exc:
            raise (classify(exc, self.address) or exc) from exc
        finally:
            engine.dispose()
        if {"alembic_version", "people"} <= tables:
            raise DatabaseExists(
                _(
                    "The database „{name}“ on the server {server} already holds a Treffpunkt "
                    "network; Treffpunkt does not overwrite it."
                ).format(name=self.address.dbname, server=_server(self.address))
            )
        if tables:
            raise NotTreffpunktDatabase(
                _(
                    "The database „{name}“ on the server {server} holds tables of another "
                    "program ({tables}); Treffpunkt only sets up an empty database."
                ).format(
                    name=self.address.dbname,
                    server=_server(self.address),
                    tables=", ".join(sorted(tables)[:5]),
                )
            )

    def discard_created(self) -> None:
        """Nothing: a failed upgrade was rolled back as a whole (transactional DDL)."""

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
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
        from alembic import command

        try:
            with engine.connect() as connection, connection.begin():
                _take_write_lock(connection)
                if _table_names(connection):  # someone else filled it meanwhile
                    raise DatabaseExists(
                        _(
                            "The database „{name}“ on the server {server} is no longer empty."
                        ).format(name=self.address.dbname, server=_server(self.address))
                    )
                command.upgrade(migrate.alembic_config(connection), revision)
                yield connection
                _continue_sequences(connection)
        except sqlalchemy.exc.DBAPIError as exc:
            raise (classify(exc, self.address) or exc) from exc

    def raw_error(self, exc: BaseException) -> Exception | None:
        return classify(exc, self.address)

    def classify(self, exc: sqlalchemy.exc.DBAPIError, *, committing: bool) -> Exception | None:
        return classify(exc, self.address, committing=committing)

    def table_names(self, connection: Connection) -> list[str]:
        return sorted(_table_names(connection))

    def vacuum(self, engine: Engine, tables: Sequence[str]) -> bool:
        """``VACUUM (FULL)`` of *tables*: each is rewritten into new files, so deleted rows
        leave no bytes in the table's files (what the server's WAL, replicas and backups
        still hold is beyond a client's reach: README, "Team mode"). False if not allowed."""
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
