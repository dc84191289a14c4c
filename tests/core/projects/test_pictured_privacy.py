"""Photos in the data protection duties: Auskunft (Art. 15, JSON and PDF) lists the photos that
show a person; Löschung (Art. 17) deletes the photos the person is recorded on and never lets
a photo of a refusing person become publishable."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from app.db import Database
from app.documents.access_report import render_person_report
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Meeting,
    Person,
    Photo,
    PressRelease,
    photo_subjects,
)
from app.services.demo_projects import GROUP_CAPTION, PHOTO_CREDIT, SMALL_GROUP_CAPTION
from app.services.press.photos import photo_clearances, set_pictured
from app.services.privacy import erase_person, export_person, export_person_json
from app.services.retention import last_activities
from tests.core.documents.conftest import page_texts

from .conftest import AUFTAKT

GROUP = "auftakt-gruppenfoto.jpg"
SMALL = "auftakt-kleingruppe.jpg"


def _meeting(db: Database) -> int:
    with db.read() as session:
        return session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()


def _photo(db: Database, filename: str) -> int | None:
    with db.read() as session:
        return session.scalars(select(Photo.id).where(Photo.filename == filename)).first()


def _pictured_person(db: Database, filename: str) -> int:
    """A person from the directory recorded as pictured on the demo photo *filename*."""
    with db.read() as session:
        return session.scalars(
            select(Attendance.person_id)
            .join(photo_subjects, photo_subjects.c.attendance_id == Attendance.id)
            .join(Photo, Photo.id == photo_subjects.c.photo_id)
            .where(Photo.filename == filename, Attendance.person_id.is_not(None))
            .order_by(Attendance.person_id)
        ).first()


def test_export_lists_the_photos_a_person_is_on(demo: Database) -> None:
    person = _pictured_person(demo, GROUP)
    export = export_person(demo, person)
    [photo] = export["photos"]
    assert photo["meeting_title"] == AUFTAKT
    assert photo["meeting_start"].startswith("2022-11-17")
    assert (photo["filename"], photo["caption"], photo["credit"]) == (
        GROUP,
        GROUP_CAPTION,
        PHOTO_CREDIT,
    )
    assert photo["recorded_as_pictured"] is True
    assert photo["publishable"] is True
    [release] = photo["press_releases"]
    assert release["headline"].startswith("Netzwerktreffen der Impuls.Ag")
    assert release["channel"] == "mail"
    assert release["issued_at"].startswith("2022-11-24")
    # The JSON file says the same.
    assert json.loads(export_person_json(demo, person))["photos"] == export["photos"]


def test_export_names_photos_that_may_show_the_person(demo: Database) -> None:
    """On a photo that does not record who is on it, anyone present may be: say so."""
    person = _pictured_person(demo, GROUP)
    small = _photo(demo, SMALL)
    assert small is not None
    set_pictured(demo, small, None)
    photos = {p["filename"]: p for p in export_person(demo, person)["photos"]}
    assert set(photos) == {GROUP, SMALL}
    assert photos[SMALL]["recorded_as_pictured"] is False
    assert photos[SMALL]["publishable"] is False  # everyone present counts; some refused
    assert photos[SMALL]["caption"] == SMALL_GROUP_CAPTION
    # Recorded without the person: not theirs at all.
    set_pictured(demo, small, [])
    assert [p["filename"] for p in export_person(demo, person)["photos"]] == [GROUP]


def test_someone_not_pictured_gets_no_photo_section(demo: Database) -> None:
    with demo.read() as session:
        present = select(Attendance.person_id).where(
            Attendance.meeting_id == _meeting(demo),
            Attendance.status == AttendanceStatus.PRESENT,
            Attendance.person_id.is_not(None),
        )
        absent = session.scalars(select(Person.id).where(Person.id.not_in(present))).first()
    assert absent is not None
    export = export_person(demo, absent)
    assert export["photos"] == []
    text = " ".join(page_texts(render_person_report(export)))
    assert "Sie sind zu sehen" not in text


def test_the_art15_pdf_lists_the_photos(demo: Database) -> None:
    person = _pictured_person(demo, GROUP)
    small = _photo(demo, SMALL)
    assert small is not None
    set_pictured(demo, small, None)
    text = " ".join(page_texts(render_person_report(export_person(demo, person))))
    assert "Fotos von Treffen, auf denen Sie zu sehen sind oder sein könnten" in text
    assert "Fotos, auf denen Sie zu sehen sind oder sein könnten Ein Foto darf" in text
    assert "Kleingruppenarbeit zur Zusammenarbeit" in text
    assert "möglicherweise (es ist nicht erfasst, wer zu sehen ist)" in text
    assert "Verwendet in: Netzwerktreffen der Impuls.Ag stellt Integration" in text
    assert "24.11.2022" in text
    assert "Stadt Krefeld, Presse und Kommunikation" in text  # the credit
    assert "mit einer Pressemitteilung an die Presse" in text  # c) recipients


def test_erasure_deletes_the_photos_the_person_is_recorded_on(demo: Database) -> None:
    person = _pictured_person(demo, GROUP)
    group, small = _photo(demo, GROUP), _photo(demo, SMALL)
    meeting = _meeting(demo)

    result = erase_person(demo, person, compact=False)

    assert result.photos_deleted == 1
    assert result.photos_to_check == 0  # the other photo records who is on it: not them
    assert "1 Foto, auf dem die Person zu sehen ist, wurde gelöscht." in result.photos_note()
    assert _photo(demo, GROUP) is None
    assert _photo(demo, SMALL) == small
    with demo.read() as session:
        assert (
            session.scalars(
                select(photo_subjects.c.attendance_id).where(photo_subjects.c.photo_id == group)
            ).all()
            == []
        )
        release = session.scalars(select(PressRelease).where(PressRelease.meeting_id == meeting))
        assert [r.photo_id for r in release] == [None]  # the release stays, without the photo
        positions = session.scalars(select(Photo.position).where(Photo.meeting_id == meeting)).all()
    assert positions == [1]


def test_erasing_a_walk_in_guest_deletes_the_photo_they_are_on(demo: Database) -> None:
    """Yusuf Demirci came as a walk-in guest; later he is in the directory with the address
    he gave at the door. His erasure covers the guest row, and the photo showing him."""
    small = _photo(demo, SMALL)
    with demo.write() as session:
        guest = session.scalars(
            select(Attendance).where(Attendance.guest_name == "Yusuf Demirci")
        ).one()
        guest.guest_email = "yusuf.demirci@example.org"
        person = Person(first_name="Yusuf", last_name="Demirci")
        session.add(person)
        session.flush()
        from app.models import PersonEmail

        session.add(PersonEmail(person_id=person.id, address="yusuf.demirci@example.org"))
        person_id = person.id
    assert [p["filename"] for p in export_person(demo, person_id)["photos"]] == [SMALL]

    result = erase_person(demo, person_id, compact=False)

    assert result.photos_deleted == 1
    assert _photo(demo, SMALL) is None
    assert small is not None
    assert _photo(demo, GROUP) is not None


def _only_refuser(db: Database, meeting_id: int) -> tuple[int, str]:
    """Everyone present at the meeting consents to photos except one person from the
    directory, whose refusal is recorded only in her consent records (not on the sheet)."""
    with db.write() as session:
        rows = session.scalars(
            select(Attendance).where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.PRESENT,
            )
        ).all()
        people = [r.person_id for r in rows if r.person_id is not None]
        session.execute(
            delete(ConsentRecord).where(
                ConsentRecord.person_id.in_(people), ConsentRecord.topic == ConsentTopic.PHOTOS
            )
        )
        session.execute(
            update(Attendance)
            .where(Attendance.id.in_([r.id for r in rows]))
            .values(photo_consent=True)
        )
        refuser = next(r for r in rows if r.person_id is not None)
        refuser.photo_consent = None
        session.add(
            ConsentRecord(
                person_id=refuser.person_id,
                topic=ConsentTopic.PHOTOS,
                given=False,
                recorded_at=datetime(2022, 11, 1, tzinfo=UTC),
                method=ConsentMethod.FORM,
            )
        )
        person = session.get(Person, refuser.person_id)
        assert person is not None
        name = f"{person.first_name} {person.last_name}".strip()
        return int(refuser.person_id), name


def test_erasure_never_makes_a_photo_of_a_refusing_person_publishable(demo: Database) -> None:
    """A photo that does not record who is on it stays after the erasure (it may not show
    her, and it is everyone else's too), but the refusal, which lived only in her consent
    records, stays with her anonymised attendance row: the photo stays withheld."""
    meeting = _meeting(demo)
    small = _photo(demo, SMALL)
    assert small is not None
    person, name = _only_refuser(demo, meeting)
    set_pictured(demo, small, None)  # not recorded: everyone present counts as pictured
    before = next(c for c in photo_clearances(demo, meeting) if c.photo_id == small)
    assert before.refused == (name,)
    on_group = any(
        p["filename"] == GROUP and p["recorded_as_pictured"]
        for p in export_person(demo, person)["photos"]
    )

    result = erase_person(demo, person, compact=False)

    assert result.photos_to_check == 1
    assert "nicht erfasst, wer zu sehen ist" in result.photos_note()
    after = next(c for c in photo_clearances(demo, meeting) if c.photo_id == small)
    assert not after.usable
    assert after.refused == ("eine teilnehmende Person",)
    with demo.read() as session:
        anonymised = session.scalars(
            select(Attendance.photo_consent).where(
                Attendance.meeting_id == meeting, Attendance.anonymised.is_(True)
            )
        ).all()
    assert anonymised == [False]
    assert result.photos_deleted == (1 if on_group else 0)


def test_being_pictured_is_no_activity_of_its_own(demo: Database) -> None:
    """The retention review dates a person by the meetings they attended; a photo of that
    meeting (recorded or used in a press release later) does not make them active again."""
    person = _pictured_person(demo, GROUP)
    before = last_activities(demo)[person]
    group = _photo(demo, GROUP)
    assert group is not None
    set_pictured(demo, group, [])
    assert last_activities(demo)[person] == before
