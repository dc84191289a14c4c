"""The first page of a DIN 5008 letter (form B): letterhead, window, information block, marks.

``LetterFirstPage.draw`` puts on the canvas what is the same in every letter of a stack
(letterhead, return address, fold marks; the parts a window envelope and a folding machine
rely on) and what belongs to one recipient (the address block, the information block with
contact and date). The story (subject, salutation, text) flows into the frame below
``din5008.SUBJECT_TOP``; the renderer sets that frame up.

Geometry and fitting rules live in ``app.documents.din5008``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents import din5008
from app.documents.base import GREY, RULE_GREY, DocumentRenderer
from app.documents.fonts import REGULAR
from app.documents.layout import fit_text
from app.documents.text import pdf_plain
from app.services.letterhead import Letterhead
from app.text import nfc

INFO_SIZE = 8.5
INFO_LEADING = 11.5
INFO_STEPS: tuple[tuple[float, int], ...] = ((8.5, 1), (7.5, 1), (7.0, 2))


@dataclass(frozen=True, slots=True)
class InfoLine:
    """One line of the information block: "Telefon  0221 4710-300"."""

    label: str
    value: str


class LetterFirstPage:
    """Draws the fixed parts of a letter's first page; see the module docstring."""

    def __init__(self, renderer: DocumentRenderer, letterhead: Letterhead | None) -> None:
        self.renderer = renderer
        self.letterhead = letterhead
        self.return_address: din5008.FittedLines | None = None
        if letterhead is not None:
            self.return_address = din5008.fit_return_address(
                pdf_plain(nfc(letterhead.name)),
                [pdf_plain(nfc(line)) for line in letterhead.address_lines],
            )

    def _y(self, from_top: float) -> float:
        return self.renderer.page_height - from_top

    def draw(self, canvas: Canvas, address_lines: Sequence[str], info: Sequence[InfoLine]) -> None:
        if self.letterhead is not None:
            self._draw_letterhead(canvas, self.letterhead)
        self._draw_return_address(canvas)
        self._draw_address(canvas, [pdf_plain(line) for line in address_lines])
        self._draw_info(canvas, info)
        self._draw_marks(canvas)

    def _draw_letterhead(self, canvas: Canvas, letterhead: Letterhead) -> None:
        renderer = self.renderer
        top = renderer.page_height - renderer.top_margin
        room = din5008.ADDRESS_FIELD_TOP - renderer.top_margin - 3 * mm
        width = renderer.page_width - renderer.left_margin - renderer.right_margin
        block = renderer.letterhead_block(letterhead, logo_height=18 * mm)
        _width, height = block.wrapOn(canvas, width, room)
        if height > room:  # too many address lines: the name and the logo only
            block = renderer.letterhead_block(
                Letterhead(letterhead.name, (), letterhead.logo), logo_height=min(18 * mm, room)
            )
            _width, height = block.wrapOn(canvas, width, room)
        block.drawOn(canvas, renderer.left_margin, top - height)

    def _draw_return_address(self, canvas: Canvas) -> None:
        fitted = self.return_address
        if fitted is None:
            return
        # At the foot of the note zone, just above the recipient, underlined.
        y = self._y(din5008.ADDRESS_ZONE_TOP) + 2.2 * mm
        x = din5008.ADDRESS_TEXT_LEFT
        canvas.saveState()
        canvas.setFont(REGULAR, fitted.size)
        canvas.setFillColor(GREY)
        for index, line in enumerate(reversed(fitted.lines)):
            canvas.drawString(x, y + index * fitted.leading, line)
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.3)
        width = max(stringWidth(line, REGULAR, fitted.size) for line in fitted.lines)
        canvas.line(x, y - 1.2, x + min(width, din5008.ADDRESS_TEXT_WIDTH), y - 1.2)
        canvas.restoreState()

    def _draw_address(self, canvas: Canvas, lines: list[str]) -> None:
        fitted = din5008.fit_address_block(lines)
        x = din5008.ADDRESS_TEXT_LEFT
        y = self._y(din5008.ADDRESS_ZONE_TOP) - 1.5 * mm - fitted.size
        canvas.saveState()
        canvas.setFillColor(colors.black)
        for line in fitted.lines:
            size = fitted.size
            width = stringWidth(line, REGULAR, size)
            if width > din5008.ADDRESS_TEXT_WIDTH:  # one word wider than the window
                size *= din5008.ADDRESS_TEXT_WIDTH / width
            canvas.setFont(REGULAR, size)
            canvas.drawString(x, y, line)
            y -= fitted.leading
        canvas.restoreState()

    def _draw_info(self, canvas: Canvas, info: Sequence[InfoLine]) -> None:
        if not info:
            return
        labels = [pdf_plain(line.label) for line in info]
        label_width = max(stringWidth(label, REGULAR, INFO_SIZE) for label in labels) + 3 * mm
        value_width = din5008.INFO_BLOCK_WIDTH - label_width
        x = din5008.INFO_BLOCK_LEFT
        y = self._y(din5008.INFO_BLOCK_TOP) - INFO_SIZE
        canvas.saveState()
        for label, line in zip(labels, info, strict=True):
            fitted = fit_text(pdf_plain(line.value), value_width, steps=INFO_STEPS)
            canvas.setFont(REGULAR, INFO_SIZE)
            canvas.setFillColor(GREY)
            canvas.drawString(x, y, label)
            canvas.setFillColor(colors.black)
            canvas.setFont(REGULAR, fitted.size)
            for number, part in enumerate(fitted.lines):
                canvas.drawString(x + label_width, y - number * fitted.leading, part)
            y -= INFO_LEADING + (len(fitted.lines) - 1) * fitted.leading
        canvas.restoreState()

    def _draw_marks(self, canvas: Canvas) -> None:
        """Fold marks (105 and 210 mm) and the hole mark (148.5 mm) at the left edge."""
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.4)
        for from_top in din5008.FOLD_MARKS:
            canvas.line(5 * mm, self._y(from_top), 9 * mm, self._y(from_top))
        canvas.line(5 * mm, self._y(din5008.HOLE_MARK), 11 * mm, self._y(din5008.HOLE_MARK))
        canvas.restoreState()
