"""Once the minutes are final, the agenda and the attendance they record are fixed: every
service that changes either refuses with a clear message and changes nothing; a correction
of the minutes opens both again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.db import Database
from app.models import AttendanceStatus, Meeting, Person, PersonEmail
from app.services import agenda
from app.services.attendance import (
    add_walk_in,
    mark,
    mark_accepted_present,
    record_attendance,
    remove_walk_in,
    restore_attendance,
)
from app.services.attendance.marking import AttendanceBatch, set_photo_consent
from app.services.attendance.rows import AttendanceChange, WalkInResult
from app.services.minutes.states import finalise_minutes, start_correction
from app.services.planning.common import MinutesLockedError
from tests.core.database_digest import digest

START = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
NOW = START + timedelta(days=1)


@dataclass(frozen=True)
class Held:
    meeting: int
    jan: int
    lea: int
    top1: int
    top2: int
    walk_in: WalkInResult
    lea_excused: AttendanceChange


@pytest.fixture
def held(db: Database) -> Held:
    """A held meeting: two TOPs, Jan present, Lea excused, a walk-in; minutes finalised."""
    with db.write() as session:
        meeting = Meeting(title="Netzwerktreffen", start=START, end=START + timedelta(hours=2))
        jan = Person(
            first_name="Jan", last_name="Nowak", emails=[PersonEmail(address="jan@example.org")]
        )
        lea = Person(
            first_name="Lea", last_name="Brandt", emails=[PersonEmail(address="lea@example.org")]
        )
        session.add_all([meeting, jan, lea])
        session.flush()
        meeting_id, jan_id, lea_id = meeting.id, jan.id, lea.id
    top1 = agenda.add_item(db, meeting_id, agenda.AgendaItemDraft("Begrüßung"))
    top2 = agenda.add_item(db, meeting_id, agenda.AgendaItemDraft("Berichte"))
    mark(db, meeting_id, jan_id, AttendanceStatus.PRESENT, now=NOW)
    walk_in = add_walk_in(db, meeting_id, "Gast Eins", as_person=False, now=NOW)
    lea_excused = mark(db, meeting_id, lea_id, AttendanceStatus.EXCUSED, now=NOW)
    finalise_minutes(db, meeting_id, expected_version=None, now=NOW)
    return Held(meeting_id, jan_id, lea_id, top1, top2, walk_in, lea_excused)


def refusals(db: Database, held: Held) -> dict[str, Callable[[], object]]:
    meeting = held.meeting
    return {
        "add TOP": lambda: agenda.add_item(db, meeting, agenda.AgendaItemDraft("Neu")),
        "edit TOP": lambda: agenda.update_item(
            db, held.top1, agenda.AgendaItemDraft("Begrüßung und Vorstellung")
        ),
        "remove TOP": lambda: agenda.remove_item(db, held.top2),
        "move TOP": lambda: agenda.move_item(db, held.top2, None, 0),
        "indent TOP": lambda: agenda.indent_item(db, held.top2),
        "mark present": lambda: mark(db, meeting, held.lea, AttendanceStatus.PRESENT, now=NOW),
        "remove entry": lambda: mark(db, meeting, held.jan, None, now=NOW),
        "accepted present": lambda: mark_accepted_present(db, meeting, now=NOW),
        "record (CLI)": lambda: record_attendance(
            db, meeting, AttendanceBatch(present=(held.lea,)), now=NOW
        ),
        "walk-in": lambda: add_walk_in(db, meeting, "Gast Zwei", as_person=False, now=NOW),
        "undo walk-in": lambda: remove_walk_in(db, held.walk_in),
        "undo mark": lambda: restore_attendance(db, [held.lea_excused]),
        "photo consent": lambda: set_photo_consent(db, meeting, held.jan, True),
    }


def test_every_change_of_agenda_and_attendance_is_refused(
    db: Database, db_arg: str, held: Held
) -> None:
    for what, change in refusals(db, held).items():
        before = digest(db_arg)
        with pytest.raises(MinutesLockedError, match="Netzwerktreffen") as refused:
            change()
        assert "endgültig" in str(refused.value), what
        assert "Korrektur" in str(refused.value), what
        assert digest(db_arg) == before, what


def test_a_correction_opens_them_again(db: Database, held: Held) -> None:
    start_correction(db, held.meeting, "Teilnehmerliste ergänzt", now=NOW)
    agenda.add_item(db, held.meeting, agenda.AgendaItemDraft("Nachtrag"))
    mark(db, held.meeting, held.lea, AttendanceStatus.PRESENT, now=NOW)


def test_the_command_line_says_so(
    db: Database, db_arg: str, held: Held, cli: Callable[..., tuple[int, str, str]]
) -> None:
    db.close()
    before = digest(db_arg)
    for command in (
        ["agenda", "add", str(held.meeting), "Neu"],
        ["attendance", str(held.meeting), "--present", "lea@example.org"],
    ):
        code, out, err = cli("--db", db_arg, *command)
        assert code == 1
        assert out == ""
        assert "endgültig" in err
        assert len(err.strip().splitlines()) == 1
    assert digest(db_arg) == before
