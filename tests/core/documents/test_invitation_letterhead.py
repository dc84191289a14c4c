"""The letterhead in the settings: stored with its logo, read back forgivingly, checked."""

from __future__ import annotations

import base64
import json
from io import BytesIO

import pytest
from PIL import Image

from app.db import Database
from app.errors import ValidationError
from app.models import Setting
from app.services import letterhead as module
from app.services.letterhead import (
    LETTERHEAD_KEY,
    MAX_LOGO_BYTES,
    Letterhead,
    letterhead_from_json,
    load_letterhead,
    save_letterhead,
)
from app.services.settings import set_setting


def image(fmt: str = "PNG", size: tuple[int, int] = (80, 40)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def test_nothing_set_up(db: Database) -> None:
    assert load_letterhead(db) is None


def test_round_trip_with_png_logo(db: Database) -> None:
    logo = image()
    stored = save_letterhead(
        db, Letterhead(" Quartiersmanagement ", ("Hauptstraße 5", "", " 12345 Stahldorf "), logo)
    )
    assert stored == Letterhead("Quartiersmanagement", ("Hauptstraße 5", "12345 Stahldorf"), logo)
    assert load_letterhead(db) == stored
    with db.read() as session:
        row = session.get(Setting, LETTERHEAD_KEY)
        assert row is not None
        value = json.loads(row.value_json)
    assert value["name"] == "Quartiersmanagement"
    assert base64.b64decode(value["logo"]) == logo  # the bytes travel with the database


def test_jpeg_logo_and_no_logo(db: Database) -> None:
    jpeg = image("JPEG")
    assert save_letterhead(db, Letterhead("QM", (), jpeg)) == Letterhead("QM", (), jpeg)
    assert save_letterhead(db, Letterhead("QM")) == Letterhead("QM")
    loaded = load_letterhead(db)
    assert loaded is not None
    assert loaded.logo is None


def test_remove(db: Database) -> None:
    save_letterhead(db, Letterhead("QM"))
    assert save_letterhead(db, None) is None
    assert load_letterhead(db) is None


@pytest.mark.parametrize(
    ("letterhead", "fragment"),
    [
        (Letterhead("  "), ""),
        (Letterhead("x" * 201), "200"),
        (Letterhead("QM", tuple(f"Zeile {i}" for i in range(7))), "6"),
        (Letterhead("QM", ("y" * 201,)), "200"),
        (Letterhead("QM", (), b"GIF89a not allowed"), "JPEG"),
        (Letterhead("QM", (), b"\x89PNG\r\n\x1a\n broken"), ""),
    ],
)
def test_refused(db: Database, letterhead: Letterhead, fragment: str) -> None:
    with pytest.raises(ValidationError) as error:
        save_letterhead(db, letterhead)
    assert fragment in str(error.value)
    assert load_letterhead(db) is None  # nothing stored


def test_logo_too_large(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    logo = image(size=(400, 400))
    monkeypatch.setattr(module, "MAX_LOGO_BYTES", len(logo) - 1)
    with pytest.raises(ValidationError):
        save_letterhead(db, Letterhead("QM", (), logo))
    assert MAX_LOGO_BYTES == 2 * 1024 * 1024


def test_older_and_hand_edited_values(db: Database) -> None:
    set_setting(db, LETTERHEAD_KEY, {"name": "Stadt Krefeld"})
    assert load_letterhead(db) == Letterhead("Stadt Krefeld")
    set_setting(db, LETTERHEAD_KEY, {"name": "QM", "address": "Weg 1\n12345 Ort", "logo": "%%%"})
    assert load_letterhead(db) == Letterhead("QM", ("Weg 1", "12345 Ort"), None)
    broken_values: list[object] = [
        "just text",
        [],
        {"address_lines": ["Weg 1"]},
        {"name": ""},
        None,
    ]
    for broken in broken_values:
        set_setting(db, LETTERHEAD_KEY, broken)
        assert load_letterhead(db) is None


def test_from_json_normalises() -> None:
    letterhead = letterhead_from_json({"name": "Que\u0301bec", "address_lines": ["A", 5]})
    assert letterhead == Letterhead("Québec", ("A", "5"))
