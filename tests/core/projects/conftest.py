"""The demo network (with its projects) in a file of its own, built once per test."""

from __future__ import annotations

from datetime import date

import pytest

from app.db import Database
from app.services.demo import fill_demo

TODAY = date(2026, 12, 6)
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"


@pytest.fixture
def demo(db: Database) -> Database:
    fill_demo(db, today=TODAY)
    return db


@pytest.fixture
def demo_path(demo: Database, db_arg: str) -> str:
    """``--db`` of the demo network: the file path or the server URL."""
    return db_arg
