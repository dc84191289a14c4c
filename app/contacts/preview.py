"""What a file holds before anything is written: format, headers, proposed mapping, rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.contacts.cell_warnings import CellWarning, number_warnings
from app.contacts.errors import RejectedRow
from app.contacts.fields import Field
from app.contacts.mapping import Layout, layout_label, propose_mapping
from app.contacts.reading import SourceFormat, SourceRow, read_table
from app.contacts.values import is_valid_email, split_emails


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """A read file, ready to be shown in a preview table with a mapping the user may correct.

    ``mapping[i]`` is the field column ``i`` is imported into (None: not imported).
    """

    path: Path
    format: SourceFormat
    layout: Layout
    headers: tuple[str, ...]
    mapping: tuple[Field | None, ...]
    rows: tuple[SourceRow, ...]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    version: str | None = None
    header_row: int = 1  # CSV/xlsx: the row with the column names (titles may stand above)
    broken: tuple[RejectedRow, ...] = ()  # entries that could not be read (vCard without END)

    def warnings(self, mapping: tuple[Field | None, ...] | None = None) -> tuple[CellWarning, ...]:
        """Values to look at under *mapping* (default: the proposed one)."""
        return number_warnings(self.rows, self.mapping if mapping is None else mapping)

    @property
    def layout_label(self) -> str:
        return layout_label(self.layout)

    @property
    def format_label(self) -> str:
        """ "CSV (utf-8-sig, ;)", "Excel (Tabelle1)", "vCard 2.1": technical, not translated."""
        if self.format is SourceFormat.CSV:
            delimiter = "Tab" if self.delimiter == "\t" else self.delimiter
            return f"CSV ({self.encoding}, {delimiter})"
        if self.format is SourceFormat.XLSX:
            return f"Excel ({self.sheet})"
        return f"vCard {self.version}"


_SNIFFED_ROWS = 50


def sniff_email_columns(
    mapping: tuple[Field | None, ...], rows: tuple[SourceRow, ...]
) -> tuple[Field | None, ...]:
    """A column whose header said nothing or a name ("Kontakt") but which holds e-mail
    addresses is an e-mail column: judged by its first rows, at least 80 % addresses."""
    sample = rows[:_SNIFFED_ROWS]
    refined = list(mapping)
    for index, target in enumerate(mapping):
        if target not in (None, Field.FULL_NAME):
            continue
        cells = [row.cells[index] for row in sample if row.cells[index].strip()]
        if cells and sum(
            1 for cell in cells if (found := split_emails(cell)) and all(map(is_valid_email, found))
        ) >= 0.8 * len(cells):
            refined[index] = Field.EMAIL
    return tuple(refined)


def preview_import(path: Path | str, *, sheet: str | None = None) -> ImportPreview:
    """Read *path* and propose a mapping; raises ImportFileError for unusable files."""
    path = Path(path)
    table = read_table(path, sheet=sheet)
    if table.fixed_mapping is not None:
        layout, mapping = Layout.VCARD, table.fixed_mapping
    else:
        layout, mapping = propose_mapping(table.headers)
        mapping = sniff_email_columns(mapping, table.rows)
    return ImportPreview(
        path=path,
        format=table.format,
        layout=layout,
        headers=table.headers,
        mapping=mapping,
        rows=table.rows,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        sheets=table.sheets,
        version=table.version,
        header_row=table.header_row,
        broken=table.broken,
    )
