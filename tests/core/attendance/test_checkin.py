"""Check-in at the door: candidates, idempotent check-in, photo consent in two places, undo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    InvitationState,
    Meeting,
    MeetingState,
)
from app.services.attendance import (
    check_in,
    check_in_guest,
    checkin_candidates,
    checkin_row,
    mark_guest,
    rank_candidates,
    undo_check_in,
)
from app.services.attendance.rows import ConsentOnFile
from app.services.attendance.walkins import add_walk_in
from tests.helpers.attendance import NOW, START, Setup


def photo_records(db: Database, person_id: int) -> list[ConsentRecord]:
    with db.read() as session:
        records = list(
            session.scalars(
                select(ConsentRecord)
                .where(
                    ConsentRecord.person_id == person_id, ConsentRecord.topic == ConsentTopic.PHOTOS
                )
                .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
            )
        )
        session.expunge_all()
        return records


def attendance_rows(db: Database, meeting_id: int) -> list[Attendance]:
    with db.read() as session:
        rows = list(session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id)))
        session.expunge_all()
        return rows


def test_candidates_put_invitees_first_and_leave_out_the_archived(
    db: Database, setup: Setup
) -> None:
    rows = checkin_candidates(db, setup.meeting)
    ids = [row.person_id for row in rows]
    invited = {setup.ayse, setup.rene, setup.jan, setup.olga, setup.anna}
    assert set(ids[:5]) == invited
    assert ids[5:] == [setup.bernd]  # not invited, still findable; klaus is archived
    # German order inside the invitees: Ayhan, Łukasik, Müller, Öztürk-Weiß, Yılmaz.
    assert ids[:5] == [setup.anna, setup.olga, setup.jan, setup.rene, setup.ayse]
    ayse = rows[4]
    assert ayse.invitation_state is InvitationState.ACCEPTED
    assert ayse.organisation == "Quartiersbüro Lehmheide"
    assert ayse.photo_consent_on_file is True
    assert ayse.photo_consent is None
    assert ayse.status is None
    assert ayse.email == "ayse@example.org"
    assert "ayse yilmaz" in ayse.search_key
    assert rows[5].invitation_state is None
    assert len({row.key for row in rows}) == len(rows)


def test_the_consent_on_file_says_when_and_how_it_was_given(db: Database, setup: Setup) -> None:
    """The door mode shows a stored answer with its source: the day (as people at the
    meeting count days) and the way it was given."""
    with db.write() as session:
        session.add(
            ConsentRecord(
                person_id=setup.jan,
                topic=ConsentTopic.PHOTOS,
                given=False,
                # 23:30 UTC on 11 March is half past midnight on the 12th in Krefeld.
                recorded_at=datetime(2025, 3, 11, 23, 30, tzinfo=UTC),
                method=ConsentMethod.FORM,
            )
        )
    rows = {row.person_id: row for row in checkin_candidates(db, setup.meeting)}
    record = rows[setup.jan].photo_consent_record
    assert record == ConsentOnFile(False, date(2025, 3, 12), ConsentMethod.FORM)
    assert rows[setup.jan].photo_consent_on_file is False
    assert record.source_text() == "laut Einwilligung vom 12.03.2025 (schriftlich)"
    assert rows[setup.bernd].photo_consent_record is None  # nothing on file
    assert rows[setup.bernd].photo_consent_on_file is None
    single = checkin_row(db, setup.meeting, person_id=setup.jan)
    assert single is not None
    assert single.photo_consent_record == record


def test_a_check_in_without_a_statement_records_none(db: Database, setup: Setup) -> None:
    """An answer on file that nobody confirmed at the door is not a new statement."""
    before = photo_records(db, setup.ayse)
    result = check_in(db, setup.meeting, setup.ayse, photo_consent=None, now=NOW)
    assert result.row.photo_consent is None
    assert result.row.photo_consent_on_file is True  # the stored consent stays in force
    assert [r.id for r in photo_records(db, setup.ayse)] == [r.id for r in before]


def test_an_archived_person_already_recorded_is_listed(db: Database, setup: Setup) -> None:
    with db.write() as session:
        session.add(
            Attendance(
                meeting_id=setup.meeting, person_id=setup.klaus, status=AttendanceStatus.EXCUSED
            )
        )
    rows = checkin_candidates(db, setup.meeting)
    klaus = next(row for row in rows if row.person_id == setup.klaus)
    assert klaus.status is AttendanceStatus.EXCUSED
    assert rows.index(klaus) < [r.person_id for r in rows].index(setup.bernd)


def test_check_in_marks_present_and_records_consent_in_both_places(
    db: Database, setup: Setup
) -> None:
    before = len(photo_records(db, setup.jan))
    result = check_in(db, setup.meeting, setup.jan, photo_consent=False, now=NOW)
    assert result.row.status is AttendanceStatus.PRESENT
    assert result.row.checked_in_at == NOW
    assert result.row.photo_consent is False
    assert result.row.photo_consent_on_file is False
    records = photo_records(db, setup.jan)
    assert len(records) == before + 1
    assert records[-1].given is False
    assert records[-1].method is ConsentMethod.VERBAL
    assert records[-1].recorded_at == NOW
    assert "Netzwerktreffen März" in records[-1].note
    assert result.change.previous is None
    assert result.change.consent_record_id == records[-1].id
    [row] = attendance_rows(db, setup.meeting)
    assert (row.person_id, row.status, row.photo_consent) == (
        setup.jan,
        AttendanceStatus.PRESENT,
        False,
    )


def test_check_in_is_idempotent(db: Database, setup: Setup) -> None:
    first = check_in(db, setup.meeting, setup.jan, photo_consent=True, now=NOW)
    later = NOW + timedelta(minutes=5)
    second = check_in(db, setup.meeting, setup.jan, photo_consent=True, now=later)
    assert second.row.checked_in_at == NOW  # the first arrival counts
    assert second.change.consent_record_id is None
    assert second.change.previous == second.change.current
    assert len(photo_records(db, setup.jan)) == 1
    assert len(attendance_rows(db, setup.meeting)) == 1
    assert first.change.consent_record_id is not None


def test_consent_already_on_file_is_not_recorded_again(db: Database, setup: Setup) -> None:
    check_in(db, setup.meeting, setup.ayse, photo_consent=None, now=NOW)
    result = check_in(db, setup.meeting, setup.ayse, photo_consent=True, now=NOW)
    # Ayşe's form from 2025 already says yes, but the row of this meeting did not: news.
    assert result.change.consent_record_id is not None
    again = check_in(db, setup.meeting, setup.ayse, photo_consent=True, now=NOW)
    assert again.change.consent_record_id is None
    assert len(photo_records(db, setup.ayse)) == 2


def test_changing_ones_mind_is_recorded(db: Database, setup: Setup) -> None:
    check_in(db, setup.meeting, setup.jan, photo_consent=True, now=NOW)
    result = check_in(db, setup.meeting, setup.jan, photo_consent=False, now=NOW)
    assert result.row.photo_consent is False
    assert [r.given for r in photo_records(db, setup.jan)] == [True, False]


def test_check_in_without_consent_leaves_consent_alone(db: Database, setup: Setup) -> None:
    result = check_in(db, setup.meeting, setup.ayse, photo_consent=None, now=NOW)
    assert result.row.photo_consent is None
    assert result.row.photo_consent_on_file is True
    assert result.change.consent_record_id is None
    assert len(photo_records(db, setup.ayse)) == 1


def test_undo_check_in_restores_the_row_and_drops_the_record(db: Database, setup: Setup) -> None:
    result = check_in(db, setup.meeting, setup.jan, photo_consent=True, now=NOW)
    undo_check_in(db, result.change)
    assert attendance_rows(db, setup.meeting) == []
    assert photo_records(db, setup.jan) == []
    row = checkin_row(db, setup.meeting, person_id=setup.jan)
    assert row is not None
    assert row.status is None


def test_undo_check_in_of_someone_marked_absent_before(db: Database, setup: Setup) -> None:
    with db.write() as session:
        session.add(
            Attendance(
                meeting_id=setup.meeting, person_id=setup.olga, status=AttendanceStatus.ABSENT
            )
        )
    result = check_in(db, setup.meeting, setup.olga, photo_consent=None, now=NOW)
    assert result.row.status is AttendanceStatus.PRESENT
    undo_check_in(db, result.change)
    [row] = attendance_rows(db, setup.meeting)
    assert row.status is AttendanceStatus.ABSENT
    assert row.checked_in_at is None


def test_anyone_in_the_directory_can_be_checked_in(db: Database, setup: Setup) -> None:
    result = check_in(db, setup.meeting, setup.bernd, photo_consent=None, now=NOW)
    assert result.row.invitation_state is None
    assert result.row.status is AttendanceStatus.PRESENT


def test_unknown_person_and_meeting_are_refused(db: Database, setup: Setup) -> None:
    with pytest.raises(NotFound):
        check_in(db, setup.meeting, 9999, photo_consent=None, now=NOW)
    with pytest.raises(NotFound):
        check_in(db, 9999, setup.jan, photo_consent=None, now=NOW)
    assert attendance_rows(db, setup.meeting) == []


def test_cancelled_meeting_refuses_check_in(db: Database, setup: Setup) -> None:
    with db.write() as session:
        meeting = session.get(Meeting, setup.meeting)
        assert meeting is not None
        meeting.state = MeetingState.CANCELLED
    with pytest.raises(ValidationError):
        check_in(db, setup.meeting, setup.jan, photo_consent=True, now=NOW)
    assert photo_records(db, setup.jan) == []


def test_nobody_is_present_before_the_meeting_day(db: Database, setup: Setup) -> None:
    day_before = START - timedelta(hours=16)  # 23:00 the evening before, Berlin time
    with pytest.raises(ValidationError):
        check_in(db, setup.meeting, setup.jan, photo_consent=True, now=day_before)
    early_morning = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert check_in(db, setup.meeting, setup.jan, photo_consent=None, now=early_morning).row.present


def test_guest_check_in(db: Database, setup: Setup) -> None:
    walk_in = add_walk_in(db, setup.meeting, "Tamara Schulz", "Presse", as_person=False, now=NOW)
    attendance_id = walk_in.change.attendance_id
    assert attendance_id is not None
    mark_guest(db, setup.meeting, attendance_id, AttendanceStatus.ABSENT, now=NOW)
    result = check_in_guest(db, setup.meeting, attendance_id, photo_consent=True, now=NOW)
    assert result.row.guest
    assert result.row.present
    assert result.row.photo_consent is True
    undo_check_in(db, result.change)
    assert checkin_row(db, setup.meeting, attendance_id=attendance_id).status is (  # type: ignore[union-attr]
        AttendanceStatus.ABSENT
    )
    with pytest.raises(NotFound):
        check_in_guest(db, setup.meeting, 9999, photo_consent=None, now=NOW)


def test_guests_are_candidates_and_found_by_search(db: Database, setup: Setup) -> None:
    add_walk_in(
        db, setup.meeting, "Tamara Schulz", "Westdeutsche Zeitung", as_person=False, now=NOW
    )
    rows = checkin_candidates(db, setup.meeting)
    guests = [row for row in rows if row.guest]
    assert [g.name for g in guests] == ["Tamara Schulz"]
    assert rows.index(guests[0]) < [r.person_id for r in rows].index(setup.bernd)
    assert rank_candidates(rows, "tam")[0].guest
    assert rank_candidates(rows, "zeitung")[0].guest


def test_candidates_query_count_stays_flat(db: Database, setup: Setup) -> None:
    """The list is built from a handful of bulk queries, not one per person."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        checkin_candidates(db, setup.meeting)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 6
