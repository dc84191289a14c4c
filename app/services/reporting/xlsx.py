"""The figures as an Excel workbook for a funding report (openpyxl).

Sheets: Overview (headline numbers and the calendar quarters), Meetings, Organisations,
City quarters. Numbers are numbers and dates are dates, so the funder can sum and sort;
headers are bold on grey, frozen, with a filter.

Every text cell is stored as a string, never a formula: openpyxl would write any string starting
with "=" as a formula, so an organisation called ``=HYPERLINK("http://…")`` must stay text; cells
starting with = + - @ also get Excel's quote prefix, so they stay text when someone edits them. The
file is written to a temporary file beside the target and renamed over it (``os.replace``): never
half a workbook.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from app import i18n
from app.errors import TreffpunktError
from app.i18n import _, current_language
from app.services.reporting.figures import PeriodFigures
from app.services.reporting.tables import (
    Cell,
    FiguresTable,
    Kind,
    calendar_quarters_table,
    meetings_table,
    organisations_table,
    overview,
    quarters_table,
    report_title,
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60


class ExportWriteError(TreffpunktError):
    """The export could not be saved (folder missing, no permission, file open elsewhere)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Temporary file in the target folder, flushed, then renamed over *path*."""
    path = Path(path)
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise ExportWriteError(
            _("{name} cannot be written ({reason}). Is it open in another program?").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from exc
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _SHEET_FORBIDDEN.sub("-", text).strip("' ")[:31] or "Sheet"
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


def _date_format() -> str:
    return "DD.MM.YYYY" if current_language() == "de" else "YYYY-MM-DD"


class _SheetWriter:
    """Writes typed cells into one worksheet and keeps column widths."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.styles import Font, PatternFill

        self.sheet = sheet
        self.widths: dict[int, int] = {}
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=14)
        self.header_fill = PatternFill("solid", fgColor="DDDDDD")
        self.date_format = _date_format()

    def cell(self, row: int, column: int, value: Cell | None, *, bold: bool = False) -> Any:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, bool):  # pragma: no cover - no booleans in the figures
            value = int(value)
        if isinstance(value, int):
            cell.value = value
            shown = str(value)
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = self.date_format
            shown = "00.00.0000"
        else:
            text = ILLEGAL_CHARACTERS_RE.sub("", value or "")
            cell.value = text
            cell.data_type = "s"  # never a formula, whatever the text starts with
            if text.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True
            shown = max(text.split("\n"), key=len) if text else ""
        if bold:
            cell.font = self.bold
        self.widths[column] = max(self.widths.get(column, 8), min(MAX_WIDTH, len(shown) + 2))
        return cell

    def table(self, table: FiguresTable, first_row: int) -> int:
        """Header and rows from *first_row*; returns the next free row."""
        for column, spec in enumerate(table.columns, start=1):
            header = self.cell(first_row, column, spec.title, bold=True)
            header.fill = self.header_fill
        for offset, values in enumerate(table.rows, start=1):
            total = table.has_total and offset == len(table.rows)
            for column, value in enumerate(values, start=1):
                self.cell(first_row + offset, column, value, bold=total)
        return first_row + len(table.rows) + 1

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = width


def _period_text(figures: PeriodFigures) -> str:
    from app.i18n import format_date

    return f"{format_date(figures.start)} – {format_date(figures.end)}"


def workbook_bytes(figures: PeriodFigures, *, title: str | None = None) -> bytes:
    """The workbook as bytes (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    taken: set[str] = set()
    first = workbook.active
    assert first is not None  # a new workbook always has one sheet
    first.title = sheet_title(_("Overview"), taken)
    writer = _SheetWriter(first)
    heading = writer.cell(1, 1, title or report_title())
    heading.font = writer.title_font
    writer.cell(2, 1, _period_text(figures))
    row = 4
    for label, value in overview(figures):
        writer.cell(row, 1, label)
        writer.cell(row, 2, value)
        row += 1
    row += 1
    quarters = calendar_quarters_table(figures)
    writer.cell(row, 1, quarters.title, bold=True)
    writer.table(quarters, row + 1)
    writer.widths[1] = min(MAX_WIDTH, writer.widths.get(1, 8))
    writer.finish()

    for table in (meetings_table(figures), organisations_table(figures), quarters_table(figures)):
        sheet = workbook.create_sheet(sheet_title(_sheet_name(table), taken))
        writer = _SheetWriter(sheet)
        end = writer.table(table, 1)
        writer.finish()
        sheet.freeze_panes = "A2"
        if table.rows:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A1:{last}{end - 1}"
        for column, spec in enumerate(table.columns, start=1):
            if spec.kind is Kind.NUMBER:
                sheet.column_dimensions[get_column_letter(column)].width = max(
                    10, min(18, len(spec.title) + 2)
                )
    workbook.properties.title = title or report_title()
    workbook.properties.creator = "Treffpunkt"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(table: FiguresTable) -> str:
    names = {
        "meetings": _("Meetings"),
        "organisations": _("Organisations"),
        # Translators: sheet name for the figures per city quarter ("Quartiere").
        "quarters": _("City quarters"),
    }
    return names.get(table.key, table.title)


def write_figures_xlsx(figures: PeriodFigures, path: Path, *, title: str | None = None) -> None:
    """Save the workbook atomically in ``figures.language``; raises ``ExportWriteError``."""
    with i18n.language(figures.language):
        data = workbook_bytes(figures, title=title)
    write_atomic(Path(path), data)
