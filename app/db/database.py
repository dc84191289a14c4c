"""Opening and creating Treffpunkt databases.

Journal mode: DELETE (rollback journal), not WAL. The database then always is the single file
the user sees: a file copied by hand or by the office's backup software holds every committed
change, and it works on network shares, where WAL's shared memory does not. Treffpunkt writes
little and rarely concurrently, so WAL's concurrency gains do not matter here.

Per connection: ``foreign_keys=ON``, ``busy_timeout``, ``synchronous=FULL``, ``secure_delete``
(erased people leave no trace in free pages). Every write is one ``BEGIN IMMEDIATE``
transaction (``Database.write()``), so a writer never fails half-way on a lock upgrade.
"""

from __future__ import annotations

import enum
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from app.db import migrate
from app.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseExists,
    DatabaseMissing,
    DatabaseNeedsRecovery,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    NotADatabase,
    NotTreffpunktDatabase,
)
from app.i18n import _

SQLITE_MAGIC = b"SQLite format 3\x00"
# ``PRAGMA application_id`` of a Treffpunkt database ("TrPt"), set by the migration
# 20261206_02 (new and upgraded files). 0 is an SQLite file of no particular program, e.g. a
# Treffpunkt database from before that revision; any other value belongs to another program.
APPLICATION_ID = 0x54725074
_APPLICATION_ID_OFFSET = 68  # in the 100-byte database header, big-endian
BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "treffpunkt_begin"


class SchemaStatus(enum.Enum):
    CURRENT = "current"
    OUTDATED = "outdated"
    TOO_NEW = "too_new"


@dataclass(frozen=True)
class DatabaseReport:
    """What ``inspect_database`` found: used by ``treffpunkt check`` and before opening."""

    path: Path
    schema_revision: str
    head_revision: str
    status: SchemaStatus
    integrity: str
    row_counts: dict[str, int]


def _sqlite_uri(path: Path, mode: str) -> str:
    # as_uri() percent-encodes "?" and "#" and gives file:///C:/... on Windows.
    return f"{path.resolve().as_uri()}?mode={mode}"


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(
            _sqlite_uri(path, mode),
            uri=True,
            check_same_thread=False,
            isolation_level=None,  # we issue BEGIN ourselves (see _on_begin)
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlite3.OperationalError as exc:
        raise DatabaseMissing(
            _("The database {path} cannot be opened: {reason}").format(path=path, reason=exc)
        ) from exc
    return connection


def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
        "PRAGMA synchronous=FULL",
        "PRAGMA secure_delete=ON",
        "PRAGMA trusted_schema=OFF",
    ):
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection: object) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")  # type: ignore[attr-defined]
    connection.exec_driver_sql(f"BEGIN {mode}")  # type: ignore[attr-defined]


def _make_engine(path: Path, mode: str) -> Engine:
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: _connect(path, mode),
        pool_pre_ping=False,
        # A URL without a file name makes SQLAlchemy pick SingletonThreadPool (meant for
        # :memory:): one connection per thread, at most five, and the sixth thread closes the
        # oldest connection even while another thread uses it. Qt's worker threads then crash
        # on a closed or shared connection. A queue pool lends each session its own connection.
        poolclass=QueuePool,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def check_file_looks_like_sqlite(path: Path) -> None:
    """Refuse missing paths, folders and non-SQLite files before SQLite ever touches them."""
    if not path.exists():
        raise DatabaseMissing(_("There is no database at {path}.").format(path=path))
    if path.is_dir():
        raise NotADatabase(_("{path} is a folder, not a database file.").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except PermissionError as exc:
        raise DatabaseReadOnly(
            _("You have no permission to read {path}.").format(path=path)
        ) from exc
    if header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        raise NotADatabase(_("{path} is not a Treffpunkt database.").format(path=path))
    application = application_id_of(header)
    if application not in (0, APPLICATION_ID):
        raise NotTreffpunktDatabase(
            _(
                "{path} is the database of another program (SQLite application id {id}), "
                "not a Treffpunkt database."
            ).format(path=path, id=f"0x{application:08x}")
        )


def application_id_of(header: bytes) -> int:
    """The application id in a database header (the first 100 bytes of the file)."""
    raw = header[_APPLICATION_ID_OFFSET : _APPLICATION_ID_OFFSET + 4]
    return int.from_bytes(raw, "big") if len(raw) == 4 else 0


def _schema_revision(connection: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" not in tables or "people" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _classify_sqlite_error(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    message = str(exc).lower()
    if "readonly" in message and has_pending_journal(path):
        # Issue 7: a hot journal seen through a read-only connection.
        return DatabaseNeedsRecovery(
            _(
                "The database {path} holds an unfinished change from a program that was "
                "stopped; open it in Treffpunkt (with write access) to roll that change back."
            ).format(path=path)
        )
    if "disk is full" in message or "disk i/o" in message:
        return DiskFull(
            _("The disk is full or failing; nothing was saved. Free some space and try again.")
        )
    if "locked" in message or "busy" in message:
        return DatabaseBusy(
            _("The database {path} is busy; another program is writing to it.").format(path=path)
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return DatabaseDamaged(
            _("The database {path} is damaged ({reason}). Restore it from a backup.").format(
                path=path, reason=exc
            )
        )
    return DatabaseDamaged(
        _("The database {path} cannot be read: {reason}").format(path=path, reason=exc)
    )


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def has_pending_journal(path: Path) -> bool:
    """A *hot* rollback journal next to the database: changed pages of a writer that was
    stopped (or is writing them just now) that SQLite must roll back.

    SQLite writes a journal's header (magic number and page count) only after the original
    pages are synced into it, just before it changes the database file. A writer killed
    before that point (a kill -9 at the end of a write, before COMMIT) leaves a journal whose
    header is zeroed: the database file is unchanged, SQLite calls that journal "not hot",
    ignores it and the next write replaces it. Such a *cold* journal is no reason to refuse
    anything (it used to block ``restore`` right after a crash). SQLite's own test is the
    first byte of the journal; this is the same test. Whether another process is writing
    *now* is ``writer_active``'s question.
    """
    try:
        with journal_path(path).open("rb") as handle:
            first = handle.read(1)
    except OSError:
        return False
    return first not in (b"", b"\x00")


def writer_active(path: Path) -> bool:
    """Whether another connection is inside a write transaction on *path* right now.

    Asks SQLite itself: a write transaction holds the RESERVED lock, which a second
    ``BEGIN IMMEDIATE`` cannot get (no waiting: ``timeout=0``). A hot journal is rolled back on
    the way, as by every read-write connection. False for a missing file.
    """
    if not path.exists():
        return False
    try:
        connection = sqlite3.connect(_sqlite_uri(path, "rw"), uri=True, timeout=0)
    except sqlite3.OperationalError:
        return False
    try:
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:  # busy; or a damaged file, which nobody writes
        message = str(exc).lower()
        return "locked" in message or "busy" in message
    finally:
        connection.close()
    return False


def discard_cold_journal(path: Path) -> bool:
    """Remove a cold journal (see ``has_pending_journal``) left next to *path* by a killed
    writer; True if one was removed.

    Done while holding SQLite's RESERVED lock, so no writer can be creating a new journal at
    the same moment; a hot journal is rolled back by SQLite first and then gone anyway.
    """
    journal = journal_path(path)
    if not journal.exists() or has_pending_journal(path) or not path.exists():
        return False
    connection = sqlite3.connect(_sqlite_uri(path, "rw"), uri=True, timeout=0)
    try:
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")
        try:
            if journal.exists() and not has_pending_journal(path):
                journal.unlink()
                return True
            return False
        finally:
            connection.execute("ROLLBACK")
    except (sqlite3.DatabaseError, OSError):
        return False  # a writer is at work after all, or Windows keeps the file: leave it
    finally:
        connection.close()


def roll_back_hot_journal(path: Path) -> None:
    """Finish SQLite's own crash recovery before the read-only checks look at the file.

    Issue 7: after a process was killed in the middle of a big write, the database file holds
    half-written pages and the ``-journal`` their originals. Only a read-write connection may
    roll them back, so the read-only ``inspect_database`` failed with "attempt to write a
    readonly database" and the database could not be opened at all. The first read on a
    read-write connection rolls a hot journal back; if another process is still writing (the
    journal is not hot), it just reads. Does nothing without a journal, so healthy files stay
    byte-identical.
    """
    if not has_pending_journal(path):
        return
    check_file_looks_like_sqlite(path)
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return  # inspect_database reports it (DatabaseNeedsRecovery)
    connection = _connect(path, "rw")
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _classify_sqlite_error(path, exc) from exc
    finally:
        connection.close()


def inspect_database(path: Path, *, full_integrity_check: bool = True) -> DatabaseReport:
    """Read-only look at a database file; never modifies it (SQLite opened with mode=ro)."""
    check_file_looks_like_sqlite(path)
    connection = _connect(path, "ro")
    try:
        try:
            pragma = "integrity_check" if full_integrity_check else "quick_check"
            integrity_rows = connection.execute(f"PRAGMA {pragma}").fetchall()
            integrity = "; ".join(str(row[0]) for row in integrity_rows)
            if integrity != "ok":
                raise DatabaseDamaged(
                    _(
                        "The database {path} is damaged ({reason}). Restore it from a backup."
                    ).format(path=path, reason=integrity[:200])
                )
            revision = _schema_revision(connection)
            if revision is None:
                raise NotTreffpunktDatabase(
                    _("{path} is an SQLite file, but not a Treffpunkt database.").format(path=path)
                )
            head = migrate.head_revision()
            if revision == head:
                status = SchemaStatus.CURRENT
            elif revision in migrate.known_revisions():
                status = SchemaStatus.OUTDATED
            else:
                status = SchemaStatus.TOO_NEW
            counts: dict[str, int] = {}
            if status is not SchemaStatus.TOO_NEW:
                for table in ("organisations", "people", "meetings"):
                    counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[
                        0
                    ]
        except sqlite3.DatabaseError as exc:
            raise _classify_sqlite_error(path, exc) from exc
    finally:
        connection.close()
    return DatabaseReport(path, revision, head, status, integrity, counts)


def create_private_file(path: Path) -> None:
    """Create an empty file readable only by its owner before SQLite opens it.

    SQLite would create it 0644 under the usual umask; a file pre-created 0600 keeps its mode,
    and so does its journal. On Windows the mode is ignored; the user profile is private anyway.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError as exc:
        raise DatabaseExists(
            _("{path} already exists; Treffpunkt does not overwrite it.").format(path=path)
        ) from exc
    os.close(fd)


class Database:
    """An open Treffpunkt database: engine plus short sessions for reading and writing.

    Thread-safe: each thread or task opens its own session with ``read()`` or ``write()``.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.engine = _make_engine(path, "ro" if read_only else "rw")
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            bind=self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"}),
            expire_on_commit=False,
        )
        # Called before every write transaction; raises to refuse it. The window and writing
        # commands check that their lock is still theirs (``DatabaseLock.ensure_held``),
        # reading commands refuse every write (``app.cli.access``).
        self.write_check: Callable[[], None] | None = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        before_upgrade: Callable[[Path], object] | None = None,
    ) -> Database:
        """Open an existing database; never creates a file (a missing path raises
        ``DatabaseMissing``).

        An older schema is upgraded only when *before_upgrade* is given: it is called first
        and must secure the old state (``app.services.backup.backup_before_migration``, which
        the window and the command line pass). The database layer itself knows nothing about
        backup folders; without the hook an older schema is refused, never upgraded unsaved.
        """
        path = Path(path)
        roll_back_hot_journal(path)
        report = inspect_database(path, full_integrity_check=False)
        if report.status is SchemaStatus.TOO_NEW:
            raise DatabaseTooNew(
                _(
                    "{path} was written by a newer version of Treffpunkt. "
                    "Please update Treffpunkt to open it."
                ).format(path=path)
            )
        if not read_only and not os.access(path, os.W_OK):
            raise DatabaseReadOnly(
                _("The database {path} is read-only. Open it read-only or copy it.").format(
                    path=path
                )
            )
        database = cls(path, read_only=read_only)
        if report.status is SchemaStatus.OUTDATED:
            if read_only or before_upgrade is None:
                database.close()
                raise DatabaseReadOnly(
                    _("{path} needs an upgrade to this version of Treffpunkt first.").format(
                        path=path
                    )
                )
            try:
                before_upgrade(path)
                database.upgrade()
            except BaseException:
                database.close()
                raise
        return database

    @classmethod
    def create(cls, path: Path) -> Database:
        """Create a new, empty database at the newest schema. Refuses an existing file."""
        path = Path(path)
        create_private_file(path)
        database = cls(path)
        try:
            database.upgrade()
        except Exception:
            database.close()
            path.unlink(missing_ok=True)
            raise
        return database

    def upgrade(self) -> None:
        with self.engine.connect() as connection:
            migrate.upgrade_to_head(connection)

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    # -- sessions --------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session (deferred transaction, rolled back at the end)."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One all-or-nothing write: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        if self.read_only:
            raise DatabaseReadOnly(_("The database is open read-only; changes are not possible."))
        if self.write_check is not None:
            self.write_check()
        # Issue 7: the try encloses session.begin() so that errors raised by the COMMIT itself
        # are classified too; a real full disk fails at COMMIT, when the journal and the pages
        # are written (found on a 512 KB tmpfs), not in the flush.
        with self._write_sessions() as session:
            try:
                with session.begin():
                    yield session
                    session.flush()
            except sqlalchemy.exc.OperationalError as exc:
                if isinstance(exc.orig, sqlite3.DatabaseError):
                    raise _classify_sqlite_error(self.path, exc.orig) from exc
                raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
