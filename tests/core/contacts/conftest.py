"""Helpers for the contacts tests: the fixture files and a look at what the database holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.contacts import FILES


@pytest.fixture
def files() -> Path:
    return FILES
