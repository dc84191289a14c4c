"""Text normalisation shared by storage, search and sorting.

SQLite's ``lower()`` and ``LIKE`` fold only ASCII and its ORDER BY puts "Ä" after "Z", so every
searchable or sortable name also gets a folded key computed here in Python.
"""

from __future__ import annotations

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
    text = text.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().translate(_SPECIAL_FOLDS).split())


def sort_key(*parts: str | None) -> str:
    """A key for German-aware sorting of names: folded parts joined by a low separator."""
    return "\x01".join(fold(part) for part in parts)
