"""Search-as-you-type on the network page: time per keystroke at 10,000 or 100,000 people.

Set-up (not measured): a database as ``benchmarks/startup.py`` builds it (demo network plus
``--people`` generated people; ``--db FILE`` takes that one, building it there when missing).
The real ``NetworkPage`` (offscreen, 1200x800) loads it; the time until the search index is in
memory is printed.

Measured: a few words typed letter by letter into the search field, then deleted letter by
letter down to the empty field (the widening keystrokes: every deletion shows more people, the
last one everybody again). Each keystroke is timed from setting the field's text until the
people list has filtered, updated its labels and repainted the visible rows
(``viewport().repaint()``), all on the GUI thread, as the user waits for it; nothing is left
for a timer. One person is selected beforehand, as in use (the selection follows its person).
Goals: at most 16 ms (one frame) per keystroke at 10,000 people, 50 ms at 100,000.
Prints figures only.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/people_search.py
    [--people 10000] [--db FILE] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

WORDS = ("muller", "ayse yil", "lehmheide", "nguyen", "sport", "person4711")
GOALS_MS = ((10_000, 16.0), (100_000, 50.0))


def startup_module() -> Any:
    spec = importlib.util.spec_from_file_location("startup", ROOT / "benchmarks" / "startup.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["startup"] = module
    spec.loader.exec_module(module)
    return module


def wait_until(condition: Any, timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not get there in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)


def keystroke(page: Any, text: str) -> float:
    """Milliseconds from setting the search text until the visible rows are repainted; then
    the event loop runs (what is left for later runs there, unmeasured, as between keys)."""
    began = time.perf_counter()
    page.search_field.setText(text)
    page.people_view.viewport().repaint()
    elapsed = (time.perf_counter() - began) * 1000
    QApplication.processEvents()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument(
        "--db", type=Path, help="a database to use; built there (and kept) when missing"
    )
    parser.add_argument("--rounds", type=int, default=3, help="times each word is typed (3)")
    args = parser.parse_args(argv)

    application = QApplication.instance() or QApplication(sys.argv)
    from app.db import Database
    from app.i18n import set_language
    from ui.network.page import NetworkPage
    from ui.tasks import TaskRunner

    set_language("de")
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db.resolve() if args.db else Path(scratch) / "search.db"
        if not path.exists():
            counts = startup_module().build_database(path, args.people, 20261125)
            print(f"Database: {counts['people']:,} people (built, not measured)")
        print(f"Load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        db = Database.open(path)
        runner = TaskRunner()
        page = NetworkPage(runner)
        page.resize(1200, 800)
        page.show()
        loaded: list[int] = []
        page.loaded.connect(lambda *_args: loaded.append(1))
        page.load(db)
        wait_until(lambda: bool(loaded))
        model = page.people_model()
        total = model.rowCount()
        started = time.perf_counter()
        if hasattr(page, "load_search_keys"):  # the index loads in the background
            page.load_search_keys()
            wait_until(model.has_search_keys)
        print(
            f"People listed: {total:,}; search index ready after "
            f"{time.perf_counter() - started:.3f} s (background, not measured below)"
        )
        view = page.people_view
        view.selectRow(min(3, total - 1))
        application.processEvents()
        typing: dict[str, list[float]] = {}
        deleting: dict[str, list[float]] = {}
        for _round in range(args.rounds):
            for word in WORDS:
                texts = [word[:end] for end in range(1, len(word) + 1)]
                for text in texts:
                    typing.setdefault(word, []).append(keystroke(page, text))
                for text in [*reversed(texts[:-1]), ""]:
                    deleting.setdefault(word, []).append(keystroke(page, text))
        print(
            f"\n  {'':<14}{'typing':>18}{'deleting':>18}"
            f"\n  {'word':<14}{'median':>9}{'max':>9}{'median':>9}{'max':>9}"
            "   ms per keystroke; shown after the word"
        )
        for word, times in typing.items():
            page.search_field.setText(word)
            print(
                f"  {word:<14}{statistics.median(times):>9.1f}{max(times):>9.1f}"
                f"{statistics.median(deleting[word]):>9.1f}{max(deleting[word]):>9.1f}"
                f"   {model.rowCount():,}"
            )
        page.search_field.clear()
        every = sorted(time for times in [*typing.values(), *deleting.values()] for time in times)
        p90 = every[int(len(every) * 0.9)]
        print(
            f"  {'all keystrokes':<14} median {statistics.median(every):.1f}, "
            f"90th percentile {p90:.1f}, max {every[-1]:.1f} ms ({len(every)} keystrokes)"
        )
        goal = next((ms for limit, ms in GOALS_MS if total <= limit * 1.05), GOALS_MS[-1][1])
        print(f"  goal at this size: at most {goal:.0f} ms per keystroke")
        print(f"Load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        runner.shutdown()
        page.close()
        db.close()
    del application
    return 0


if __name__ == "__main__":
    sys.exit(main())
