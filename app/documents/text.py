"""User text made safe and printable for ReportLab.

Two entry points, one per ReportLab API:

- ``pdf_text`` for ``Paragraph`` markup: the result is escaped, so ``<img src=…>``, ``<b>offen``,
  ``Müller & Söhne <GmbH>`` and ``Anna <anna@x.de>`` print literally instead of being obeyed,
  swallowed or raising. Line breaks become ``<br/>``.
- ``pdf_plain`` for ``canvas.drawString`` and plain-string table cells, which are never parsed
  as markup and so must *not* be escaped (``&amp;`` would print literally).

Both normalise to NFC (decomposed accents overlap in ReportLab) and prepare right-to-left
script: ReportLab neither joins Arabic letters nor reorders RTL runs, so each line containing
Hebrew or Arabic characters is reshaped into presentation forms (``arabic_reshaper``) and put
into visual order (``python-bidi``); lines without RTL characters are returned untouched.
Limitation: the reordering works per line of *input*; a long RTL paragraph that ReportLab wraps
itself will have its lines in the wrong vertical order (names and short fields are fine).
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from app.text import nfc

if TYPE_CHECKING:
    from arabic_reshaper import ArabicReshaper

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Arabic supplements and presentation forms,
# and the historic RTL blocks of the supplementary planes.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# C0/C1 controls other than tab and line breaks print as boxes or upset the PDF text layer.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")

# DejaVu Sans lacks the single-glyph "Allah" ligature (U+FDF2) that arabic_reshaper uses by
# default; the lam-alef ligatures it keeps are in the font (a test checks the coverage).
_RESHAPER_CONFIG = {"ARABIC LIGATURE ALLAH": False}
_reshaper_lock = threading.Lock()
_reshaper: ArabicReshaper | None = None


def _get_reshaper() -> ArabicReshaper:
    # Built on first RTL text only: most documents have none and skip the import entirely.
    global _reshaper
    with _reshaper_lock:
        if _reshaper is None:
            from arabic_reshaper import ArabicReshaper

            _reshaper = ArabicReshaper(configuration=_RESHAPER_CONFIG)
        return _reshaper


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def visual_line(line: str) -> str:
    """One line in the order it must be drawn: joined Arabic letters, RTL runs reversed.

    The base direction follows the first strong character (Unicode bidi rule P2), so an
    Arabic sentence with a Latin word reads correctly, and a Latin name with an Arabic part
    keeps its Latin order.
    """
    if not _RTL.search(line):
        return line
    from bidi import get_display

    return str(get_display(_get_reshaper().reshape(line)))


def pdf_plain(text: str | None) -> str:
    """User text for ``drawString`` and plain table cells: NFC, RTL shaped, no markup escaping.

    Line breaks are kept as ``"\\n"`` (plain table cells print them as separate lines); tabs
    become spaces and other control characters are dropped.
    """
    text = nfc(text)
    if not text:
        return ""
    text = _CONTROL.sub("", _NEWLINES.sub("\n", text).replace("\t", " "))
    if not _RTL.search(text):
        return text
    return "\n".join(visual_line(line) for line in text.split("\n"))


def escape_markup(text: str) -> str:
    """Same result as ``xml.sax.saxutils.escape`` without importing it.

    ``xml.sax.saxutils`` pulls in ``urllib.request`` and ``http.client`` (~30 ms), a tenth of
    the time a whole sign-in sheet takes; a test checks the two agree.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_text(text: str | None) -> str:
    """User text for ``Paragraph`` markup: NFC, RTL shaped, escaped, ``<br/>`` line breaks.

    Shaping comes before escaping: the bidi algorithm mirrors ``<`` and ``>`` inside RTL runs
    and would turn an already escaped ``&lt;`` into ``;tl&``.
    """
    return escape_markup(pdf_plain(text)).replace("\n", "<br/>")
