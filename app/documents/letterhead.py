"""The letterhead of every document, kept in the settings (``Setting`` key ``letterhead``).

Stored as JSON::

    {"name": "Quartiersmanagement Stahldorf",
     "address_lines": ["Hauptstraße 5", "12345 Stahldorf"],
     "logo": "<base64 of the PNG or JPEG file>"}

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
from typing import Any

from sqlalchemy.orm import Session

from app.db import Database
from app.documents.base import Letterhead
from app.errors import ValidationError
from app.i18n import _
from app.services.settings import read_setting, write_setting
from app.text import nfc

log = logging.getLogger(__name__)

LETTERHEAD_KEY = "letterhead"
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_NAME = 200
MAX_ADDRESS_LINES = 6
MAX_LINE = 200


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
    return letterhead_from_json(read_setting(session, LETTERHEAD_KEY))


def load_letterhead(db: Database) -> Letterhead | None:
    """The letterhead from the settings, or None when none is set up."""
    with db.read() as session:
        return read_letterhead(session)


def save_letterhead(db: Database, letterhead: Letterhead | None) -> Letterhead | None:
    """Check and store the letterhead (``None`` removes it); returns what was stored."""
    checked = check_letterhead(letterhead) if letterhead is not None else None
    with db.write() as session:
        write_setting(
            session, LETTERHEAD_KEY, letterhead_to_json(checked) if checked is not None else None
        )
    return checked
