"""The mail server fields with "Test connection", shared by the settings dialog and the
set-up assistant.

The test (``app.mail.connection.check_smtp_connection``) runs on the task runner: it connects,
encrypts (STARTTLS or SSL, certificate verified), logs in when a user name is given and says
goodbye (QUIT) without sending anything. The password typed here is used for the test; it is
stored only in the system's keyring, by whoever saves the form.

Signals:
    edited(): a field changed.
    tested(bool, str): the outcome of the test and the sentence shown.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import TreffpunktError
from app.i18n import N_, _
from app.mail.connection import check_smtp_connection
from app.mail.secrets import SessionPasswords
from app.services.mail_settings import (
    DEFAULT_PORTS,
    DEFAULT_RATE_PER_MINUTE,
    MAX_RATE_PER_MINUTE,
    SmtpSecurity,
    SmtpSettings,
)
from ui.emitting import emit
from ui.settings.page import hint_label, message_label, say
from ui.tasks import TaskRunner

SECURITY_LABELS = {
    SmtpSecurity.STARTTLS: N_("STARTTLS (usually port 587)"),
    SmtpSecurity.SSL: N_("SSL/TLS (usually port 465)"),
    SmtpSecurity.NONE: N_("None (local relay only, no login)"),
}


class MailServerForm(QWidget):
    edited = Signal()
    tested = Signal(bool, str)

    def __init__(
        self, runner: TaskRunner, passwords: SessionPasswords, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner, self._passwords = runner, passwords
        self.host = QLineEdit()
        self.host.setObjectName("smtpHost")
        self.host.setPlaceholderText(_("e.g. smtp.example.org"))
        self.port = QSpinBox()
        self.port.setObjectName("smtpPort")
        self.port.setAccessibleName(_("Port"))
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORTS[SmtpSecurity.STARTTLS])
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
        self.rate = QSpinBox()
        self.rate.setObjectName("smtpRate")
        self.rate.setRange(1, MAX_RATE_PER_MINUTE)
        self.rate.setValue(DEFAULT_RATE_PER_MINUTE)
        self.rate.setToolTip(
            _("Providers throttle or block senders that send faster; 20 per minute is safe.")
        )
        self.test_button = QPushButton(_("&Test connection"))
        self.test_button.setObjectName("smtpTest")
        self.test_button.clicked.connect(self.test_connection)
        self.message = message_label("smtpMessage")

        server = QHBoxLayout()
        server.addWidget(self.host, 1)
        server.addWidget(self.port)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        server_label = QLabel(_("&Server and port:"))
        server_label.setBuddy(self.host)  # a row holding a layout gets no buddy by itself
        form.addRow(server_label, server)
        form.addRow(_("&Encryption:"), self.security)
        form.addRow(_("&User name:"), self.username)
        form.addRow(_("Pass&word:"), self.password)
        form.addRow(_("At most &messages per minute:"), self.rate)
        form.addRow(
            "",
            hint_label(
                _(
                    "The password is kept in the system's password store (keyring), never "
                    "in the database or in backups."
                )
            ),
        )
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.message, 1)
        test_row.addStretch(0)
        self.test_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(test_row)
        for edit in (self.host, self.username, self.password):
            edit.textChanged.connect(self._edited)
        self.port.valueChanged.connect(self._edited)
        self.rate.valueChanged.connect(self._edited)
        self.security.currentIndexChanged.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        emit(self.edited)

    def show_settings(self, settings: SmtpSettings) -> None:
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(0, self.security.findData(settings.security)))
        self.username.setText(settings.username)
        self.rate.setValue(settings.rate_per_minute)
        self.password.clear()
        self.password.setPlaceholderText(_("unchanged") if settings.username else "")
        say(self.message, None)

    def apply_to(self, settings: SmtpSettings) -> SmtpSettings:
        """*settings* with the server fields of this form."""
        return replace(
            settings,
            host=self.host.text(),
            port=self.port.value(),
            security=SmtpSecurity(self.security.currentData()),
            username=self.username.text(),
            rate_per_minute=self.rate.value(),
        )

    def _security_chosen(self, _index: int) -> None:
        # Suggest the usual port while the user still has another scheme's default.
        security = SmtpSecurity(self.security.currentData())
        if self.port.value() in DEFAULT_PORTS.values():
            self.port.setValue(DEFAULT_PORTS[security])

    def test_connection(self) -> None:
        settings, typed, passwords = (
            self.apply_to(SmtpSettings()),
            self.password.text(),
            self._passwords,
        )

        def test() -> str:
            checked = settings.validated()
            password = typed or (passwords.get(checked) if checked.username else None)
            return check_smtp_connection(checked, password)

        self.test_button.setEnabled(False)
        say(self.message, _("Connecting…"), ok=True)
        self._runner.run(test, on_done=self._tested, on_error=self._test_failed)

    def _tested(self, text: str) -> None:
        self.test_button.setEnabled(True)
        say(self.message, text, ok=True)
        emit(self.tested, True, text)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        text = str(error) if isinstance(error, TreffpunktError) else _("That did not work.")
        say(self.message, text)
        emit(self.tested, False, text)
