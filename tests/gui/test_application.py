"""``ui.application.run`` as a whole process, with the start-up benchmark's quit hook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.preferences import preferences_path
from ui.opening import demo_database_path

pytestmark = pytest.mark.slow

RUN = (
    "import sys; from pathlib import Path; from ui.application import run; "
    "arg = sys.argv[1]; "
    "raise SystemExit(run(Path(arg) if arg else None, explicit=bool(arg)))"
)


def run_window(database: Path | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TREFFPUNKT_QUIT_WHEN_SHOWN="data", QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", RUN, str(database) if database else ""],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_quits_after_showing_the_people_and_prints_nothing(demo_path: Path) -> None:
    result = run_window(demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    remembered = json.loads(preferences_path().read_text(encoding="utf-8"))
    assert remembered["last_database"] == str(demo_path.resolve())


def test_missing_explicit_database_fails_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run_window(missing)
    assert result.returncode == 1
    assert not missing.exists()


def test_without_any_database_the_demo_network_is_created(tmp_path: Path) -> None:
    assert not demo_database_path().exists()
    result = run_window(None)
    assert result.returncode == 0, result.stderr
    assert demo_database_path().is_file()
    assert not preferences_path().exists()  # nothing of the user's own to remember


def test_the_window_shows_before_the_database_layer_is_imported() -> None:
    # SQLAlchemy and Alembic take over half a second to import; the worker loads them while
    # the window already shows (ui.opening), so the window's modules must not pull them in.
    code = (
        "import sys, ui.application; "
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_quit_when_shown_mode_opens_nothing(tmp_path: Path) -> None:
    """Mode "1" stops as soon as the window is shown, before the database is touched."""
    missing = tmp_path / "typo.db"
    env = dict(os.environ, TREFFPUNKT_QUIT_WHEN_SHOWN="1", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(missing)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not missing.exists()
