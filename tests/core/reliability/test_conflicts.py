"""Lost updates: the later of two saves of the same record is refused, not silently applied."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.versioning import check_version
from app.errors import ConflictError, NotFound
from app.models import Person

from .conftest import Child


def new_person(db: Database) -> tuple[int, int]:
    with db.write() as session:
        person = Person(first_name="Ayşe", last_name="Yılmaz", function="Leitung")
        session.add(person)
        session.flush()
        return person.id, person.version


def function_of(db: Database, person_id: int) -> str:
    with db.read() as session:
        return session.scalars(select(Person.function).where(Person.id == person_id)).one()


def save(db: Database, person_id: int, loaded_version: int, value: str) -> int:
    with db.write() as session:
        person = check_version(session, Person, person_id, loaded_version)
        person.function = value
        session.flush()
        return person.version


def test_two_windows_editing_the_same_person(db: Database) -> None:
    person_id, version = new_person(db)
    # Both forms were loaded with the same version.
    first_form = second_form = version
    new_version = save(db, person_id, first_form, "Koordination")
    assert new_version == version + 1
    with pytest.raises(ConflictError):
        save(db, person_id, second_form, "Vorsitz")
    assert function_of(db, person_id) == "Koordination"
    # After reloading, the second window may save.
    save(db, person_id, new_version, "Vorsitz")
    assert function_of(db, person_id) == "Vorsitz"


def test_saving_a_deleted_record(db: Database) -> None:
    person_id, version = new_person(db)
    with db.write() as session:
        session.delete(session.get(Person, person_id))
    with pytest.raises(NotFound):
        save(db, person_id, version, "egal")


def test_two_processes_saving_at_the_same_moment(
    db: Database, db_arg: str, child: Callable[..., Child]
) -> None:
    """Two processes loaded the same version and save at once: exactly one wins."""
    person_id, version = new_person(db)
    db.close()
    for round_ in range(3):
        savers = [
            child("save-person", db_arg, str(person_id), str(version), f"r{round_}-{n}")
            for n in range(2)
        ]
        for saver in savers:
            assert saver.line() == "ready"
        for saver in savers:
            saver.send("go")
        answers = [saver.line() for saver in savers]
        assert sorted(answers) == ["conflict", "saved"]
        winner = answers.index("saved")
        database = Database.open(db_arg)
        try:
            assert function_of(database, person_id) == f"r{round_}-{winner}"
            with database.read() as session:
                version = session.scalars(
                    select(Person.version).where(Person.id == person_id)
                ).one()
        finally:
            database.close()
