"""Opening and creating databases: never create by accident, refuse what is not ours."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import Database, SchemaStatus, inspect_database
from app.errors import (
    DatabaseDamaged,
    DatabaseExists,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    NotADatabase,
    NotTreffpunktDatabase,
)
from app.models import Organisation, Person, PersonEmail


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_makes_a_private_file_at_the_newest_schema(db_path: Path) -> None:
    database = Database.create(db_path)
    try:
        if sys.platform != "win32":
            assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        report = inspect_database(db_path)
        assert report.status is SchemaStatus.CURRENT
        assert report.row_counts == {"organisations": 0, "people": 0, "meetings": 0}
    finally:
        database.close()


def test_create_refuses_an_existing_file(db_path: Path) -> None:
    db_path.write_bytes(b"precious")
    with pytest.raises(DatabaseExists):
        Database.create(db_path)
    assert db_path.read_bytes() == b"precious"


@pytest.mark.sqlite_only
def test_connection_pragmas(db: Database) -> None:
    with db.read() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "delete"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert session.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_open_missing_path_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "treffpunkt.db"
    with pytest.raises(DatabaseMissing):
        Database.open(missing)
    assert not missing.exists()
    assert not missing.parent.exists()


def test_open_refuses_a_text_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Einkaufsliste: Kaffee, Kekse", encoding="utf-8")
    before = digest(path)
    with pytest.raises(NotADatabase):
        Database.open(path)
    assert digest(path) == before


def test_open_refuses_a_foreign_sqlite_database_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE songs (title TEXT)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(NotTreffpunktDatabase):
        Database.open(path)
    assert digest(path) == before


@pytest.mark.sqlite_only
def test_open_refuses_a_database_from_a_newer_version(db: Database, db_path: Path) -> None:
    db.close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '29991231_99'")
    connection.commit()
    connection.close()
    before = digest(db_path)
    with pytest.raises(DatabaseTooNew):
        Database.open(db_path)
    assert inspect_database(db_path).status is SchemaStatus.TOO_NEW
    assert digest(db_path) == before


@pytest.mark.sqlite_only
def test_damaged_file_is_reported_and_left_alone(db: Database, db_path: Path) -> None:
    with db.write() as session:
        for index in range(200):
            session.add(Person(first_name="Test", last_name=f"Person {index}" * 5))
    db.close()
    data = bytearray(db_path.read_bytes())
    # Overwrite a page in the middle of the file (not the header): the b-tree breaks.
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = b"\xff" * page
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(DatabaseDamaged):
        inspect_database(db_path)
    assert digest(db_path) == before


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores modes")
@pytest.mark.sqlite_only
def test_read_only_file_is_refused_for_writing(db: Database, db_path: Path) -> None:
    db.close()
    db_path.chmod(0o400)
    with pytest.raises(DatabaseReadOnly):
        Database.open(db_path)
    database = Database.open(db_path, read_only=True)
    database.close()


@pytest.mark.sqlite_only
def test_read_only_database_refuses_writes(db: Database, db_path: Path) -> None:
    db.close()
    database = Database.open(db_path, read_only=True)
    try:
        with pytest.raises(DatabaseReadOnly), database.write():
            pass
    finally:
        database.close()


def _write_then_fail(db: Database) -> None:
    with db.write() as session:
        session.add(Organisation(name="Quartiersbüro Lehmheide"))
        session.flush()
        raise RuntimeError("power cut")


def test_write_is_all_or_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        _write_then_fail(db)
    with db.read() as session:
        assert session.query(Organisation).count() == 0


def test_names_are_stored_nfc_with_folded_keys(db: Database) -> None:
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks
    with db.write() as session:
        session.add(
            Person(
                first_name="Thi\u0323",
                last_name=decomposed,
                emails=[PersonEmail(address="Mai.Nguyen@Example.org")],
            )
        )
    with db.read() as session:
        person = session.query(Person).one()
        assert person.last_name == "Nguyễn"
        assert person.name_key.startswith("nguyen")
        assert person.emails[0].address_key == "mai.nguyen@example.org"


def test_deleting_an_organisation_keeps_its_people(db: Database) -> None:
    with db.write() as session:
        organisation = Organisation(name="DRK Krefeld")
        session.add(Person(first_name="Jana", last_name="Kowalski", organisation=organisation))
    with db.write() as session:
        session.delete(session.query(Organisation).one())
    with db.read() as session:
        assert session.query(Person).one().organisation_id is None


@pytest.mark.sqlite_only
def test_unwritable_file_is_refused_for_writing_but_opens_read_only(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root the mode bits do not bite, so simulate what a normal user meets."""
    db.close()
    real_access = os.access
    monkeypatch.setattr(
        "app.db.database.os.access",
        lambda path, mode: (
            False if Path(path) == db_path and mode == os.W_OK else real_access(path, mode)
        ),
    )
    with pytest.raises(DatabaseReadOnly):
        Database.open(db_path)
    database = Database.open(db_path, read_only=True)
    database.close()


def test_threads_get_their_own_connections(db: Database) -> None:
    """Regression: a creator-only URL made SQLAlchemy pick SingletonThreadPool, which closed
    one thread's connection while another still used it (crashes in the window's tasks)."""
    import threading

    from sqlalchemy.pool import QueuePool

    assert isinstance(db.engine.pool, QueuePool)
    with db.write() as session:
        session.add_all(Person(first_name="P", last_name=f"Nr {index}") for index in range(50))
    errors: list[BaseException] = []

    def read_many() -> None:
        try:
            for _ in range(40):
                with db.read() as session:
                    assert session.query(Person).count() == 50
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=read_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
