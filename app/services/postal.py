"""Postal addresses: which one a letter uses, whether it is usable, and its DIN 5008 lines.

A person may have an address of their own (``Person.street`` … ``country``, marked as their
work or private address) beside their organisation's. A letter goes to the person's own
address when it is usable, else to the organisation's; ``letter_address`` decides, and every
caller (letters, ``contacts list --json``, the list of people without an address) asks it.

Usable: a street and a town, and for Germany a five-digit postcode; abroad the postcode is
free (some countries have none). An empty country means Germany.

No database and no Qt here: plain values in, frozen values out.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from app.text import fold, nfc

_GERMAN_POSTCODE = re.compile(r"\d{5}")
# What people type for Germany in the country field (folded: case and accents ignored).
_GERMANY = frozenset({"", "d", "de", "deu", "deutschland", "germany", "brd", "allemagne"})


class AddressSource(enum.StrEnum):
    """Where the address a letter uses comes from (English identifiers, as in the JSON)."""

    WORK = "work"  # the person's own work address
    PRIVATE = "private"  # the person's private address
    ORGANISATION = "organisation"  # the organisation's address


@dataclass(frozen=True, slots=True)
class AddressParts:
    """The fields of one postal address as typed (NFC, trimmed)."""

    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""

    @classmethod
    def of(cls, street: str, postcode: str, city: str, country: str = "") -> AddressParts:
        return cls(nfc(street), nfc(postcode), nfc(city), nfc(country))

    @property
    def empty(self) -> bool:
        return not (self.street or self.postcode or self.city or self.country)


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """The address a letter is sent to."""

    street: str
    postcode: str
    city: str
    country: str  # "" for Germany
    source: AddressSource
    organisation: str = ""  # the organisation line above the name (not on private addresses)

    @property
    def town(self) -> str:
        """ "47798 Krefeld"."""
        return " ".join(part for part in (self.postcode, self.city) if part)

    @property
    def abroad(self) -> bool:
        return not is_germany(self.country)

    def as_json(self) -> dict[str, str]:
        return {
            "street": self.street,
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
            "source": self.source.value,
        }


def is_germany(country: str) -> bool:
    return fold(nfc(country)).replace(".", "").strip() in _GERMANY


def valid_postcode(postcode: str, country: str = "") -> bool:
    """German postcodes have five digits; elsewhere any postcode (or none) is accepted."""
    postcode = nfc(postcode)
    if not is_germany(country):
        return True
    return bool(_GERMAN_POSTCODE.fullmatch(postcode))


def is_usable(parts: AddressParts) -> bool:
    """Enough to deliver a letter: street, town and, in Germany, a valid postcode."""
    if not (parts.street and parts.city):
        return False
    if is_germany(parts.country):
        return valid_postcode(parts.postcode, parts.country)
    return True


def letter_address(
    own: AddressParts,
    own_is_private: bool,
    organisation_name: str = "",
    organisation_address: AddressParts | None = None,
) -> PostalAddress | None:
    """The address a letter to a person uses: their own if usable, else their organisation's.

    A private address carries no organisation line (the letter goes to the person's home);
    a work address or the organisation's does.
    """
    organisation_name = nfc(organisation_name)
    if is_usable(own):
        source = AddressSource.PRIVATE if own_is_private else AddressSource.WORK
        return PostalAddress(
            street=own.street,
            postcode=own.postcode,
            city=own.city,
            country="" if is_germany(own.country) else own.country,
            source=source,
            organisation="" if own_is_private else organisation_name,
        )
    if organisation_address is not None and is_usable(organisation_address):
        return PostalAddress(
            street=organisation_address.street,
            postcode=organisation_address.postcode,
            city=organisation_address.city,
            country=""
            if is_germany(organisation_address.country)
            else organisation_address.country,
            source=AddressSource.ORGANISATION,
            organisation=organisation_name,
        )
    return None


def recipient_lines(address: PostalAddress, name_line: str) -> tuple[str, ...]:
    """The address block of a letter (DIN 5008): organisation, name, street, town, country.

    *name_line* is "Frau Dr. Ayşe Yılmaz" (salutation, title, name). A foreign country is
    the last line, in capitals, as the Deutsche Post asks.
    """
    lines = [address.organisation, nfc(name_line), address.street, address.town]
    if address.abroad:
        lines.append(address.country.upper())
    return tuple(line for line in lines if line)
