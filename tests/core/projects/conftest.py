"""The demo network (with its projects) in a file of its own, built once per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import Database
from app.services.demo import fill_demo
from tests.helpers.projects import TODAY


@pytest.fixture
def demo(db: Database) -> Database:
    fill_demo(db, today=TODAY)
    return db


@pytest.fixture
def demo_path(demo: Database, db_path: Path) -> Path:
    return db_path
