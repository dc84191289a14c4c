"""One source row + the column mapping → a clean, validated contact (or the reason it is not).

No database here: the result is plain data for planning the import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.contacts.entity_records import (
    EntityKind,
    EntityRecord,
    build_entity,
    entity_kind,
    has_organisation_data,
)
from app.contacts.errors import RejectedRow
from app.contacts.fields import Field, field_label
from app.contacts.reading import SourceRow
from app.contacts.values import (
    clean_line,
    clean_text,
    email_key,
    is_valid_email,
    parse_language,
    parse_prefix,
    phone_key,
    split_emails,
    split_full_name,
    split_list,
    split_phones,
)
from app.i18n import _
from app.models import Salutation
from app.text import sort_key

# Column sizes of app.models; longer values are refused rather than silently cut.
MAX_LENGTHS: dict[Field, int] = {
    Field.TITLE: 60,
    Field.FIRST_NAME: 120,
    Field.LAST_NAME: 120,
    Field.ORGANISATION: 300,
    Field.FUNCTION: 200,
    Field.EMAIL: 254,
    Field.PHONE: 60,
    Field.STREET: 200,
    Field.POSTCODE: 20,
    Field.CITY: 120,
    Field.COUNTRY: 80,
    Field.HOME_STREET: 200,
    Field.HOME_POSTCODE: 20,
    Field.HOME_CITY: 120,
    Field.HOME_COUNTRY: 80,
    Field.ORG_STREET: 200,
    Field.ORG_POSTCODE: 20,
    Field.ORG_CITY: 120,
    Field.GROUPS: 120,
    Field.QUARTER: 120,
}
# How several columns mapped to one single-value field are joined ("Vorname" + "Weitere
# Vornamen" → "Anna Maria").
_JOINERS = {Field.NOTES: "\n", Field.FUNCTION: ", ", Field.ORGANISATION: ", "}


@dataclass(frozen=True, slots=True)
class ContactRecord:
    row: int
    salutation: Salutation
    title: str
    first_name: str
    last_name: str
    organisation: str
    function: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    groups: tuple[str, ...]
    quarters: tuple[str, ...]
    notes: str
    language: str | None  # None: the file says nothing (the person keeps or gets "de")
    street: str  # the work address (see fields.Field.STREET)
    postcode: str
    city: str
    # Matching keys, computed once here rather than on every planning pass.
    name_key: str  # as Person.name_key: sort_key(last_name, first_name)
    email_keys: tuple[str, ...]  # as PersonEmail.address_key, in the order of emails
    country: str = ""
    home_street: str = ""  # the private address
    home_postcode: str = ""
    home_city: str = ""
    home_country: str = ""
    org_street: str = ""  # the organisation's address (Treffpunkt's export)
    org_postcode: str = ""
    org_city: str = ""

    @property
    def has_work_address(self) -> bool:
        return bool(self.street or self.postcode or self.city)

    @property
    def has_home_address(self) -> bool:
        return bool(self.home_street or self.home_postcode or self.home_city)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


def _unique(values: list[str], key: object = str.casefold) -> tuple[str, ...]:
    seen: set[str] = set()
    result = []
    for value in values:
        k = key(value)  # type: ignore[operator]
        if k and k not in seen:
            seen.add(k)
            result.append(value)
    return tuple(result)


def build_record(
    row: SourceRow, mapping: Sequence[Field | None]
) -> ContactRecord | EntityRecord | RejectedRow:
    """Validate and normalise one row; a RejectedRow says why it cannot be imported.

    A vCard with ``KIND:org``/``group``/``location``, and a row with a company and an address
    or phone but no person, describe no person: they become an ``EntityRecord``.
    """
    cells: dict[Field, list[str]] = {}
    for target, cell in zip(mapping, row.cells, strict=False):
        if target is not None and cell.strip():
            cells.setdefault(target, []).append(cell)

    def line(target: Field) -> str:
        values = [clean_line(cell) for cell in cells.get(target, [])]
        return _JOINERS.get(target, " ").join(v for v in values if v)

    kind = entity_kind(cells)
    if kind is not None:
        return build_entity(row.number, kind, cells, line)

    salutation, title_parts = Salutation.NONE, []
    for target in (Field.SALUTATION, Field.TITLE):
        for cell in cells.get(target, []):
            found, rest = parse_prefix(cell)
            if found is not Salutation.NONE and salutation is Salutation.NONE:
                salutation = found
            if rest and rest not in title_parts:
                title_parts.append(rest)
    first_name, last_name = line(Field.FIRST_NAME), line(Field.LAST_NAME)
    if not first_name and not last_name and Field.FULL_NAME in cells:
        parsed = split_full_name(line(Field.FULL_NAME))
        first_name, last_name = parsed.first_name, parsed.last_name
        if salutation is Salutation.NONE:
            salutation = parsed.salutation
        if parsed.title and parsed.title not in title_parts:
            title_parts.append(parsed.title)
    if not last_name:  # one-name people ("Ayşe"): the name is what the list sorts by
        first_name, last_name = "", first_name
    if not last_name:
        if has_organisation_data(cells):  # info@verein.de, nobody named: the organisation
            return build_entity(row.number, EntityKind.ORGANISATION, cells, line)
        return RejectedRow(row.number, _("no name"))

    emails: list[str] = []
    for cell in cells.get(Field.EMAIL, []):
        for address in split_emails(cell):
            if not is_valid_email(address):
                return RejectedRow(
                    row.number, _('invalid e-mail address "{address}"').format(address=address)
                )
            emails.append(address)
    language = None
    for cell in cells.get(Field.LANGUAGE, []):
        language = language or parse_language(cell)

    unique_emails = _unique(emails, email_key)
    postal = {
        "street": line(Field.STREET),
        "postcode": line(Field.POSTCODE),
        "city": line(Field.CITY),
        "country": line(Field.COUNTRY),
        "home_street": line(Field.HOME_STREET),
        "home_postcode": line(Field.HOME_POSTCODE),
        "home_city": line(Field.HOME_CITY),
        "home_country": line(Field.HOME_COUNTRY),
        "org_street": line(Field.ORG_STREET),
        "org_postcode": line(Field.ORG_POSTCODE),
        "org_city": line(Field.ORG_CITY),
    }
    if _is_home(line(Field.ADDRESS_TYPE)) and not postal["home_street"]:
        # Google: "Address 1 - Type" says whose address the row's address columns hold.
        for part in ("street", "postcode", "city", "country"):
            postal[f"home_{part}"], postal[part] = postal[part], ""
    record = ContactRecord(
        row=row.number,
        salutation=salutation,
        title=" ".join(title_parts),
        first_name=first_name,
        last_name=last_name,
        organisation=line(Field.ORGANISATION),
        function=line(Field.FUNCTION),
        emails=unique_emails,
        phones=_unique([p for c in cells.get(Field.PHONE, []) for p in split_phones(c)], phone_key),
        groups=_unique(
            [g for c in cells.get(Field.GROUPS, []) for g in split_list(c, drop_system_groups=True)]
        ),
        quarters=_unique([q for c in cells.get(Field.QUARTER, []) for q in split_list(c)]),
        notes="\n".join(clean_text(c) for c in cells.get(Field.NOTES, []) if clean_text(c)),
        language=language,
        name_key=sort_key(last_name, first_name),
        email_keys=tuple(email_key(email) for email in unique_emails),
        **postal,
    )
    too_long = _too_long(record)
    if too_long is not None:
        return RejectedRow(
            row.number,
            _("{field} is longer than {limit} characters").format(
                field=field_label(too_long), limit=MAX_LENGTHS[too_long]
            ),
        )
    return record


def _too_long(record: ContactRecord) -> Field | None:
    values: dict[Field, Sequence[str]] = {
        Field.TITLE: [record.title],
        Field.FIRST_NAME: [record.first_name],
        Field.LAST_NAME: [record.last_name],
        Field.ORGANISATION: [record.organisation],
        Field.FUNCTION: [record.function],
        Field.EMAIL: record.emails,
        Field.PHONE: record.phones,
        Field.STREET: [record.street],
        Field.POSTCODE: [record.postcode],
        Field.CITY: [record.city],
        Field.COUNTRY: [record.country],
        Field.HOME_STREET: [record.home_street],
        Field.HOME_POSTCODE: [record.home_postcode],
        Field.HOME_CITY: [record.home_city],
        Field.HOME_COUNTRY: [record.home_country],
        Field.ORG_STREET: [record.org_street],
        Field.ORG_POSTCODE: [record.org_postcode],
        Field.ORG_CITY: [record.org_city],
        Field.GROUPS: record.groups,
        Field.QUARTER: record.quarters,
    }
    for target, texts in values.items():
        if any(len(text) > MAX_LENGTHS[target] for text in texts):
            return target
    return None


_HOME_TYPES = frozenset({"home", "privat", "private", "zuhause", "wohnung"})


def _is_home(text: str) -> bool:
    """Google writes "Home", "* Home" or "Home ::: Work" (the first one counts)."""
    first = text.split(":::")[0].replace("*", " ").strip().casefold()
    return first in _HOME_TYPES
