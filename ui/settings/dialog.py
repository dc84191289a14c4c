"""Extras ▸ Settings…: every setting in one dialog, one Save for all pages.

Pages (``PAGES``): organisation & letterhead, sender & delivery, meetings, mail templates,
standard agenda, sign-in sheet (privacy notice), data protection (retention). The dialog loads
everything at once on the task runner (``load_settings_snapshot``), checks each page as the
user types (a page with a problem is marked in the list and Save is disabled), and stores
what changed in one transaction (``save_settings``). A password typed on the sender page then
goes into the system's keyring; a keyring that does not keep it is reported and the password
is used for this session only.

Signals:
    ready(): the settings are shown.
    saved(): the changes are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListView,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _
from app.mail.secrets import SessionPasswords
from app.services.mail_settings import SmtpSettings
from app.services.settings_form import (
    SettingsChanges,
    SettingsSnapshot,
    load_settings_snapshot,
    save_settings,
)
from ui.emitting import emit
from ui.settings.meetings_page import MeetingsPage
from ui.settings.organisation_page import OrganisationPage
from ui.settings.page import SettingsPage, message_label, say
from ui.settings.privacy_page import PrivacyPage
from ui.settings.sender_page import SenderPage
from ui.settings.signin_page import SigninPage
from ui.settings.standard_agenda_page import StandardAgendaPage
from ui.settings.templates_page import TemplatesPage
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen

PAGES = ("organisation", "sender", "meetings", "templates", "agenda", "signin", "privacy")
DIALOG_SIZE = (1000, 660)

_Index = QModelIndex | QPersistentModelIndex


class PageListModel(QAbstractListModel):
    """The page names of the dialog; a page with a problem carries a warning icon."""

    def __init__(self, pages: list[SettingsPage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages = pages
        self._problems = [False] * len(pages)
        style = parent.style() if parent is not None else None
        self._warning = (
            style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if style else None
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._pages)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._pages):
            return None
        row = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._pages[row].title
        if role == Qt.ItemDataRole.DecorationRole and self._problems[row]:
            return self._warning
        if role == Qt.ItemDataRole.ToolTipRole and self._problems[row]:
            return _("Please correct the input on this page.")
        return None

    def set_problem(self, row: int, problem: bool) -> None:
        if self._problems[row] != problem:
            self._problems[row] = problem
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def has_problem(self, row: int) -> bool:
        return self._problems[row]


@dataclass(frozen=True)
class _Stored:
    in_keyring: bool | None  # None: no password was typed


def _store(
    db: Database,
    changes: SettingsChanges,
    passwords: SessionPasswords,
    mail: SmtpSettings,
    password: str,
) -> _Stored:
    """Worker: the settings in one transaction, then the password into the keyring."""
    save_settings(db, changes)
    if not password:
        return _Stored(None)
    return _Stored(passwords.remember(mail.validated(), password, save=True))


class SettingsDialog(QDialog):
    ready = Signal()
    saved = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        passwords: SessionPasswords,
        *,
        meeting_id: int | None = None,
        page: str = PAGES[0],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self._runner, self._db, self._passwords = runner, db, passwords
        self._loaded = False
        self.organisation = OrganisationPage(runner)
        self.sender_page = SenderPage(runner, passwords)
        self.meetings = MeetingsPage()
        self.templates = TemplatesPage(runner, db, meeting_id)
        self.agenda = StandardAgendaPage()
        self.signin = SigninPage()
        self.privacy = PrivacyPage()
        self.pages: dict[str, SettingsPage] = dict(
            zip(
                PAGES,
                (
                    self.organisation,
                    self.sender_page,
                    self.meetings,
                    self.templates,
                    self.agenda,
                    self.signin,
                    self.privacy,
                ),
                strict=True,
            )
        )
        self.stack = QStackedWidget()
        for widget in self.pages.values():
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(widget)
            self.stack.addWidget(scroll)
            widget.edited.connect(self.validate)
        self.model = PageListModel(list(self.pages.values()), self)
        self.page_list = QListView()
        self.page_list.setObjectName("settingsPages")
        self.page_list.setModel(self.model)
        self.page_list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.page_list.setAccessibleName(_("Settings pages"))
        self.page_list.setSpacing(3)
        self.page_list.setIconSize(QSize(16, 16))
        width = max(self.fontMetrics().horizontalAdvance(p.title) for p in self.pages.values())
        self.page_list.setFixedWidth(width + 56)
        self.page_list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.stack.setCurrentIndex(current.row())
        )
        self.message = message_label("settingsMessage")
        say(self.message, _("Loading the settings…"), ok=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button.setEnabled(False)
        self.stack.setEnabled(False)

        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        resize_within_screen(self, *DIALOG_SIZE)
        self.show_page(page)
        runner.run(load_settings_snapshot, db, on_done=self._show, on_error=self._load_failed)

    @property
    def save_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def show_page(self, name: str) -> None:
        row = PAGES.index(name) if name in PAGES else 0
        self.page_list.setCurrentIndex(self.model.index(row, 0))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    # -- loading -----------------------------------------------------------------------------------

    def _show(self, snapshot: SettingsSnapshot) -> None:
        for page in self.pages.values():
            page.show_snapshot(snapshot)
        self._loaded = True
        self.stack.setEnabled(True)
        say(self.message, None)
        self.validate()
        emit(self.ready)

    def _load_failed(self, error: BaseException) -> None:
        say(self.message, error_text(error))

    # -- checking and saving ----------------------------------------------------------------------

    def validate(self) -> bool:
        """Check every page; mark those with a problem; Save only when none has one."""
        if not self._loaded:
            return False
        ok = True
        for row, page in enumerate(self.pages.values()):
            problem = page.check() is not None
            self.model.set_problem(row, problem)
            ok = ok and not problem
        self.save_button.setEnabled(ok)
        if ok:
            say(self.message, None)
        return ok

    def changes(self) -> SettingsChanges:
        collected: dict[str, Any] = {}
        for page in self.pages.values():
            page.add_changes(collected)
        return SettingsChanges(**collected)

    def save(self) -> None:
        if not self.validate():
            return
        changes = self.changes()
        mail, password = self.sender_page.settings(), self.sender_page.password()
        if changes.empty and not password:
            self.accept()
            return
        self.buttons.setEnabled(False)
        say(self.message, _("Saving…"), ok=True)
        self._runner.run(
            _store,
            self._db,
            changes,
            self._passwords,
            mail,
            password,
            on_done=self._stored,
            on_error=self._save_failed,
        )

    def _stored(self, stored: _Stored) -> None:
        self.buttons.setEnabled(True)
        emit(self.saved)
        if stored.in_keyring is False:
            self.sender_page.saved()
            self._show_keyring_problem()
            return
        self.accept()

    def _show_keyring_problem(self) -> None:
        self.show_page("sender")
        say(
            self.message,
            _(
                "Settings saved, but the system's password store did not keep the password. "
                "It is used until Treffpunkt is closed; after that you will be asked again."
            ),
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))

    def _save_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        say(self.message, error_text(error))
