"""Backups: consistent, checked copies of a database, rotated, and restoring one of them.

Every copy is made with ``VACUUM INTO`` (never a file copy: FIELD-NOTES) into a temporary file
created 0600, checked (``integrity_check`` and the row count of every table equal to the
source's at the moment of the copy), synced and only then renamed into place, so a backup file
is either complete or absent.

Files live in ``backup_dir_for(database)`` and are named ``<kind>-<UTC time>Z.db``, e.g.
``auto-20261125-073000Z.db``; the name carries the kind and the time, nothing else is needed.

Rotation (``plan_rotation``), a grandfather-father-son scheme over all backups of a database:

* the newest backup of each of the 7 most recent days that have one (``KEEP_DAILY``),
  of each of the 4 most recent ISO weeks (``KEEP_WEEKLY``) and of each of the 12 most recent
  months (``KEEP_MONTHLY``) is kept; the newest backup stands for its day, week and month
  whatever its kind;
* backups the program made for a reason (before an upgrade, before a restore), manual ones
  and raw copies of a damaged database are in addition kept for ``KEEP_PROTECTED_DAYS`` days;
* the newest backup is always kept; files that do not follow the naming scheme are never
  touched; leftover ``.partial`` files of an interrupted backup are removed after a day.

Restore contract (``restore``): every ``Database`` on the target path must be closed
(``Database.close()``) and, in the window, the ``DatabaseLock`` held by the caller; the command
line takes the lock itself. The user's file is replaced in one ``os.replace`` by a fully
written, checked and synced file next to it, never rewritten in place.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import logging
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app import paths
from app.db import migrate
from app.db.database import Database, SchemaStatus, backend_for, inspect_database
from app.db.location import DatabaseLocation
from app.db.sqlite import (
    _classify_sqlite_error,
    check_snapshot,
    create_private_file,
    discard_cold_journal,
    has_pending_journal,
    open_read_only,
    roll_back_hot_journal,
    snapshot_to_file,
    writer_active,
)
from app.durable import fsync_directory
from app.errors import (
    BackupFailed,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseError,
    DatabaseMissing,
    DatabaseTooNew,
    DiskFull,
    ValidationError,
)
from app.i18n import _, ngettext

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
KEEP_PROTECTED_DAYS = 30
PARTIAL_MAX_AGE = timedelta(days=1)
_STAMP = "%Y%m%d-%H%M%S"


class BackupKind(enum.StrEnum):
    AUTO = "auto"  # on start and close of the window, at most daily
    MANUAL = "manual"  # "Datensicherung" or ``treffpunkt backup``
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_RESTORE = "before-restore"
    DAMAGED = "damaged"  # a raw copy of a damaged file, kept before restoring over it


PROTECTED_KINDS = frozenset(
    {BackupKind.MANUAL, BackupKind.BEFORE_UPGRADE, BackupKind.BEFORE_RESTORE, BackupKind.DAMAGED}
)
_NAME = re.compile(
    r"^(?P<kind>auto|manual|before-upgrade|before-restore|damaged)-"
    r"(?P<stamp>\d{8}-\d{6})Z(?:-(?P<serial>\d+))?\.db$"
)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created_at: datetime  # aware, UTC
    kind: BackupKind
    size: int
    # Rows of people, organisations and meetings; None unless asked for or unreadable.
    counts: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class RestoreResult:
    database_path: Path | DatabaseLocation
    restored_from: Path
    backup_created_at: datetime | None  # from the backup's name, if it has our scheme
    pre_restore_backup: Path | None  # the state before the restore; None if there was none
    damaged_copy: Path | None  # raw copy of the previous file when it could not be read
    upgraded_from: str | None  # the backup's schema revision if it was upgraded
    counts: dict[str, int] = field(default_factory=dict)
    reapplied_erasures: int = 0
    # False when the previous database was unreadable: erasures recorded only there are lost.
    erasure_log_merged: bool = True
    # Other backups of the same database whose erasure logs were read (``--new`` after the
    # file was lost, or over a damaged file: the newest backups know the latest erasures).
    backups_consulted: int = 0

    def erasure_note(self) -> str:
        """The visible line about erasures applied again ("" when there were none)."""
        if not self.reapplied_erasures:
            return ""
        text = ngettext(
            "{count} person erased after the backup was made was erased again.",
            "{count} people erased after the backup was made were erased again.",
            self.reapplied_erasures,
        ).format(count=self.reapplied_erasures)
        if self.backups_consulted:
            text += " " + ngettext(
                "The erasure log of {files} other backup of this database was taken into account.",
                "The erasure logs of {files} other backups of this database were taken into "
                "account.",
                self.backups_consulted,
            ).format(files=self.backups_consulted)
        return text

    def erasure_warning(self) -> str:
        """A warning when erasures may be missing ("" when the log was complete)."""
        if self.erasure_log_merged:
            return ""
        if self.backups_consulted:
            return _(
                "Warning: the erasure log of the previous database could not be read; the "
                "erasures known to its backups were applied again. Check that people erased "
                "after the newest backup are not back."
            )
        return _(
            "Warning: the erasure log of the previous database could not be read; "
            "check that people erased recently are not back."
        )


# -- where and what ----------------------------------------------------------------------------


Where = DatabaseLocation | Path | str


def backup_dir_for(database: Where) -> Path:
    """Backups of each database in their own folder under the user data dir: the file's name
    (or the server database's name) and a digest of its full path (or its address)."""
    location = DatabaseLocation.parse(database)
    return paths.user_data_dir() / "backups" / f"{location.stem}-{location.digest}"


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime given")
    return now.astimezone(UTC)


def parse_backup_name(path: Path) -> tuple[BackupKind, datetime] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    return BackupKind(match["kind"]), created


def backup_target(directory: Path, kind: BackupKind, now: datetime) -> Path:
    """A free name ``<kind>-<stamp>Z.db`` in *directory* (``-2``, ``-3`` … within one second)."""
    stem = f"{kind.value}-{_utc(now).strftime(_STAMP)}Z"
    candidate = directory / f"{stem}.db"
    serial = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{serial}.db"
        serial += 1
    return candidate


def summary_counts(path: Path) -> dict[str, int] | None:
    """People, organisations and meetings in a backup file, without changing it."""
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?immutable=1", uri=True)
        try:
            return {
                table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("people", "organisations", "meetings")
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None


def list_backups(database_path: Where, *, with_counts: bool = False) -> list[BackupInfo]:
    """The backups of *database_path* in its backup folder, newest first."""
    directory = backup_dir_for(database_path)
    if not directory.is_dir():
        return []
    result = []
    for path in directory.iterdir():
        parsed = parse_backup_name(path)
        if parsed is None or not path.is_file():
            continue
        kind, created = parsed
        result.append(
            BackupInfo(
                path=path,
                created_at=created,
                kind=kind,
                size=path.stat().st_size,
                counts=summary_counts(path) if with_counts else None,
            )
        )
    result.sort(key=lambda info: (info.created_at, info.path.name), reverse=True)
    return result


# -- writing -------------------------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _disk_full(target: Path) -> DiskFull:
    return DiskFull(
        _("The backup could not be written to {path}: the disk is full.").format(path=target)
    )


def write_backup(database: Where, target: Path) -> Path:
    """Write a checked copy of *database* to the SQLite file *target* (mode 0600); return it.

    An SQLite file is copied with ``VACUUM INTO``; a server database is copied table by table
    into a new Treffpunkt SQLite file (``app.db.copying``: the server's whole network, a
    portable snapshot anyone can open), checked by row counts and checksums. An existing
    *target* is replaced only by a complete, checked copy.
    """
    location = DatabaseLocation.parse(database)
    target = Path(target)
    if not location.is_server and not location.file_path.exists():
        raise DatabaseMissing(_("There is no database at {path}.").format(path=location))
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupFailed(
            _("The backup folder {path} cannot be created: {reason}").format(
                path=target.parent, reason=exc.strerror
            )
        ) from exc
    temporary = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        if location.is_server:
            temporary.unlink(missing_ok=True)
            create_private_file(temporary)
            from app.db.copying import copy_database  # SQLAlchemy: not before the first page

            copy_database(location, DatabaseLocation.file(temporary), target_prepared=True)
        else:
            database_path = location.file_path
            try:
                expected = snapshot_to_file(database_path, temporary)
            except sqlite3.DatabaseError as exc:
                if "full" in str(exc).lower():
                    raise _disk_full(target) from exc
                raise _classify_sqlite_error(database_path, exc) from exc
            check_snapshot(temporary, expected)
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o600)
        _fsync_file(temporary)
        os.replace(temporary, target)
        fsync_directory(target.parent)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _disk_full(target) from exc
        raise BackupFailed(
            _("The backup could not be written to {path}: {reason}").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    log.info("backup written: %s", target.name)
    return target


def make_backup(
    database_path: Where, kind: BackupKind, now: datetime | None = None, *, rotate: bool = True
) -> BackupInfo:
    """A new backup of *kind* in the database's backup folder, then rotation."""
    moment = _utc(now)
    directory = backup_dir_for(database_path)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = write_backup(database_path, backup_target(directory, kind, moment))
    info = BackupInfo(path, moment.replace(microsecond=0), kind, path.stat().st_size)
    if rotate:
        rotate_backups(database_path, moment)
    return info


def backup_before_migration(database_path: Where, now: datetime | None = None) -> Path:
    return make_backup(database_path, BackupKind.BEFORE_UPGRADE, now).path


def auto_backup(database_path: Where, now: datetime | None = None) -> BackupInfo | None:
    """The daily automatic backup, called by the window on start and on close.

    Does nothing (returns None) when a backup of any regular kind already exists from the
    same local calendar day, so opening and closing the window ten times a day writes one.
    """
    moment = _utc(now)
    today = moment.astimezone().date()
    for info in list_backups(database_path):
        if info.kind is not BackupKind.DAMAGED and info.created_at.astimezone().date() == today:
            return None
    return make_backup(database_path, BackupKind.AUTO, moment)


# -- rotation ------------------------------------------------------------------------------------


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date()


def plan_rotation(
    backups: Iterable[BackupInfo], now: datetime
) -> tuple[list[BackupInfo], list[BackupInfo]]:
    """Split *backups* into (keep, delete) by the scheme in the module docstring. Pure."""
    moment = _utc(now)
    ordered = sorted(backups, key=lambda b: (b.created_at, b.path.name), reverse=True)
    regular = [b for b in ordered if b.kind is not BackupKind.DAMAGED]
    keep: set[Path] = set()
    if ordered:
        keep.add(ordered[0].path)

    def keep_newest_per(bucket: Callable[[BackupInfo], object], limit: int) -> None:
        seen: list[object] = []
        for info in regular:
            key = bucket(info)
            if key in seen:
                continue
            if len(seen) == limit:
                break
            seen.append(key)
            keep.add(info.path)

    keep_newest_per(lambda b: _local_date(b.created_at), KEEP_DAILY)
    keep_newest_per(lambda b: _local_date(b.created_at).isocalendar()[:2], KEEP_WEEKLY)
    keep_newest_per(
        lambda b: (_local_date(b.created_at).year, _local_date(b.created_at).month), KEEP_MONTHLY
    )
    protected_since = moment - timedelta(days=KEEP_PROTECTED_DAYS)
    for info in ordered:
        if info.kind in PROTECTED_KINDS and info.created_at >= protected_since:
            keep.add(info.path)
        if info.created_at > moment:  # a clock that was set back: never delete the future
            keep.add(info.path)
    kept = [b for b in ordered if b.path in keep]
    deleted = [b for b in ordered if b.path not in keep]
    return kept, deleted


def rotate_backups(database_path: Where, now: datetime | None = None) -> list[Path]:
    """Delete the backups the rotation does not keep; return their paths."""
    moment = _utc(now)
    _kept, doomed = plan_rotation(list_backups(database_path), moment)
    removed = []
    for info in doomed:
        try:
            info.path.unlink()
        except OSError as exc:  # e.g. opened by a virus scanner; next time then
            log.warning("old backup %s not removed: %s", info.path.name, exc)
            continue
        removed.append(info.path)
    directory = backup_dir_for(database_path)
    if directory.is_dir():
        for partial in directory.glob("*.partial"):
            with contextlib.suppress(OSError):
                modified = datetime.fromtimestamp(partial.stat().st_mtime, UTC)
                if moment - modified > PARTIAL_MAX_AGE:
                    partial.unlink()
    return removed


# -- restoring -----------------------------------------------------------------------------------


def _read_erasure_log(path: Path) -> list[tuple[int, str]] | None:
    """(person id, erased at as stored) of a database; None if it cannot be read."""
    try:
        connection = open_read_only(path)
        try:
            return [
                (int(row[0]), str(row[1]))
                for row in connection.execute("SELECT person_id, erased_at FROM erasure_log")
            ]
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None


def _backup_folders(database_path: Where, backup_file: Path) -> list[Path]:
    """The backup folders of the database being restored: its own, and the folder of the
    chosen backup when that is one of Treffpunkt's backup folders (``restore --new`` after
    the database file was lost, perhaps to another path). Each holds the backups of one
    database only; files from any other folder are never read."""
    folders = [backup_dir_for(database_path)]
    root = (paths.user_data_dir() / "backups").resolve()
    chosen = backup_file.resolve().parent
    if chosen.parent == root and chosen not in [f.resolve() for f in folders]:
        folders.append(chosen)
    return [folder for folder in folders if folder.is_dir()]


def _erasures_known_to_backups(
    database_path: Where, backup_file: Path
) -> tuple[list[tuple[int, str]], int]:
    """Erasure log entries of every other backup of the database, and how many backups had
    any. A backup newer than the restored one may know erasures the restored one does not."""
    entries: list[tuple[int, str]] = []
    consulted = 0
    chosen = backup_file.resolve()
    for folder in _backup_folders(database_path, backup_file):
        for path in sorted(folder.iterdir()):
            if parse_backup_name(path) is None or not path.is_file() or path.resolve() == chosen:
                continue
            log_entries = _read_erasure_log(path)
            if log_entries:
                entries.extend(log_entries)
                consulted += 1
    return entries, consulted


def _raw_copy(source: Path, target: Path) -> Path:
    """Byte copy of a file SQLite cannot read, so restoring over it loses nothing."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return target


def _preserve_current(database_path: Path, moment: datetime) -> tuple[Path | None, Path | None]:
    """Back up the database about to be replaced: (checked backup, raw copy if unreadable)."""
    if not database_path.exists():
        return None, None
    try:
        roll_back_hot_journal(database_path)
        info = make_backup(database_path, BackupKind.BEFORE_RESTORE, moment, rotate=False)
        return info.path, None
    except (DiskFull, DatabaseBusy, BackupFailed):
        raise
    except DatabaseError:
        # Damaged, foreign or not SQLite at all: keep its exact bytes instead.
        directory = backup_dir_for(database_path)
        return None, _raw_copy(database_path, backup_target(directory, BackupKind.DAMAGED, moment))


def restore(
    database_path: Where,
    backup_file: Path,
    now: datetime | None = None,
    *,
    allow_missing: bool = False,
) -> RestoreResult:
    """Replace the database at *database_path* by the state in *backup_file*.

    1. The backup is checked: a complete SQLite file, a Treffpunkt database, not from a newer
       version (an older schema is upgraded in the copy).
    2. The current state is backed up first ("before-restore"; a raw copy if it is damaged).
    3. The backup is copied next to the database, upgraded, the erasure logs of the current
       database and of every other backup of it (``_backup_folders``) merged in and
       re-applied (people erased after the backup was made stay erased, also when the
       database file itself was lost or is damaged), checked, synced and then swapped in
       with ``os.replace``.

    Contract: no open ``Database`` on *database_path* (close it first); the caller holds the
    ``DatabaseLock`` if other Treffpunkt instances may use the file.

    A server database (team mode) is restored only when it is empty (a new database the
    administrator set up): colleagues may be working in a live one, and replacing their
    network under them is not a restore but a loss. See ``_restore_to_server``.
    """
    from app.services.privacy import merge_erasure_log, reapply_erasures  # late: cycle

    location = DatabaseLocation.parse(database_path)
    backup_file = Path(backup_file)
    moment = _utc(now)
    if location.is_server:
        return _restore_to_server(location, backup_file, moment)
    database_path = location.file_path
    if not database_path.exists() and not allow_missing:
        raise DatabaseMissing(_("There is no database at {path}.").format(path=database_path))
    if database_path.exists() and backup_file.resolve() == database_path.resolve():
        raise ValidationError(_("A database cannot be restored from itself."))
    report = inspect_database(backup_file, full_integrity_check=True)
    if report.status is SchemaStatus.TOO_NEW:
        raise DatabaseTooNew(
            _(
                "The backup {path} was written by a newer version of Treffpunkt. "
                "Please update Treffpunkt to restore it."
            ).format(path=backup_file)
        )
    current_log = _read_erasure_log(database_path) if database_path.exists() else []
    from_backups, consulted = _erasures_known_to_backups(database_path, backup_file)
    original_mode = stat.S_IMODE(database_path.stat().st_mode) if database_path.exists() else None
    pre_restore, damaged_copy = _preserve_current(database_path, moment)
    if current_log is None:
        current_log = _read_erasure_log(database_path)  # readable after a journal rollback?
    if has_pending_journal(database_path) or writer_active(database_path):
        raise DatabaseBusy(
            _("The database {path} is being written to; close Treffpunkt and try again.").format(
                path=database_path
            )
        )

    temporary = database_path.with_name(f".{database_path.name}.restore-{os.getpid()}.tmp")
    try:
        try:
            snapshot_to_file(backup_file, temporary)
        except sqlite3.DatabaseError as exc:
            if "full" in str(exc).lower():
                raise _disk_full(database_path) from exc
            raise _classify_sqlite_error(backup_file, exc) from exc
        database = Database(temporary)
        try:
            if report.status is SchemaStatus.OUTDATED:
                database.upgrade()
            known = [*(current_log or []), *from_backups]
            if known:
                merge_erasure_log(database, known)
            reapplied = reapply_erasures(database, now=moment)
        finally:
            database.close()
        check = open_read_only(temporary)
        try:
            integrity = "; ".join(str(r[0]) for r in check.execute("PRAGMA integrity_check"))
            problems = check.execute("PRAGMA foreign_key_check").fetchall()
            revision = check.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            counts = {
                table: check.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("people", "organisations", "meetings")
            }
        finally:
            check.close()
        if integrity != "ok" or problems or revision != migrate.head_revision():
            raise DatabaseDamaged(
                _("The restored copy failed its check; the database was left as it was.")
            )
        if original_mode is not None:  # a shared database keeps its permissions
            with contextlib.suppress(OSError):
                os.chmod(temporary, original_mode)
        _fsync_file(temporary)
        # A cold journal left by a killed writer belongs to the old file; it goes with it.
        discard_cold_journal(database_path)
        try:
            os.replace(temporary, database_path)
        except PermissionError as exc:
            raise DatabaseBusy(
                _("The database {path} is open in another program; close it and try again.").format(
                    path=database_path
                )
            ) from exc
        fsync_directory(database_path.parent)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _disk_full(database_path) from exc
        raise BackupFailed(
            _("The backup could not be restored: {reason}").format(reason=exc.strerror or exc)
        ) from exc
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    parsed = parse_backup_name(backup_file)
    log.info("database restored from %s (%d erasures re-applied)", backup_file.name, reapplied)
    return RestoreResult(
        database_path=database_path,
        restored_from=backup_file,
        backup_created_at=parsed[1] if parsed else None,
        pre_restore_backup=pre_restore,
        damaged_copy=damaged_copy,
        upgraded_from=report.schema_revision if report.status is SchemaStatus.OUTDATED else None,
        counts=counts,
        reapplied_erasures=reapplied,
        erasure_log_merged=current_log is not None,
        backups_consulted=consulted,
    )


def _restore_to_server(
    location: DatabaseLocation, backup_file: Path, moment: datetime
) -> RestoreResult:
    """Fill the EMPTY server database *location* with the network in *backup_file*.

    The backup is checked first (a complete Treffpunkt SQLite file, not newer than this
    version), copied with its own schema revision (``app.db.copying``: row counts and
    checksums of every table compared), then upgraded if it is older, and the erasures known
    to the other backups of this server database are applied again.
    """
    from app.services.privacy import merge_erasure_log, reapply_erasures  # late: cycle

    report = inspect_database(backup_file, full_integrity_check=True)
    if report.status is SchemaStatus.TOO_NEW:
        raise DatabaseTooNew(
            _(
                "The backup {path} was written by a newer version of Treffpunkt. "
                "Please update Treffpunkt to restore it."
            ).format(path=backup_file)
        )
    backend_for(location).create_empty()  # refuses a server database that holds anything
    from_backups, consulted = _erasures_known_to_backups(location, backup_file)
    from app.db.copying import copy_database  # SQLAlchemy: not before the first page

    copy_database(DatabaseLocation.file(backup_file), location, target_prepared=True)
    with Database(location) as database:
        if report.status is SchemaStatus.OUTDATED:
            database.upgrade()
        if from_backups:
            merge_erasure_log(database, from_backups)
        reapplied = reapply_erasures(database, now=moment)
        counts = inspect_database(location).row_counts
    parsed = parse_backup_name(backup_file)
    log.info("server database filled from %s (%d erasures re-applied)", backup_file.name, reapplied)
    return RestoreResult(
        database_path=location,
        restored_from=backup_file,
        backup_created_at=parsed[1] if parsed else None,
        pre_restore_backup=None,
        damaged_copy=None,
        upgraded_from=report.schema_revision if report.status is SchemaStatus.OUTDATED else None,
        counts=counts,
        reapplied_erasures=reapplied,
        erasure_log_merged=True,
        backups_consulted=consulted,
    )
