"""Walk-ins added at the door: as a guest or as a new person in the directory."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import ValidationError
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentRecord,
    ConsentTopic,
    Organisation,
    Person,
    PersonEmail,
    Salutation,
)
from app.services.attendance import (
    AlreadyInDirectoryError,
    add_walk_in,
    checkin_candidates,
    rank_candidates,
    remove_walk_in,
)
from tests.helpers.attendance import NOW, Setup


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_walk_in_as_guest(db: Database, setup: Setup) -> None:
    people_before = count(db, Person)
    result = add_walk_in(
        db,
        setup.meeting,
        "  Tamara   Schulz ",
        "Westdeutsche Zeitung",
        "tamara@wz.example",
        as_person=False,
        photo_consent=True,
        now=NOW,
    )
    assert result.person_id is None
    assert not result.created_person
    assert result.row.guest
    assert result.row.present
    assert result.row.name == "Tamara Schulz"
    assert result.row.checked_in_at == NOW
    assert count(db, Person) == people_before
    with db.read() as session:
        [row] = session.scalars(select(Attendance)).all()
        assert (row.person_id, row.guest_name, row.guest_organisation, row.guest_email) == (
            None,
            "Tamara Schulz",
            "Westdeutsche Zeitung",
            "tamara@wz.example",
        )
        assert row.status is AttendanceStatus.PRESENT
        assert row.photo_consent is True
    remove_walk_in(db, result)
    assert count(db, Attendance) == 0


def test_the_same_guest_twice_is_refused(db: Database, setup: Setup) -> None:
    add_walk_in(db, setup.meeting, "Tamara Schulz", "WZ", as_person=False, now=NOW)
    with pytest.raises(ValidationError):
        add_walk_in(db, setup.meeting, "tamara schulz", "wz", as_person=False, now=NOW)
    # Same name from another organisation: another person.
    add_walk_in(db, setup.meeting, "Tamara Schulz", "Anwohnerin", as_person=False, now=NOW)
    assert count(db, Attendance) == 2


def test_walk_in_as_new_person(db: Database, setup: Setup) -> None:
    organisations_before = count(db, Organisation)
    result = add_walk_in(
        db,
        setup.meeting,
        "Frau Dr. Hanna von der Heide",
        "Neue Nachbarschaft e. V.",
        "Hanna@Example.org",
        as_person=True,
        photo_consent=False,
        function="Vorstand",
        now=NOW,
    )
    assert result.created_person
    assert result.created_organisation
    assert count(db, Organisation) == organisations_before + 1
    with db.read() as session:
        person = session.get(Person, result.person_id)
        assert person is not None
        assert (person.salutation, person.title, person.first_name, person.last_name) == (
            Salutation.FRAU,
            "Dr.",
            "Hanna",
            "von der Heide",
        )
        assert person.function == "Vorstand"
        assert person.organisation is not None
        assert person.organisation.name == "Neue Nachbarschaft e. V."
        assert [e.address for e in person.emails] == ["Hanna@Example.org"]
        assert "Netzwerktreffen März" in person.notes
        [consent] = person.consents
        assert (consent.topic, consent.given) == (ConsentTopic.PHOTOS, False)
        attendance = session.scalar(select(Attendance).where(Attendance.person_id == person.id))
        assert attendance is not None
        assert attendance.status is AttendanceStatus.PRESENT
        assert attendance.photo_consent is False
    # Found at the door like everyone else from now on.
    rows = checkin_candidates(db, setup.meeting)
    assert rank_candidates(rows, "heide")[0].person_id == result.person_id


def test_walk_in_finds_the_organisation_ignoring_case_and_accents(
    db: Database, setup: Setup
) -> None:
    result = add_walk_in(
        db, setup.meeting, "Karl Lehmann", "QUARTIERSBURO LEHMHEIDE", as_person=True, now=NOW
    )
    assert result.organisation_id == setup.buero
    assert not result.created_organisation
    assert result.row.organisation == "Quartiersbüro Lehmheide"


def test_undo_of_a_new_person_removes_person_and_organisation(db: Database, setup: Setup) -> None:
    people, organisations = count(db, Person), count(db, Organisation)
    result = add_walk_in(
        db,
        setup.meeting,
        "Karl Neu",
        "Ganz Neu GmbH",
        "karl@neu.example",
        as_person=True,
        photo_consent=True,
        now=NOW,
    )
    remove_walk_in(db, result)
    assert (count(db, Person), count(db, Organisation)) == (people, organisations)
    assert count(db, Attendance) == 0
    assert count(db, ConsentRecord) == 1  # only Ayşe's form


def test_undo_keeps_a_person_used_meanwhile(db: Database, setup: Setup) -> None:
    from app.services.invitations import add_invitees

    result = add_walk_in(db, setup.meeting, "Karl Neu", as_person=True, now=NOW)
    assert result.person_id is not None
    add_invitees(db, setup.meeting, [result.person_id])
    remove_walk_in(db, result)
    with db.read() as session:
        assert session.get(Person, result.person_id) is not None
    assert count(db, Attendance) == 0


@pytest.mark.parametrize("address", ["anna@", "no address", "a@b", "x@@example.org", "a b@c.de"])
def test_invalid_email_is_refused_and_nothing_added(
    db: Database, setup: Setup, address: str
) -> None:
    people = count(db, Person)
    for as_person in (False, True):
        with pytest.raises(ValidationError) as caught:
            add_walk_in(db, setup.meeting, "Karl Neu", "", address, as_person=as_person, now=NOW)
        assert address.strip() in str(caught.value)
    assert count(db, Person) == people
    assert count(db, Attendance) == 0


def test_empty_name_is_refused(db: Database, setup: Setup) -> None:
    with pytest.raises(ValidationError):
        add_walk_in(db, setup.meeting, "   ", as_person=False, now=NOW)
    with pytest.raises(ValidationError):
        add_walk_in(db, setup.meeting, "Dr.", as_person=True, now=NOW)
    assert count(db, Attendance) == 0


def test_known_address_names_the_person(db: Database, setup: Setup) -> None:
    people = count(db, Person)
    with pytest.raises(AlreadyInDirectoryError) as caught:
        add_walk_in(
            db, setup.meeting, "J. Müller", "", "JAN.MUELLER@example.org", as_person=True, now=NOW
        )
    assert caught.value.person_id == setup.jan
    assert "Jan Müller" in str(caught.value)
    assert count(db, Person) == people
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(PersonEmail)) == 6
