"""Team mode: whose change a row shows (``changed_by``).

Every table users edit has ``changed_by`` (``app.models``): the name of whoever wrote the row
last, set on every insert and update from ``Database.user_name``. That is the operating
system's login name unless the user set another one (``team.user_name``: the settings dialog
or ``treffpunkt settings set team.user_name "Anna Schulz"``), kept in the user's own
preferences, not in the database: on a shared server database each colleague has their own.
"""

from __future__ import annotations

from app.db import Database
from app.db.database import os_user_name
from app.errors import ValidationError
from app.i18n import _
from app.preferences import load_preferences, save_preferences
from app.text import nfc

USER_NAME_KEY = "team.user_name"
MAX_USER_NAME = 80  # the column's length (``app.models.CHANGED_BY_LENGTH``)


def saved_user_name() -> str | None:
    """The name the user set, or None (then the login name is used)."""
    name = load_preferences().user_name
    return name if isinstance(name, str) and name.strip() else None


def current_user_name() -> str:
    return saved_user_name() or os_user_name()


def apply_user_name(db: Database) -> None:
    """Record this user's changes under their name (call once after opening)."""
    db.user_name = current_user_name()[:MAX_USER_NAME]


def save_user_name(name: str | None) -> str | None:
    """Set (or with None/"" forget) the name; returns the name now saved."""
    cleaned = " ".join(nfc(name or "").split())
    if len(cleaned) > MAX_USER_NAME:
        raise ValidationError(
            _("Your name may be at most {max} characters long.").format(max=MAX_USER_NAME)
        )
    if any(not character.isprintable() for character in cleaned):
        raise ValidationError(_("Your name must not contain control characters."))
    preferences = load_preferences()
    preferences.user_name = cleaned or None
    save_preferences(preferences)
    return preferences.user_name
