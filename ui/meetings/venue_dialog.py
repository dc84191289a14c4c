"""A new venue: name, address, room, accessibility notes (kept for reuse).

Signals:
    created(int): the new venue's id, after it was stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _
from app.services.venues import VenueDraft, create_venue
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text


class VenueDialog(QDialog):
    created = Signal(int)

    def __init__(
        self, runner: TaskRunner, db: Database, name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New venue"))
        self.setObjectName("venueDialog")
        self._runner, self._db = runner, db
        self.venue_id: int | None = None
        self.name = QLineEdit(name)
        self.name.setObjectName("venueName")
        self.street = QLineEdit()
        self.postcode = QLineEdit()
        self.postcode.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 8) + 16)
        self.city = QLineEdit()
        self.room = QLineEdit()
        self.room.setPlaceholderText(_("e.g. “Seminarraum, 1st floor”"))
        self.accessibility = QPlainTextEdit()
        self.accessibility.setObjectName("venueAccessibility")
        self.accessibility.setTabChangesFocus(True)
        self.accessibility.setPlaceholderText(
            _("e.g. step-free entrance at the side, lift, accessible toilet")
        )
        self.accessibility.setMaximumHeight(self.fontMetrics().height() * 5)
        self.error = QLabel()
        self.error.setObjectName("venueError")
        set_tone(self.error, Tone.NEGATIVE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Street:"), self.street)
        form.addRow(_("&Postcode:"), self.postcode)
        form.addRow(_("&City:"), self.city)
        form.addRow(_("&Room:"), self.room)
        form.addRow(_("&Accessibility:"), self.accessibility)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def draft(self) -> VenueDraft:
        return VenueDraft(
            name=self.name.text(),
            street=self.street.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            room=self.room.text(),
            accessibility_notes=self.accessibility.toPlainText(),
        )

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self._runner.run(
            create_venue, self._db, self.draft(), on_done=self._saved, on_error=self._failed
        )

    def _saved(self, venue_id: int) -> None:
        self.venue_id = venue_id
        self.created.emit(venue_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(error))
        self.error.show()
