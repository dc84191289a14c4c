"""Which photos of a meeting may be published, judged by the photo consent of who is pictured.

Who is pictured is recorded per photo (``photo_subjects``: attendance rows, so walk-in guests
count too). A photo without that record may show anyone present, so everyone present counts
as pictured: the careful reading of a group photo. Consent per person is the one the
minutes already use (``effective_photo_consent``: a "no" on the sign-in sheet or in the
directory wins). A photo is **usable** when no one pictured refused; pictured people whose
consent is unknown are named so the user can check before publishing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import Attendance, AttendanceStatus, Person, Photo, photo_subjects
from app.services.directory import person_display_name
from app.services.minutes.photos import effective_photo_consent, latest_photo_consents
from app.text import nfc, sort_key


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone present at the meeting, with the photo consent that counts."""

    attendance_id: int
    name: str
    organisation: str
    consent: bool | None


@dataclass(frozen=True, slots=True)
class PhotoClearance:
    photo_id: int
    meeting_id: int
    filename: str
    mime_type: str
    caption: str
    credit: str
    subjects_recorded: bool  # False: everyone present counts as pictured
    pictured: tuple[Attendee, ...]
    refused: tuple[str, ...]  # names of pictured people who refused
    unknown: tuple[str, ...]  # names of pictured people whose consent is unknown

    @property
    def usable(self) -> bool:
        return not self.refused


def attendees(session: Session, meeting_ids: Collection[int]) -> dict[int, list[Attendee]]:
    """Everyone present per meeting, in German name order, with their photo consent."""
    rows = session.scalars(
        select(Attendance)
        .where(
            Attendance.meeting_id.in_(list(meeting_ids)),
            Attendance.status == AttendanceStatus.PRESENT,
        )
        .options(selectinload(Attendance.person).selectinload(Person.organisation))
    ).all()
    consents = latest_photo_consents(session, {a.person_id for a in rows if a.person_id})
    result: dict[int, list[tuple[str, Attendee]]] = defaultdict(list)
    for row in rows:
        person = row.person
        if person is not None:
            name = person_display_name(person.title, person.first_name, person.last_name)
            organisation = person.organisation.name if person.organisation else ""
            key = person.name_key
        elif row.anonymised:
            name, organisation, key = _("a participant"), "", "~"
        else:
            name, organisation, key = (
                row.guest_name,
                row.guest_organisation,
                sort_key(row.guest_name),
            )
        record = consents.get(person.id) if person is not None else None
        consent = effective_photo_consent(row.photo_consent, record)
        result[row.meeting_id].append(
            (key, Attendee(row.id, nfc(name), nfc(organisation), consent))
        )
    return {
        meeting_id: [a for _key, a in sorted(pairs, key=lambda p: (p[0], p[1].attendance_id))]
        for meeting_id, pairs in result.items()
    }


def clearances(session: Session, meeting_ids: Collection[int]) -> dict[int, list[PhotoClearance]]:
    """Per meeting, its photos (in their order) with the consent of who is pictured."""
    ids = list(meeting_ids)
    with_photos = set(
        session.scalars(select(Photo.meeting_id).where(Photo.meeting_id.in_(ids)).distinct())
    )
    # Only meetings with photos need their attendees (a 10-year report has hundreds without).
    present = attendees(session, with_photos) if with_photos else {}
    subjects: dict[int, set[int]] = defaultdict(set)
    for photo_id, attendance_id in session.execute(
        select(photo_subjects.c.photo_id, photo_subjects.c.attendance_id)
        .join(Photo, Photo.id == photo_subjects.c.photo_id)
        .where(Photo.meeting_id.in_(ids))
    ):
        subjects[photo_id].add(attendance_id)
    result: dict[int, list[PhotoClearance]] = defaultdict(list)
    for photo in session.execute(
        select(
            Photo.id, Photo.meeting_id, Photo.filename, Photo.mime_type, Photo.caption, Photo.credit
        )
        .where(Photo.meeting_id.in_(ids))
        .order_by(Photo.meeting_id, Photo.position, Photo.id)
    ):
        everyone = present.get(photo.meeting_id, [])
        recorded = photo.id in subjects
        pictured = tuple(
            a for a in everyone if not recorded or a.attendance_id in subjects[photo.id]
        )
        result[photo.meeting_id].append(
            PhotoClearance(
                photo_id=photo.id,
                meeting_id=photo.meeting_id,
                filename=photo.filename,
                mime_type=photo.mime_type,
                caption=photo.caption,
                credit=photo.credit,
                subjects_recorded=recorded,
                pictured=pictured,
                refused=tuple(a.name for a in pictured if a.consent is False),
                unknown=tuple(a.name for a in pictured if a.consent is None),
            )
        )
    return result


def photo_clearances(db: Database, meeting_id: int) -> list[PhotoClearance]:
    with db.read() as session:
        return clearances(session, [meeting_id]).get(meeting_id, [])


def meeting_attendees(db: Database, meeting_id: int) -> list[Attendee]:
    with db.read() as session:
        return attendees(session, [meeting_id]).get(meeting_id, [])


def set_pictured(db: Database, photo_id: int, attendance_ids: Collection[int]) -> tuple[int, ...]:
    """Record who is on the photo (empty: not recorded); returns the previous record."""
    with db.write() as session:
        photo = session.get(Photo, photo_id)
        if photo is None:
            raise NotFound(_("There is no photo with the number {id}.").format(id=photo_id))
        wanted = set(attendance_ids)
        known = set(
            session.scalars(
                select(Attendance.id).where(
                    Attendance.meeting_id == photo.meeting_id,
                    Attendance.status == AttendanceStatus.PRESENT,
                )
            )
        )
        if wanted - known:
            raise ValidationError(
                _("Only people present at the meeting can be pictured on its photos.")
            )
        previous = tuple(
            sorted(
                session.scalars(
                    select(photo_subjects.c.attendance_id).where(
                        photo_subjects.c.photo_id == photo_id
                    )
                )
            )
        )
        session.execute(delete(photo_subjects).where(photo_subjects.c.photo_id == photo_id))
        for attendance_id in sorted(wanted):
            session.execute(
                insert(photo_subjects).values(photo_id=photo_id, attendance_id=attendance_id)
            )
        return previous
