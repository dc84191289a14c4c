"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from app.cli.access import Access
from app.db import Database
from app.services.backup import backup_before_migration
from app.services.team import apply_user_name


@contextmanager
def opened_database(args: argparse.Namespace) -> Iterator[Database]:
    """Open the existing database named by --db / TREFFPUNKT_DB / the default; never create.

    Writes go through the command's access (``app.cli.access``): a writing command checks
    before each transaction that its lock is still its own; a reading one may not write.
    """
    database = Database.open(args.location, before_upgrade=backup_before_migration)
    apply_user_name(database)
    lock = getattr(args, "lock", None)
    if lock is not None:
        database.write_check = lock.ensure_held
    elif getattr(args, "access", None) is Access.READ:
        command = getattr(args, "command_path", "?")

        def refuse() -> None:
            raise RuntimeError(
                f"'{command}' is classified as reading in app/cli/access.py, but it writes"
            )

        database.write_check = refuse
    try:
        yield database
    finally:
        database.close()
