"""Team-mode core tests: the session's real PostgreSQL server (``tests/core/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import ThrowawayCluster
from tests.team_server import server_database


@pytest.fixture
def cluster(postgres_cluster: ThrowawayCluster) -> ThrowawayCluster:
    return postgres_cluster


@pytest.fixture
def server_url(cluster: ThrowawayCluster) -> Iterator[str]:
    yield from server_database(cluster)
