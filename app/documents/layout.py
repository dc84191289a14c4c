"""Fitting plain text into fixed table cells without Paragraphs.

A ``Paragraph`` per table cell costs several times what a plain string cell costs (a 300-row
sheet has ~1,500 cells), and plain cells are never parsed as markup. What plain cells lack is
wrapping, so this module wraps and, where needed, shrinks text to fit a cell of fixed width
and height.

Words are never broken in the middle: lines wrap at spaces and after hyphens
("Hohenzollern-" / "Sigmaringen"), and short abbreviations stay with the next word
("e. V.", "Dr. Anna"). A cell that still does not fit at its smallest step is drawn a little
smaller (down to ``MIN_SHRINK`` points below that step); only text far too long for the cell
is cut, after a whole word, with "…". A single word wider than the cell even then (a
50-letter compound in a narrow column) is the one case broken between characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents.fonts import REGULAR

ELLIPSIS = "…"
_AFTER_HYPHEN = re.compile(r"(?<=[-\u2010\u2011/])(?=.)")
# "e.", "V.", "Dr.", "St.", "z.": kept on the line of the word after them.
_ABBREVIATION = re.compile(r"^\w{1,3}\.$")
MIN_SHRINK = 1.5  # points below the last step a cell may shrink to keep words whole
_SHRINK_STEP = 0.5
_MIN_SIZE = 5.5


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


def _tokens(paragraph: str) -> list[str]:
    """Words separated by spaces, abbreviations joined to the word after them."""
    words = [word for word in paragraph.split(" ") if word]
    tokens: list[str] = []
    glue = False
    for word in words:
        if glue and tokens:
            tokens[-1] = f"{tokens[-1]} {word}"
        else:
            tokens.append(word)
        glue = bool(_ABBREVIATION.match(word))
    return tokens


def _pieces(token: str, width: float, font: str, size: float) -> list[str]:
    """A token too wide for one line, split after its hyphens (or at its inner spaces)."""
    if " " in token:  # an abbreviation glued to its word: split there rather than overflow
        return [piece for word in token.split(" ") for piece in _pieces(word, width, font, size)]
    parts = _AFTER_HYPHEN.split(token)
    pieces: list[str] = []
    for part in parts:
        if pieces and stringWidth(pieces[-1] + part, font, size) <= width:
            pieces[-1] += part
        else:
            pieces.append(part)
    return pieces


def wrap_words(text: str, width: float, font: str, size: float) -> tuple[list[str], bool]:
    """Greedy wrapping at spaces and hyphens: (lines, every line fits)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for token in _tokens(paragraph):
            candidate = f"{current} {token}" if current else token
            if stringWidth(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            if stringWidth(token, font, size) <= width:
                current = token
                continue
            for piece in _pieces(token, width, font, size):
                joined = f"{current}{piece}" if current.endswith(("-", "/")) else piece
                if current and stringWidth(joined, font, size) <= width:
                    current = joined
                else:
                    if current:
                        lines.append(current)
                    current = piece
        lines.append(current)
    fits = all(stringWidth(line, font, size) <= width for line in lines)
    return lines, fits


def _cut(lines: list[str], width: float, font: str, size: float) -> str:
    """The last kept line, ended after a whole word with "…" (characters only as a last
    resort, for a single word wider than the cell)."""
    line = lines[-1]
    words = line.split(" ")
    while words:
        candidate = " ".join(words) + ELLIPSIS
        if stringWidth(candidate, font, size) <= width:
            return candidate
        words.pop()
    for end in range(len(line), 0, -1):
        if stringWidth(line[:end] + ELLIPSIS, font, size) <= width:
            return line[:end] + ELLIPSIS
    return ELLIPSIS


def _break_characters(line: str, width: float, font: str, size: float) -> list[str]:
    pieces, current = [], ""
    for char in line:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current]


def _fitted(lines: list[str], size: float, truncated: bool = False) -> FittedText:
    return FittedText("\n".join(lines), size, round(size * 1.15, 2), truncated)


def fit_text(
    text: str,
    width: float,
    *,
    font: str = REGULAR,
    steps: tuple[tuple[float, int], ...] = DEFAULT_STEPS,
) -> FittedText:
    """Fit already prepared plain text (``pdf_plain``) into *width* points.

    Tries each (size, max lines) step; the first whose wrapped lines all fit and are few
    enough wins; then sizes a little below the last step (module docstring). Nothing ever
    overflows the cell. Explicit line breaks in *text* are kept.
    """
    first_size = steps[0][0]
    if "\n" not in text and stringWidth(text, font, first_size) <= width:
        return _fitted([text], first_size)
    for size, max_lines in steps:
        lines, fits = wrap_words(text, width, font, size)
        if fits and len(lines) <= max_lines:
            return _fitted(lines, size)
    last_size, max_lines = steps[-1]
    size = last_size - _SHRINK_STEP
    while size >= max(last_size - MIN_SHRINK, _MIN_SIZE):
        lines, fits = wrap_words(text, width, font, size)
        if fits and len(lines) <= max_lines:
            return _fitted(lines, size)
        size -= _SHRINK_STEP
    size = last_size  # cut or broken anyway: at the last step's size, the most legible
    lines, fits = wrap_words(text, width, font, size)
    if not fits:  # a single word wider than the cell: the only mid-word break
        lines = [piece for line in lines for piece in _break_characters(line, width, font, size)]
    if len(lines) <= max_lines:
        return _fitted(lines, size, truncated=not fits)
    kept = lines[:max_lines]
    kept[-1] = _cut(kept, width, font, size)
    return _fitted(kept, size, truncated=True)
