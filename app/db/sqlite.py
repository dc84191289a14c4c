"""The SQLite side of the database layer: one file on one computer (the default).

Journal mode: DELETE (rollback journal), not WAL. The database then always is the single file
the user sees: a file copied by hand or by the office's backup software holds every committed
change, and it works on network shares, where WAL's shared memory does not. Treffpunkt writes
little and rarely concurrently, so WAL's concurrency gains do not matter here.

Per connection: ``foreign_keys=ON``, ``busy_timeout``, ``synchronous=FULL``, ``secure_delete``
(erased people leave no trace in free pages). Every write is one ``BEGIN IMMEDIATE``
transaction (``Database.write()``), so a writer never fails half-way on a lock upgrade.
``SqliteBackend`` is what ``app.db.database.Database`` calls; the server counterpart is
``app.db.postgresql``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.db import migrate
from app.db.location import DatabaseLocation
from app.db.report import COUNTED_TABLES, DatabaseReport, SchemaStatus, schema_status
from app.errors import (
    BackupFailed,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseExists,
    DatabaseMissing,
    DatabaseNeedsRecovery,
    DatabaseReadOnly,
    DiskFull,
    NotADatabase,
    NotTreffpunktDatabase,
)
from app.i18n import _

if TYPE_CHECKING:  # SQLAlchemy loads on first use of the engine (fast start)
    import sqlalchemy.exc
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import ConnectionPoolEntry

# ``PRAGMA application_id`` of a Treffpunkt database ("TrPt"), set by the migration
# 20261206_02 (new and upgraded files). 0 is an SQLite file of no particular program, e.g. a
# Treffpunkt database from before that revision; any other value belongs to another program.
SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x54725074
_APPLICATION_ID_OFFSET = 68  # in the 100-byte database header, big-endian
BUSY_TIMEOUT_MS = 5000
_COPY_ATTEMPTS = 5  # VACUUM INTO again when a writer committed during the copy
_BEGIN_OPTION = "treffpunkt_begin"


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


CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA trusted_schema=OFF",
)


def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in CONNECTION_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection: object) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")  # type: ignore[attr-defined]
    connection.exec_driver_sql(f"BEGIN {mode}")  # type: ignore[attr-defined]


def _make_engine(path: Path, mode: str) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

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
        # A hot journal seen through a read-only connection.
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

    After a process was killed in the middle of a big write, the database file holds
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


def inspect_sqlite(path: Path, *, full_integrity_check: bool = True) -> DatabaseReport:
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
            status = schema_status(revision)
            counts: dict[str, int] = {}
            if status is not SchemaStatus.TOO_NEW:
                for table in COUNTED_TABLES:
                    counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[
                        0
                    ]
        except sqlite3.DatabaseError as exc:
            raise _classify_sqlite_error(path, exc) from exc
    finally:
        connection.close()
    return DatabaseReport(
        DatabaseLocation.file(path),
        revision,
        head,
        status,
        integrity,
        counts,
        engine=f"SQLite {sqlite3.sqlite_version}",
    )


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


class SqliteBackend:
    """What ``Database`` needs from SQLite: see ``app.db.database.Backend``."""

    name = "sqlite"
    # One writer at a time per file, announced by a lock file (``app.db.lock``) that names
    # who has it open; a second window opens the file read-only.
    uses_lock_file = True

    def __init__(self, location: DatabaseLocation) -> None:
        self.location = location
        self.path = location.file_path

    def make_engine(self, *, read_only: bool) -> Engine:
        return _make_engine(self.path, "ro" if read_only else "rw")

    def read_options(self) -> dict[str, object]:
        return {}  # a deferred transaction: one consistent snapshot until it ends

    def write_options(self) -> dict[str, object]:
        return {_BEGIN_OPTION: "IMMEDIATE"}

    def begin_write(self, session: Session) -> None:
        """Nothing more: ``BEGIN IMMEDIATE`` already made this the only writer."""

    def prepare_open(self) -> None:
        roll_back_hot_journal(self.path)

    # -- plain DB-API connections for the fast listings (``Database.raw_read``) --------------

    def raw_connect(self, *, read_only: bool) -> sqlite3.Connection:
        connection = _connect(self.path, "ro" if read_only else "rw")
        for pragma in CONNECTION_PRAGMAS:
            connection.execute(pragma)
        connection.execute("PRAGMA query_only=ON")
        return connection

    def raw_begin(self, connection: sqlite3.Connection) -> sqlite3.Connection:
        connection.execute("BEGIN")  # one snapshot for every query of the block
        return connection

    def raw_end(self, connection: sqlite3.Connection) -> None:
        connection.execute("ROLLBACK")

    def raw_usable(self, connection: sqlite3.Connection) -> bool:
        return True  # a file does not drop its connections

    def raw_error(self, exc: BaseException) -> Exception | None:
        if isinstance(exc, sqlite3.DatabaseError):
            return _classify_sqlite_error(self.path, exc)
        return None

    def inspect(self, *, full_integrity_check: bool) -> DatabaseReport:
        return inspect_sqlite(self.path, full_integrity_check=full_integrity_check)

    def check_writable(self) -> None:
        if not os.access(self.path, os.W_OK):
            raise DatabaseReadOnly(
                _("The database {path} is read-only. Open it read-only or copy it.").format(
                    path=self.path
                )
            )

    def exists(self) -> bool:
        return self.path.exists()

    def create_empty(self) -> None:
        create_private_file(self.path)

    def discard_created(self) -> None:
        self.path.unlink(missing_ok=True)

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        with engine.connect() as connection:
            migrate.upgrade_sqlite(connection, revision)

    @contextmanager
    def loading(self, engine: Engine, revision: str) -> Iterator[Connection]:
        """The schema at *revision*, then one transaction for a copy's rows (``app.db.copying``)
        with foreign keys checked once at the end (the rows come table by table)."""
        import sqlalchemy.exc
        from sqlalchemy import text

        with engine.connect() as connection:
            migrate.upgrade_sqlite(connection, revision)
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with connection.begin():
                    yield connection
                    problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                    if problems:
                        raise DatabaseDamaged(
                            _("The copy has broken references; it was not written.")
                        )
            except sqlalchemy.exc.OperationalError as exc:
                if isinstance(exc.orig, sqlite3.DatabaseError):
                    raise _classify_sqlite_error(self.path, exc.orig) from exc
                raise
            finally:
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

    def classify(self, exc: sqlalchemy.exc.DBAPIError, *, committing: bool) -> Exception | None:
        import sqlalchemy.exc

        if isinstance(exc, sqlalchemy.exc.OperationalError) and isinstance(
            exc.orig, sqlite3.DatabaseError
        ):
            return _classify_sqlite_error(self.path, exc.orig)
        return None

    def table_names(self, connection: Connection) -> list[str]:
        from sqlalchemy import text

        return list(
            connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ).scalars()
        )

    def vacuum(self, engine: Engine, tables: Sequence[str]) -> bool:
        """Rebuild the whole file (SQLite vacuums files, not tables) so that no deleted byte
        survives in it (``secure_delete`` zeroes freed pages anyway). False if busy."""
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        except sqlite3.DatabaseError:  # "database is locked" by a reader
            return False
        finally:
            raw.close()
        return True


# -- consistent copies (backups) ----------------------------------------------------------


def _table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in tables
    }


def open_read_only(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection that cannot write (mode=ro)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _create_private_empty(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)


def snapshot_to_file(source_path: Path, temporary: Path) -> dict[str, int]:
    """``VACUUM INTO`` *temporary* and return the source's row counts at the time of the copy.

    ``PRAGMA data_version`` changes when another connection commits; if it is the same before
    the copy and after counting, the counts describe exactly the copied snapshot. Otherwise the
    copy is simply made again.
    """
    source = open_read_only(source_path)
    try:
        source.execute("PRAGMA busy_timeout=5000")
        for _attempt in range(_COPY_ATTEMPTS):
            temporary.unlink(missing_ok=True)
            _create_private_empty(temporary)  # 0600 from the first byte; VACUUM INTO accepts it
            before = source.execute("PRAGMA data_version").fetchone()[0]
            source.execute("VACUUM INTO ?", (str(temporary),))
            counts = _table_counts(source)
            if source.execute("PRAGMA data_version").fetchone()[0] == before:
                return counts
        raise BackupFailed(
            _("The database changed during every backup attempt; try again in a moment.")
        )
    finally:
        source.close()


def check_snapshot(temporary: Path, expected: dict[str, int]) -> None:
    """The copy is a sound SQLite file with the row counts the source had at copy time."""
    check = open_read_only(temporary)
    try:
        integrity = "; ".join(str(r[0]) for r in check.execute("PRAGMA integrity_check"))
        counts = _table_counts(check)
    finally:
        check.close()
    if integrity != "ok":
        raise BackupFailed(
            _("The backup copy failed its check: {reason}").format(reason=integrity[:200])
        )
    if counts != expected:
        raise BackupFailed(_("The backup copy does not hold every row of the database."))
