"""The figures as a PDF for a funding report, on the shared renderer of ``app.documents``.

A4 landscape (the per-meeting table has ten columns): letterhead (when given), title and
period, the headline numbers, then one table per calendar quarter, meeting, organisation and
city quarter, each with its header row repeated on every page; "Page X of Y" and the date of
creation in the footer, title and period as a running header from page 2.

The renderer gets ``PeriodFigures`` (frozen data) and never touches the database. All user
text (titles, organisation names) goes through ``pdf_text`` (escaped, NFC, right-to-left
shaped) before it reaches Paragraph markup.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app import i18n
from app.documents.base import GREY, LIGHT_GREY, RULE_GREY, DocumentRenderer
from app.documents.fonts import BOLD
from app.documents.text import pdf_plain, pdf_text
from app.i18n import _, format_date, format_number
from app.services.letterhead import Letterhead
from app.services.reporting.figures import PeriodFigures, period_text
from app.services.reporting.tables import (
    Cell,
    FiguresTable,
    Kind,
    all_tables,
    overview,
    report_title,
)
from app.services.snapshots.common import DocumentInfo

CELL_PADDING = 4  # points left and right


def _format(value: Cell) -> str:
    if isinstance(value, bool):  # pragma: no cover - no booleans in the figures
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, date):
        return format_date(value)
    return value


class FiguresRenderer(DocumentRenderer):
    """The figures report; see the module docstring."""

    pagesize = landscape(A4)
    left_margin = 15 * mm
    right_margin = 15 * mm
    top_margin = 14 * mm
    bottom_margin = 16 * mm
    running_header_height = 8 * mm
    footer_baseline = 9 * mm
    number_min_width = 16 * mm  # the narrowest number column

    def __init__(
        self,
        figures: PeriodFigures,
        *,
        title: str | None = None,
        network: str = "",
        letterhead: Letterhead | None = None,
        created: date | None = None,
    ) -> None:
        self.figures = figures
        self.title = title or report_title()
        self.network = network
        self.letterhead = letterhead
        self.created = created or date.today()
        super().__init__(
            DocumentInfo(
                title=f"{self.title} {period_text(figures)}",
                author=(letterhead.name if letterhead else network) or "",
                subject=period_text(figures),
                keywords=tuple(k for k in (self.title, network) if k),
            )
        )
        styles = self.styles
        self.header_style = ParagraphStyle(
            "FiguresHeader", parent=styles["TableHeader"], fontSize=8, leading=9.5
        )
        self.number_header_style = ParagraphStyle(
            "FiguresNumberHeader", parent=self.header_style, alignment=TA_RIGHT
        )
        self.cell_style = ParagraphStyle(
            "FiguresCell", parent=styles["TableCell"], fontSize=8.5, leading=10.5
        )
        self.total_style = ParagraphStyle("FiguresTotal", parent=self.cell_style, fontName=BOLD)
        self.number_style = ParagraphStyle(
            "FiguresNumber", parent=self.cell_style, alignment=TA_RIGHT
        )
        self._running = pdf_plain(f"{self.title} · {period_text(figures)}")
        # Translators: left in the footer of the figures report; {date} is today.
        self._footer = pdf_plain(
            _("Created with Treffpunkt on {date}").format(date=format_date(self.created))
        )

    # -- page decoration -----------------------------------------------------------------

    def draw_running_header(self, canvas: Canvas) -> None:
        self.draw_once(canvas, "figuresRunningHeader", self._draw_running_header)

    def _draw_running_header(self, canvas: Canvas) -> None:
        y = self.page_height - self.top_margin - 3 * mm
        self.draw_text_line(
            canvas, self.left_margin, y, self._running, max_width=self.content_width
        )

    def draw_footer(self, canvas: Canvas) -> None:
        self.draw_once(canvas, "figuresFooter", self._draw_fixed_footer)
        self.draw_page_number(canvas)

    def _draw_fixed_footer(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.3)
        rule_y = self.footer_baseline + 3.5 * mm
        canvas.line(self.left_margin, rule_y, self.page_width - self.right_margin, rule_y)
        canvas.restoreState()
        self.draw_text_line(
            canvas,
            self.left_margin,
            self.footer_baseline,
            self._footer,
            max_width=self.content_width - self.page_number_width - 5 * mm,
        )

    # -- story ---------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        styles = self.styles
        story: list[Flowable] = []
        if self.letterhead is not None:
            story += [self.letterhead_block(self.letterhead), Spacer(1, 6 * mm)]
        if self.network:
            story.append(Paragraph(pdf_text(self.network), styles["Kicker"]))
        story.append(Paragraph(pdf_text(self.title), styles["Title"]))
        story.append(Paragraph(pdf_text(period_text(self.figures)), styles["Subtitle"]))
        story.append(self._overview())
        if not self.figures.meetings_held:
            story.append(Spacer(1, 4 * mm))
            story.append(
                Paragraph(pdf_text(_("No meeting was held in this period.")), styles["Normal"])
            )
        for table in all_tables(self.figures):
            if not table.rows:
                continue
            heading = Paragraph(pdf_text(table.title), styles["Heading1"])
            story.append(
                KeepTogether([heading, self._table(table)]) if len(table.rows) <= 12 else heading
            )
            if len(table.rows) > 12:
                story.append(self._table(table))
        return story

    def _overview(self) -> Table:
        rows = [
            [
                Paragraph(pdf_text(label), self.cell_style),
                Paragraph(pdf_text(_format(value)), self.number_style),
            ]
            for label, value in overview(self.figures)
        ]
        table = Table(rows, colWidths=[110 * mm, 35 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ]
            )
        )
        return table

    def _widths(self, table: FiguresTable) -> list[float]:
        """Number columns as narrow as their longest header word and value allow; text and
        date columns as wide as their content, sharing the rest by weight at most."""
        header_size = self.header_style.fontSize
        font, size = self.cell_style.fontName, self.cell_style.fontSize
        fixed: dict[int, float] = {}
        natural: dict[int, float] = {}
        for index, column in enumerate(table.columns):
            values = max(
                (stringWidth(_format(row[index]), font, size) for row in table.rows),
                default=0.0,
            )
            if column.kind is Kind.NUMBER:
                words = max(
                    (stringWidth(w, BOLD, header_size) for w in pdf_plain(column.title).split()),
                    default=0.0,
                )
                fixed[index] = max(words, values, self.number_min_width) + 2 * CELL_PADDING + 1
            else:
                header = stringWidth(pdf_plain(column.title), BOLD, header_size)
                natural[index] = max(values, header, 18 * mm) + 2 * CELL_PADDING + 1
        rest = self.content_width - sum(fixed.values())
        weights = sum(table.columns[i].weight for i in natural) or 1.0
        return [
            fixed[i]
            if i in fixed
            else min(natural[i], max(20 * mm, rest * column.weight / weights))
            for i, column in enumerate(table.columns)
        ]

    def _table(self, table: FiguresTable) -> Table:
        data: list[list[Any]] = [
            [
                Paragraph(
                    pdf_text(column.title),
                    self.number_header_style if column.kind is Kind.NUMBER else self.header_style,
                )
                for column in table.columns
            ]
        ]
        for number, row in enumerate(table.rows, start=1):
            total = table.has_total and number == len(table.rows)
            cells: list[Any] = []
            for column, value in zip(table.columns, row, strict=True):
                if column.kind is Kind.NUMBER:
                    cells.append(pdf_plain(_format(value)))
                else:
                    style = self.total_style if total else self.cell_style
                    cells.append(Paragraph(pdf_text(_format(value)), style))
            data.append(cells)
        result = Table(data, colWidths=self._widths(table), repeatRows=1, hAlign="LEFT")
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            (
                "FONT",
                (0, 1),
                (-1, -1),
                self.cell_style.fontName,
                self.cell_style.fontSize,
                self.cell_style.leading,
            ),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ]
        for index, column in enumerate(table.columns):
            if column.kind is Kind.NUMBER:
                commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
        if table.has_total:
            commands += [
                (
                    "FONT",
                    (0, -1),
                    (-1, -1),
                    BOLD,
                    self.cell_style.fontSize,
                    self.cell_style.leading,
                ),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, GREY),
            ]
        result.setStyle(TableStyle(commands))
        return result


def render_figures_pdf(figures: PeriodFigures, **options: Any) -> bytes:
    """The report as PDF bytes in ``figures.language``; *options* as for ``FiguresRenderer``."""
    with i18n.language(figures.language):
        return FiguresRenderer(figures, **options).render_to_bytes()


def write_figures_pdf(
    figures: PeriodFigures,
    path: Path,
    *,
    title: str | None = None,
    network: str = "",
    letterhead: Letterhead | None = None,
    created: date | None = None,
) -> None:
    """Render and save atomically in ``figures.language``; raises ``DocumentWriteError``."""
    with i18n.language(figures.language):
        FiguresRenderer(
            figures, title=title, network=network, letterhead=letterhead, created=created
        ).write(Path(path))
