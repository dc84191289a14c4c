"""Save an Auskunft (Art. 15) as files: the JSON export and/or the readable PDF, one snapshot.

Both files come from the same ``export_person`` dict, so they always agree. Each is written
atomically (temporary file + rename): a crash or full disk never leaves half a file.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from app import i18n
from app.db import Database
from app.documents.base import write_atomic
from app.errors import ValidationError
from app.i18n import DEFAULT_LANGUAGE, _, pgettext, supported_language
from app.services.privacy import export_person


def access_report_stem(name: str, today: date, language: str | None) -> str:
    """ "Auskunft-Ayşe-Yılmaz-2026-11-25": the file name (without extension) of the report for
    *name*, in the report's language (the person's). Letters kept; separators become "-"."""
    cleaned = re.sub(r"[\W_]+", "-", name, flags=re.UNICODE).strip("-") or "person"
    with i18n.language(supported_language(language, DEFAULT_LANGUAGE)):
        # Translators: start of the file name of an Art. 15 report ("Auskunft"); no spaces.
        prefix = pgettext("file name", "Access-request")
    return f"{prefix}-{cleaned}-{today.isoformat()}"


def save_access_report(
    db: Database,
    person_id: int,
    *,
    json_path: Path | None = None,
    pdf_path: Path | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Write the files asked for and return their paths (JSON first)."""
    if json_path is None and pdf_path is None:
        raise ValidationError(_("Choose at least one format: JSON or PDF."))
    data = export_person(db, person_id, now=now)
    written: list[Path] = []
    if json_path is not None:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_atomic(Path(json_path), text.encode("utf-8"))
        written.append(Path(json_path))
    if pdf_path is not None:
        from app.documents.access_report import write_person_report_pdf  # ReportLab: late

        write_person_report_pdf(data, Path(pdf_path))
        written.append(Path(pdf_path))
    return written
