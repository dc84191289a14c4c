"""Mail server settings: host, port, STARTTLS/SSL, user, sender; password into the keyring.

The password is never stored in the database: "Save" puts it into the OS keyring and reads it
back (``SessionPasswords.remember``); a keyring that drops it silently is reported clearly and
the password is then kept for this session only. "Test connection" connects, starts TLS
(certificates always verified) and logs in, without sending anything.

Signals:
    ready(): the stored settings are shown.
    saved(object): the stored ``SmtpSettings``.
    tested(bool, str): the outcome of "Test connection" and the message shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import N_, _
from app.mail.secrets import SessionPasswords
from app.mail.settings import (
    DEFAULT_PORTS,
    SmtpSecurity,
    SmtpSettings,
    load_smtp_settings,
    save_smtp_settings,
)
from app.mail.transports import SmtpTransport
from ui.emitting import emit
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner

SECURITY_LABELS = {
    SmtpSecurity.STARTTLS: N_("STARTTLS (usually port 587)"),
    SmtpSecurity.SSL: N_("SSL/TLS (usually port 465)"),
    SmtpSecurity.NONE: N_("None (local relay only, no login)"),
}


@dataclass(frozen=True)
class _Saved:
    settings: SmtpSettings
    in_keyring: bool | None  # None: no password typed


class SmtpSettingsDialog(QDialog):
    ready = Signal()
    saved = Signal(object)
    tested = Signal(bool, str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        passwords: SessionPasswords,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("smtpSettingsDialog")
        self.setWindowTitle(_("Mail settings"))
        self._runner, self._db, self._passwords = runner, db, passwords
        self.host = QLineEdit()
        self.host.setObjectName("smtpHost")
        self.host.setPlaceholderText(_("e.g. smtp.example.org"))
        self.port = QSpinBox()
        self.port.setObjectName("smtpPort")
        self.port.setRange(1, 65535)
        self.security = QComboBox()
        self.security.setObjectName("smtpSecurity")
        for security, text in SECURITY_LABELS.items():
            self.security.addItem(_(text), security)
        self.security.activated.connect(self._security_chosen)
        self.username = QLineEdit()
        self.username.setObjectName("smtpUser")
        self.password = QLineEdit()
        self.password.setObjectName("smtpPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("unchanged"))
        self.sender_name = QLineEdit()
        self.sender_name.setObjectName("smtpSenderName")
        self.sender_address = QLineEdit()
        self.sender_address.setObjectName("smtpSenderAddress")
        form = QFormLayout()
        form.addRow(_("&Server:"), self.host)
        form.addRow(_("&Port:"), self.port)
        form.addRow(_("&Encryption:"), self.security)
        form.addRow(_("&User name:"), self.username)
        form.addRow(_("Pass&word:"), self.password)
        form.addRow(_("Sender &name:"), self.sender_name)
        form.addRow(_("Sender &address:"), self.sender_address)
        note = QLabel(
            _(
                "The password is kept in the system's password store (keyring), never "
                "in the database or in backups."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        self.message = QLabel()
        self.message.setObjectName("smtpMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.test_button = QPushButton(_("&Test connection"))
        self.test_button.setObjectName("smtpTest")
        self.test_button.clicked.connect(self.test_connection)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        runner.run(load_smtp_settings, db, on_done=self._show, on_error=self._failed)

    def _show(self, settings: SmtpSettings) -> None:
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(0, self.security.findData(settings.security)))
        self.username.setText(settings.username)
        self.sender_name.setText(settings.sender_name)
        self.sender_address.setText(settings.sender_address)
        emit(self.ready)

    def _security_chosen(self, _index: int) -> None:
        # Suggest the usual port when the user still has another scheme's default.
        security = SmtpSecurity(self.security.currentData())
        if self.port.value() in DEFAULT_PORTS.values():
            self.port.setValue(DEFAULT_PORTS[security])

    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=self.host.text(),
            port=self.port.value(),
            security=SmtpSecurity(self.security.currentData()),
            username=self.username.text(),
            sender_name=self.sender_name.text(),
            sender_address=self.sender_address.text(),
        )

    def save(self) -> None:
        settings, password, passwords, db = (
            self.settings(),
            self.password.text(),
            self._passwords,
            self._db,
        )

        def store() -> _Saved:
            stored = save_smtp_settings(db, settings)
            in_keyring = passwords.remember(stored, password, save=True) if password else None
            return _Saved(stored, in_keyring)

        self.buttons.setEnabled(False)
        self._runner.run(store, on_done=self._saved, on_error=self._failed)

    def _saved(self, result: _Saved) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        if result.in_keyring is False:
            self._say(
                _(
                    "Settings saved, but the system's password store did not keep the password. "
                    "It is used until Treffpunkt is closed; after that you will be asked again."
                ),
                ok=False,
            )
        else:
            self._say(_("Settings saved."), ok=True)
        emit(self.saved, result.settings)

    def test_connection(self) -> None:
        settings, typed, passwords = self.settings(), self.password.text(), self._passwords

        def test() -> str:
            checked = settings.validated()
            password = typed or (passwords.get(checked) if checked.username else None)
            with SmtpTransport(checked, password):
                pass
            return _("The connection to {host}:{port} works.").format(
                host=checked.host, port=checked.port
            )

        self.test_button.setEnabled(False)
        self._say(_("Connecting…"), ok=True)
        self._runner.run(test, on_done=self._tested, on_error=self._test_failed)

    def _tested(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self._say(text, ok=True)
        emit(self.tested, True, text)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._failed(error)
        emit(self.tested, False, self.message.text())

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._say(
            str(error) if isinstance(error, TreffpunktError) else _("That did not work."), ok=False
        )

    def _say(self, text: str, *, ok: bool) -> None:
        set_tone(self.message, Tone.POSITIVE if ok else Tone.NEGATIVE)
        self.message.setText(text)
