"""What the message page says when a database cannot be opened, per kind of error."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseExists,
    DatabaseMissing,
    DatabaseNeedsRecovery,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    NotADatabase,
    NotTreffpunktDatabase,
    TreffpunktError,
)
from app.i18n import N_, _
from ui.widgets.message_page import Tone

log = logging.getLogger(__name__)

# Most specific first: the first matching class gives the page title.
LOCKED_TITLE = N_("The database is open elsewhere")
TITLES: tuple[tuple[type[BaseException], str], ...] = (
    (DatabaseTooNew, N_("This database needs a newer Treffpunkt")),
    (NotTreffpunktDatabase, N_("This is not a Treffpunkt database")),
    (NotADatabase, N_("This is not a Treffpunkt database")),
    (DatabaseDamaged, N_("The database is damaged")),
    (DatabaseReadOnly, N_("The database cannot be changed")),
    (DatabaseBusy, N_("The database is busy")),
    (DiskFull, N_("The disk is full")),
    (DatabaseExists, N_("The file already exists")),
    (DatabaseMissing, N_("The database cannot be opened")),
)


@dataclass(frozen=True)
class OpenProblem:
    title: str
    text: str
    tone: Tone
    missing: bool  # nothing at the path: offer to create a database there
    may_open_read_only: bool
    may_retry: bool
    # Take over a lock whose holder cannot be checked or has ended.
    may_take_over: bool = False
    # A damaged file: offer the backups of this path.
    may_restore: bool = False


def is_missing(error: BaseException, path: Path) -> bool:
    return isinstance(error, DatabaseMissing) and not path.exists()


def log_if_unexpected(error: BaseException, path: Path | str) -> None:
    """A failure that is no ``TreffpunktError`` is a bug: keep its traceback in the log."""
    if not isinstance(error, TreffpunktError):
        log.error("opening %s failed", path, exc_info=error)


def describe(error: BaseException, path: Path, *, read_only: bool) -> OpenProblem:
    """Title, explanation and possible ways out for a failed open of *path*."""
    if is_missing(error, path):
        return OpenProblem(
            title=_("There is no database here"),
            text=_(
                "Treffpunkt found no database at\n{path}\n\n"
                "Nothing has been created. Create a new, empty database at this place, "
                "or open another one."
            ).format(path=path),
            tone=Tone.WARNING,
            missing=True,
            may_open_read_only=False,
            may_retry=False,
        )
    # Late: app.db pulls in SQLAlchemy, which the window must not import (module docstring of
    # ui.main_window); the worker that raised *error* has imported it already.
    from app.db.lock import DatabaseLocked, HolderState

    locked = isinstance(error, DatabaseLocked)
    title = (
        LOCKED_TITLE if locked else next((t for cls, t in TITLES if isinstance(error, cls)), None)
    )
    if title is None:
        title = N_("The database cannot be opened")
    text = str(error) or type(error).__name__
    if locked:
        from ui.maintenance.lock_text import lock_holder_text

        text = lock_holder_text(error)  # type: ignore[arg-type]
    return OpenProblem(
        title=_(title),
        text=text,
        tone=Tone.WARNING if locked else Tone.ERROR,
        missing=False,
        may_open_read_only=isinstance(error, DatabaseReadOnly | DatabaseLocked) and not read_only,
        may_retry=isinstance(error, DatabaseBusy | DiskFull | DatabaseLocked),
        may_take_over=locked and error.holder.state is not HolderState.ALIVE,  # type: ignore[attr-defined]
        may_restore=isinstance(error, DatabaseDamaged | DatabaseNeedsRecovery),
    )
