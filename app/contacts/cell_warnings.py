"""Values the import takes over but the user should look at: numbers that lost their zeros.

Excel stores "01067" typed into a number cell as the number 1067, and "0211 123456" as
211123456; the zero is gone before Treffpunkt reads the file. When the cell carried a
zero-padding format ("00000") the reader restores the number as Excel shows it; a plain number
in a postcode or phone column is flagged here, with the row, so it can be corrected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.contacts.fields import Field
from app.contacts.reading import SourceRow
from app.i18n import _

# German postcodes have five digits; a shorter number may have lost its leading zero (an
# Austrian or Swiss postcode has four: hence a warning, not a correction).
POSTCODE_DIGITS = 5


@dataclass(frozen=True, slots=True)
class CellWarning:
    row: int  # as the user sees it in the file
    column: int  # index into the headers
    value: str
    message: str  # one translated sentence


def number_warnings(
    rows: Sequence[SourceRow], mapping: Sequence[Field | None]
) -> tuple[CellWarning, ...]:
    """Postcode and phone cells that were plain numbers in Excel, in row order."""
    found = []
    for row in rows:
        for column in sorted(row.numbers):
            target = mapping[column] if column < len(mapping) else None
            value = row.cells[column] if column < len(row.cells) else ""
            message = _message(target, value)
            if message:
                found.append(CellWarning(row.number, column, value, message))
    return tuple(found)


def _message(target: Field | None, value: str) -> str:
    if target is Field.POSTCODE and value.isdigit() and len(value) < POSTCODE_DIGITS:
        return _(
            "postcode {value} was a number in Excel: a leading zero may be missing "
            "(01067 → 1067); check it"
        ).format(value=value)
    if target is Field.PHONE and value.isdigit():
        return _(
            "phone number {value} was a number in Excel: its leading 0 or + is missing; check it"
        ).format(value=value)
    return ""
