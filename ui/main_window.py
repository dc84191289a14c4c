"""The main window: menus, status bar, and either a message page or the workspace.

This module imports no SQLAlchemy (directly or through the services): the window must show
before the database layer has finished importing on the worker. The workspace, which does
import it, is loaded once a database is open.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.i18n import N_, _
from app.paths import APP_NAME
from app.preferences import Preferences, load_preferences, save_preferences
from ui import opening, window_state
from ui.dialogs.about import show_about
from ui.main_menu import build_menu_bar
from ui.maintenance.controller import Maintenance
from ui.open_errors import describe, log_if_unexpected
from ui.opening import OpenedDatabase, StartPlan, close_opened
from ui.tasks import TaskRunner
from ui.translations import apply_language
from ui.widgets.database_status import DatabaseStatus
from ui.widgets.error_box import error_text
from ui.widgets.message_page import MessagePage, PageAction

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from app.mail.secrets import SessionPasswords
    from ui.settings.dialog import SettingsDialog
    from ui.settings.setup_wizard import SetupWizard
    from ui.team.connect_dialog import ConnectDialog
    from ui.team.session import TeamSession
    from ui.workspace import Workspace

SHUTDOWN_WAIT_MS = 5000
FILE_FILTER = "{databases} (*.db);;{all} (*)"


class BusyText(enum.Enum):
    """What the page says while the worker opens or creates a database."""

    OPENING = N_("Opening {name}…")
    CREATING = N_("Creating {name}…")
    DEMO = N_("Preparing the demo network…")


def _close_unused(opened: OpenedDatabase, current: OpenedDatabase | None) -> None:
    # A superseded open of the database shown now shares its lock: keep that one held.
    close_opened(opened, keep_lock=current.lock if current is not None else None)


class MainWindow(QMainWindow):
    """The one window of Treffpunkt.

    Signals:
        database_opened(object): the ``OpenedDatabase`` now shown.
        open_failed(object): opening failed (the exception); the message page explains it.
        ready(): the first people list is in the views (start-up; the benchmark hook).
        settled(): the pages of the open database are built and loaded (after ``ready``).
    """

    database_opened = Signal(object)
    open_failed = Signal(object)
    ready = Signal()
    settled = Signal()

    def __init__(
        self, runner: TaskRunner | None = None, preferences: Preferences | None = None
    ) -> None:
        super().__init__()
        self.runner = runner or TaskRunner(self)
        self._preferences = preferences if preferences is not None else load_preferences()
        self._opened: OpenedDatabase | None = None
        self._workspace: Workspace | None = None
        self._passwords: SessionPasswords | None = None
        self._counts: dict[str, int] = {}
        self._ready_sent = False
        self._closed = False
        self._backup_due: OpenedDatabase | None = None
        self._setup_check_due: OpenedDatabase | None = None
        # Shows the message page again in a new language after a language switch.
        self._page: Callable[[], None] | None = None
        # The set-up assistant on the first opening of a new, empty database (tests of other
        # things switch it off).
        self.offer_setup_assistant = True
        self.settings_dialog: SettingsDialog | None = None
        self.setup_wizard: SetupWizard | None = None
        self.manual: QWidget | None = None
        # Team mode (ui.team): the connect dialog while open, the live updates of a server.
        self.connect_dialog: ConnectDialog | None = None
        self.team: TeamSession | None = None

        self.message_page = MessagePage()
        self._stack = QStackedWidget()
        self._stack.addWidget(self.message_page)
        self.setCentralWidget(self._stack)

        self._status = DatabaseStatus(self.statusBar())
        self.runner.busy_changed.connect(self._status.busy.setVisible)
        # Backups, restore, lock messages, data protection (ui.maintenance).
        self.maintenance = Maintenance(self)

        self.menu_actions = build_menu_bar(self, self.menuBar())
        self._update_title()
        self._update_status()
        self._restore_geometry()

    # -- opening -------------------------------------------------------------------------------

    def start(self, plan: StartPlan) -> None:
        """Open what ``plan_start`` chose; the window is already visible."""
        from app.services.previews import remove_stale

        # Preview PDFs left by a crash (or held by a viewer at the last exit): names, not kept.
        self.runner.run(remove_stale, key="stale-previews", on_error=_log_preview_cleanup)
        if plan.server is not None:
            self.open_server(plan.server)
        elif plan.demo:
            self._begin(plan.path, opening.demo_task, plan.path, busy=BusyText.DEMO)
        else:
            self.open_database(plan.path)

    def open_database(self, path: Path, read_only: bool = False, take_over: bool = False) -> None:
        lock = None if read_only else opening.held_lock(self._opened, path)
        self._begin(path, opening.open_task, path, read_only, take_over, lock, read_only=read_only)

    # -- team mode: a database on a PostgreSQL server --------------------------------------------

    def connect_to_server(self) -> ConnectDialog:
        """File ▸ Connect to server…: the form, filled with the last connection."""
        from app.db.server_form import form_of
        from ui.team.connect_dialog import ConnectDialog

        if self.connect_dialog is not None:
            self.connect_dialog.raise_()
            self.connect_dialog.activateWindow()
            return self.connect_dialog
        dialog = ConnectDialog(form_of(self._preferences.last_server), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.connect_requested.connect(self._connect_requested)
        dialog.finished.connect(self._connect_dialog_closed)
        self.connect_dialog = dialog
        dialog.open()
        return dialog

    def _connect_dialog_closed(self) -> None:
        self.connect_dialog = None

    def _connect_requested(self, address: object, password: object, save: bool) -> None:
        dialog = self.connect_dialog

        def connected(opened: OpenedDatabase) -> None:
            if dialog is not None:
                dialog.connected()
            self._opened_database(opened)

        def failed(error: BaseException) -> None:
            from ui.team.problems import describe_server_error

            log_if_unexpected(error, str(address))
            if dialog is not None:
                dialog.failed(describe_server_error(error).text)

        self.runner.run(
            opening.connect_task,
            address,
            password,
            save,
            key="database",
            on_done=connected,
            on_error=failed,
            on_discard=lambda opened: _close_unused(opened, self._opened),
        )

    def open_server(self, url: str) -> None:
        """Open a server database (``--db postgresql://…``, the last one, "Try again")."""
        from app.db.location import parse_server_url
        from app.errors import InvalidDatabaseLocation

        try:
            name = parse_server_url(url).account
        except InvalidDatabaseLocation:
            name = url

        def show() -> None:  # called again after a language switch
            title = _("Connecting to {name}…").format(name=name)
            self.message_page.show_message(title, name, busy=True)

        self._show_page(show)
        self.runner.run(
            opening.server_task,
            url,
            key="database",
            on_done=self._opened_database,
            on_error=lambda error: self._server_failed(error, url),
            on_discard=lambda opened: _close_unused(opened, self._opened),
        )

    def _server_failed(self, error: BaseException, url: str) -> None:
        from ui.team.problems import describe_server_error

        log_if_unexpected(error, url)

        def show() -> None:  # called again after a language switch
            problem = describe_server_error(error)
            offered: list[PageAction] = []
            if problem.may_retry:
                retry = partial(self.open_server, url)
                offered.append(PageAction(_("Try again"), retry, True, "retry"))
            offered.append(
                PageAction(
                    _("Connect to server…"),
                    self.connect_to_server,
                    default=not offered,
                    name="connectServer",
                )
            )
            offered.append(
                PageAction(_("Open another database…"), self.choose_database, name="openAnother")
            )
            if self._opened is not None:
                back = _("Back to {name}").format(name=self._opened.name)
                offered.append(PageAction(back, self._back_to_workspace, name="back"))
            offered.append(PageAction(_("Quit"), self.close, name="quit"))
            self.message_page.show_message(problem.title, problem.text, offered, tone=problem.tone)

        self._show_page(show)
        self.open_failed.emit(error)

    def _start_team(self, opened: OpenedDatabase) -> None:
        if self.team is not None:
            self.team.stop()
            self.team.deleteLater()
            self.team = None
        if opened.server is not None and not opened.read_only:
            from ui.team.session import TeamSession

            self.team = TeamSession(self, opened)
            self.team.start()

    def create_database(self, path: Path) -> None:
        self._begin(path, opening.create_task, path, busy=BusyText.CREATING)

    def _begin(
        self,
        path: Path,
        task: Callable[..., OpenedDatabase],
        *args: object,
        busy: BusyText = BusyText.OPENING,
        read_only: bool = False,
        on_done: Callable[..., None] | None = None,
    ) -> None:
        def show() -> None:  # called again after a language switch
            title = _(busy.value).format(name=path.name)
            self.message_page.show_message(title, str(path), busy=True)

        self._show_page(show)
        self.runner.run(
            task,
            *args,
            key="database",
            on_done=on_done or self._opened_database,
            on_error=lambda error: self._open_failed(error, path, read_only),
            on_discard=lambda opened: _close_unused(opened, self._opened),
        )

    def _opened_database(self, opened: OpenedDatabase) -> None:
        previous = self._opened
        self.runner.discard_pending()  # late results about the previous database
        self._opened = opened
        if previous is not None:
            close_opened(previous, keep_lock=opened.lock)
        if opened.server is not None:
            self._preferences.remember_server(opened.server.url())  # never a password
            self._save_preferences()
        elif not opened.demo and opened.path is not None:
            # The demo is not remembered: the next start should find the user's own database.
            self._preferences.remember_database(opened.path)
            self._save_preferences()
        self._page = None
        self._counts = {}
        workspace = self._ensure_workspace()
        self._stack.setCurrentWidget(workspace)
        workspace.load(opened.database)
        self._update_title()
        self._update_status()
        # The daily backup (a copy of the whole file) waits until the window has
        # settled, so it never competes with the first page for the processor.
        self._backup_due = opened
        self.maintenance.database_opened(opened, backup_now=False)
        self._start_team(opened)
        if opened.notice:
            self.statusBar().showMessage(opened.notice, 15000)
        self.database_opened.emit(opened)
        # Asked once the window has settled too (the question imports the ORM).
        self._setup_check_due = (
            opened
            if self.offer_setup_assistant and not opened.demo and not opened.read_only
            else None
        )

    def _check_setup(self, opened: OpenedDatabase) -> None:
        """Offer the set-up assistant on a database nobody has set up or filled yet."""
        from app.services.setup_assistant import setup_due

        self.runner.run(setup_due, opened.database, key="setup-due", on_done=self._offer_setup)

    def _open_failed(self, error: BaseException, path: Path, read_only: bool) -> None:
        log_if_unexpected(error, path)

        def show() -> None:  # called again after a language switch
            problem = describe(error, path, read_only=read_only)
            offered: list[PageAction] = []
            if problem.missing:
                create = partial(self.create_database, path)
                offered.append(
                    PageAction(_("Create new database here"), create, True, "createHere")
                )
            if problem.may_open_read_only:
                read = partial(self.open_database, path, True)
                offered.append(PageAction(_("Open read-only"), read, True, "readOnly"))
            if problem.may_take_over:
                take = partial(self.open_database, path, False, True)
                offered.append(PageAction(_("Take over"), take, name="takeOver"))
            if problem.may_restore:
                backups = partial(self.maintenance.show_backups, path)
                offered.append(
                    PageAction(_("Restore from backup…"), backups, True, "restoreFromBackup")
                )
            if problem.may_retry:
                retry = partial(self.open_database, path, read_only)
                offered.append(PageAction(_("Try again"), retry, True, "retry"))
            offered.append(
                PageAction(
                    _("Open another database…"),
                    self.choose_database,
                    default=not offered,
                    name="openAnother",
                )
            )
            if not problem.missing:
                offered.append(PageAction(_("New database…"), self.new_database, name="new"))
            if self._opened is not None:
                back = _("Back to {name}").format(name=self._opened.name)
                offered.append(PageAction(back, self._back_to_workspace, name="back"))
            offered.append(PageAction(_("Quit"), self.close, name="quit"))
            self.message_page.show_message(problem.title, problem.text, offered, tone=problem.tone)

        self._show_page(show)
        self.open_failed.emit(error)

    # -- restore (ui.maintenance.controller drives it) -------------------------------------------

    def detach_database(self) -> OpenedDatabase | None:
        """Close the open database for a restore; its lock stays held (returned with it)."""
        opened, self._opened = self._opened, None
        self.runner.discard_pending()
        if opened is not None:
            opened.database.close()
        self._update_title()
        self._update_status()
        return opened

    def run_database_task(
        self,
        path: Path,
        task: Callable[..., object],
        *args: object,
        busy_title: str,
        on_done: Callable[..., None],
    ) -> None:
        """Like opening: a busy page, then *task* on the worker; its failure shows the
        opening message page for *path*."""
        self._begin(path, task, *args, busy=BusyText.OPENING, on_done=on_done)  # type: ignore[arg-type]
        self.message_page.show_message(busy_title, str(path), busy=True)

    def adopt_database(self, opened: OpenedDatabase) -> None:
        """Show *opened* (opened by a task of ``run_database_task``)."""
        self._opened_database(opened)

    def _back_to_workspace(self) -> None:
        if self._workspace is not None and self._opened is not None:
            self._page = None
            self._stack.setCurrentWidget(self._workspace)

    def _show_page(self, show: Callable[[], None]) -> None:
        self._page = show
        show()
        self._stack.setCurrentWidget(self.message_page)

    # -- workspace -----------------------------------------------------------------------------

    def _ensure_workspace(self) -> Workspace:
        if self._workspace is None:
            from ui.workspace import Workspace  # SQLAlchemy is loaded by now (module docstring)

            workspace = Workspace(self.runner, self._session_passwords)
            workspace.network_loaded.connect(self._network_loaded)
            workspace.meetings_loaded.connect(self._meetings_loaded)
            workspace.load_failed.connect(self._load_failed)
            workspace.settled.connect(self._workspace_settled)
            self.maintenance.connect_workspace(workspace)
            self._stack.addWidget(workspace)
            self._workspace = workspace
        return self._workspace

    def workspace(self) -> Workspace | None:
        return self._workspace

    def show_meetings_page(self) -> None:
        """Show the Meetings page (after an action of the Meetings menu)."""
        if self._workspace is not None:
            self._workspace.setCurrentWidget(self._workspace.meetings)

    def current_page(self) -> QWidget | None:
        """The message page or the workspace, whichever is shown."""
        return self._stack.currentWidget()

    def _network_loaded(self, organisations: int, people: int) -> None:
        self._counts.update(organisations=organisations, people=people)
        self._update_status()
        if not self._ready_sent:
            self._ready_sent = True
            if self._workspace is not None and self._workspace.isVisible():
                # "Shown" means painted: the people are on screen, not only in the model.
                self._workspace.network.people_view.viewport().repaint()
            self.ready.emit()

    def is_settled(self) -> bool:
        """The open database's pages are all built and loaded, and no task is running
        (the pages not shown first load after the first people are on screen)."""
        return (
            self._workspace is not None
            and self._workspace.is_settled()
            and not self.runner.is_busy()
        )

    def _workspace_settled(self) -> None:
        due, self._backup_due = self._backup_due, None
        if due is not None and due is self._opened and not self.runner.is_shut_down():
            self.maintenance.daily_backup(due)
        setup, self._setup_check_due = self._setup_check_due, None
        if setup is not None and setup is self._opened and not self.runner.is_shut_down():
            self._check_setup(setup)
        self.settled.emit()

    def _meetings_loaded(self, meetings: int) -> None:
        self._counts["meetings"] = meetings
        self._update_status()

    def _load_failed(self, error: BaseException) -> None:
        self._warn(_("Loading failed"), error_text(error))

    # -- menu actions --------------------------------------------------------------------------

    def new_database(self) -> None:
        name, _selected = QFileDialog.getSaveFileName(
            self,
            _("New database"),
            str(self._dialog_directory() / "treffpunkt.db"),
            self._file_filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return
        path = opening.with_database_suffix(Path(name))
        if path.exists():
            self._warn(
                _("The file already exists"),
                _(
                    "{path} already exists; Treffpunkt does not overwrite it. Choose another "
                    "name, or open it with File ▸ Open database…"
                ).format(path=path),
            )
            return
        self.create_database(path)

    def choose_database(self) -> None:
        name, _selected = QFileDialog.getOpenFileName(
            self, _("Open database"), str(self._dialog_directory()), self._file_filter()
        )
        if name:
            self.open_database(Path(name))

    def language_preference(self) -> str:
        return self._preferences.language

    def recent_databases(self) -> list[str]:
        return list(self._preferences.recent_databases)

    def set_language(self, language: str) -> None:
        """Switch the language now: menus and pages are rebuilt, the data reloaded."""
        if language == self._preferences.language:
            return
        self._preferences.language = language
        self._save_preferences()
        apply_language(language)
        self._retranslate()

    def show_about(self) -> None:
        show_about(self, self._opened)

    # -- settings, set-up assistant, user guide ------------------------------------------------

    def can_change_settings(self) -> bool:
        return self._opened is not None and not self._opened.read_only

    def _update_actions(self) -> None:
        for name in ("settings", "setup-assistant"):
            action = self.menu_actions.get(name)
            if action is not None:
                action.setEnabled(self.can_change_settings())

    def _session_passwords(self) -> SessionPasswords:
        """The SMTP passwords typed in this session (memory only): one cache for every mailing
        and the settings, kept when the pages are rebuilt (another language)."""
        if self._passwords is None:
            from app.mail.secrets import SessionPasswords  # keyring loads when first needed

            self._passwords = SessionPasswords()
        return self._passwords

    def _current_meeting_id(self) -> int | None:
        if self._workspace is None:
            return None
        meeting = self._workspace.meetings.planner.meeting
        return meeting.id if meeting is not None else None

    def show_settings(self, page: str = "organisation") -> SettingsDialog | None:
        """Extras ▸ Settings… (window-modal, does not block); *page* is shown first."""
        if not self.can_change_settings() or self._opened is None:
            return None
        from ui.settings.dialog import SettingsDialog  # imports the services (SQLAlchemy)

        dialog = SettingsDialog(
            self.runner,
            self._opened.database,
            self._session_passwords(),
            meeting_id=self._current_meeting_id(),
            page=page,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_a: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _offer_setup(self, due: bool) -> None:
        if due:
            self.show_setup_assistant(first_start=True)

    def show_setup_assistant(self, first_start: bool = False) -> SetupWizard | None:
        """The set-up assistant: by itself on a new database, or from Extras."""
        if not self.can_change_settings() or self._opened is None or self.setup_wizard:
            return None
        from ui.settings.setup_wizard import SetupWizard

        wizard = SetupWizard(
            self.runner,
            self._opened.database,
            self._session_passwords(),
            first_start=first_start,
            parent=self,
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.destroyed.connect(lambda *_a: setattr(self, "setup_wizard", None))
        wizard.import_requested.connect(self._import_after_setup)
        self.setup_wizard = wizard
        wizard.open()
        return wizard

    def _import_after_setup(self) -> None:
        from ui.network import contacts_actions

        contacts_actions.import_contacts(self)

    def show_manual(self) -> None:
        """Hilfe ▸ Handbuch: the user guide shipped with the program, offline."""
        from ui.dialogs.manual import ManualWindow

        if self.manual is None:
            self.manual = ManualWindow(self)
            self.manual.destroyed.connect(lambda *_a: setattr(self, "manual", None))
        self.manual.show()
        # Un-minimise and activate: window managers bring an activated window to the front.
        self.manual.setWindowState(
            self.manual.windowState() & ~Qt.WindowState.WindowMinimized
            | Qt.WindowState.WindowActive
        )
        self.manual.activateWindow()

    # -- language ------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        # Rebuilding is simpler and surer than retranslating every label in place.
        self.runner.discard_pending(keep=("database",))
        self.menu_actions = build_menu_bar(self, self.menuBar())
        if self._workspace is not None:
            old = self._workspace
            tab = old.currentIndex()
            showing = self._stack.currentWidget() is old
            self._stack.removeWidget(old)
            old.retire()
            old.deleteLater()
            self._workspace = None
            if self._opened is not None:
                workspace = self._ensure_workspace()
                workspace.setCurrentIndex(tab)
                if showing:
                    self._stack.setCurrentWidget(workspace)
                workspace.load(self._opened.database)
        if self._page is not None:
            self._page()
        self._update_title()
        self._update_status()

    # -- title, status, settings ---------------------------------------------------------------

    def opened(self) -> OpenedDatabase | None:
        return self._opened

    def _update_title(self) -> None:
        if self._opened is None:
            self.setWindowTitle(APP_NAME)
        else:
            self.setWindowTitle(f"{APP_NAME} – {self._opened.name}")

    def _update_status(self) -> None:
        self._status.show(self._opened, self._counts)
        self._update_actions()

    def status_text(self) -> str:
        return self._status.database_label.text()

    def counts_text(self) -> str:
        return self._status.counts_label.text()

    def _file_filter(self) -> str:
        return FILE_FILTER.format(databases=_("Treffpunkt databases"), all=_("All files"))

    def _dialog_directory(self) -> Path:
        if self._opened is not None and not self._opened.demo and self._opened.path is not None:
            return self._opened.path.parent
        if self._preferences.last_database:
            return Path(self._preferences.last_database).parent
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents else Path.home()

    def _save_preferences(self) -> None:
        try:
            save_preferences(self._preferences)
        except OSError as exc:
            self.statusBar().showMessage(
                _("Preferences not saved: {reason}").format(reason=exc), 8000
            )

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("warningBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, does not block the event loop

    def _restore_geometry(self) -> None:
        # The size that fits this screen (a 1366×768 laptop: maximised), or the one the
        # user left it at, when that still fits a screen (ui.window_state).
        window_state.restore_window_geometry(self)

    # -- closing -------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Wait (bounded) for background tasks, then close the database. Idempotent."""
        if self._closed:
            return
        self._closed = True
        window_state.save_window_geometry(self)
        if self._workspace is not None:
            self._workspace.save_before_close()  # typed minutes, before the runner stops
        self.maintenance.closing()  # the daily backup, if none yet today
        if self.team is not None:
            self.team.stop()
        self.runner.shutdown(SHUTDOWN_WAIT_MS)
        if self._opened is not None:
            close_opened(self._opened)
        from app.services.previews import discard_all

        discard_all()  # preview PDFs are full of names: none outlives the window

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _log_preview_cleanup(error: BaseException) -> None:
    """A preview that cannot be removed now is tried again at the next occasion."""
    log.warning("stale preview PDFs not removed: %s", error)
