"""The PDFs that go with a mailing, rendered once per mailing (used by the CLI and the window)."""

from __future__ import annotations

from app.db import Database
from app.mail.compose import Attachment
from app.mail.mailings import AttachmentsFor, MailRecipient
from app.models import MeetingState
from app.services.meetings import MeetingDetail, get_meeting


def attachments_for(database: Database, kind: str, meeting_id: int) -> AttachmentsFor | None:
    """The document attachments of a mailing: the invitation PDF for invitations, updates and
    reminders (not for a cancellation), the minutes PDF for minutes.

    The PDF is the same for every recipient (the personal part is the mail text), so it is
    rendered once per mailing, here, before queueing: the mailing composes its messages
    inside a read session, where the snapshot could not open one of its own.
    """
    if kind not in ("invitations", "reminders", "minutes"):
        return None
    if kind != "minutes" and get_meeting(database, meeting_id).state is MeetingState.CANCELLED:
        return None
    files = (document_attachment(database, kind, meeting_id),)

    def make(detail: MeetingDetail, recipient: MailRecipient) -> tuple[Attachment, ...]:
        return files if detail.id == meeting_id else ()

    return make


def document_attachment(database: Database, kind: str, meeting_id: int) -> Attachment:
    """The invitation PDF (*kind* "invitations"/"reminders") or the minutes PDF ("minutes")."""
    # Imported here: ReportLab and the documents load only when a mailing needs them.
    from app.documents.letterhead import load_letterhead

    letterhead = load_letterhead(database)
    if kind == "minutes":
        from app.documents.minutes import document_title as minutes_title
        from app.documents.minutes import render_minutes
        from app.documents.minutes_snapshot import build_minutes_snapshot

        snapshot = build_minutes_snapshot(database, meeting_id, letterhead=letterhead)
        day = snapshot.date.isoformat()
        return Attachment(
            f"{minutes_title()} {day}.pdf", "application/pdf", render_minutes(snapshot)
        )
    from app.documents.invitation import document_title as invitation_title
    from app.documents.invitation import render_invitation
    from app.documents.invitation_snapshot import build_invitation_snapshot

    invitation = build_invitation_snapshot(database, meeting_id, letterhead=letterhead)
    day = invitation.date.isoformat()
    return Attachment(
        f"{invitation_title()} {day}.pdf", "application/pdf", render_invitation(invitation)
    )
