"""The PDFs that go with a mailing, rendered once per language (used by the CLI and the window).

A document attached to a mail speaks its recipient's language (``MailRecipient.language``:
their preferred language, else the meeting's), whatever language the window speaks: a German
partner gets "Einladung … Seite 1 von 2" even when the user works in English.
"""

from __future__ import annotations

import threading

from app.db import Database
from app.documents.file_names import invitation_file_name, minutes_file_name
from app.mail.compose import Attachment
from app.mail.mailings import AttachmentsFor, MailRecipient
from app.models import MeetingState
from app.services.meetings import MeetingDetail, get_meeting


def attachments_for(database: Database, kind: str, meeting_id: int) -> AttachmentsFor | None:
    """The document attachments of a mailing: the invitation PDF for invitations, updates and
    reminders (not for a cancellation), the minutes PDF for minutes.

    The PDF is the same for every recipient of one language (the personal part is the mail
    text), so it is rendered on first need per language and reused; the mailing asks for it
    outside its own read session.
    """
    if kind not in ("invitations", "reminders", "minutes"):
        return None
    if kind != "minutes" and get_meeting(database, meeting_id).state is MeetingState.CANCELLED:
        return None
    rendered: dict[str, tuple[Attachment, ...]] = {}
    lock = threading.Lock()

    def make(detail: MeetingDetail, recipient: MailRecipient) -> tuple[Attachment, ...]:
        if detail.id != meeting_id:
            return ()
        with lock:
            if recipient.language not in rendered:
                rendered[recipient.language] = (
                    document_attachment(database, kind, meeting_id, language=recipient.language),
                )
            return rendered[recipient.language]

    return make


def load_renderer(kind: str) -> None:
    """Import what ``document_attachment`` needs for *kind* and register the PDF fonts.

    About a hundred modules (ReportLab, Pillow, the document) and two TrueType faces: loaded
    by the mailing dialog while the user reads the preview, so the first mailing of a session
    does not load them on the worker while the window shows its progress (an import holds
    the interpreter lock for long stretches).
    """
    if kind not in ("invitations", "reminders", "minutes"):
        return
    from app.documents.fonts import register_fonts
    from app.services.letterhead import load_letterhead  # noqa: F401

    if kind == "minutes":
        from app.documents.minutes import render_minutes  # noqa: F401
        from app.services.snapshots.minutes import build_minutes_snapshot  # noqa: F401
    else:
        from app.documents.invitation import render_invitation  # noqa: F401
        from app.services.snapshots.invitation import build_invitation_snapshot  # noqa: F401
    register_fonts()


def document_attachment(
    database: Database, kind: str, meeting_id: int, *, language: str | None = None
) -> Attachment:
    """The invitation PDF (*kind* "invitations"/"reminders") or the minutes PDF ("minutes"),
    document and file name in *language* (default: the meeting's)."""
    # Imported here: ReportLab and the documents load only when a mailing needs them.
    from app.services.letterhead import load_letterhead

    letterhead = load_letterhead(database)
    if kind == "minutes":
        from app.documents.minutes import render_minutes
        from app.services.snapshots.minutes import build_minutes_snapshot

        snapshot = build_minutes_snapshot(
            database, meeting_id, letterhead=letterhead, language=language
        )
        name = minutes_file_name(snapshot.date, snapshot.info.language)
        return Attachment(name, "application/pdf", render_minutes(snapshot))
    from app.documents.invitation import render_invitation
    from app.services.snapshots.invitation import build_invitation_snapshot

    invitation = build_invitation_snapshot(
        database, meeting_id, letterhead=letterhead, language=language
    )
    name = invitation_file_name(invitation.date, invitation.language)
    return Attachment(name, "application/pdf", render_invitation(invitation))
