"""Errors of contacts import and export: each carries one translated sentence for the user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from app.errors import TreffpunktError


class RejectedRow(NamedTuple):
    """A row of the source file that was not imported; ``row`` as the user sees it in the file.

    For CSV and xlsx the header is row 1; for vCard files ``row`` is the card's number.
    """

    row: int
    reason: str


class ContactsError(TreffpunktError):
    """Base of every contacts import/export problem a user can act on."""


class ImportFileError(ContactsError):
    """The file cannot be read as contacts (missing, empty, binary, truncated, too big …)."""


class EmptySheetError(ImportFileError):
    """The chosen (or first) sheet of a workbook holds no contacts, but it has other sheets:
    the window offers them for choosing."""

    def __init__(self, message: str, sheet: str, sheets: Sequence[str]) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.sheets = tuple(sheets)


class ImportMappingError(ContactsError):
    """The column mapping cannot produce people (e.g. no column holds a name)."""


class ImportRejectedError(ContactsError):
    """Strict import: some rows are bad, so nothing was imported."""

    def __init__(self, message: str, rejected: Sequence[RejectedRow]) -> None:
        super().__init__(message)
        self.rejected = tuple(rejected)


class ExportFileError(ContactsError):
    """The export file cannot be written (unknown extension, no permission, file in use …)."""
