"""Text normalisation shared by storage, search and sorting.

SQLite's ``lower()`` and ``LIKE`` fold only ASCII and its ORDER BY puts "Ä" after "Z", so every
searchable or sortable name also gets a folded key computed here in Python.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters that do not decompose into base letter + combining mark but should match their ASCII
# look-alike when searching ("Łukasz" with "lukasz", "Straße" with "strasse").
_SPECIAL_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
    }
)


def nfc(text: str | None) -> str:
    """User input in canonical composed form; decomposed accents render badly in PDFs."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str | None) -> str:
    """Case- and accent-insensitive key: ``fold("Ayşe Müller") == "ayse muller"``.

    German sorting (DIN 5007-1) treats Ä like A, so the same key also sorts names correctly.
    """
    if not text:
        return ""
    if text.isascii():  # most names and addresses: no accents to strip
        return " ".join(text.casefold().split())
    if _SPECIAL_PATTERN.search(text):
        text = text.translate(_SPECIAL_FOLDS)
    stripped = _combining_marks().sub("", unicodedata.normalize("NFKD", text)).casefold()
    if _SPECIAL_PATTERN.search(stripped):
        stripped = stripped.translate(_SPECIAL_FOLDS)
    return " ".join(stripped.split())


# str.translate with a dict looks up every character; a regex search first is much cheaper.
_SPECIAL_PATTERN = re.compile("[" + "".join(chr(code) for code in _SPECIAL_FOLDS) + "]")


@functools.cache
def _combining_marks() -> re.Pattern[str]:
    """A pattern matching every combining mark of the Basic Multilingual Plane."""
    marks = [code for code in range(0x10000) if unicodedata.combining(chr(code))]
    ranges: list[tuple[int, int]] = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return re.compile(
        "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"
    )


def sort_key(*parts: str | None) -> str:
    """A key for German-aware sorting of names: folded parts joined by a low separator."""
    return "\x01".join(fold(part) for part in parts)
