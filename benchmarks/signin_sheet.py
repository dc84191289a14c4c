"""Benchmark: Treffpunkt's sign-in sheet against a bare ReportLab script of the same table.

Creates a database with one meeting and N invitees (default 300), then times whole processes,
interleaved, several rounds, and prints the medians and ratios:

- ``bare``: ``../shared/bench/bare_signin_sheet.py N OUT FONT`` with the same DejaVu Sans TTF;
- ``render``: a process that loads the frozen snapshot and renders the sheet in German (the
  PDF work the bare script does, plus Treffpunkt's translations, dates, text preparation,
  layout, header and footer);
- ``full``: a process that opens the database, builds the snapshot and renders — what
  ``treffpunkt pdf signin ID -o FILE`` will do, including importing SQLAlchemy and Alembic.

Target (issue 5): ``render`` ≤ 1.2 x ``bare``. Usage::

    python benchmarks/signin_sheet.py [--rows 300] [--rounds 7] [--blank-rows 0]
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
# ``shared/bench`` beside the checkout (or beside a folder of worktrees holding it).
DEFAULT_BARE = next(
    (
        folder / "shared" / "bench" / "bare_signin_sheet.py"
        for folder in ROOT.parents
        if (folder / "shared" / "bench").is_dir()
    ),
    ROOT.parent / "shared" / "bench" / "bare_signin_sheet.py",
)
# The same five names as the bare script, so both tables hold the same text.
NAMES = [
    ("Ayşe", "Yılmaz"),
    ("Łukasz", "Żółć"),
    ("Олександр", "Шевченко"),
    ("Nguyễn", "Thị Minh Khai"),
    ("Jürgen", "Müller"),
]

RENDER_SCRIPT = """
import pickle, sys
from pathlib import Path
from app import i18n
from app.documents.signin import write_signin
i18n.set_language("de")
with open(sys.argv[1], "rb") as handle:
    snapshot = pickle.load(handle)
write_signin(snapshot, Path(sys.argv[2]))
"""

FULL_SCRIPT = """
import sys
from pathlib import Path
from app import i18n
from app.db import Database
from app.documents.signin import SigninOptions, write_signin
from app.services.snapshots.signin import build_signin_snapshot
i18n.set_language("de")
options = SigninOptions(blank_rows=int(sys.argv[4]))
with Database.open(Path(sys.argv[1])) as db:
    snapshot = build_signin_snapshot(db, int(sys.argv[2]), options)
write_signin(snapshot, Path(sys.argv[3]))
"""


def create_database(path: Path, rows: int) -> int:
    """A database with one meeting and *rows* accepted invitees; returns the meeting id."""
    from sqlalchemy import insert, select

    from app.db import Database
    from app.models import (
        Invitation,
        InvitationState,
        Meeting,
        Organisation,
        Person,
        Venue,
    )
    from app.text import sort_key

    with Database.create(path) as db, db.write() as session:
        venue = Venue(
            name="Museumscafé K+",
            street="Museumsstraße 1",
            postcode="12345",
            city="Gatherhof",
            room="Saal 2",
        )
        meeting = Meeting(
            title="Auftakt-Netzwerktreffen der Impuls.Ag",
            start=datetime(2026, 12, 3, 13, tzinfo=UTC),
            end=datetime(2026, 12, 3, 15, 30, tzinfo=UTC),
            venue=venue,
        )
        session.add(meeting)
        session.execute(
            insert(Organisation),
            [
                {"name": f"Organisation {i}", "name_key": sort_key(f"Organisation {i}")}
                for i in range(40)
            ],
        )
        organisations = list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
        session.execute(
            insert(Person),
            [
                {
                    "first_name": NAMES[i % 5][0],
                    "last_name": NAMES[i % 5][1],
                    "name_key": sort_key(NAMES[i % 5][1], NAMES[i % 5][0]),
                    "organisation_id": organisations[i % 40],
                    "function": "Mitarbeit",
                }
                for i in range(rows)
            ],
        )
        session.flush()
        people = list(session.scalars(select(Person.id).order_by(Person.id)))
        session.execute(
            insert(Invitation),
            [
                {
                    "meeting_id": meeting.id,
                    "person_id": person_id,
                    "state": InvitationState.ACCEPTED,
                }
                for person_id in people
            ],
        )
        return meeting.id


def _children_cpu() -> float:
    if resource is None:  # Windows: no getrusage; CPU figures are then left out
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return time.perf_counter() - start, _children_cpu() - cpu


def bytecode_env(folder: Path) -> dict[str, str]:
    """An environment in which every process reuses compiled bytecode, as an installation does.

    With PYTHONDONTWRITEBYTECODE set (as in some shells here), Treffpunkt's own modules would
    be compiled from source in every process while ReportLab's come precompiled from its
    wheel, an unfair ~20 ms. All bytecode goes to a private cache folder, not the checkout.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--blank-rows",
        type=int,
        default=0,
        help="walk-in rows on top of the invitees (the bare script has none)",
    )
    parser.add_argument("--bare", type=Path, default=DEFAULT_BARE)
    args = parser.parse_args()

    from app import i18n
    from app.db import Database
    from app.paths import font_path
    from app.services.snapshots.signin import SigninOptions, build_signin_snapshot

    i18n.set_language("de")
    python = sys.executable
    font = str(font_path("DejaVuSans.ttf"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db_path = work / "bench.db"
        meeting_id = create_database(db_path, args.rows)
        with Database.open(db_path) as db:
            snapshot = build_signin_snapshot(
                db, meeting_id, SigninOptions(blank_rows=args.blank_rows)
            )
        snapshot_path = work / "snapshot.pickle"
        snapshot_path.write_bytes(pickle.dumps(snapshot))
        commands = {
            "bare": [python, str(args.bare), str(args.rows), str(work / "bare.pdf"), font],
            "render": [python, "-c", RENDER_SCRIPT, str(snapshot_path), str(work / "render.pdf")],
            "full": [
                python,
                "-c",
                FULL_SCRIPT,
                str(db_path),
                str(meeting_id),
                str(work / "full.pdf"),
                str(args.blank_rows),
            ],
        }
        env = bytecode_env(work)
        for command in commands.values():  # warm the OS file cache and write the bytecode
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu_times: dict[str, list[float]] = {name: [] for name in commands}
        for _round in range(args.rounds):
            for name, command in commands.items():
                wall, cpu_seconds = timed(command, env)
                times[name].append(wall)
                cpu_times[name].append(cpu_seconds)
        pages = {}
        from pypdf import PdfReader

        for name in commands:
            pages[name] = len(PdfReader(work / f"{name}.pdf").pages)

    medians = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in cpu_times.items()}
    print(
        f"sign-in sheet, {args.rows} invitees + {args.blank_rows} blank rows, "
        f"median of {args.rounds} interleaved rounds (whole processes):"
    )
    for name, value in medians.items():
        spread = f"{min(times[name]):.3f}–{max(times[name]):.3f}"
        print(
            f"  {name:7s} wall {value:.3f} s (range {spread} s)  cpu {cpu[name]:.3f} s  "
            f"{pages[name]} pages"
        )
    for name in ("render", "full"):
        ratio = medians[name] / medians["bare"]
        cpu_ratio = cpu[name] / cpu["bare"] if cpu["bare"] else float("nan")
        target = "  (target ≤ 1.2)" if name == "render" else ""
        print(f"  ratio {name:6s}/ bare: wall {ratio:.2f}, cpu {cpu_ratio:.2f}{target}")


if __name__ == "__main__":
    main()
