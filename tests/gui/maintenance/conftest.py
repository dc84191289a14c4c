"""Fixtures for the maintenance window tests: backups, the lock, data protection."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import Database
from tests.helpers.window import fill_small_network


@pytest.fixture
def network_file(tmp_path: Path) -> Path:
    """The small network in a database file that no test code holds open."""
    path = tmp_path / "netz.db"
    database = Database.create(path)
    try:
        fill_small_network(database)
    finally:
        database.close()
    return path
