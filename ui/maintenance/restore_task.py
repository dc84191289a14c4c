"""Worker side of "Restore…": replace the database by a backup and open the result.

Runs on a worker thread (``ui.tasks``). The window has closed its ``Database`` on the path and
hands over the lock it holds (``backup.restore``'s contract); from a message page (a damaged
file) there is none, and the lock is taken here. If the restore fails, the untouched database
is opened again with the same lock and the failure is returned in ``Restored.error``, so the
window goes on as before and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db.lock import DatabaseLock
from app.errors import TreffpunktError
from app.services.backup import RestoreResult, restore
from ui.opening import OpenedDatabase, open_locked


@dataclass(frozen=True)
class Restored:
    opened: OpenedDatabase
    result: RestoreResult | None  # None when the restore failed (see ``error``)
    error: TreffpunktError | None = None


def restore_task(path: Path, backup_file: Path, lock: DatabaseLock | None) -> Restored:
    held = lock if lock is not None else DatabaseLock.acquire(path)
    result: RestoreResult | None = None
    error: TreffpunktError | None = None
    try:
        result = restore(path, backup_file)
    except TreffpunktError as exc:
        error = exc
    except BaseException:
        held.release()
        raise
    try:
        opened = open_locked(path, lock=held)
    except BaseException as exc:
        held.release()  # nobody has the database open now
        if error is not None:
            raise error from exc  # the reason the user asked about
        raise
    return Restored(opened, result, error)
