"""Pieces shared by check-in and marking: loading, snapshots of rows, consent, undo."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _, format_date
from app.models import (
    Attendance,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Meeting,
    Person,
)
from app.services.attendance.rows import AttendanceChange, AttendanceState, GuestInfo
from app.services.planning.common import (
    load_meeting,
    refuse_if_cancelled,
    refuse_if_minutes_final,
)
from app.services.planning.times import zone


def open_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting, for recording attendance: a cancelled meeting has none, and one whose
    minutes are final keeps the attendance they record."""
    meeting = load_meeting(session, meeting_id)
    refuse_if_cancelled(meeting)
    refuse_if_minutes_final(meeting, "attendance")
    return meeting


def refuse_present_before_day(meeting: Meeting, now: datetime) -> None:
    """Nobody can be present before the meeting's day (in its time zone); being excused in
    advance is fine. Check-in on the day itself works from the early morning on."""
    tz = zone(meeting.timezone)
    day = meeting.start.astimezone(tz).date()
    if now.astimezone(tz).date() < day:
        raise ValidationError(
            _("“{title}” takes place on {date}; nobody can be present before that day.").format(
                title=meeting.title, date=format_date(day)
            )
        )


def load_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(_("There is no person with the number {id}.").format(id=person_id))
    return person


def person_row(session: Session, meeting_id: int, person_id: int) -> Attendance | None:
    return session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == person_id
        )
    )


def guest_row(session: Session, meeting_id: int, attendance_id: int) -> Attendance:
    """A walk-in guest's row of this meeting (not a person's, not an anonymised one)."""
    row = session.get(Attendance, attendance_id)
    if row is None or row.meeting_id != meeting_id or row.person_id is not None or row.anonymised:
        raise NotFound(_("This guest is not recorded for the meeting."))
    return row


def state_of(row: Attendance | None) -> AttendanceState | None:
    if row is None:
        return None
    return AttendanceState(
        status=row.status,
        photo_consent=row.photo_consent,
        checked_in_at=row.checked_in_at,
        arrived_at_item_id=row.arrived_at_item_id,
        left_after_item_id=row.left_after_item_id,
    )


def put_state(row: Attendance, state: AttendanceState) -> None:
    row.status = state.status
    row.photo_consent = state.photo_consent
    row.checked_in_at = state.checked_in_at
    row.arrived_at_item_id = state.arrived_at_item_id
    row.left_after_item_id = state.left_after_item_id


def guest_info(row: Attendance) -> GuestInfo:
    return GuestInfo(row.guest_name, row.guest_organisation, row.guest_email)


def latest_photo_consent(session: Session, person_id: int) -> bool | None:
    return session.scalar(
        select(ConsentRecord.given)
        .where(ConsentRecord.person_id == person_id, ConsentRecord.topic == ConsentTopic.PHOTOS)
        .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


def record_photo_consent(
    session: Session,
    person_id: int,
    given: bool,
    *,
    method: ConsentMethod,
    note: str,
    now: datetime,
) -> int:
    """Write one ConsentRecord about photos; returns its id (undo deletes it)."""
    record = ConsentRecord(
        person_id=person_id,
        topic=ConsentTopic.PHOTOS,
        given=given,
        recorded_at=now,
        method=method,
        note=note,
    )
    session.add(record)
    session.flush()
    return record.id


def restore_attendance(db: Database, changes: Iterable[AttendanceChange]) -> None:
    """Undo: put every row back as it was before *changes* (applied last to first).

    A row that did not exist before is deleted; a removed row is recreated (a guest from the
    change's guest data); consent records written by the changes are deleted. People erased
    in the meantime are skipped: their rows are anonymised and stay as they are.
    """
    with db.write() as session:
        changes = list(changes)
        for meeting_id in dict.fromkeys(change.meeting_id for change in changes):
            refuse_if_minutes_final(load_meeting(session, meeting_id), "attendance")
        for change in reversed(changes):
            _restore_one(session, change)


def _restore_one(session: Session, change: AttendanceChange) -> None:
    if change.consent_record_id is not None:
        session.execute(delete(ConsentRecord).where(ConsentRecord.id == change.consent_record_id))
    if change.person_id is not None:
        if session.get(Person, change.person_id) is None:
            return
        row = person_row(session, change.meeting_id, change.person_id)
    else:
        row = session.get(Attendance, change.attendance_id) if change.attendance_id else None
        if row is not None and (row.anonymised or row.meeting_id != change.meeting_id):
            return
    if change.previous is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        guest = change.guest or GuestInfo("")
        row = Attendance(
            # A guest comes back under the id the window and later undo steps know; the id
            # was issued before, so it never collides (on SQLite or with a server sequence).
            id=change.attendance_id if change.person_id is None else None,
            meeting_id=change.meeting_id,
            person_id=change.person_id,
            guest_name=guest.name if change.person_id is None else "",
            guest_organisation=guest.organisation if change.person_id is None else "",
            guest_email=guest.email if change.person_id is None else "",
        )
        session.add(row)
    put_state(row, change.previous)
