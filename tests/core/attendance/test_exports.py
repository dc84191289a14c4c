"""The figures exports: XLSX read back with openpyxl, PDF read back with pypdf."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.db import Database
from app.documents.base import DocumentWriteError
from app.documents.figures import render_figures_pdf, write_figures_pdf
from app.i18n import _, format_date
from app.models import Attendance, AttendanceStatus, Meeting, MeetingState, Organisation, Person
from app.services.letterhead import Letterhead
from app.services.reporting import PeriodFigures, figures_for_year
from app.services.reporting.tables import report_title
from app.services.reporting.xlsx import (
    ExportWriteError,
    sheet_title,
    workbook_bytes,
    write_figures_xlsx,
)

BERLIN = ZoneInfo("Europe/Berlin")
HOSTILE = [
    '=HYPERLINK("http://evil.example","klick")',
    "@SUM(A1:A2)",
    "+49 221 4710",
    "-Minus e. V.",
    "Müller & Söhne <GmbH>",
    "<b>offen",
]


@pytest.fixture
def figures(db: Database) -> PeriodFigures:
    """Two held meetings in 2024; people from hostile-named organisations and a guest."""
    with db.write() as session:
        people = []
        for index, name in enumerate(HOSTILE):
            organisation = Organisation(name=name)
            people.append(
                Person(
                    first_name=f"Vorname{index}",
                    last_name=f"Nachname{index}",
                    organisation=organisation,
                )
            )
        session.add_all(people)
        for day, title in (
            (date(2024, 3, 5), "Frühjahrstreffen"),
            (date(2024, 10, 8), "=Herbsttreffen"),
        ):
            meeting = Meeting(
                title=title,
                state=MeetingState.MINUTES_FINAL,
                start=datetime(day.year, day.month, day.day, 15, tzinfo=BERLIN),
            )
            session.add(meeting)
            session.flush()
            for person in people:
                session.add(
                    Attendance(
                        meeting_id=meeting.id, person_id=person.id, status=AttendanceStatus.PRESENT
                    )
                )
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    guest_name="Gast",
                    guest_organisation="=1+1",
                    status=AttendanceStatus.PRESENT,
                )
            )
    return figures_for_year(db, 2024)


def test_xlsx_holds_values_and_no_formulas(figures: PeriodFigures, tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    write_figures_xlsx(figures, path)
    workbook = load_workbook(path)  # formulas would come back as "=…" strings of type "f"
    assert workbook.sheetnames == [
        _("Overview"),
        _("Meetings"),
        _("Organisations"),
        _("City quarters"),
    ]
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    organisations = workbook[_("Organisations")]
    names = [row[0] for row in organisations.iter_rows(min_row=2, values_only=True)]
    for name in [*HOSTILE, "=1+1"]:
        assert name in names
    hyperlink = next(c for c in organisations["A"] if c.value == HOSTILE[0])
    assert hyperlink.data_type == "s"
    assert hyperlink.quotePrefix
    header = [c.value for c in organisations[1]]
    assert header[:3] == [_("Organisation"), _("City quarters"), _("Meetings")]
    assert organisations["A1"].font.bold
    first = next(r for r in organisations.iter_rows(min_row=2) if r[0].value == HOSTILE[4])
    assert [c.value for c in first[2:]] == [2, 2, 0, 1]  # meetings, participations, guests, people
    assert all(isinstance(c.value, int) for c in first[2:])
    assert organisations.freeze_panes == "A2"

    meetings = workbook[_("Meetings")]
    rows = list(meetings.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["Frühjahrstreffen", "=Herbsttreffen"]
    assert rows[0][0] == datetime(2024, 3, 5)  # a real date, formatted by Excel
    assert rows[0][5] == len(HOSTILE)  # present
    assert rows[0][7] == 1  # guests

    overview = workbook[_("Overview")]
    assert overview["A1"].value == report_title()
    values = {row[0]: row[1] for row in overview.iter_rows(min_row=4, values_only=True) if row[0]}
    assert values[_("Meetings held")] == 2
    assert values[_("People reached (distinct, from the directory)")] == len(HOSTILE)
    assert values[_("of which guests")] == 2
    assert values[_("Period from")] == datetime(2024, 1, 1)
    labels = [row[0] for row in overview.iter_rows(values_only=True)]
    for quarter in (1, 2, 3, 4):
        assert _("Q{quarter} {year}").format(quarter=quarter, year=2024) in labels


def test_xlsx_write_is_atomic(
    figures: PeriodFigures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "figures.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(ExportWriteError):
        write_figures_xlsx(figures, tmp_path / "missing" / "figures.xlsx")

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "file is open elsewhere")

    with monkeypatch.context() as patch:
        patch.setattr("app.services.reporting.xlsx.os.replace", refuse)
        with pytest.raises(ExportWriteError):
            write_figures_xlsx(figures, path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["figures.xlsx"]  # no temporary file left
    write_figures_xlsx(figures, path)
    assert path.read_bytes()[:2] == b"PK"
    assert [p.name for p in folder.iterdir()] == ["figures.xlsx"]


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("Per: [city]/quarter?*", taken) == "Per- -city--quarter--"
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 29 + " 2"


def test_empty_figures_export(db: Database, tmp_path: Path) -> None:
    empty = figures_for_year(db, 2025)
    workbook = load_workbook(BytesIO(workbook_bytes(empty)))
    assert workbook[_("Meetings")].max_row == 1
    text = " ".join(
        page.extract_text() for page in PdfReader(BytesIO(render_figures_pdf(empty))).pages
    )
    assert _("No meeting was held in this period.") in " ".join(text.split())


def test_pdf_text_reads_back(figures: PeriodFigures, tmp_path: Path) -> None:
    path = tmp_path / "figures.pdf"
    write_figures_pdf(
        figures,
        path,
        network="Impuls.Ag",
        letterhead=Letterhead("Stadt Krefeld", ("Von-der-Leyen-Platz 1",)),
        created=date(2025, 1, 15),
    )
    reader = PdfReader(path)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    assert report_title() in pages[0]
    assert f"{format_date(date(2024, 1, 1))} – {format_date(date(2024, 12, 31))}" in pages[0]
    assert "Stadt Krefeld" in pages[0]
    assert "Impuls.Ag" in pages[0]
    for name in [*HOSTILE, "Frühjahrstreffen", "=Herbsttreffen"]:
        assert name in text, name
    for number, page in enumerate(pages, start=1):
        before, _sep, _after = _("Page {page} of {pages}").partition("{pages}")
        assert before.format(page=number).strip() in page
        assert str(len(pages)) in page
    assert (
        _("Created with Treffpunkt on {date}").format(date=format_date(date(2025, 1, 15)))
        in pages[-1]
    )
    assert reader.metadata is not None
    assert report_title() in (reader.metadata.title or "")
    for title in (
        _("Per calendar quarter"),
        _("Per meeting"),
        _("Per organisation"),
        _("Per city quarter"),
    ):
        assert title in text


def test_pdf_long_table_repeats_its_header(db: Database) -> None:
    with db.write() as session:
        meeting = Meeting(
            title="Großes Treffen",
            state=MeetingState.HELD,
            start=datetime(2024, 6, 1, 15, tzinfo=BERLIN),
        )
        session.add(meeting)
        session.flush()
        for index in range(120):
            person = Person(
                first_name="P",
                last_name=f"N{index}",
                organisation=Organisation(name=f"Organisation Nr. {index:03d}"),
            )
            session.add(person)
            session.flush()
            session.add(Attendance(meeting_id=meeting.id, person_id=person.id))
    pdf = render_figures_pdf(figures_for_year(db, 2024))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]
    assert len(pages) >= 4
    with_header = [p for p in pages if "Organisation Nr." in p]
    assert len(with_header) >= 2
    for page in with_header:
        assert _("Participations") in page
    text = " ".join(pages)
    for index in range(120):
        assert f"Organisation Nr. {index:03d}" in text


def test_pdf_write_error_is_a_user_error(figures: PeriodFigures, tmp_path: Path) -> None:
    with pytest.raises(DocumentWriteError):
        write_figures_pdf(figures, tmp_path / "missing" / "figures.pdf")
