"""The sign-in sheet with the user's settings: the saved data-protection notice and letterhead.

``app.services.snapshots.signin`` builds the sheet from explicit options; this module adds
what the window and the command line share: the notice text edited once and kept in the
``settings`` table (key ``privacy_notice_signin``), the letterhead from the settings, and
saving the PDF.

The notice is stored only when it differs from the default, so a later change of the
default text (or of the letterhead, which names the controller) reaches everyone who never
edited it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from app.db import Database
from app.services.letterhead import Letterhead, load_letterhead
from app.services.settings import get_setting, read_setting, write_setting
from app.services.snapshots.signin import (
    SigninOptions,
    SigninSnapshot,
    build_signin_snapshot,
    default_privacy_notice,
)
from app.text import nfc

PRIVACY_NOTICE_KEY = "privacy_notice_signin"


@dataclass(frozen=True, slots=True)
class SigninDefaults:
    """What the options dialog starts with."""

    privacy_notice: str  # the saved text, else the default
    default_notice: str
    customised: bool  # a saved text differing from the default
    invitees: int


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in nfc(text).strip().splitlines())


def _saved(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def saved_privacy_notice(db: Database) -> str | None:
    return _saved(get_setting(db, PRIVACY_NOTICE_KEY))


def read_saved_privacy_notice(session: Session) -> str | None:
    return _saved(read_setting(session, PRIVACY_NOTICE_KEY))


def general_privacy_notice(letterhead: Letterhead | None) -> str:
    """The default notice without a particular meeting: the letterhead names the controller.

    (For a meeting without a letterhead ``signin_defaults`` names its organiser instead.)
    """
    controller = ""
    if letterhead is not None:
        parts = (letterhead.name, *letterhead.address_lines)
        controller = ", ".join(nfc(part) for part in parts if part)
    return default_privacy_notice(controller)


def signin_defaults(db: Database, meeting_id: int) -> SigninDefaults:
    """The notice to show for *meeting_id* and whether the user changed it."""
    default = build_signin_snapshot(
        db, meeting_id, SigninOptions(blank_rows=0), letterhead=load_letterhead(db)
    )
    saved = saved_privacy_notice(db)
    notice = saved if saved is not None else default.privacy_notice
    return SigninDefaults(
        privacy_notice=notice,
        default_notice=default.privacy_notice,
        customised=saved is not None and _clean(saved) != _clean(default.privacy_notice),
        invitees=len(default.invitee_rows),
    )


def write_privacy_notice(session: Session, text: str | None, *, default: str) -> str | None:
    """``save_privacy_notice`` inside an open write session."""
    cleaned = _clean(text or "")
    stored = cleaned if cleaned and cleaned != _clean(default) else None
    write_setting(session, PRIVACY_NOTICE_KEY, stored)
    return stored


def save_privacy_notice(db: Database, text: str | None, *, default: str) -> str | None:
    """Keep *text* as the notice for every sign-in sheet; blank or equal to *default*
    removes the saved text (the default applies again). Returns what is stored."""
    with db.write() as session:
        return write_privacy_notice(session, text, default=default)


def signin_snapshot(db: Database, meeting_id: int, options: SigninOptions) -> SigninSnapshot:
    """The sheet as printed: the saved notice unless *options* carries one, the letterhead."""
    if options.privacy_notice is None:
        saved = saved_privacy_notice(db)
        if saved is not None:
            options = replace(options, privacy_notice=saved)
    return build_signin_snapshot(db, meeting_id, options, letterhead=load_letterhead(db))
