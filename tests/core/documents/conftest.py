"""Helpers for the document tests: meetings written through the models, PDF text read back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.db import Database
from tests.helpers.documents import (
    DEMO_TODAY,
)

# -- the demo network, once per test session (read only) ------------------------------------


@pytest.fixture(scope="session")
def demo_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo network (40 organisations, 85 people, 4 meetings). Tests only read it."""
    from app.services.demo import fill_demo

    database = Database.create(tmp_path_factory.mktemp("demo") / "demo.db")
    fill_demo(database, today=DEMO_TODAY)
    yield database
    database.close()
