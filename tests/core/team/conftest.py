"""Team-mode core tests: a real PostgreSQL server (``tests.team_server``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import ThrowawayCluster
from tests.team_server import server_database, shared_cluster


@pytest.fixture
def cluster() -> ThrowawayCluster:
    return shared_cluster()


@pytest.fixture
def server_url(cluster: ThrowawayCluster) -> Iterator[str]:
    yield from server_database(cluster)
