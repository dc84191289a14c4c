"""Reading a contacts file into a plain table: detect format, encoding and delimiter.

Every problem with the file itself becomes one ImportFileError with a sentence for the user;
nothing here touches the database. Size limits are checked before a file is read or unpacked.
"""

from __future__ import annotations

import codecs
import csv
import enum
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.contacts import vcard
from app.contacts.errors import EmptySheetError, ImportFileError, RejectedRow
from app.contacts.fields import Field
from app.contacts.header_row import RawRow, find_header
from app.contacts.values import join_values
from app.i18n import _

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# Worksheet XML compresses about 5–30 : 1; far more means a "zip bomb".
MAX_XLSX_RATIO = 100
XLSX_RATIO_CHECKED_ABOVE = 10 * 1024 * 1024
MAX_XLSX_ENTRIES = 10_000
MAX_COLUMNS = 500

CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
VCARD_EXTENSIONS = frozenset({".vcf", ".vcard"})

_MAGIC_NAMES = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\xd0\xcf\x11\xe0", "Office 97–2003"),
    (b"SQLite format 3", "SQLite"),
)


class SourceFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    VCARD = "vcard"


@dataclass(frozen=True, slots=True)
class SourceRow:
    number: int  # as the user sees it: CSV/xlsx row (header = 1), vCard card number
    cells: tuple[str, ...]  # as many as there are headers
    # xlsx: columns whose cell held a number shown without a zero-padding format, so a
    # leading zero (postcode 01067, phone 0211 …) may have been lost in Excel already.
    numbers: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class SourceTable:
    format: SourceFormat
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    encoding: str | None = None  # CSV and vCard
    delimiter: str | None = None  # CSV
    sheet: str | None = None  # xlsx: the sheet read
    sheets: tuple[str, ...] = ()  # xlsx: every sheet, for a choice in the window
    version: str | None = None  # vCard: "2.1", "3.0", "4.0" or e.g. "2.1, 3.0"
    # vCard columns have a fixed meaning; for tables the mapping is guessed from the headers.
    fixed_mapping: tuple[Field | None, ...] | None = None
    header_row: int = 1  # CSV/xlsx: the row that holds the column names (titles above it)
    # Entries that could not be read, e.g. a vCard without END:VCARD: (card number, why).
    broken: tuple[RejectedRow, ...] = ()


def read_table(path: Path, *, sheet: str | None = None) -> SourceTable:
    """Read *path* (.csv/.txt/.tsv, .xlsx, .vcf) into a table; raise ImportFileError if unusable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_EXTENSIONS | XLSX_EXTENSIONS | VCARD_EXTENSIONS:
        if suffix == ".xls":
            raise ImportFileError(
                _(
                    "{name} is an old Excel file (.xls). Save it as .xlsx or CSV and import that."
                ).format(name=path.name)
            )
        raise ImportFileError(
            _("{name}: Treffpunkt imports .csv, .xlsx and .vcf files only.").format(name=path.name)
        )
    try:
        if not path.is_file():
            raise ImportFileError(_("There is no file {path}.").format(path=path))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                _(
                    "{name} is too big ({size} MB); Treffpunkt imports files up to {limit} MB."
                ).format(
                    name=path.name,
                    size=size // (1024 * 1024),
                    limit=MAX_FILE_BYTES // (1024 * 1024),
                )
            )
        if size == 0:
            raise ImportFileError(_("{name} is empty.").format(name=path.name))
        if suffix in XLSX_EXTENSIONS:
            table = _read_xlsx(path, sheet)
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
            table = _read_vcard(path, data) if suffix in VCARD_EXTENSIONS else _read_csv(path, data)
    except OSError as exc:
        raise ImportFileError(
            _("{name} cannot be read: {reason}").format(name=path.name, reason=exc.strerror or exc)
        ) from exc
    if not table.rows:
        if table.format is SourceFormat.XLSX and len(table.sheets) > 1:
            raise EmptySheetError(
                _(
                    "The sheet “{sheet}” in {name} holds no contacts; choose another of its "
                    "sheets: {sheets}."
                ).format(sheet=table.sheet, name=path.name, sheets=", ".join(table.sheets)),
                table.sheet or "",
                table.sheets,
            )
        raise ImportFileError(_("{name} contains no contacts.").format(name=path.name))
    return table


# -- text files -------------------------------------------------------------------------------


def _not_text(path: Path, data: bytes) -> ImportFileError:
    for magic, kind in _MAGIC_NAMES:
        if data.startswith(magic):
            return ImportFileError(
                _("{name} is not a text file but a {kind} file; it cannot be imported.").format(
                    name=path.name, kind=kind
                )
            )
    return ImportFileError(
        _("{name} is not a text file (it holds binary data); it cannot be imported.").format(
            name=path.name
        )
    )


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM decides; else UTF-8 when valid; else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16"), "utf-16"  # Excel's "Unicode text"
    else:
        if b"\x00" in data[:65536]:
            raise _not_text(path, data)
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:  # bytes that Windows-1252 leaves undefined
                raise _not_text(path, data) from exc
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch not in "\r\n\t" and unicodedata.category(ch) == "Cc")
    if "\x00" in sample or controls > max(2, len(sample) // 100):
        raise _not_text(path, data)
    return text, encoding


_DELIMITER_LINES = 10


def detect_delimiter_in(lines: list[str]) -> str:
    """The separator of the line that has the most of them (titles above the header have
    none); ties go to the first such line."""
    best_line = max(lines, key=lambda line: _separator_count(line), default="")
    return detect_delimiter(best_line)


def _separator_count(line: str) -> int:
    delimiter = detect_delimiter(line)
    return line.count(delimiter)


def detect_delimiter(header_line: str) -> str:
    """The separator used most often outside quotes in the header line: ``,`` ``;`` or tab."""
    counts = {",": 0, ";": 0, "\t": 0}
    in_quotes = False
    for char in header_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(path: Path, data: bytes) -> SourceTable:
    try:
        text, encoding = decode_text(path, data)
    except UnicodeDecodeError as exc:  # a BOM promised UTF-8 or UTF-16, the bytes are not
        raise ImportFileError(
            _("{name} is damaged: its characters cannot be decoded.").format(name=path.name)
        ) from exc
    if not text.strip():
        raise ImportFileError(_("{name} is empty.").format(name=path.name))
    first_line, _newline, rest = text.lstrip("\r\n").partition("\n")
    skipped_lines = 0
    delimiter = None
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter = first_line.strip()[4]  # Excel's "sep=;" hint line
        text, skipped_lines = rest, 1
    if delimiter is None:
        # A title line above the header may hold no separator: judge the first lines.
        delimiter = detect_delimiter_in(text.lstrip("\r\n").splitlines()[:_DELIMITER_LINES])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    raw: list[RawRow] = []
    try:
        for number, record in enumerate(reader, start=1 + skipped_lines):
            if any(cell.strip() for cell in record):
                raw.append(RawRow(number, tuple(record)))
    except csv.Error as exc:
        raise ImportFileError(
            _("{name} is not a readable CSV file: {reason}").format(name=path.name, reason=exc)
        ) from exc
    if not raw:
        raise ImportFileError(_("{name} is empty.").format(name=path.name))
    header_at = find_header(raw)
    headers = tuple(_header(cell) for cell in raw[header_at].cells[:MAX_COLUMNS])
    rows = tuple(
        SourceRow(row.number, _fit(list(row.cells), len(headers))) for row in raw[header_at + 1 :]
    )
    return SourceTable(
        SourceFormat.CSV,
        headers,
        rows,
        encoding,
        delimiter,
        header_row=raw[header_at].number,
    )


def _header(cell: object) -> str:
    return unicodedata.normalize("NFC", str(cell or "")).strip().lstrip("\ufeff")


def _fit(record: list[str], width: int) -> tuple[str, ...]:
    cells = [cell.strip() for cell in record[:width]]
    return tuple(cells + [""] * (width - len(cells)))


# -- xlsx -------------------------------------------------------------------------------------


def check_xlsx_archive(path: Path) -> None:
    """Refuse files that are no xlsx and archives that would unpack out of proportion.

    Sizes come from the zip directory; Python's zipfile never inflates an entry beyond its
    declared size, so the check holds even against a forged directory.
    """
    not_excel = ImportFileError(
        _("{name} is not an Excel workbook (.xlsx); it cannot be imported.").format(name=path.name)
    )
    if not zipfile.is_zipfile(path):
        raise not_excel
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_excel from exc
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise not_excel
    unpacked = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    if (
        len(entries) > MAX_XLSX_ENTRIES
        or unpacked > MAX_XLSX_UNPACKED_BYTES
        or (unpacked > XLSX_RATIO_CHECKED_ABOVE and unpacked / packed > MAX_XLSX_RATIO)
    ):
        raise ImportFileError(
            _(
                "{name} would unpack to {size} MB, far more than a contact list needs; "
                "it is not imported."
            ).format(name=path.name, size=unpacked // (1024 * 1024))
        )


def _read_xlsx(path: Path, sheet: str | None) -> SourceTable:
    check_xlsx_archive(path)
    from openpyxl import load_workbook  # late: only xlsx imports pay for loading openpyxl

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportFileError(
            _("{name} is a damaged Excel workbook: {reason}").format(name=path.name, reason=exc)
        ) from exc
    try:
        sheets = tuple(workbook.sheetnames)
        if sheet is None:
            if not sheets:
                raise ImportFileError(_("{name} has no sheets.").format(name=path.name))
            chosen = sheets[0]
        else:
            matches = [name for name in sheets if name == sheet] or [
                name for name in sheets if name.casefold() == sheet.casefold()
            ]
            if not matches:
                raise ImportFileError(
                    _("{name} has no sheet “{sheet}”; its sheets are: {sheets}.").format(
                        name=path.name, sheet=sheet, sheets=", ".join(sheets)
                    )
                )
            chosen = matches[0]
        worksheet = workbook[chosen]
        raw: list[RawRow] = []
        try:
            for number, row in enumerate(worksheet.iter_rows(min_row=1), 1):
                read = [_xlsx_cell(cell) for cell in row]
                cells = [text for text, _number in read]
                if any(cells):
                    numbers = frozenset(i for i, (_text, number) in enumerate(read) if number)
                    raw.append(RawRow(number, tuple(cells), numbers))
        except Exception as exc:  # malformed sheet XML
            raise ImportFileError(
                _("{name} is a damaged Excel workbook: {reason}").format(name=path.name, reason=exc)
            ) from exc
    finally:
        workbook.close()
    if not raw:
        raise ImportFileError(
            _("The sheet “{sheet}” in {name} is empty.").format(sheet=chosen, name=path.name)
        )
    header_at = find_header(raw)
    header_cells = list(raw[header_at].cells)
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    headers = tuple(_header(cell) for cell in header_cells[:MAX_COLUMNS])
    rows = tuple(
        SourceRow(row.number, _fit(list(row.cells), len(headers)), row.numbers)
        for row in raw[header_at + 1 :]
        if any(row.cells[: len(headers)])
    )
    return SourceTable(
        SourceFormat.XLSX,
        headers,
        rows,
        sheet=chosen,
        sheets=sheets,
        header_row=raw[header_at].number,
    )


def _xlsx_cell(cell: object) -> tuple[str, bool]:
    """(text, a plain number?) of one cell: numbers with a zero-padding format ("00000",
    "0000 000000") come out as Excel shows them, so postcode 01067 keeps its zero."""
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = zero_padded(value, getattr(cell, "number_format", None) or "")
        if shown is not None:
            return shown, False
        return _cell_text(value), True
    return _cell_text(value), False


_DIGIT_PLACEHOLDERS = frozenset("0#")
_FORMAT_LITERALS = frozenset(" -/()+.")


def zero_padded(value: float, number_format: str) -> str | None:
    """*value* written with a digit pattern such as "00000" or "0000 000000" (the first section
    of the format); None when the format is no such pattern or the value is no whole number.

    ``0`` is a digit shown even when it is a leading zero, ``#`` a digit shown only when
    there is one; spaces, hyphens, slashes and brackets are printed as they are.
    """
    if isinstance(value, float) and not value.is_integer():
        return None
    number = int(value)
    if number < 0:
        return None
    pattern = number_format.split(";")[0].replace("\\", "").replace('"', "")
    if not pattern or "0" not in pattern:
        return None
    if not set(pattern) <= _DIGIT_PLACEHOLDERS | _FORMAT_LITERALS or "." in pattern:
        return None
    if pattern == "0":
        return None  # Excel's plain whole-number format: nothing padded
    digits = list(str(number))
    out: list[str] = []
    for char in reversed(pattern):
        if char in _DIGIT_PLACEHOLDERS:
            if digits:
                out.append(digits.pop())
            elif char == "0":
                out.append("0")
        else:
            out.append(char)
    return ("".join(reversed(digits)) + "".join(reversed(out))).strip(" -/")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).strip()


# -- vCard ------------------------------------------------------------------------------------

VCARD_COLUMNS: tuple[tuple[str, Field | None], ...] = (
    ("FN", Field.FULL_NAME),
    ("N: family name", Field.LAST_NAME),
    ("N: given name", Field.FIRST_NAME),
    ("N: additional names", Field.FIRST_NAME),
    ("N: prefix", Field.SALUTATION),
    ("N: suffix", None),
    ("ORG", Field.ORGANISATION),
    ("TITLE", Field.FUNCTION),
    ("ADR: street", Field.STREET),
    ("ADR: postcode", Field.POSTCODE),
    ("ADR: city", Field.CITY),
    ("ADR: country", Field.COUNTRY),
    ("ADR home: street", Field.HOME_STREET),
    ("ADR home: postcode", Field.HOME_POSTCODE),
    ("ADR home: city", Field.HOME_CITY),
    ("ADR home: country", Field.HOME_COUNTRY),
    ("X-TREFFPUNKT-ORG-ADR: street", Field.ORG_STREET),
    ("X-TREFFPUNKT-ORG-ADR: postcode", Field.ORG_POSTCODE),
    ("X-TREFFPUNKT-ORG-ADR: city", Field.ORG_CITY),
    ("CATEGORIES", Field.GROUPS),
    ("X-TREFFPUNKT-QUARTER", Field.QUARTER),
    ("LANG", Field.LANGUAGE),
    ("NOTE", Field.NOTES),
    # What the card is (KIND:org/group/location), how others name it, whom a group holds.
    ("KIND", Field.KIND),
    ("UID", Field.UID),
    ("MEMBER", Field.MEMBER),
    ("URL", Field.WEBSITE),
)
_KINDS_NOT_PEOPLE = frozenset({"org", "group", "location"})


def _read_vcard(path: Path, data: bytes) -> SourceTable:
    try:
        parsed = vcard.read_vcards(data)
    except vcard.VCardSyntaxError as exc:
        if exc.card and exc.reason.startswith("BEGIN"):
            raise ImportFileError(
                _("{name} ends inside card {card}: the file is incomplete (cut off?).").format(
                    name=path.name, card=exc.card
                )
            ) from exc
        if b"\x00" in data[:65536] or not data.strip():
            raise _not_text(path, data) from exc
        raise ImportFileError(
            _("{name} is not a vCard file; it cannot be imported.").format(name=path.name)
        ) from exc
    cards = parsed.cards
    records = [_card_cells(card) for card in cards]
    emails = max((len(r["EMAIL"]) for r in records), default=0)
    phones = max((len(r["TEL"]) for r in records), default=0)
    columns: list[tuple[str, Field | None]] = list(VCARD_COLUMNS[:8])
    columns += [(f"EMAIL {i}", Field.EMAIL) for i in range(1, emails + 1)]
    columns += [(f"TEL {i}", Field.PHONE) for i in range(1, phones + 1)]
    columns += list(VCARD_COLUMNS[8:])
    # Only columns that some card fills, so the preview stays readable.
    used = [
        (header, target)
        for header, target in columns
        if header == "FN" or any(_cell(r, header) for r in records)
    ]
    rows = tuple(
        SourceRow(card.number, tuple(_cell(record, header) for header, _target in used))
        for card, record in zip(cards, records, strict=True)
    )
    versions = sorted({card.version for card in cards})
    return SourceTable(
        SourceFormat.VCARD,
        tuple(header for header, _target in used),
        rows,
        encoding=vcard.detect_charset(data),
        version=", ".join(versions),
        fixed_mapping=tuple(target for _header, target in used),
        broken=tuple(_broken_card(card) for card in parsed.broken),
    )


def _broken_card(card: vcard.BrokenCard) -> RejectedRow:
    """A card that was not read, as a line of the import report ("card 37: …")."""
    if card.cut_off:
        reason = _("the file ends inside this card (cut off?); it was not imported")
    else:
        reason = _("the card has no END:VCARD (the next card begins first); it was not imported")
    if card.name:
        # Translators: a card that could not be read, with the name it had: "„Ben Berg“: …".
        reason = _("“{name}”: {reason}").format(name=card.name, reason=reason)
    return RejectedRow(card.number, reason)


def _cell(record: dict[str, list[str]], header: str) -> str:
    if header.startswith(("EMAIL ", "TEL ")):
        kind, _space, index = header.partition(" ")
        values = record[kind]
        position = int(index) - 1
        return values[position] if position < len(values) else ""
    values = record.get(header, [])
    if header in ("CATEGORIES", "X-TREFFPUNKT-QUARTER"):
        return join_values(values)
    if header == "MEMBER":
        return "\n".join(values)  # URIs: one per line
    return " ::: ".join(values)


def _card_cells(card: vcard.VCard) -> dict[str, list[str]]:
    """One card as the text of each table column (lists as separate values)."""
    cells: dict[str, list[str]] = {"EMAIL": [], "TEL": []}

    def put(header: str, value: str) -> None:
        if value.strip():
            cells.setdefault(header, []).append(value.strip())

    kind = card.first("KIND")
    is_person = kind is None or kind.value.strip().lower() not in _KINDS_NOT_PEOPLE
    fn = card.first("FN")
    if fn is not None and is_person:
        put("FN", vcard.unescape(fn.value))
    n = card.first("N")
    if n is not None and is_person:
        parts = [*vcard.components(n.value), "", "", "", "", ""][:5]
        for header, value in zip(
            ("N: family name", "N: given name", "N: additional names", "N: prefix", "N: suffix"),
            parts,
            strict=True,
        ):
            put(header, value)
    org = card.first("ORG")
    if org is not None:
        put("ORG", vcard.components(org.value)[0])
    elif fn is not None and not is_person:
        put("ORG", vcard.unescape(fn.value))
    title = card.first("TITLE")
    if title is not None:
        put("TITLE", vcard.unescape(title.value))
    for prop in sorted(card.all("EMAIL"), key=lambda p: p.pref):
        address = vcard.unescape(prop.value).strip()
        put("EMAIL", address[7:] if address.lower().startswith("mailto:") else address)
    for prop in sorted(card.all("TEL"), key=lambda p: p.pref):
        # Fax numbers are no phones; private numbers stay out of the network directory.
        if "fax" in prop.types or ("home" in prop.types and not prop.types & {"work", "cell"}):
            continue
        number = vcard.unescape(prop.value).strip()
        put("TEL", number[4:] if number.lower().startswith("tel:") else number)
    # ADR: post-office box; extended address; street; locality; region; postal code; country.
    # A work (or untyped) address and a home address, each the most preferred of its kind;
    # the importer decides which one the person's letters use.
    addresses = sorted(card.all("ADR"), key=lambda p: p.pref)
    work = [a for a in addresses if "work" in a.types] or [
        a for a in addresses if "home" not in a.types
    ]
    home = [a for a in addresses if "home" in a.types and "work" not in a.types]
    for prefix, found in (("ADR", work), ("ADR home", home)):
        if found:
            parts = [*vcard.components(found[0].value), "", "", "", "", "", "", ""][:7]
            put(f"{prefix}: street", parts[2])
            put(f"{prefix}: city", parts[3])
            put(f"{prefix}: postcode", parts[5])
            put(f"{prefix}: country", parts[6])
    organisation_address = card.first("X-TREFFPUNKT-ORG-ADR")
    if organisation_address is not None:
        parts = [*vcard.components(organisation_address.value), "", "", "", "", "", "", ""][:7]
        put("X-TREFFPUNKT-ORG-ADR: street", parts[2])
        put("X-TREFFPUNKT-ORG-ADR: city", parts[3])
        put("X-TREFFPUNKT-ORG-ADR: postcode", parts[5])
    for prop in card.all("CATEGORIES"):
        for category in vcard.text_list(prop.value, card.version):
            put("CATEGORIES", category)
    for prop in card.all("X-TREFFPUNKT-QUARTER"):
        for quarter in vcard.text_list(prop.value, card.version):
            put("X-TREFFPUNKT-QUARTER", quarter)
    lang = card.first("LANG")
    if lang is not None:
        put("LANG", vcard.unescape(lang.value))
    if kind is not None:
        put("KIND", vcard.unescape(kind.value))
    uid = card.first("UID")
    if uid is not None:
        put("UID", vcard.unescape(uid.value))
    for prop in card.all("MEMBER"):
        put("MEMBER", vcard.unescape(prop.value))
    url = card.first("URL")
    if url is not None:
        put("URL", vcard.unescape(url.value))
    notes = [vcard.unescape(prop.value).strip() for prop in card.all("NOTE")]
    put("NOTE", "\n".join(note for note in notes if note))
    return cells
