"""One mailing run of the window: queue what is missing, then send the meeting's queue.

Both mailing dialogs (invitations and the like, minutes) run ``run_mailing`` on a worker
thread with their own queueing function (``queue_invitations`` or ``queue_minutes`` with the
document attached); "retry failed" queues the failed messages again instead. Sending is
``send_outbox``: resumable, never twice, cancellable after the current message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.db import Database
from app.mail.mailings import QueueReport
from app.mail.outbox import SendReport, retry_failed, send_outbox
from app.mail.transports import Transport
from app.models import OutboxKind

# The outbox kinds one mailing sends: an invitation run also sends the updates it queued.
_SENT_TOGETHER: dict[OutboxKind, tuple[OutboxKind, ...]] = {
    OutboxKind.INVITATION: (OutboxKind.INVITATION, OutboxKind.UPDATE),
    OutboxKind.UPDATE: (OutboxKind.INVITATION, OutboxKind.UPDATE),
}

Queue = Callable[[], QueueReport]


def kinds_sent_with(kind: OutboxKind) -> tuple[OutboxKind, ...]:
    return _SENT_TOGETHER.get(kind, (kind,))


@dataclass(frozen=True)
class MailingOutcome:
    queued: QueueReport | None  # None when nothing was queued (a retry, a resend)
    report: SendReport


def run_mailing(
    db: Database,
    transport: Transport,
    *,
    meeting_id: int,
    kind: OutboxKind,
    queue: Queue | None,
    retry: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    status: Callable[[str], None] | None = None,
) -> MailingOutcome:
    """Queue with *queue* (if given), or with *retry* queue the failed messages again; then
    send every queued message of *kind* (and what goes with it) for the meeting. *status*
    hears why the sending waits (the rate limit, a server asking to try later)."""
    kinds = kinds_sent_with(kind)
    if retry:
        retry_failed(db, meeting_id=meeting_id, kinds=kinds)
    queued = queue() if queue is not None else None
    report = send_outbox(
        db,
        transport,
        meeting_id=meeting_id,
        kinds=kinds,
        progress=progress,
        cancelled=cancelled,
        status=status,
    )
    return MailingOutcome(queued, report)
