"""Plain psycopg connections to a server database, without SQLAlchemy.

Opening a network on a server needs only a look at its schema (``inspect_server``), and the
window's first page lists its people through ``Database.raw_read()``: both run on psycopg
alone, so the window shows the people before SQLAlchemy and the ORM are imported, as it does
on SQLite with ``sqlite3``. The engine (``app.db.postgresql``) is built on first use of an
ORM session or a write. Also here: psycopg's errors as the user's one-sentence errors
(``classify``), which both paths share.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from app.db.location import DatabaseLocation, ServerAddress
from app.db.report import COUNTED_TABLES, DatabaseReport, SchemaStatus, schema_status
from app.db.server_password import (
    KEYRING_SERVICE,
    keyring_password,
    login_known,
    note_login,
    password_for,
    session_password,
)
from app.errors import (
    DatabaseBusy,
    DatabaseConnectionLost,
    DatabaseEmpty,
    DatabaseLoginFailed,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseUnreachable,
    DiskFull,
    NotTreffpunktDatabase,
    TreffpunktError,
)
from app.i18n import _

if TYPE_CHECKING:
    import psycopg

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


def server_name(address: ServerAddress) -> str:
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
    server = server_name(address)
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


def connect_arguments(
    address: ServerAddress, password: str | None, *, application_name: str = APPLICATION_NAME
) -> dict[str, Any]:
    """psycopg keyword arguments for *address*; without *password* libpq reads ``.pgpass``
    / ``PGPASSFILE`` itself. What the URL's query says (``sslmode`` …) wins."""
    arguments: dict[str, Any] = {
        "host": address.host,
        "port": address.port,
        "user": address.user,
        "dbname": address.dbname,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": application_name,
        **dict(address.parameters),
    }
    if password is not None:
        arguments["password"] = password
    return arguments


def connect(address: ServerAddress) -> psycopg.Connection[Any]:
    """A new plain connection (password typed this session, or the keyring's); the user's
    error when the server cannot be reached or refuses the login. The first call takes the
    connection ``connect_early`` made, or its error."""
    with _early_lock:
        early = _early.pop(address.account, None)
    if early is None:
        return _connect_now(address)
    try:
        return early.result()
    except TreffpunktError as error:
        # Worded again now: the early thread ran before the window chose its language.
        cause = error.__cause__
        if cause is None:
            raise
        raise (classify(cause, address) or error) from cause


def connect_early(address: ServerAddress) -> None:
    """Start connecting to *address* on a thread of its own, for the first ``connect``.

    The window calls this before Qt loads when it will open a server database: the network
    round trips (TCP, TLS, login), the keyring and psycopg's import then overlap the
    window's start instead of following it.
    """
    future: Future[psycopg.Connection[Any]] = Future()
    with _early_lock:
        if address.account in _early:
            return
        _early[address.account] = future

    def work() -> None:
        try:
            future.set_result(_connect_now(address))
        except BaseException as exc:  # handed to whoever takes the connection
            future.set_exception(exc)

    threading.Thread(target=work, name="treffpunkt-connect", daemon=True).start()


def _connect_now(address: ServerAddress) -> psycopg.Connection[Any]:
    import psycopg

    # The session's first login goes as psql's: the keyring only if the server asks for it.
    password = password_for(address) if login_known(address) else session_password(address)
    try:
        connection = psycopg.connect(**connect_arguments(address, password))
    except psycopg.Error as exc:
        error = classify(exc, address) or exc
        if password is not None or not isinstance(error, DatabaseLoginFailed):
            raise error from exc
        stored = keyring_password(address)
        if stored is None:
            raise error from exc
        try:
            connection = psycopg.connect(**connect_arguments(address, stored))
        except psycopg.Error as retried:
            raise (classify(retried, address) or retried) from retried
        note_login(address, with_keyring=True)
        return connection
    if not login_known(address):
        note_login(address, with_keyring=False)
    return connection


_early: dict[str, Future[psycopg.Connection[Any]]] = {}
_early_lock = threading.Lock()


def table_names(connection: psycopg.Connection[Any]) -> set[str]:
    cursor = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    return {row[0] for row in cursor}


def inspect_server(address: ServerAddress) -> DatabaseReport:
    """Connect, read the schema revision and the row counts; never changes anything."""
    import psycopg

    with connect(address) as connection:
        try:
            connection.read_only = True
            version = connection.execute("SHOW server_version").fetchone()
            tls = connection.execute(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ).fetchone()
            tables = table_names(connection)
            if not tables:
                raise DatabaseEmpty(
                    _(
                        "The database „{name}“ on the server {server} holds no Treffpunkt "
                        "network yet; create one with “treffpunkt --db {url} init” (or demo)."
                    ).format(name=address.dbname, server=server_name(address), url=address.url())
                )
            if "alembic_version" not in tables or "people" not in tables:
                raise NotTreffpunktDatabase(
                    _(
                        "The database „{name}“ on the server {server} holds tables of another "
                        "program, not a Treffpunkt network; Treffpunkt leaves it alone."
                    ).format(name=address.dbname, server=server_name(address))
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else "None"
            status = schema_status(revision)
            counts: dict[str, int] = {}
            if status is not SchemaStatus.TOO_NEW:
                for table in COUNTED_TABLES:
                    counted = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
                    counts[table] = int(counted[0]) if counted else 0
            connection.rollback()
        except psycopg.Error as exc:
            raise (classify(exc, address) or exc) from exc
    from app.db import migrate

    server_version = str(version[0]) if version else "?"
    engine_text = f"PostgreSQL {server_version.split()[0]}" + (" (TLS)" if tls and tls[0] else "")
    return DatabaseReport(
        DatabaseLocation(server=address),
        revision,
        migrate.head_revision(),
        status,
        "ok",
        counts,
        engine=engine_text,
        details={"server": server_name(address), "tls": "yes" if tls and tls[0] else "no"},
    )


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
