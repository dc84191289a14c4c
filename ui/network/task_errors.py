"""One sentence for a failed contacts task: the user's problem as the core words it, or, for a
bug, a short note while the traceback goes to the log (never onto the screen)."""

from __future__ import annotations

import logging

from app.errors import TreffpunktError
from app.i18n import _

log = logging.getLogger(__name__)


def describe_error(error: BaseException) -> str:
    if isinstance(error, TreffpunktError):
        return str(error)
    if isinstance(error, OSError):
        return error.strerror or str(error)
    log.error("contacts task failed unexpectedly", exc_info=error)
    return _("Something unexpected went wrong ({error}); nothing was changed.").format(
        error=type(error).__name__
    )
