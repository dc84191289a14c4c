"""One writer per database: a lock file next to it, like Qt's ``QLockFile``, in pure Python.

``<database>.lock`` is created with ``O_EXCL`` (atomic on local disks and on SMB/NFS shares)
and holds JSON ``{"app", "host", "pid", "user", "since", "token", "started"}``. A second
instance (this PC or another one on a shared folder) gets ``DatabaseLocked`` with the holder,
so it can say who has the database open and offer to open it read-only.

Stale locks: a lock written on *this* host by a process that no longer runs (or whose pid now
belongs to a younger process: ``started`` differs) is stale and taken over by ``acquire``.
A lock from another host cannot be checked from here: it is reported
(``LockHolder.state is HolderState.UNKNOWN``) and the user decides; ``take_over`` then
replaces it.

The lock is advisory: SQLite's own locking still keeps every single transaction safe; this
lock keeps two people from editing the same network side by side for hours.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import json
import os
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.errors import DatabaseError, DatabaseReadOnly
from app.i18n import _, format_datetime

LOCK_SUFFIX = ".lock"
APP = "Treffpunkt"
# A lock file that stays empty or unreadable this long was left by a crash while writing it.
UNREADABLE_GRACE_SECONDS = 30.0


class HolderState(enum.Enum):
    ALIVE = "alive"  # the process runs (or may run: same host, cannot tell otherwise)
    STALE = "stale"  # same host, the process is gone: safe to take over
    UNKNOWN = "unknown"  # another host: cannot check from here


@dataclass(frozen=True, slots=True)
class LockHolder:
    host: str
    pid: int
    user: str
    since: datetime | None
    state: HolderState
    token: str = ""
    started: str | None = None

    @property
    def same_host(self) -> bool:
        return self.host.casefold() == _hostname().casefold()


class DatabaseLocked(DatabaseError):
    """Another Treffpunkt has the database open; ``holder`` says who, where and since when."""

    def __init__(self, path: Path, holder: LockHolder) -> None:
        self.path = path
        self.holder = holder
        since = format_datetime(holder.since.astimezone()) if holder.since else "?"
        message = _(
            "The database {name} is open on {host} (process {pid}, user {user}) since {since}."
        ).format(
            name=path.name,
            host=holder.host or "?",
            pid=holder.pid,
            user=holder.user or "?",
            since=since,
        )
        if holder.state is HolderState.UNKNOWN:
            message += " " + _(
                "Treffpunkt cannot check from here whether it still runs there; if not, "
                "you may take the database over."
            )
        super().__init__(message)


class LockLost(DatabaseError):
    """The lock this program held was taken over (or removed) while it worked."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        self.path = path
        self.holder = holder
        if holder is not None and holder.pid:
            where = _("it is now open on {host} (process {pid}, user {user})").format(
                host=holder.host or "?", pid=holder.pid, user=holder.user or "?"
            )
        else:
            where = _("its lock file was removed")
        super().__init__(
            _(
                "Treffpunkt no longer holds the database {name}: {where}. Nothing was saved; "
                "close it and open it again."
            ).format(name=path.name, where=where)
        )


# -- processes -------------------------------------------------------------------------------


def _hostname() -> str:
    return socket.gethostname()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (services, odd containers)
        return ""


def pid_alive(pid: int) -> bool:
    """Whether a process with *pid* runs on this computer (Windows and POSIX)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only the existence and permission check
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    except OSError:
        return False
    return _linux_state(pid) != "Z"  # a zombie has ended; it only awaits its parent


def _linux_stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name in parentheses may itself hold spaces or parentheses.
    return raw[raw.rfind(")") + 2 :].split()


def _linux_state(pid: int) -> str | None:
    fields = _linux_stat_fields(pid)
    return fields[0] if fields else None


def process_start_marker(pid: int) -> str | None:
    """An opaque value that changes when a pid is reused; None where it cannot be told."""
    if sys.platform == "win32":
        return _windows_creation_time(pid)
    fields = _linux_stat_fields(pid)
    if fields and len(fields) > 19:
        return f"linux:{fields[19]}"  # field 22 of stat: start time in clock ticks after boot
    return None


def _windows_handle(pid: int) -> tuple[Any, Any, int]:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    process_query_limited_information = 0x1000
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    return kernel32, handle, ctypes.get_last_error()  # type: ignore[attr-defined]


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - runs on Windows only
    import ctypes
    from ctypes import wintypes

    kernel32, handle, error = _windows_handle(pid)
    if not handle:
        return error == 5  # ERROR_ACCESS_DENIED: it exists; 87 (invalid parameter): it does not
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _windows_creation_time(pid: int) -> str | None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    kernel32, handle, _error = _windows_handle(pid)
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        created = times[0]
        return f"win:{(created.dwHighDateTime << 32) | created.dwLowDateTime}"
    finally:
        kernel32.CloseHandle(handle)


# -- the lock file ------------------------------------------------------------------------------


def lock_path_for(database_path: Path) -> Path:
    database_path = Path(database_path)
    return database_path.with_name(database_path.name + LOCK_SUFFIX)


def _holder_from(data: dict[str, Any]) -> LockHolder:
    host = str(data.get("host", ""))
    pid = int(data.get("pid", 0))
    started = data.get("started")
    since: datetime | None
    try:
        since = datetime.fromisoformat(str(data["since"]))
    except (KeyError, ValueError):
        since = None
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    if host.casefold() != _hostname().casefold():
        state = HolderState.UNKNOWN
    elif not pid_alive(pid):
        state = HolderState.STALE
    elif started and process_start_marker(pid) not in (None, started):
        state = HolderState.STALE  # the pid now belongs to another, younger process
    else:
        state = HolderState.ALIVE
    return LockHolder(
        host, pid, str(data.get("user", "")), since, state, str(data.get("token", "")), started
    )


def read_holder(database_path: Path) -> LockHolder | None:
    """Who holds the lock of *database_path*, or None if nobody does."""
    path = lock_path_for(database_path)
    try:
        raw = path.read_bytes()
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        raw, age = b"", 0.0
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return _holder_from(data)
    except (ValueError, UnicodeDecodeError):
        # Empty or half-written: its writer crashed right away, or is writing it just now.
        state = HolderState.STALE if age > UNREADABLE_GRACE_SECONDS else HolderState.ALIVE
        return LockHolder("", 0, "", None, state, token=raw.hex()[:64])


class DatabaseLock:
    """The lock of one database, held by this process until ``release()``.

    Use ``DatabaseLock.acquire(path)``; as a context manager it releases on exit.
    """

    def __init__(self, database_path: Path, token: str, taken_over_from: LockHolder | None) -> None:
        self.database_path = Path(database_path)
        self.path = lock_path_for(database_path)
        self.token = token
        # Set when a stale or (by the user's choice) foreign lock was replaced.
        self.taken_over_from = taken_over_from
        self._released = False

    @classmethod
    def acquire(cls, database_path: Path, *, now: datetime | None = None) -> DatabaseLock:
        """Take the lock, replacing a stale one; raise ``DatabaseLocked`` if it is held."""
        database_path = Path(database_path)
        taken_over: LockHolder | None = None
        for _attempt in range(10):
            lock = cls._try_create(database_path, now, taken_over)
            if lock is not None:
                return lock
            holder = read_holder(database_path)
            if holder is None:
                continue  # released in the meantime
            if holder.state is not HolderState.STALE:
                raise DatabaseLocked(database_path, holder)
            if _remove_if_unchanged(lock_path_for(database_path), holder):
                taken_over = holder
        raise DatabaseLocked(
            database_path,
            read_holder(database_path) or LockHolder("", 0, "", None, HolderState.UNKNOWN),
        )

    @classmethod
    def take_over(cls, database_path: Path, *, now: datetime | None = None) -> DatabaseLock:
        """Replace whatever lock there is: only after the user confirmed that its holder has
        ended (e.g. the other PC crashed). A holder that still runs loses its lock silently;
        ``is_held()`` tells it."""
        database_path = Path(database_path)
        holder = read_holder(database_path)
        with contextlib.suppress(FileNotFoundError):
            lock_path_for(database_path).unlink()
        lock = cls._try_create(database_path, now, holder)
        if lock is None:  # someone else was quicker
            current = read_holder(database_path)
            raise DatabaseLocked(
                database_path, current or LockHolder("", 0, "", None, HolderState.UNKNOWN)
            )
        return lock

    @classmethod
    def _try_create(
        cls, database_path: Path, now: datetime | None, taken_over: LockHolder | None
    ) -> DatabaseLock | None:
        path = lock_path_for(database_path)
        try:
            fd = os.open(
                path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600
            )
        except FileExistsError:
            return None
        except PermissionError as exc:
            if path.exists():
                return None  # Windows: being deleted by its owner just now
            raise _read_only_folder(database_path) from exc
        except OSError as exc:  # read-only medium and the like
            raise _read_only_folder(database_path) from exc
        token = uuid.uuid4().hex
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        data = {
            "app": APP,
            "host": _hostname(),
            "pid": os.getpid(),
            "user": _user(),
            "since": moment.isoformat(timespec="seconds"),
            "token": token,
            "started": process_start_marker(os.getpid()),
        }
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(data).encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return cls(database_path, token, taken_over)

    def is_held(self) -> bool:
        """Whether the lock file is still ours (nobody took it over)."""
        return not self._released and _file_token(self.path) == self.token

    def ensure_held(self) -> None:
        """Raise ``LockLost`` unless the lock is still ours: called before every write, so a
        lock taken over by someone else (who confirmed this program had ended) is noticed
        before anything is written beside the new holder."""
        if not self.is_held():
            raise LockLost(self.database_path, read_holder(self.database_path))

    def release(self) -> None:
        """Remove the lock file if it is still ours. Safe to call twice."""
        if self._released:
            return
        if _file_token(self.path) == self.token:
            with contextlib.suppress(OSError):
                self.path.unlink()
        self._released = True

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _file_token(path: Path) -> str:
    """The token of a lock file; for an unreadable one a fingerprint of its bytes."""
    try:
        raw = path.read_bytes()
    except OSError:
        return ""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return raw.hex()[:64]
    return str(data.get("token", "")) if isinstance(data, dict) else raw.hex()[:64]


def _read_only_folder(database_path: Path) -> DatabaseReadOnly:
    return DatabaseReadOnly(
        _(
            "Treffpunkt cannot write in the folder of {path}; the database can only be "
            "opened read-only."
        ).format(path=database_path)
    )


def _remove_if_unchanged(path: Path, holder: LockHolder) -> bool:
    """Remove a stale lock file unless someone replaced it since it was judged stale.

    Renaming first makes the removal atomic: of two instances taking over at once, only one
    rename succeeds. If the renamed file turns out to be a fresh lock (another instance took
    over between our read and our rename), it is put back with ``os.link``, which never
    overwrites.
    """
    aside = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.stale")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return False
    except OSError:
        return False
    token = _file_token(aside)
    if token != holder.token:
        with contextlib.suppress(OSError):
            os.link(aside, path)
        with contextlib.suppress(OSError):
            aside.unlink()
        return False
    with contextlib.suppress(OSError):
        aside.unlink()
    return True
