"""Start-up benchmark: whole-process time until the main window shows its data.

Builds a database (demo network plus ``--people`` generated people; set-up, not measured),
then times, as whole processes in the same sitting,

  A  Treffpunkt, data shown (the headline): ``python -m ui.launcher --db FILE`` with
     ``TREFFPUNKT_QUIT_WHEN_SHOWN=data``: quits once the first page shows its people;
  A' Treffpunkt, window shown (``--window-shown``): quits as soon as the window is shown;
  B  the bare baseline ``benchmarks/baselines/bare_qt_window.py``: the least a PySide6
     program does to show a main window;
  C  the floor (``--floor``): ``benchmarks/baselines/bare_people_table.py``, sqlite3 and a
     minimal table model showing the same people sorted.

All run offscreen with one warm-up each, then interleaved (A B C, C B A, ...) so that drift of
the machine hits all alike. Prints median, min and max wall time, the peak memory (max RSS of
the process) and the ratios to the bare window; the target ratio depends on the size (demo 4x,
10,000 people 5x, 100,000 people 8x; memory at 10,000 people 2.5x). Prints figures only; it
never fails on a timing.

Usage: .venv/bin/python benchmarks/startup.py [--people 10000] [--runs 7] [--keep-db]
       .venv/bin/python benchmarks/startup.py --people 0        # the demo network alone
       .venv/bin/python benchmarks/startup.py --people 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASELINE_DIR = ROOT / "benchmarks" / "baselines"
BASELINE_SCRIPT = "bare_qt_window.py"
FLOOR_SCRIPT = "bare_people_table.py"
BARE_LABEL = "bare Qt window (baseline)"
QUIT_ENV = "TREFFPUNKT_QUIT_WHEN_SHOWN"
# The goals: data shown within this many times the bare window's start, by directory size.
TARGET_RATIOS = ((0, 4.0), (10_000, 5.0), (100_000, 8.0))


def target_ratio(people: int) -> float:
    """The goal for a directory of *people* (generated ones; 0 = the demo network)."""
    return next(ratio for limit, ratio in TARGET_RATIOS if people <= limit)


# Names as they appear in a German city's networks: umlauts, Turkish, Polish, Arabic,
# Vietnamese letters, so sorting and folding do real work.
FIRST_NAMES = (
    "Anna",
    "Ayşe",
    "Ömer",
    "Jürgen",
    "Renée",
    "Łukasz",
    "Nguyễn Thị",
    "Fatma",
    "Mehmet",
    "Sophie",
    "Günther",
    "Zoë",
    "Ahmad",
    "Layla",
    "Małgorzata",
    "Björn",
    "Élodie",
    "Karin",
    "Hüseyin",
    "Dörte",
    "Yusuf",
    "Maren",
    "Olena",
    "Tomasz",
    "Şebnem",
    "Heike",
    "Jan",
    "Lea",
    "Mustafa",
    "Ingrid",
    "Svetlana",
    "Chiara",
    "Dragan",
    "Amira",
    "Thorsten",
    "Bärbel",
)
LAST_NAMES = (
    "Müller",
    "Yılmaz",
    "Öztürk-Weiß",
    "Schäfer",
    "Kowalczyk",
    "Nguyễn",
    "Al-Hassan",
    "Becker",
    "Groß",
    "Şahin",
    "Zielińska",
    "Hoffmann",
    "Ährenfeld",
    "Demir",
    "Kühn",
    "Lehmann",
    "Özdemir",
    "Wójcik",
    "Schröder",
    "Haddad",
    "Krüger",
    "Trần",
    "Bauer",
    "Çelik",
    "Weiß",
    "Ibrahim",
    "Jovanović",
    "Meyer",
    "Ünal",
    "Fischer",
    "Petrenko",
    "Vogt",
    "Abdullah",
    "Dąbrowski",
)
FUNCTIONS = (
    "Quartiersmanagerin",
    "Projektleitung",
    "Sozialarbeiter",
    "Übungsleiterin",
    "Geschäftsführung",
    "Ehrenamt",
    "Heimleitung",
    "Sachbearbeitung",
    "",
)
ORGANISATION_WORDS = (
    "Quartiersbüro",
    "SV",
    "Gemeinschaftsunterkunft",
    "Diakonie",
    "Nachbarschaftshaus",
    "Familienzentrum",
    "Moscheegemeinde",
    "Bürgerverein",
    "Jugendtreff",
    "Stadtteilladen",
)
QUARTERS = (
    "Lehmheide",
    "Bleichpfad/Hardenberg",
    "Gatherhof",
    "Schinkenplatz",
    "Stahldorf",
    "Ostviertel",
    "Südpark",
    "Kempgens",
)
GROUPS = (
    "Impuls.Ag",
    "Sport",
    "Sprachcafé",
    "Jugend",
    "Senioren",
    "Ladenlokal",
    "Presse",
    "Förderverein",
    "Kultur",
    "Bildung",
    "Gesundheit",
    "Umwelt",
)


class BenchmarkError(Exception):
    pass


@dataclass(frozen=True)
class Timings:
    label: str
    seconds: tuple[float, ...]
    peaks: tuple[float, ...] = ()  # max RSS per run, MiB
    cpu: tuple[float, ...] = ()  # user + system CPU seconds per run (all threads)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return statistics.median(self.peaks) if self.peaks else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


# -- set-up: the database ------------------------------------------------------------------------


def build_in_own_process(path: Path, people: int, seed: int) -> dict[str, int]:
    """``build_database`` in a fresh process. A child's peak memory (``ru_maxrss``) starts at
    its parent's at fork and exec, so a parent that built 100,000 people in memory would hide
    the peak of every program measured after; this process must stay small."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(build_database, (path, people, seed))


def build_database(path: Path, people: int, seed: int) -> dict[str, int]:
    """Demo network (when the demo service exists) plus ``people`` generated people."""
    from sqlalchemy import func, insert, select

    from app.db import Database
    from app.models import (
        ConsentMethod,
        ConsentRecord,
        ConsentTopic,
        Group,
        Organisation,
        OrganisationKind,
        Person,
        PersonEmail,
        PersonPhone,
        Quarter,
        Salutation,
        organisation_quarters,
        person_groups,
    )
    from app.text import nfc, sort_key

    rng = random.Random(seed)
    database = Database.create(path)
    try:
        try:
            from app.services.demo import fill_demo
        except ImportError:
            print("note: app.services.demo not available; generated data only")
        else:
            fill_demo(database)

        now = datetime.now(UTC)
        with database.write() as session:

            def next_id(model: Any) -> int:
                return (session.scalar(select(func.max(model.id))) or 0) + 1

            def existing_names(model: Any) -> set[str]:
                return set(session.scalars(select(model.name)))

            # Quarters and groups have unique names; the demo may already hold some.
            quarter_ids = list(session.scalars(select(Quarter.id)))
            new_quarters = [q for q in QUARTERS if q not in existing_names(Quarter)]
            first = next_id(Quarter)
            ids = [first + i for i in range(len(new_quarters))]
            if ids:
                session.execute(
                    insert(Quarter),
                    [
                        {"id": id_, "name": name, "name_key": sort_key(name)}
                        for id_, name in zip(ids, new_quarters, strict=True)
                    ],
                )
            quarter_ids += ids

            group_ids = list(session.scalars(select(Group.id)))
            new_groups = [g for g in GROUPS if g not in existing_names(Group)]
            first = next_id(Group)
            ids = [first + i for i in range(len(new_groups))]
            if ids:
                session.execute(
                    insert(Group),
                    [
                        {"id": id_, "name": name, "name_key": sort_key(name)}
                        for id_, name in zip(ids, new_groups, strict=True)
                    ],
                )
            group_ids += ids

            organisation_count = max(1, people // 25)
            first = next_id(Organisation)
            kinds = list(OrganisationKind)
            organisation_rows: list[dict[str, Any]] = []
            for i in range(organisation_count):
                quarter = rng.choice(QUARTERS)
                name = nfc(f"{rng.choice(ORGANISATION_WORDS)} {quarter} {i + 1}")
                organisation_rows.append(
                    {
                        "id": first + i,
                        "name": name,
                        "name_key": sort_key(name),
                        "kind": rng.choice(kinds),
                        "city": "Musterstadt",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            session.execute(insert(Organisation), organisation_rows)
            organisation_ids = [first + i for i in range(organisation_count)]
            session.execute(
                insert(organisation_quarters),
                [
                    {"organisation_id": org_id, "quarter_id": rng.choice(quarter_ids)}
                    for org_id in organisation_ids
                ],
            )

            first = next_id(Person)
            person_rows: list[dict[str, Any]] = []
            email_rows: list[dict[str, Any]] = []
            phone_rows: list[dict[str, Any]] = []
            group_rows: list[dict[str, Any]] = []
            consent_rows: list[dict[str, Any]] = []
            for i in range(people):
                person_id = first + i
                first_name = nfc(rng.choice(FIRST_NAMES))
                last_name = nfc(rng.choice(LAST_NAMES))
                person_rows.append(
                    {
                        "id": person_id,
                        "salutation": rng.choice(list(Salutation)),
                        "first_name": first_name,
                        "last_name": last_name,
                        "name_key": sort_key(last_name, first_name),
                        "organisation_id": (
                            rng.choice(organisation_ids) if rng.random() < 0.9 else None
                        ),
                        "function": rng.choice(FUNCTIONS),
                        "preferred_language": "de",
                        "archived": rng.random() < 0.02,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for position in range(rng.choice((1, 1, 1, 2))):
                    address = f"person{person_id}.{position}@example.org"
                    email_rows.append(
                        {
                            "person_id": person_id,
                            "address": address,
                            "address_key": address.casefold(),
                            "is_preferred": position == 0,
                            "position": position,
                        }
                    )
                if rng.random() < 0.6:
                    phone_rows.append(
                        {"person_id": person_id, "number": f"+49 30 {rng.randrange(10**7):07d}"}
                    )
                for group_id in rng.sample(group_ids, k=min(len(group_ids), rng.randrange(4))):
                    group_rows.append({"person_id": person_id, "group_id": group_id})
                if rng.random() < 0.8:
                    consent_rows.append(
                        {
                            "person_id": person_id,
                            "topic": ConsentTopic.CONTACT_DATA,
                            "given": True,
                            "recorded_at": now - timedelta(days=rng.randrange(700)),
                            "method": ConsentMethod.FORM,
                        }
                    )
            if person_rows:
                session.execute(insert(Person), person_rows)
                session.execute(insert(PersonEmail), email_rows)
            if phone_rows:
                session.execute(insert(PersonPhone), phone_rows)
            if group_rows:
                session.execute(insert(person_groups), group_rows)
            if consent_rows:
                session.execute(insert(ConsentRecord), consent_rows)

        with database.read() as session:
            return {
                "people": session.scalar(select(func.count(Person.id))) or 0,
                "organisations": session.scalar(select(func.count(Organisation.id))) or 0,
            }
    finally:
        database.close()


# -- measuring -------------------------------------------------------------------------------


def child_environment(scratch: Path) -> dict[str, str]:
    """Offscreen Qt and private user folders for both programs alike.

    Private folders keep the user's preferences, recent files and single-instance lock out of
    the measurement, and the measurement out of them. Every program reuses compiled bytecode,
    as an installation does (the wheel's installer and the bundle compile it): with
    ``PYTHONDONTWRITEBYTECODE`` set (as in some shells here) Treffpunkt would compile its own
    modules again in every run (~90 ms), the bare window none. The warm-up run writes the
    bytecode to a private folder, not into the checkout.
    """
    env = dict(os.environ)
    env.pop("TREFFPUNKT_DB", None)
    env.pop(QUIT_ENV, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        folder = scratch / name.lower()
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    return env


@dataclass(frozen=True)
class Program:
    """A program to time: its command line and extra environment variables."""

    label: str
    command: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


def run_once(program: Program, env: dict[str, str], timeout: float) -> tuple[float, float, float]:
    """Wall time (s) of one whole process from spawning it to its exit, its peak memory (max
    RSS, MiB) and CPU time (user + system, s); NaN where the OS does not report them.

    On a busy machine the CPU time is the steadier figure: the wall time also counts the
    time other processes had the cores."""
    env = dict(env)
    env.update(program.env)
    started = time.perf_counter()
    process = subprocess.Popen(
        program.command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak = cpu = float("nan")
    try:
        if hasattr(os, "wait4"):
            # wait4 gives this very child's resource usage, max RSS included (KiB on Linux).
            deadline = started + timeout
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    raise subprocess.TimeoutExpired(program.command, timeout)
                time.sleep(0.002)
            elapsed = time.perf_counter() - started
            returncode = os.waitstatus_to_exitcode(status)
            process.returncode = returncode
            peak = usage.ru_maxrss / 1024
            cpu = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - Windows
            returncode = process.wait(timeout)
            elapsed = time.perf_counter() - started
        stderr = process.stderr.read() if process.stderr else b""
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.wait()
        raise BenchmarkError(
            f"{program.label} did not quit within {timeout:.0f} s "
            "(does it honour TREFFPUNKT_QUIT_WHEN_SHOWN?)"
        ) from exc
    finally:
        if process.stderr:
            process.stderr.close()
    if returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise BenchmarkError(
            f"{' '.join(program.command)} exited with {returncode}:\n  " + "\n  ".join(tail)
        )
    return elapsed, peak, cpu


def measure(
    programs: list[Program], runs: int, env: dict[str, str], timeout: float
) -> list[Timings]:
    for program in programs:  # warm-up: page cache, .pyc files, font cache
        run_once(program, env, timeout)
    seconds: dict[str, list[float]] = {program.label: [] for program in programs}
    peaks: dict[str, list[float]] = {program.label: [] for program in programs}
    cpu: dict[str, list[float]] = {program.label: [] for program in programs}
    for round_number in range(runs):
        order = programs if round_number % 2 == 0 else list(reversed(programs))
        for program in order:
            elapsed, peak, cpu_seconds = run_once(program, env, timeout)
            seconds[program.label].append(elapsed)
            peaks[program.label].append(peak)
            cpu[program.label].append(cpu_seconds)
    return [
        Timings(
            program.label,
            tuple(seconds[program.label]),
            tuple(peaks[program.label]),
            tuple(cpu[program.label]),
        )
        for program in programs
    ]


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):  # pragma: no cover - Windows
        return "n/a"


def print_table(timings: list[Timings], runs: int, target: float | None) -> None:
    print()
    print(f"Whole processes, {runs} runs each after 1 warm-up, interleaved (medians of wall time,")
    print("CPU time and max RSS):")
    print(f"  {'':<34}{'median':>9}{'min':>9}{'max':>9}{'CPU':>9}{'peak memory':>14}")
    for timing in timings:
        print(
            f"  {timing.label:<34}{timing.median:>8.3f}s{min(timing.seconds):>8.3f}s"
            f"{max(timing.seconds):>8.3f}s{timing.cpu_median:>8.3f}s"
            f"{timing.peak_mib:>10.0f} MiB"
        )
    bare = next((t for t in timings if t.label == BARE_LABEL), None)
    if bare is None:
        return
    print()
    for timing in timings:
        if timing is bare:
            continue
        time_ratio = timing.median / bare.median
        cpu_ratio = timing.cpu_median / bare.cpu_median
        memory_ratio = timing.peak_mib / bare.peak_mib
        print(
            f"  {timing.label + ' / bare window':<44} time {time_ratio:>5.2f}x"
            f"   CPU {cpu_ratio:>5.2f}x   memory {memory_ratio:>4.2f}x"
        )
    if target is not None:
        print(f"  (target for the data shown: at most {target:g}x the bare window's time)")


def describe_machine() -> str:
    try:
        from PySide6 import __version__ as pyside_version
    except ImportError:
        pyside_version = "?"
    return (
        f"Python {platform.python_version()}, PySide6 {pyside_version}, "
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--people", type=int, default=10_000, help="generated people (10000; 0: the demo alone)"
    )
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each program (7)")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database in benchmarks/out/"
    )
    parser.add_argument(
        "--db", type=Path, help="measure with this existing database instead of building one"
    )
    parser.add_argument(
        "--baseline-dir",
        type=Path,
        default=DEFAULT_BASELINE_DIR,
        help=f"folder with {BASELINE_SCRIPT} (default: {DEFAULT_BASELINE_DIR})",
    )
    parser.add_argument(
        "--window-shown",
        action="store_true",
        help="also time Treffpunkt until the window is shown (without data)",
    )
    parser.add_argument(
        "--floor", action="store_true", help=f"also time {FLOOR_SCRIPT} on the same database"
    )
    parser.add_argument(
        "--module", default="ui.launcher", help="module to start as the app (ui.launcher)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run (120)")
    parser.add_argument("--seed", type=int, default=20261125, help="random seed for the data")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.people < 0:
        parser.error("--runs must be at least 1 and --people not negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="treffpunkt-bench-"))
    try:
        if args.db:
            database_path = args.db.resolve()
            if not database_path.is_file():
                print(f"error: no database at {database_path}", file=sys.stderr)
                return 1
            print(f"Database: {database_path} (given)")
        else:
            database_path = scratch / "startup-benchmark.db"
            started = time.perf_counter()
            counts = build_in_own_process(database_path, args.people, args.seed)
            print(
                f"Database: {counts['people']:,} people, {counts['organisations']:,} "
                f"organisations, {database_path.stat().st_size / 1e6:.1f} MB, built in "
                f"{time.perf_counter() - started:.1f} s (not measured)"
            )
        print(describe_machine())
        print(f"Load average before: {load_average()}")

        app_command = (sys.executable, "-m", args.module, "--db", str(database_path))
        programs = [Program("Treffpunkt, data shown", app_command, ((QUIT_ENV, "data"),))]
        if args.window_shown:
            programs.append(Program("Treffpunkt, window shown", app_command, ((QUIT_ENV, "1"),)))
        floor = args.baseline_dir / FLOOR_SCRIPT
        if args.floor:
            if floor.is_file():
                programs.append(
                    Program(
                        "bare people table (floor)",
                        (sys.executable, str(floor), str(database_path)),
                    )
                )
            else:
                print(f"note: no floor script at {floor}")
        baseline = args.baseline_dir / BASELINE_SCRIPT
        if baseline.is_file():
            programs.append(Program(BARE_LABEL, (sys.executable, str(baseline))))
        else:
            print(f"note: no baseline at {baseline}; timing Treffpunkt alone")

        env = child_environment(scratch)
        try:
            timings = measure(programs, args.runs, env, args.timeout)
        except BenchmarkError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        target = None if args.db else target_ratio(args.people)
        print_table(timings, args.runs, target)
        print(f"Load average after: {load_average()}")

        if args.keep_db and not args.db:
            kept = ROOT / "benchmarks" / "out" / database_path.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(database_path), kept)
            print(f"\nDatabase kept: {kept}")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
