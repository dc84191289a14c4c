"""Parsing single cell values: names, salutations, e-mail addresses, phones, languages, lists.

Pure functions on strings, shared by the importer (reading files) and usable by editors.
"""

from __future__ import annotations

import email.utils
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from app.models import Salutation
from app.text import fold, nfc

# Export neutralises cells a spreadsheet would run as a formula by a leading apostrophe;
# importing our own export must give back the original text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_SALUTATIONS: dict[str, Salutation] = {
    **dict.fromkeys(
        ("frau", "fr.", "fr", "mrs", "mrs.", "ms", "ms.", "miss", "madame", "mme", "mme."),
        Salutation.FRAU,
    ),
    **dict.fromkeys(("herr", "hr.", "hr", "mr", "mr.", "monsieur"), Salutation.HERR),
}
_TITLE_WORDS = frozenset(
    {
        "dr",
        "dr.",
        "prof",
        "prof.",
        "pd",
        "priv.-doz.",
        "mag.",
        "ing.",
        "med.",
        "phil.",
        "rer.",
        "nat.",
        "jur.",
        "pol.",
        "oec.",
        "h.c.",
        "habil.",
        "dent.",
        "vet.",
        "theol.",
        "paed.",
        "soc.",
        "apl.",
    }
)
_TITLE_PREFIXES = ("dr.", "prof.", "dipl.")
# Lower-case particles that begin a family name ("Hans-Peter von der Heide").
_NAME_PARTICLES = frozenset(
    {
        "von",
        "van",
        "vom",
        "zu",
        "zur",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "ter",
        "ten",
        "al",
        "el",
        "bin",
        "ibn",
    }
)

_WHITESPACE = re.compile(r"\s+")
_LIST_SEPARATORS = re.compile(r"[;,\n]")
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
_PHONE_SEPARATORS = re.compile(r"[;\n]")
_EMAIL_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]+$")
_DOMAIN_LABEL = re.compile(r"^[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?$")
_NON_DIGITS = re.compile(r"\D")
_LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$")


def strip_neutraliser(value: str) -> str:
    """``"'=SUM(A1)"`` → ``"=SUM(A1)"``: undo the export's formula neutralisation."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


# Zero-width (non-)joiners shape Persian, Arabic and Indic names: format characters to keep.
_KEPT_FORMAT_CHARACTERS = "\u200c\u200d"


def _without_controls(text: str, keep: str = "") -> str:
    if text.isprintable():  # the usual case, checked in C: no control or format characters
        return text
    return "".join(
        ch
        for ch in text
        if ch in keep
        or ch in _KEPT_FORMAT_CHARACTERS
        or unicodedata.category(ch) not in ("Cc", "Cf")
    )


def clean_line(value: str | None) -> str:
    """One-line user text: NFC, no control characters, runs of white space collapsed."""
    if not value:
        return ""
    text = strip_neutraliser(value.strip())
    if not text.isprintable():
        text = _WHITESPACE.sub(" ", _without_controls(_WHITESPACE.sub(" ", text)))
    elif "  " in text:
        text = _WHITESPACE.sub(" ", text)
    return nfc(text)


def clean_text(value: str | None) -> str:
    """Multi-line user text (notes): NFC, Unix line ends, no other control characters."""
    if not value:
        return ""
    text = strip_neutraliser(value.strip()).replace("\r\n", "\n").replace("\r", "\n")
    return nfc(_without_controls(text, keep="\n\t"))


# -- salutations and names --------------------------------------------------------------------


def salutation_of(token: str) -> Salutation | None:
    return _SALUTATIONS.get(token.casefold())


def is_title_word(token: str) -> bool:
    folded = token.casefold()
    return folded in _TITLE_WORDS or folded.startswith(_TITLE_PREFIXES)


def parse_prefix(text: str) -> tuple[Salutation, str]:
    """``"Frau Dr."`` → (FRAU, "Dr."); ``"Mr."`` → (HERR, ""); ``"Prof."`` → (NONE, "Prof.")."""
    salutation = Salutation.NONE
    rest: list[str] = []
    for token in clean_line(text).split():
        found = salutation_of(token)
        if found is not None and salutation is Salutation.NONE:
            salutation = found
        else:
            rest.append(token)
    return salutation, " ".join(rest)


@dataclass(frozen=True, slots=True)
class ParsedName:
    salutation: Salutation
    title: str
    first_name: str
    last_name: str


def split_full_name(text: str) -> ParsedName:
    """Split a name written in one cell.

    "Dr. Ayşe Yılmaz" → title Dr., first Ayşe, last Yılmaz; "Yılmaz, Ayşe" → first Ayşe, last
    Yılmaz; "Frau Hanna von der Heide" → salutation Frau, last "von der Heide". Without other
    clues the last word is the family name (also for names written family-name-first).
    """
    text = clean_line(text)
    if "," in text:
        family, _comma, given = text.partition(",")
        salutation, title, first = _take_prefix(given.split())
        family_salutation, family_title, last = _take_prefix(family.split())
        return ParsedName(
            salutation if salutation is not Salutation.NONE else family_salutation,
            " ".join(part for part in (family_title, title) if part),
            " ".join(first),
            " ".join(last),
        )
    salutation, title, tokens = _take_prefix(text.split())
    if not tokens:
        return ParsedName(salutation, title, "", "")
    if len(tokens) == 1:
        return ParsedName(salutation, title, "", tokens[0])
    split_at = len(tokens) - 1
    for index in range(1, len(tokens) - 1):
        if tokens[index] in _NAME_PARTICLES:  # only lower-case particles: "Van" may be a given name
            split_at = index
            break
    return ParsedName(salutation, title, " ".join(tokens[:split_at]), " ".join(tokens[split_at:]))


def _take_prefix(tokens: list[str]) -> tuple[Salutation, str, list[str]]:
    salutation = Salutation.NONE
    titles: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        # A last word is only a salutation or title when it cannot be a name ("Dr.", "Frau").
        last = index == len(tokens) - 1
        found = salutation_of(token)
        if found is not None and salutation is Salutation.NONE and (not last or len(token) > 2):
            salutation = found
        elif is_title_word(token) and (not last or token.endswith(".")):
            titles.append(token)
        else:
            break
        index += 1
    return salutation, " ".join(titles), tokens[index:]


# -- e-mail addresses ------------------------------------------------------------------------


def is_valid_email(address: str) -> bool:
    """Syntax check that accepts international addresses (IDN domains, UTF-8 local parts)."""
    if len(address) > 254 or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    if not local or len(local) > 64 or not _EMAIL_LOCAL.match(local):
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or any(not _DOMAIN_LABEL.match(label) for label in labels):
        return False
    top = labels[-1]
    return len(top) >= 2 and (top.isalpha() or top.lower().startswith("xn--"))


def split_emails(cell: str) -> list[str]:
    """All addresses in a cell: " ::: "-lists (Google), ``;``/``,``-lists, "Name <a@b.de>".

    Exchange-internal X.500 addresses ("/o=ExchangeLabs/…"), which Outlook exports for
    colleagues, are not e-mail addresses and are dropped.
    """
    cell = clean_line(cell)
    if not cell or cell.lower().startswith("/o="):
        return []
    if "<" in cell and ">" in cell:
        candidates = [address for _name, address in email.utils.getaddresses([cell])]
    else:
        candidates = [
            part for chunk in cell.split(":::") for part in _EMAIL_SEPARATORS.split(chunk)
        ]
    result = []
    for candidate in candidates:
        address = candidate.strip().strip("<>").strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        if address:
            result.append(address)
    return result


def email_key(address: str) -> str:
    """The key PersonEmail.address_key stores (see app.models)."""
    return nfc(address).casefold()


# -- phones, lists, languages -----------------------------------------------------------------


def split_phones(cell: str) -> list[str]:
    """Numbers in a cell, separated by " ::: ", ";" or new lines.

    Not by "/" or ",": "030 / 123456" and "030 1234, App. 5" are one number each.
    """
    cell = strip_neutraliser(cell.strip())
    if not cell:
        return []
    parts = [p for chunk in cell.split(":::") for p in _PHONE_SEPARATORS.split(chunk)]
    return [phone for phone in (clean_line(part) for part in parts) if phone_key(phone)]


def join_values(values: list[str] | tuple[str, ...], separator: str = ", ") -> str:
    """Several names in one cell so that split_list/split_phones give them back unchanged.

    When a name itself holds a separator ("Sport, Spiel & Spaß") the list uses " ::: "
    (as Google does); a single such name gets a trailing " :::" to mark the cell as a list.
    """
    if any(ch in value for value in values for ch in ",;\n"):
        joined = " ::: ".join(values)
        return joined + " :::" if len(values) == 1 else joined
    return separator.join(values)


def phone_key(number: str) -> str:
    """Digits (and a leading plus) only: "+49 30 1234-5" and "+4930 12345" are the same."""
    digits = _NON_DIGITS.sub("", number)
    return ("+" if number.lstrip().startswith("+") else "") + digits if digits else ""


def split_list(cell: str, *, drop_system_groups: bool = False) -> list[str]:
    """Group or quarter names: " ::: " (Google) when present, else ``;``, ``,`` or new lines.

    Google marks its own groups with "* " ("* myContacts", "* starred"); they are not groups
    of the network and are dropped when asked.
    """
    cell = strip_neutraliser(cell.strip())
    if not cell:
        return []
    parts = cell.split(":::") if ":::" in cell else _LIST_SEPARATORS.split(cell)
    names = []
    for part in parts:
        stripped = part.strip()
        if drop_system_groups and stripped.startswith("*"):
            continue
        name = clean_line(stripped)
        if name:
            names.append(name)
    return names


@cache
def _language_names() -> dict[str, str]:
    """Folded language names in German, English and the language itself → ISO 639-1 code."""
    from babel import Locale, UnknownLocaleError

    names: dict[str, str] = {}
    for display in ("en", "de"):
        for code, name in Locale(display).languages.items():
            if len(code) == 2:
                names.setdefault(fold(name), code)
    for code in list(set(names.values())):
        try:
            own = Locale(code).get_language_name(code)
        except (UnknownLocaleError, ValueError):
            continue
        if own:
            names.setdefault(fold(own), code)
    return names


def parse_language(text: str) -> str | None:
    """ "de", "de-DE", "Deutsch", "German", "Türkçe" → ISO code; unknown → None."""
    value = clean_line(text)
    if not value:
        return None
    lowered = value.lower()
    match = _LANGUAGE_CODE.match(lowered)
    if match and match.group(1) in set(_language_names().values()):
        return match.group(1)
    return _language_names().get(fold(value))
