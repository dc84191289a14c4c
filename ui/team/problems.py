"""What the window says when a server database cannot be opened (team mode)."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import (
    DatabaseBusy,
    DatabaseConnectionLost,
    DatabaseEmpty,
    DatabaseLoginFailed,
    DatabaseTooNew,
    DatabaseUnreachable,
    InvalidDatabaseLocation,
    NotTreffpunktDatabase,
)
from app.i18n import N_, _
from ui.widgets.message_page import Tone

# Most specific first: the first matching class gives the title.
TITLES: tuple[tuple[type[BaseException], str], ...] = (
    (DatabaseLoginFailed, N_("The server refused the login")),
    (DatabaseUnreachable, N_("The database server cannot be reached")),
    (DatabaseConnectionLost, N_("The connection to the server broke")),
    (DatabaseBusy, N_("The database server is busy")),
    (DatabaseEmpty, N_("This server database is still empty")),
    (NotTreffpunktDatabase, N_("This is not a Treffpunkt database")),
    (DatabaseTooNew, N_("This database needs a newer Treffpunkt")),
    (InvalidDatabaseLocation, N_("The server address is not complete")),
)
RETRYABLE = (DatabaseUnreachable, DatabaseConnectionLost, DatabaseBusy)


@dataclass(frozen=True)
class ServerProblem:
    title: str
    text: str
    tone: Tone
    may_retry: bool  # the server may come back: "Try again" is offered


def describe_server_error(error: BaseException) -> ServerProblem:
    title = next((t for cls, t in TITLES if isinstance(error, cls)), None)
    text = str(error) or type(error).__name__
    if title is None:
        title = N_("The server database cannot be opened")
    if isinstance(error, DatabaseEmpty):
        text += "\n\n" + _(
            "Ask the person who set up the server to prepare it (treffpunkt --db URL init)."
        )
    return ServerProblem(
        title=_(title),
        text=text,
        tone=Tone.WARNING if isinstance(error, RETRYABLE) else Tone.ERROR,
        may_retry=isinstance(error, RETRYABLE),
    )
