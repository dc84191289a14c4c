"""Characters beyond U+FFFF (emoji, rare CJK) come back from the PDFs' text layer as typed:
``pdftotext`` reads what the user entered, also for characters DejaVu Sans has no glyph for."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app.db import Database
from app.documents.fonts import covers
from app.services.planning import MeetingDraft, create_meeting

TITLE = "Sommerfest 😀 mit 👍 und 🎉 – Gast: 𠮷田 (Yoshida) 𝐀"


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_sample_needs_both_kinds_of_character() -> None:
    assert covers("😀")  # DejaVu has this glyph
    assert not covers("👍")  # and not these: they print as a box, but must read back
    assert not covers("𠮷")


@pytest.mark.parametrize("document", ["invitation", "signin", "minutes"])
def test_non_bmp_text_round_trips_through_pdftotext(
    document: str,
    db: Database,
    db_arg: str,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    from datetime import datetime

    meeting_id = create_meeting(db, MeetingDraft(title=TITLE, start=datetime(2026, 7, 3, 17, 0)))
    db.close()
    target = tmp_path / f"{document}.pdf"
    code, _out, err = cli("--db", db_arg, "pdf", document, str(meeting_id), "-o", str(target))
    assert code == 0, err
    text = " ".join(pdftotext(target).split())
    assert TITLE in text
    assert "ὠ" not in text  # what U+1F600 used to read as
