"""File names of the documents, in the document's language (cheap: no ReportLab).

"Einladung 2026-12-03.pdf" for a German reader, "Invitation 2026-12-03.pdf" for an English
one: the name travels with the file (a mail attachment, a download), so it speaks the
document's language, not the window's. The date stays ISO 8601 so that files sort by date.
"""

from __future__ import annotations

from datetime import date

from app import i18n
from app.i18n import _


def invitation_file_name(day: date, language: str) -> str:
    with i18n.language(language):
        # Translators: the printed invitation ("Einladung"), also its file name.
        title = _("Invitation")
    return f"{title} {day.isoformat()}.pdf"


def minutes_file_name(day: date, language: str) -> str:
    with i18n.language(language):
        # Translators: the printed minutes ("Protokoll"), also its file name.
        title = _("Minutes")
    return f"{title} {day.isoformat()}.pdf"
