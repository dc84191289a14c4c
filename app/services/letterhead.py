"""The letterhead of every document, kept in the settings (``Setting`` key ``letterhead``).

Stored as JSON::

    {"name": "Quartiersmanagement Stahldorf",
     "department": "Fachbereich Soziales", "street": "Hauptstraße 5",
     "postcode": "12345", "city": "Stahldorf", "extra_lines": ["Tel. 0221 4710-100"],
     "address_lines": ["Fachbereich Soziales", "Hauptstraße 5", "12345 Stahldorf", …],
     "logo": "<base64 of the PNG or JPEG file>"}

The structured fields (``LetterheadFields``) are what the settings edit
(``organisation.name``, ``organisation.department``, ``organisation.street``, …);
``address_lines`` is written beside them, composed from them, so older versions and every
document keep printing the same lines. A value written before the fields existed has only
``address_lines``: its lines are read back into fields as well as they can be
(``fields_from_lines``).

The logo bytes live in the database itself, so a backup or a copied database prints the same
letterhead on another computer (a path to a file would not travel). A logo is checked like a
minutes photo (real PNG or JPEG, readable, not a decompression bomb) and kept small, because
it is embedded in every PDF and so in every mail.

Reading is forgiving: a hand-edited or older value (``{"name": "Stadt Krefeld"}``, an
``address`` string with line breaks, a damaged logo) gives the best letterhead it can; only a
value without a name gives ``None`` (no letterhead).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.errors import ValidationError
from app.i18n import _
from app.text import nfc

if TYPE_CHECKING:  # rendering a snapshot needs the Letterhead alone, not the ORM
    from sqlalchemy.orm import Session

    from app.db import Database


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who sends the document: from the settings (name, address lines, optional logo)."""

    name: str
    address_lines: tuple[str, ...] = ()
    logo: bytes | None = None  # PNG or JPEG as stored in the settings


log = logging.getLogger(__name__)

LETTERHEAD_KEY = "letterhead"
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_NAME = 200
MAX_ADDRESS_LINES = 6
MAX_LINE = 200
MAX_POSTCODE = 10
# "47798 Krefeld", "D-47798 Krefeld", "1010 Wien": the line of an address with the town.
_TOWN_LINE = re.compile(r"^(?:[A-Z]{1,2}-)?(?P<postcode>\d{4,5})\s+(?P<city>\S.*)$")
_POSTCODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z -]*$")


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        return ()
    return tuple(line for line in (nfc(str(item)) for item in value) if line)


def _logo(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        log.warning("letterhead logo in the settings is not base64; printing without it")
        return None


def letterhead_from_json(value: Any) -> Letterhead | None:
    """The letterhead from a stored value; None when there is none (or it has no name)."""
    if not isinstance(value, dict):
        return None
    name = nfc(str(value.get("name") or ""))
    if not name:
        return None
    lines = _lines(value.get("address_lines", value.get("address", ())))
    return Letterhead(name=name, address_lines=lines, logo=_logo(value.get("logo")))


def letterhead_to_json(letterhead: Letterhead) -> dict[str, Any]:
    value: dict[str, Any] = {
        "name": letterhead.name,
        "address_lines": list(letterhead.address_lines),
    }
    if letterhead.logo:
        value["logo"] = base64.b64encode(letterhead.logo).decode("ascii")
    return value


@dataclass(frozen=True, slots=True)
class LetterheadFields:
    """The letterhead as the settings edit it: the organisation's name and postal address.

    A letterhead is printed only with a name; the other fields may be filled in any order
    (``treffpunkt settings set organisation.city …`` before the name is fine).
    """

    name: str = ""
    department: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    extra_lines: tuple[str, ...] = ()  # telephone, web site: printed under the address
    logo: bytes | None = None

    def address_lines(self) -> tuple[str, ...]:
        town = " ".join(part for part in (self.postcode, self.city) if part)
        lines = (self.department, self.street, town, *self.extra_lines)
        return tuple(line for line in lines if line)

    def letterhead(self) -> Letterhead | None:
        """What the documents print; None without a name."""
        if not self.name:
            return None
        return Letterhead(name=self.name, address_lines=self.address_lines(), logo=self.logo)

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.address_lines() or self.logo)


def fields_from_lines(name: str, lines: tuple[str, ...], logo: bytes | None) -> LetterheadFields:
    """Fields from free address lines (a value stored before the fields existed).

    The last line that starts with a postcode gives postcode and city; the line before it is
    the street when it holds a number (else the department); earlier lines are the department
    (the first) and further lines, as are lines after the town. Without a town line every
    line is kept as a further line, so nothing printed before is lost.
    """
    town_index = next(
        (index for index in range(len(lines) - 1, -1, -1) if _TOWN_LINE.match(lines[index])),
        None,
    )
    if town_index is None:
        return LetterheadFields(name=name, extra_lines=lines, logo=logo)
    town = _TOWN_LINE.match(lines[town_index])
    assert town is not None
    before, after = list(lines[:town_index]), list(lines[town_index + 1 :])
    street = ""
    if before and any(ch.isdigit() for ch in before[-1]):
        street = before.pop()
    department = before.pop(0) if before else ""
    return LetterheadFields(
        name=name,
        department=department,
        street=street,
        postcode=town["postcode"],
        city=town["city"],
        extra_lines=(*before, *after),
        logo=logo,
    )


def fields_from_json(value: Any) -> LetterheadFields:
    """The stored letterhead as fields (empty fields when nothing is stored)."""
    if not isinstance(value, dict):
        return LetterheadFields()
    name = nfc(str(value.get("name") or ""))
    logo = _logo(value.get("logo"))
    structured = ("department", "street", "postcode", "city", "extra_lines")
    if not any(key in value for key in structured):
        lines = _lines(value.get("address_lines", value.get("address", ())))
        return fields_from_lines(name, lines, logo)
    return LetterheadFields(
        name=name,
        department=nfc(str(value.get("department") or "")),
        street=nfc(str(value.get("street") or "")),
        postcode=nfc(str(value.get("postcode") or "")),
        city=nfc(str(value.get("city") or "")),
        extra_lines=_lines(value.get("extra_lines", ())),
        logo=logo,
    )


def fields_to_json(fields: LetterheadFields) -> dict[str, Any] | None:
    if fields.is_empty:
        return None
    value: dict[str, Any] = {
        "name": fields.name,
        "department": fields.department,
        "street": fields.street,
        "postcode": fields.postcode,
        "city": fields.city,
        "extra_lines": list(fields.extra_lines),
        "address_lines": list(fields.address_lines()),
    }
    if fields.logo:
        value["logo"] = base64.b64encode(fields.logo).decode("ascii")
    return value


def _single_line(text: str, label: str) -> str:
    cleaned = " ".join(nfc(text).split())
    if len(cleaned) > MAX_LINE:
        raise ValidationError(
            _("{field} may be at most {max} characters long.").format(field=label, max=MAX_LINE)
        )
    return cleaned


def check_fields(fields: LetterheadFields, *, name_required: bool = False) -> LetterheadFields:
    """The fields cleaned (NFC, single lines) and checked; raises ValidationError.

    *name_required*: refuse an address without a name (the settings form); the command
    line sets one field at a time and may set the name last.
    """
    name = _single_line(fields.name, _("The organisation's name"))
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("The letterhead name may be at most {max} characters long.").format(max=MAX_NAME)
        )
    postcode = _single_line(fields.postcode, _("The postcode"))
    if postcode and (len(postcode) > MAX_POSTCODE or not _POSTCODE.match(postcode)):
        raise ValidationError(
            _("“{postcode}” is not a postcode (digits, e.g. 47798).").format(postcode=postcode)
        )
    checked = LetterheadFields(
        name=name,
        department=_single_line(fields.department, _("The department")),
        street=_single_line(fields.street, _("The street")),
        postcode=postcode,
        city=_single_line(fields.city, _("The town")),
        extra_lines=_lines(list(fields.extra_lines)),
        logo=fields.logo or None,
    )
    if name_required and not name and not checked.is_empty:
        raise ValidationError(_("The letterhead needs a name."))
    if len(checked.address_lines()) > MAX_ADDRESS_LINES:
        raise ValidationError(
            _("The letterhead address may have at most {max} lines.").format(max=MAX_ADDRESS_LINES)
        )
    if checked.logo is not None:
        logo = check_letterhead(Letterhead("-", (), checked.logo)).logo
        checked = replace(checked, logo=logo)
    return checked


def read_letterhead_fields(session: Session) -> LetterheadFields:
    from app.services.settings import read_setting

    return fields_from_json(read_setting(session, LETTERHEAD_KEY))


def load_letterhead_fields(db: Database) -> LetterheadFields:
    with db.read() as session:
        return read_letterhead_fields(session)


def write_letterhead_fields(
    session: Session, fields: LetterheadFields, *, name_required: bool = False
) -> LetterheadFields:
    """Check and store inside an open write session; returns what was stored."""
    from app.services.settings import write_setting

    checked = check_fields(fields, name_required=name_required)
    write_setting(session, LETTERHEAD_KEY, fields_to_json(checked))
    return checked


def check_letterhead(letterhead: Letterhead) -> Letterhead:
    """The letterhead cleaned (NFC, no empty lines) and checked; raises ValidationError.

    A JPEG logo stored sideways (EXIF orientation) comes back turned upright.
    """
    name = nfc(letterhead.name)
    if not name:
        raise ValidationError(_("The letterhead needs a name."))
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("The letterhead name may be at most {max} characters long.").format(max=MAX_NAME)
        )
    lines = _lines(list(letterhead.address_lines))
    if len(lines) > MAX_ADDRESS_LINES:
        raise ValidationError(
            _("The letterhead address may have at most {max} lines.").format(max=MAX_ADDRESS_LINES)
        )
    if any(len(line) > MAX_LINE for line in lines):
        raise ValidationError(
            _("A line of the letterhead address may be at most {max} characters long.").format(
                max=MAX_LINE
            )
        )
    logo = letterhead.logo or None
    if logo is not None:
        if len(logo) > MAX_LOGO_BYTES:
            raise ValidationError(
                _("The logo is larger than {size} MB; please use a smaller image.").format(
                    size=MAX_LOGO_BYTES // (1024 * 1024)
                )
            )
        # Imported here: Pillow and the photo service are only needed when a logo is saved.
        from app.services.minutes.photos import check_image

        logo = check_image(logo, _("Logo")).data
    return Letterhead(name=name, address_lines=lines, logo=logo)


def read_letterhead(session: Session) -> Letterhead | None:
    from app.services.settings import read_setting

    return letterhead_from_json(read_setting(session, LETTERHEAD_KEY))


def load_letterhead(db: Database) -> Letterhead | None:
    """The letterhead from the settings, or None when none is set up."""
    with db.read() as session:
        return read_letterhead(session)


def save_letterhead(db: Database, letterhead: Letterhead | None) -> Letterhead | None:
    """Check and store the letterhead (``None`` removes it); returns what was stored."""
    from app.services.settings import write_setting

    checked = check_letterhead(letterhead) if letterhead is not None else None
    with db.write() as session:
        write_setting(
            session, LETTERHEAD_KEY, letterhead_to_json(checked) if checked is not None else None
        )
    return checked
