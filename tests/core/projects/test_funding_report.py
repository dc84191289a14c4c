"""The funding report: numbers agree with the figures page, PDF and XLSX read back."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from app.db import Database
from app.documents.funding_report import write_funding_report
from app.models import Attendance, Meeting, Organisation, Photo
from app.services.projects import ProjectInput, create_project, link_meeting, list_projects
from app.services.reporting import meeting_figures, period_figures
from app.services.reporting.funding import NothingToReport, funding_report

from .conftest import AUFTAKT, TODAY

PERIOD = (date(2022, 1, 1), date(2023, 12, 31))
P37F = "Projekt 37F – Teilhabe und Integration in den Quartieren"


def _project(db: Database, name: str) -> int:
    return next(r.id for r in list_projects(db) if r.name == name)


def _text(path: Path) -> str:
    """The text layer with runs of white space as one blank (table cells wrap lines)."""
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


def test_all_projects_agree_with_the_figures_page_for_the_same_period(demo: Database) -> None:
    report = funding_report(demo, None, *PERIOD, today=TODAY)
    figures = period_figures(demo, *PERIOD)
    # Every held demo meeting concerns some project: the numbers must be the same.
    assert report.figures == figures
    assert report.figures.meetings_held == 3
    for meeting in report.meetings:
        assert meeting.figures == meeting_figures(demo, meeting.meeting_id)
        # Every person present is first-time or returning (the demo has no erased people).
        assert meeting.first_time + meeting.returning == meeting.figures.present
    assert report.first_time + report.returning == figures.people_reached


def test_one_project_agrees_with_the_figures_of_its_meetings(demo: Database) -> None:
    project = _project(demo, "Sport im Park")
    report = funding_report(demo, [project], *PERIOD, today=TODAY)
    ids = [m.meeting_id for m in report.meetings]
    assert len(ids) == 3  # auftakt, spring, autumn (the upcoming one is not held)
    figures = period_figures(demo, *PERIOD, meeting_ids=ids)
    assert report.figures == figures
    assert sum(m.figures.participants for m in report.meetings) == figures.attendances
    # A one-day figures period around one meeting gives that meeting's numbers too.
    first = report.meetings[0]
    day = first.start.date()
    assert period_figures(demo, day, day).attendances == first.figures.participants
    # The later meetings have returning people.
    assert report.meetings[1].returning > 0
    assert report.first_time + report.returning == figures.people_reached


def test_default_period_is_the_projects_own(demo: Database) -> None:
    report = funding_report(demo, [_project(demo, P37F)], today=TODAY)
    assert (report.start, report.end) == (date(2020, 12, 1), date(2022, 11, 30))
    assert [m.title for m in report.meetings] == [AUFTAKT]
    # Linked as a whole: all TOPs, decisions and action items of the meeting count.
    assert len(report.meetings[0].tops) == 10
    assert len(report.decisions) == 4


def test_a_period_without_meetings_says_so(demo: Database, tmp_path: Path) -> None:
    with pytest.raises(NothingToReport, match="2024"):
        funding_report(demo, [_project(demo, P37F)], date(2024, 1, 1), date(2024, 12, 31))
    empty = create_project(demo, ProjectInput(name="Leer"))
    with pytest.raises(NothingToReport):
        funding_report(demo, [empty])


def test_pdf_shows_every_meeting_numbers_credit_and_no_refused_photo(
    demo: Database, tmp_path: Path
) -> None:
    report = funding_report(demo, None, *PERIOD, today=TODAY)
    path = tmp_path / "bericht.pdf"
    write_funding_report(demo, report, path)
    text = _text(path)
    for meeting in report.meetings:
        assert meeting.title in text
    assert "Sachbericht" in text
    assert "Stadt Krefeld, Presse und Kommunikation, A. Bischof" in text
    assert "Das Auftakt-Netzwerktreffen der Impuls.Ag unter der Leitung" in text
    # The small-group photo shows a guest who refused: neither shown nor captioned.
    assert "Kleingruppenarbeit" not in text
    assert "Netzwerktreffen der Impuls.Ag stellt Integration in den Mittelpunkt" in text  # press
    total = str(report.figures.attendances)
    assert (
        f"Gesamt {report.figures.person_attendances} "
        f"{sum(m.first_time for m in report.meetings)} {sum(m.returning for m in report.meetings)}"
        in text
    )
    assert total in text
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert "Sachbericht" in (reader.metadata.title or "")
    images = sum(len(page.images) for page in reader.pages)
    assert images == 1


def test_user_text_is_escaped_everywhere(demo: Database, tmp_path: Path) -> None:
    with demo.write() as session:
        session.execute(
            update(Meeting).where(Meeting.title == AUFTAKT).values(title="A <b>fett</b> & Co")
        )
        org = session.scalars(
            select(Organisation).where(Organisation.name == "Bayer SC05 e. V.")
        ).one()
        org.name = '=HYPERLINK("http://x") <i>'
    project = create_project(
        demo, ProjectInput(name="<b>Projekt</b> & Söhne", funder="<font size=40>X")
    )
    with demo.read() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.title.like("A <b>%"))).one()
    link_meeting(demo, project, meeting_id)
    report = funding_report(demo, [project], today=TODAY)
    pdf = tmp_path / "r.pdf"
    write_funding_report(demo, report, pdf)
    text = _text(pdf)
    assert "A <b>fett</b> & Co" in text
    assert "<b>Projekt</b> & Söhne" in text
    assert "<font size=40>X" in text
    xlsx = tmp_path / "r.xlsx"
    write_funding_report(demo, report, xlsx)
    workbook = load_workbook(xlsx)
    cells = [
        c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None
    ]
    formula = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    assert all(c.data_type != "f" for c in cells)


def test_xlsx_has_the_underlying_tables(demo: Database, tmp_path: Path) -> None:
    report = funding_report(demo, None, *PERIOD, today=TODAY)
    path = tmp_path / "r.xlsx"
    write_funding_report(demo, report, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames[:3] == ["Übersicht", "Projekte", "Treffen"]
    participation = workbook["Teilnahme"]
    rows = list(participation.iter_rows(values_only=True))
    assert rows[0][:3] == ("Datum", "Titel", "Anwesend")
    assert rows[-1][6] == report.figures.attendances
    assert len(rows) == len(report.meetings) + 2
    photos = list(workbook["Fotos"].iter_rows(values_only=True))
    assert len(photos) == 2
    assert "Bischof" in photos[1][2]


def test_signin_scans_are_appended(demo: Database, tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from app.services.demo_projects import demo_photo
    from app.services.projects.scans import attach_scan

    with demo.read() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(2):
        canvas.drawString(100, 700, f"Unterschriften Seite {page + 1}")
        canvas.showPage()
    canvas.save()
    attach_scan(demo, meeting_id, "liste.pdf", buffer.getvalue())
    attach_scan(demo, meeting_id, "foto.jpg", demo_photo(3, 2))
    report = funding_report(demo, [_project(demo, P37F)], today=TODAY)
    plain, with_scans = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_funding_report(demo, report, plain)
    write_funding_report(demo, report, with_scans, with_scans=True)
    assert len(PdfReader(with_scans).pages) == len(PdfReader(plain).pages) + 3
    text = _text(with_scans)
    assert "Unterschriften Seite 2" in text
    assert "liste.pdf" in _text(plain)


def test_photo_consent_decides_with_recorded_subjects(demo: Database) -> None:
    from app.services.press.photos import photo_clearances, set_pictured

    with demo.read() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.title == AUFTAKT)).one()
        small = (
            session.scalars(select(Photo).where(Photo.filename == "auftakt-kleingruppe.jpg"))
            .one()
            .id
        )
        guest = session.scalars(
            select(Attendance.id).where(Attendance.guest_name == "Tamara Schulz")
        ).one()
    cleared = {c.filename: c for c in photo_clearances(demo, meeting_id)}
    assert cleared["auftakt-gruppenfoto.jpg"].usable
    assert not cleared["auftakt-kleingruppe.jpg"].usable
    assert "Yusuf Demirci" in cleared["auftakt-kleingruppe.jpg"].refused
    previous = set_pictured(demo, small, [guest])
    assert previous is not None
    assert len(previous) == 4
    assert {c.filename: c for c in photo_clearances(demo, meeting_id)}[
        "auftakt-kleingruppe.jpg"
    ].usable
    set_pictured(demo, small, None)  # not recorded: everyone present counts, someone refused
    assert not {c.filename: c for c in photo_clearances(demo, meeting_id)}[
        "auftakt-kleingruppe.jpg"
    ].usable
