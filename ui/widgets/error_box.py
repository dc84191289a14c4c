"""One path from a failed task to the message the user reads.

* ``error_text(error)`` is the one sentence for any failure, wherever it is shown (a dialog's
  error line, a status label, a message box). A ``TreffpunktError`` is the user's problem and
  says itself what happened; an ``OSError`` (a file that cannot be read or written) gives its
  reason; anything else is a bug: its traceback goes to the log (``app.log_file``) and the
  user reads a general message, never a traceback.
* ``ErrorReporter.report(error)`` is the task runner's default: a task started without
  ``on_error`` ends up here (``TaskRunner.unhandled_error``), as in Anki's operations. It shows
  a window-modal, non-blocking message box; while one is open, further errors are only counted
  into it (a full disk makes every write fail; the user needs one message, not twenty).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import (
    ConflictError,
    DatabaseBusy,
    DatabaseReadOnly,
    DiskFull,
    NotFound,
    TreffpunktError,
    ValidationError,
)
from app.i18n import N_, _, ngettext

log = logging.getLogger(__name__)

# Most specific first.
ERROR_TITLES: tuple[tuple[type[BaseException], str], ...] = (
    (DiskFull, N_("The disk is full")),
    (DatabaseReadOnly, N_("The database is read-only")),
    (DatabaseBusy, N_("The database is busy")),
    (ConflictError, N_("Changed elsewhere")),
    (NotFound, N_("Not found")),
    (ValidationError, N_("Please check your input")),
    (TreffpunktError, N_("This did not work")),
)


def error_title(error: BaseException) -> str:
    for kind, title in ERROR_TITLES:
        if isinstance(error, kind):
            return _(title)
    return _("Something went wrong")


def error_text(error: BaseException) -> str:
    """The message for *error* (see the module docstring); logs what is not the user's."""
    if isinstance(error, TreffpunktError):
        return str(error) or type(error).__name__
    if isinstance(error, OSError):
        log.warning("a file or connection failed", exc_info=error)
        reason = error.strerror or str(error) or type(error).__name__
        return f"{reason}: {error.filename}" if error.filename else reason
    log.error("unexpected error", exc_info=error)
    return _(
        "An unexpected error occurred ({kind}). This step was not completed, and nothing was "
        "half-saved. The details were written to the log file."
    ).format(kind=type(error).__name__)


class ErrorReporter(QObject):
    """Shows errors of background tasks on *parent*, one box at a time."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._box: QMessageBox | None = None
        self._more = 0

    def report(self, error: BaseException) -> None:
        text = error_text(error)  # logs what is not the user's problem
        if self._box is not None:
            self._more += 1
            self._box.setInformativeText(
                ngettext(
                    "{count} more action failed as well.",
                    "{count} more actions failed as well.",
                    self._more,
                ).format(count=self._more)
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            error_title(error),
            text,
            QMessageBox.StandardButton.Ok,
            self._parent,
        )
        box.setObjectName("errorBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self._box = box
        self._more = 0
        box.open()  # window-modal; the event loop (and the program) keeps running

    def current_box(self) -> QMessageBox | None:
        return self._box

    def _closed(self, _result: int) -> None:
        self._box = None
        self._more = 0
