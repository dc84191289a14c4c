"""Settings page "Sender & delivery": who the mails come from (``sender.*``) and how they leave
(``mail.*``): through the mail server, or as Outlook drafts (.eml) in a folder.

The password goes into the system's keyring when the dialog is saved, never into the
database; the addresses are checked as they are typed (the mail settings' own checks).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import TreffpunktError
from app.i18n import _
from app.mail.secrets import SessionPasswords
from app.services.mail_settings import MailMode, SmtpSettings, default_drafts_dir
from app.services.settings_form import SettingsSnapshot
from ui.settings.mail_server import MailServerForm
from ui.settings.page import SettingsPage, hint_label
from ui.tasks import TaskRunner


class DraftsFolder(QWidget):
    """A folder for .eml drafts: a line to type it and "Choose…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit()
        self.path.setObjectName("emlFolder")
        self.path.setAccessibleName(_("Folder for the drafts"))
        self.path.setPlaceholderText(str(default_drafts_dir()))
        self.path.setToolTip(_("Empty: the folder shown in grey"))
        choose = QPushButton(_("Choose…"))
        choose.setObjectName("emlChoose")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(choose)

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Folder for the drafts"), self.path.text() or str(default_drafts_dir())
        )
        if folder:
            self.path.setText(folder)


class WayChoice(QWidget):
    """How mail leaves: the server (with its fields) or drafts (with a folder)."""

    def __init__(
        self, runner: TaskRunner, passwords: SessionPasswords, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.via_smtp = QRadioButton(_("Send through a &mail server (SMTP)"))
        self.via_smtp.setObjectName("modeSmtp")
        self.via_eml = QRadioButton(_("Write &Outlook drafts (.eml) into a folder"))
        self.via_eml.setObjectName("modeEml")
        group = QButtonGroup(self)
        group.addButton(self.via_smtp)
        group.addButton(self.via_eml)
        self.via_smtp.setChecked(True)
        self.server = MailServerForm(runner, passwords)
        self.folder = DraftsFolder()
        server_box = QVBoxLayout()
        server_box.setContentsMargins(24, 0, 0, 0)
        server_box.addWidget(self.server)
        folder_box = QVBoxLayout()
        folder_box.setContentsMargins(24, 0, 0, 0)
        folder_box.addWidget(self.folder)
        folder_box.addWidget(
            hint_label(
                _(
                    "Outlook (or another mail program) opens each draft ready to send; "
                    "nothing leaves until you press Send there."
                )
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.via_smtp)
        layout.addLayout(server_box)
        layout.addWidget(self.via_eml)
        layout.addLayout(folder_box)
        self.via_smtp.toggled.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        self.server.setEnabled(self.via_smtp.isChecked())
        self.folder.setEnabled(self.via_eml.isChecked())

    def show_settings(self, settings: SmtpSettings) -> None:
        self.server.show_settings(settings)
        self.folder.path.setText(settings.eml_dir)
        (self.via_eml if settings.mode is MailMode.EML else self.via_smtp).setChecked(True)

    def apply_to(self, settings: SmtpSettings) -> SmtpSettings:
        mode = MailMode.EML if self.via_eml.isChecked() else MailMode.SMTP
        return replace(
            self.server.apply_to(settings), mode=mode, eml_dir=self.folder.path.text().strip()
        )


class SenderPage(SettingsPage):
    def __init__(
        self, runner: TaskRunner, passwords: SessionPasswords, parent: QWidget | None = None
    ) -> None:
        super().__init__("senderPage", parent)
        self.title = _("Sender & delivery")
        self._loaded = SmtpSettings()
        self.sender_name = QLineEdit()
        self.sender_name.setObjectName("senderName")
        self.sender_name.setPlaceholderText(_("e.g. Sabine Krüger, Quartiersmanagement"))
        self.sender_address = QLineEdit()
        self.sender_address.setObjectName("senderAddress")
        self.sender_address.setPlaceholderText(_("e.g. quartier@stadt.example"))
        self.reply_to = QLineEdit()
        self.reply_to.setObjectName("senderReplyTo")
        self.reply_to.setPlaceholderText(_("optional: where replies should go"))
        self.way = WayChoice(runner, passwords)
        sender = QGroupBox(_("Sender"))
        form = QFormLayout(sender)
        form.addRow(_("Sender &name:"), self.sender_name)
        form.addRow(_("Sender &address:"), self.sender_address)
        form.addRow(_("&Replies to:"), self.reply_to)
        delivery = QGroupBox(_("How mail leaves"))
        QVBoxLayout(delivery).addWidget(self.way)
        layout = QVBoxLayout(self)
        layout.addWidget(sender)
        layout.addWidget(delivery)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for edit in (self.sender_name, self.sender_address, self.reply_to, self.way.folder.path):
            edit.textChanged.connect(self._edited)
        self.way.server.edited.connect(self._edited)
        self.way.via_smtp.toggled.connect(self._edited)

    @property
    def server(self) -> MailServerForm:
        return self.way.server

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        settings = snapshot.mail
        self._loaded = settings
        self.sender_name.setText(settings.sender_name)
        self.sender_address.setText(settings.sender_address)
        self.reply_to.setText(settings.reply_to)
        self.way.show_settings(settings)

    def settings(self) -> SmtpSettings:
        base = replace(
            self._loaded,
            sender_name=self.sender_name.text(),
            sender_address=self.sender_address.text(),
            reply_to=self.reply_to.text(),
        )
        return self.way.apply_to(base)

    def password(self) -> str:
        return self.way.server.password.text()

    def problem(self) -> str | None:
        try:
            self.settings().validated()
        except TreffpunktError as error:
            return str(error)
        return None

    def add_changes(self, changes: dict[str, Any]) -> None:
        settings = self.settings()
        if settings != self._loaded:
            changes["mail"] = settings  # checked (and normalised) when stored

    def saved(self) -> None:
        """After saving: the typed password is in the keyring (or this session)."""
        self._loaded = self.settings().validated()
        self.show_settings_again()

    def show_settings_again(self) -> None:
        self.way.show_settings(self._loaded)
