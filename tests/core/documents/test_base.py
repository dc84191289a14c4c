"""The shared renderer base: page numbers, draft mark, letterhead, metadata, atomic writing."""

from __future__ import annotations

import logging
import os
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from reportlab.platypus import Flowable, PageBreak, Paragraph

from app.documents import base
from app.documents.base import (
    DocumentRenderer,
    DocumentWriteError,
    page_of_template,
    write_atomic,
)
from app.documents.text import pdf_text
from app.i18n import _
from app.services.letterhead import Letterhead
from app.services.snapshots.common import DocumentInfo
from tests.helpers.documents import page_texts


class Sample(DocumentRenderer):
    """A few pages of text, optionally under a letterhead."""

    running_header_height = 10

    def __init__(
        self,
        pages: int = 3,
        *,
        draft: bool = False,
        letterhead: Letterhead | None = None,
        title: str = "Protokoll",
    ) -> None:
        super().__init__(
            DocumentInfo(
                title=title,
                author="Quartiersmanagement",
                subject="Netzwerktreffen",
                keywords=("Impuls.Ag", "Protokoll"),
                language="de-DE",
            ),
            draft=draft,
        )
        self.pages = pages
        self.letterhead = letterhead

    def draw_running_header(self, canvas) -> None:  # type: ignore[no-untyped-def]
        self.draw_text_line(
            canvas, self.left_margin, self.page_height - self.top_margin, "Laufende Kopfzeile"
        )

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        if self.letterhead is not None:
            story.append(self.letterhead_block(self.letterhead))
        for number in range(1, self.pages + 1):
            story.append(Paragraph(pdf_text(f"Inhalt der Seite {number}"), self.styles["Normal"]))
            if number < self.pages:
                story.append(PageBreak())
        return story


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_every_page_says_page_x_of_y() -> None:
    texts = page_texts(Sample(pages=4).render_to_bytes())
    assert len(texts) == 4
    for number, text in enumerate(texts, start=1):
        assert _("Page {page} of {pages}").format(page=number, pages=4) in text
        assert f"Inhalt der Seite {number}" in text


def test_page_total_is_right_for_long_documents() -> None:
    texts = page_texts(Sample(pages=120).render_to_bytes())
    assert len(texts) == 120
    assert _("Page {page} of {pages}").format(page=120, pages=120) in texts[-1]
    assert _("Page {page} of {pages}").format(page=7, pages=120) in texts[6]


def test_running_header_only_after_the_first_page() -> None:
    texts = page_texts(Sample(pages=3).render_to_bytes())
    assert "Laufende Kopfzeile" not in texts[0]
    assert all("Laufende Kopfzeile" in text for text in texts[1:])


def test_draft_watermark_on_every_page_only_for_drafts() -> None:
    draft = page_texts(Sample(pages=3, draft=True).render_to_bytes())
    final = page_texts(Sample(pages=3, draft=False).render_to_bytes())
    assert all(_("DRAFT") in text for text in draft)
    assert not any(_("DRAFT") in text for text in final)


def test_metadata_title_author_subject_keywords_language() -> None:
    title = unicodedata.normalize("NFD", "Protokoll: Auftakt-Netzwerktreffen Nguyễn")
    reader = PdfReader(BytesIO(Sample(title=title).render_to_bytes()))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == unicodedata.normalize("NFC", title)
    assert meta.author == "Quartiersmanagement"
    assert meta.subject == "Netzwerktreffen"
    assert meta["/Keywords"] == "Impuls.Ag, Protokoll"
    assert meta.creator == "Treffpunkt"
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_language_defaults_to_the_current_ui_language() -> None:
    class NoLanguage(Sample):
        def __init__(self) -> None:
            DocumentRenderer.__init__(self, DocumentInfo(title="x"))
            self.pages, self.letterhead = 1, None

    reader = PdfReader(BytesIO(NoLanguage().render_to_bytes()))
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_only_the_embedded_dejavu_fonts_are_used() -> None:
    reader = PdfReader(BytesIO(Sample(pages=2, draft=True).render_to_bytes()))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        names |= {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names
    assert all("DejaVuSans" in name for name in names), names
    assert not any("Helvetica" in name for name in names)


def test_letterhead_with_logo() -> None:
    letterhead = Letterhead(
        name="Quartiersmanagement Stahldorf <QM>",
        address_lines=("Hauptstraße 5", "12345 Stahldorf"),
        logo=png(),
    )
    pdf = Sample(pages=1, letterhead=letterhead).render_to_bytes()
    text = page_texts(pdf)[0]
    assert "Quartiersmanagement Stahldorf <QM>" in text
    assert "Hauptstraße 5 12345 Stahldorf" in text
    page = PdfReader(BytesIO(pdf)).pages[0]
    images = [
        name
        for name, obj in page["/Resources"]["/XObject"].items()
        if obj.get_object()["/Subtype"] == "/Image"
    ]
    assert images


def test_unreadable_logo_is_left_out_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    letterhead = Letterhead(name="Quartiersmanagement", logo=b"not an image at all")
    with caplog.at_level(logging.WARNING, logger="app.documents.base"):
        pdf = Sample(pages=1, letterhead=letterhead).render_to_bytes()
    assert "Quartiersmanagement" in page_texts(pdf)[0]
    assert "logo" in caplog.text


def test_logo_keeps_its_proportions_inside_the_box() -> None:
    image = DocumentRenderer.logo_image(png(400, 100), max_width=100, max_height=50)
    assert image is not None
    assert (image.drawWidth, image.drawHeight) == (100, 25)
    assert DocumentRenderer.logo_image(None, 100, 50) is None


def test_page_of_template_falls_back_when_the_total_is_not_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert page_of_template()[0].format(page=3) == _("Page {page} of {pages}").partition("{pages}")[
        0
    ].format(page=3)
    monkeypatch.setattr(base, "_", lambda message: "{pages} pages, this is {page}")
    assert page_of_template() == ("{page} / ", "")


def test_write_replaces_the_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "protokoll.pdf"
    target.write_bytes(b"old")
    Sample(pages=1).write(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(os.listdir(tmp_path)) == ["protokoll.pdf"]


def test_write_to_a_missing_folder_raises_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentWriteError) as caught:
        Sample(pages=1).write(tmp_path / "fehlt" / "x.pdf")
    assert "fehlt" in str(caught.value)


def test_failed_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "ordner.pdf"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(DocumentWriteError):
        write_atomic(target, b"%PDF-1.4")
    assert sorted(os.listdir(tmp_path)) == ["ordner.pdf"]
    assert target.is_dir()
