"""Lost-update guard for forms: the version a form was loaded with must still be current.

A form loads a row (and its ``version``) in one short session and saves in another, minutes
later. SQLAlchemy's ``version_id_col`` only compares with the version read in the *saving*
session, so a change saved meanwhile by another window or process would be overwritten
silently (FIELD-NOTES). ``check_version`` compares with the form's version instead.

Call it inside ``Database.write()``: that transaction began with ``BEGIN IMMEDIATE`` and holds
the write lock, so nobody can commit between the check and the UPDATE; the UPDATE itself then
carries ``WHERE version = <checked value>`` through ``version_id_col``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFound
from app.i18n import _, format_datetime

Model = TypeVar("Model")


def check_version(session: Session, model: type[Model], id_: Any, loaded_version: int) -> Model:
    """Return the row *id_* of *model* if its version is still *loaded_version*.

    Raises ``ConflictError`` when someone saved it since, ``NotFound`` when it was deleted.
    """
    row = session.get(model, id_, populate_existing=True)
    if row is None:
        raise NotFound(
            _("This record was deleted elsewhere after you opened it; nothing was saved.")
        )
    current = getattr(row, "version")  # noqa: B009 - every versioned model has the column
    if current != loaded_version:
        raise conflict(
            row,
            _(
                "This record was changed elsewhere after you opened it; nothing was saved. "
                "Reload it to see the other change, then make yours again."
            ),
        )
    return row


def conflict(row: object, message: str) -> ConflictError:
    """A ``ConflictError`` that names who saved *row* last and when, if the row says so
    (``changed_by``, ``updated_at``): "Last saved by Anna Schulz on 6 Dec 2026, 15:30"."""
    who = getattr(row, "changed_by", None)
    when = getattr(row, "updated_at", None)
    when = when.astimezone() if isinstance(when, datetime) else None
    if who and when is not None:
        message += " " + _("Last saved by {name} on {when}.").format(
            name=who, when=format_datetime(when)
        )
    elif who:
        message += " " + _("Last saved by {name}.").format(name=who)
    return ConflictError(message, changed_by=who, changed_at=when)
