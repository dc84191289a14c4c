"""Opening, creating and using a Treffpunkt database: the same code for both engines.

``Database`` is what every service gets: short sessions for reading (``read()``) and one
all-or-nothing transaction per user action (``write()``). What differs between an SQLite file
on one PC (``app.db.sqlite``, the default) and a network on a PostgreSQL server
(``app.db.postgresql``, team mode) lives in a *backend* with one small interface
(``Backend``): connecting, how a write transaction starts, checking and creating a database,
upgrading its schema, translating the driver's errors into the user's one-sentence errors,
compacting after an erasure. Services never ask which engine they run on.

Opening a current SQLite database imports no SQLAlchemy. The checks use ``sqlite3``
and the engine is built on first use of ``read()``/``write()``/``engine``; the window's first
page lists its people through ``raw_read()`` (plain DB-API connections) before the ORM has
loaded. A server database lends a plain psycopg connection there
(``app.db.server_connection``), so it too shows the people before SQLAlchemy loads.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.db.location import DatabaseLocation
from app.db.report import DatabaseReport, SchemaStatus
from app.db.sqlite import SqliteBackend
from app.errors import DatabaseReadOnly, DatabaseTooNew
from app.i18n import _

if TYPE_CHECKING:
    import sqlalchemy.exc
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

# The default author of changes (``changed_by``) when the settings name nobody: the
# operating system's login name.
USER_ENV_FALLBACK = "Treffpunkt"


class Backend(Protocol):
    """What ``Database`` needs from an engine (``SqliteBackend``, ``PostgresBackend``)."""

    name: str
    uses_lock_file: bool
    location: DatabaseLocation

    def make_engine(self, *, read_only: bool) -> Engine: ...
    def read_options(self) -> dict[str, object]: ...
    def write_options(self) -> dict[str, object]: ...
    def begin_write(self, session: Session) -> None: ...
    def prepare_open(self) -> None: ...
    def inspect(self, *, full_integrity_check: bool) -> DatabaseReport: ...
    def check_writable(self) -> None: ...
    def exists(self) -> bool: ...
    def create_empty(self) -> None: ...
    def discard_created(self) -> None: ...
    def upgrade(self, engine: Engine, revision: str = "head") -> None: ...
    def classify(self, exc: sqlalchemy.exc.DBAPIError, *, committing: bool) -> Exception | None: ...
    def table_names(self, connection: Connection) -> list[str]: ...
    def loading(self, engine: Engine, revision: str) -> AbstractContextManager[Connection]: ...
    def vacuum(self, engine: Engine, tables: Sequence[str]) -> bool: ...
    def raw_connect(self, *, read_only: bool) -> Any: ...
    def raw_begin(self, connection: Any) -> Any: ...
    def raw_end(self, connection: Any) -> None: ...
    def raw_usable(self, connection: Any) -> bool: ...
    def raw_error(self, exc: BaseException) -> Exception | None: ...


def backend_for(location: DatabaseLocation) -> Backend:
    if location.is_server:
        from app.db.postgresql import PostgresBackend  # psycopg and SQLAlchemy: a server only

        return PostgresBackend(location)
    return SqliteBackend(location)


def inspect_database(
    location: DatabaseLocation | Path | str, *, full_integrity_check: bool = True
) -> DatabaseReport:
    """Read-only look at a database (an SQLite file is opened with mode=ro; a server database
    only read); never modifies it. Raises the user's errors for missing, foreign, damaged or
    unreachable databases."""
    return backend_for(DatabaseLocation.parse(location)).inspect(
        full_integrity_check=full_integrity_check
    )


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers, services)
        return os.environ.get("USERNAME") or USER_ENV_FALLBACK


class Database:
    """An open Treffpunkt database: engine plus short sessions for reading and writing.

    Thread-safe: each thread or task opens its own session with ``read()`` or ``write()``, or
    borrows a plain connection with ``raw_read()``. The SQLAlchemy engine is built on first use.
    """

    def __init__(self, location: DatabaseLocation | Path | str, *, read_only: bool = False) -> None:
        self.location = DatabaseLocation.parse(location)
        self.backend: Backend = backend_for(self.location)
        self.read_only = read_only
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._write_sessions: sessionmaker[Session] | None = None
        self._engine_lock = threading.Lock()
        self._raw_idle: list[Any] = []
        self._raw_lock = threading.Lock()
        self._closed = False
        # Called before every write transaction; raises to refuse it. The window and writing
        # commands check that their lock is still theirs (``DatabaseLock.ensure_held``),
        # reading commands refuse every write (``app.cli.access``).
        self.write_check: Callable[[], None] | None = None
        # Who is recorded as ``changed_by`` on the rows this database's writes touch: the
        # login name, unless the settings name someone (``app.services.team``).
        self.user_name: str = os_user_name()
        # Team mode: each write on a server announces what it changed (``app.db.notifications``)
        # under this id, so the window that wrote it knows the notice is its own.
        self.client_id = uuid.uuid4().hex[:16]
        self._announces = self.is_server and not read_only

    # -- where -------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The SQLite file (a server database has none: ``TypeError``)."""
        return self.location.file_path

    @property
    def is_server(self) -> bool:
        return self.location.is_server

    @property
    def uses_lock_file(self) -> bool:
        """SQLite: one writer per file, announced by ``app.db.lock``; a server: many writers."""
        return self.backend.uses_lock_file

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        location: DatabaseLocation | Path | str,
        *,
        read_only: bool = False,
        before_upgrade: Callable[[DatabaseLocation], object] | None = None,
    ) -> Database:
        """Open an existing database; never creates one (``DatabaseMissing``; a server database
        without a network: ``DatabaseEmpty``).

        An older schema is upgraded only when *before_upgrade* is given: it is called first
        and must secure the old state (``app.services.backup.backup_before_migration``, which
        the window and the command line pass). The database layer itself knows nothing about
        backup folders; without the hook an older schema is refused, never upgraded unsaved.
        """
        location = DatabaseLocation.parse(location)
        backend = backend_for(location)
        backend.prepare_open()
        report = backend.inspect(full_integrity_check=False)
        if report.status is SchemaStatus.TOO_NEW:
            raise DatabaseTooNew(
                _(
                    "{path} was written by a newer version of Treffpunkt. "
                    "Please update Treffpunkt to open it."
                ).format(path=location)
            )
        if not read_only:
            backend.check_writable()
        database = cls(location, read_only=read_only)
        if report.status is SchemaStatus.OUTDATED:
            if read_only or before_upgrade is None:
                database.close()
                raise DatabaseReadOnly(
                    _("{path} needs an upgrade to this version of Treffpunkt first.").format(
                        path=location
                    )
                )
            try:
                before_upgrade(location)
                database.upgrade()
            except BaseException:
                database.close()
                raise
        return database

    @classmethod
    def create(cls, location: DatabaseLocation | Path | str) -> Database:
        """A new, empty database at the newest schema: a new private file, or the tables in
        an empty server database. Refuses an existing file or a server database that holds
        any table."""
        location = DatabaseLocation.parse(location)
        backend = backend_for(location)
        backend.create_empty()
        database = cls(location)
        try:
            database.upgrade()
        except BaseException:
            database.close()
            backend.discard_created()
            raise
        return database

    def upgrade(self, revision: str = "head") -> None:
        self.backend.upgrade(self.engine, revision)

    def schema_revision(self) -> str | None:
        tables = (
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            if self.is_server
            else "SELECT name FROM sqlite_master"
        )
        with self.raw_read() as connection:
            if "alembic_version" not in {row[0] for row in connection.execute(tables)}:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None

    # -- the engine (built on first use) ----------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine; importing SQLAlchemy and building it happens here, once."""
        engine = self._engine
        if engine is None:
            with self._engine_lock:
                if self._engine is None:
                    from sqlalchemy.orm import sessionmaker

                    engine = self.backend.make_engine(read_only=self.read_only)
                    self._sessions = sessionmaker(
                        bind=engine.execution_options(**self.backend.read_options()),
                        expire_on_commit=False,
                    )
                    self._write_sessions = sessionmaker(
                        bind=engine.execution_options(**self.backend.write_options()),
                        expire_on_commit=False,
                    )
                    if self._announces:
                        from app.db import notifications

                        notifications.install(self._write_sessions)
                    self._engine = engine
                engine = self._engine
        return engine

    def _session_factories(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        self.engine  # noqa: B018 - builds the factories with the engine
        assert self._sessions is not None
        assert self._write_sessions is not None
        return self._sessions, self._write_sessions

    def table_names(self) -> list[str]:
        with self.engine.connect() as connection:
            return self.backend.table_names(connection)

    # -- sessions --------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session: one consistent snapshot, rolled back at the end."""
        import sqlalchemy.exc

        sessions, _write = self._session_factories()
        with sessions() as session:
            try:
                yield session
            except sqlalchemy.exc.DBAPIError as exc:
                classified = self.backend.classify(exc, committing=False)
                if classified is None:
                    raise
                raise classified from exc
            finally:
                with contextlib.suppress(sqlalchemy.exc.DBAPIError):
                    session.rollback()  # a connection that is gone: the error above says so

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One all-or-nothing write, rolled back on any error.

        SQLite: ``BEGIN IMMEDIATE`` … ``COMMIT``; a server: the network's write lock first
        (``app.db.postgresql``). Driver errors become the user's errors (full disk, busy,
        connection lost: "nothing was saved", or "may have been saved" when the connection
        broke during the COMMIT itself).
        """
        if self.read_only:
            raise DatabaseReadOnly(_("The database is open read-only; changes are not possible."))
        if self.write_check is not None:
            self.write_check()
        # The try encloses session.begin() so that errors raised by the COMMIT itself are
        # classified too; a real full disk fails at COMMIT, when the journal and the pages
        # are written (found on a 512 KB tmpfs), not in the flush.
        import sqlalchemy.exc

        _read, write_sessions = self._session_factories()
        committing = False
        with write_sessions() as session:
            session.info["user_name"] = self.user_name
            if self._announces:
                from app.db import notifications

                notifications.start_collecting(session)
            try:
                with session.begin():
                    self.backend.begin_write(session)
                    yield session
                    session.flush()
                    if self._announces:  # delivered by the server at COMMIT, if it commits
                        notifications.announce(session, self.client_id, self.user_name)
                    committing = True
            except sqlalchemy.exc.DBAPIError as exc:
                classified = self.backend.classify(exc, committing=committing)
                if classified is None:
                    raise
                raise classified from exc

    # -- maintenance -------------------------------------------------------------------------

    def vacuum(self, tables: Sequence[str]) -> bool:
        """Leave no byte of deleted rows in the database's files (after an erasure): SQLite
        rebuilds the file, a server rewrites *tables*. False when it was not possible now."""
        return self.backend.vacuum(self.engine, tables)

    @contextmanager
    def raw_read(self) -> Iterator[Any]:
        """A plain DB-API connection inside one read-only transaction, for the fast listings
        of ``app.services.directory_listing`` (no ORM, no SQLAlchemy import).

        The connection is the caller's alone until the block ends; the transaction gives every
        query in the block the same snapshot and is rolled back at the end. The SQL is
        written for SQLite (``?`` parameters); on a server the connection translates it
        (``app.db.server_connection.ListingConnection``). Connections are kept for reuse; one
        the server dropped meanwhile is replaced before the block starts.
        """
        backend = self.backend
        raw, listing = self._begin_raw()
        healthy = False
        try:
            try:
                yield listing
            finally:
                backend.raw_end(raw)
            healthy = True
        except Exception as exc:
            classified = backend.raw_error(exc)
            if classified is None:
                raise
            raise classified from exc
        finally:
            with self._raw_lock:
                if healthy and not self._closed:
                    self._raw_idle.append(raw)
                    raw = None
            if raw is not None:
                with contextlib.suppress(Exception):  # a broken connection: nothing to keep
                    raw.close()

    def _begin_raw(self) -> tuple[Any, Any]:
        """A kept connection (or a new one) with its read transaction begun."""
        backend = self.backend
        while True:
            with self._raw_lock:
                raw = self._raw_idle.pop() if self._raw_idle else None
            kept = raw is not None
            try:
                if raw is None:
                    raw = backend.raw_connect(read_only=self.read_only)
                elif not backend.raw_usable(raw):
                    raw.close()
                    continue
                return raw, backend.raw_begin(raw)
            except Exception as exc:
                if raw is not None:
                    with contextlib.suppress(Exception):
                        raw.close()
                if kept:  # dropped while it was kept (a server restart): try the next one
                    continue
                classified = backend.raw_error(exc)
                if classified is None:
                    raise
                raise classified from exc

    def close(self) -> None:
        """Close every connection. Like a disposed engine, the object still works afterwards
        (new connections are opened), but no plain connection is kept for reuse."""
        with self._raw_lock:
            self._closed = True
            idle, self._raw_idle = self._raw_idle, []
        for connection in idle:
            connection.close()
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


__all__ = [
    "Backend",
    "Database",
    "DatabaseLocation",
    "DatabaseReport",
    "SchemaStatus",
    "backend_for",
    "inspect_database",
]
