"""Door mode: time per keystroke when filtering 10,000 people in memory.

Builds a database (demo network plus generated people, as ``benchmarks/startup.py`` does;
set-up, not measured), loads the check-in candidates of the demo's upcoming meeting once
(timed: the door mode does this in the background when it opens), then types names letter by
letter into the door mode's model (``CandidateModel.filter``: ``rank_candidates`` plus the
model reset the view sees), and reports per-keystroke times: median, 95th percentile, max.
Also the bare ranking without Qt, for comparison. Target: well under 16 ms per keystroke
(one frame), so typing never lags.

Usage: .venv/bin/python benchmarks/door_mode_filter.py [--people 10000] [--rounds 5]
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = (
    "ay",
    "ayse",
    "yil",
    "mül",
    "muel",
    "oz",
    "ozturk-w",
    "nguyen",
    "quartier",
    "lukasz",
    "schä",
    "sport",
    "hei kr",
    "al-h",
    "xyz",
)


def _startup_module() -> object:
    path = ROOT / "benchmarks" / "startup.py"
    spec = importlib.util.spec_from_file_location("startup_bench", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from app.db import Database
    from app.models import Meeting
    from app.services.attendance import checkin_candidates, rank_candidates
    from ui.attendance.candidates import CandidateModel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "door.db"
        print(f"building a database with {args.people:,} generated people …", flush=True)
        _startup_module().build_database(path, args.people, 7)  # type: ignore[attr-defined]
        db = Database.open(path)
        try:
            with db.read() as session:
                meeting_id = session.scalar(select(Meeting.id).order_by(Meeting.start.desc()))
            assert meeting_id is not None
            started = time.perf_counter()
            rows = checkin_candidates(db, meeting_id)
            load = time.perf_counter() - started
        finally:
            db.close()

    model = CandidateModel()
    model.set_candidates(rows)
    keystrokes: list[float] = []
    first: list[float] = []  # the first letter of a name ranks every row
    bare: list[float] = []
    for _round in range(args.rounds):
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                typed = query[:end]
                started = time.perf_counter()
                model.filter(typed)
                (first if end == 1 else keystrokes).append(time.perf_counter() - started)
                started = time.perf_counter()
                rank_candidates(rows, typed, limit=50)
                bare.append(time.perf_counter() - started)
            model.filter("")

    def ms(value: float) -> str:
        return f"{value * 1000:6.2f} ms"

    print(f"candidates: {len(rows):,} rows, loaded once in {ms(load)}")
    print(
        f"keystrokes measured: {len(first) + len(keystrokes)} "
        f"({args.rounds} rounds of {len(QUERIES)} names)"
    )
    for label, values in (("first letter", first), ("further letters", keystrokes)):
        print(
            f"door mode model, {label:15} median {ms(statistics.median(values))}, "
            f"p95 {ms(percentile(values, 0.95))}, max {ms(max(values))}"
        )
    print(
        f"rank_candidates alone (all rows each time): median {ms(statistics.median(bare))}, "
        f"p95 {ms(percentile(bare, 0.95))}, max {ms(max(bare))}"
    )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
