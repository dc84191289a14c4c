"""Consistent copies of a database: made with ``VACUUM INTO`` (never a file copy), checked,
then renamed into place, so a backup file is either complete or absent."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from app import paths
from app.errors import DatabaseDamaged
from app.i18n import _


def backup_dir_for(database_path: Path) -> Path:
    """Backups of each database in their own folder under the user data dir."""
    resolved = str(Path(database_path).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:10]
    return paths.user_data_dir() / "backups" / f"{Path(database_path).stem}-{digest}"


def write_backup(database_path: Path, target: Path) -> Path:
    """Write a checked copy of *database_path* to *target* (mode 0600) and return *target*."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".partial")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    temporary.unlink()  # VACUUM INTO needs a missing or empty file; keep the folder checked
    source = sqlite3.connect(f"{Path(database_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.execute("VACUUM INTO ?", (str(temporary),))
    finally:
        source.close()
    try:
        os.chmod(temporary, 0o600)
        check = sqlite3.connect(f"{temporary.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise DatabaseDamaged(_("The backup copy failed its check: {reason}").format(
                reason=result))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def backup_before_migration(database_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir_for(database_path) / f"before-upgrade-{stamp}.db"
    return write_backup(database_path, target)
