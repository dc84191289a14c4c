"""The press release as a Word document (python-docx), for press offices that edit in Word.

Headline, subheadline, date line and lead, the body (paragraphs; lines starting with "- "
become list items), the photo (scaled to 15 cm wide) with caption and credit, and the press
contact. User text goes into runs as plain text: Word never interprets it as markup.
"""

from __future__ import annotations

import io

from app.documents.press_release.text import credit_line
from app.services.press.draft import PressDraft
from app.services.press.phrases import phrases

PHOTO_WIDTH_CM = 15.0


def _clean(text: str) -> str:
    # XML 1.0 forbids most control characters; python-docx would raise on them.
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 0x20)


def press_docx_bytes(draft: PressDraft, photo: bytes | None = None) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    words = phrases(draft.language)
    document = Document()
    document.core_properties.title = _clean(draft.headline)
    document.core_properties.language = "de-DE" if draft.language == "de" else "en-GB"
    document.core_properties.author = "Treffpunkt"
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)

    heading = document.add_paragraph()
    run = heading.add_run(_clean(draft.headline.strip()))
    run.bold = True
    run.font.size = Pt(18)
    if draft.subheadline.strip():
        sub = document.add_paragraph()
        run = sub.add_run(_clean(draft.subheadline.strip()))
        run.bold = True
        run.font.size = Pt(13)
    lead = document.add_paragraph()
    if draft.dateline.strip():
        run = lead.add_run(_clean(draft.dateline.strip()) + " – ")
        run.bold = True
    run = lead.add_run(_clean(draft.lead.strip()))
    run.bold = True
    for block in (b.strip() for b in draft.body.split("\n\n")):
        if not block:
            continue
        for line in block.split("\n"):
            if line.startswith("- "):
                document.add_paragraph(_clean(line[2:].strip()), style="List Bullet")
            elif line.strip():
                document.add_paragraph(_clean(line.strip()))
    if draft.photo_id is not None and photo:
        document.add_picture(io.BytesIO(photo), width=Cm(PHOTO_WIDTH_CM))
        if draft.caption.strip():
            caption = document.add_paragraph()
            run = caption.add_run(_clean(draft.caption.strip()))
            run.font.size = Pt(9)
        if credit_line(draft):
            credit = document.add_paragraph()
            run = credit.add_run(_clean(credit_line(draft)))
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if draft.contact.strip():
        contact_heading = document.add_paragraph()
        run = contact_heading.add_run(words.contact_heading)
        run.bold = True
        for line in draft.contact.strip().split("\n"):
            document.add_paragraph(_clean(line.strip()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
