"""Who is pictured on a photo decides where it may be published (issue 15 follow-up).

The demo's kick-off meeting has two photos: the group photo (seven people who consented) and
the small-group photo, on which the walk-in guest Yusuf Demirci, who refused, is recorded.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import Attendance, AttendanceStatus, Meeting, Photo, photo_subjects
from app.services.minutes import remove_photo, restore_photo
from app.services.press.draft import photo_warnings, press_draft
from app.services.press.photos import (
    Attendee,
    counted_as_pictured,
    photo_clearances,
    pictured_overview,
    refused_names,
    set_pictured,
    unknown_names,
)
from app.services.reporting.funding import funding_report

from .conftest import AUFTAKT, TODAY

GROUP = "auftakt-gruppenfoto.jpg"
SMALL = "auftakt-kleingruppe.jpg"
SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def _ids(db: Database) -> tuple[int, int, int]:
    """The kick-off meeting, its group photo and its small-group photo."""
    with db.read() as session:
        meeting = session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()
        photos = dict(
            session.execute(
                select(Photo.filename, Photo.id).where(Photo.meeting_id == meeting)
            ).all()
        )
    return meeting, photos[GROUP], photos[SMALL]


def _present(db: Database, meeting_id: int) -> dict[str, Attendee]:
    return {a.name: a for a in pictured_overview(db, meeting_id).attendees}


def _clearance(db: Database, meeting_id: int, photo_id: int):  # type: ignore[no-untyped-def]
    return next(c for c in photo_clearances(db, meeting_id) if c.photo_id == photo_id)


def _stored(db: Database, photo_id: int) -> tuple[bool, set[int]]:
    with db.read() as session:
        recorded = session.get(Photo, photo_id).subjects_recorded  # type: ignore[union-attr]
        rows = set(
            session.scalars(
                select(photo_subjects.c.attendance_id).where(photo_subjects.c.photo_id == photo_id)
            )
        )
    return recorded, rows


def test_the_overview_lists_everyone_present_with_their_consent(demo: Database) -> None:
    meeting, group, small = _ids(demo)
    overview = pictured_overview(demo, meeting)
    with demo.read() as session:
        present = session.scalars(
            select(Attendance.id).where(
                Attendance.meeting_id == meeting, Attendance.status == AttendanceStatus.PRESENT
            )
        ).all()
    assert {a.attendance_id for a in overview.attendees} == set(present)
    people = {a.name: a for a in overview.attendees}
    yusuf = people["Yusuf Demirci"]
    assert (yusuf.guest, yusuf.consent, yusuf.at_meeting) == (True, False, False)
    kaya = people["Şükrü Kaya"]
    assert (kaya.guest, kaya.consent) == (False, False)
    assert any(a.consent is True for a in overview.attendees)
    small_photo = overview.photo(small)
    assert small_photo is not None
    assert small_photo.subject_ids is not None
    assert yusuf.attendance_id in small_photo.subject_ids
    assert overview.photo(group) is not None
    assert overview.photo(-1) is None


def test_recording_nobody_who_refused_makes_the_photo_available(demo: Database) -> None:
    meeting, _group, small = _ids(demo)
    people = _present(demo, meeting)
    assert not _clearance(demo, meeting, small).usable
    agreed = [a.attendance_id for a in people.values() if a.consent is True][:3]

    previous = set_pictured(demo, small, agreed)

    assert previous is not None
    assert people["Yusuf Demirci"].attendance_id in previous
    assert _stored(demo, small) == (True, set(agreed))
    cleared = _clearance(demo, meeting, small)
    assert (cleared.usable, cleared.refused, cleared.subjects_recorded) == (True, (), True)
    # The press draft offers it, and the funding report prints it.
    draft = press_draft(demo, meeting, today=TODAY)
    assert all(p.usable for p in draft.photos)
    assert not any("nicht zugestimmt" in w for w in photo_warnings(draft))
    report = funding_report(demo, None, today=TODAY)
    assert small in {p.photo_id for p in report.photos}


def test_recording_a_refusing_person_withholds_the_photo(demo: Database) -> None:
    meeting, group, _small = _ids(demo)
    people = _present(demo, meeting)
    assert _clearance(demo, meeting, group).usable
    assert group in {p.photo_id for p in funding_report(demo, None, today=TODAY).photos}
    with_kaya = {*_stored(demo, group)[1], people["Şükrü Kaya"].attendance_id}

    set_pictured(demo, group, with_kaya)

    cleared = _clearance(demo, meeting, group)
    assert not cleared.usable
    assert cleared.refused == ("Şükrü Kaya",)
    draft = press_draft(demo, meeting, today=TODAY)
    assert draft.photo_id is None  # neither photo may be offered now
    assert "Şükrü Kaya" in photo_warnings(draft)[0]
    report = funding_report(demo, None, today=TODAY)
    assert group not in {p.photo_id for p in report.photos}
    assert report.photos_withheld >= 2


def test_nobody_recognisable_differs_from_not_recorded(demo: Database) -> None:
    meeting, group, _small = _ids(demo)
    set_pictured(demo, group, [])  # the room, a poster: nobody on it
    assert _stored(demo, group) == (True, set())
    cleared = _clearance(demo, meeting, group)
    assert (cleared.subjects_recorded, cleared.pictured, cleared.usable) == (True, (), True)
    assert cleared.subject_ids == frozenset()

    previous = set_pictured(demo, group, None)  # not recorded: everyone present counts
    assert previous == ()
    assert _stored(demo, group) == (False, set())
    cleared = _clearance(demo, meeting, group)
    assert cleared.subject_ids is None
    assert not cleared.usable  # five people present refused
    assert len(cleared.pictured) == len(_present(demo, meeting))
    assert set_pictured(demo, group, []) is None  # the previous record: not recorded


def test_only_people_present_can_be_pictured(demo: Database) -> None:
    meeting, group, _small = _ids(demo)
    before = _stored(demo, group)
    with demo.read() as session:
        elsewhere = session.scalars(
            select(Attendance.id).where(Attendance.meeting_id != meeting).limit(1)
        ).one()
        excused = session.scalars(
            select(Attendance.id).where(
                Attendance.meeting_id == meeting, Attendance.status != AttendanceStatus.PRESENT
            )
        ).first()
    for wrong in (elsewhere, excused):
        if wrong is None:
            continue
        with pytest.raises(ValidationError, match="Anwesende"):
            set_pictured(demo, group, [wrong])
        assert _stored(demo, group) == before  # nothing half-saved
    with pytest.raises(NotFound):
        set_pictured(demo, 999_999, [])


def test_undoing_a_removed_photo_brings_back_who_is_on_it(demo: Database) -> None:
    meeting, group, _small = _ids(demo)
    stored = _stored(demo, group)
    removed = remove_photo(demo, group)
    assert removed.subjects == tuple(sorted(stored[1]))
    restored = restore_photo(demo, removed)
    assert _stored(demo, restored) == stored
    assert _clearance(demo, meeting, restored).usable

    set_pictured(demo, restored, None)
    removed = remove_photo(demo, restored)
    assert removed.subjects is None
    assert _stored(demo, restore_photo(demo, removed)) == (False, set())


def test_who_counts_as_pictured() -> None:
    anna = Attendee(1, "Anna", "", True)
    ben = Attendee(2, "Ben", "", False)
    cem = Attendee(3, "Cem", "", None, guest=True)
    everyone = (anna, ben, cem)
    assert counted_as_pictured(None, everyone) == everyone
    assert counted_as_pictured(frozenset(), everyone) == ()
    assert counted_as_pictured({1, 3}, everyone) == (anna, cem)
    assert refused_names(everyone) == ("Ben",)
    assert unknown_names(everyone) == ("Cem",)


def test_older_databases_keep_their_recorded_subjects(tmp_path: Path) -> None:
    """A database of the 0.2 schema has subject rows but no flag: they count as recorded."""
    copy = tmp_path / "old.db"
    shutil.copyfile(SCHEMAS / "20261206_02.db", copy)
    connection = sqlite3.connect(copy)
    with_rows = {r[0] for r in connection.execute("SELECT photo_id FROM photo_subjects")}
    every = {r[0] for r in connection.execute("SELECT id FROM photos")}
    connection.close()
    assert with_rows
    database = Database.open(copy)
    try:
        with database.read() as session:
            flags = dict(session.execute(select(Photo.id, Photo.subjects_recorded)).all())
    finally:
        database.close()
    assert set(flags) == every
    assert {photo_id for photo_id, flag in flags.items() if flag} == with_rows
