"""The one font family of every Treffpunkt PDF: DejaVu Sans, shipped in ``resources/fonts``.

ReportLab's built-in Helvetica has no ş, ı, Ł, Vietnamese, Cyrillic or Arabic glyphs, so every
document registers this TTF family (Bitstream Vera licence, ``LICENSE-DejaVu.txt``) and uses
only these names. Registration is idempotent and thread-safe: PDFs render in worker threads.

The oblique faces have **no Arabic glyphs**; never set user text in italics (the stylesheet in
``base.py`` has no italic style for that reason). They are loaded only on request because each
face costs ~12 ms to parse, a noticeable share of a small document.
"""

from __future__ import annotations

import threading
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import font_path

FAMILY = "TreffpunktSans"
REGULAR = "TreffpunktSans"
BOLD = "TreffpunktSans-Bold"
ITALIC = "TreffpunktSans-Oblique"
BOLD_ITALIC = "TreffpunktSans-BoldOblique"

FONT_FILES: dict[str, str] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()
_registered: set[str] = set()


def _utf16_hex(code: int) -> str:
    """A code point as the UTF-16BE hex string a ToUnicode CMap needs (a surrogate pair
    beyond the Basic Multilingual Plane)."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ``makeToUnicodeCMap`` with correct entries beyond U+FFFF.

    ReportLab writes every code point as ``<%04X>``: 😀 (U+1F600) becomes ``<1F600>``, five
    hex digits, which readers take as U+1F60 ("ὠ") and a stray nibble, so ``pdftotext`` gave
    back the wrong text. The destination must be UTF-16BE: ``<D83DDE00>``.
    """
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


# ``TTFont.addObjects`` looks the function up in its module at run time: replacing it there
# fixes every subset ReportLab writes (a test reads 😀 back with pdftotext).
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class _Font(TTFont):
    """DejaVu Sans that keeps characters it has no glyph for in the text layer.

    ReportLab sends every character missing from the font to code 0 of the first subset, so
    a 👍 or a rare CJK character (𠮷) came back from ``pdftotext`` as whatever code 0 stands
    for. Here each missing character gets a code of its own, drawn with the font's
    "missing glyph" box and mapped to the right character in the ToUnicode table: the page
    shows a box (DejaVu has no such glyph, and no font that has them all is small enough to
    ship), copying and searching give back what was typed.
    """

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> Any:
        if isinstance(text, str):
            char_to_glyph = self.face.charToGlyph
            for char in set(text):
                code = ord(char)
                if code not in char_to_glyph and code > 0x20 and char.isprintable():
                    char_to_glyph[code] = 0  # the missing-glyph box, under its own code
        return super().splitString(text, doc, encoding)


def register_fonts(*, italic: bool = False) -> None:
    """Register the family (regular and bold; with ``italic=True`` also the oblique faces).

    Until the oblique faces are registered, ``<i>`` in paragraph markup maps to the upright
    faces, so markup never fails; it just is not slanted.
    """
    wanted = [REGULAR, BOLD] + ([ITALIC, BOLD_ITALIC] if italic else [])
    if all(name in _registered for name in wanted):
        return
    with _lock:
        missing = [name for name in wanted if name not in _registered]
        if not missing:
            return
        for name in missing:
            pdfmetrics.registerFont(_Font(name, str(font_path(FONT_FILES[name]))))
        has_italic = ITALIC in _registered or ITALIC in missing
        pdfmetrics.registerFontFamily(
            FAMILY,
            normal=REGULAR,
            bold=BOLD,
            italic=ITALIC if has_italic else REGULAR,
            boldItalic=BOLD_ITALIC if has_italic else BOLD,
        )
        # Published last: another thread skips the lock only once the family is complete.
        _registered.update(missing)


def covers(text: str, font_name: str = REGULAR) -> bool:
    """Whether every character of *text* has a glyph in the font (used by tests and checks)."""
    register_fonts(italic=font_name in (ITALIC, BOLD_ITALIC))
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = font.face.charToGlyph
    return all(char_to_glyph.get(ord(char)) for char in text if not char.isspace())
