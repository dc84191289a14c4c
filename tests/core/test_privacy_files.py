"""Auskunft files: JSON and PDF from one export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.db import Database
from app.documents.access_files import save_access_report
from app.errors import NotFound, ValidationError
from app.models import Person, PersonEmail


def _person(db: Database) -> int:
    with db.write() as session:
        person = Person(first_name="Renée", last_name="Ährenfeld")
        person.emails.append(PersonEmail(address="renee@example.org", is_preferred=True))
        session.add(person)
        session.flush()
        return person.id


def test_json_and_pdf_are_written(db: Database, tmp_path: Path) -> None:
    person_id = _person(db)
    out = tmp_path / "out"
    out.mkdir()
    written = save_access_report(db, person_id, json_path=out / "a.json", pdf_path=out / "a.pdf")
    assert written == [out / "a.json", out / "a.pdf"]
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert data["person"]["last_name"] == "Ährenfeld"
    assert data["emails"][0]["address"] == "renee@example.org"
    assert (out / "a.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.pdf"]  # no leftovers


def test_nothing_asked_or_unknown_person(db: Database, tmp_path: Path) -> None:
    person_id = _person(db)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError):
        save_access_report(db, person_id)
    with pytest.raises(NotFound):
        save_access_report(db, person_id + 99, json_path=out / "x.json")
    assert list(out.iterdir()) == []
