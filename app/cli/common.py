"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from app.db import Database


@contextmanager
def opened_database(args: argparse.Namespace) -> Iterator[Database]:
    """Open the existing database named by --db / TREFFPUNKT_DB / the default; never create."""
    database = Database.open(args.database_path)
    try:
        yield database
    finally:
        database.close()
