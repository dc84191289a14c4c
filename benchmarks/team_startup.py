"""Team mode: start-up and people search with 10,000 people on PostgreSQL beside SQLite.

Set-up (not measured): the network of ``startup.py`` (demo plus ``--people`` generated people)
in an SQLite file, copied with ``app.db.copying.copy_database`` into a database of a throwaway
PostgreSQL cluster (``tests/postgres.py``: ``initdb`` + ``pg_ctl`` on 127.0.0.1, as the
tests use; a real office server adds network latency on top).

Measured, in the same sitting, interleaved:

1. **Start-up until the people are shown**: whole processes ``python -m ui.launcher --db X``
   with ``TREFFPUNKT_QUIT_WHEN_SHOWN=data`` for the SQLite file and for the server URL, and
   the bare baseline ``shared/bench/bare_qt_window.py`` (the least a PySide6 program does to
   show a window); ratios of the medians to the baseline.
2. **People search** on the real ``NetworkPage`` (offscreen) over each engine: the list
   shown, its search index loaded, what a colleague's change to one person costs in team mode
   (``load_changed_rows``: the row, its search text and the list's order of ids), and each
   keystroke of search-as-you-type until the visible rows are repainted, beside the bare
   baseline: the same substring tests over the same folded texts in a list comprehension.

Figures only; never fails on a timing. Needs PostgreSQL's server binaries (``PG_BIN`` or
Debian's ``postgresql`` package). Usage:
    .venv/bin/python benchmarks/team_startup.py [--people 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.startup import (  # noqa: E402 - after the path above
    BASELINE_SCRIPT,
    DEFAULT_BASELINE_DIR,
    QUIT_ENV,
    BenchmarkError,
    Program,
    build_database,
    child_environment,
    describe_machine,
    measure,
)

SEARCH_WORDS = ("muller", "ayse yil", "lehmheide", "nguyen", "sport")


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    seconds = []
    for _round in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def milliseconds(values: Sequence[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:8.1f} ms   "
        f"min {min(values) * 1000:8.1f} ms   max {max(values) * 1000:8.1f} ms"
    )


def find_baseline(given: Path | None) -> Path | None:
    """``bare_qt_window.py``: in *given*, beside the checkout, or beside its worktree folder."""
    folders = [given] if given else [DEFAULT_BASELINE_DIR, ROOT.parents[1] / "shared" / "bench"]
    return next((f / BASELINE_SCRIPT for f in folders if (f / BASELINE_SCRIPT).is_file()), None)


def startup(
    sqlite_path: Path, server_url: str, runs: int, scratch: Path, baseline: Path | None
) -> None:
    app = (sys.executable, "-m", "ui.launcher", "--db")
    data = ((QUIT_ENV, "data"),)
    programs = [
        Program("SQLite: people shown", (*app, str(sqlite_path)), data),
        Program("PostgreSQL: people shown", (*app, server_url), data),
    ]
    if baseline is not None:
        programs.append(Program("bare Qt window (baseline)", (sys.executable, str(baseline))))
    else:
        print(f"note: no {BASELINE_SCRIPT} found (--baseline-dir); no ratios to a baseline")
    timings = measure(programs, runs, child_environment(scratch), 120.0)
    print(f"\n1. Start-up until the people are shown: {runs} runs each after a warm-up")
    print(f"  {'':<30}{'median':>9}{'min':>9}{'max':>9}")
    for timing in timings:
        print(
            f"  {timing.label:<30}{timing.median:>8.3f}s{min(timing.seconds):>8.3f}s"
            f"{max(timing.seconds):>8.3f}s"
        )
    if timings[-1].label.startswith("bare"):
        bare = timings[-1].median
        for timing in timings[:-1]:
            print(f"  ratio {timing.label} / bare: {timing.median / bare:5.2f}")
    print(f"  ratio PostgreSQL / SQLite: {timings[1].median / timings[0].median:5.2f}")


def wait_until(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not get there in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)


def search(sqlite_path: Path, server_url: str, rounds: int) -> None:
    """The real network page over each engine: list shown, search index, keystrokes; and
    the bare baseline (the same substring tests over the same folded texts, a list
    comprehension)."""
    from PySide6.QtWidgets import QApplication

    from app.db import Database
    from app.services.directory_listing import PeopleQuery, person_ids
    from app.text import fold
    from ui.network.page import NetworkPage, load_changed_rows
    from ui.tasks import TaskRunner

    application = QApplication.instance() or QApplication([])
    print(f"\n2. People search on the real network page, each word typed {rounds}x")
    keystrokes: dict[str, list[float]] = {}
    bare: list[float] = []
    for label, where in (("SQLite", str(sqlite_path)), ("PostgreSQL", server_url)):
        db = Database.open(where)
        runner = TaskRunner()
        page = NetworkPage(runner)
        page.resize(1200, 800)
        page.show()
        loaded: list[int] = []
        page.loaded.connect(lambda *_args, loaded=loaded: loaded.append(1))
        started = time.perf_counter()
        page.load(db)
        wait_until(lambda loaded=loaded: bool(loaded))
        shown = time.perf_counter() - started
        model = page.people_model()
        started = time.perf_counter()
        page.load_search_keys()
        wait_until(model.has_search_keys)
        index = time.perf_counter() - started
        print(
            f"  {label}: {model.rowCount():,} people listed after {shown * 1000:.0f} ms, "
            f"search index after another {index * 1000:.0f} ms"
        )
        with db.raw_read() as connection:
            ids = person_ids(connection, PeopleQuery())
            one = ids[len(ids) // 2]
        changes = timed(
            lambda db=db, one=one: load_changed_rows(  # type: ignore[misc]
                db, frozenset({one}), frozenset(), PeopleQuery()
            ),
            10,
        )
        print(f"  {label}: a colleague's change to one person read in {milliseconds(changes)}")
        keys = model._keys or {}  # the page's own search texts, for the bare baseline
        texts = list(keys.values())
        strokes: list[float] = []
        view = page.people_view
        for _round in range(rounds):
            for word in SEARCH_WORDS:
                page.search_field.clear()
                application.processEvents()
                for end in range(1, len(word) + 1):
                    began = time.perf_counter()
                    page.search_field.setText(word[:end])
                    view.viewport().repaint()
                    strokes.append(time.perf_counter() - began)
                    application.processEvents()
                    began = time.perf_counter()
                    terms = fold(word[:end]).split()
                    [text for text in texts if all(term in text for term in terms)]
                    bare.append(time.perf_counter() - began)
        keystrokes[label] = strokes
        runner.shutdown()
        page.close()
        db.close()
    print()
    for label, strokes in keystrokes.items():
        print(f"  {'keystroke, ' + label:<36}{milliseconds(strokes)}")
    print(f"  {'keystroke, bare list comprehension':<36}{milliseconds(bare)}")
    bare_median = statistics.median(bare)
    for label, strokes in keystrokes.items():
        print(f"  ratio keystroke {label} / bare: {statistics.median(strokes) / bare_median:6.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each (5)")
    parser.add_argument("--rounds", type=int, default=3, help="times each word is typed (3)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--baseline-dir", type=Path, help=f"folder with {BASELINE_SCRIPT}")
    args = parser.parse_args(argv)

    from app.db import DatabaseLocation
    from app.db.copying import copy_database
    from tests.postgres import PostgresUnavailable, ThrowawayCluster

    scratch = Path(tempfile.mkdtemp(prefix="treffpunkt-team-bench-"))
    try:
        cluster = ThrowawayCluster()
        cluster.start()
    except PostgresUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        sqlite_path = scratch / "team-benchmark.db"
        started = time.perf_counter()
        counts = build_database(sqlite_path, args.people, args.seed)
        server_url = cluster.new_database(migrated=False)
        copy_database(DatabaseLocation.parse(sqlite_path), DatabaseLocation.parse(server_url))
        print(
            f"Database: {counts['people']:,} people, {counts['organisations']:,} "
            f"organisations; SQLite file and a copy on PostgreSQL (127.0.0.1), built in "
            f"{time.perf_counter() - started:.1f} s (not measured)"
        )
        print(describe_machine())
        try:
            startup(sqlite_path, server_url, args.runs, scratch, find_baseline(args.baseline_dir))
        except BenchmarkError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        search(sqlite_path, server_url, args.rounds)
        return 0
    finally:
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
