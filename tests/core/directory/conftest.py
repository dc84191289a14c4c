"""A tiny directory for the editing tests (``tests.helpers.directory``)."""

from __future__ import annotations

import pytest

from app.db import Database
from tests.helpers.directory import Directory, make_directory


@pytest.fixture
def directory(db: Database) -> Directory:
    return make_directory(db)
