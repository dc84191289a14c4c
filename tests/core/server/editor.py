"""One colleague at work, as a separate process: EDITS mixed edits on one server database
through the services, the way the window makes them (load a form, then save it with the
version it was loaded at).

    python editor.py URL SEED EDITS MEETING_ID PERSON_ID,PERSON_ID,...

Kinds of edit: attendance (mark), replies (set_reply), agenda (add a TOP, or edit one's
counter in its description), people (increase a person's counter in ``function``). A
``ConflictError`` is the reported conflict of a form loaded before a colleague saved: counted,
never retried. Any other exception ends the process with a traceback (the test fails).

Prints one JSON line: what this process saved and which conflicts it was told about.
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import replace

from app.db import Database
from app.errors import ConflictError
from app.models import AttendanceStatus, InvitationState
from app.services.agenda import AgendaItemDraft, add_item, get_agenda, update_item
from app.services.attendance.marking import mark
from app.services.directory_editing import load_person, update_person
from app.services.invitations import set_reply

KINDS = ("attendance", "reply", "agenda-add", "agenda-edit", "person")
STATUSES = (AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT, None)
REPLIES = (InvitationState.ACCEPTED, InvitationState.DECLINED, InvitationState.TENTATIVE)


def counter(text: str) -> int:
    return int(text) if text.isdigit() else 0


def main(url: str, seed: int, edits: int, meeting_id: int, person_ids: list[int]) -> None:
    rng = random.Random(seed)
    database = Database.open(url)
    database.user_name = f"editor-{seed}"
    saved = {kind: 0 for kind in KINDS}
    conflicts = {"agenda-edit": 0, "person": 0}
    person_increments: dict[int, int] = {}
    agenda_increments: dict[int, int] = {}
    added_items: list[int] = []
    worst = 0.0
    for _ in range(edits):
        kind = rng.choice(KINDS)
        person_id = rng.choice(person_ids)
        started = time.perf_counter()
        try:
            if kind == "attendance":
                mark(database, meeting_id, person_id, rng.choice(STATUSES))
            elif kind == "reply":
                set_reply(database, meeting_id, person_id, rng.choice(REPLIES))
            elif kind == "agenda-add":
                added_items.append(
                    add_item(database, meeting_id, AgendaItemDraft(f"TOP von {seed}", 5))
                )
            elif kind == "agenda-edit":
                entry = rng.choice(get_agenda(database, meeting_id).entries)
                draft = AgendaItemDraft(
                    entry.row.title,
                    5,
                    description=str(counter(entry.row.description) + 1),
                )
                update_item(database, entry.id, draft, expected_version=entry.version)
                agenda_increments[entry.id] = agenda_increments.get(entry.id, 0) + 1
            else:
                form = load_person(database, person_id)
                values = replace(form.values, function=str(counter(form.values.function) + 1))
                update_person(database, person_id, values, form.version)
                person_increments[person_id] = person_increments.get(person_id, 0) + 1
            saved[kind] += 1
        except ConflictError as conflict:
            # Reported with who saved in between (changed_by): one of the colleagues.
            if kind not in conflicts or not (conflict.changed_by or "").startswith("editor-"):
                raise SystemExit(f"{kind}: unexpected conflict: {conflict!r}") from conflict
            conflicts[kind] += 1
        worst = max(worst, time.perf_counter() - started)
    database.close()
    print(
        json.dumps(
            {
                "saved": saved,
                "conflicts": conflicts,
                "person_increments": person_increments,
                "agenda_increments": agenda_increments,
                "added_items": added_items,
                "worst_seconds": worst,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(
        sys.argv[1],
        int(sys.argv[2]),
        int(sys.argv[3]),
        int(sys.argv[4]),
        [int(part) for part in sys.argv[5].split(",")],
    )
