"""Preview PDFs (the minutes before they are saved): private files that do not pile up.

A preview is full of names, and it is opened in the system's PDF viewer, which Treffpunkt
cannot watch. So each one lives in its own folder (0700) under ``previews_dir()`` in the user
data folder, not in the shared temporary folder, and goes again:

- when the next preview replaces it or the minutes are closed (``discard``),
- when Treffpunkt ends (``discard_all``: every preview of this process),
- at the next start, for any left over by a crash or held open by a viewer then
  (``remove_stale``: older than ``STALE_AFTER``; a preview of another running Treffpunkt is
  younger and stays). Previews of earlier versions in the system's temporary folder
  ("treffpunkt-…" folders holding only PDFs) are removed the same way.

Windows refuses to delete a file a viewer still has open: such a preview stays until one of
the later occasions succeeds; nothing here ever raises for that.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from app.paths import user_data_dir
from app.text import nfc

STALE_AFTER = timedelta(hours=1)
_PREFIX = "treffpunkt-"
_lock = threading.Lock()
_made: set[Path] = set()  # folders of this process's previews


def previews_dir() -> Path:
    return user_data_dir() / "previews"


def new_preview_path(name: str) -> Path:
    """A path for a new preview file called *name*, in a fresh private folder."""
    from app.addresses import safe_filename

    base = previews_dir()
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=base))  # 0700 by mkdtemp
    with _lock:
        _made.add(folder)
    return folder / safe_filename(nfc(name), "preview.pdf")


def _remove_folder(folder: Path) -> bool:
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        return True
    except OSError:  # open in a viewer (Windows); a later occasion removes it
        return False
    return True


def discard(path: Path | None) -> bool:
    """Remove one preview (its folder); True when it is gone."""
    if path is None:
        return True
    folder = Path(path).parent
    if folder.parent != previews_dir():
        return False  # not one of ours: never delete anything else
    gone = _remove_folder(folder)
    if gone:
        with _lock:
            _made.discard(folder)
    return gone


def discard_all() -> int:
    """Remove every preview this process made (at exit); returns how many went."""
    with _lock:
        folders = list(_made)
    removed = 0
    for folder in folders:
        if _remove_folder(folder):
            removed += 1
            with _lock:
                _made.discard(folder)
    return removed


def _old(path: Path, now: float, age: timedelta) -> bool:
    try:
        return now - path.stat().st_mtime > age.total_seconds()
    except OSError:
        return False


def _legacy_preview(folder: Path) -> bool:
    """A preview folder of an earlier version in the system temp folder: ours, only PDFs."""
    try:
        if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
            return False
        entries = list(folder.iterdir())
    except OSError:
        return False
    return bool(entries) and all(e.is_file() and e.suffix.lower() == ".pdf" for e in entries)


def remove_stale(age: timedelta = STALE_AFTER, *, now: float | None = None) -> int:
    """Remove previews older than *age* (at start); returns how many folders went."""
    moment = time.time() if now is None else now
    removed = 0
    candidates: list[Path] = []
    with contextlib.suppress(OSError):
        candidates += [p for p in previews_dir().iterdir() if p.is_dir()]
    with contextlib.suppress(OSError):
        candidates += [
            p
            for p in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*")
            if p.is_dir() and _legacy_preview(p)
        ]
    for folder in candidates:
        if _old(folder, moment, age) and _remove_folder(folder):
            removed += 1
    return removed


__all__ = [
    "STALE_AFTER",
    "discard",
    "discard_all",
    "new_preview_path",
    "previews_dir",
    "remove_stale",
]
