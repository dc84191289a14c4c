"""DIN 5008 letter geometry (form B, window envelope DL / C5/6) and the texts that must fit it.

Measured from the top left corner of the A4 sheet, as the standard gives them:

- letterhead: the first 45 mm;
- address field: 20 mm from the left, 45 mm from the top, 85 × 45 mm. Its text starts 5 mm in
  (25 mm from the left), so 80 mm are usable. The top 17.7 mm are the "Zusatz- und
  Vermerkzone" (5 lines) holding the return address; the lower 27.3 mm the
  "Anschriftzone" (6 lines at 10 pt) holding the recipient;
- information block: 125 mm from the left, 50 mm from the top, 75 mm wide (contact, date);
- fold marks at 105 mm and 210 mm, the hole mark at 148.5 mm, at the left edge;
- text: 25 mm from the left, at least 20 mm from the right; the subject starts below the
  address field (98.4 mm from the top).

Only plain text is fitted here (no markup); the renderer draws it. Nothing is ever cut with
"…": a return address is shortened by leaving out its least useful parts, shrunk, and as a
last resort wrapped onto a second line at a separator; an address line is shrunk, then
wrapped at spaces or hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents.fonts import REGULAR

# -- geometry (millimetres from the top left corner, as the standard states them) ---------------
ADDRESS_FIELD_LEFT = 20 * mm
ADDRESS_FIELD_TOP = 45 * mm
ADDRESS_FIELD_WIDTH = 85 * mm
ADDRESS_FIELD_HEIGHT = 45 * mm
ADDRESS_INSET = 5 * mm  # the text starts 5 mm inside the window
ADDRESS_TEXT_LEFT = ADDRESS_FIELD_LEFT + ADDRESS_INSET
ADDRESS_TEXT_WIDTH = ADDRESS_FIELD_WIDTH - ADDRESS_INSET  # 80 mm
NOTE_ZONE_HEIGHT = 17.7 * mm  # "Zusatz- und Vermerkzone": the return address
ADDRESS_ZONE_TOP = ADDRESS_FIELD_TOP + NOTE_ZONE_HEIGHT  # 62.7 mm
ADDRESS_ZONE_HEIGHT = ADDRESS_FIELD_HEIGHT - NOTE_ZONE_HEIGHT  # 27.3 mm
INFO_BLOCK_LEFT = 125 * mm
INFO_BLOCK_TOP = 50 * mm
INFO_BLOCK_WIDTH = 75 * mm
BODY_LEFT = 25 * mm
BODY_RIGHT_MARGIN = 20 * mm
SUBJECT_TOP = 98.4 * mm
FOLD_MARKS = (105 * mm, 210 * mm)
HOLE_MARK = 148.5 * mm

# Return address: 8 pt at best, never below 6 pt (still legible through the window).
RETURN_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
RETURN_SEPARATOR = " · "
# Recipient: 10 pt (12 pt leading: 6 lines fill the 27.3 mm zone); long lines down to 8 pt.
ADDRESS_SIZES = (10.0, 9.0, 8.0)

_POSTCODE_TOWN = re.compile(r"^(?:[A-Z]{1,2}[- ]?)?\d{4,5}\s+\S")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class FittedLines:
    lines: tuple[str, ...]
    size: float

    @property
    def leading(self) -> float:
        return round(self.size * 1.2, 2)


def _width(text: str, size: float, font: str = REGULAR) -> float:
    return float(stringWidth(text, font, size))


def is_town_line(line: str) -> bool:
    """ "47798 Krefeld", "D-47798 Krefeld", "5911 AB Venlo"."""
    return bool(_POSTCODE_TOWN.match(line.strip()))


def return_address_candidates(name: str, address_lines: Sequence[str]) -> list[list[str]]:
    """The return address from the fullest to the shortest, each a list of parts.

    Department lines (no digits) go first, then the name loses what follows a dash or
    comma ("Stadt Krefeld – Soziales Quartiersmanagement" → "Stadt Krefeld"); the street
    (or post-office box) and the town always stay.
    """
    lines = [line.strip() for line in address_lines if line.strip()]
    essential = [line for line in lines if _HAS_DIGIT.search(line)]
    candidates = [[name, *lines]]
    if essential != lines:
        candidates.append([name, *essential])
    short_name = re.split(r"\s+[–—-]\s+|,\s+", name, maxsplit=1)[0].strip()
    if short_name and short_name != name:
        candidates.append([short_name, *essential])
    return [[part for part in candidate if part] for candidate in candidates]


def fit_return_address(
    name: str, address_lines: Sequence[str], width: float = ADDRESS_TEXT_WIDTH
) -> FittedLines:
    """One line of return address that fits *width*: shortened and shrunk, never cut.

    When even the shortest form at 6 pt does not fit one line, the name goes on a line of
    its own above street and town (the note zone has room for five), wrapped at spaces if
    it must.
    """
    candidates = return_address_candidates(name, address_lines)
    for parts in candidates:
        text = RETURN_SEPARATOR.join(parts)
        for size in RETURN_SIZES:
            if _width(text, size) <= width:
                return FittedLines((text,), size)
    # Two lines: the sender's name, then street and town (the note zone has room for five).
    name, *rest = candidates[-1]
    tail = RETURN_SEPARATOR.join(rest)
    for size in RETURN_SIZES:
        if _width(name, size) <= width and _width(tail, size) <= width:
            return FittedLines(tuple(line for line in (name, tail) if line), size)
    size = RETURN_SIZES[-1]
    lines = wrap_words(name, width, size) + (wrap_words(tail, width, size) if tail else [])
    return FittedLines(tuple(lines), size)


def wrap_words(text: str, width: float, size: float, font: str = REGULAR) -> list[str]:
    """Wrap at spaces, then after hyphens; a single word wider than *width* stays whole
    (it is drawn smaller by the caller rather than broken mid-word)."""
    lines: list[str] = []
    for line in simpleSplit(text, font, size, width) or [""]:
        if _width(line, size, font) <= width or "-" not in line:
            lines.append(line)
            continue
        current = ""
        for piece in re.split(r"(?<=-)", line):
            if current and _width(current + piece, size, font) > width:
                lines.append(current)
                current = piece
            else:
                current += piece
        lines.append(current)
    return lines


def address_lines_room(size: float, height: float = ADDRESS_ZONE_HEIGHT) -> int:
    """How many lines of *size* points the address zone holds (6 at 10 pt, 8 at 8 pt)."""
    return int(height // (size * 1.2))


def fit_address_block(lines: Sequence[str], width: float = ADDRESS_TEXT_WIDTH) -> FittedLines:
    """The recipient's lines at the largest size where every line fits, else wrapped.

    Long lines (an organisation's full name) shrink to 9 or 8 pt, then wrap at spaces or
    hyphens, never inside a word. Should the block still be too tall for the zone, the
    lines in the middle give way: the name and the town line are what the post reads.
    """
    lines = [line for line in lines if line]
    for size in ADDRESS_SIZES:
        if len(lines) <= address_lines_room(size) and all(
            _width(line, size) <= width for line in lines
        ):
            return FittedLines(tuple(lines), size)
    for size in ADDRESS_SIZES:
        wrapped = [piece for line in lines for piece in wrap_words(line, width, size)]
        if len(wrapped) <= address_lines_room(size) and all(
            _width(line, size) <= width for line in wrapped
        ):
            return FittedLines(tuple(wrapped), size)
    size = ADDRESS_SIZES[-1]
    wrapped = [piece for line in lines for piece in wrap_words(line, width, size)]
    room = address_lines_room(size)
    if len(wrapped) > room:
        wrapped = [*wrapped[: room - 2], *wrapped[-2:]]
    return FittedLines(tuple(wrapped), size)
