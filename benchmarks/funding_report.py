"""Benchmark: the funding report of a 10-year history against the minutes PDF's bare script.

Set-up (not measured): ``benchmarks/history.py`` fills a database with a 10-year history
(500 meetings, 30,000 attendance rows, 8 projects); ``benchmarks/minutes_pdf.py`` builds its
meeting (300 attendees, 30 TOPs) for the baseline.

Measured in one process, interleaved (A B, B A, …), after one warm-up of each:

- ``snapshot``: ``funding_report(db, None)``: every project, the whole period (the reads,
  the figures narrowed to the projects' meetings, first-time/returning, TOPs, decisions,
  action items, photo consent, press releases);
- ``render``: ``render_funding_pdf(report)``: the Sachbericht PDF (hundreds of pages, chart);
- ``xlsx``: ``funding_workbook_bytes(report)``;
- ``bare minutes``: ``bare_minutes(content)`` of ``benchmarks/minutes_pdf.py``, the bare
  ReportLab script of the minutes benchmark, as the same-sitting yardstick.

Then the whole command in a new process (``treffpunkt report funding --all -o FILE.pdf``),
median of 3. Prints figures and the ratio render / bare minutes (and per page).

Usage: ``python benchmarks/funding_report.py [--rounds 5] [--meetings 500] [--attendances 30000]``
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--attendances", type=int, default=30_000)
    args = parser.parse_args()

    from pypdf import PdfReader

    from app import i18n
    from app.db import Database
    from app.documents.funding_report import render_funding_pdf
    from app.services.reporting.funding import funding_report
    from app.services.reporting.funding_xlsx import funding_workbook_bytes
    from app.services.snapshots.minutes import build_minutes_snapshot

    history = _load("history")
    minutes_pdf = _load("minutes_pdf")
    i18n.set_language("de")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        summary = history.fill_history(
            work / "history.db", meetings=args.meetings, attendances=args.attendances
        )
        minutes_db = work / "minutes.db"
        meeting_id = minutes_pdf.create_database(minutes_db, 300, 30, final=True)
        with Database.open(minutes_db) as db:
            content = minutes_pdf.bare_content(build_minutes_snapshot(db, meeting_id))
        minutes_pdf.register_bare_fonts()
        db = Database.open(work / "history.db")
        report = funding_report(db, None)
        runners = {
            "snapshot": lambda: funding_report(db, None),
            "render": lambda: render_funding_pdf(report),
            "xlsx": lambda: funding_workbook_bytes(report),
            "bare minutes": lambda: minutes_pdf.bare_minutes(content),
        }
        outputs = {name: run() for name, run in runners.items()}  # warm-up
        times: dict[str, list[float]] = {name: [] for name in runners}
        order = list(runners)
        for round_number in range(args.rounds):
            for name in order if round_number % 2 == 0 else reversed(order):
                start = time.perf_counter()
                outputs[name] = runners[name]()
                times[name].append(time.perf_counter() - start)
        db.close()
        pages = {
            name: len(PdfReader(BytesIO(outputs[name])).pages)
            for name in ("render", "bare minutes")
        }
        whole = []
        for _run in range(3):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ui.launcher",
                    "--db",
                    str(work / "history.db"),
                    "report",
                    "funding",
                    "--all",
                    "-o",
                    str(work / "report.pdf"),
                ],
                check=True,
                cwd=ROOT,
                capture_output=True,
            )
            whole.append(time.perf_counter() - start)

    print(
        f"history: {summary.meetings} meetings ({summary.held} held), {summary.attendances:,} "
        f"attendance rows, {summary.people} people, {summary.projects} projects; built in "
        f"{summary.seconds:.1f} s (not measured)"
    )
    print(f"median of {args.rounds} interleaved rounds (one process, after a warm-up):")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        extra = f"  {pages[name]} pages" if name in pages else ""
        spread = f"{min(times[name]):.3f}–{max(times[name]):.3f}"
        print(f"  {name:13s} {value:7.3f} s (range {spread}){extra}")
    ratio = medians["render"] / medians["bare minutes"]
    per_page = (medians["render"] / pages["render"]) / (
        medians["bare minutes"] / pages["bare minutes"]
    )
    print(f"  ratio render / bare minutes: {ratio:.2f} (whole documents)")
    print(f"  ratio per page:              {per_page:.2f}")
    print(
        f"whole command (treffpunkt report funding --all -o FILE.pdf; new process), median of 3: "
        f"{statistics.median(whole):.3f} s"
    )


if __name__ == "__main__":
    main()
