"""Team-mode benchmark: 5 colleagues editing one PostgreSQL database at the same moment.

Set-up (not measured): a throwaway PostgreSQL cluster (``tests/postgres.py``: initdb + pg_ctl
in a temporary folder, free port; as root it runs as the ``postgres`` user), a migrated
database with one meeting, 3 TOPs and 40 invited people.

Measured, in the same sitting, interleaved run by run (A B, B A, ...); every client is its own
process, started and connected before the clock starts ("ready"/"go"):

  A  Treffpunkt: --edits mixed edits per client through the services, as the window makes
     them: mark attendance, record a reply, edit a TOP (loaded first, saved with its version),
     edit a person (form loaded, saved with its version: a stale form is a reported conflict).
     Each is one ``db.write()``: the network's write lock, the version check, ``changed_by``,
     commit.
  B  baseline: the least a client does for a checked write on the same server: one
     transaction ``UPDATE people SET function = … WHERE id = … AND version = …`` with psycopg
     and ``COMMIT``, the same number per client.

Prints, per side: edits per second over all clients (median of the runs), the worst latency
of a single edit (over all runs) and the 95th percentile; then the ratio of the medians.
Prints figures only; never fails on a timing (only when an edit fails other than by a
reported conflict).

Usage: .venv/bin/python benchmarks/team_edits.py [--clients 5] [--edits 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEOPLE = 40


# -- the clients (run as: team_edits.py --worker KIND URL SEED EDITS MEETING IDS) -------------


def treffpunkt_worker(url: str, seed: int, edits: int, meeting_id: int, people: list[int]) -> None:
    from app.db import Database
    from app.errors import ConflictError
    from app.models import AttendanceStatus, InvitationState
    from app.services.agenda import AgendaItemDraft, get_agenda, update_item
    from app.services.attendance.marking import mark
    from app.services.directory_editing import load_person, update_person
    from app.services.invitations import set_reply

    rng = random.Random(seed)
    database = Database.open(url)
    database.user_name = f"client-{seed}"
    latencies: list[float] = []
    conflicts = 0
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    for n in range(edits):
        person_id = rng.choice(people)
        kind = n % 4
        begun = time.perf_counter()
        try:
            if kind == 0:
                mark(database, meeting_id, person_id, rng.choice(list(AttendanceStatus)[1:]))
            elif kind == 1:
                set_reply(database, meeting_id, person_id, InvitationState.ACCEPTED)
            elif kind == 2:
                entry = rng.choice(get_agenda(database, meeting_id).entries)
                draft = AgendaItemDraft(entry.row.title, 5, description=f"{seed}-{n}")
                update_item(database, entry.id, draft, expected_version=entry.version)
            else:
                form = load_person(database, person_id)
                values = replace(form.values, function=f"{seed}-{n}")
                update_person(database, person_id, values, form.version)
        except ConflictError:
            conflicts += 1
        latencies.append(time.perf_counter() - begun)
    elapsed = time.perf_counter() - started
    database.close()
    print(json.dumps({"elapsed": elapsed, "latencies": latencies, "conflicts": conflicts}))


def bare_worker(url: str, seed: int, edits: int, _meeting_id: int, people: list[int]) -> None:
    import psycopg

    from app.db.location import DatabaseLocation

    address = DatabaseLocation.parse(url).server
    assert address is not None
    rng = random.Random(seed)
    connection = psycopg.connect(
        host=address.host, port=address.port, user=address.user, dbname=address.dbname
    )
    latencies: list[float] = []
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    for n in range(edits):
        person_id = rng.choice(people)
        begun = time.perf_counter()
        with connection.transaction():
            version = connection.execute(
                "SELECT version FROM people WHERE id = %s", (person_id,)
            ).fetchone()[0]  # type: ignore[index]
            connection.execute(
                "UPDATE people SET function = %s, version = version + 1 "
                "WHERE id = %s AND version = %s",
                (f"{seed}-{n}", person_id, version),
            )
        latencies.append(time.perf_counter() - begun)
    elapsed = time.perf_counter() - started
    connection.close()
    print(json.dumps({"elapsed": elapsed, "latencies": latencies, "conflicts": 0}))


# -- the measuring side --------------------------------------------------------------------------


def prepare(url: str) -> tuple[int, list[int]]:
    from app.db import Database
    from app.services.agenda import AgendaItemDraft, add_item
    from app.services.directory_editing import PersonInput, create_person
    from app.services.invitations import add_invitees
    from app.services.planning import MeetingDraft, create_meeting

    with Database.create(url) as db:
        meeting_id = create_meeting(
            db,
            MeetingDraft(
                title="Netzwerktreffen",
                start=datetime(2026, 5, 4, 18, 0),
                end=datetime(2026, 5, 4, 20, 0),
                venue_name="Museumscafé K+",
            ),
        )
        people = [
            create_person(db, PersonInput(last_name=f"Yılmaz {n}", first_name="Ayşe")).id
            for n in range(PEOPLE)
        ]
        add_invitees(db, meeting_id, people)
        for title in ("Begrüßung", "Projekte", "Verschiedenes"):
            add_item(db, meeting_id, AgendaItemDraft(title, 5))
    return meeting_id, people


def one_run(kind: str, url: str, clients: int, edits: int, meeting: int, people: list[int]) -> dict:
    ids = ",".join(map(str, people))
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                kind,
                url,
                *map(str, (seed, edits, meeting)),
                ids,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in range(1, clients + 1)
    ]
    for process in processes:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"a {kind} client failed to start")
    started = time.perf_counter()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _err = process.communicate(timeout=600)
        if process.returncode != 0:
            raise SystemExit(f"a {kind} client failed (exit {process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = time.perf_counter() - started
    latencies = [value for result in results for value in result["latencies"]]
    return {
        "rate": len(latencies) / wall,
        "latencies": latencies,
        "conflicts": sum(result["conflicts"] for result in results),
    }


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def summary(runs: list[dict]) -> tuple[float, float, float, int]:
    latencies = sorted(value for run in runs for value in run["latencies"])
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    rate = statistics.median(run["rate"] for run in runs)
    return rate, max(latencies), p95, sum(run["conflicts"] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--edits", type=int, default=100, help="edits per client and run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from tests.postgres import running_cluster

    with running_cluster() as cluster:
        built = time.perf_counter()
        url = cluster.url("team")
        cluster.execute("CREATE DATABASE team")
        meeting, people = prepare(url)
        print(
            f"Server: throwaway PostgreSQL {server_version(url)} cluster on 127.0.0.1, "
            f"{PEOPLE} people, 1 meeting, "
            f"set up in {time.perf_counter() - built:.1f} s (not measured)"
        )
        print(
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
            f"{len(__import__('os').sched_getaffinity(0))} CPUs"
        )
        one_run("treffpunkt", url, args.clients, 5, meeting, people)  # warm-up
        one_run("bare", url, args.clients, 5, meeting, people)
        sides: dict[str, list[dict]] = {"treffpunkt": [], "bare": []}
        for n in range(args.runs):
            order = ("treffpunkt", "bare") if n % 2 == 0 else ("bare", "treffpunkt")
            for kind in order:
                sides[kind].append(one_run(kind, url, args.clients, args.edits, meeting, people))

    print(
        f"\n{args.clients} clients x {args.edits} edits at once, {args.runs} runs each after "
        "1 warm-up, interleaved:"
    )
    print(f"  {'':34}{'edits/s':>9}{'worst':>10}{'p95':>10}{'conflicts':>11}")
    labels = {
        "treffpunkt": "Treffpunkt (services, mixed edits)",
        "bare": "bare psycopg UPDATE (baseline)",
    }
    figures = {}
    for kind, runs in sides.items():
        rate, worst, p95, conflicts = summary(runs)
        figures[kind] = rate
        print(
            f"  {labels[kind]:34}{rate:9.0f}{worst * 1000:8.0f}ms{p95 * 1000:8.0f}ms{conflicts:11}"
        )
    print(
        f"  ratio of the medians (baseline / Treffpunkt): "
        f"{figures['bare'] / figures['treffpunkt']:.1f}x"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker = treffpunkt_worker if sys.argv[2] == "treffpunkt" else bare_worker
        worker(
            sys.argv[3],
            int(sys.argv[4]),
            int(sys.argv[5]),
            int(sys.argv[6]),
            [int(part) for part in sys.argv[7].split(",")],
        )
    else:
        main()
