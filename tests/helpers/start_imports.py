"""The import budget of the start (``tests/gui/test_start_imports.py``, and the same on a
server in ``tests/gui/team``): the real start in a fresh interpreter
(``ui.application.run`` with ``TREFFPUNKT_QUIT_WHEN_SHOWN=data``), recording ``sys.modules``
when ``ready`` fires.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Not before the people are on screen: the ORM and SQL toolkit, migrations, PDFs, spreadsheets,
# calendars, images, mail, the other pages and the editing services.
NOT_AT_START = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "openpyxl",
    "icalendar",
    "PIL",
    "pypdf",
    "aiosmtpd",
    "keyring",
    "babel.numbers",
    "app.models",
    "app.services.directory",
    "app.services.directory_editing",
    "app.services.meetings",
    "app.services.reporting",
    "app.documents",
    "app.mail",
    "ui.meetings",
    "ui.attendance",
    "ui.minutes",
    "ui.settings",
    "ui.network.commands",
    "ui.network.person_dialog",
    "ui.network.organisation_dialog",
    "ui.network.groups_dialog",
)

RECORDER = """
import json, sys
from pathlib import Path
from ui import application
from ui.main_window import MainWindow

snapshot = []


class Recording(MainWindow):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ready.connect(lambda: snapshot.append(sorted(sys.modules)))


application.MainWindow = Recording
target = sys.argv[1]  # a file, or a server URL (a Path would spoil its "//")
code = application.run(target if "://" in target else Path(target), explicit=True)
print(json.dumps(snapshot[0] if snapshot else None))
sys.exit(code)
"""


def modules_when_shown(database: Path | str, scratch: Path) -> list[str]:
    """``sys.modules`` of a fresh window process when its first page shows the people."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        TREFFPUNKT_QUIT_WHEN_SHOWN="data",
        XDG_DATA_HOME=str(scratch / "data"),
        XDG_CONFIG_HOME=str(scratch / "config"),
        XDG_STATE_HOME=str(scratch / "state"),
    )
    env.pop("TREFFPUNKT_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", RECORDER, str(database)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert modules is not None, "the window never showed its people"
    return list(modules)


def heavy_modules(modules: list[str]) -> list[str]:
    """Those of *modules* that must wait until the people are shown."""
    return sorted(
        name
        for name in modules
        if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_AT_START)
    )
