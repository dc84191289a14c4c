"""Art. 17 erasure as the user starts it (window, ``treffpunkt privacy erase``).

``app.services.privacy.erase_person`` erases the person in one transaction and marks the
queued e-mails whose documents named them; here those documents are made again right away
from the anonymised data (``app.mail.rebuild``), so the outbox is ready to send. Rendering
belongs to the layers above the services, hence this step lives in the mail layer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.db import Database
from app.mail.rebuild import rebuild_outdated_documents
from app.services import privacy
from app.services.privacy import ErasureResult


def erase_person(
    db: Database, person_id: int, *, now: datetime | None = None, compact: bool = True
) -> ErasureResult:
    """Erase the person (see ``app.services.privacy``), then rebuild the queued documents."""
    result = privacy.erase_person(db, person_id, now=now, compact=compact)
    if not result.documents_outdated:
        return result
    rebuilt = len(rebuild_outdated_documents(db).rebuilt)
    return replace(result, documents_rebuilt=rebuilt)
