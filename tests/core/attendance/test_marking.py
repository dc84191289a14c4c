"""After the meeting: marking, bulk marking, the accepted rule, partial attendance, undo."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    InvitationState,
    Meeting,
    MeetingState,
)
from app.services.attendance import (
    ACCEPTED_RULE,
    AttendanceBatch,
    GuestInfo,
    add_walk_in,
    attendance_sheet,
    check_in,
    held_suggestion,
    mark,
    mark_accepted_present,
    mark_guest,
    mark_many,
    marking_sheet,
    record_attendance,
    restore_attendance,
    set_partial,
    set_photo_consent,
    set_photo_consents,
    summarise,
)
from app.services.reporting import meeting_figures
from tests.helpers.attendance import NOW, START, Setup

P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT


def statuses(db: Database, meeting_id: int) -> dict[int | str, AttendanceStatus]:
    """Person id (or guest name) → status, straight from the table."""
    with db.read() as session:
        return {
            row.person_id if row.person_id is not None else row.guest_name: row.status
            for row in session.scalars(
                select(Attendance).where(Attendance.meeting_id == meeting_id)
            )
        }


def meeting_state(db: Database, meeting_id: int) -> MeetingState:
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.state


def test_sheet_lists_invitees_recorded_people_guests_and_erased(db: Database, setup: Setup) -> None:
    mark(db, setup.meeting, setup.bernd, P, now=NOW)  # came uninvited
    add_walk_in(db, setup.meeting, "Tamara Schulz", "Presse", as_person=False, now=NOW)
    with db.write() as session:
        session.add(Attendance(meeting_id=setup.meeting, anonymised=True, status=P))
    rows = attendance_sheet(db, setup.meeting)
    people = [r for r in rows if not r.guest and not r.anonymised]
    assert [r.person_id for r in people] == [
        setup.anna,
        setup.olga,
        setup.jan,
        setup.rene,
        setup.bernd,
        setup.ayse,
    ]  # Ayhan, Łukasik, Müller, Öztürk-Weiß, Schulz, Yılmaz
    assert [r.name for r in rows if r.guest] == ["Tamara Schulz"]
    assert rows[-1].anonymised
    assert rows[-1].person_id is None
    assert rows[-1].name  # "a participant", translated
    ayse = next(r for r in rows if r.person_id == setup.ayse)
    assert ayse.invitation_state is InvitationState.ACCEPTED
    assert ayse.status is None
    summary = summarise(rows)
    assert (summary.present, summary.guests, summary.not_recorded) == (2, 1, 5)
    assert summary.participants == 3


def test_mark_and_undo(db: Database, setup: Setup) -> None:
    change = mark(db, setup.meeting, setup.jan, E, now=NOW)
    assert change.previous is None
    assert change.current is not None
    assert statuses(db, setup.meeting) == {setup.jan: E}
    second = mark(db, setup.meeting, setup.jan, P, now=NOW)
    assert second.previous == change.current
    restore_attendance(db, [second])
    assert statuses(db, setup.meeting) == {setup.jan: E}
    restore_attendance(db, [change])
    assert statuses(db, setup.meeting) == {}


def test_mark_only_changes_the_status(db: Database, setup: Setup) -> None:
    check_in(db, setup.meeting, setup.ayse, photo_consent=True, now=NOW)
    set_partial(db, setup.meeting, setup.ayse, arrived_at_item_id=setup.top2)
    mark(db, setup.meeting, setup.ayse, A, now=NOW)
    mark(db, setup.meeting, setup.ayse, P, now=NOW)  # the mis-click corrected
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.person_id == setup.ayse]
    assert row.checked_in_at == NOW
    assert row.photo_consent is True
    assert row.arrived_at_item_id == setup.top2
    assert row.arrived_at_number == "2"


def test_mark_none_removes_the_entry_and_undo_brings_it_back(db: Database, setup: Setup) -> None:
    checked = check_in(db, setup.meeting, setup.jan, photo_consent=False, now=NOW)
    removed = mark(db, setup.meeting, setup.jan, None)
    assert statuses(db, setup.meeting) == {}
    restore_attendance(db, [removed])
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.person_id == setup.jan]
    assert row.status is P
    assert row.checked_in_at == NOW
    assert row.photo_consent is False
    assert checked.change.current == removed.previous


def test_mark_many_is_all_or_nothing(db: Database, setup: Setup) -> None:
    with pytest.raises(NotFound):
        mark_many(db, setup.meeting, [setup.ayse, 9999], P, now=NOW)
    assert statuses(db, setup.meeting) == {}
    changes = mark_many(db, setup.meeting, [setup.ayse, setup.jan, setup.ayse], P, now=NOW)
    assert len(changes) == 2
    assert statuses(db, setup.meeting) == {setup.ayse: P, setup.jan: P}
    restore_attendance(db, changes)
    assert statuses(db, setup.meeting) == {}


def test_people_and_guests_marked_in_one_transaction(db: Database, setup: Setup) -> None:
    """The Attendance tab's selection (people and walk-in guests) is one service call:
    a guest removed meanwhile leaves everybody unmarked; undo restores all of them."""
    first = add_walk_in(db, setup.meeting, "Tamara Schulz", as_person=False, now=NOW)
    second = add_walk_in(db, setup.meeting, "Lena Kaya", as_person=False, now=NOW)
    guests = [first.change.attendance_id, second.change.attendance_id]
    assert None not in guests
    before = statuses(db, setup.meeting)
    removed = mark_guest(db, setup.meeting, guests[1], None)  # gone in another window
    with pytest.raises(NotFound):
        mark_many(db, setup.meeting, [setup.ayse, setup.jan], E, guest_ids=guests, now=NOW)
    assert statuses(db, setup.meeting) == {"Tamara Schulz": P}  # nothing half-done
    restore_attendance(db, [removed])
    assert statuses(db, setup.meeting) == before

    changes = mark_many(db, setup.meeting, [setup.ayse, setup.jan], E, guest_ids=guests, now=NOW)
    assert len(changes) == 4
    assert statuses(db, setup.meeting) == {
        setup.ayse: E,
        setup.jan: E,
        "Tamara Schulz": E,
        "Lena Kaya": E,
    }
    restore_attendance(db, changes)
    assert statuses(db, setup.meeting) == before


def test_photo_consent_for_several_is_all_or_nothing(db: Database, setup: Setup) -> None:
    def records() -> set[int]:
        with db.read() as session:
            return set(session.scalars(select(ConsentRecord.id)))

    mark_many(db, setup.meeting, [setup.ayse, setup.jan], P, now=NOW)
    before = records()
    with pytest.raises(ValidationError):  # René is not marked present
        set_photo_consents(db, setup.meeting, [setup.ayse, setup.jan, setup.rene], True, now=NOW)
    assert records() == before
    changes = set_photo_consents(db, setup.meeting, [setup.ayse, setup.jan], False, now=NOW)
    assert [c.person_id for c in changes] == [setup.ayse, setup.jan]
    assert all(c.consent_record_id is not None for c in changes)
    restore_attendance(db, changes)
    assert records() == before


def test_marking_sheet_has_the_list_figures_and_the_held_offer(
    db: Database, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark(db, setup.meeting, setup.ayse, P, now=NOW)
    sessions = []
    read = db.read

    def counting_read() -> Any:
        sessions.append(1)
        return read()

    with monkeypatch.context() as patched:
        patched.setattr(db, "read", counting_read)
        sheet = marking_sheet(db, setup.meeting)
    assert len(sessions) == 1  # one snapshot: a colleague's marking never lands between
    assert sheet.rows == attendance_sheet(db, setup.meeting)
    assert sheet.figures == meeting_figures(db, setup.meeting)
    assert sheet.figures.present == 1
    assert sheet.held_suggested == held_suggestion(db, setup.meeting)


def test_accepted_rule(db: Database, setup: Setup) -> None:
    check_in(db, setup.meeting, setup.olga, photo_consent=None, now=NOW)  # came, no answer
    mark(db, setup.meeting, setup.ayse, E, now=NOW)  # accepted, then sent apologies
    changes = mark_accepted_present(db, setup.meeting, now=NOW)
    assert statuses(db, setup.meeting) == {
        setup.ayse: E,  # already set: left alone
        setup.olga: P,  # checked in at the door: left alone
        setup.rene: E,  # declined
        setup.jan: A,  # tentative
        setup.anna: A,  # never sent
    }
    assert {c.person_id for c in changes} == {setup.rene, setup.jan, setup.anna}
    assert mark_accepted_present(db, setup.meeting, now=NOW) == ()  # pressing again
    restore_attendance(db, changes)
    assert statuses(db, setup.meeting) == {setup.ayse: E, setup.olga: P}


def test_accepted_rule_covers_every_reply() -> None:
    assert set(ACCEPTED_RULE) == set(InvitationState)
    assert ACCEPTED_RULE[InvitationState.ACCEPTED] is P
    assert ACCEPTED_RULE[InvitationState.DECLINED] is E


def test_guests_are_left_alone_by_the_accepted_rule(db: Database, setup: Setup) -> None:
    walk_in = add_walk_in(db, setup.meeting, "Tamara Schulz", as_person=False, now=NOW)
    attendance_id = walk_in.change.attendance_id
    assert attendance_id is not None
    mark_guest(db, setup.meeting, attendance_id, A, now=NOW)
    mark_accepted_present(db, setup.meeting, now=NOW)
    assert statuses(db, setup.meeting)["Tamara Schulz"] is A
    removed = mark_guest(db, setup.meeting, attendance_id, None)
    assert "Tamara Schulz" not in statuses(db, setup.meeting)
    restore_attendance(db, [removed])
    assert statuses(db, setup.meeting)["Tamara Schulz"] is A


def test_present_only_from_the_meeting_day_excused_any_time(db: Database, setup: Setup) -> None:
    before = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for action in (
        lambda: mark(db, setup.meeting, setup.jan, P, now=before),
        lambda: mark_accepted_present(db, setup.meeting, now=before),
        lambda: add_walk_in(db, setup.meeting, "Gast", as_person=False, now=before),
        lambda: record_attendance(db, setup.meeting, AttendanceBatch(accepted=True), now=before),
    ):
        with pytest.raises(ValidationError):
            action()
    assert statuses(db, setup.meeting) == {}
    mark(db, setup.meeting, setup.jan, E, now=before)
    assert statuses(db, setup.meeting) == {setup.jan: E}


def test_cancelled_meeting_refuses_marks(db: Database, setup: Setup) -> None:
    with db.write() as session:
        meeting = session.get(Meeting, setup.meeting)
        assert meeting is not None
        meeting.state = MeetingState.CANCELLED
    with pytest.raises(ValidationError):
        mark(db, setup.meeting, setup.jan, E, now=NOW)
    with pytest.raises(ValidationError):
        mark_accepted_present(db, setup.meeting, now=NOW)
    assert statuses(db, setup.meeting) == {}
    assert attendance_sheet(db, setup.meeting)  # the list can still be read


# -- partial attendance ------------------------------------------------------------------


def test_partial_attendance(db: Database, setup: Setup) -> None:
    mark(db, setup.meeting, setup.jan, P, now=NOW)
    change = set_partial(
        db, setup.meeting, setup.jan, arrived_at_item_id=setup.top2, left_after_item_id=setup.top3_1
    )
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.person_id == setup.jan]
    assert (row.arrived_at_number, row.left_after_number) == ("2", "3.1")
    assert row.partial
    same_top = set_partial(db, setup.meeting, setup.jan, setup.top2, setup.top2)
    cleared = set_partial(db, setup.meeting, setup.jan)
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.person_id == setup.jan]
    assert not row.partial
    restore_attendance(db, [change, same_top, cleared])
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.person_id == setup.jan]
    assert not row.partial


@pytest.mark.parametrize(
    "case", ["other_meeting", "unknown", "reversed", "not_present", "no_entry"]
)
def test_partial_attendance_is_validated(db: Database, setup: Setup, case: str) -> None:
    mark(db, setup.meeting, setup.jan, P, now=NOW)
    mark(db, setup.meeting, setup.rene, E, now=NOW)
    arguments = {
        "other_meeting": (setup.jan, setup.other_meeting_top, None),
        "unknown": (setup.jan, None, 99999),
        "reversed": (setup.jan, setup.top3, setup.top2),
        "not_present": (setup.rene, setup.top2, None),
        "no_entry": (setup.ayse, setup.top2, None),
    }[case]
    with pytest.raises(ValidationError):
        set_partial(db, setup.meeting, *arguments)
    assert not any(r.partial for r in attendance_sheet(db, setup.meeting))


def test_partial_attendance_of_a_guest(db: Database, setup: Setup) -> None:
    walk_in = add_walk_in(db, setup.meeting, "Tamara Schulz", as_person=False, now=NOW)
    change = set_partial(
        db, setup.meeting, None, setup.top2, attendance_id=walk_in.change.attendance_id
    )
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.guest]
    assert row.arrived_at_number == "2"
    restore_attendance(db, [change])
    [row] = [r for r in attendance_sheet(db, setup.meeting) if r.guest]
    assert not row.partial


# -- photo consent from the paper list ---------------------------------------------------


def test_photo_consent_from_the_paper_list(db: Database, setup: Setup) -> None:
    with pytest.raises(ValidationError):
        set_photo_consent(db, setup.meeting, setup.jan, True, now=NOW)
    mark(db, setup.meeting, setup.jan, P, now=NOW)
    change = set_photo_consent(db, setup.meeting, setup.jan, True, now=NOW)
    with db.read() as session:
        record = session.get(ConsentRecord, change.consent_record_id)
        assert record is not None
        assert (record.given, record.method) == (True, ConsentMethod.SIGNIN_SHEET)
    assert set_photo_consent(db, setup.meeting, setup.jan, True, now=NOW).consent_record_id is None
    restore_attendance(db, [change])
    with db.read() as session:
        assert session.get(ConsentRecord, change.consent_record_id) is None


# -- the meeting's state -----------------------------------------------------------------


def test_marking_never_changes_the_state_but_suggests_held(db: Database, setup: Setup) -> None:
    assert not held_suggestion(db, setup.meeting, now=NOW)
    mark(db, setup.meeting, setup.jan, E, now=NOW)
    assert not held_suggestion(db, setup.meeting, now=NOW)  # nobody present yet
    mark(db, setup.meeting, setup.ayse, P, now=NOW)
    assert meeting_state(db, setup.meeting) is MeetingState.INVITED
    assert held_suggestion(db, setup.meeting, now=NOW)
    assert not held_suggestion(db, setup.meeting, now=datetime(2026, 3, 10, 5, tzinfo=UTC))
    with db.write() as session:
        meeting = session.get(Meeting, setup.meeting)
        assert meeting is not None
        meeting.state = MeetingState.HELD
    assert not held_suggestion(db, setup.meeting, now=NOW)


# -- the command line's batch ------------------------------------------------------------


def test_batch_applies_everything_in_one_go(db: Database, setup: Setup) -> None:
    result = record_attendance(
        db,
        setup.meeting,
        AttendanceBatch(
            accepted=True,
            absent=(setup.ayse,),
            excused=(setup.jan,),
            guests=(GuestInfo("Tamara Schulz", "Presse"),),
            mark_held=True,
        ),
        now=NOW,
    )
    assert statuses(db, setup.meeting) == {
        setup.ayse: A,
        setup.jan: E,
        setup.rene: E,
        setup.olga: A,
        setup.anna: A,
        "Tamara Schulz": P,
    }
    assert result.marked_held
    assert result.state is MeetingState.HELD
    assert meeting_state(db, setup.meeting) is MeetingState.HELD
    again = record_attendance(
        db,
        setup.meeting,
        AttendanceBatch(guests=(GuestInfo("tamara schulz", "presse"),)),
        now=NOW,
    )
    assert again.guests_already_listed == ("tamara schulz",)
    assert again.changes == ()
    restore_attendance(db, result.changes)
    assert statuses(db, setup.meeting) == {}


def test_batch_refuses_conflicts_and_changes_nothing(db: Database, setup: Setup) -> None:
    with pytest.raises(ValidationError) as caught:
        record_attendance(
            db,
            setup.meeting,
            AttendanceBatch(present=(setup.jan, setup.ayse), absent=(setup.jan,), mark_held=True),
            now=NOW,
        )
    assert "Jan Müller" in str(caught.value)
    with pytest.raises(ValidationError):  # held before it began
        record_attendance(
            db,
            setup.meeting,
            AttendanceBatch(excused=(setup.jan,), mark_held=True),
            now=START.replace(hour=10),
        )
    assert statuses(db, setup.meeting) == {}
    assert meeting_state(db, setup.meeting) is MeetingState.INVITED
