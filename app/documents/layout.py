"""Fitting plain text into fixed table cells without Paragraphs.

A ``Paragraph`` per table cell costs several times what a plain string cell costs (a 300-row
sheet has ~1,500 cells), and plain cells are never parsed as markup. What plain cells lack is
wrapping, so this module wraps and, where needed, shrinks text to fit a cell of fixed width
and height: one line at the normal size, else more lines at smaller sizes, else the last line
is cut with "…".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents.fonts import REGULAR

ELLIPSIS = "…"
_AFTER_HYPHEN = re.compile(r"(?<=[-\u2010\u2011])")


@dataclass(frozen=True, slots=True)
class FittedText:
    text: str  # lines joined by "\n", as plain table cells expect
    size: float
    leading: float
    truncated: bool = False

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


# (font size, maximum lines) tried in order; leading is 1.15 x size.
DEFAULT_STEPS: tuple[tuple[float, int], ...] = ((9, 1), (8, 2), (7, 3))


def _cut(line: str, width: float, font: str, size: float) -> str:
    """The longest prefix of *line* that fits with a trailing ellipsis."""
    if stringWidth(line + ELLIPSIS, font, size) <= width:
        return line + ELLIPSIS
    low, high = 0, len(line)
    while low < high:  # binary search for the longest prefix that fits
        middle = (low + high + 1) // 2
        if stringWidth(line[:middle].rstrip() + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return line[:low].rstrip() + ELLIPSIS


def _break_word(line: str, width: float, font: str, size: float) -> list[str]:
    """Split a line wider than the cell that has no space to wrap at.

    Breaks after hyphens first ("Hohenzollern-" / "Sigmaringen"), and between characters only
    within a part that is still too wide.
    """
    parts: list[str] = []
    for part in _AFTER_HYPHEN.split(line):
        if stringWidth(part, font, size) <= width:
            parts.append(part)
            continue
        current = ""
        for char in part:
            if current and stringWidth(current + char, font, size) > width:
                parts.append(current)
                current = char
            else:
                current += char
        parts.append(current)
    pieces: list[str] = []
    current = ""
    for part in parts:
        if current and stringWidth(current + part, font, size) > width:
            pieces.append(current)
            current = part
        else:
            current += part
    return [*pieces, current]


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        for line in simpleSplit(paragraph, font, size, width) or [""]:
            if stringWidth(line, font, size) > width:
                lines += _break_word(line, width, font, size)
            else:
                lines.append(line)
    return lines


def fit_text(
    text: str,
    width: float,
    *,
    font: str = REGULAR,
    steps: tuple[tuple[float, int], ...] = DEFAULT_STEPS,
) -> FittedText:
    """Fit already prepared plain text (``pdf_plain``) into *width* points.

    Tries each (size, max lines) step; the first whose wrapped text has few enough lines wins.
    Lines wrap at spaces and hyphens; a word wider than the cell breaks between characters.
    If no step fits, the last step is used and its last line is cut with an ellipsis, so
    nothing ever overflows the cell. Explicit line breaks in *text* are kept.
    """
    first_size = steps[0][0]
    if "\n" not in text and stringWidth(text, font, first_size) <= width:
        return FittedText(text, first_size, round(first_size * 1.15, 2))
    lines: list[str] = []
    for size, max_lines in steps:
        lines = _wrap(text, width, font, size)
        if len(lines) <= max_lines:
            return FittedText("\n".join(lines), size, round(size * 1.15, 2))
    size, max_lines = steps[-1]
    kept = lines[:max_lines]
    kept[-1] = _cut(kept[-1], width, font, size)
    return FittedText("\n".join(kept), size, round(size * 1.15, 2), truncated=True)
