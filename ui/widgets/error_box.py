"""One clear message for a failed background task: never a traceback, never a pile of boxes.

``ErrorReporter.report(error)`` shows a window-modal, non-blocking message box. While one is
open, further errors are only counted into it (a full disk makes every write fail; the user
needs one message, not twenty).
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
    """A ``TreffpunktError`` says itself what happened; anything else is a bug (logged)."""
    if isinstance(error, TreffpunktError):
        return str(error) or type(error).__name__
    return _(
        "An unexpected error occurred ({kind}). Your data is safe: the change was not saved. "
        "The details were written to the log."
    ).format(kind=type(error).__name__)


class ErrorReporter(QObject):
    """Shows errors of background tasks on *parent*, one box at a time."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._box: QMessageBox | None = None
        self._more = 0

    def report(self, error: BaseException) -> None:
        if not isinstance(error, TreffpunktError):
            log.error("unexpected error in a background task", exc_info=error)
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
            error_text(error),
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
