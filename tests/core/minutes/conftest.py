"""A small network with three meetings for the minutes tests, written through the models.

Meetings (Berlin time): ``first`` 5 March 2025 17:00, ``second`` 4 June 2025 17:00, ``third``
10 September 2025 17:00, all held. Each has the TOPs "Begrüßung", "Offene Aufgaben aus dem
letzten Treffen" (lists the open action items) and "Verschiedenes".
"""

from __future__ import annotations

import pytest

from app.db import Database
from tests.helpers.minutes import (
    Net,
    build_net,
)


@pytest.fixture
def net(db: Database) -> Net:
    return build_net(db)
