"""Photos in the data protection duties: which photos show a person (Auskunft, Art. 15) and
what becomes of them when the person is erased (Löschung, Art. 17).

A person is on a photo when one of their attendance rows is recorded as pictured
(``photo_subjects``; also a walk-in guest row under one of their addresses). A photo of a
meeting they attended on which it is not recorded who is pictured *may* show them: the
Auskunft lists it as such, because that is the honest answer.

Erasure decides as follows:

* A photo on which the person is recorded as pictured is **deleted**. The image is the
  person's own data (their face), which no scrubbing of names can remove; keeping it would
  keep exactly what the erasure is about, and with the person's consent records gone nothing
  could tell later whether it may still be published. The subject rows go with it (and with
  them every link of the person to a photo). Press releases that used it keep their text
  (scrubbed of the name) but lose the link to the photo.
* A photo of one of their meetings on which it is not recorded who is pictured stays: it may
  not show them at all, and it also belongs to everyone else present. It is counted for the
  user to check. So that such a photo cannot become publishable through the erasure, a
  refusal of photo consent that lived only in the person's consent records (deleted with
  them) is copied onto their anonymised attendance rows, which still count as present: the
  photo stays withheld exactly as before, without naming anyone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from app.models import Attendance, AttendanceStatus, Meeting, Photo, PressRelease, photo_subjects
from app.services.minutes.ordering import group_ids, write_positions
from app.services.minutes.photos import latest_photo_consents
from app.services.press.photos import clearances

_photos = cast(Table, Photo.__table__)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _recorded_on(session: Session, attendance_ids: Collection[int]) -> set[int]:
    """Photos on which one of these attendance rows is recorded as pictured."""
    if not attendance_ids:
        return set()
    return set(
        session.scalars(
            select(photo_subjects.c.photo_id).where(
                photo_subjects.c.attendance_id.in_(list(attendance_ids))
            )
        )
    )


def _unrecorded_of_meetings(session: Session, attendance_ids: Collection[int]) -> set[int]:
    """Photos of meetings these rows were present at, on which nobody is recorded as
    pictured (so anyone present may be on them)."""
    if not attendance_ids:
        return set()
    meetings = select(Attendance.meeting_id).where(
        Attendance.id.in_(list(attendance_ids)),
        Attendance.status == AttendanceStatus.PRESENT,
    )
    with_subjects = select(photo_subjects.c.photo_id)
    return set(
        session.scalars(
            select(Photo.id).where(
                Photo.meeting_id.in_(meetings),
                Photo.subjects_recorded.is_(False),
                Photo.id.not_in(with_subjects),
            )
        )
    )


def photos_for_export(session: Session, attendance_ids: Collection[int]) -> list[dict[str, Any]]:
    """The photos that show (or may show) the person of *attendance_ids*, JSON-ready.

    Per photo: the meeting, file name, caption and credit, whether the person is recorded as
    pictured (False: it is not recorded who is on it, so it may show them), whether it may be
    published (offered for a press release, printed in a funding report: nobody pictured
    refused photo consent) and the press releases that used it. Whether a funding report
    printed it is not recorded (those reports are files, not records).
    """
    recorded = _recorded_on(session, attendance_ids)
    possible = _unrecorded_of_meetings(session, attendance_ids) - recorded
    ids = recorded | possible
    if not ids:
        return []
    rows = session.execute(
        select(Photo.id, Photo.meeting_id, Photo.filename, Photo.caption, Photo.credit)
        .join(Meeting, Meeting.id == Photo.meeting_id)
        .add_columns(Meeting.title, Meeting.start)
        .where(Photo.id.in_(ids))
        .order_by(Meeting.start, Photo.position, Photo.id)
    ).all()
    cleared = {
        c.photo_id: c
        for per_meeting in clearances(session, {row.meeting_id for row in rows}).values()
        for c in per_meeting
    }
    releases: dict[int, list[dict[str, Any]]] = {}
    for release in session.scalars(
        select(PressRelease)
        .where(PressRelease.photo_id.in_(ids))
        .order_by(PressRelease.issued_at, PressRelease.id)
    ):
        assert release.photo_id is not None
        releases.setdefault(release.photo_id, []).append(
            {
                "headline": release.headline,
                "channel": release.channel.value,
                "issued_at": _iso(release.issued_at),
            }
        )
    return [
        {
            "meeting_id": row.meeting_id,
            "meeting_title": row.title,
            "meeting_start": _iso(row.start),
            "filename": row.filename,
            "caption": row.caption,
            "credit": row.credit,
            "recorded_as_pictured": row.id in recorded,
            "publishable": cleared[row.id].usable if row.id in cleared else False,
            "press_releases": releases.get(row.id, []),
        }
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class PhotoErasure:
    deleted: int  # photos on which the person was recorded as pictured
    to_check: int  # photos of their meetings that do not record who is pictured


def erase_photos(session: Session, person_id: int, attendance_ids: Collection[int]) -> PhotoErasure:
    """Inside the erasure's transaction, before the attendance rows are anonymised: see the
    module docstring. *attendance_ids*: the person's own rows and their walk-in guest rows."""
    shown = _recorded_on(session, attendance_ids)
    to_check = _unrecorded_of_meetings(session, attendance_ids) - shown
    if latest_photo_consents(session, {person_id}).get(person_id) is False:
        session.execute(
            update(Attendance)
            .where(
                Attendance.id.in_(list(attendance_ids)),
                Attendance.photo_consent.is_not(False),
            )
            .values(photo_consent=False)
        )
    if shown:
        meetings = set(session.scalars(select(Photo.meeting_id).where(Photo.id.in_(shown))))
        session.execute(delete(Photo).where(Photo.id.in_(shown)))  # subject rows cascade
        for meeting_id in meetings:
            write_positions(
                session, _photos, group_ids(session, _photos, _photos.c.meeting_id == meeting_id)
            )
    return PhotoErasure(deleted=len(shown), to_check=len(to_check))
