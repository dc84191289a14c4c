"""What a rendered document says: its text layer, as ``pdftotext`` would read it.

An erasure (``app.services.privacy``) tells by it whether a queued or sent PDF names the person.
"""

from __future__ import annotations

import io


def is_document(mime_type: str) -> bool:
    """Rendered documents (PDFs) as opposed to text parts (.ics), which are scrubbed as text."""
    return not mime_type.startswith("text/")


def pdf_text(data: bytes) -> str | None:
    """The text layer and metadata of a PDF; None if it cannot be read as one."""
    from pypdf import PdfReader  # late: only erasures read PDFs back
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        parts = [page.extract_text() or "" for page in reader.pages]
        if reader.metadata is not None:
            parts.extend(str(value) for value in reader.metadata.values())
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError):
        return None
    return "\n".join(parts)
