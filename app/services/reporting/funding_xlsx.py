"""The funding report's underlying tables as an Excel workbook (openpyxl), no formulas.

Reuses the figures workbook's writer (``xlsx._SheetWriter``): numbers stay numbers, dates
dates, and every text cell is stored as a string (never a formula; cells starting with
= + - @ get the quote prefix), so a title like ``=HYPERLINK(…)`` stays harmless text.
Sheets: Overview (project data and the target-group numbers), then one sheet per table of
``funding_tables`` plus the organisations and city quarters of the figures.
"""

from __future__ import annotations

import io
from pathlib import Path

from app.i18n import _
from app.services.reporting.funding import FundingReport
from app.services.reporting.funding_tables import (
    actions_table,
    decisions_table,
    meetings_table,
    participation_table,
    photos_table,
    press_table,
    project_facts,
    projects_table,
    scans_table,
    target_group_rows,
    tops_table,
)
from app.services.reporting.tables import FiguresTable, Kind, organisations_table, quarters_table
from app.services.reporting.xlsx import MAX_WIDTH, _SheetWriter, sheet_title, write_atomic


def _sheet_names() -> dict[str, str]:
    return {
        "projects": _("Projects"),
        "activities": _("Meetings"),
        "participation": _("Participation"),
        "organisations": _("Organisations"),
        # Translators: sheet name for the figures per city quarter ("Quartiere").
        "quarters": _("City quarters"),
        "tops": _("TOPs"),
        "decisions": _("Decisions"),
        "actions": _("Action items"),
        "press": _("Press"),
        "photos": _("Photos"),
        "scans": _("Sign-in sheets"),
    }


def funding_workbook_bytes(report: FundingReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from app.services.reporting.figures import period_text
    from app.services.reporting.funding import report_kind

    workbook = Workbook()
    taken: set[str] = set()
    first = workbook.active
    assert first is not None  # a new workbook always has one sheet
    first.title = sheet_title(_("Overview"), taken)
    writer = _SheetWriter(first)
    heading = writer.cell(1, 1, f"{report_kind()}: {report.title}")
    heading.font = writer.title_font
    writer.cell(2, 1, period_text(report.figures))
    row = 4
    if len(report.projects) == 1:
        for label, value in project_facts(report.projects[0]):
            writer.cell(row, 1, label)
            writer.cell(row, 2, value)
            row += 1
        row += 1
    writer.cell(row, 1, _("Target groups reached"), bold=True)
    row += 1
    for label, value in target_group_rows(report):
        writer.cell(row, 1, label)
        writer.cell(row, 2, value)
        row += 1
    writer.widths[1] = min(MAX_WIDTH, writer.widths.get(1, 8))
    writer.finish()

    names = _sheet_names()
    tables: list[FiguresTable] = [
        meetings_table(report),
        participation_table(report),
        organisations_table(report.figures),
        quarters_table(report.figures),
        tops_table(report),
        decisions_table(report),
        actions_table(report),
        press_table(report),
        photos_table(report),
        scans_table(report),
    ]
    if len(report.projects) > 1:
        tables.insert(0, projects_table(report))
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(names.get(table.key, table.title), taken))
        writer = _SheetWriter(sheet)
        end = writer.table(table, 1)
        writer.finish()
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{end - 1}"
        for column, spec in enumerate(table.columns, start=1):
            if spec.kind is Kind.NUMBER:
                sheet.column_dimensions[get_column_letter(column)].width = max(
                    10, min(18, len(spec.title) + 2)
                )
    workbook.properties.title = f"{report_kind()}: {report.title}"
    workbook.properties.creator = "Treffpunkt"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_funding_xlsx(report: FundingReport, path: Path) -> None:
    """Save atomically; raises ``ExportWriteError`` with a user message."""
    write_atomic(Path(path), funding_workbook_bytes(report))
