"""The window's log file: where the traceback of an unexpected error goes.

The user reads one short sentence (``ui.widgets.error_box.error_text``); the details are kept
here, in ``treffpunkt.log`` of the user log folder (``paths.user_log_dir``), for whoever helps
with the problem. Warnings and errors only, at most four files of 1 MB (rotated). A traceback
may quote personal data, so the files are private to the user (0600 where the OS has modes).
"""

from __future__ import annotations

import logging
import os
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.paths import user_log_dir

LOG_NAME = "treffpunkt.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _PrivateRotatingFileHandler(RotatingFileHandler):
    def _open(self) -> TextIOWrapper:
        path = Path(self.baseFilename)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        return super()._open()


def start_log_file(folder: Path | None = None) -> Path:
    """Send warnings and errors of every logger to the log file; returns its path."""
    folder = folder or user_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    return path
