"""A meeting in the hour that occurs twice (Berlin, 31 Oct 2027, 02:00–03:00 twice): the
stored instant, what the window shows, the PDF and the .ics all say the same time, and the
ambiguous time carries a visible note."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.db import Database
from app.i18n import format_time
from app.models import Meeting
from app.services.mail_settings import SmtpSettings, save_smtp_settings
from app.services.meetings import get_meeting

CASES = {
    # input → the UTC instant it means, and how it is shown
    "2027-10-31T02:30": (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "02:30 MESZ", "erste 02:30"),
    "2027-10-31T02:30+01:00": (
        datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
        "02:30 MEZ",
        "zweite 02:30",
    ),
}


def stored_start(db_arg: str, meeting_id: int) -> datetime:
    with Database.open(db_arg) as database, database.read() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.id == meeting_id)).one()
        return meeting.start.astimezone(UTC)


@pytest.mark.parametrize("typed", list(CASES))
def test_window_pdf_and_calendar_agree(
    typed: str,
    db: Database,
    db_arg: str,
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    instant, shown, which = CASES[typed]
    save_smtp_settings(db, SmtpSettings(sender_name="Netzwerk", sender_address="n@example.org"))
    db.close()
    code, out, err = cli(
        "--db", db_arg, "meetings", "create", "--title", "Nachtcafé", "--start", typed
    )
    assert code == 0, err
    meeting_id = int(out.strip())
    assert "zurückgestellt" in err  # the command line says so too (stdout: the id only)

    # Stored: the instant that was meant.
    assert stored_start(db_arg, meeting_id) == instant

    # The window: the time with its zone's name, and a note.
    with Database.open(db_arg) as database:
        detail = get_meeting(database, meeting_id)
    assert detail.start.astimezone(UTC) == instant
    assert format_time(detail.start) == shown
    assert which in detail.time_note

    # The PDF: the same, as the reader sees it.
    pdf = tmp_path / "einladung.pdf"
    code, _out, err = cli("--db", db_arg, "pdf", "invitation", str(meeting_id), "-o", str(pdf))
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert shown in text

    # The calendar file: the same instant for every client (UTC, not an ambiguous TZID).
    ics = tmp_path / "treffen.ics"
    code, _out, err = cli("--db", db_arg, "ics", str(meeting_id), "-o", str(ics))
    assert code == 0, err
    raw = ics.read_text(encoding="utf-8")
    assert f"DTSTART:{instant.strftime('%Y%m%dT%H%M%SZ')}" in raw
    event = next(c for c in Calendar.from_ical(raw).walk("VEVENT"))
    assert event.decoded("dtstart") == instant


def test_other_times_keep_their_time_zone(db: Database, tmp_path: Path) -> None:
    from app.documents.calendar import CalendarMeeting, CalendarPerson, meeting_calendar

    start = datetime(2027, 10, 31, 10, 0, tzinfo=UTC)  # 11:00 MEZ, an ordinary time
    meeting = CalendarMeeting(
        uid="u@x",
        sequence=0,
        title="Vormittag",
        start=start,
        end=None,
        timezone="Europe/Berlin",
        organiser=CalendarPerson("Netzwerk", "n@example.org"),
    )
    raw = meeting_calendar(meeting).decode()
    assert "DTSTART;TZID=Europe/Berlin:20271031T110000" in raw
    from zoneinfo import ZoneInfo

    assert format_time(start.astimezone(ZoneInfo("Europe/Berlin"))) == "11:00"
