"""The sign-in sheet ("Anwesenheitsliste"): its snapshot data and its renderer.

``signin_snapshot.build_signin_snapshot`` freezes a meeting into a ``SigninSnapshot`` in one
short read session; ``render_signin`` / ``write_signin`` turn that snapshot into an A4
landscape PDF. The renderer never touches the database (and this module does not import it),
so it can run in any worker thread and be tested with hand-made snapshots.

Layout: first page with network, "Sign-in sheet", meeting title, date, time, venue and
organiser; a table Nr. | Name | Organisation | Function | Photo consent ☐ yes ☐ no |
Signature with its header row on every page and rows of fixed height (room for a signature,
never split); one alphabetical run by default, or groups under subheadings (by organisation;
accepted first; the excused at the end); then the blank rows for walk-ins in a second table
whose Function column gives way to a wider E-mail column. The data-protection notice is
printed in full at the foot of page 1 and referred to in one line on every later page, which
leaves room for 20 names on page 1; every page ends with "Page X of Y".

Table cells are plain strings, not Paragraphs (several times cheaper for ~1,500 cells and never
parsed as markup); ``layout.fit_text`` wraps at spaces and hyphens or shrinks long names (down
to 7 pt) to fit the fixed rows, never breaking a word.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app import i18n
from app.documents.base import GREY, LIGHT_GREY, RULE_GREY, DocumentRenderer, RepeatedLine
from app.documents.fonts import BOLD, REGULAR
from app.documents.layout import FittedText, fit_text
from app.documents.text import pdf_plain, pdf_text
from app.i18n import _, format_time, format_weekday_date
from app.services.snapshots.common import DocumentInfo
from app.services.snapshots.signin_types import SigninOptions, SigninRow, SigninSnapshot

if TYPE_CHECKING:  # rendering a snapshot needs no database
    from app.db import Database


def notice_reference() -> str:
    """The one line on pages 2+ that stands for the notice printed in full on page 1."""
    # Translators: footer of the sign-in sheet's later pages (the full text is on page 1).
    return _("Data protection notice (Art. 13 GDPR): see page 1 of this list.")


def sheet_title() -> str:
    # Translators: the printed attendance list ("Anwesenheitsliste").
    return _("Sign-in sheet")


def time_range(start: datetime, end: datetime | None) -> str:
    """ "14:00–16:00" (en dash, no spaces), or only the start when the end is open."""
    if end is None:
        return format_time(start)
    return f"{format_time(start)}–{format_time(end)}"


def venue_text(snapshot: SigninSnapshot) -> str:
    parts = [snapshot.venue_name, snapshot.venue_room, snapshot.venue_address]
    return ", ".join(part for part in parts if part)


class SigninRenderer(DocumentRenderer):
    """A4 landscape sign-in sheet; see the module docstring for the layout."""

    pagesize = landscape(A4)
    left_margin = 12 * mm
    right_margin = 12 * mm
    top_margin = 8 * mm
    running_header_height = 7 * mm
    footer_bottom = 6 * mm  # lower edge of the privacy notice
    row_height = 7.2 * mm  # room for a signature, and for 20 rows on page 1
    group_row_height = 6 * mm
    consent_size = 10.5  # the tick boxes: big enough to tick
    cell_padding = 6  # points, left and right: ReportLab's default (see _table_style)
    # Nr. | Name | Organisation | Function | Photo consent | Signature  (sum: 273 mm)
    invitee_widths = (13 * mm, 58 * mm, 62 * mm, 40 * mm, 33 * mm, 67 * mm)  # Nr.: 4 digits
    # Nr. | Name | Organisation | E-mail | Photo consent | Signature
    walkin_widths = (13 * mm, 53 * mm, 52 * mm, 66 * mm, 33 * mm, 56 * mm)
    # Down to 7 pt (and, to keep a long word whole, a little below: ``layout.MIN_SHRINK``).
    name_steps: tuple[tuple[float, int], ...] = ((9.5, 1), (8.5, 2), (7.5, 2), (7, 3))
    cell_steps: tuple[tuple[float, int], ...] = ((9, 1), (8, 2), (7, 3))
    header_steps: tuple[tuple[float, int], ...] = ((8.5, 1), (8, 2), (7, 2))

    def __init__(self, snapshot: SigninSnapshot) -> None:
        title = f"{sheet_title()}: {snapshot.title}"
        author = snapshot.letterhead.name if snapshot.letterhead else snapshot.organiser
        super().__init__(
            DocumentInfo(
                title=title,
                author=author or snapshot.network,
                subject=f"{snapshot.title} – {format_weekday_date(snapshot.date)}",
                keywords=tuple(k for k in (sheet_title(), snapshot.network) if k),
            )
        )
        self.snapshot = snapshot
        self._fitted: dict[tuple[str, float, tuple[tuple[float, int], ...], str], FittedText] = {}
        self._notice = Paragraph(pdf_text(snapshot.privacy_notice), self.styles["Fineprint"])
        notice_width = self.content_width - self.page_number_width - 6 * mm
        _, notice_height = self._notice.wrap(notice_width, self.page_height / 3)
        self._notice_height = notice_height
        # Page 1's frame ends above the full notice, however long the settings made it;
        # later pages only refer to it in one line.
        self.bottom_margin = self.footer_bottom + notice_height + 3 * mm
        self.later_bottom_margin = self.footer_bottom + 3 * mm + 4 * mm
        self.footer_baseline = self.footer_bottom + 1
        self._notice_reference = pdf_plain(notice_reference())
        self._running_header = pdf_plain(
            f"{sheet_title()} · {snapshot.title} · {format_weekday_date(snapshot.date)}"
        )
        self._network = pdf_plain(snapshot.network)
        styles = self.styles
        styles.add(
            ParagraphStyle(
                "SheetKicker", parent=styles["Kicker"], fontSize=8.5, leading=10, spaceAfter=0.5
            )
        )
        styles.add(
            ParagraphStyle(
                "SheetTitle", parent=styles["Title"], fontSize=14, leading=17, spaceAfter=1.5 * mm
            )
        )
        styles.add(ParagraphStyle("SheetValue", parent=styles["Value"], fontSize=9, leading=11))

    # -- page decoration -----------------------------------------------------------------

    def draw_running_header(self, canvas: Canvas) -> None:
        self.draw_once(canvas, "signinRunningHeader", self._draw_running_header)

    def _draw_running_header(self, canvas: Canvas) -> None:
        y = self.page_height - self.top_margin - 3 * mm
        network_width = min(70 * mm, canvas.stringWidth(self._network, REGULAR, 8) + 1)
        self.draw_text_line(
            canvas,
            self.left_margin,
            y,
            self._running_header,
            max_width=self.content_width - network_width - 5 * mm,
        )
        if self._network:
            canvas.saveState()
            canvas.setFont(REGULAR, 8)
            canvas.setFillColor(GREY)
            text = fit_text(self._network, network_width, steps=((8, 1),)).text
            canvas.drawRightString(self.page_width - self.right_margin, y, text)
            canvas.restoreState()

    def other_page_frames(self) -> list[Any]:
        top = self.page_height - self.top_margin - self.running_header_height
        return [self._frame(top, self.later_bottom_margin)]

    def draw_page(self, canvas: Canvas, *, first: bool) -> None:
        super().draw_page(canvas, first=first)
        if first:
            self._draw_notice(canvas)
        else:
            self.draw_once(canvas, "signinNoticeReference", self._draw_notice_reference)

    def draw_footer(self, canvas: Canvas) -> None:
        self.draw_page_number(canvas)

    def _rule(self, canvas: Canvas, y: float) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.3)
        canvas.line(self.left_margin, y, self.page_width - self.right_margin, y)
        canvas.restoreState()

    def _draw_notice(self, canvas: Canvas) -> None:
        self._rule(canvas, self.bottom_margin - 2 * mm)
        self._notice.drawOn(canvas, self.left_margin, self.footer_bottom)

    def _draw_notice_reference(self, canvas: Canvas) -> None:
        self._rule(canvas, self.later_bottom_margin - 2 * mm)
        width = self.content_width - self.page_number_width - 6 * mm
        self.draw_text_line(
            canvas,
            self.left_margin,
            self.footer_baseline,
            self._notice_reference,
            size=7,
            max_width=width,
        )

    # -- story ---------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [*self._header_block(), Spacer(1, 2.5 * mm)]
        invitees = self.snapshot.invitee_rows
        blanks = self.snapshot.blank_rows
        if invitees:
            story.append(self._invitee_table(invitees))
        if blanks:
            if invitees:
                story.append(Spacer(1, 5 * mm))
            story.append(self._walkin_table(blanks))
        if not invitees and not blanks:
            story.append(
                Paragraph(
                    pdf_text(_("No one is invited to this meeting yet.")), self.styles["Normal"]
                )
            )
        return story

    def _header_block(self) -> list[Flowable]:
        snapshot = self.snapshot
        styles = self.styles
        # Compact: every millimetre here is room for names on page 1.
        title_lines: list[Flowable] = []
        if snapshot.network:
            title_lines.append(Paragraph(pdf_text(snapshot.network), styles["SheetKicker"]))
        # "Anwesenheitsliste: Netzwerktreffen …" on one line.
        heading = _("{document}: {title}").format(document=sheet_title(), title=snapshot.title)
        title_lines.append(Paragraph(pdf_text(heading), styles["SheetTitle"]))
        logo = None
        if snapshot.letterhead is not None:
            logo = self.logo_image(snapshot.letterhead.logo, 55 * mm, 15 * mm)
        logo_width = logo.drawWidth if logo is not None else 0
        head = Table(
            [[title_lines, logo or ""]],
            colWidths=[self.content_width - logo_width, logo_width],
            style=[
                *_NO_PADDING,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ],
        )

        def label(text: str) -> Paragraph:
            return Paragraph(pdf_text(text), styles["Label"])

        def value(text: str) -> Paragraph:
            return Paragraph(pdf_text(text), styles["SheetValue"])

        def label_width(*texts: str) -> float:
            size = styles["Label"].fontSize
            widest = max(stringWidth(pdf_plain(text), REGULAR, size) for text in texts)
            return float(widest + 4 * mm)

        left_label = label_width(_("Date"), _("Time"))
        right_label = label_width(_("Venue"), _("Organiser"))
        left_value = 58 * mm
        info = Table(
            [
                [
                    label(_("Date")),
                    value(format_weekday_date(snapshot.date)),
                    label(_("Venue")),
                    value(venue_text(snapshot)),
                ],
                [
                    label(_("Time")),
                    value(time_range(snapshot.start, snapshot.end)),
                    label(_("Organiser")),
                    value(snapshot.organiser),
                ],
            ],
            colWidths=[
                left_label,
                left_value,
                right_label,
                self.content_width - left_label - left_value - right_label,
            ],
            style=[
                *_NO_PADDING,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8 * mm),
                ("TOPPADDING", (0, 0), (0, -1), 0.4 * mm),
                ("TOPPADDING", (2, 0), (2, -1), 0.4 * mm),
            ],
        )
        info.hAlign = "LEFT"
        head.hAlign = "LEFT"
        return [head, info]

    def _fit(
        self, text: str, width: float, steps: tuple[tuple[float, int], ...], font: str = REGULAR
    ) -> FittedText:
        # Organisations and functions repeat down the list: measure each text once.
        key = (text, width, steps, font)
        fitted = self._fitted.get(key)
        if fitted is None:
            fitted = fit_text(
                pdf_plain(text), width - 2 * self.cell_padding, font=font, steps=steps
            )
            self._fitted[key] = fitted
        return fitted

    def _header_row(
        self,
        labels: list[str],
        widths: tuple[float, ...],
        commands: list[tuple[Any, ...]],
        row: int,
    ) -> list[str]:
        cells = []
        for column, (text, width) in enumerate(zip(labels, widths, strict=True)):
            fitted = self._fit(text, width, self.header_steps, BOLD)
            cells.append(fitted.text)
            if fitted.size != self.header_steps[0][0]:
                commands += _cell_font(column, row, fitted)
        return cells

    def _consent_cell(self) -> RepeatedLine:
        # Not inside the f-string below: message extraction would miss them there.
        # Translators: the two tick boxes for photo consent on the sign-in sheet ("ja", "nein").
        yes, no = _("yes"), _("no")
        width = self.invitee_widths[4] - 2 * self.cell_padding
        return RepeatedLine(
            pdf_plain(f"☐ {yes}   ☐ {no}"), "signinConsent", width=width, size=self.consent_size
        )

    def _invitee_table(self, rows: tuple[SigninRow, ...]) -> Table:
        widths = self.invitee_widths
        commands: list[tuple[Any, ...]] = []
        labels = [
            _("No."),
            _("Name"),
            _("Organisation"),
            _("Function"),
            _("Photo consent"),
            _("Signature"),
        ]
        data: list[list[str | Flowable]] = [self._header_row(labels, widths, commands, 0)]
        heights: list[float | None] = [None]
        consent = self._consent_cell()
        # Translators: in the signature column of someone who declined ("entschuldigt").
        excused_label = pdf_plain(_("excused"))
        group = ""
        for row in rows:
            if row.group and row.group != group:
                index = len(data)
                data.append([self._group_heading(row.group), "", "", "", "", ""])
                heights.append(self.group_row_height)
                commands += [
                    ("SPAN", (0, index), (-1, index)),
                    ("FONT", (0, index), (-1, index), BOLD, 9, 10.5),
                    ("ALIGN", (0, index), (0, index), "LEFT"),
                    ("BACKGROUND", (0, index), (-1, index), GROUP_BACKGROUND),
                    # A heading never stands alone at the foot of a page.
                    ("NOSPLIT", (0, index), (-1, index + 1)),
                ]
            group = row.group
            index = len(data)
            cells: list[str | Flowable] = [str(row.number)]
            for column, (text, steps) in enumerate(
                (
                    (row.name, self.name_steps),
                    (row.organisation, self.cell_steps),
                    (row.function, self.cell_steps),
                ),
                start=1,
            ):
                fitted = self._fit(text, widths[column], steps)
                cells.append(fitted.text)
                if fitted.size != steps[0][0]:
                    commands += _cell_font(column, index, fitted)
            if row.excused:
                cells += ["", excused_label]
                commands.append(("TEXTCOLOR", (0, index), (-1, index), GREY))
            else:
                cells += [consent, ""]
            data.append(cells)
            heights.append(self.row_height)
        table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1)
        table.setStyle(TableStyle(self._table_style(len(data), first_body_row=1) + commands))
        table.hAlign = "LEFT"
        return table

    def _group_heading(self, text: str) -> str:
        return fit_text(
            pdf_plain(text), sum(self.invitee_widths) - 12, font=BOLD, steps=((9, 1),)
        ).text

    def _walkin_table(self, rows: tuple[SigninRow, ...]) -> Table:
        widths = self.walkin_widths
        commands: list[tuple[Any, ...]] = []
        labels = [
            _("No."),
            _("Name"),
            _("Organisation"),
            _("E-mail"),
            _("Photo consent"),
            _("Signature"),
        ]
        # Translators: heading of the blank rows for people who come without an invitation.
        title = fit_text(
            pdf_plain(_("Further participants")), sum(widths), font=BOLD, steps=((10, 1),)
        ).text
        data: list[list[str | Flowable]] = [
            [title, "", "", "", "", ""],
            self._header_row(labels, widths, commands, 1),
        ]
        consent = self._consent_cell()
        data += [[str(row.number), "", "", "", consent, ""] for row in rows]
        table = Table(
            data,
            colWidths=widths,
            rowHeights=[None, None] + [self.row_height] * len(rows),
            repeatRows=2,
        )
        style = self._table_style(len(data), first_body_row=2)
        style += [
            ("SPAN", (0, 0), (-1, 0)),
            ("FONT", (0, 0), (-1, 0), BOLD, 10, 12),
            ("LEFTPADDING", (0, 0), (-1, 0), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 2 * mm),
        ]
        table.setStyle(TableStyle(style + commands))
        table.hAlign = "LEFT"
        return table

    def _table_style(self, row_count: int, *, first_body_row: int) -> list[tuple[Any, ...]]:
        # Each command is applied to every cell of its range, so a 300-row table pays for every
        # command covering the body: paddings stay at ReportLab's defaults (6 pt left and
        # right, 3 pt top and bottom; ``cell_padding``) and only what differs is set.
        header = first_body_row - 1
        name_size = self.name_steps[0][0]
        cell_size = self.cell_steps[0][0]
        return [
            (
                "FONT",
                (0, header),
                (-1, header),
                BOLD,
                self.header_steps[0][0],
                self.header_steps[0][0] * 1.15,
            ),
            ("FONT", (0, first_body_row), (-1, -1), REGULAR, name_size, name_size * 1.15),
            ("FONT", (2, first_body_row), (3, -1), REGULAR, cell_size, cell_size * 1.15),
            ("BACKGROUND", (0, header), (-1, header), LIGHT_GREY),
            ("GRID", (0, header), (-1, -1), 0.4, RULE_GREY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, first_body_row), (0, -1), "RIGHT"),
            ("ALIGN", (4, first_body_row), (4, -1), "CENTER"),
        ]


def _cell_font(column: int, row: int, fitted: FittedText) -> list[tuple[Any, ...]]:
    """Style commands giving one cell the size and leading its fitted text needs."""
    cell = (column, row)
    return [("FONTSIZE", cell, cell, fitted.size), ("LEADING", cell, cell, fitted.leading)]


GROUP_BACKGROUND = colors.Color(0.97, 0.97, 0.97)

_NO_PADDING: list[tuple[Any, ...]] = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def render_signin(snapshot: SigninSnapshot) -> bytes:
    """The sign-in sheet as PDF bytes, in the snapshot's language."""
    with i18n.language(snapshot.language):
        return SigninRenderer(snapshot).render_to_bytes()


def write_signin(snapshot: SigninSnapshot, path: Path) -> None:
    """Render and save atomically; raises ``DocumentWriteError`` with a user message."""
    with i18n.language(snapshot.language):
        SigninRenderer(snapshot).write(path)


def render_signin_pdf(db: Database, meeting_id: int, options: SigninOptions) -> bytes:
    from app.services.signin_sheet import signin_snapshot

    return render_signin(signin_snapshot(db, meeting_id, options))


def save_signin_pdf(
    db: Database, meeting_id: int, options: SigninOptions, path: Path
) -> SigninSnapshot:
    """Write the PDF atomically (``DocumentWriteError`` with a user message on failure)."""
    from app.services.signin_sheet import signin_snapshot

    snapshot = signin_snapshot(db, meeting_id, options)
    write_signin(snapshot, path)
    return snapshot
