"""Errors a user can act on. Their message is one translated sentence, shown as is."""

from __future__ import annotations


class TreffpunktError(Exception):
    """A problem the user can understand and act on (CLI exit code 1, a message box)."""


class DatabaseError(TreffpunktError):
    pass


class DatabaseMissing(DatabaseError):
    pass


class DatabaseExists(DatabaseError):
    pass


class NotADatabase(DatabaseError):
    pass


class NotTreffpunktDatabase(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


class DatabaseDamaged(DatabaseError):
    pass


class DatabaseReadOnly(DatabaseError):
    pass


class DatabaseBusy(DatabaseError):
    pass


class DatabaseNeedsRecovery(DatabaseError):
    """A crashed writer left a hot journal; only a read-write open can roll it back."""


class DatabaseNotEmpty(DatabaseError):
    pass


class NotFound(TreffpunktError):
    pass


class DiskFull(DatabaseError):
    pass


class ConflictError(TreffpunktError):
    """Someone else saved the same record since this form was loaded (lost-update guard).

    ``changed_by``/``changed_at``: who saved it and when, where the row records it (team
    mode: the window can name the colleague; the message already does)."""

    def __init__(
        self, message: str, *, changed_by: str | None = None, changed_at: object = None
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class ValidationError(TreffpunktError):
    """Input the user must correct (e.g. an end before the start)."""


class MailError(TreffpunktError):
    """Base of every mail problem shown to the user (the others are in ``app.mail.errors``)."""


class InvalidAddressError(MailError):
    """An e-mail address that is empty, malformed, several addresses or carries CR/LF."""


class TemplateError(MailError):
    """A mail template uses an unknown placeholder or forbidden syntax."""


class InvalidDatabaseLocation(DatabaseError):
    """``--db`` names neither a usable file path nor a complete server address."""


class DatabaseEmpty(DatabaseMissing):
    """A server database that holds no Treffpunkt network yet (``init`` or ``demo`` first)."""


class DatabaseUnreachable(DatabaseError):
    """The database server cannot be reached (down, wrong address, network, TLS)."""


class DatabaseLoginFailed(DatabaseError):
    """The database server refused the login (wrong or missing password, unknown user)."""


class DatabaseConnectionLost(DatabaseError):
    """The connection to the server broke during work; the message says whether the change
    was saved (it was not, unless the break came during the final COMMIT)."""


class BackupFailed(DatabaseError):
    """A backup could not be written or did not pass its check; the old state is untouched."""
