"""Rows and cards that describe no person: an organisation, a group, a place.

Many partners are reached through a functional address (info@verein.de) with nobody named. An
Outlook, Excel or Google row with a company and an address or phone but no person, and a vCard
with ``KIND:org``, become an organisation with that address; ``KIND:group`` a group (with its
``MEMBER``s where they can be found), ``KIND:location`` a venue. No database here: plain,
validated records for planning, like ``records.ContactRecord``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from app.contacts.errors import RejectedRow
from app.contacts.fields import Field, field_label
from app.contacts.values import (
    clean_text,
    email_key,
    is_valid_email,
    split_emails,
    split_list,
    split_phones,
)
from app.i18n import _


class EntityKind(enum.StrEnum):
    ORGANISATION = "organisation"
    GROUP = "group"
    VENUE = "venue"


# vCard KIND values (RFC 6350 6.1.4, case-insensitive) → what is imported.
KIND_VALUES = {
    "org": EntityKind.ORGANISATION,
    "organization": EntityKind.ORGANISATION,
    "group": EntityKind.GROUP,
    "location": EntityKind.VENUE,
}
# Column sizes of app.models (organisations and venues).
_NAME_LIMITS = {EntityKind.ORGANISATION: 300, EntityKind.GROUP: 120, EntityKind.VENUE: 200}
_LIMITS = {
    "email": (Field.EMAIL, 320),
    "phone": (Field.PHONE, 60),
    "street": (Field.STREET, 200),
    "postcode": (Field.POSTCODE, 20),
    "city": (Field.CITY, 120),
}


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An organisation, group or venue from one row or card."""

    row: int
    kind: EntityKind
    name: str
    email: str = ""  # organisations: the functional address
    phone: str = ""
    website: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    quarters: tuple[str, ...] = ()
    notes: str = ""
    members: tuple[str, ...] = ()  # groups: "mailto:…" or card UIDs, as written
    extra_emails: tuple[str, ...] = ()  # further addresses of an organisation (kept in notes)


Line = Callable[[Field], str]


def entity_kind(cells: dict[Field, list[str]]) -> EntityKind | None:
    """What a vCard's KIND says this card is, or None for a person (no KIND, "individual")."""
    for value in cells.get(Field.KIND, []):
        found = KIND_VALUES.get(value.strip().lower())
        if found is not None:
            return found
    return None


def has_organisation_data(cells: dict[Field, list[str]]) -> bool:
    """A row without a person but with a company and a way to reach it."""
    reach = (Field.EMAIL, Field.PHONE, Field.STREET, Field.CITY)
    return bool(cells.get(Field.ORGANISATION)) and any(cells.get(f) for f in reach)


def build_entity(
    number: int, kind: EntityKind, cells: dict[Field, list[str]], line: Line
) -> EntityRecord | RejectedRow:
    """The organisation, group or venue of one row; its name comes from the organisation
    column (a vCard's FN or ORG), for a card without one from the full name."""
    name = line(Field.ORGANISATION) or line(Field.FULL_NAME)
    if not name:
        return RejectedRow(number, _("no name"))
    emails: list[str] = []
    for cell in cells.get(Field.EMAIL, []):
        for address in split_emails(cell):
            if not is_valid_email(address):
                return RejectedRow(
                    number, _('invalid e-mail address "{address}"').format(address=address)
                )
            if email_key(address) not in {email_key(e) for e in emails}:
                emails.append(address)
    phones = [p for cell in cells.get(Field.PHONE, []) for p in split_phones(cell)]
    members = tuple(
        member.strip()
        for cell in cells.get(Field.MEMBER, [])
        for member in cell.splitlines()
        if member.strip()
    )
    record = EntityRecord(
        row=number,
        kind=kind,
        name=name,
        email=emails[0] if emails else "",
        phone=phones[0] if phones else "",
        website=line(Field.WEBSITE),
        street=line(Field.STREET),
        postcode=line(Field.POSTCODE),
        city=line(Field.CITY),
        quarters=tuple(q for cell in cells.get(Field.QUARTER, []) for q in split_list(cell)),
        notes="\n".join(clean_text(c) for c in cells.get(Field.NOTES, []) if clean_text(c)),
        members=members if kind is EntityKind.GROUP else (),
        extra_emails=tuple(emails[1:]),
    )
    limits = {"name": (Field.ORGANISATION, _NAME_LIMITS[kind]), **_LIMITS}
    for attribute, (target, limit) in limits.items():
        if len(getattr(record, attribute)) > limit:
            return RejectedRow(
                number,
                _("{field} is longer than {limit} characters").format(
                    field=field_label(target), limit=limit
                ),
            )
    return record
