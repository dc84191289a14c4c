"""A reusable generator: a Treffpunkt database with a 10-year history of a city network.

``fill_history(path)`` creates a new database with, by default, 500 meetings from January 2016
to December 2025 (about one a week outside the holidays; a few cancelled, the rest held with
final minutes), 30,000 attendance rows (people from the directory and walk-in guests, present,
excused or absent), invitations for every attendee, 6 – 9 TOPs per meeting with decisions and
action items, 60 organisations in 8 city quarters, 900 people, 8 funded projects (one linked
to every meeting as a whole, the others to their TOPs), some photos with credits and press
releases. Names carry umlauts and other scripts. Rows go in with SQLAlchemy Core
``executemany`` (a few seconds), deterministic for a given ``seed``.

Usage: ``python benchmarks/history.py OUT.db [--meetings 500] [--attendances 30000]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIRST = [
    "Ayşe",
    "Łukasz",
    "Олександр",
    "Thị Mai",
    "Jürgen",
    "Renée",
    "Işıl",
    "Małgorzata",
    "Sabine",
    "Yusuf",
    "Eleni",
    "Jana",
    "Mehmet",
    "Anna",
    "Tobias",
    "Fatma",
    "Lea",
    "Omar",
]
LAST = [
    "Yılmaz",
    "Żółć",
    "Шевченко",
    "Nguyễn",
    "Müller",
    "Öztürk-Weiß",
    "Kılıç",
    "Woźniak",
    "Krüger",
    "Hoffmann",
    "Papadopoulou",
    "Schmitz",
    "Demir",
    "Becker",
    "Al-Khatib",
    "Weber",
]
QUARTERS = [
    "Lehmheide",
    "Bleichpfad/Hardenberg",
    "Gatherhof",
    "Schinkenplatz",
    "Stahldorf",
    "Innenstadt",
    "Oppum",
    "Uerdingen",
]
KINDS = [
    "Quartiersbüro",
    "Sportverein",
    "Gemeinschaftsunterkunft",
    "Familienzentrum",
    "Kulturverein",
    "Kirchengemeinde",
    "Wohlfahrtsverband",
    "Schule",
]
TOPICS = [
    "Begrüßung",
    "Berichte aus den Quartieren",
    "Sport im Park",
    "Sportpark Mobil",
    "VielFeld",
    "Ladenlokal Stahldorf",
    "Haushalt und Förderung",
    "Öffentlichkeitsarbeit",
    "Planung des Sommerfests",
    "Sprachcafé",
    "Verschiedenes",
]
PROJECTS = [
    "Integration im Quartier",
    "Quartiersbüros",
    "Sport im Park",
    "Sportpark Mobil",
    "VielFeld",
    "Ladenlokal Stahldorf",
    "Sprachcafé",
    "Sommerfest",
]


@dataclass(frozen=True)
class HistorySummary:
    meetings: int
    held: int
    attendances: int
    people: int
    organisations: int
    projects: int
    seconds: float


def _local(day: date, hour: int) -> datetime:
    # 15:00 Berlin in winter is 14:00 UTC, in summer 13:00 UTC (close enough for a generator).
    offset = 1 if day.month in (11, 12, 1, 2, 3) else 2
    return datetime(day.year, day.month, day.day, hour - offset, tzinfo=UTC)


def fill_history(
    path: Path, *, meetings: int = 500, attendances: int = 30_000, seed: int = 15
) -> HistorySummary:
    from sqlalchemy import insert

    from app.db import Database
    from app.models import (
        ActionItem,
        ActionItemStatus,
        AgendaItem,
        AgendaItemKind,
        Attendance,
        AttendanceStatus,
        Decision,
        Invitation,
        InvitationState,
        Meeting,
        MeetingState,
        Minutes,
        MinutesState,
        Organisation,
        OrganisationKind,
        Person,
        PersonEmail,
        Photo,
        PressRelease,
        PressReleaseChannel,
        Project,
        Quarter,
        Venue,
        organisation_quarters,
        project_agenda_items,
        project_meetings,
    )
    from app.services.demo_projects import demo_photo
    from app.text import sort_key

    started = time.perf_counter()
    rng = random.Random(seed)
    with Database.create(path) as db, db.write() as session:
        connection = session.connection()
        connection.execute(
            insert(Quarter),
            [{"id": i + 1, "name": q, "name_key": sort_key(q)} for i, q in enumerate(QUARTERS)],
        )
        organisations = []
        for number in range(60):
            name = f"{KINDS[number % len(KINDS)]} {QUARTERS[number % len(QUARTERS)]} {number + 1}"
            organisations.append(
                {
                    "id": number + 1,
                    "name": name,
                    "name_key": sort_key(name),
                    "kind": OrganisationKind.OTHER,
                    "city": "Krefeld",
                }
            )
        connection.execute(insert(Organisation), organisations)
        connection.execute(
            insert(organisation_quarters),
            [
                {"organisation_id": o["id"], "quarter_id": (o["id"] - 1) % len(QUARTERS) + 1}
                for o in organisations
                if o["id"] % 7  # every seventh is city-wide
            ],
        )
        people = []
        emails = []
        for number in range(900):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            people.append(
                {
                    "id": number + 1,
                    "first_name": first,
                    "last_name": last,
                    "name_key": sort_key(last, first),
                    "organisation_id": rng.randint(1, 60) if number % 9 else None,
                }
            )
            emails.append(
                {
                    "person_id": number + 1,
                    "address": f"person{number + 1}@netz.example",
                    "address_key": f"person{number + 1}@netz.example",
                    "is_preferred": True,
                }
            )
        connection.execute(insert(Person), people)
        connection.execute(insert(PersonEmail), emails)
        connection.execute(
            insert(Venue),
            [
                {"id": i + 1, "name": f"Quartiersbüro {q}", "city": "Krefeld"}
                for i, q in enumerate(QUARTERS)
            ],
        )
        # Meetings: spread over ten years.
        first_day, last_day = date(2016, 1, 12), date(2025, 12, 16)
        span = (last_day - first_day).days
        days = sorted(first_day + timedelta(days=span * i // meetings) for i in range(meetings))
        meeting_rows, minutes_rows = [], []
        per_meeting = attendances // meetings
        extra = attendances - per_meeting * meetings
        cancelled = {i for i in range(meetings) if i % 50 == 49}
        for index, day in enumerate(days):
            start = _local(day, 15)
            meeting_rows.append(
                {
                    "id": index + 1,
                    "uid": f"history-{index + 1}@treffpunkt",
                    "title": f"Netzwerktreffen {index + 1} der Impuls.Ag",
                    "start": start,
                    "end": start + timedelta(hours=2),
                    "timezone": "Europe/Berlin",
                    "venue_id": index % len(QUARTERS) + 1,
                    "organiser_id": 1,
                    "state": MeetingState.CANCELLED
                    if index in cancelled
                    else MeetingState.MINUTES_FINAL,
                }
            )
            if index not in cancelled:
                minutes_rows.append(
                    {"meeting_id": index + 1, "state": MinutesState.FINAL, "number": f"{index + 1}"}
                )
        connection.execute(insert(Meeting), meeting_rows)
        connection.execute(insert(Minutes), minutes_rows)
        items, decisions, actions = [], [], []
        item_id = 0
        topic_items: dict[str, list[int]] = {topic: [] for topic in TOPICS}
        for meeting in meeting_rows:
            count = rng.randint(6, 9)
            chosen = ["Begrüßung", *rng.sample(TOPICS[1:-1], count - 2), "Verschiedenes"]
            for position, title in enumerate(chosen, start=1):
                item_id += 1
                items.append(
                    {
                        "id": item_id,
                        "meeting_id": meeting["id"],
                        "position": position,
                        "title": title,
                        "planned_minutes": 15,
                        "kind": AgendaItemKind.DISCUSSION,
                        "notes": "Bericht und Aussprache. " * 3,
                    }
                )
                topic_items[title].append(item_id)
                if title not in ("Begrüßung", "Verschiedenes") and rng.random() < 0.3:
                    decisions.append(
                        {
                            "meeting_id": meeting["id"],
                            "agenda_item_id": item_id,
                            "position": position,
                            "text": f"Beschluss zu „{title}“: wird wie besprochen umgesetzt.",
                            "votes_yes": rng.randint(10, 40),
                            "votes_no": 0,
                            "votes_abstain": rng.randint(0, 3),
                        }
                    )
                if rng.random() < 0.35:
                    done = rng.random() < 0.8
                    actions.append(
                        {
                            "meeting_id": meeting["id"],
                            "agenda_item_id": item_id,
                            "position": position,
                            "text": f"Nächste Schritte zu „{title}“ vorbereiten",
                            "owner_person_id": rng.randint(1, 900),
                            "due": meeting["start"].date() + timedelta(days=30),
                            "status": ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
                            "done_at": meeting["start"] + timedelta(days=28) if done else None,
                        }
                    )
        connection.execute(insert(AgendaItem), items)
        connection.execute(insert(Decision), decisions)
        connection.execute(insert(ActionItem), actions)
        # Attendance: regulars come often, others now and then; a few walk-in guests.
        regulars = list(range(1, 121))
        others = list(range(121, 901))
        attendance_rows, invitation_rows = [], []
        for index, meeting in enumerate(meeting_rows):
            wanted = per_meeting + (1 if index < extra else 0)
            chosen_people = set(rng.sample(regulars, min(len(regulars), int(wanted * 0.6))))
            while len(chosen_people) < wanted - 3:
                chosen_people.add(rng.choice(others))
            for person_id in sorted(chosen_people):
                roll = rng.random()
                status = (
                    AttendanceStatus.PRESENT
                    if roll < 0.82 or index in cancelled
                    else AttendanceStatus.EXCUSED
                    if roll < 0.95
                    else AttendanceStatus.ABSENT
                )
                attendance_rows.append(
                    {
                        "meeting_id": meeting["id"],
                        "person_id": person_id,
                        "status": status,
                        "photo_consent": rng.random() < 0.9
                        if status is AttendanceStatus.PRESENT
                        else None,
                    }
                )
                invitation_rows.append(
                    {
                        "meeting_id": meeting["id"],
                        "person_id": person_id,
                        "state": InvitationState.ACCEPTED,
                    }
                )
            for guest in range(wanted - len(chosen_people)):
                attendance_rows.append(
                    {
                        "meeting_id": meeting["id"],
                        "person_id": None,
                        "guest_name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {guest}",
                        "guest_organisation": rng.choice(
                            ["Anwohner", "Presse", organisations[guest]["name"]]
                        ),
                        "status": AttendanceStatus.PRESENT,
                        "photo_consent": rng.random() < 0.7,
                    }
                )
        connection.execute(insert(Attendance), attendance_rows)
        connection.execute(insert(Invitation), invitation_rows)
        # Projects: the umbrella project concerns every meeting; the others their TOPs.
        connection.execute(
            insert(Project),
            [
                {
                    "id": number + 1,
                    "name": name,
                    "name_key": sort_key(name),
                    "funder": "Land Nordrhein-Westfalen" if number == 0 else "Stadt Krefeld",
                    "programme": "Integrationspauschale" if number == 0 else "Haushaltsmittel",
                    "reference": f"HIST-{number + 1:02d}",
                    "amount_cents": 350_000_00 * 10
                    if number == 0
                    else rng.randint(10, 90) * 1_000_00,
                    "start_date": date(2016, 1, 1),
                    "end_date": date(2025, 12, 31),
                    "lead_organisation_id": number + 1,
                }
                for number, name in enumerate(PROJECTS)
            ],
        )
        connection.execute(
            insert(project_meetings),
            [{"project_id": 1, "meeting_id": m["id"]} for m in meeting_rows],
        )
        links = []
        for number, name in enumerate(PROJECTS[1:], start=2):
            topic = name if name in topic_items else TOPICS[number % len(TOPICS)]
            links += [{"project_id": number, "agenda_item_id": i} for i in topic_items[topic]]
        connection.execute(insert(project_agenda_items), links)
        photo = demo_photo(seed, 6, 1200, 800)
        held = [m for i, m in enumerate(meeting_rows) if i not in cancelled]
        photo_rows = [
            {
                "meeting_id": m["id"],
                "position": 1,
                "filename": f"treffen-{m['id']}.jpg",
                "mime_type": "image/jpeg",
                "data": photo,
                "caption": f"{m['title']} im Quartier.",
                "credit": "Foto: Quartiersmanagement",
            }
            for m in held[:: len(held) // 20]
        ]
        connection.execute(insert(Photo), photo_rows)
        connection.execute(
            insert(PressRelease),
            [
                {
                    "meeting_id": m["id"],
                    "headline": f"{m['title']}: Netzwerk zieht Bilanz",
                    "language": "de",
                    "channel": PressReleaseChannel.MAIL,
                    "recipients": "presse@stadt.example",
                    "text": "",
                    "issued_at": m["start"] + timedelta(days=5),
                }
                for m in held[::25]
            ],
        )
    return HistorySummary(
        meetings=meetings,
        held=len(held),
        attendances=len(attendance_rows),
        people=len(people),
        organisations=len(organisations),
        projects=len(PROJECTS),
        seconds=time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--attendances", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    summary = fill_history(
        args.output, meetings=args.meetings, attendances=args.attendances, seed=args.seed
    )
    print(summary)


if __name__ == "__main__":
    main()
