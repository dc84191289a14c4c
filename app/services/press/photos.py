"""Which photos of a meeting may be published, judged by the photo consent of who is pictured.

Who is pictured is recorded per photo (``photo_subjects``: attendance rows, so walk-in guests
count too; the minutes editor's photo tab records it with ``set_pictured``). A photo whose
subjects were recorded with nobody on it shows nobody recognisable (the room, a poster). A photo
without that record may show anyone present, so everyone present counts as pictured: the
careful reading of a group photo. Consent per person is the one the minutes already use
(``effective_photo_consent``: a "no" on the sign-in sheet or in the directory wins). A photo
is **usable** (offered for a press release, printed in a funding report) when no one pictured
refused; pictured people whose consent is unknown are named so the user can check before
publishing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.i18n import _
from app.models import Attendance, AttendanceStatus, Person, Photo, photo_subjects
from app.services.directory import person_display_name
from app.services.minutes.photos import (
    effective_photo_consent,
    latest_photo_consents,
    recorded_subjects,
    write_subjects,
)
from app.text import nfc, sort_key


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone present at the meeting, with the photo consent that counts."""

    attendance_id: int
    name: str
    organisation: str
    consent: bool | None  # given / refused / not asked: what counts
    guest: bool = False  # a walk-in guest (not in the directory)
    # Where the consent comes from: the sign-in sheet, and the person's latest consent record.
    at_meeting: bool | None = None
    on_record: bool | None = None


def counted_as_pictured(
    subjects: Collection[int] | None, present: Iterable[Attendee]
) -> tuple[Attendee, ...]:
    """Who counts as pictured: the recorded subjects, or everyone present while it is not
    recorded (None)."""
    if subjects is None:
        return tuple(present)
    return tuple(a for a in present if a.attendance_id in subjects)


def refused_names(pictured: Iterable[Attendee]) -> tuple[str, ...]:
    """Names of the pictured people who refused photo consent: the photo must not be
    published while any is pictured."""
    return tuple(a.name for a in pictured if a.consent is False)


def unknown_names(pictured: Iterable[Attendee]) -> tuple[str, ...]:
    """Names of the pictured people nobody asked about photos: check before publishing."""
    return tuple(a.name for a in pictured if a.consent is None)


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

    @property
    def subject_ids(self) -> frozenset[int] | None:
        """The recorded subjects' attendance ids; None while not recorded."""
        if not self.subjects_recorded:
            return None
        return frozenset(a.attendance_id for a in self.pictured)


@dataclass(frozen=True, slots=True)
class PicturedOverview:
    """For the minutes' photo tab: everyone present and each photo's clearance."""

    meeting_id: int
    attendees: tuple[Attendee, ...]
    photos: tuple[PhotoClearance, ...]

    def photo(self, photo_id: int) -> PhotoClearance | None:
        return next((p for p in self.photos if p.photo_id == photo_id), None)


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
        guest = person is None and not row.anonymised
        attendee = Attendee(
            row.id, nfc(name), nfc(organisation), consent, guest, row.photo_consent, record
        )
        result[row.meeting_id].append((key, attendee))
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
            Photo.id,
            Photo.meeting_id,
            Photo.filename,
            Photo.mime_type,
            Photo.caption,
            Photo.credit,
            Photo.subjects_recorded,
        )
        .where(Photo.meeting_id.in_(ids))
        .order_by(Photo.meeting_id, Photo.position, Photo.id)
    ):
        everyone = present.get(photo.meeting_id, [])
        # Subject rows written without the flag (older code, imports) count as recorded.
        recorded = photo.subjects_recorded or photo.id in subjects
        pictured = counted_as_pictured(subjects[photo.id] if recorded else None, everyone)
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
                refused=refused_names(pictured),
                unknown=unknown_names(pictured),
            )
        )
    return result


def photo_clearances(db: Database, meeting_id: int) -> list[PhotoClearance]:
    with db.read() as session:
        return clearances(session, [meeting_id]).get(meeting_id, [])


def meeting_attendees(db: Database, meeting_id: int) -> list[Attendee]:
    with db.read() as session:
        return attendees(session, [meeting_id]).get(meeting_id, [])


def pictured_overview(db: Database, meeting_id: int) -> PicturedOverview:
    """Everyone present at *meeting_id* and who is pictured on each of its photos."""
    with db.read() as session:
        present = attendees(session, [meeting_id]).get(meeting_id, [])
        photos = clearances(session, [meeting_id]).get(meeting_id, [])
        return PicturedOverview(meeting_id, tuple(present), tuple(photos))


def set_pictured(
    db: Database, photo_id: int, attendance_ids: Collection[int] | None
) -> tuple[int, ...] | None:
    """Record who is on the photo: attendance rows of people present (walk-in guests too);
    an empty collection says nobody recognisable is on it, None that it is not recorded
    (everyone present then counts as pictured).

    Returns the previous record in the same form (for undo). Allowed on final minutes too:
    who is pictured is no part of the minutes document, it only decides where the photo may
    be published.
    """
    with db.write() as session:
        previous = recorded_subjects(session, photo_id)
        photo = session.get(Photo, photo_id)
        assert photo is not None  # recorded_subjects raised otherwise
        write_subjects(session, photo, attendance_ids)
        return previous
