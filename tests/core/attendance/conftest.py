"""A small network and one past meeting with replies, for the attendance tests."""

from __future__ import annotations

import pytest

from app.db import Database
from tests.helpers.attendance import Setup, build


@pytest.fixture
def setup(db: Database) -> Setup:
    return build(db)
