"""The shared ReportLab renderer base of every Treffpunkt PDF, in the style of pretix' invoices.

A document is a renderer over a frozen snapshot: subclasses get all their data in
``__init__`` (never a database session) and implement ``story()``; this base supplies page
geometry as class attributes, one stylesheet of named paragraph styles in the registered font,
first/other page templates with header/footer callbacks, "Page X of Y", the draft watermark,
the letterhead block, PDF metadata, and output to bytes or atomically to a file.

Nothing here imports the database layer, so rendering stays cheap to import and to test; the
plain data a document takes (``Letterhead``, ``DocumentInfo``, the snapshots) is gathered in
``app.services``.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import tempfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table
from reportlab.platypus.flowables import Image

from app.documents.fonts import BOLD, REGULAR, register_fonts
from app.documents.layout import fit_text
from app.documents.text import pdf_plain, pdf_text, visual_line
from app.errors import TreffpunktError
from app.i18n import _, current_language
from app.services.letterhead import Letterhead
from app.services.snapshots.common import DocumentInfo

log = logging.getLogger(__name__)

GREY = colors.Color(0.35, 0.35, 0.35)
LIGHT_GREY = colors.Color(0.93, 0.93, 0.93)
RULE_GREY = colors.Color(0.55, 0.55, 0.55)
WATERMARK_GREY = colors.Color(0.86, 0.86, 0.86)


class DocumentWriteError(TreffpunktError):
    """The PDF could not be saved: folder missing, no permission, file open elsewhere, disk full."""


def build_stylesheet() -> StyleSheet1:
    """The one stylesheet of all documents; every style uses the registered family."""
    sheet = StyleSheet1()
    # bulletFontName: ReportLab's default is Helvetica (not embedded, few glyphs).
    sheet.add(
        ParagraphStyle("Normal", fontName=REGULAR, bulletFontName=REGULAR, fontSize=10, leading=13)
    )
    sheet.add(ParagraphStyle("Small", parent=sheet["Normal"], fontSize=8.5, leading=10.5))
    sheet.add(
        ParagraphStyle("Fineprint", parent=sheet["Normal"], fontSize=6.5, leading=8, textColor=GREY)
    )
    sheet.add(ParagraphStyle("Bold", parent=sheet["Normal"], fontName=BOLD))
    sheet.add(ParagraphStyle("Right", parent=sheet["Normal"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("Centre", parent=sheet["Normal"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("Label", parent=sheet["Small"], textColor=GREY))
    sheet.add(ParagraphStyle("Value", parent=sheet["Normal"]))
    sheet.add(
        ParagraphStyle(
            "Kicker",
            parent=sheet["Normal"],
            fontName=BOLD,
            fontSize=10,
            leading=13,
            textColor=GREY,
            spaceAfter=1 * mm,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Title",
            parent=sheet["Normal"],
            fontName=BOLD,
            fontSize=18,
            leading=22,
            spaceAfter=1.5 * mm,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Subtitle",
            parent=sheet["Normal"],
            fontName=BOLD,
            fontSize=13,
            leading=16,
            spaceAfter=2 * mm,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Heading1",
            parent=sheet["Normal"],
            fontName=BOLD,
            fontSize=13,
            leading=16,
            spaceBefore=4 * mm,
            spaceAfter=2 * mm,
            keepWithNext=1,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Heading2",
            parent=sheet["Normal"],
            fontName=BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=3 * mm,
            spaceAfter=1.5 * mm,
            keepWithNext=1,
        )
    )
    sheet.add(
        ParagraphStyle(
            "TableHeader", parent=sheet["Normal"], fontName=BOLD, fontSize=8.5, leading=10
        )
    )
    sheet.add(ParagraphStyle("TableCell", parent=sheet["Normal"], fontSize=9, leading=11))
    sheet.add(
        ParagraphStyle(
            "LetterheadName", parent=sheet["Normal"], fontName=BOLD, fontSize=12, leading=15
        )
    )
    sheet.add(ParagraphStyle("LetterheadAddress", parent=sheet["Small"], textColor=GREY))
    sheet.add(
        ParagraphStyle("Footer", parent=sheet["Normal"], fontSize=8, leading=10, textColor=GREY)
    )
    return sheet


def page_of_template() -> tuple[str, str]:
    """The translated "Page {page} of {pages}" split at the total: (before, after).

    The total is drawn after the last page into one form shared by all pages, so anything
    after ``{pages}`` must not depend on the page; a translation that puts ``{page}`` after
    ``{pages}`` falls back to "3 / 17".
    """
    # Translators: page footer ("Seite {page} von {pages}"); {pages} must come last.
    template = _("Page {page} of {pages}")
    before, found, after = template.partition("{pages}")
    if not found or "{page}" in after or "{page}" not in before:
        before, after = "{page} / ", ""
    return before, after


class NumberedCanvas(Canvas):
    """A canvas that can print "Page X of Y" while writing each page out at once.

    pretix' numbered canvas keeps every page in memory until the end; here each page instead
    refers to one PDF form XObject holding the total, which is drawn once in ``save()``, when
    the total is known. Memory stays flat however long the document is.
    """

    PAGE_COUNT_FORM = "treffpunktPageCount"

    def __init__(
        self,
        *args: Any,
        page_number_font: tuple[str, float] = (REGULAR, 8),
        page_number_color: colors.Color = GREY,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._page_number_font = page_number_font
        self._page_number_color = page_number_color
        self._page_count_suffix = ""
        self._page_of: tuple[str, str] | None = None

    def draw_page_number(self, x: float, y: float) -> None:
        """Draw "Page X of Y" starting at (x, y) on the current page."""
        if self._page_of is None:
            self._page_of = page_of_template()
        before, self._page_count_suffix = self._page_of
        # Not pdf_plain: its NFC step strips the space that separates "of" from the total.
        text = visual_line(before.format(page=self.getPageNumber()))
        font, size = self._page_number_font
        self.saveState()
        self.setFont(font, size)
        self.setFillColor(self._page_number_color)
        self.drawString(x, y, text)
        self.translate(x + stringWidth(text, font, size), y)
        self.doForm(self.PAGE_COUNT_FORM)
        self.restoreState()

    def save(self) -> None:
        font, size = self._page_number_font
        self.beginForm(self.PAGE_COUNT_FORM)
        self.setFont(font, size)
        self.setFillColor(self._page_number_color)
        # After the last showPage() the canvas already counts the next, empty page.
        self.drawString(0, 0, visual_line(f"{self.getPageNumber() - 1}{self._page_count_suffix}"))
        self.endForm()
        super().save()


class RepeatedLine(Flowable):
    """One centred line of plain text repeated in many table cells, drawn once as a PDF form.

    Each further cell only references the form: the "☐ yes ☐ no" of a 300-row sign-in sheet
    is drawn once instead of 300 times, which saves time and file size. *form_name* must be
    unique within the document; the text must already be prepared (``pdf_plain``).
    """

    def __init__(
        self,
        text: str,
        form_name: str,
        *,
        width: float,
        font: str = REGULAR,
        size: float = 10,
        color: colors.Color = colors.black,
    ) -> None:
        super().__init__()
        self.text = text
        self.form_name = form_name
        self.width = width
        self.height = size * 1.2
        self.font = font
        self.size = size
        self.color = color

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if not canvas.hasForm(self.form_name):
            canvas.beginForm(self.form_name)
            canvas.setFont(self.font, self.size)
            canvas.setFillColor(self.color)
            canvas.drawCentredString(self.width / 2, self.size * 0.25, self.text)
            canvas.endForm()
        canvas.doForm(self.form_name)


def use_registered_font_by_default() -> None:
    """Make the registered TTF ReportLab's default everywhere it would pick Helvetica.

    Helvetica is one of the PDF base fonts that are never embedded (``pdffonts`` shows
    "Helvetica no"; PDF/A and print shops refuse such files) and it has no glyphs for ş, ı,
    Vietnamese or Arabic. ReportLab falls back to it in three places: a canvas' initial font
    (``initialFontName`` below covers the document's canvas), table cells without a FONT
    command (``CellStyle.fontname``, read when a table is built) and bullets without a
    ``bulletFontName``. Every Treffpunkt document uses only the registered family, so the
    defaults are set to it once; tests check that every font in every PDF is embedded.
    """
    from reportlab.platypus.tables import CellStyle

    register_fonts()
    rl_config.canvas_basefontname = REGULAR
    CellStyle.fontname = REGULAR


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* via a temporary file in the same folder and ``os.replace``.

    A crash or full disk leaves either the old file or the new one, never half a PDF.
    """
    path = Path(path)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DocumentWriteError(
            _("The PDF cannot be saved to {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, PermissionError):
            message = _(
                "The PDF cannot be saved to {path}: the file is write-protected or open in "
                "another program."
            ).format(path=path)
        else:
            message = _("The PDF cannot be saved to {path}: {reason}").format(
                path=path, reason=exc.strerror
            )
        raise DocumentWriteError(message) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


class DocumentRenderer:
    """Base of all Treffpunkt documents. Subclasses implement ``story()``.

    Page geometry lives in class attributes (points). Pages after the first get a running
    header band of ``running_header_height`` above the frame; every page gets the footer band
    of ``bottom_margin`` with "Page X of Y" (``draw_footer``) and, for drafts, the watermark.
    """

    pagesize: tuple[float, float] = A4
    left_margin: float = 20 * mm
    right_margin: float = 20 * mm
    top_margin: float = 15 * mm
    bottom_margin: float = 18 * mm
    running_header_height: float = 0.0
    footer_baseline: float = 10 * mm
    page_number_width: float = 30 * mm  # the block at the right end of the footer
    uses_italic: bool = False

    def __init__(self, info: DocumentInfo, *, draft: bool = False) -> None:
        self.info = info
        self.draft = draft
        register_fonts(italic=self.uses_italic)
        self.styles = build_stylesheet()

    # -- geometry ------------------------------------------------------------------------

    @property
    def page_width(self) -> float:
        return self.pagesize[0]

    @property
    def page_height(self) -> float:
        return self.pagesize[1]

    @property
    def content_width(self) -> float:
        return self.page_width - self.left_margin - self.right_margin

    # -- to implement --------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    # -- page templates ------------------------------------------------------------------

    def first_page_frames(self) -> list[Frame]:
        return [self._frame(self.page_height - self.top_margin)]

    def other_page_frames(self) -> list[Frame]:
        return [self._frame(self.page_height - self.top_margin - self.running_header_height)]

    def _frame(self, top: float, bottom: float | None = None) -> Frame:
        """The text frame from *top* down to *bottom* (default: ``bottom_margin``)."""
        bottom = self.bottom_margin if bottom is None else bottom
        return Frame(
            self.left_margin,
            bottom,
            self.content_width,
            top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.draw_page(canvas, first=True)

    def on_other_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.draw_page(canvas, first=False)

    def draw_page(self, canvas: Canvas, *, first: bool) -> None:
        """Everything around the story; drawn before the story, so the watermark lies below."""
        if self.draft:
            self.draw_once(canvas, "treffpunktWatermark", self.draw_watermark)
        if not first:
            self.draw_running_header(canvas)
        self.draw_footer(canvas)

    @staticmethod
    def draw_once(canvas: Canvas, name: str, draw: Callable[[Canvas], None]) -> None:
        """Place content that is the same on every page, drawn only once into a PDF form.

        Each page then holds a reference instead of its own copy: less work per page and a
        smaller file. Use for watermarks, running headers and fixed footer text.
        """
        if not canvas.hasForm(name):
            canvas.beginForm(name)
            draw(canvas)
            canvas.endForm()
        canvas.doForm(name)

    def draw_running_header(self, canvas: Canvas) -> None:
        """Pages 2+: override to name the document (e.g. title and date)."""

    def draw_footer(self, canvas: Canvas) -> None:
        """Default footer: "Page X of Y" at the right end. Override to add more."""
        self.draw_page_number(canvas)

    def draw_page_number(self, canvas: Canvas) -> None:
        x = self.page_width - self.right_margin - self.page_number_width
        if isinstance(canvas, NumberedCanvas):
            canvas.draw_page_number(x, self.footer_baseline)

    def draw_watermark(self, canvas: Canvas) -> None:
        """A big diagonal "DRAFT" in light grey across the page."""
        # Translators: watermark across every page of a draft ("ENTWURF").
        text = pdf_plain(_("DRAFT"))
        diagonal = math.hypot(self.page_width, self.page_height)
        size = min(140.0, 0.6 * diagonal / max(stringWidth(text, BOLD, 1), 1))
        canvas.saveState()
        canvas.setFillColor(WATERMARK_GREY)
        canvas.setFont(BOLD, size)
        canvas.translate(self.page_width / 2, self.page_height / 2)
        canvas.rotate(math.degrees(math.atan2(self.page_height, self.page_width)))
        canvas.drawCentredString(0, -size * 0.35, text)
        canvas.restoreState()

    def draw_text_line(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        text: str,
        *,
        font: str = REGULAR,
        size: float = 8,
        max_width: float | None = None,
        color: colors.Color = GREY,
    ) -> None:
        """One line of (prepared) plain text, cut with "…" if wider than *max_width*."""
        if max_width is not None:
            text = fit_text(text, max_width, font=font, steps=((size, 1),)).text
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(color)
        canvas.drawString(x, y, text)
        canvas.restoreState()

    # -- shared blocks -------------------------------------------------------------------

    def letterhead_block(
        self,
        letterhead: Letterhead,
        *,
        logo_height: float = 20 * mm,
        logo_max_width: float = 60 * mm,
    ) -> Flowable:
        """Name and address on the left, the logo (if any and readable) on the right."""
        lines = [Paragraph(pdf_text(letterhead.name), self.styles["LetterheadName"])]
        if letterhead.address_lines:
            address = "<br/>".join(pdf_text(line) for line in letterhead.address_lines if line)
            lines.append(Paragraph(address, self.styles["LetterheadAddress"]))
        logo = self.logo_image(letterhead.logo, logo_max_width, logo_height)
        logo_width = logo.drawWidth if logo is not None else 0
        table = Table(
            [[lines, logo or ""]],
            colWidths=[self.content_width - logo_width, logo_width],
            style=[
                # The empty cell without a logo would otherwise select Helvetica.
                ("FONT", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ],
        )
        table.hAlign = "LEFT"
        return table

    @staticmethod
    def logo_image(data: bytes | None, max_width: float, max_height: float) -> Image | None:
        """The logo scaled into the box keeping its proportions; None if absent or unreadable.

        A broken logo in the settings must not stop the minutes from being printed, so an
        unreadable image is logged and left out.
        """
        if not data:
            return None
        try:
            reader = ImageReader(BytesIO(data))
            width, height = reader.getSize()
        except Exception:  # PIL raises many kinds for damaged or unknown images
            log.warning("letterhead logo is not a readable image; printing without it")
            return None
        if width <= 0 or height <= 0:
            return None
        scale = min(max_width / width, max_height / height)
        return Image(BytesIO(data), width=width * scale, height=height * scale)

    # -- output --------------------------------------------------------------------------

    def _canvas_maker(self) -> Callable[..., Canvas]:
        def make(*args: Any, **kwargs: Any) -> Canvas:
            return NumberedCanvas(*args, **kwargs)

        return make

    def build(self, target: BinaryIO) -> None:
        """Render the whole document into the binary file object *target*."""
        # ASCII85 only serves 7-bit mail transports of the 1990s; without it, streams are
        # written as compressed binary: a fifth smaller and ~5 % faster (pure-Python encoder).
        rl_config.useA85 = 0
        use_registered_font_by_default()
        doc = BaseDocTemplate(
            target,
            pagesize=self.pagesize,
            leftMargin=self.left_margin,
            rightMargin=self.right_margin,
            topMargin=self.top_margin,
            bottomMargin=self.bottom_margin,
            title=pdf_plain(self.info.title),
            author=pdf_plain(self.info.author),
            subject=pdf_plain(self.info.subject),
            keywords=", ".join(pdf_plain(k) for k in self.info.keywords),
            creator="Treffpunkt",
            lang=self.info.language or current_language(),
            displayDocTitle=1,
            initialFontName=REGULAR,
        )
        doc.addPageTemplates(
            [
                PageTemplate(
                    id="first",
                    frames=self.first_page_frames(),
                    onPage=self.on_first_page,
                    pagesize=self.pagesize,
                    autoNextPageTemplate="other",
                ),
                PageTemplate(
                    id="other",
                    frames=self.other_page_frames(),
                    onPage=self.on_other_page,
                    pagesize=self.pagesize,
                ),
            ]
        )
        doc.build(self.story(), canvasmaker=self._canvas_maker())

    def render_to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.build(buffer)
        return buffer.getvalue()

    def write(self, path: Path) -> None:
        """Render and save atomically; raises ``DocumentWriteError`` with a user message."""
        write_atomic(Path(path), self.render_to_bytes())
