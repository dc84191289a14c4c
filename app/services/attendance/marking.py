"""After the meeting: marking present / excused / absent from the paper list.

Rules:

- ``mark`` changes only the status. Check-in time, photo consent and late arrival / early
  leave stay on the row (they matter only while the person is present), so a mis-click and
  its correction lose nothing. ``status=None`` removes the entry ("not recorded").
- ``mark_accepted_present`` is the quick start: for every invitee **without** an entry yet,
  accepted → present, declined → excused, everyone else (tentative, no answer, not sent) →
  absent. Entries already made (checked in at the door, marked by hand) and guests are left
  alone, so it can be pressed again after corrections without undoing them.
- ``set_partial`` records a late arrival ("from TOP 2") and/or an early leave ("until TOP 4")
  for someone present; both must be TOPs of that meeting, the arrival not after the leave.
- Every operation returns ``AttendanceChange`` objects; ``restore_attendance(db, changes)``
  is the inverse (the window's undo).
- Recording attendance never changes the meeting's state. A meeting that took place but is
  still "planned"/"invited" is not counted in the figures, so ``held_suggestion`` tells the
  window when to *offer* "mark as held" (``set_meeting_state``); the command line has
  ``--held`` for the same. Doing it silently would also fire for attendance typed in ahead of
  time or by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Person,
    PersonEmail,
    utcnow,
)
from app.services.attendance.checkin import consent_note
from app.services.attendance.common import (
    guest_info,
    guest_row,
    latest_photo_consent,
    load_person,
    open_meeting,
    person_row,
    record_photo_consent,
    refuse_present_before_day,
    state_of,
)
from app.services.attendance.rows import (
    AttendanceChange,
    GuestInfo,
    MarkRow,
)
from app.services.attendance.walkins import checked_email
from app.services.directory import person_name
from app.services.meetings import ATTENDANCE_STATUS_LABELS, agenda_rows, label
from app.services.planning.common import load_meeting
from app.services.planning.lifecycle import apply_state
from app.services.reporting.figures import MeetingFigures, figures_of_meeting
from app.text import fold, nfc, sort_key

# What "all accepted were present" makes of each reply (see the module docstring).
ACCEPTED_RULE: dict[InvitationState, AttendanceStatus] = {
    InvitationState.ACCEPTED: AttendanceStatus.PRESENT,
    InvitationState.DECLINED: AttendanceStatus.EXCUSED,
    InvitationState.TENTATIVE: AttendanceStatus.ABSENT,
    InvitationState.SENT: AttendanceStatus.ABSENT,
    InvitationState.NOT_SENT: AttendanceStatus.ABSENT,
}
OPEN_STATES = (MeetingState.PLANNED, MeetingState.INVITED)


# -- the list ------------------------------------------------------------------------------


def attendance_sheet(db: Database, meeting_id: int) -> list[MarkRow]:
    """Every invitee and everyone else recorded (people, guests, erased people's rows).

    People first, by last and first name (German order), then guests, then anonymised rows.
    """
    with db.read() as session:
        return _sheet_rows(session, load_meeting(session, meeting_id))


def _sheet_rows(session: Session, meeting: Meeting) -> list[MarkRow]:
    meeting_id = meeting.id
    order = _agenda_order(session, meeting)
    numbers = {item_id: number for item_id, (_index, number) in order.items()}
    states: dict[int, InvitationState] = {
        person_id: state
        for person_id, state in session.execute(
            select(Invitation.person_id, Invitation.state).where(
                Invitation.meeting_id == meeting_id
            )
        )
        # an organisation's own address or an erased person's anonymised invitation
        if person_id is not None
    }
    attendances = list(
        session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    )
    by_person = {a.person_id: a for a in attendances if a.person_id is not None}
    wanted = set(states) | set(by_person)
    people = session.scalars(
        select(Person)
        .where(Person.id.in_(wanted))
        .options(selectinload(Person.emails), selectinload(Person.organisation))
    ).all()
    rows: list[tuple[int, str, int, MarkRow]] = []
    for person in people:
        att = by_person.get(person.id)
        rows.append(
            (
                0,
                person.name_key,
                person.id,
                _mark_row(
                    att,
                    numbers,
                    person_id=person.id,
                    name=person_name(person),
                    organisation=person.organisation.name if person.organisation else "",
                    function=person.function,
                    email=person.preferred_email or "",
                    state=states.get(person.id),
                    key=person.name_key,
                ),
            )
        )
    for att in attendances:
        if att.person_id is not None:
            continue
        if att.anonymised:
            rows.append(
                (
                    2,
                    "",
                    att.id,
                    _mark_row(
                        att,
                        numbers,
                        person_id=None,
                        name=_("a participant"),
                        organisation="",
                        function="",
                        email="",
                        state=None,
                        key="",
                        anonymised=True,
                    ),
                )
            )
        else:
            tokens = att.guest_name.split()
            key = sort_key(tokens[-1] if tokens else "", " ".join(tokens[:-1]))
            rows.append(
                (
                    1,
                    key,
                    att.id,
                    _mark_row(
                        att,
                        numbers,
                        person_id=None,
                        name=att.guest_name,
                        organisation=att.guest_organisation,
                        function="",
                        email=att.guest_email,
                        state=None,
                        key=key,
                        guest=True,
                    ),
                )
            )
    rows.sort(key=lambda item: item[:3])
    return [row for *_ignored, row in rows]


def _mark_row(
    att: Attendance | None,
    numbers: dict[int, str],
    *,
    person_id: int | None,
    name: str,
    organisation: str,
    function: str,
    email: str,
    state: InvitationState | None,
    key: str,
    guest: bool = False,
    anonymised: bool = False,
) -> MarkRow:
    arrived = att.arrived_at_item_id if att else None
    left = att.left_after_item_id if att else None
    return MarkRow(
        person_id=person_id,
        attendance_id=att.id if att else None,
        name=name,
        organisation=organisation,
        function=function,
        email=email,
        invitation_state=state,
        status=att.status if att else None,
        photo_consent=att.photo_consent if att else None,
        checked_in_at=att.checked_in_at if att else None,
        arrived_at_item_id=arrived,
        left_after_item_id=left,
        arrived_at_number=numbers.get(arrived) if arrived else None,
        left_after_number=numbers.get(left) if left else None,
        guest=guest,
        anonymised=anonymised,
        sort_key=key,
    )


@dataclass(frozen=True, slots=True)
class MarkingSheet:
    """What the Attendance tab shows: the list, the meeting's figures, whether to offer
    "mark as held"."""

    rows: list[MarkRow]
    figures: MeetingFigures
    held_suggested: bool


def marking_sheet(db: Database, meeting_id: int) -> MarkingSheet:
    """The list, the figures and the "mark as held" offer in one read session: one snapshot
    (a colleague's marking on a server never lands between them), and on a server one
    session's round trips instead of three sessions' (17 statements → 15, one connection
    check and rollback instead of three)."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        return MarkingSheet(
            _sheet_rows(session, meeting),
            figures_of_meeting(session, meeting),
            _held_suggested(meeting, session, utcnow()),
        )


# -- marking -------------------------------------------------------------------------------


def _mark_in(
    session: Session, meeting_id: int, person_id: int, status: AttendanceStatus | None
) -> AttendanceChange:
    row = person_row(session, meeting_id, person_id)
    previous = state_of(row)
    if status is None:
        if row is not None:
            session.delete(row)
            row_id: int | None = row.id
        else:
            row_id = None
        return AttendanceChange(meeting_id, person_id, row_id, previous, None)
    if row is None:
        row = Attendance(meeting_id=meeting_id, person_id=person_id, status=status)
        session.add(row)
    row.status = AttendanceStatus(status)
    session.flush()
    return AttendanceChange(meeting_id, person_id, row.id, previous, state_of(row))


def _check_people(session: Session, person_ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(person_ids))
    found = set(session.scalars(select(Person.id).where(Person.id.in_(wanted))))
    for person_id in wanted:
        if person_id not in found:
            raise NotFound(_("There is no person with the number {id}.").format(id=person_id))
    return wanted


def mark(
    db: Database,
    meeting_id: int,
    person_id: int,
    status: AttendanceStatus | None,
    *,
    now: datetime | None = None,
) -> AttendanceChange:
    """Set one person's status (None: remove the entry). Anyone in the directory may be
    marked, invited or not; "present" only from the meeting's day on, "excused" any time.
    Inverse: ``restore_attendance(db, [change])``."""
    return mark_many(db, meeting_id, [person_id], status, now=now)[0]


def mark_many(
    db: Database,
    meeting_id: int,
    person_ids: Iterable[int],
    status: AttendanceStatus | None,
    *,
    guest_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> tuple[AttendanceChange, ...]:
    """Set the same status for several people and guests (their attendance ids) at once, in
    one transaction: all or nothing. Inverse: ``restore_attendance(db, changes)``."""
    with db.write() as session:
        meeting = open_meeting(session, meeting_id)
        if status is AttendanceStatus.PRESENT:
            refuse_present_before_day(meeting, now or utcnow())
        people = [
            _mark_in(session, meeting_id, person_id, status)
            for person_id in _check_people(session, person_ids)
        ]
        guests = [
            _mark_guest_in(session, meeting_id, attendance_id, status)
            for attendance_id in dict.fromkeys(guest_ids)
        ]
        return (*people, *guests)


def mark_guest(
    db: Database,
    meeting_id: int,
    attendance_id: int,
    status: AttendanceStatus | None,
    *,
    now: datetime | None = None,
) -> AttendanceChange:
    """Set a guest's status; None removes the guest from the list (undo brings them back)."""
    return mark_many(db, meeting_id, (), status, guest_ids=(attendance_id,), now=now)[0]


def _mark_guest_in(
    session: Session, meeting_id: int, attendance_id: int, status: AttendanceStatus | None
) -> AttendanceChange:
    row = guest_row(session, meeting_id, attendance_id)
    previous, guest = state_of(row), guest_info(row)
    if status is None:
        session.delete(row)
        session.flush()
        return AttendanceChange(meeting_id, None, attendance_id, previous, None, guest=guest)
    row.status = AttendanceStatus(status)
    session.flush()
    return AttendanceChange(meeting_id, None, attendance_id, previous, state_of(row), guest=guest)


def _accepted_in(session: Session, meeting_id: int) -> list[AttendanceChange]:
    recorded = set(
        session.scalars(
            select(Attendance.person_id).where(
                Attendance.meeting_id == meeting_id, Attendance.person_id.is_not(None)
            )
        )
    )
    changes = []
    for person_id, state in session.execute(
        select(Invitation.person_id, Invitation.state)
        .where(Invitation.meeting_id == meeting_id)
        .order_by(Invitation.person_id)
    ):
        # An organisation that accepted by its own address sends someone not yet known:
        # they are checked in at the door, not marked from the invitation.
        if person_id is not None and person_id not in recorded:
            changes.append(_mark_in(session, meeting_id, person_id, ACCEPTED_RULE[state]))
    return changes


def mark_accepted_present(
    db: Database, meeting_id: int, *, now: datetime | None = None
) -> tuple[AttendanceChange, ...]:
    """ "All accepted were present" as a start (see ``ACCEPTED_RULE`` and the module
    docstring): only invitees without an entry get one. Inverse: ``restore_attendance``."""
    with db.write() as session:
        refuse_present_before_day(open_meeting(session, meeting_id), now or utcnow())
        return tuple(_accepted_in(session, meeting_id))


def set_photo_consent(
    db: Database,
    meeting_id: int,
    person_id: int,
    given: bool | None,
    *,
    method: ConsentMethod = ConsentMethod.SIGNIN_SHEET,
    now: datetime | None = None,
) -> AttendanceChange:
    """Transcribe the photo-consent box of the paper list for someone marked present.

    Stored on the row and, when it is news, as a ConsentRecord (default method: the signed
    sign-in sheet). None clears the row's value and writes no record.
    """
    return set_photo_consents(db, meeting_id, (person_id,), given, method=method, now=now)[0]


def set_photo_consents(
    db: Database,
    meeting_id: int,
    person_ids: Iterable[int],
    given: bool | None,
    *,
    method: ConsentMethod = ConsentMethod.SIGNIN_SHEET,
    now: datetime | None = None,
) -> tuple[AttendanceChange, ...]:
    """``set_photo_consent`` for several people in one transaction: all or nothing."""
    now = now or utcnow()
    with db.write() as session:
        meeting = open_meeting(session, meeting_id)
        changes = []
        for person_id in dict.fromkeys(person_ids):
            person = load_person(session, person_id)
            row = person_row(session, meeting_id, person_id)
            if row is None or row.status is not AttendanceStatus.PRESENT:
                raise ValidationError(
                    _("Mark {name} present first.").format(name=person_name(person))
                )
            previous = state_of(row)
            record_id = None
            if given is not None and (
                given != row.photo_consent or given != latest_photo_consent(session, person_id)
            ):
                record_id = record_photo_consent(
                    session, person_id, given, method=method, note=consent_note(meeting), now=now
                )
            row.photo_consent = given
            session.flush()
            changes.append(
                AttendanceChange(
                    meeting_id,
                    person_id,
                    row.id,
                    previous,
                    state_of(row),
                    consent_record_id=record_id,
                )
            )
        return tuple(changes)


# -- late arrival, early leave ---------------------------------------------------------------


def set_partial(
    db: Database,
    meeting_id: int,
    person_id: int | None,
    arrived_at_item_id: int | None = None,
    left_after_item_id: int | None = None,
    *,
    attendance_id: int | None = None,
) -> AttendanceChange:
    """Record that someone present came during TOP *arrived_at_item_id* and/or left after
    TOP *left_after_item_id*; both None means "the whole meeting". For a guest pass
    ``person_id=None`` and its ``attendance_id``. Inverse: ``restore_attendance``.
    """
    with db.write() as session:
        meeting = open_meeting(session, meeting_id)
        if person_id is not None:
            person = load_person(session, person_id)
            row = person_row(session, meeting_id, person_id)
            name = person_name(person)
            guest = None
        elif attendance_id is not None:
            row = guest_row(session, meeting_id, attendance_id)
            name, guest = row.guest_name, guest_info(row)
        else:
            raise ValueError("set_partial needs a person_id or an attendance_id")
        if row is None or row.status is not AttendanceStatus.PRESENT:
            raise ValidationError(_("Mark {name} present first.").format(name=name))
        order = _agenda_order(session, meeting)
        for item_id in (arrived_at_item_id, left_after_item_id):
            if item_id is not None and item_id not in order:
                raise ValidationError(
                    _("This agenda item does not belong to “{title}”.").format(title=meeting.title)
                )
        if (
            arrived_at_item_id is not None
            and left_after_item_id is not None
            and order[arrived_at_item_id] > order[left_after_item_id]
        ):
            raise ValidationError(
                _("{name} cannot leave after TOP {left} and arrive only at TOP {arrived}.").format(
                    name=name,
                    left=order[left_after_item_id][1],
                    arrived=order[arrived_at_item_id][1],
                )
            )
        previous = state_of(row)
        row.arrived_at_item_id = arrived_at_item_id
        row.left_after_item_id = left_after_item_id
        return AttendanceChange(
            meeting_id, row.person_id, row.id, previous, state_of(row), guest=guest
        )


def _agenda_order(session: Session, meeting: Meeting) -> dict[int, tuple[int, str]]:
    """Agenda item id → (position in display order, number as shown)."""
    items = list(session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)))
    return {
        row.id: (index, row.number) for index, row in enumerate(agenda_rows(items, meeting.start))
    }


# -- the meeting's state -------------------------------------------------------------------


def held_suggestion(db: Database, meeting_id: int, *, now: datetime | None = None) -> bool:
    """Should the window offer "mark as held"? Yes when the meeting is still planned or
    invited, has begun, and someone is recorded present."""
    with db.read() as session:
        return _held_suggested(load_meeting(session, meeting_id), session, now or utcnow())


def _held_suggested(meeting: Meeting, session: Session, now: datetime) -> bool:
    if meeting.state not in OPEN_STATES or meeting.start > now:
        return False
    present = session.scalar(
        select(Attendance.id)
        .where(
            Attendance.meeting_id == meeting.id,
            Attendance.status == AttendanceStatus.PRESENT,
        )
        .limit(1)
    )
    return present is not None


def _mark_held(meeting: Meeting, now: datetime) -> bool:
    if meeting.state not in OPEN_STATES:
        return False
    if meeting.start > now:
        raise ValidationError(
            _("“{title}” has not begun yet and cannot be marked as held.").format(
                title=meeting.title
            )
        )
    return apply_state(meeting, MeetingState.HELD, now=now)


# -- several kinds at once (the command line) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttendanceBatch:
    """What ``treffpunkt attendance`` asks for, applied in one transaction.

    Order: the accepted rule first (as a start), then the explicit lists (they win), then the
    guests, then the state. One person in two lists is refused.
    """

    accepted: bool = False
    present: tuple[int, ...] = ()
    excused: tuple[int, ...] = ()
    absent: tuple[int, ...] = ()
    guests: tuple[GuestInfo, ...] = ()
    mark_held: bool = False


@dataclass(frozen=True, slots=True)
class BatchResult:
    changes: tuple[AttendanceChange, ...]
    guests_already_listed: tuple[str, ...] = ()
    marked_held: bool = False
    state: MeetingState = MeetingState.PLANNED


def record_attendance(
    db: Database, meeting_id: int, batch: AttendanceBatch, *, now: datetime | None = None
) -> BatchResult:
    """Apply *batch* all or nothing. A guest whose name and organisation are already on the
    list is not added twice (reported in ``guests_already_listed``), so a repeated command
    changes nothing."""
    now = now or utcnow()
    lists = (
        (AttendanceStatus.PRESENT, batch.present),
        (AttendanceStatus.EXCUSED, batch.excused),
        (AttendanceStatus.ABSENT, batch.absent),
    )
    guests = [
        GuestInfo(
            " ".join(nfc(g.name).split()),
            " ".join(nfc(g.organisation).split()),
            checked_email(g.email),
        )
        for g in batch.guests
    ]
    if any(not g.name for g in guests):
        raise ValidationError(_("Enter the name of the person who came."))
    with db.write() as session:
        meeting = open_meeting(session, meeting_id)
        if batch.accepted or batch.present or guests:
            refuse_present_before_day(meeting, now)
        seen: dict[int, AttendanceStatus] = {}
        for status, person_ids in lists:
            for person_id in _check_people(session, person_ids):
                if person_id in seen and seen[person_id] is not status:
                    person = load_person(session, person_id)
                    raise ValidationError(
                        _("{name} is named as both {first} and {second}.").format(
                            name=person_name(person),
                            first=label(ATTENDANCE_STATUS_LABELS, seen[person_id]),
                            second=label(ATTENDANCE_STATUS_LABELS, status),
                        )
                    )
                seen[person_id] = status
        changes: list[AttendanceChange] = []
        if batch.accepted:
            changes += _accepted_in(session, meeting_id)
        for person_id, status in seen.items():
            changes.append(_mark_in(session, meeting_id, person_id, status))
        skipped = []
        listed = {
            (fold(a.guest_name), fold(a.guest_organisation))
            for a in session.scalars(
                select(Attendance).where(
                    Attendance.meeting_id == meeting_id,
                    Attendance.person_id.is_(None),
                    Attendance.anonymised.is_(False),
                )
            )
        }
        for guest in guests:
            key = (fold(guest.name), fold(guest.organisation))
            if key in listed:
                skipped.append(guest.name)
                continue
            listed.add(key)
            row = Attendance(
                meeting_id=meeting_id,
                guest_name=guest.name,
                guest_organisation=guest.organisation,
                guest_email=guest.email,
                status=AttendanceStatus.PRESENT,
            )
            session.add(row)
            session.flush()
            changes.append(
                AttendanceChange(meeting_id, None, row.id, None, state_of(row), guest=guest)
            )
        held = _mark_held(meeting, now) if batch.mark_held else False
        session.flush()
        return BatchResult(tuple(changes), tuple(skipped), held, meeting.state)


def people_by_email(db: Database, addresses: Iterable[str]) -> dict[str, int]:
    """Person ids by e-mail address (case ignored), for the command line.

    An unknown address raises NotFound, an address shared by several people ValidationError;
    both before anything is changed.
    """
    result: dict[str, int] = {}
    with db.read() as session:
        for raw in addresses:
            address = nfc(raw)
            owners = sorted(
                set(
                    session.scalars(
                        select(PersonEmail.person_id).where(
                            PersonEmail.address_key == address.casefold()
                        )
                    )
                )
            )
            if not owners:
                raise NotFound(
                    _("Nobody in the directory has the e-mail address “{address}”.").format(
                        address=address
                    )
                )
            if len(owners) > 1:
                raise ValidationError(
                    _(
                        "Several people have the e-mail address “{address}”; mark them in the "
                        "window."
                    ).format(address=address)
                )
            result[address] = owners[0]
    return result
