"""File ▸ Connect to server…: where the shared database is, and the password.

The dialog only collects the fields; the window opens the database (``connect_requested``)
and answers with ``connected`` (the dialog closes) or ``failed`` (the dialog stays, says why,
keeps everything typed, and its button becomes "Try again").
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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

from app.db.location import ServerAddress
from app.db.server_form import SSL_MODES, ServerForm, server_address
from app.errors import InvalidDatabaseLocation
from app.i18n import _
from ui.palette import Tone, set_tone
from ui.widgets.sizing import resize_within_screen


class ConnectDialog(QDialog):
    """Signals:
    connect_requested(object, object, bool): the ``ServerAddress``, the typed password (None
        when left empty: the keyring's or ``.pgpass`` is used) and "save in the keyring".
    """

    connect_requested = Signal(object, object, bool)

    def __init__(self, form: ServerForm | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle(_("Connect to server"))
        form = form or ServerForm()

        intro = QLabel(
            _(
                "Work together with your colleagues on one database on a PostgreSQL server. "
                "Your IT department tells you the server, the database and your user name."
            )
        )
        intro.setWordWrap(True)

        self.host = QLineEdit(form.host)
        self.host.setObjectName("serverHost")
        self.host.setAccessibleName(_("Server"))
        self.host.setPlaceholderText(_("e.g. db.stadt.example"))
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setAccessibleName(_("Port"))
        self.port.setRange(1, 65535)
        self.port.setValue(form.port)
        self.dbname = QLineEdit(form.dbname)
        self.dbname.setObjectName("serverDatabase")
        self.dbname.setAccessibleName(_("Database"))
        self.user = QLineEdit(form.user)
        self.user.setObjectName("serverUser")
        self.user.setAccessibleName(_("User name"))
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setAccessibleName(_("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("empty: from the keyring or .pgpass"))
        self.save_password = QCheckBox(_("Save in the keyring"))
        self.save_password.setObjectName("savePassword")
        self.save_password.setAccessibleName(_("Save the password in the keyring"))
        self.sslmode = QComboBox()
        self.sslmode.setObjectName("serverSslMode")
        self.sslmode.setAccessibleName(_("Encryption"))
        for mode, label in SSL_MODES:
            self.sslmode.addItem(_(label), mode)
        self.sslmode.setCurrentIndex(max(0, self.sslmode.findData(form.sslmode)))

        fields = QFormLayout()
        fields.addRow(_("&Server:"), self.host)
        fields.addRow(_("&Port:"), self.port)
        fields.addRow(_("&Database:"), self.dbname)
        fields.addRow(_("&User name:"), self.user)
        fields.addRow(_("Pass&word:"), self.password)
        fields.addRow("", self.save_password)
        fields.addRow(_("&Encryption:"), self.sslmode)

        self.problem = QLabel()
        self.problem.setObjectName("connectProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_tone(self.problem, Tone.NEGATIVE)
        self.problem.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = QPushButton(_("Connect"))
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._request)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(fields)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 520, 420)
        (self.password if form.host and form.dbname and form.user else self.host).setFocus()

    def form(self) -> ServerForm:
        return ServerForm(
            host=self.host.text(),
            port=self.port.value(),
            dbname=self.dbname.text(),
            user=self.user.text(),
            sslmode=str(self.sslmode.currentData()),
        )

    def _request(self) -> None:
        try:
            address: ServerAddress = server_address(self.form())
        except InvalidDatabaseLocation as exc:
            self.failed(str(exc))
            return
        self._set_busy(True)
        self.problem.setText(_("Connecting to {server}…").format(server=address.host))
        set_tone(self.problem, None)
        self.problem.show()
        password = self.password.text() or None
        self.connect_requested.emit(address, password, self.save_password.isChecked())

    def failed(self, reason: str) -> None:
        """The connection failed: say why; everything typed stays; the button retries."""
        self._set_busy(False)
        self.problem.setText(reason)
        set_tone(self.problem, Tone.NEGATIVE)
        self.problem.show()
        self.connect_button.setText(_("Try again"))
        self.connect_button.setFocus()

    def connected(self) -> None:
        self._set_busy(False)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.host,
            self.port,
            self.dbname,
            self.user,
            self.password,
            self.save_password,
            self.sslmode,
            self.connect_button,
        ):
            widget.setEnabled(not busy)
