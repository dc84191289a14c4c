"""Maintenance for the main window: automatic backups, the backup dialog and restore, the lock's
status messages, and the data-protection dialogs.

The window creates one ``Maintenance`` and calls it at its turning points (a database opened,
the window closing); menus and the people's context menu open its dialogs. Everything that
touches files or the database runs through the window's ``TaskRunner``.

Automatic backups (``backup.auto_backup``: at most one a day, rotated) run in the background
after a database is opened and when the window closes; a failure is a status bar warning,
never a dialog. The demo network and read-only databases are not backed up here: the demo
is rebuilt at will, and a read-only window is the guest of the instance holding the lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QWidget

from app.i18n import _, format_datetime
from ui.opening import OpenedDatabase
from ui.widgets.error_box import ErrorReporter, error_text

if TYPE_CHECKING:
    from app.services.backup import BackupInfo
    from ui.main_window import MainWindow
    from ui.maintenance.restore_task import Restored
    from ui.workspace import Workspace

log = logging.getLogger(__name__)
STATUS_MS = 15_000


def clock() -> datetime:
    """Now, for the daily backup rule (tests replace it)."""
    return datetime.now(UTC)


class Maintenance(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._runner = window.runner
        self.errors = ErrorReporter(window)
        self._runner.unhandled_error.connect(self.errors.report)
        self._dialog: QDialog | None = None  # the one open maintenance dialog
        self._idle_callback: Callable[[], None] | None = None
        self._runner.busy_changed.connect(self._busy_changed)

    # -- turning points of the window ----------------------------------------------------------

    def database_opened(self, opened: OpenedDatabase, *, backup_now: bool = True) -> None:
        """Say how the database was opened; make the daily backup now, or (``backup_now``
        False) when the window calls ``daily_backup`` once its pages have settled."""
        holder = opened.taken_over_from
        if holder is not None:
            from ui.maintenance.lock_text import taken_over_text

            self._status(taken_over_text(holder))
        elif opened.read_only:
            self._status(_("Opened read-only: changes are not possible in this window."))
        if backup_now:
            self.daily_backup(opened)

    def daily_backup(self, opened: OpenedDatabase) -> None:
        """The daily backup of *opened*, if none was made today (in the background); a
        server database is backed up on the server (or with ``treffpunkt backup``)."""
        if not opened.read_only and not opened.demo and opened.path is not None:
            self._auto_backup(opened.path, report=opened.taken_over_from is None)

    def closing(self) -> None:
        """The window closes: the daily backup if none was made today (the runner's shutdown
        waits for it, bounded)."""
        opened = self._window.opened()
        if opened is None or opened.read_only or opened.demo or opened.path is None:
            return
        from app.services.backup import auto_backup

        self._runner.run(
            auto_backup,
            opened.path,
            clock(),
            on_error=lambda error: log.warning("backup on close failed: %s", error),
        )

    def connect_workspace(self, workspace: Workspace) -> None:
        network = workspace.network
        if hasattr(network, "access_requested"):
            network.access_requested.connect(self.show_access_request)
            network.erasure_requested.connect(self.show_erasure)

    def _auto_backup(self, path: Path, *, report: bool) -> None:
        from app.services.backup import auto_backup

        self._runner.run(
            auto_backup,
            path,
            clock(),
            key="auto-backup",
            on_done=self._auto_backup_done if report else None,
            on_error=self._auto_backup_failed,
        )

    def _auto_backup_done(self, info: BackupInfo | None) -> None:
        if info is not None:
            self._status(
                _("Daily backup made ({date}).").format(
                    date=format_datetime(info.created_at.astimezone())
                )
            )

    def _auto_backup_failed(self, error: BaseException) -> None:
        log.warning("automatic backup failed: %s", error)
        self._status(
            _("Warning: the automatic backup failed: {reason}").format(reason=error_text(error))
        )

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MS)

    # -- backups and restore -------------------------------------------------------------------

    def show_backups(self, path: Path | None = None) -> QDialog | None:
        """The backup dialog for *path*, by default the open database."""
        from ui.maintenance.backup_dialog import BackupDialog

        opened = self._window.opened()
        if path is None:
            if opened is None:
                self._status(_("Open a database first."))
                return None
            if opened.path is None:
                self._status(
                    _(
                        "A server database is backed up on the server, or into a file with "
                        "„treffpunkt backup“."
                    )
                )
                return None
            path = opened.path
        is_open = opened is not None and opened.path is not None and _same(opened.path, path)
        can_restore = not (is_open and opened is not None and opened.read_only)
        dialog = BackupDialog(
            self._runner,
            path,
            can_back_up=path.exists(),
            can_restore=can_restore,
            parent=self._window,
        )
        dialog.restore_requested.connect(partial(self.restore, path))
        return self._show_dialog(dialog)

    def restore(self, path: Path, backup_file: Path) -> None:
        """Close *path* if it is open (keeping its lock), restore in the background, reopen."""
        from ui.maintenance.restore_task import restore_task

        opened = self._window.opened()
        lock = None
        if opened is not None and opened.path is not None and _same(opened.path, path):
            lock = opened.lock
            self._window.detach_database()

        def start() -> None:
            self._window.run_database_task(
                path,
                restore_task,
                path,
                backup_file,
                lock,
                busy_title=_("Restoring {name}…").format(name=path.name),
                on_done=self._restored,
            )

        self._when_idle(start)

    def _restored(self, restored: Restored) -> None:
        self._window.adopt_database(restored.opened)
        if restored.error is not None:
            self.errors.report(restored.error)
        elif restored.result is not None:
            when = restored.result.backup_created_at
            text = _("Restored the state of {date}.").format(
                date=format_datetime(when.astimezone()) if when else "?"
            )
            notes = (restored.result.erasure_note(), restored.result.erasure_warning())
            self._status(" ".join([text, *(note for note in notes if note)]))

    def _when_idle(self, callback: Callable[[], None]) -> None:
        """Run *callback* once no task runs any more (tasks using the closed database end)."""
        if not self._runner.is_busy():
            callback()
        else:
            self._idle_callback = callback

    def _busy_changed(self, busy: bool) -> None:
        if not busy and self._idle_callback is not None:
            callback, self._idle_callback = self._idle_callback, None
            callback()

    # -- data protection -----------------------------------------------------------------------

    def _database(self) -> OpenedDatabase | None:
        opened = self._window.opened()
        if opened is None:
            self._status(_("Open a database first."))
        return opened

    def show_access_request(self, person_id: int | None = None) -> QDialog | None:
        from ui.maintenance.privacy_dialogs import AccessDialog

        opened = self._database()
        if opened is None:
            return None
        dialog = AccessDialog(self._runner, opened.database, person_id, parent=self._window)
        return self._show_dialog(dialog)

    def show_erasure(self, person_id: int | None = None) -> QDialog | None:
        from ui.maintenance.privacy_dialogs import ErasureDialog

        opened = self._database()
        if opened is None:
            return None
        dialog = ErasureDialog(self._runner, opened.database, person_id, parent=self._window)
        dialog.erased.connect(self._reload_lists)
        return self._show_dialog(dialog)

    def show_retention_review(self) -> QDialog | None:
        from ui.maintenance.retention_dialog import RetentionDialog

        opened = self._database()
        if opened is None:
            return None
        dialog = RetentionDialog(self._runner, opened.database, clock, parent=self._window)
        dialog.erasure_requested.connect(lambda pid: self._erase_from_review(dialog, pid))
        return self._show_dialog(dialog)

    def _erase_from_review(self, review: QDialog, person_id: int) -> None:
        from ui.maintenance.privacy_dialogs import ErasureDialog
        from ui.maintenance.retention_dialog import RetentionDialog

        opened = self._window.opened()
        if opened is None:
            return
        dialog = ErasureDialog(self._runner, opened.database, person_id, parent=review)
        dialog.erased.connect(self._reload_lists)
        if isinstance(review, RetentionDialog):
            dialog.erased.connect(lambda _pid: review.refresh())
        dialog.setModal(True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _reload_lists(self, _person_id: int) -> None:
        opened, workspace = self._window.opened(), self._window.workspace()
        if opened is not None and workspace is not None:
            workspace.load(opened.database)

    def _show_dialog(self, dialog: QDialog) -> QDialog:
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self._forget(dialog))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _forget(self, dialog: QWidget) -> None:
        if self._dialog is dialog:
            self._dialog = None

    def current_dialog(self) -> QDialog | None:
        return self._dialog


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return Path(a) == Path(b)
