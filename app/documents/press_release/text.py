"""The press release as plain text (UTF-8): for a mail body and for the .txt export."""

from __future__ import annotations

from app.services.press.draft import PressDraft
from app.services.press.phrases import phrases


def credit_line(draft: PressDraft) -> str:
    """ "Foto: Stadt Krefeld, A. Bischof" (a credit typed with its own prefix stays as is)."""
    credit = draft.credit.strip()
    if not credit:
        return ""
    label = phrases(draft.language).photo
    if credit.casefold().startswith(("foto", "photo", "bild", "©", "(c)")):
        return credit
    return f"{label}: {credit}"


def press_text(draft: PressDraft, *, photo_filename: str = "") -> str:
    words = phrases(draft.language)
    parts = [draft.headline.strip()]
    if draft.subheadline.strip():
        parts.append(draft.subheadline.strip())
    lead = draft.lead.strip()
    if draft.dateline.strip():
        lead = f"{draft.dateline.strip()} – {lead}"
    parts.append(lead)
    parts += [p.strip() for p in draft.body.split("\n\n") if p.strip()]
    if draft.photo_id is not None:
        photo = (
            [f"{words.caption_prefix}: {draft.caption.strip()}"] if draft.caption.strip() else []
        )
        if credit_line(draft):
            photo.append(credit_line(draft))
        if photo_filename:
            photo.append(f"({photo_filename})")
        parts.append("\n".join(photo))
    if draft.contact.strip():
        parts.append(f"{words.contact_heading}\n{draft.contact.strip()}")
    return "\n\n".join(parts) + "\n"
