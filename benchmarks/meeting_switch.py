"""Meetings of a 10-year history: switching meetings, the meetings list and the figures page.

Set-up (not measured): ``benchmarks/history.py`` builds a database with 500 meetings over ten
years and 30,000 attendance rows (``--db`` takes an existing one). The real main window opens
it offscreen and settles.

Measured, on the GUI thread of the real window:

* **meeting switch**: from selecting a meeting in the list (``view.selectRow``) until its
  details are shown (``MeetingsPage.detail_shown``), for ``--switches`` meetings spread over
  the list, with the detail tab "Overview", then "Attendance" (until its list is loaded)
  shown; the goal is at most 100 ms;
* **meetings list**: reloading the list of 500 meetings until ``loaded``;
* **figures page**: the figures of the whole ten years until ``loaded``;
* **longest stall**: a 5 ms timer ticks on the GUI thread throughout; the longest gap between
  two ticks in each phase is the longest the window did not react (a frame is 16 ms).

Garbage is collected as in the window (``ui.garbage.GuiThreadCollector``).

Prints medians and maxima; figures only, it never fails on a timing.

``--postgresql``: the same history copied into a database of a throwaway PostgreSQL cluster
(``tests/postgres.py``, on 127.0.0.1) and opened by the window as a server database (team
mode).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/meeting_switch.py [--switches 30]
       [--db FILE] [--postgresql]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TICK_MS = 5
GOAL_MS = 100.0


class StallMeter:
    """The longest gap between two ticks of a timer on the GUI thread."""

    def __init__(self) -> None:
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0
        self.longest = 0

    def start(self) -> None:
        self._clock.start()
        self._last = 0
        self.longest = 0
        self._timer.start()

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return float(self.longest)

    def _tick(self) -> None:
        now = self._clock.elapsed()
        self.longest = max(self.longest, now - self._last)
        self._last = now


def wait_until(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)


def wait_signal(signal: Any, start: Callable[[], None], timeout_s: float = 60.0) -> float:
    """Call *start*, wait for *signal*; seconds between the two."""
    fired: list[float] = []

    def done(*_args: object) -> None:
        if not fired:
            fired.append(time.perf_counter())

    signal.connect(done)
    began = time.perf_counter()
    try:
        start()
        wait_until(lambda: bool(fired), timeout_s)
    finally:
        signal.disconnect(done)
    return fired[0] - began


def history_database(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("history", ROOT / "benchmarks" / "history.py")
    assert spec is not None
    assert spec.loader is not None
    history = importlib.util.module_from_spec(spec)
    sys.modules["history"] = history
    spec.loader.exec_module(history)
    path = folder / "history.db"
    started = time.perf_counter()
    summary = history.fill_history(path)
    print(
        f"Database: {summary.meetings} meetings, {summary.attendances:,} attendance rows, "
        f"{summary.people} people, built in {time.perf_counter() - started:.1f} s "
        "(not measured)"
    )
    return path


def report(label: str, seconds: list[float], stalls: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"  {label:<34}{statistics.median(ms):>8.1f}{max(ms):>8.1f}"
        f"{statistics.median(stalls):>9.0f}{max(stalls):>8.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an existing history database")
    parser.add_argument("--switches", type=int, default=30, help="meetings selected (30)")
    parser.add_argument("--runs", type=int, default=5, help="list and figures reloads (5)")
    parser.add_argument(
        "--postgresql", action="store_true", help="on a throwaway PostgreSQL server (team mode)"
    )
    args = parser.parse_args(argv)
    if not args.postgresql:
        return measure(args, None)
    from tests.postgres import ThrowawayCluster

    cluster = ThrowawayCluster()
    cluster.start()
    try:
        return measure(args, cluster)
    finally:
        cluster.stop()


def on_server(path: Path, cluster: Any) -> str:
    """A copy of the SQLite file *path* in a new database of *cluster*: its URL."""
    from app.db import DatabaseLocation
    from app.db.copying import copy_database

    url = str(cluster.new_database(migrated=False))
    started = time.perf_counter()
    copy_database(DatabaseLocation.parse(path), DatabaseLocation.parse(url))
    seconds = time.perf_counter() - started
    print(f"Copied to PostgreSQL (127.0.0.1) in {seconds:.1f} s (not measured)")
    return url


def measure(args: argparse.Namespace, cluster: Any) -> int:

    application = QApplication.instance() or QApplication(sys.argv)
    from app.i18n import set_language
    from ui.garbage import GuiThreadCollector
    from ui.main_window import MainWindow

    set_language("de")
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            os.environ[name] = str(Path(scratch) / name.lower())
        path = args.db.resolve() if args.db else history_database(Path(scratch))
        url = on_server(path, cluster) if cluster is not None else None
        print(f"Load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        # Garbage collection as in the window: on the GUI thread, start-up frozen once settled.
        collector = GuiThreadCollector(application)
        collector.start()
        window = MainWindow()
        if hasattr(window, "settled"):
            window.settled.connect(collector.freeze)
        window.resize(1280, 800)
        window.show()
        # Older versions had no is_settled(): idle was settled there.
        settled = getattr(window, "is_settled", lambda: not window.runner.is_busy())
        if url is not None:
            wait_signal(window.ready, lambda: window.open_server(url))
        else:
            wait_signal(window.ready, lambda: window.open_database(path))
        wait_until(settled)
        workspace = window.workspace()
        assert workspace is not None
        page = workspace.meetings
        workspace.setCurrentWidget(page)
        wait_until(settled)
        meter = StallMeter()
        print(f"\n{'':<36}{'median':>8}{'max':>8}{'stall':>9}{'max':>8}  (ms)")

        rows = page.model.rowCount()
        step = max(1, rows // args.switches)
        targets = list(range(0, rows, step))[: args.switches]
        for tab_name in ("overview", "attendance"):
            tab = page.detail.overview if tab_name == "overview" else page.attendance
            page.detail.tabs.setCurrentWidget(tab)
            seconds, stalls = [], []
            for number in targets:
                meeting_id = page.model.row(number).id
                meter.start()
                if tab_name == "overview":
                    seconds.append(
                        wait_signal(page.detail_shown, lambda n=number: page.view.selectRow(n))
                    )
                else:

                    def select(n: int = number) -> None:
                        page.view.selectRow(n)

                    seconds.append(wait_signal(page.attendance.loaded, select))
                    assert page.attendance.meeting_id() == meeting_id
                stalls.append(meter.stop())
                wait_until(lambda: not window.runner.is_busy())
            report(f"switch meeting ({tab_name} tab)", seconds, stalls)

        seconds, stalls = [], []
        for _run in range(args.runs):
            meter.start()
            seconds.append(wait_signal(page.loaded, lambda: page.load(window.opened().database)))  # type: ignore[union-attr]
            stalls.append(meter.stop())
            wait_until(lambda: not window.runner.is_busy())
        report(f"meetings list ({rows} meetings)", seconds, stalls)

        figures = workspace.figures
        workspace.setCurrentWidget(figures)
        wait_until(lambda: not window.runner.is_busy())
        seconds, stalls = [], []
        for _run in range(args.runs):
            meter.start()
            seconds.append(
                wait_signal(
                    figures.loaded,
                    lambda: figures.set_period(date(2016, 1, 1), date(2025, 12, 31)),
                )
            )
            stalls.append(meter.stop())
            wait_until(lambda: not window.runner.is_busy())
        report("figures page (ten years)", seconds, stalls)

        tasks = workspace.tasks
        seconds, stalls = [], []
        for _run in range(args.runs):
            meter.start()
            seconds.append(wait_signal(tasks.loaded, tasks.reload))
            stalls.append(meter.stop())
            wait_until(lambda: not window.runner.is_busy())
        report("tasks page (every action item)", seconds, stalls)
        print(f"\n  goal: details shown within {GOAL_MS:.0f} ms of the switch")
        print(f"Load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        window.close()
        collector.stop()
    del application
    return 0


if __name__ == "__main__":
    sys.exit(main())
