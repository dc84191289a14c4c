"""The invitation ("Einladung"): its snapshot data and its renderer.

``invitation_snapshot.build_invitation_snapshot`` freezes a meeting into an
``InvitationSnapshot`` in one short read session; ``render_invitation`` / ``write_invitation``
turn it into an A4 portrait PDF. The renderer never touches the database (and this module does
not import it), so it runs in any worker thread and is tested with hand-made snapshots.

Two forms from the same content:

- **generic** (``letters`` empty): letterhead, "Invitation", the meeting title, date, time,
  venue with accessibility notes, the reply-by date, the description, the agenda as a table
  (TOP, start, title with description, presenter, minutes; sub-items indented; the open action
  items of earlier meetings under the TOP that lists them), the organiser's contact and a short
  data-protection note. This is what the invitation mails carry.
- **letters** (one per ``LetterRecipient``): paper invitations in DIN 5008 form B for a window
  envelope (DL or C5/6; ``letter_page`` and ``din5008``). Each letter starts on a new page
  with the letterhead, the return address and the recipient's address in the window, the
  information block (contact, phone, e-mail, date), fold marks; then the subject, the
  personal salutation, the invitation text, the meeting data and the agenda, the closing and
  the data-protection note. Pages are numbered from page 2 on ("Page 2 of 3"), each letter
  counting its own, so the stack can be split and posted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app import i18n
from app.documents import din5008
from app.documents.base import (
    GREY,
    LIGHT_GREY,
    RULE_GREY,
    DocumentRenderer,
    NumberedCanvas,
    page_of_template,
)
from app.documents.fonts import BOLD, REGULAR
from app.documents.letter_page import InfoLine, LetterFirstPage
from app.documents.signin import time_range
from app.documents.text import pdf_plain, pdf_text, visual_line
from app.i18n import _, format_date, format_time, format_weekday_date, pgettext
from app.services.snapshots.common import DocumentInfo
from app.services.snapshots.invitation import (
    AgendaEntry,
    InvitationSnapshot,
    LetterRecipient,
    OpenItemLine,
    VenueBlock,
)


def document_title() -> str:
    # Translators: the printed invitation ("Einladung").
    return _("Invitation")


def venue_lines(venue: VenueBlock | None) -> list[str]:
    if venue is None:
        return []
    first = ", ".join(part for part in (venue.name, venue.room) if part)
    return [line for line in (first, venue.address) if line]


def open_item_text(item: OpenItemLine) -> str:
    """ "Flyer drucken – Quartiersbüro Lehmheide · by 12 Jan 2027 · from 5 Mar 2025".

    What, who (an organisation) and by when; no "overdue": the invitation is no reminder
    list, and the meeting itself is where late items are talked about.
    """
    parts = [item.text]
    if item.owner:
        parts[0] += f" – {item.owner}"
    if item.due is not None:
        # Translators: an action item's due date in the invitation ("bis 12.01.2027").
        parts.append(_("due {date}").format(date=format_date(item.due)))
    # Translators: the meeting an action item was set in ("vom 05.03.2025").
    parts.append(_("from {date}").format(date=format_date(item.meeting_date)))
    return " · ".join(parts)


class SectionNumberedCanvas(NumberedCanvas):
    """ "Page X of Y" counted per section: every letter of a stack has its own page numbers.

    ``start_section()`` is called on the first page of each section (the "first" page
    template); each section's total goes into a form of its own, drawn in ``save()``.
    Without any call the whole document is one section.
    """

    def __init__(self, *args: Any, number_first_pages: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._section_starts: list[int] = []
        # DIN 5008 letters carry a page number from their second page on.
        self._number_first_pages = number_first_pages

    def start_section(self) -> None:
        page = self.getPageNumber()
        if not self._section_starts or self._section_starts[-1] != page:
            self._section_starts.append(page)

    def _section(self) -> tuple[int, int]:
        """(index of the current section, its first page)."""
        page = self.getPageNumber()
        index, first = 0, 1
        for number, start in enumerate(self._section_starts):
            if start <= page:
                index, first = number, start
        return index, first

    def draw_page_number(self, x: float, y: float) -> None:
        if self._page_of is None:
            self._page_of = page_of_template()
        before, self._page_count_suffix = self._page_of
        index, first = self._section()
        if not self._number_first_pages and self.getPageNumber() == first:
            return
        text = visual_line(before.format(page=self.getPageNumber() - first + 1))
        font, size = self._page_number_font
        self.saveState()
        self.setFont(font, size)
        self.setFillColor(self._page_number_color)
        self.drawString(x, y, text)
        self.translate(x + stringWidth(text, font, size), y)
        self.doForm(f"{self.PAGE_COUNT_FORM}{index}")
        self.restoreState()

    def save(self) -> None:
        font, size = self._page_number_font
        last_page = self.getPageNumber() - 1  # showPage() already counted the next page
        starts = self._section_starts or [1]
        ends = [*starts[1:], last_page + 1]
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            self.beginForm(f"{self.PAGE_COUNT_FORM}{index}")
            self.setFont(font, size)
            self.setFillColor(self._page_number_color)
            self.drawString(0, 0, visual_line(f"{end - start}{self._page_count_suffix}"))
            self.endForm()
        Canvas.save(self)  # not NumberedCanvas.save: its whole-document form is not used


class InvitationRenderer(DocumentRenderer):
    """A4 portrait invitation, generic or as a stack of letters (module docstring)."""

    running_header_height = 9 * mm
    # Agenda: TOP | start | item | presenter | minutes  (sum: the 170 mm content width;
    # scaled to the 165 mm of a letter)
    agenda_widths = (13 * mm, 15 * mm, 94 * mm, 34 * mm, 14 * mm)
    indent_per_level = 5 * mm

    def __init__(self, snapshot: InvitationSnapshot) -> None:
        letterhead = snapshot.letterhead
        title = f"{document_title()}: {snapshot.title}"
        super().__init__(
            DocumentInfo(
                title=title,
                author=(letterhead.name if letterhead else "")
                or (snapshot.organiser.name if snapshot.organiser else ""),
                subject=f"{snapshot.title} – {format_weekday_date(snapshot.date)}",
                keywords=(document_title(), snapshot.title),
                language=snapshot.language,
            )
        )
        self.snapshot = snapshot
        self.letters = snapshot.letters
        self._letter_index = -1
        self._letter_page: LetterFirstPage | None = None
        if self.letters:
            # DIN 5008: text from 25 mm, at least 20 mm to the right edge.
            self.left_margin = din5008.BODY_LEFT
            self.right_margin = din5008.BODY_RIGHT_MARGIN
            scale = self.content_width / sum(InvitationRenderer.agenda_widths)
            self.agenda_widths = tuple(width * scale for width in InvitationRenderer.agenda_widths)
            self._letter_page = LetterFirstPage(self, snapshot.letterhead)
        self._derived_styles: dict[tuple[Any, ...], ParagraphStyle] = {}
        self._running_header = pdf_plain(
            f"{document_title()} · {snapshot.title} · {format_weekday_date(snapshot.date)}"
        )
        styles = self.styles
        styles.add(ParagraphStyle("ItemTitle", parent=styles["TableCell"], fontName=BOLD))
        styles.add(ParagraphStyle("SubItemTitle", parent=styles["TableCell"]))
        styles.add(
            ParagraphStyle(
                "ItemNote", parent=styles["Small"], fontSize=8, leading=10, textColor=GREY
            )
        )
        styles.add(
            ParagraphStyle(
                "OpenItem",
                parent=styles["Small"],
                fontSize=8,
                leading=10,
                leftIndent=3 * mm,
                bulletIndent=0,
                bulletFontName=REGULAR,
            )
        )
        styles.add(ParagraphStyle("Notice", parent=styles["Small"], textColor=GREY))
        styles.add(
            ParagraphStyle(
                "Cancelled",
                parent=styles["Normal"],
                fontName=BOLD,
                fontSize=13,
                leading=16,
                spaceBefore=1 * mm,
                spaceAfter=3 * mm,
            )
        )
        styles.add(ParagraphStyle("Section", parent=styles["Heading1"], keepWithNext=0))
        styles.add(ParagraphStyle("Date", parent=styles["Normal"], alignment=TA_RIGHT))
        styles.add(
            ParagraphStyle(
                "LetterSubject",
                parent=styles["Normal"],
                fontName=BOLD,
                fontSize=11.5,
                leading=14.5,
                spaceAfter=5 * mm,
            )
        )

    # -- page templates and decoration -------------------------------------------------------

    def first_page_frames(self) -> list[Any]:
        if self.letters:
            return [self._frame(self.page_height - din5008.SUBJECT_TOP)]
        return super().first_page_frames()

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if isinstance(canvas, SectionNumberedCanvas):
            canvas.start_section()
        if self.letters:
            self._letter_index += 1
            self._draw_letter_head(canvas, self.letters[self._letter_index])
        super().on_first_page(canvas, doc)

    def _canvas_maker(self) -> Any:
        number_first_pages = not self.letters

        def make(*args: Any, **kwargs: Any) -> Canvas:
            return SectionNumberedCanvas(*args, number_first_pages=number_first_pages, **kwargs)

        return make

    def draw_running_header(self, canvas: Canvas) -> None:
        self.draw_once(canvas, "invitationRunningHeader", self._draw_running_header)

    def _draw_running_header(self, canvas: Canvas) -> None:
        y = self.page_height - self.top_margin - 3 * mm
        self.draw_text_line(
            canvas, self.left_margin, y, self._running_header, max_width=self.content_width
        )
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.3)
        canvas.line(self.left_margin, y - 2 * mm, self.page_width - self.right_margin, y - 2 * mm)
        canvas.restoreState()

    def _draw_letter_head(self, canvas: Canvas, recipient: LetterRecipient) -> None:
        """Letterhead, window (return address and recipient), information block, marks."""
        assert self._letter_page is not None
        self._letter_page.draw(canvas, recipient.address_lines, self._info_lines())

    def _info_lines(self) -> list[InfoLine]:
        """The DIN 5008 information block: whom to ask, and the date of the letter."""
        lines: list[InfoLine] = []
        contact = self.snapshot.organiser
        if contact is not None:
            # Translators: label in a letter's information block: whom to contact.
            lines.append(InfoLine(_("Contact"), contact.name))
            if contact.phone:
                lines.append(InfoLine(_("Phone"), contact.phone))
            if contact.email:
                lines.append(InfoLine(_("E-mail"), contact.email))
        if self.snapshot.issued is not None:
            lines.append(InfoLine(_("Date"), format_date(self.snapshot.issued, "long")))
        return lines

    # -- story -------------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        self._letter_index = -1
        if not self.letters:
            return self._generic()
        story: list[Flowable] = []
        for index, recipient in enumerate(self.letters):
            if index:
                story += [NextPageTemplate("first"), PageBreak()]
            story += self._letter(recipient)
        return story

    def _generic(self) -> list[Flowable]:
        snapshot = self.snapshot
        styles = self.styles
        story: list[Flowable] = []
        if snapshot.letterhead is not None:
            story += [self.letterhead_block(snapshot.letterhead), Spacer(1, 8 * mm)]
        story.append(Paragraph(pdf_text(document_title()), styles["Title"]))
        story.append(Paragraph(pdf_text(snapshot.title), styles["Subtitle"]))
        story += self._cancelled()
        story += self._content()
        story += self._closing_notice()
        return story

    def _letter(self, recipient: LetterRecipient) -> list[Flowable]:
        snapshot = self.snapshot
        styles = self.styles
        story: list[Flowable] = []
        subject = f"{document_title()}: {snapshot.title}"
        story.append(Paragraph(pdf_text(subject), styles["LetterSubject"]))
        story += self._cancelled()
        story.append(Paragraph(pdf_text(recipient.salutation), styles["Normal"]))
        story.append(Spacer(1, 3 * mm))
        if snapshot.cancelled:
            # Translators: first sentence of a printed letter, after the salutation line
            # ("Sehr geehrte Frau …,"), so in German it starts in lower case ("leider …").
            intro = _("Unfortunately, this meeting has been cancelled.")
        else:
            # Translators: first sentence of a printed invitation letter, after "Sehr geehrte
            # Frau …," — so it starts in lower case in German ("hiermit laden wir Sie …").
            intro = _("We would like to invite you to the following meeting.")
        story += [Paragraph(pdf_text(intro), styles["Normal"]), Spacer(1, 4 * mm)]
        story += self._content(with_contact=False)  # the information block names the contact
        # Translators: closing of a printed letter ("Mit freundlichen Grüßen").
        closing: list[Flowable] = [Paragraph(pdf_text(_("Kind regards")), styles["Normal"])]
        if snapshot.organiser is not None:
            signature = [snapshot.organiser.name, snapshot.organiser.organisation]
            closing += [
                Spacer(1, 8 * mm),  # room to sign
                Paragraph(
                    "<br/>".join(pdf_text(line) for line in signature if line), styles["Normal"]
                ),
            ]
        story += [Spacer(1, 6 * mm), KeepTogether(closing)]
        story += self._closing_notice()
        return story

    def _cancelled(self) -> list[Flowable]:
        if not self.snapshot.cancelled:
            return []
        # Translators: printed prominently on the invitation of a cancelled meeting.
        text = _("This meeting has been cancelled.")
        return [Paragraph(pdf_text(text), self.styles["Cancelled"])]

    def _content(self, *, with_contact: bool = True) -> list[Flowable]:
        """What the generic invitation and every letter share: facts, agenda, contact."""
        snapshot = self.snapshot
        styles = self.styles
        story: list[Flowable] = [self._facts_table(), Spacer(1, 4 * mm)]
        if snapshot.rsvp_by is not None and not snapshot.cancelled:
            # Translators: "Bitte antworten Sie bis Donnerstag, 26. November 2026."
            rsvp = _("Please reply by {date}.").format(date=format_weekday_date(snapshot.rsvp_by))
            story.append(Paragraph(pdf_text(rsvp), styles["Bold"]))
            story.append(Spacer(1, 3 * mm))
        if snapshot.description:
            story.append(Paragraph(pdf_text(snapshot.description), styles["Normal"]))
            story.append(Spacer(1, 2 * mm))
        # The heading keeps 4 cm with it, not the whole table (keepWithNext would move a long
        # agenda to the next page, leaving a gap).
        story += [CondPageBreak(40 * mm), Paragraph(pdf_text(_("Agenda")), styles["Section"])]
        if snapshot.agenda:
            story.append(self._agenda_table())
        else:
            # Translators: in place of the agenda table when no TOP is planned yet.
            story.append(Paragraph(pdf_text(_("The agenda will follow.")), styles["Normal"]))
        if with_contact:
            story += self._contact()
        return story

    def _label_width(self, *texts: str) -> float:
        size = self.styles["Label"].fontSize
        widest = max(stringWidth(pdf_plain(text), REGULAR, size) for text in texts)
        return float(widest + 5 * mm)

    def _facts_table(self) -> Table:
        snapshot = self.snapshot
        styles = self.styles
        rows: list[tuple[str, str]] = [
            (_("Date"), format_weekday_date(snapshot.date)),
            (_("Time"), time_range(snapshot.start, snapshot.end)),
        ]
        lines = venue_lines(snapshot.venue)
        if lines:
            rows.append((_("Venue"), "\n".join(lines)))
        if snapshot.venue is not None and snapshot.venue.accessibility:
            rows.append((_("Accessibility"), snapshot.venue.accessibility))
        label_width = self._label_width(*(label for label, _value in rows))
        data = [
            [
                Paragraph(pdf_text(label), styles["Label"]),
                Paragraph(pdf_text(value), styles["Value"]),
            ]
            for label, value in rows
        ]
        table = Table(
            data,
            colWidths=[label_width, self.content_width - label_width],
            style=[
                *_NO_PADDING,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), REGULAR),  # else the cells select Helvetica
                ("TOPPADDING", (0, 0), (0, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ],
        )
        table.hAlign = "LEFT"
        return table

    def _agenda_table(self) -> Table:
        styles = self.styles
        widths = self.agenda_widths
        header_style = styles["TableHeader"]
        # Translators: agenda table header: the TOP number column ("TOP").
        top_label = pgettext("agenda table", "Item")
        # Translators: agenda table header: the planned start time ("Beginn").
        start_label = pgettext("agenda table", "Start")
        # Translators: agenda table header: the TOP's title and description ("Thema").
        topic_label = pgettext("agenda table", "Topic")
        # Translators: agenda table header: planned minutes, a narrow column ("Min.").
        minutes_label = pgettext("agenda table", "Min.")
        header = [
            Paragraph(pdf_text(text), header_style)
            for text in (top_label, start_label, topic_label, _("Presenter"), minutes_label)
        ]
        data: list[list[Any]] = [header]
        commands: list[tuple[Any, ...]] = []
        right = self._derived(styles["TableCell"], alignment=TA_RIGHT)
        for entry in self.snapshot.agenda:
            row = len(data)
            indent = entry.depth * self.indent_per_level
            data.append(
                [
                    Paragraph(pdf_text(entry.number), self._indented(styles["TableCell"], indent)),
                    Paragraph(pdf_text(format_time(entry.start)), styles["TableCell"]),
                    self._item_cell(entry, indent),
                    Paragraph(pdf_text(entry.presenter), styles["TableCell"]),
                    Paragraph(pdf_text(str(entry.minutes) if entry.minutes else ""), right),
                ]
            )
            if entry.depth == 0 and row > 1:
                commands.append(("LINEABOVE", (0, row), (-1, row), 0.4, RULE_GREY))
            if entry.lists_open_items:
                # One row per item, over topic and presenter: wider lines, and a long list
                # can continue on the next page between two items.
                lines = self._open_item_rows(entry, indent)
                for line in lines:
                    data.append(["", "", line, "", ""])
                    commands.append(("SPAN", (2, len(data) - 1), (3, len(data) - 1)))
                commands += [
                    ("TOPPADDING", (0, row + 1), (-1, len(data) - 1), 0),
                    ("BOTTOMPADDING", (0, row + 1), (-1, len(data) - 1), 1.5),
                    # The TOP stays with its first open item.
                    ("NOSPLIT", (0, row), (-1, row + 1)),
                ]
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), REGULAR),  # every cell sets a font: not Helvetica
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE_GREY),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE_GREY),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    *commands,
                ]
            )
        )
        table.hAlign = "LEFT"
        return table

    def _item_cell(self, entry: AgendaEntry, indent: float) -> list[Flowable]:
        styles = self.styles
        title_style = styles["ItemTitle"] if entry.depth == 0 else styles["SubItemTitle"]
        title = pdf_text(entry.title)
        if entry.kind == "decision":
            # Translators: after the title of a TOP where a decision is planned.
            note = pdf_text(_("for decision"))
            title += f' <font color="#595959" size="8">({note})</font>'
        cell: list[Flowable] = [Paragraph(title, self._indented(title_style, indent))]
        if entry.description:
            cell.append(
                Paragraph(pdf_text(entry.description), self._indented(styles["ItemNote"], indent))
            )
        return cell

    def _open_item_rows(self, entry: AgendaEntry, indent: float) -> list[Paragraph]:
        styles = self.styles
        if not entry.open_items:
            # Translators: under the "open action items" TOP when there are none.
            text = pdf_text(_("No open action items."))
            return [Paragraph(text, self._indented(styles["ItemNote"], indent))]
        style = self._indented(styles["OpenItem"], indent)
        return [
            Paragraph(pdf_text(open_item_text(item)), style, bulletText="•")
            for item in entry.open_items
        ]

    def _indented(self, style: ParagraphStyle, indent: float) -> ParagraphStyle:
        return self._derived(style, leftIndent=style.leftIndent + indent) if indent else style

    def _derived(self, style: ParagraphStyle, **changes: Any) -> ParagraphStyle:
        """A variant of a named style, made once per renderer (sub-items repeat)."""
        key = (style.name, *sorted(changes.items()))
        derived = self._derived_styles.get(key)
        if derived is None:
            derived = ParagraphStyle(
                f"{style.name}{len(self._derived_styles)}", parent=style, **changes
            )
            self._derived_styles[key] = derived
        return derived

    def _contact(self) -> list[Flowable]:
        contact = self.snapshot.organiser
        if contact is None:
            return []
        styles = self.styles
        lines = [pdf_text(line) for line in (contact.name, contact.organisation) if line]
        if contact.email:
            lines.append(pdf_text(_("E-mail: {address}").format(address=contact.email)))
        if contact.phone:
            lines.append(pdf_text(_("Phone: {number}").format(number=contact.phone)))
        # Translators: heading of the organiser's contact details in the invitation.
        heading = Paragraph(pdf_text(_("Contact")), styles["Heading2"])
        return [KeepTogether([heading, Paragraph("<br/>".join(lines), styles["Normal"])])]

    def _closing_notice(self) -> list[Flowable]:
        if not self.snapshot.privacy_notice:
            return []
        notice = Paragraph(pdf_text(self.snapshot.privacy_notice), self.styles["Notice"])
        return [CondPageBreak(20 * mm), Spacer(1, 6 * mm), notice]


_NO_PADDING: list[tuple[Any, ...]] = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def render_invitation(snapshot: InvitationSnapshot) -> bytes:
    """The invitation (or the stack of letters) as PDF bytes, in the snapshot's language."""
    with i18n.language(snapshot.language):
        return InvitationRenderer(snapshot).render_to_bytes()


def write_invitation(snapshot: InvitationSnapshot, path: Path) -> None:
    """Render and save atomically; raises ``DocumentWriteError`` with a user message."""
    with i18n.language(snapshot.language):
        InvitationRenderer(snapshot).write(path)


def write_letters(snapshot: InvitationSnapshot, path: Path) -> Path:
    """Render the stack and save it atomically (``DocumentWriteError`` with a user message)."""
    write_invitation(snapshot, Path(path))
    return Path(path)
