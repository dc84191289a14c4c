"""Which database the window opens at start, and the worker functions that open or create one.

``plan_start`` runs on the GUI thread and only looks at paths. The ``*_task`` functions run on
a worker thread (``ui.tasks.TaskRunner``): opening may upgrade the schema, and the demo
network is written there too. They import ``app.db`` themselves, so SQLAlchemy and Alembic
(over half a second to import) load on the worker while the window already shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.preferences import Preferences

if TYPE_CHECKING:
    from app.db import Database
    from app.db.location import ServerAddress
    from app.db.lock import DatabaseLock, LockHolder

DEMO_FILE_NAME = "demo.db"
DATABASE_SUFFIX = ".db"


@dataclass(frozen=True)
class StartPlan:
    """What to open at start. ``demo``: the demo network, created when missing;
    ``server``: a server database's URL (team mode), instead of the file *path*."""

    path: Path
    demo: bool = False
    server: str | None = None


@dataclass(frozen=True)
class OpenedDatabase:
    """An open database and what the window shows about it (built on the worker)."""

    database: Database
    path: Path | None  # the SQLite file; None for a server database (``server``)
    demo: bool
    read_only: bool
    schema_revision: str | None
    # The lock this window holds (None read-only); released by ``close_opened``.
    lock: DatabaseLock | None = None
    # Team mode: the PostgreSQL database this window works on (no file, no lock).
    server: ServerAddress | None = None
    notice: str = ""  # something the status bar should say after opening

    @property
    def name(self) -> str:
        """For the window title: the file's name, or the server database's name."""
        if self.server is not None:
            return self.server.dbname
        return self.path.name if self.path is not None else ""

    @property
    def where(self) -> str:
        """For the status bar: the file's full path, or user@host:port/database."""
        if self.server is not None:
            return self.server.account
        return str(self.path) if self.path is not None else ""

    @property
    def taken_over_from(self) -> LockHolder | None:
        """The holder of a stale (or, by the user's choice, foreign) lock that was replaced."""
        return self.lock.taken_over_from if self.lock is not None else None


def close_opened(opened: OpenedDatabase, *, keep_lock: DatabaseLock | None = None) -> None:
    """Close the database and release its lock (unless it is *keep_lock*, handed on)."""
    opened.database.close()
    if opened.lock is not None and opened.lock is not keep_lock:
        opened.lock.release()


def demo_database_path() -> Path:
    return paths.user_data_dir() / DEMO_FILE_NAME


def plan_start(
    database_path: Path | str | None, *, explicit: bool, preferences: Preferences
) -> StartPlan:
    """``--db`` / ``TREFFPUNKT_DB`` are taken literally (even when missing: the window then
    offers to create it; a server URL connects); otherwise the last database (file or
    server), the default one, or the demo network.
    """
    if explicit and isinstance(database_path, str) and paths.is_server_url(database_path):
        return StartPlan(Path(), server=database_path)
    if explicit and database_path is not None:
        return StartPlan(Path(database_path))
    if preferences.start_with_server and preferences.last_server:
        return StartPlan(Path(), server=preferences.last_server)
    candidates = [
        Path(preferences.last_database) if preferences.last_database else None,
        Path(database_path) if database_path is not None else None,
        paths.default_database_path(),
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return StartPlan(candidate)
    return StartPlan(demo_database_path(), demo=True)


def with_database_suffix(path: Path) -> Path:
    """A name typed without extension gets ``.db``, so the file dialog finds it later."""
    return path if path.suffix else path.with_suffix(DATABASE_SUFFIX)


def _opened(database: Database, *, demo: bool, lock: DatabaseLock | None = None) -> OpenedDatabase:
    if lock is not None:
        # Every write first checks that the lock is still ours: taken over by someone who
        # believed this window gone, it refuses (``LockLost``) instead of writing beside them.
        database.write_check = lock.ensure_held
    server = database.location.server
    return OpenedDatabase(
        database=database,
        # the status bar shows where it really is
        path=None if server is not None else Path(database.path).absolute(),
        demo=demo,
        read_only=database.read_only,
        schema_revision=database.schema_revision(),
        lock=lock,
        server=server,
    )


def _acquire(path: Path, take_over: bool) -> DatabaseLock:
    from app.db.lock import DatabaseLock

    if take_over:
        return DatabaseLock.take_over(path)
    return DatabaseLock.acquire(path)  # a stale lock of a crashed process is replaced


def open_locked(
    path: Path, *, take_over: bool = False, lock: DatabaseLock | None = None, demo: bool = False
) -> OpenedDatabase:
    """Worker: take the database's lock (or use *lock*, already held), then open it.

    The file is checked first, so a missing path or a folder never gets a lock file beside
    it; the lock is taken before ``Database.open``, which may upgrade the schema (a write).
    ``DatabaseLocked`` says who has it open. A lock taken here is released again if opening
    fails.
    """
    from app.db import Database
    from app.db.sqlite import check_file_looks_like_sqlite
    from app.services import backup

    check_file_looks_like_sqlite(path)
    owned = lock is None
    held = _acquire(path, take_over) if lock is None else lock
    try:
        opened = Database.open(path, before_upgrade=backup.backup_before_migration)
        return _opened(opened, demo=demo, lock=held)
    except BaseException:
        if owned:
            held.release()
        raise


def open_task(
    path: Path,
    read_only: bool = False,
    take_over: bool = False,
    lock: DatabaseLock | None = None,
) -> OpenedDatabase:
    """Worker: open an existing database (upgrading an old schema after a backup).

    Read-write opens hold the database's lock (``open_locked``); read-only ones take none.
    *lock*: the lock this window already holds on *path* (opened again), handed on.
    """
    from app.db import Database

    if read_only:
        return _opened(Database.open(path, read_only=True), demo=False)
    return open_locked(path, take_over=take_over, lock=lock)


def server_task(url: str) -> OpenedDatabase:
    """Worker: open a database on a PostgreSQL server (team mode): no lock file, many
    windows write at once; ``DatabaseUnreachable``, ``DatabaseLoginFailed`` & co. say what
    went wrong. Rows this window changes record the user's name (``app.services.team``)."""
    from app.db import Database
    from app.services.team import apply_user_name

    database = Database.open(url)
    try:
        apply_user_name(database)
        return _opened(database, demo=False)
    except BaseException:
        database.close()
        raise


def connect_task(address: ServerAddress, password: str | None, save: bool) -> OpenedDatabase:
    """Worker: the connect dialog's "Connect": the typed password is used for this session
    (kept in memory only) and, once it proved right, saved in the keyring if asked."""
    import dataclasses

    from app.db.server_password import store_password, use_for_session
    from app.errors import DatabaseError

    use_for_session(address, password)  # None: an earlier typed one is forgotten
    opened = server_task(address.url())
    if save and password is not None:
        try:
            store_password(address, password)
        except DatabaseError as exc:  # connected all the same: say it, do not fail
            return dataclasses.replace(opened, notice=str(exc))
    return opened


def held_lock(opened: OpenedDatabase | None, path: Path) -> DatabaseLock | None:
    """The lock of *opened* if it is the database at *path*: opening it again reuses it
    (taking it anew would find this very window holding it)."""
    if opened is None or opened.lock is None or opened.path is None:
        return None
    try:
        same = opened.path.resolve() == Path(path).resolve()
    except OSError:
        same = False
    return opened.lock if same else None


def create_task(path: Path) -> OpenedDatabase:
    """Worker: create a new, empty database; refuses an existing file (``DatabaseExists``)."""
    from app.db import Database
    from app.db.lock import DatabaseLock

    database = Database.create(path)
    try:
        lock = DatabaseLock.acquire(path)
    except BaseException:
        database.close()
        raise
    return _opened(database, demo=False, lock=lock)


def demo_task(path: Path) -> OpenedDatabase:
    """Worker: open the demo network, creating and filling it first when it is missing.

    It is filled under a temporary name and renamed when complete, so a crash half-way never
    leaves a half-filled demo that would then be opened as is.
    """
    from app.db import Database

    if not path.exists():
        from app.services.demo import fill_demo

        partial = path.with_name(path.name + ".new")
        partial.unlink(missing_ok=True)
        database = Database.create(partial)
        try:
            fill_demo(database)
        finally:
            database.close()
        os.replace(partial, path)
    return open_locked(path, demo=True)
