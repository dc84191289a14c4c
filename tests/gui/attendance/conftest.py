"""A past meeting of the small network with replies and an agenda, for the attendance window.

Invitees: Ayşe Yılmaz accepted, Jürgen Müller declined, Zoë Öztürk-Weiß tentative, Peter Adler
accepted, Анна Петрова sent (no answer). Not invited: the others. TOPs 1–3.
"""

from __future__ import annotations

import pytest

from app.db import Database
from tests.helpers.attendance_window import Past, build_past_meeting


@pytest.fixture
def past(db: Database) -> Past:
    return build_past_meeting(db)
