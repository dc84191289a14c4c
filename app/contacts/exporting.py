"""Export people to .csv (German Excel), .xlsx or .vcf (4.0), chosen by the file extension.

Spreadsheet safety: a cell starting with = + - @ tab or CR would run as a formula in Excel or
LibreOffice ("CSV injection"). In CSV such cells get a leading apostrophe (the importer takes it
off again); in xlsx every cell is stored as text, never as a formula.

Files are written atomically: into a temporary file in the same folder, then renamed over the
target, so a crash or a full disk never leaves a half-written export.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select

from app.contacts import vcard
from app.contacts.errors import ExportFileError
from app.contacts.mapping import EXPORT_ADDRESS_HEADERS, EXPORT_HEADERS
from app.contacts.values import FORMULA_TRIGGERS, join_values
from app.db import Database
from app.i18n import N_, _
from app.models import AddressKind, Organisation, Person, Salutation
from app.services.directory import PersonRow, list_people

EXPORT_EXTENSIONS = (".csv", ".xlsx", ".vcf")
SALUTATION_LABELS = {Salutation.FRAU: N_("Ms"), Salutation.HERR: N_("Mr")}


@dataclass(frozen=True, slots=True)
class ExportPerson:
    """One person as exported: the directory row, notes and the postal addresses.

    ``street`` … ``city`` are the organisation's address (vCard: the work address when the
    person has none of their own); ``own_*`` the person's own work address, ``home_*`` their
    private address. Imported again, each lands where it came from
    (``app.contacts.directory_state``).
    """

    row: PersonRow
    notes: str
    street: str
    postcode: str
    city: str
    own_street: str = ""
    own_postcode: str = ""
    own_city: str = ""
    own_country: str = ""
    home_street: str = ""
    home_postcode: str = ""
    home_city: str = ""
    home_country: str = ""

    @property
    def work_address(self) -> tuple[str, str, str, str]:
        """The person's own work address, else the organisation's."""
        if self.own_street or self.own_postcode or self.own_city:
            return (self.own_street, self.own_postcode, self.own_city, self.own_country)
        return (self.street, self.postcode, self.city, "")

    @property
    def other_emails(self) -> tuple[str, ...]:
        return tuple(e for e in self.row.emails if e != self.row.preferred_email)


def salutation_label(salutation: Salutation) -> str:
    label = SALUTATION_LABELS.get(salutation)
    return _(label) if label else ""


def export_people(
    db: Database,
    path: Path | str,
    person_ids: Sequence[int] | None = None,
    *,
    include_archived: bool = False,
) -> int:
    """Write the people (all, or those in *person_ids*) to *path*; returns how many.

    All people means those not archived (unless *include_archived*); ids given are exported
    whether archived or not, in the directory's order (German sorting by last name).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_EXTENSIONS:
        raise ExportFileError(
            _("{name}: Treffpunkt exports .csv, .xlsx and .vcf files only.").format(name=path.name)
        )
    if not path.parent.is_dir():
        raise ExportFileError(_("The folder {folder} does not exist.").format(folder=path.parent))
    people = collect_people(db, person_ids, include_archived=include_archived)
    if suffix == ".csv":
        data = csv_bytes(people)
    elif suffix == ".xlsx":
        data = xlsx_bytes(people)
    else:
        data = vcf_bytes(people)
    write_atomically(path, data)
    return len(people)


def collect_people(
    db: Database, person_ids: Sequence[int] | None, *, include_archived: bool = False
) -> list[ExportPerson]:
    rows = list_people(db, include_archived=include_archived or person_ids is not None)
    if person_ids is not None:
        wanted = set(person_ids)
        rows = [row for row in rows if row.id in wanted]
    with db.read() as session:
        notes = {pid: text for pid, text in session.execute(select(Person.id, Person.notes))}
        own = {
            pid: (street, postcode, city, country, kind is AddressKind.PRIVATE)
            for pid, street, postcode, city, country, kind in session.execute(
                select(
                    Person.id,
                    Person.street,
                    Person.postcode,
                    Person.city,
                    Person.country,
                    Person.address_kind,
                ).where(or_(Person.street != "", Person.postcode != "", Person.city != ""))
            )
        }
        addresses = {
            org_id: (street, postcode, city)
            for org_id, street, postcode, city in session.execute(
                select(
                    Organisation.id,
                    Organisation.street,
                    Organisation.postcode,
                    Organisation.city,
                )
            )
        }
    result = []
    for row in rows:
        organisation = addresses.get(row.organisation_id or -1, ("", "", ""))
        work: tuple[str, ...] = ("", "", "", "")
        home: tuple[str, ...] = ("", "", "", "")
        if row.id in own:
            *parts, private = own[row.id]
            if private:
                home = tuple(parts)
            else:
                work = tuple(parts)
        result.append(ExportPerson(row, notes.get(row.id, ""), *organisation, *work, *home))
    return result


def headers() -> list[str]:
    """The column headers in the current language (German in German Excel)."""
    return [_(header) for header, _field in (*EXPORT_HEADERS, *EXPORT_ADDRESS_HEADERS)]


def table_rows(people: Sequence[ExportPerson]) -> list[list[str]]:
    return [
        [
            salutation_label(p.row.salutation),
            p.row.title,
            p.row.first_name,
            p.row.last_name,
            p.row.organisation or "",
            p.row.function,
            p.row.preferred_email or "",
            join_values(p.other_emails),
            join_values(p.row.phones, "; "),
            join_values(p.row.groups),
            join_values(p.row.quarters),
            p.row.preferred_language,
            p.notes,
            p.own_street,
            p.own_postcode,
            p.own_city,
            p.own_country,
            p.home_street,
            p.home_postcode,
            p.home_city,
            p.home_country,
            p.street,
            p.postcode,
            p.city,
        ]
        for p in people
    ]


def neutralise(value: str) -> str:
    """ "=HYPERLINK(…)" → "'=HYPERLINK(…)": shown as text, never run, by spreadsheets."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def csv_bytes(people: Sequence[ExportPerson]) -> bytes:
    """UTF-8 with BOM and semicolons: what German Excel opens correctly by double-click."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    writer.writerows([[neutralise(cell) for cell in row] for row in table_rows(people)])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(people: Sequence[ExportPerson]) -> bytes:
    from openpyxl import Workbook  # late: loading openpyxl costs time at start-up
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Contacts")[:31]
    rows = [headers(), *table_rows(people)]
    widths = [10] * len(rows[0])
    for row_index, values in enumerate(rows, start=1):
        for column_index, value in enumerate(values, start=1):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_index, column=column_index)
            cell.value = text
            # openpyxl turns every string starting with "=" into a formula: force text.
            cell.data_type = "s"
            if text.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True  # stays text when the user edits the cell in Excel
            if row_index == 1:
                cell.font = Font(bold=True)
            widths[column_index - 1] = min(50, max(widths[column_index - 1], len(text) + 2))
    for column_index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column_index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def vcf_bytes(people: Sequence[ExportPerson]) -> bytes:
    return "".join(vcard.format_card(_card_lines(p)) for p in people).encode("utf-8")


def _card_lines(person: ExportPerson) -> list[str]:
    row = person.row
    esc = vcard.escape_text
    prefix = " ".join(part for part in (salutation_label(row.salutation), row.title) if part)
    lines = [
        vcard.content_line("FN", esc(row.name)),
        vcard.content_line(
            "N", ";".join(esc(part) for part in (row.last_name, row.first_name, "", prefix, ""))
        ),
    ]
    if row.organisation:
        lines.append(vcard.content_line("ORG", esc(row.organisation)))
    if row.function:
        lines.append(vcard.content_line("TITLE", esc(row.function)))
    if row.preferred_email:
        lines.append(vcard.content_line("EMAIL", esc(row.preferred_email), [("PREF", "1")]))
    lines += [vcard.content_line("EMAIL", esc(address)) for address in person.other_emails]
    lines += [vcard.content_line("TEL", esc(number), [("VALUE", "text")]) for number in row.phones]
    for kind, (street, postcode, city, country) in (
        ("work", person.work_address),
        ("home", (person.home_street, person.home_postcode, person.home_city, person.home_country)),
    ):
        if street or postcode or city:
            address = ";".join(esc(part) for part in ("", "", street, city, "", postcode, country))
            lines.append(vcard.content_line("ADR", address, [("TYPE", kind)]))
    if (person.own_street or person.own_postcode or person.own_city) and (
        person.street or person.postcode or person.city
    ):
        # The organisation's address beside the person's own work address, so that an
        # import puts each back where it came from.
        address = ";".join(
            esc(part) for part in ("", "", person.street, person.city, "", person.postcode, "")
        )
        lines.append(vcard.content_line("X-TREFFPUNKT-ORG-ADR", address))
    if row.groups:
        lines.append(vcard.content_line("CATEGORIES", ",".join(esc(g) for g in row.groups)))
    if row.quarters:
        lines.append(
            vcard.content_line("X-TREFFPUNKT-QUARTER", ",".join(esc(q) for q in row.quarters))
        )
    if row.preferred_language:
        lines.append(vcard.content_line("LANG", esc(row.preferred_language)))
    if person.notes:
        lines.append(vcard.content_line("NOTE", esc(person.notes)))
    return lines


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file in the target folder, flushed to disk, then renamed over *path*.

    The temporary file is created private (0600 on POSIX) and keeps that mode: an export
    holds personal data.
    """
    temporary: Path | None = None
    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ExportFileError(
            _("{name} cannot be written ({reason}). Is it open in another program?").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from exc
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
