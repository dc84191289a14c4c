"""The funding report PDF (Sachbericht), rendered from a ``FundingReport`` snapshot.

A4 portrait on the figures report's renderer (same tables, same number formats, same
running header and footer): the project data; 1 activities carried out (meetings held);
2 target groups reached (headline numbers, participation per meeting with first-time and
returning participants, a bar chart of participation over time drawn with ReportLab
graphics, organisations and city quarters represented); 3 TOPs and decisions; 4 action items
and their status; 5 public relations (press releases issued); 6 photos with credits (only
those no one pictured refused); 7 attachments (the sign-in scans).

``render_funding_pdf(report, scans)`` appends the scans after the report (``with_scans``):
images scaled onto A4 pages of their own with a caption, PDF pages as they are (pypdf).
All user text goes through ``pdf_text`` / ``pdf_plain`` (escaped, NFC, RTL shaped).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Image

from app.db import Database
from app.documents.base import GREY, LIGHT_GREY, RULE_GREY, write_atomic
from app.documents.figures import FiguresRenderer
from app.documents.fonts import REGULAR
from app.documents.minutes import _CREDIT_PREFIXES, scaled_photo
from app.documents.text import pdf_plain, pdf_text
from app.errors import ValidationError
from app.i18n import _, format_date, format_number, format_time
from app.models import ActionItemStatus
from app.services.projects.values import format_amount
from app.services.reporting.figures import period_text
from app.services.reporting.funding import report_kind
from app.services.reporting.funding_tables import (
    channel_label,
    participation_table,
    status_label,
    target_group_rows,
)
from app.services.reporting.tables import organisations_table, quarters_table

if TYPE_CHECKING:
    from app.services.projects.queries import ProjectRow
    from app.services.projects.scans import ScanData
    from app.services.reporting.funding import FundingReport, ReportMeeting

log = logging.getLogger(__name__)

CHART_BY_MEETING_LIMIT = 16  # more meetings than this: the chart shows calendar quarters
FIRST_TIME_COLOUR = colors.Color(0.16, 0.42, 0.66)
RETURNING_COLOUR = colors.Color(0.55, 0.74, 0.90)
GUEST_COLOUR = colors.Color(0.95, 0.66, 0.25)
PEOPLE_COLOUR = colors.Color(0.16, 0.42, 0.66)


def meeting_heading(meeting: ReportMeeting) -> str:
    return f"{format_date(meeting.start.date())} · {meeting.title}"


class FundingReportRenderer(FiguresRenderer):
    """See the module docstring."""

    pagesize = A4
    left_margin = 20 * mm
    right_margin = 20 * mm
    top_margin = 15 * mm
    bottom_margin = 18 * mm
    photo_max_height = 100 * mm
    number_min_width = 9 * mm

    def __init__(self, report: FundingReport) -> None:
        self.report = report
        super().__init__(
            report.figures,
            title=report.title,
            network=report_kind(),
            letterhead=report.letterhead,
            created=report.created,
        )
        self.info = type(self.info)(
            title=f"{report_kind()}: {report.title} {period_text(report.figures)}",
            author=self.info.author,
            subject=period_text(report.figures),
            keywords=(report_kind(), *(p.name for p in report.projects)),
        )
        # Narrower number columns: their headers are long German words ("Organisationen").
        self.header_style.fontSize, self.header_style.leading = 7, 8.5
        self.number_header_style.fontSize, self.number_header_style.leading = 7, 8.5
        self.label_style = ParagraphStyle(
            "FundingLabel", parent=self.styles["Normal"], fontSize=9, leading=11.5, textColor=GREY
        )
        self.value_style = ParagraphStyle(
            "FundingValue", parent=self.styles["Normal"], fontSize=9.5, leading=12
        )
        self.body_style = ParagraphStyle(
            "FundingBody", parent=self.styles["Normal"], fontSize=10, leading=13, spaceAfter=2 * mm
        )
        self.item_style = ParagraphStyle(
            "FundingItem",
            parent=self.body_style,
            leftIndent=8 * mm,
            firstLineIndent=-8 * mm,
            spaceAfter=1 * mm,
        )
        self.caption_style = ParagraphStyle(
            "FundingCaption", parent=self.styles["Small"], spaceBefore=1.5 * mm
        )
        self.credit_style = ParagraphStyle(
            "FundingCredit", parent=self.styles["Small"], textColor=GREY, spaceAfter=5 * mm
        )

    # -- helpers -------------------------------------------------------------------------

    def _p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(pdf_text(text), style or self.body_style)

    def _section(self, number: int, title: str) -> Paragraph:
        return Paragraph(pdf_text(f"{number}. {title}"), self.styles["Heading1"])

    def _grid(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> Table:
        data: list[list[Any]] = [[Paragraph(pdf_text(h), self.header_style) for h in header]]
        data += [[Paragraph(pdf_text(cell), self.cell_style) for cell in row] for row in rows]
        table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def _facts(self, rows: Sequence[tuple[str, str]]) -> Table:
        data = [
            [
                Paragraph(pdf_text(label), self.label_style),
                Paragraph(pdf_text(value), self.value_style),
            ]
            for label, value in rows
            if value
        ]
        table = Table(data, colWidths=[42 * mm, self.content_width - 42 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    # -- story ---------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        report = self.report
        styles = self.styles
        story: list[Flowable] = []
        if report.letterhead is not None:
            story += [self.letterhead_block(report.letterhead), Spacer(1, 6 * mm)]
        story.append(Paragraph(pdf_text(report_kind()), styles["Kicker"]))
        story.append(Paragraph(pdf_text(report.title), styles["Title"]))
        story.append(
            Paragraph(
                pdf_text(
                    _("Reporting period: {period}").format(period=period_text(report.figures))
                ),
                styles["Subtitle"],
            )
        )
        story += self._projects()
        story += self._activities()
        story += self._target_groups()
        story += self._topics()
        story += self._actions()
        story += self._press()
        story += self._photos()
        story += self._attachments()
        return story

    def _period(self, project: ProjectRow) -> str:
        if project.start is None and project.end is None:
            return ""
        return f"{format_date(project.start)} – {format_date(project.end)}"

    def _projects(self) -> list[Flowable]:
        report = self.report
        if len(report.projects) == 1:
            project = report.projects[0]
            partners = [o for o in project.organisations if o != project.lead_organisation]
            story: list[Flowable] = [
                self._facts(
                    [
                        (_("Funder"), project.funder),
                        (_("Programme"), project.programme),
                        (_("Reference number"), project.reference),
                        (_("Amount"), format_amount(project.amount)),
                        (_("Project period"), self._period(project)),
                        (_("Lead organisation"), project.lead_organisation or ""),
                        (_("Partner organisations"), ", ".join(partners)),
                        (_("City quarters"), ", ".join(project.quarters)),
                    ]
                )
            ]
            return story
        rows = [
            (
                p.name,
                " · ".join(x for x in (p.funder, p.programme) if x),
                p.reference,
                format_amount(p.amount),
                self._period(p),
            )
            for p in report.projects
        ]
        width = self.content_width
        return [
            Paragraph(pdf_text(_("Projects")), self.styles["Heading2"]),
            self._grid(
                [
                    _("Project"),
                    _("Funder and programme"),
                    _("Reference number"),
                    _("Amount"),
                    _("Project period"),
                ],
                rows,
                [width * 0.27, width * 0.29, width * 0.13, width * 0.14, width * 0.17],
            ),
        ]

    def _activities(self) -> list[Flowable]:
        report = self.report
        count = len(report.meetings)
        story: list[Flowable] = [
            self._section(1, _("Activities carried out")),
            self._p(
                _("{count} meetings were held in the reporting period.").format(
                    count=format_number(count)
                )
                if count != 1
                else _("One meeting was held in the reporting period.")
            ),
        ]
        width = self.content_width
        several = len(report.projects) > 1
        header = [_("Date"), _("Time"), _("Venue"), _("Title")]
        widths = [width * 0.13, width * 0.12, width * 0.30, width * 0.45]
        if several:
            header.append(_("Projects"))
            widths = [width * 0.12, width * 0.11, width * 0.22, width * 0.28, width * 0.27]
        rows = []
        for m in report.meetings:
            times = format_time(m.start) + (f" – {format_time(m.end)}" if m.end else "")
            row = [format_date(m.start.date()), times, m.venue, m.title]
            if several:
                row.append(", ".join(m.projects))
            rows.append(row)
        story.append(self._grid(header, rows, widths))
        return story

    def _target_groups(self) -> list[Flowable]:
        report = self.report
        story: list[Flowable] = [self._section(2, _("Target groups reached"))]
        rows = [
            [
                Paragraph(pdf_text(label), self.cell_style),
                Paragraph(pdf_text(_format_value(value)), self.number_style),
            ]
            for label, value in target_group_rows(report)[2:]  # the period is above
        ]
        overview_table = Table(rows, colWidths=[120 * mm, 30 * mm], hAlign="LEFT")
        overview_table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(overview_table)
        story.append(
            self._p(
                _(
                    "First time: present at a meeting of the project for the first time; "
                    "returning: present at an earlier one. Guests who are not in the "
                    "directory are counted per meeting only."
                ),
                self.styles["Small"],
            )
        )
        story.append(CondPageBreak(80 * mm))
        story.append(Paragraph(pdf_text(_("Participation over time")), self.styles["Heading2"]))
        story.append(self._chart())
        table = participation_table(report, with_title=False)
        story.append(Paragraph(pdf_text(table.title), self.styles["Heading2"]))
        story.append(self._table(table))
        for extra in (organisations_table(report.figures), quarters_table(report.figures)):
            if extra.rows:
                heading = Paragraph(pdf_text(extra.title), self.styles["Heading2"])
                if len(extra.rows) <= 12:
                    story.append(KeepTogether([heading, self._table(extra)]))
                else:
                    story += [heading, self._table(extra)]
        return story

    def _chart(self) -> Drawing:
        """Stacked bars: first-time and returning people and guests per meeting, or per
        calendar quarter when there are many meetings."""
        report = self.report
        width, height = self.content_width, 75 * mm
        drawing = Drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y = 12 * mm, 22 * mm
        chart.width, chart.height = width - 16 * mm, height - 30 * mm
        if len(report.meetings) <= CHART_BY_MEETING_LIMIT:
            labels = [format_date(m.start.date(), "short") for m in report.meetings]
            series = [
                [m.first_time for m in report.meetings],
                [m.figures.present - m.first_time for m in report.meetings],
                [m.figures.guests for m in report.meetings],
            ]
            names = [_("First time"), _("Returning"), _("Guests")]
            fills = [FIRST_TIME_COLOUR, RETURNING_COLOUR, GUEST_COLOUR]
        else:
            quarters = report.figures.per_calendar_quarter
            labels = [q.label for q in quarters]
            series = [
                [q.attendances - q.guest_attendances for q in quarters],
                [q.guest_attendances for q in quarters],
            ]
            names = [_("People from the directory"), _("Guests")]
            fills = [PEOPLE_COLOUR, GUEST_COLOUR]
        chart.data = series
        chart.categoryAxis.style = "stacked"
        chart.categoryAxis.categoryNames = [pdf_plain(label) for label in labels]
        chart.categoryAxis.labels.fontName = REGULAR
        chart.categoryAxis.labels.fontSize = 7 if len(labels) <= 12 else 5.5
        chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
        chart.valueAxis.labels.fontName = REGULAR
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.forceZero = 1
        chart.valueAxis.visibleGrid = 1
        chart.valueAxis.gridStrokeColor = LIGHT_GREY
        chart.valueAxis.labelTextFormat = lambda value: format_number(int(value))
        chart.bars.strokeColor = None
        chart.barSpacing = 1
        chart.groupSpacing = 4 if len(labels) > 20 else 8
        for index, fill in enumerate(fills):
            chart.bars[index].fillColor = fill
        drawing.add(chart)
        legend = Legend()
        legend.x, legend.y = width - 4 * mm, height - 2 * mm
        legend.alignment = "right"
        legend.boxAnchor = "ne"
        legend.columnMaximum = 1
        legend.deltax = 95
        legend.fontName = REGULAR
        legend.fontSize = 8
        legend.dx = legend.dy = 7
        legend.colorNamePairs = [
            (fill, pdf_plain(name)) for fill, name in zip(fills, names, strict=True)
        ]
        drawing.add(legend)
        drawing.add(
            String(
                0,
                height - 8,
                pdf_plain(_("Participations")),
                fontName=REGULAR,
                fontSize=7,
                fillColor=GREY,
            )
        )
        return drawing

    def _topics(self) -> list[Flowable]:
        report = self.report
        story: list[Flowable] = [self._section(3, _("Topics and decisions"))]
        decisions: dict[int, list[Any]] = {}
        for decision in report.decisions:
            decisions.setdefault(decision.meeting_id, []).append(decision)
        several = len(report.projects) > 1
        for meeting in report.meetings:
            block: list[Flowable] = [
                Paragraph(pdf_text(meeting_heading(meeting)), self.styles["Heading2"])
            ]
            for top in meeting.tops:
                text = _("TOP {number} {title}").format(number=top.number, title=top.title)
                if top.presenter:
                    text += f" ({top.presenter})"
                if several:
                    text += " – " + ", ".join(top.projects)
                block.append(self._p(text, self.item_style))
            for decision in decisions.get(meeting.meeting_id, []):
                prefix = (
                    _("Decision on TOP {number}:").format(number=decision.top)
                    if decision.top
                    else _("Decision:")
                )
                votes = (
                    " " + _("(votes yes : no : abstentions {votes})").format(votes=decision.votes)
                    if decision.votes
                    else ""
                )
                block.append(
                    Paragraph(
                        f"<b>{pdf_text(prefix)}</b> {pdf_text(decision.text + votes)}",
                        self.item_style,
                    )
                )
            story.append(KeepTogether(block) if len(block) <= 8 else block[0])
            if len(block) > 8:
                story += block[1:]
        if not report.decisions:
            story.append(self._p(_("No decisions concerning the project were recorded.")))
        return story

    def _actions(self) -> list[Flowable]:
        report = self.report
        story: list[Flowable] = [self._section(4, _("Action items and their status"))]
        if not report.actions:
            return [*story, self._p(_("No action items concerning the project were recorded."))]
        open_count = sum(1 for a in report.actions if a.status is ActionItemStatus.OPEN)
        story.append(
            self._p(
                _("{total} action items, of which {done} done and {open} open.").format(
                    total=len(report.actions),
                    done=len(report.actions) - open_count,
                    open=open_count,
                )
            )
        )
        width = self.content_width
        rows = []
        for action in report.actions:
            status = status_label(action.status)
            if action.done_on is not None:
                status += f" ({format_date(action.done_on)})"
            rows.append(
                [
                    format_date(action.day),
                    action.text,
                    action.owner,
                    format_date(action.due) if action.due else "",
                    status,
                ]
            )
        story.append(
            self._grid(
                [_("Meeting"), _("What"), _("Who"), _("Due"), _("Status")],
                rows,
                [width * 0.13, width * 0.40, width * 0.21, width * 0.12, width * 0.14],
            )
        )
        return story

    def _press(self) -> list[Flowable]:
        report = self.report
        story: list[Flowable] = [self._section(5, _("Public relations"))]
        if not report.press:
            return [*story, self._p(_("No press release was issued about these meetings."))]
        width = self.content_width
        story.append(
            self._grid(
                [_("Issued on"), _("Headline"), _("Channel"), _("Meeting")],
                [
                    [format_date(p.issued), p.headline, channel_label(p.channel), p.meeting_title]
                    for p in report.press
                ],
                [width * 0.14, width * 0.42, width * 0.16, width * 0.28],
            )
        )
        return story

    def _photos(self) -> list[Flowable]:
        report = self.report
        heading = self._section(6, _("Photos"))
        story: list[Flowable] = [CondPageBreak(40 * mm)]
        if not report.photos:
            story += [heading, self._p(_("No photos that may be published."))]
        for number, photo in enumerate(report.photos):
            parts: list[Flowable] = []
            image = self._image(photo.data, self.photo_max_height)
            if image is not None:
                parts.append(image)
            caption = photo.caption or ""
            parts.append(
                self._p(f"{format_date(photo.day)} · {caption}".rstrip(" ·"), self.caption_style)
            )
            credit = photo.credit
            if credit and not credit.casefold().startswith(_CREDIT_PREFIXES):
                credit = _("Photo: {credit}").format(credit=credit)
            parts.append(self._p(credit or _("No photo credit given."), self.credit_style))
            # The heading stays with the first photo, never alone at the foot of a page.
            story.append(KeepTogether([heading, *parts] if number == 0 else parts))
        if report.photos_withheld:
            story.append(
                self._p(
                    _(
                        "{count} further photos are not shown: someone pictured did not "
                        "consent to their publication."
                    ).format(count=report.photos_withheld)
                    if report.photos_withheld != 1
                    else _(
                        "One further photo is not shown: someone pictured did not consent "
                        "to its publication."
                    ),
                    self.styles["Small"],
                )
            )
        return story

    def _image(self, data: bytes, max_height: float) -> Image | None:
        try:
            scaled, width, height = scaled_photo(data)
        except Exception:  # Pillow raises many kinds for a damaged file; print the rest
            log.warning("a photo cannot be read; left out of the funding report")
            return None
        if width <= 0 or height <= 0:
            return None
        scale = min(self.content_width / width, max_height / height, 1.0)
        image = Image(io.BytesIO(scaled), width=width * scale, height=height * scale)
        image.hAlign = "LEFT"
        return image

    def _attachments(self) -> list[Flowable]:
        report = self.report
        story: list[Flowable] = [self._section(7, _("Attachments: signed sign-in sheets"))]
        if not report.scans:
            return [*story, self._p(_("No signed sign-in sheets are attached to these meetings."))]
        width = self.content_width
        story.append(
            self._grid(
                [_("Meeting"), _("Title"), _("File"), _("Pages")],
                [
                    [format_date(s.day), s.meeting_title, s.filename, format_number(s.pages)]
                    for s in report.scans
                ],
                [width * 0.14, width * 0.46, width * 0.30, width * 0.10],
            )
        )
        missing = [m for m in report.meetings if not m.scans]
        if missing:
            story.append(
                self._p(
                    _("No signed sign-in sheet is attached for: {meetings}.").format(
                        meetings="; ".join(meeting_heading(m) for m in missing)
                    ),
                    self.styles["Small"],
                )
            )
        return story


def _format_value(value: Any) -> str:
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


# -- sign-in scans appended ----------------------------------------------------------------


def _image_page(scan: ScanData, caption: str) -> bytes:
    """One A4 page (portrait or landscape, as the image) with the image scaled onto it."""
    from reportlab.lib.pagesizes import landscape
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    reader = ImageReader(io.BytesIO(scaled_photo(scan.data)[0]))
    width, height = reader.getSize()
    page = landscape(A4) if width > height else A4
    margin = 12 * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page)
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(margin, page[1] - margin + 2 * mm, pdf_plain(caption)[:160])
    box_width, box_height = page[0] - 2 * margin, page[1] - 2 * margin - 4 * mm
    scale = min(box_width / width, box_height / height)
    drawn_width, drawn_height = width * scale, height * scale
    canvas.drawImage(
        reader,
        margin + (box_width - drawn_width) / 2,
        margin + (box_height - drawn_height) / 2,
        drawn_width,
        drawn_height,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def append_scans(report_pdf: bytes, scans: Sequence[tuple[str, ScanData]]) -> bytes:
    """The report followed by the scans: images on pages of their own, PDF pages as they are."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report_pdf)))
    for caption, scan in scans:
        if scan.mime_type == "application/pdf":
            writer.append(PdfReader(io.BytesIO(scan.data), strict=False))
        else:
            writer.append(PdfReader(io.BytesIO(_image_page(scan, caption))))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scan_caption(report: FundingReport, scan_id: int) -> str:
    scan = next(s for s in report.scans if s.scan_id == scan_id)
    return _("Signed sign-in sheet: {date} · {title} ({file})").format(
        date=format_date(scan.day), title=scan.meeting_title, file=scan.filename
    )


def render_funding_pdf(report: FundingReport, scans: Sequence[ScanData] = ()) -> bytes:
    """The report as PDF bytes, with the given sign-in scans appended in report order."""
    data = FundingReportRenderer(report).render_to_bytes()
    if not scans:
        return data
    return append_scans(data, [(scan_caption(report, s.id), s) for s in scans])


def write_funding_pdf(report: FundingReport, path: Path, scans: Sequence[ScanData] = ()) -> None:
    """Render and save atomically; raises ``DocumentWriteError`` with a user message."""
    write_atomic(Path(path), render_funding_pdf(report, scans))


def write_funding_report(
    db: Database,
    report: FundingReport,
    path: Path,
    *,
    with_scans: bool = False,
) -> None:
    """Write the report as .pdf (with the sign-in scans appended on request) or .xlsx."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        from app.services.reporting.funding_xlsx import write_funding_xlsx

        write_funding_xlsx(report, path)
        return
    if suffix != ".pdf":
        raise ValidationError(
            _("{name}: choose a file name ending in .pdf or .xlsx.").format(name=Path(path).name)
        )
    from app.documents.funding_report import write_funding_pdf
    from app.services.projects.scans import scan_data

    scans = [scan_data(db, s.scan_id) for s in report.scans] if with_scans else []
    write_funding_pdf(report, path, scans)
