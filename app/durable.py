"""Files that survive a power cut: fsync the data, rename into place, fsync the folder.

``os.replace`` makes a new file appear atomically, but only for the running system: after a
power cut or an operating-system crash, ext4, APFS and others may come back with the old name
pointing at an empty file unless the data was synced before the rename, or without the rename
at all unless the folder was synced after it. Windows cannot open a folder for syncing; NTFS
journals the rename itself, so there it is skipped. A file held open by another program
(a virus scanner, the search indexer) makes ``os.replace`` fail on Windows for a moment: it is
tried again a few times before the error is passed on.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_REPLACE_ATTEMPTS = 5
_REPLACE_PAUSE = 0.02  # seconds; 5 × 20 ms at most, so a caller on the GUI thread hardly notices


def fsync_directory(directory: Path) -> None:
    """Make renames and new files in *directory* durable (a no-op on Windows)."""
    if sys.platform == "win32":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(temporary: Path, target: Path) -> None:
    """Rename the synced *temporary* onto *target* and sync the folder."""
    for attempt in range(_REPLACE_ATTEMPTS):
        try:
            os.replace(temporary, target)
            break
        except PermissionError:
            if sys.platform != "win32" or attempt == _REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(_REPLACE_PAUSE)
    fsync_directory(target.parent)


__all__ = ["fsync_directory", "replace_durably"]
