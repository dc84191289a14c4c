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

from reportlab.pdfbase import pdfmetrics
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
            pdfmetrics.registerFont(TTFont(name, str(font_path(FONT_FILES[name]))))
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
    return all(ord(char) in char_to_glyph for char in text if not char.isspace())
