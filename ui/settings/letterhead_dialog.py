"""The letterhead of invitations and minutes: name, address lines, optional logo.

The logo file is read and checked in the background (``save_letterhead`` stores its bytes in
the database, so a backup prints the same letterhead elsewhere).

Signals:
    ready(): the stored letterhead is shown.
    saved(object): the stored ``Letterhead`` (None when removed).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.documents.base import Letterhead
from app.documents.letterhead import load_letterhead, save_letterhead
from app.errors import TreffpunktError
from app.i18n import _
from ui.emitting import emit
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner

LOGO_HEIGHT = 64


class LetterheadDialog(QDialog):
    ready = Signal()
    saved = Signal(object)

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterheadDialog")
        self.setWindowTitle(_("Letterhead"))
        self._runner, self._db = runner, db
        self.logo: bytes | None = None
        self.name = QLineEdit()
        self.name.setObjectName("letterheadName")
        self.name.setPlaceholderText(_("e.g. Quartiersmanagement Stahldorf"))
        self.address = QPlainTextEdit()
        self.address.setObjectName("letterheadAddress")
        self.address.setTabChangesFocus(True)
        self.address.setPlaceholderText(_("One line each, e.g. street, postcode and town"))
        self.address.setMaximumHeight(self.fontMetrics().height() * 7)
        self.logo_view = QLabel(_("(no logo)"))
        self.logo_view.setObjectName("letterheadLogo")
        self.logo_view.setMinimumHeight(LOGO_HEIGHT)
        choose = QPushButton(_("Choose logo…"))
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton(_("Remove logo"))
        remove.clicked.connect(lambda: self._show_logo(None))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_view, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(remove)
        self.error = QLabel()
        self.error.setObjectName("letterheadError")
        set_tone(self.error, Tone.NEGATIVE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Address:"), self.address)
        form.addRow(_("Logo:"), logo_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        runner.run(load_letterhead, db, on_done=self._show, on_error=self._failed)

    def _show(self, letterhead: Letterhead | None) -> None:
        if letterhead is not None:
            self.name.setText(letterhead.name)
            self.address.setPlainText("\n".join(letterhead.address_lines))
            self._show_logo(letterhead.logo)
        emit(self.ready)

    def _show_logo(self, data: bytes | None) -> None:
        self.logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_view.setPixmap(
                pixmap.scaledToHeight(LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.logo_view.setText(_("(no logo)"))

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose logo"), "", _("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self._runner.run(Path(path).read_bytes, on_done=self._show_logo, on_error=self._failed)

    def letterhead(self) -> Letterhead:
        lines = tuple(line for line in self.address.toPlainText().splitlines() if line.strip())
        return Letterhead(name=self.name.text(), address_lines=lines, logo=self.logo)

    def save(self) -> None:
        self.error.hide()
        self.buttons.setEnabled(False)
        self._runner.run(
            save_letterhead, self._db, self.letterhead(), on_done=self._saved, on_error=self._failed
        )

    def _saved(self, stored: Letterhead | None) -> None:
        emit(self.saved, stored)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, OSError):
            text = _("The file cannot be read: {reason}").format(reason=error.strerror or error)
        elif isinstance(error, TreffpunktError):
            text = str(error)
        else:
            text = _("That did not work.")
        self.error.setText(text)
        self.error.show()
