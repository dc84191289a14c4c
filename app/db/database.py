"""Opening, creating and using a Treffpunkt database: the same code for both engines.

``Database`` is what every service gets: short sessions for reading (``read()``) and one
all-or-nothing transaction per user action (``write()``). What differs between an SQLite file
on one PC (``app.db.sqlite``, the default) and a network on a PostgreSQL server
(``app.db.postgresql``, team mode) lives in a *backend* with one small interface
(``Backend``): connecting, how a write transaction starts, checking and creating a database,
upgrading its schema, translating the driver's errors into the user's one-sentence errors,
compacting after an erasure. Services never ask which engine they run on.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import sqlalchemy.exc
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from app.db import notifications
from app.db.location import DatabaseLocation
from app.db.postgresql import PostgresBackend
from app.db.report import DatabaseReport, SchemaStatus
from app.db.sqlite import SqliteBackend
from app.errors import DatabaseReadOnly, DatabaseTooNew
from app.i18n import _

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


def backend_for(location: DatabaseLocation) -> Backend:
    if location.is_server:
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

    Thread-safe: each thread or task opens its own session with ``read()`` or ``write()``.
    """

    def __init__(self, location: DatabaseLocation | Path | str, *, read_only: bool = False) -> None:
        self.location = DatabaseLocation.parse(location)
        self.backend: Backend = backend_for(self.location)
        self.read_only = read_only
        self.engine = self.backend.make_engine(read_only=read_only)
        self._sessions = sessionmaker(
            bind=self.engine.execution_options(**self.backend.read_options()),
            expire_on_commit=False,
        )
        self._write_sessions = sessionmaker(
            bind=self.engine.execution_options(**self.backend.write_options()),
            expire_on_commit=False,
        )
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
        if self._announces:
            notifications.install(self._write_sessions)

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
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def table_names(self) -> list[str]:
        with self.engine.connect() as connection:
            return self.backend.table_names(connection)

    # -- sessions --------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session: one consistent snapshot, rolled back at the end."""
        with self._sessions() as session:
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
        committing = False
        with self._write_sessions() as session:
            session.info["user_name"] = self.user_name
            if self._announces:
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

    def close(self) -> None:
        self.engine.dispose()

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
