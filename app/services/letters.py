"""Paper invitations (DIN 5008 letters) with the user's settings: who gets one, and who lacks
a postal address.

``letters_snapshot`` freezes the stack (the letterhead from the settings; by default one
letter per invitee who cannot be reached by e-mail, with ``all_invitees`` one per invitee);
``no_address`` lists the letters that have no usable postal address, to be shown before
printing (the window's letters dialog, the command line's stderr);
``app.documents.invitation.write_letters`` renders and saves atomically. The same functions
serve the window and ``pdf letters``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.db import Database
from app.i18n import ngettext

if TYPE_CHECKING:
    from app.services.snapshots.invitation import InvitationSnapshot, LetterRecipient


def letters_snapshot(
    db: Database, meeting_id: int, *, all_invitees: bool = False, today: date | None = None
) -> InvitationSnapshot:
    """The stack of letters for *meeting_id*; raises ``NotFound`` for an unknown meeting and
    ``NoLettersNeededError`` when nobody needs (or, with *all_invitees*, gets) a letter."""
    from app.services.letterhead import load_letterhead
    from app.services.snapshots.invitation import build_invitation_snapshot

    return build_invitation_snapshot(
        db,
        meeting_id,
        letterhead=load_letterhead(db),
        letters=True,
        all_invitees=all_invitees,
        today=today,
    )


def no_address(snapshot: InvitationSnapshot) -> tuple[LetterRecipient, ...]:
    """The letters that cannot be posted: no usable address of the person or organisation."""
    return tuple(letter for letter in snapshot.letters if not letter.has_address)


def no_address_message(missing: tuple[LetterRecipient, ...]) -> str:
    """ "2 people have no usable postal address: Gisela Breuer, Nadia Benali." ("" if none)."""
    if not missing:
        return ""
    return ngettext(
        "{n} person has no usable postal address (street, postcode and town): {names}. "
        "Add it in the directory, or hand the letter over.",
        "{n} people have no usable postal address (street, postcode and town): {names}. "
        "Add it in the directory, or hand the letters over.",
        len(missing),
    ).format(n=len(missing), names=", ".join(letter.name for letter in missing))
