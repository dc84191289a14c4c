"""Check-in at the door: the candidate list, checking in, and undoing it.

The door mode loads ``checkin_candidates`` once (one short read, a few bulk queries, also
for 10,000 people) and filters it in memory per keystroke with ``rank_candidates``.
``check_in`` returns the refreshed row, so the window updates one line instead of reloading.

Photo consent said at the door is stored twice: on the attendance row (what was said at this
meeting, printed in the minutes) and as a ``ConsentRecord`` (the person's consent history,
which decides later meetings). The record's method is ``VERBAL`` by default: at the door
nobody signs anything, and the record must not claim a signed sheet that does not exist; the
window may pass ``SIGNIN_SHEET`` when the person ticked the box on the paper list.
A record is written only when the statement is news (differs from this meeting's row or from
the latest record), which keeps repeated check-ins idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.i18n import _, format_date
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Invitation,
    InvitationState,
    Meeting,
    Organisation,
    Person,
    PersonEmail,
    utcnow,
)
from app.services.attendance.common import (
    guest_info,
    guest_row,
    latest_photo_consent,
    load_person,
    open_meeting,
    person_row,
    record_photo_consent,
    refuse_present_before_day,
    restore_attendance,
    state_of,
)
from app.services.attendance.ranking import word_index
from app.services.attendance.rows import AttendanceChange, CheckinRow
from app.services.directory import person_display_name
from app.services.planning.common import load_meeting
from app.services.planning.times import zone
from app.text import fold, sort_key


@dataclass(frozen=True, slots=True)
class CheckInResult:
    """The row as it is now, and the change (``undo_check_in(db, result.change)``)."""

    row: CheckinRow
    change: AttendanceChange


# -- the candidate list ----------------------------------------------------------------------


def checkin_candidates(db: Database, meeting_id: int) -> list[CheckinRow]:
    """Everyone the door mode can check in, invitees and people already recorded first.

    First group: invitees, anyone with an attendance row (also archived people) and the
    guests already added; second group: every other active person of the directory. Each
    group is sorted by last and first name (German order). Erased people's anonymised rows
    are not listed.
    """
    with db.read() as session:
        load_meeting(session, meeting_id)
        return load_candidates(session, meeting_id)


def checkin_row(
    db: Database,
    meeting_id: int,
    *,
    person_id: int | None = None,
    attendance_id: int | None = None,
) -> CheckinRow | None:
    """One candidate row as it is now (a person, or a guest by attendance id)."""
    with db.read() as session:
        rows = load_candidates(
            session, meeting_id, only_person=person_id, only_attendance=attendance_id
        )
    return rows[0] if rows else None


def load_candidates(
    session: Session,
    meeting_id: int,
    *,
    only_person: int | None = None,
    only_attendance: int | None = None,
) -> list[CheckinRow]:
    """The candidate rows inside an open session; with *only_person* or *only_attendance*
    just that one row (also for an archived person)."""
    single = only_person is not None or only_attendance is not None
    invitations: dict[int, InvitationState] = {
        person_id: state
        for person_id, state in session.execute(
            select(Invitation.person_id, Invitation.state).where(
                Invitation.meeting_id == meeting_id, Invitation.person_id.is_not(None)
            )
        )
        if person_id is not None  # an organisation's own address or an erased person
    }
    attendance_query = select(Attendance).where(
        Attendance.meeting_id == meeting_id, Attendance.anonymised.is_(False)
    )
    if only_person is not None:
        attendance_query = attendance_query.where(Attendance.person_id == only_person)
    elif only_attendance is not None:
        attendance_query = attendance_query.where(Attendance.id == only_attendance)
    attendances = list(session.scalars(attendance_query))
    by_person = {a.person_id: a for a in attendances if a.person_id is not None}
    guests = [a for a in attendances if a.person_id is None]

    people_query = select(
        Person.id,
        Person.title,
        Person.first_name,
        Person.last_name,
        Person.name_key,
        Person.function,
        Person.archived,
        Organisation.name,
    ).outerjoin(Organisation, Person.organisation_id == Organisation.id)
    email_query = select(PersonEmail.person_id, PersonEmail.address, PersonEmail.is_preferred)
    consent_query = select(ConsentRecord.person_id, ConsentRecord.given).where(
        ConsentRecord.topic == ConsentTopic.PHOTOS
    )
    if single:
        wanted = [only_person] if only_person is not None else []
        people_query = people_query.where(Person.id.in_(wanted))
        email_query = email_query.where(PersonEmail.person_id.in_(wanted))
        consent_query = consent_query.where(ConsentRecord.person_id.in_(wanted))
    emails: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for person_id, address, is_preferred in session.execute(
        email_query.order_by(PersonEmail.person_id, PersonEmail.position, PersonEmail.id)
    ):
        emails[person_id].append((address, is_preferred))
    photo_on_file: dict[int, bool] = {}
    for person_id, given in session.execute(
        consent_query.order_by(ConsentRecord.recorded_at, ConsentRecord.id)
    ):
        photo_on_file[person_id] = given  # the latest statement wins

    # Organisations, functions and first names repeat down a long list: fold each text once.
    folded = lru_cache(maxsize=None)(fold)

    def search_text(*parts: str) -> str:
        return " ".join(folded(part) for part in parts if part)

    known: list[tuple[int, str, CheckinRow]] = []
    for pid, title, first, last, name_key, function, archived, org_name in session.execute(
        people_query
    ):
        state = invitations.get(pid)
        attendance = by_person.get(pid)
        first_group = state is not None or attendance is not None
        if archived and not first_group and not single:
            continue
        addresses = emails.get(pid, [])
        preferred = next((a for a, p in addresses if p), addresses[0][0] if addresses else "")
        name = person_display_name(title, first, last)
        organisation = org_name or ""
        row = CheckinRow(
            key=f"person:{pid}",
            person_id=pid,
            attendance_id=attendance.id if attendance else None,
            name=name,
            organisation=organisation,
            function=function,
            email=preferred,
            invitation_state=state,
            status=attendance.status if attendance else None,
            checked_in_at=attendance.checked_in_at if attendance else None,
            photo_consent=attendance.photo_consent if attendance else None,
            photo_consent_on_file=photo_on_file.get(pid),
            guest=False,
            sort_key=name_key,
            search_key=search_text(name, organisation, function, *(a for a, _p in addresses)),
            name_key=folded(name),
            last_index=word_index(last, fold_text=folded),
            first_index=word_index(first, fold_text=folded),
            other_index=word_index(
                title, organisation, function, *(a for a, _p in addresses), fold_text=folded
            ),
        )
        known.append((0 if first_group else 1, name_key, row))
    for guest in guests:
        tokens = guest.guest_name.split()
        last, first = (tokens[-1], " ".join(tokens[:-1])) if tokens else ("", "")
        row = CheckinRow(
            key=f"guest:{guest.id}",
            person_id=None,
            attendance_id=guest.id,
            name=guest.guest_name,
            organisation=guest.guest_organisation,
            function="",
            email=guest.guest_email,
            invitation_state=None,
            status=guest.status,
            checked_in_at=guest.checked_in_at,
            photo_consent=guest.photo_consent,
            photo_consent_on_file=None,
            guest=True,
            sort_key=sort_key(last, first),
            search_key=fold(
                " ".join([guest.guest_name, guest.guest_organisation, guest.guest_email])
            ),
            name_key=fold(guest.guest_name),
            last_index=word_index(last),
            first_index=word_index(first),
            other_index=word_index(guest.guest_organisation, guest.guest_email),
        )
        known.append((0, row.sort_key, row))
    known.sort(key=lambda item: (item[0], item[1], item[2].key))
    return [row for _group, _key, row in known]


# -- checking in ---------------------------------------------------------------------------


def consent_note(meeting: Meeting) -> str:
    """The note of a consent record written at check-in: which meeting, which day."""
    day = meeting.start.astimezone(zone(meeting.timezone)).date()
    return _("Said at check-in for “{title}” on {date}.").format(
        title=meeting.title, date=format_date(day)
    )


def check_in(
    db: Database,
    meeting_id: int,
    person_id: int,
    *,
    photo_consent: bool | None,
    now: datetime | None = None,
    consent_method: ConsentMethod = ConsentMethod.VERBAL,
) -> CheckInResult:
    """Mark a person present at the door, stamping ``checked_in_at``.

    Idempotent: checking in someone already checked in keeps the first time and writes no
    second consent record. *photo_consent* None leaves consent as it is; True/False is stored
    on the row and, when it is news, as a ConsentRecord (see the module docstring).
    Anyone in the directory can be checked in, invited or not. A cancelled meeting refuses.
    """
    now = now or utcnow()
    with db.write() as session:
        meeting = open_meeting(session, meeting_id)
        refuse_present_before_day(meeting, now)
        load_person(session, person_id)
        row = person_row(session, meeting_id, person_id)
        previous = state_of(row)
        if row is None:
            row = Attendance(meeting_id=meeting_id, person_id=person_id)
            session.add(row)
        if row.status is not AttendanceStatus.PRESENT or row.checked_in_at is None:
            row.checked_in_at = now
        row.status = AttendanceStatus.PRESENT
        record_id = None
        if photo_consent is not None:
            on_file = latest_photo_consent(session, person_id)
            if photo_consent != row.photo_consent or photo_consent != on_file:
                record_id = record_photo_consent(
                    session,
                    person_id,
                    photo_consent,
                    method=consent_method,
                    note=consent_note(meeting),
                    now=now,
                )
            row.photo_consent = photo_consent
        session.flush()
        change = AttendanceChange(
            meeting_id=meeting_id,
            person_id=person_id,
            attendance_id=row.id,
            previous=previous,
            current=state_of(row),
            consent_record_id=record_id,
        )
        result_row = load_candidates(session, meeting_id, only_person=person_id)[0]
    return CheckInResult(result_row, change)


def check_in_guest(
    db: Database,
    meeting_id: int,
    attendance_id: int,
    *,
    photo_consent: bool | None,
    now: datetime | None = None,
) -> CheckInResult:
    """Mark a guest already on the list present (e.g. added beforehand); idempotent.

    Guests have no consent history: their statement lives on the row only.
    """
    now = now or utcnow()
    with db.write() as session:
        refuse_present_before_day(open_meeting(session, meeting_id), now)
        row = guest_row(session, meeting_id, attendance_id)
        previous = state_of(row)
        if row.status is not AttendanceStatus.PRESENT or row.checked_in_at is None:
            row.checked_in_at = now
        row.status = AttendanceStatus.PRESENT
        if photo_consent is not None:
            row.photo_consent = photo_consent
        session.flush()
        change = AttendanceChange(
            meeting_id=meeting_id,
            person_id=None,
            attendance_id=row.id,
            previous=previous,
            current=state_of(row),
            guest=guest_info(row),
        )
        result_row = load_candidates(session, meeting_id, only_attendance=attendance_id)[0]
    return CheckInResult(result_row, change)


def undo_check_in(db: Database, change: AttendanceChange) -> None:
    """Put the row back as it was before the check-in (and drop the consent record)."""
    restore_attendance(db, [change])
