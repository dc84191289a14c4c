"""Queued messages whose documents named a person who was erased since: render them again.

An erasure (Art. 17, ``app.services.privacy``) removes from every message that is not sent yet
the PDF attachments that name the person, and sets ``OutboxMessage.documents_outdated``.
``rebuild_outdated_documents`` renders those documents again from the current, anonymised
data (the invitation PDF for invitations, updates and reminders, the minutes PDF for minutes)
and attaches them, once per meeting and kind. The erasure (``app.mail.erasure``) calls it right
away; ``send_outbox`` calls it again before sending, so a message never goes out with the old
document, nor without the new one, even if the erasure's rebuild was interrupted (a crash, a
restore of a backup that re-applied an erasure).

``app.services.pdf_text`` is how the erasure tells whether a PDF names the person: the text layer
and the metadata, as ``pdftotext`` would read them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import _
from app.models import OutboxAttachment, OutboxKind, OutboxMessage, OutboxState
from app.services.pdf_text import is_document, pdf_text

log = logging.getLogger(__name__)

# Outbox kinds → the document ``app.mail.documents.document_attachment`` renders for them.
_DOCUMENT_OF = {
    OutboxKind.INVITATION: "invitations",
    OutboxKind.UPDATE: "invitations",
    OutboxKind.REMINDER: "invitations",
    OutboxKind.MINUTES: "minutes",
}


@dataclass(frozen=True, slots=True)
class RebuildReport:
    rebuilt: tuple[int, ...]  # outbox ids that carry fresh documents now
    failed: tuple[tuple[int, str], ...]  # (outbox id, why not): they must not go out

    @property
    def failed_ids(self) -> tuple[int, ...]:
        return tuple(outbox_id for outbox_id, _reason in self.failed)


def rebuild_outdated_documents(
    db: Database, *, ids: Collection[int] | None = None
) -> RebuildReport:
    """Render and attach the documents of every outdated message (or of *ids* among them)."""
    from app.mail.documents import document_attachment  # late: ReportLab

    query = select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.meeting_id).where(
        OutboxMessage.documents_outdated.is_(True), OutboxMessage.state != OutboxState.SENT
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    with db.read() as session:
        rows = session.execute(query.order_by(OutboxMessage.id)).all()
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    failed: list[tuple[int, str]] = []
    for outbox_id, kind, meeting_id in rows:
        document = _DOCUMENT_OF.get(kind)
        if document is None or meeting_id is None:
            failed.append(
                (outbox_id, _("Its document cannot be made again; create the message anew."))
            )
            continue
        groups[(document, meeting_id)].append(outbox_id)
    rebuilt: list[int] = []
    for (document, meeting_id), outbox_ids in groups.items():
        try:
            attachment = document_attachment(db, document, meeting_id)
        except TreffpunktError as exc:
            reason = _("Its document could not be made again: {reason}").format(reason=exc)
            failed.extend((outbox_id, reason) for outbox_id in outbox_ids)
            continue
        with db.write() as session:
            still = list(
                session.scalars(
                    select(OutboxMessage.id).where(
                        OutboxMessage.id.in_(outbox_ids),
                        OutboxMessage.documents_outdated.is_(True),
                        OutboxMessage.state != OutboxState.SENT,
                    )
                )
            )
            if not still:
                continue
            session.execute(
                delete(OutboxAttachment).where(
                    OutboxAttachment.message_id.in_(still),
                    ~OutboxAttachment.mime_type.startswith("text/"),
                )
            )
            for outbox_id in still:
                session.add(
                    OutboxAttachment(
                        message_id=outbox_id,
                        filename=attachment.filename,
                        mime_type=attachment.mime_type,
                        data=attachment.data,
                    )
                )
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(still))
                .values(documents_outdated=False)
            )
            rebuilt.extend(still)
    if rebuilt or failed:
        log.info("outdated documents: %d rebuilt, %d not", len(rebuilt), len(failed))
    return RebuildReport(tuple(rebuilt), tuple(failed))


__all__ = ["RebuildReport", "is_document", "pdf_text", "rebuild_outdated_documents"]
