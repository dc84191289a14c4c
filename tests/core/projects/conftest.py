"""The demo network (with its projects) in a file of its own, built once per test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
def demo_path(demo: Database, db_path: Path) -> Path:
    return db_path
