"""Which row of a table holds the column names.

Spreadsheets often start with a title ("Kontaktliste Netzwerk 2026", a date, an empty line)
above the real header. Taking the first filled row as the header then turned the header into a
contact: the e-mail column's name landed in the last name, the phone column was dropped. So the
first rows are scored by how many of their cells are known column names, and the best one is
the header; without any convincing candidate the first filled row stays the header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.contacts.mapping import guess_field

# How many filled rows at the top may precede the header.
HEADER_SCAN = 10
# A header names at least two known columns (e.g. "Vorname" and "E-Mail").
MIN_HEADER_SCORE = 2


@dataclass(frozen=True, slots=True)
class RawRow:
    """A filled row of a table as read, before the header is known."""

    number: int  # as the user sees it in the file
    cells: tuple[str, ...]
    numbers: frozenset[int] = frozenset()  # xlsx: cells that were plain numbers


def header_score(cells: Sequence[str]) -> int:
    """How many different known fields the cells name (0 for a row of data)."""
    fields = {guess_field(cell) for cell in cells if cell.strip() and "@" not in cell}
    fields.discard(None)
    return len(fields)


def find_header(rows: Sequence[RawRow]) -> int:
    """The index in *rows* (filled rows only) of the header row."""
    candidates = rows[:HEADER_SCAN]
    scores = [header_score(row.cells) for row in candidates]
    best = max(scores, default=0)
    if best < MIN_HEADER_SCORE or scores[0] == best:
        return 0
    return scores.index(best)
