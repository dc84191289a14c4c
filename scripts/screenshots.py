"""Curated screenshots of every page, as the README shows them.

Run on a real (virtual) screen, in German, on the demo network:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py \
        --db /tmp/demo.db --out docs/screenshots

The database is created with the demo network when it does not exist. Each page is shown as a
user would reach it (tab clicks, a meeting selected), the task runner is waited for, and the
whole screen is grabbed, then saved as a 256-colour PNG (a few hundred KB at most).
Personal preferences are kept out: the script uses its own config and data folders.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEETING = "Auftakt-Netzwerktreffen der Impuls.Ag"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="demo database (created if missing)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--suffix", default="", help="added to every file name, e.g. -1920")
    args = parser.parse_args()

    private = Path(tempfile.mkdtemp(prefix="treffpunkt-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(private / "config")
    os.environ["XDG_DATA_HOME"] = str(private / "data")
    os.environ["LANG"] = "de_DE.UTF-8"
    os.environ.pop("LANGUAGE", None)
    if not args.db.exists():
        subprocess.run(
            [sys.executable, "-m", "ui.launcher", "--db", str(args.db), "demo"],
            check=True,
            cwd=ROOT,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    return _shoot(args.db, args.out, args.suffix)


def _shoot(db: Path, out: Path, suffix: str) -> int:
    from PIL import Image
    from PySide6.QtCore import QDate, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.preferences import Preferences
    from ui.main_window import MainWindow
    from ui.translations import apply_language
    from ui.window_state import first_start_geometry

    app = QApplication(sys.argv)
    app.setApplicationName("Treffpunkt")
    apply_language("de")
    window = MainWindow(preferences=Preferences(language="de"))
    window.show()
    # No window manager under Xvfb: nobody maximises the window, so on a laptop screen fill
    # it as the maximised window of a first start would; a large screen keeps the window's
    # own first-start geometry (ui.window_state).
    available = app.primaryScreen().availableGeometry()
    if first_start_geometry(available)[1]:
        window.setGeometry(available)

    def settle(condition: Callable[[], bool] = lambda: True, ms: int = 20_000) -> None:
        """Process events until *condition* holds and the runner is idle, then a bit more."""
        loop = QEventLoop()
        waited = 0
        while waited < ms and (window.runner.is_busy() or not condition()):
            QTimer.singleShot(50, loop.quit)
            loop.exec()
            waited += 50
        for _ in range(6):  # paint, and let late layout passes finish
            QTimer.singleShot(50, loop.quit)
            loop.exec()

    def grab(name: str) -> None:
        screen = app.primaryScreen()
        pixmap = screen.grabWindow(0)
        raw = out / f"{name}{suffix}.raw.png"
        pixmap.save(str(raw), "PNG")
        with Image.open(raw) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            small.save(out / f"{name}{suffix}.png", optimize=True)
        raw.unlink()
        print(f"{out / (name + suffix)}.png", flush=True)

    window.open_database(db)
    settle(lambda: window.workspace() is not None)
    workspace = window.workspace()
    assert workspace is not None
    settle()

    network = workspace.network
    network.people_view.selectRow(0)
    settle()
    grab("netzwerk")

    workspace.setCurrentWidget(workspace.meetings)
    meetings = workspace.meetings
    settle()
    row = next(n for n, r in enumerate(meetings.model.rows()) if r.title == MEETING)
    meetings.view.selectRow(row)
    settle(lambda: meetings.detail.title.text() == MEETING)
    for number, name in enumerate(
        ("treffen", "treffen-tagesordnung", "treffen-einladungen", "treffen-anwesenheit")
    ):
        meetings.detail.tabs.setCurrentIndex(number)
        settle()
        grab(name)
    meetings.detail.tabs.setCurrentWidget(meetings.minutes)
    settle(lambda: meetings.minutes.view() is not None)
    grab("treffen-protokoll")

    workspace.setCurrentWidget(workspace.figures)
    settle()
    # The demo's meetings were held in 2022 and 2023: show those years.
    figures = workspace.figures
    figures.preset.setCurrentIndex(figures.preset.findData("custom"))
    figures.start.setDate(QDate(2022, 1, 1))
    figures.end.setDate(QDate(2023, 12, 31))
    settle()
    grab("auswertung")
    workspace.setCurrentWidget(workspace.tasks)
    settle()
    grab("aufgaben")
    workspace.setCurrentWidget(workspace.projects)
    projects = workspace.projects
    settle(lambda: projects.detail() is not None)
    projects.links.selectRow(0)  # a linked meeting: press release and scan buttons on
    settle()
    grab("projekte")

    workspace.setCurrentWidget(meetings)
    meetings.detail.tabs.setCurrentWidget(meetings.attendance)
    settle()
    meetings.attendance.open_door_mode()
    door = meetings.attendance.door
    assert door is not None
    settle(lambda: door.model.rowCount() > 0)
    door.search.setText("Yil")
    settle()
    grab("einlass")
    door.close()
    settle()

    window.close()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
