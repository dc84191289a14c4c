"""Start-up benchmark: whole-process time until the main window shows 10,000 people.

Builds a database (demo network plus generated people; set-up, not measured), then times, as
whole processes in the same sitting,

  A  Treffpunkt: ``python -m ui.launcher --db FILE`` with ``TREFFPUNKT_QUIT_WHEN_SHOWN=1``:
     the window quits itself as soon as it is shown (what the target ratio is about);
  A' the same with ``TREFFPUNKT_QUIT_WHEN_SHOWN=data``: quits once the 10,000 people are
     loaded into the list (reported beside it, for what the user waits for);
  B  the bare baseline ``benchmarks/baselines/bare_qt_window.py``: the least a PySide6
     program does to show a main window.

Both run offscreen with one warm-up each, then interleaved (A B, B A, ...) so that drift of the
machine hits both alike. Prints median, min and max and the ratio of the medians (target: at
most 2.0). Prints figures only; it never fails on a timing.

Usage: .venv/bin/python benchmarks/startup.py [--people 10000] [--runs 7] [--keep-db]
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
TARGET_RATIO = 2.0

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

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# -- set-up: the database ------------------------------------------------------------------------


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
    """Offscreen Qt, quit-when-shown, and private user folders for both programs alike.

    Private folders keep the user's preferences, recent files and single-instance lock out of
    the measurement, and the measurement out of them.
    """
    env = dict(os.environ)
    env.pop("TREFFPUNKT_DB", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        folder = scratch / name.lower()
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    return env


def run_once(command: Sequence[str], env: dict[str, str], timeout: float) -> float:
    env = dict(env)
    if "=" in command[0]:  # "NAME=value" prefix: an environment variable for this program only
        name, value = command[0].split("=", 1)
        env[name] = value
        command = command[1:]
    """Wall time of one whole process, from spawning it to its exit."""
    started = time.perf_counter()
    try:
        process = subprocess.run(
            command,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(
            f"{' '.join(command)} did not quit within {timeout:.0f} s "
            "(does it honour TREFFPUNKT_QUIT_WHEN_SHOWN?)"
        ) from exc
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        tail = process.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise BenchmarkError(
            f"{' '.join(command)} exited with {process.returncode}:\n  " + "\n  ".join(tail)
        )
    return elapsed


def measure(
    commands: dict[str, list[str]], runs: int, env: dict[str, str], timeout: float
) -> list[Timings]:
    labels = list(commands)
    for label in labels:  # warm-up: page cache, .pyc files, font cache
        run_once(commands[label], env, timeout)
    results: dict[str, list[float]] = {label: [] for label in labels}
    for round_number in range(runs):
        order = labels if round_number % 2 == 0 else list(reversed(labels))
        for label in order:
            results[label].append(run_once(commands[label], env, timeout))
    return [Timings(label, tuple(results[label])) for label in labels]


def print_table(timings: list[Timings], runs: int) -> None:
    print()
    print(f"Whole-process start-up, {runs} runs each after 1 warm-up, interleaved:")
    print(f"  {'':<28}{'median':>9}{'min':>9}{'max':>9}")
    for timing in timings:
        print(
            f"  {timing.label:<28}{timing.median:>8.3f}s{min(timing.seconds):>8.3f}s"
            f"{max(timing.seconds):>8.3f}s"
        )
    baseline = timings[-1]
    if len(timings) >= 2 and baseline.label.startswith("bare"):
        for timing in timings[:-1]:
            ratio = timing.median / baseline.median
            print(f"  ratio {timing.label + ' / bare':<36}{ratio:>6.2f}")
        print(f"  (target for the window shown: at most {TARGET_RATIO:.1f})")


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
    parser.add_argument("--people", type=int, default=10_000, help="generated people (10000)")
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
            counts = build_database(database_path, args.people, args.seed)
            print(
                f"Database: {counts['people']:,} people, {counts['organisations']:,} "
                f"organisations, {database_path.stat().st_size / 1e6:.1f} MB, built in "
                f"{time.perf_counter() - started:.1f} s (not measured)"
            )
        print(describe_machine())

        app_command = [sys.executable, "-m", args.module, "--db", str(database_path)]
        commands = {
            "Treffpunkt window shown": ["TREFFPUNKT_QUIT_WHEN_SHOWN=1", *app_command],
            "Treffpunkt people loaded": ["TREFFPUNKT_QUIT_WHEN_SHOWN=data", *app_command],
        }
        baseline = args.baseline_dir / BASELINE_SCRIPT
        if baseline.is_file():
            commands["bare Qt window (baseline)"] = [sys.executable, str(baseline)]
        else:
            print(f"note: no baseline at {baseline}; timing Treffpunkt alone")

        env = child_environment(scratch)
        try:
            timings = measure(commands, args.runs, env, args.timeout)
        except BenchmarkError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print_table(timings, args.runs)

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
