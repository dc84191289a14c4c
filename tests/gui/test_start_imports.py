"""The import budget of the start: until the first page shows its people, the
window imports none of the heavy modules; they load afterwards, in the background.

Runs the real start in a fresh interpreter (``tests.helpers.start_imports``); the same on a
server database: ``tests/gui/team/test_team_start.py``.
"""

from __future__ import annotations

from pathlib import Path

from app.db import Database
from tests.helpers.start_imports import heavy_modules, modules_when_shown


def test_no_heavy_module_is_imported_before_the_people_are_shown(
    network_db: Database, tmp_path: Path
) -> None:
    network_db.close()
    modules = modules_when_shown(network_db.path, tmp_path)
    assert "ui.network.page" in modules  # the recorder did see the first page
    assert heavy_modules(modules) == []
