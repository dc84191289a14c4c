"""Strict e-mail addresses and header-safe text.

Everything that ends up in a header comes through here: an address must be exactly one plain
``local@domain`` (no display name, no comments, no list, no CR/LF), and free text for a header
(names, subjects, file names) is squeezed onto one line. That is what keeps CR/LF in a name or a
subject from ever producing an extra header or an extra recipient.

Internationalised domains are turned into their ASCII (IDNA) form so the message stays 7-bit;
non-ASCII local parts would need SMTPUTF8, which many servers lack, so they are refused.
"""

from __future__ import annotations

import re
import unicodedata
from email.utils import parseaddr

from app.errors import InvalidAddressError
from app.i18n import _
from app.text import nfc

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_TLD = re.compile(r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})")
# Characters that never belong in an address, whatever parseaddr thinks of them.
_FORBIDDEN = set(' \t\r\n\v\f,;<>()[]\\"\x00')


def printable(text: str, limit: int = 80) -> str:
    """*text* for an error message: control characters made visible, length capped."""
    shown = "".join(
        f"\\x{ord(ch):02x}" if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text
    )
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _invalid(raw: str) -> InvalidAddressError:
    return InvalidAddressError(
        _("“{address}” is not a valid e-mail address.").format(address=printable(raw))
    )


def normalise_address(raw: str | None) -> str:
    """One valid address as ``local@ascii-domain``; raise ``InvalidAddressError`` otherwise.

    Surrounding blanks are dropped; CR/LF, commas, several addresses, display names and
    anything the strict pattern does not accept are refused.
    """
    if raw is None:
        raise _invalid("")
    text = nfc(raw.strip(" \t"))
    if not text or any(ch in _FORBIDDEN for ch in text) or "@" not in text:
        raise _invalid(raw)
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise _invalid(raw)
    local, _sep, domain = text.rpartition("@")
    if len(local) > 64 or not _LOCAL.fullmatch(local):
        raise _invalid(raw)
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise _invalid(raw) from exc
    if len(ascii_domain) > 253 or not _DOMAIN.fullmatch(ascii_domain):
        raise _invalid(raw)
    if not _TLD.fullmatch(ascii_domain.rsplit(".", 1)[1]):
        raise _invalid(raw)
    address = f"{local}@{ascii_domain}"
    if len(address) > 254:
        raise _invalid(raw)
    # A second opinion from the stdlib parser: it must see exactly this one address.
    name, parsed = parseaddr(address)
    if name or parsed != address:
        raise _invalid(raw)
    return address


def is_valid_address(raw: str | None) -> bool:
    try:
        normalise_address(raw)
    except InvalidAddressError:
        return False
    return True


def address_domain(address: str) -> str:
    return address.rpartition("@")[2]


def single_line(text: str | None) -> str:
    """Header text on one line: every line break and control character becomes a space."""
    if not text:
        return ""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in nfc(text)
    )
    return " ".join(cleaned.split())


def safe_filename(name: str, fallback: str = "file") -> str:
    """A file name safe on Windows: no path parts, reserved characters or reserved names.

    Windows ignores trailing spaces and dots and everything after the first dot when it looks
    for a device name, so "con .eml", "CONIN$.txt", "lpt¹.pdf" and "nul.tar.gz" all open a
    device, not a file: such names get a leading "_". Bidirectional controls (a right-to-left
    override turns "rechnung‮fdp.exe" into what looks like "rechnungexe.pdf") are removed.
    """
    cleaned = "".join(ch for ch in single_line(name) if ch not in BIDI_CONTROLS)
    cleaned = re.sub(r'[<>:"/\\|?*]', "_", cleaned).strip(" .")
    suffix = cleaned.rpartition(".")[2] if "." in cleaned else ""
    if is_reserved_name(cleaned):
        cleaned = "_" + cleaned
    if not cleaned:
        cleaned = fallback
    if len(cleaned) > 120:
        keep = 120 - len(suffix) - 1 if suffix and len(suffix) < 10 else 120
        cleaned = cleaned[:keep].rstrip(" .") + (f".{suffix}" if keep < 120 else "")
    return cleaned


def is_reserved_name(name: str) -> bool:
    """Whether Windows reads *name* (a file name without folder) as a device name."""
    base = name.split(".")[0].rstrip(" .").upper()
    return base in _RESERVED_NAMES


# Unicode's explicit directional formatting characters (LRE … RLO, LRI … PDI, LRM/RLM/ALM).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


_RESERVED_NAMES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    "CLOCK$",
    *(f"{device}{digit}" for device in ("COM", "LPT") for digit in "0123456789¹²³"),
}
