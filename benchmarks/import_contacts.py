"""Benchmark: importing 5,000 people from a CSV against a bare SQLAlchemy Core insert.

Generates a German Excel list (UTF-8 with BOM, ";", headers Anrede/Titel/Vorname/Nachname/
Einrichtung/Funktion/E-Mail/Telefon/Quartier/Gruppe; names with umlauts, Turkish, Polish,
Vietnamese, Cyrillic and Arabic letters; ~1 organisation per 25 people), then times in this
process, interleaved, ``--runs`` rounds after one warm-up:

- ``Treffpunkt``: ``preview_import`` (detect encoding, delimiter, layout, read rows) +
  ``plan_import`` (validate, normalise, match against the database) + ``apply_import`` (one
  transaction) into a fresh database;
- ``baseline``: the same file read with ``csv.reader`` and the same rows (organisations,
  quarters, groups, people, e-mails, phones, links) inserted with plain SQLAlchemy Core
  ``executemany`` into the same schema: no validation, no matching, no normalisation;
- ``re-import``: Treffpunkt importing the same file again into the filled database (every
  row matches a person; nothing changes).

Creating the empty databases is not measured. Prints medians (min, max) and the ratio of the
medians; never fails on a timing. Usage::

    .venv/bin/python benchmarks/import_contacts.py [--people 5000] [--runs 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app.contacts import apply_import, plan_import, preview_import  # noqa: E402
from app.db import Database  # noqa: E402
from app.models import (  # noqa: E402
    Group,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    organisation_quarters,
    person_groups,
)

FIRST = [
    "Ayşe",
    "Jürgen",
    "Renée",
    "Łukasz",
    "Thị Hoa",
    "Ольга",
    "محمد",
    "Björn",
    "Zoë",
    "Emre",
    "Hannelore",
    "Minh",
    "Anna",
    "Tarık",
    "Agnieszka",
    "Ben",
    "Fatma",
    "Søren",
]
LAST = [
    "Yılmaz",
    "Weiß",
    "Öztürk",
    "Żółć",
    "Nguyễn",
    "Петрова",
    "الأحمد",
    "Müller",
    "Groß",
    "Schäfer",
    "Trần",
    "Kowalski",
    "Şahin",
    "Becker",
    "Brandt",
    "Ćosić",
    "Łapińska",
]
KINDS = [
    "Quartiersbüro",
    "Sportverein",
    "Gemeinschaftsunterkunft",
    "Nachbarschaftsverein",
    "Kita",
    "Jugendhaus",
    "Stadtteilbibliothek",
    "Elternverein",
]
QUARTERS = ["Lehmheide", "Bleichpfad/Hardenberg", "Gatherhof", "Schinkenplatz", "Stahldorf"]
GROUPS = ["Impuls.Ag", "Sport", "Quartiersbüros", "Eltern", "Kultur"]
FUNCTIONS = ["Leitung", "Quartiersmanagerin", "Übungsleiter", "Sozialarbeiterin", "Vorstand", ""]
HEADERS = [
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Einrichtung",
    "Funktion",
    "E-Mail",
    "Telefon",
    "Quartier",
    "Gruppe",
]


def make_csv(path: Path, people: int, seed: int) -> None:
    rng = random.Random(seed)
    organisations = [
        f"{rng.choice(KINDS)} {rng.choice(QUARTERS)} {n}" for n in range(max(1, people // 25))
    ]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for n in range(people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        groups = rng.sample(GROUPS, rng.randint(1, 2))
        writer.writerow(
            [
                rng.choice(["Frau", "Herr", ""]),
                rng.choice(["", "", "", "Dr."]),
                first,
                last,
                organisations[n % len(organisations)],
                rng.choice(FUNCTIONS),
                f"person{n}@example.org",
                f"+49 30 {rng.randint(1000000, 9999999)}",
                rng.choice(QUARTERS),
                ", ".join(groups),
            ]
        )
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def treffpunkt_import(db: Database, path: Path) -> tuple[float, float, float]:
    start = time.perf_counter()
    preview = preview_import(path)
    read = time.perf_counter()
    plan = plan_import(db, preview)
    planned = time.perf_counter()
    result = apply_import(db, plan)
    applied = time.perf_counter()
    assert not result.rejected, result.rejected[:3]
    return read - start, planned - read, applied - planned


def baseline_import(db: Database, path: Path) -> None:
    """The least work that leaves the same rows in the same tables."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    org_ids: dict[str, int] = {}
    quarter_ids: dict[str, int] = {}
    group_ids: dict[str, int] = {}
    org_quarters: set[tuple[int, int]] = set()
    people, emails, phones, links = [], [], [], []
    for person_id, row in enumerate(rows, start=1):
        org_id = org_ids.setdefault(row["Einrichtung"], len(org_ids) + 1)
        quarter_id = quarter_ids.setdefault(row["Quartier"], len(quarter_ids) + 1)
        org_quarters.add((org_id, quarter_id))
        people.append(
            {
                "id": person_id,
                "salutation": row["Anrede"].lower() or "none",
                "title": row["Titel"],
                "first_name": row["Vorname"],
                "last_name": row["Nachname"],
                "organisation_id": org_id,
                "function": row["Funktion"],
            }
        )
        emails.append(
            {"person_id": person_id, "address": row["E-Mail"], "position": 0, "is_preferred": True}
        )
        phones.append({"person_id": person_id, "number": row["Telefon"], "position": 0})
        for group in row["Gruppe"].split(", "):
            links.append(
                {
                    "person_id": person_id,
                    "group_id": group_ids.setdefault(group, len(group_ids) + 1),
                }
            )
    with db.engine.begin() as connection:
        connection.execute(
            insert(Organisation), [{"id": i, "name": name} for name, i in org_ids.items()]
        )
        connection.execute(
            insert(Quarter), [{"id": i, "name": name} for name, i in quarter_ids.items()]
        )
        connection.execute(
            insert(Group), [{"id": i, "name": name} for name, i in group_ids.items()]
        )
        connection.execute(
            insert(organisation_quarters),
            [{"organisation_id": o, "quarter_id": q} for o, q in org_quarters],
        )
        connection.execute(insert(Person), people)
        connection.execute(insert(PersonEmail), emails)
        connection.execute(insert(PersonPhone), phones)
        connection.execute(insert(person_groups), links)


def fresh_database(folder: Path, name: str) -> Database:
    path = folder / f"{name}.db"
    path.unlink(missing_ok=True)
    return Database.create(path)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def describe(label: str, values: list[float]) -> str:
    return f"  {label:<34}{statistics.median(values):8.3f}s {min(values):8.3f}s {max(values):8.3f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = folder / "kontakte.csv"
        make_csv(source, args.people, args.seed)
        print(
            f"File: {args.people:,} people, {source.stat().st_size / 1024:.0f} KB "
            f"(UTF-8 with BOM, ';', German headers)"
        )
        print(f"Python {platform.python_version()}, {platform.system()} {platform.release()}")

        phases: dict[str, list[float]] = {"read": [], "plan": [], "apply": []}
        totals, baselines, reimports = [], [], []
        for run in range(args.runs + 1):  # run 0 warms up caches and imports
            order = ("treffpunkt", "baseline") if run % 2 else ("baseline", "treffpunkt")
            for which in order:
                db = fresh_database(folder, which)
                try:
                    if which == "baseline":
                        seconds = timed(lambda db=db: baseline_import(db, source))  # type: ignore[misc]
                        if run:
                            baselines.append(seconds)
                        continue
                    read, plan, apply = treffpunkt_import(db, source)
                    again = timed(
                        lambda db=db: apply_import(  # type: ignore[misc]
                            db, plan_import(db, preview_import(source))
                        )
                    )
                    if run:
                        for key, value in zip(phases, (read, plan, apply), strict=True):
                            phases[key].append(value)
                        totals.append(read + plan + apply)
                        reimports.append(again)
                finally:
                    db.close()

    print(f"\nIn-process wall time, {args.runs} runs each after 1 warm-up, interleaved:")
    print(f"  {'':<34}{'median':>9} {'min':>8} {'max':>8}")
    print(describe("Treffpunkt import, fresh database", totals))
    print(describe("  read + detect (preview_import)", phases["read"]))
    print(describe("  validate + match (plan_import)", phases["plan"]))
    print(describe("  write, one transaction (apply)", phases["apply"]))
    print(describe("bare Core executemany (baseline)", baselines))
    print(describe("re-import, all rows match", reimports))
    ratio = statistics.median(totals) / statistics.median(baselines)
    print(f"  {'ratio import / baseline':<34}{ratio:8.2f}")
    per_person = statistics.median(totals) / args.people * 1000
    print(f"  {'per person (import)':<34}{per_person:8.3f} ms")


if __name__ == "__main__":
    main()
