"""Walk-ins: people who come without being on the list, added in seconds at the door.

Two ways, the user's choice per person:

- as a **guest**: an attendance row with name, organisation and e-mail only (``person_id``
  NULL). Nothing goes into the directory; the row counts as a guest in the figures.
- as a **new person** in the directory: name split the usual way ("Dr. Ayşe Yılmaz",
  "Yılmaz, Ayşe"), the organisation found by name ignoring case and accents or created, the
  e-mail address stored as the preferred one, photo consent as a ConsentRecord; then checked
  in. An address that someone in the directory already has is refused
  (``AlreadyInDirectoryError`` names that person, so the window can offer to check them in).

E-mail addresses are checked with the directory's own rule (``app.contacts.values``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.contacts.values import is_valid_email, split_full_name
from app.db import Database
from app.errors import ValidationError
from app.i18n import _, format_date
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    Invitation,
    Meeting,
    Organisation,
    OrganisationKind,
    Person,
    PersonEmail,
    utcnow,
)
from app.services.attendance.checkin import consent_note, load_candidates
from app.services.attendance.common import (
    guest_info,
    open_meeting,
    record_photo_consent,
    refuse_present_before_day,
    state_of,
)
from app.services.attendance.rows import AttendanceChange, WalkInResult
from app.services.directory import person_name
from app.services.planning.common import load_meeting, refuse_if_minutes_final
from app.services.planning.times import zone
from app.text import fold, nfc, sort_key


class AlreadyInDirectoryError(ValidationError):
    """The walk-in's e-mail address belongs to someone in the directory (``person_id``)."""

    def __init__(self, message: str, person_id: int) -> None:
        super().__init__(message)
        self.person_id = person_id


def checked_email(address: str) -> str:
    """*address* in NFC, or "" when empty; ValidationError when it is not an address."""
    address = nfc(address)
    if address and not is_valid_email(address):
        raise ValidationError(
            _("“{address}” is not a valid e-mail address.").format(address=address)
        )
    return address


def _checked_name(name: str) -> str:
    name = " ".join(nfc(name).split())
    if not name:
        raise ValidationError(_("Enter the name of the person who came."))
    return name


def add_walk_in(
    db: Database,
    meeting_id: int,
    name: str,
    organisation: str = "",
    email: str = "",
    *,
    as_person: bool,
    photo_consent: bool | None = None,
    function: str = "",
    now: datetime | None = None,
    consent_method: ConsentMethod = ConsentMethod.VERBAL,
) -> WalkInResult:
    """Add someone who came without being on the list and check them in (present).

    Raises ValidationError for an empty name, an invalid e-mail address, a guest of the same
    name and organisation already on this meeting's list, and ``AlreadyInDirectoryError`` for an
    address someone in the directory has. Inverse: ``remove_walk_in``.
    """
    now = now or utcnow()
    name = _checked_name(name)
    organisation = " ".join(nfc(organisation).split())
    email = checked_email(email)
    with db.write() as session:
        meeting = open_meeting(session, meeting_id)
        refuse_present_before_day(meeting, now)
        if as_person:
            return _add_person(
                session,
                meeting,
                name,
                organisation,
                email,
                function,
                photo_consent,
                consent_method,
                now,
            )
        return _add_guest(session, meeting, name, organisation, email, photo_consent, now)


def _add_guest(
    session: Session,
    meeting: Meeting,
    name: str,
    organisation: str,
    email: str,
    photo_consent: bool | None,
    now: datetime,
) -> WalkInResult:
    for other in session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id,
            Attendance.person_id.is_(None),
            Attendance.anonymised.is_(False),
        )
    ):
        if fold(other.guest_name) == fold(name) and (
            fold(other.guest_organisation) == fold(organisation)
        ):
            raise ValidationError(
                _("{name} is already on the list of this meeting as a guest.").format(name=name)
            )
    row = Attendance(
        meeting_id=meeting.id,
        guest_name=name,
        guest_organisation=organisation,
        guest_email=email,
        status=AttendanceStatus.PRESENT,
        checked_in_at=now,
        photo_consent=photo_consent,
    )
    session.add(row)
    session.flush()
    change = AttendanceChange(
        meeting_id=meeting.id,
        person_id=None,
        attendance_id=row.id,
        previous=None,
        current=state_of(row),
        guest=guest_info(row),
    )
    checkin = load_candidates(session, meeting.id, only_attendance=row.id)[0]
    return WalkInResult(checkin, change, None, False, None, False)


def _find_or_add_organisation(session: Session, name: str) -> tuple[Organisation | None, bool]:
    if not name:
        return None, False
    matches = list(
        session.scalars(
            select(Organisation)
            .where(Organisation.name_key == sort_key(name))
            .order_by(Organisation.archived, Organisation.id)
        )
    )
    if matches:
        return matches[0], False
    organisation = Organisation(name=name, kind=OrganisationKind.OTHER)
    session.add(organisation)
    return organisation, True


def _add_person(
    session: Session,
    meeting: Meeting,
    name: str,
    organisation_name: str,
    email: str,
    function: str,
    photo_consent: bool | None,
    consent_method: ConsentMethod,
    now: datetime,
) -> WalkInResult:
    if email:
        owner = session.scalar(
            select(Person)
            .join(PersonEmail, PersonEmail.person_id == Person.id)
            .where(PersonEmail.address_key == email.casefold())
            .order_by(Person.archived, Person.id)
            .limit(1)
        )
        if owner is not None:
            raise AlreadyInDirectoryError(
                _("{name} is already in the directory with the address {address}.").format(
                    name=person_name(owner), address=email
                ),
                owner.id,
            )
    parsed = split_full_name(name)
    if not parsed.last_name:
        raise ValidationError(_("Enter the name of the person who came."))
    organisation, created_organisation = _find_or_add_organisation(session, organisation_name)
    day = meeting.start.astimezone(zone(meeting.timezone)).date()
    person = Person(
        salutation=parsed.salutation,
        title=parsed.title,
        first_name=parsed.first_name,
        last_name=parsed.last_name,
        organisation=organisation,
        function=nfc(function),
        notes=_("Added at the door of “{title}” on {date}.").format(
            title=meeting.title, date=format_date(day)
        ),
    )
    if email:
        person.emails.append(PersonEmail(address=email, is_preferred=True))
    session.add(person)
    session.flush()
    record_id = None
    if photo_consent is not None:
        record_id = record_photo_consent(
            session,
            person.id,
            photo_consent,
            method=consent_method,
            note=consent_note(meeting),
            now=now,
        )
    row = Attendance(
        meeting_id=meeting.id,
        person_id=person.id,
        status=AttendanceStatus.PRESENT,
        checked_in_at=now,
        photo_consent=photo_consent,
    )
    session.add(row)
    session.flush()
    change = AttendanceChange(
        meeting_id=meeting.id,
        person_id=person.id,
        attendance_id=row.id,
        previous=None,
        current=state_of(row),
        consent_record_id=record_id,
    )
    checkin = load_candidates(session, meeting.id, only_person=person.id)[0]
    return WalkInResult(
        checkin,
        change,
        person.id,
        True,
        organisation.id if organisation is not None else None,
        created_organisation,
    )


def remove_walk_in(db: Database, result: WalkInResult) -> None:
    """Undo ``add_walk_in``: the row goes; a person (and organisation) it created go too,
    unless they are used elsewhere meanwhile (invited, at another meeting, other people)."""
    with db.write() as session:
        change = result.change
        refuse_if_minutes_final(load_meeting(session, change.meeting_id), "attendance")
        if change.consent_record_id is not None:
            session.execute(
                delete(ConsentRecord).where(ConsentRecord.id == change.consent_record_id)
            )
        if change.attendance_id is not None:
            row = session.get(Attendance, change.attendance_id)
            if row is not None and not row.anonymised:
                session.delete(row)
        session.flush()
        if result.created_person and result.person_id is not None:
            person = session.get(Person, result.person_id)
            if person is not None and not _person_used(session, person.id):
                session.delete(person)
                session.flush()
        if result.created_organisation and result.organisation_id is not None:
            organisation = session.get(Organisation, result.organisation_id)
            used = session.scalar(
                select(func.count()).where(Person.organisation_id == result.organisation_id)
            )
            if organisation is not None and not used:
                session.delete(organisation)


def _person_used(session: Session, person_id: int) -> bool:
    invited = session.scalar(select(func.count()).where(Invitation.person_id == person_id))
    attended = session.scalar(select(func.count()).where(Attendance.person_id == person_id))
    return bool(invited or attended)
