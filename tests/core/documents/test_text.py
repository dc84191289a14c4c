"""User text for ReportLab: NFC, Arabic shaping and bidi order, markup escaping, font coverage."""

from __future__ import annotations

import threading
import unicodedata
from xml.sax.saxutils import escape

import pytest
from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from app.documents import fonts
from app.documents.text import escape_markup, has_rtl, pdf_plain, pdf_text, visual_line

ARABIC_PRESENTATION_FORMS = range(0xFB50, 0xFEFF)

# Every script the network's names come in, plus what the sign-in sheet prints itself.
SCRIPTS = {
    "german": "Jürgen Müller-Weiß, Straße, ÄÖÜ äöü ẞ „Zitat“ – …",
    "turkish": "Ayşe Yılmaz, İpek Şahin, Ğ ğ Ç ç",
    "polish": "Łukasz Żółć, Ą ą Ę ę Ś ś Ń ń Ź ź",
    "vietnamese": "Nguyễn Thị Minh Khai, Trần Đức Ưng, Phạm Ỷ",
    "cyrillic": "Олександр Шевченко, Ёлка, Її",
    "arabic": "محمد عبد الله",
    "boxes": "☐",
}


@pytest.mark.parametrize(
    "text",
    [
        "<img src='/etc/passwd'>",
        "<b>offen",
        "Müller & Söhne <GmbH>",
        "Anna <anna@x.de>",
        "a<b",
        "<font size=40>Riesig</font>",
        "&amp; schon escaped",
        '<a href="http://x">x</a>',
    ],
)
def test_markup_like_text_prints_literally_in_a_paragraph(text: str) -> None:
    fonts.register_fonts()
    paragraph = Paragraph(pdf_text(text), ParagraphStyle("t", fontName=fonts.REGULAR))
    paragraph.wrap(500, 100)
    assert paragraph.getPlainText() == text


def test_escape_matches_xml_sax_saxutils() -> None:
    sample = "a & b < c > d \"e\" 'f' &amp; <<>>"
    assert escape_markup(sample) == escape(sample)


def test_pdf_text_escapes_and_breaks_lines() -> None:
    assert pdf_text("Müller & Söhne <GmbH>\nHauptstraße 5") == (
        "Müller &amp; Söhne &lt;GmbH&gt;<br/>Hauptstraße 5"
    )


def test_pdf_plain_does_not_escape() -> None:
    assert pdf_plain("Müller & Söhne <GmbH>") == "Müller & Söhne <GmbH>"


def test_nfd_input_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai")
    assert decomposed != "Nguyễn Thị Minh Khai"
    assert pdf_plain(decomposed) == "Nguyễn Thị Minh Khai"
    assert pdf_text(decomposed) == "Nguyễn Thị Minh Khai"


def test_control_characters_are_dropped_and_newlines_unified() -> None:
    assert pdf_plain("Zeile 1\r\nZeile\t2\rZeile 3\x00\x07") == "Zeile 1\nZeile 2\nZeile 3"


def test_none_and_blank_become_empty() -> None:
    assert pdf_plain(None) == ""
    assert pdf_text("   ") == ""


def test_ltr_text_is_returned_untouched() -> None:
    for text in SCRIPTS.values():
        if not has_rtl(text):
            assert pdf_plain(text) == unicodedata.normalize("NFC", text)


def test_arabic_is_joined_and_right_to_left() -> None:
    shaped = pdf_plain("محمد")
    # Joined: every letter became a contextual presentation form (ReportLab has no shaper).
    assert all(ord(char) in ARABIC_PRESENTATION_FORMS for char in shaped)
    # Right to left: drawn left to right, the letters come in reverse order.
    assert unicodedata.normalize("NFKC", shaped)[::-1] == "محمد"


def test_arabic_word_order_is_right_to_left() -> None:
    shaped = pdf_plain("فاطمة الزهراء")
    words = unicodedata.normalize("NFKC", shaped).split(" ")
    # The first word in reading order is drawn rightmost.
    assert [word[::-1] for word in reversed(words)] == ["فاطمة", "الزهراء"]


def test_mixed_latin_and_arabic_keeps_the_latin_readable() -> None:
    shaped = pdf_plain("Ahmad محمد Müller")
    assert shaped.startswith("Ahmad ")
    assert shaped.endswith(" Müller")
    assert unicodedata.normalize("NFKC", shaped.split(" ")[1])[::-1] == "محمد"


def test_rtl_is_shaped_line_by_line() -> None:
    shaped = pdf_plain("محمد\nMüller")
    assert shaped.split("\n")[1] == "Müller"


def test_mirrored_brackets_survive_escaping_in_rtl_text() -> None:
    # Shaping first, escaping second: the bidi algorithm must never see "&lt;".
    marked = pdf_text("<محمد>")
    assert "&lt;" in marked
    assert "&gt;" in marked
    assert ";tl&" not in marked


def test_hebrew_is_reordered_without_shaping() -> None:
    assert visual_line("שלום") == "םולש"


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("font", [fonts.REGULAR, fonts.BOLD])
def test_upright_faces_cover_every_script(script: str, font: str) -> None:
    assert fonts.covers(pdf_plain(SCRIPTS[script]), font)


@pytest.mark.parametrize(
    "text",
    ["عبد الله", "لا إله", "أحمد آمنة", "فاطمة الزهراء", "پژوهش گچ یک", "مرحبا بالعالم"],
)
def test_shaped_arabic_and_persian_use_only_glyphs_in_the_font(text: str) -> None:
    # arabic_reshaper's default "Allah" ligature U+FDF2 is not in DejaVu Sans: it is disabled.
    shaped = pdf_plain(text)
    assert "\ufdf2" not in shaped
    assert fonts.covers(shaped, fonts.REGULAR)
    assert fonts.covers(shaped, fonts.BOLD)


def test_oblique_faces_lack_arabic_which_is_why_no_style_is_italic() -> None:
    # Documented limitation (fonts.py): if this starts to pass, italics may be used again.
    assert not fonts.covers(pdf_plain("محمد"), fonts.ITALIC)
    assert fonts.covers(pdf_plain(SCRIPTS["vietnamese"]), fonts.ITALIC)


def test_font_registration_is_idempotent_and_thread_safe() -> None:
    errors: list[BaseException] = []

    def register() -> None:
        try:
            fonts.register_fonts()
            fonts.register_fonts(italic=True)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    registered = pdfmetrics.getRegisteredFontNames()
    assert {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC} <= set(registered)
    # <b> and <i> in paragraph markup map to the family's faces.
    assert tt2ps(fonts.FAMILY, 1, 0) == fonts.BOLD
    assert tt2ps(fonts.FAMILY, 0, 1) == fonts.ITALIC
