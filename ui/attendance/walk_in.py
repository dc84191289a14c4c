"""The "new walk-in" form of the door mode: name, organisation, e-mail, guest or directory.

The dialog only collects the form; the door mode saves it in the background and closes the
dialog on success (``finish``) or shows the error inline (``show_error``), so the user never
retypes anything after a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.text import nfc
from ui.palette import Tone, set_tone


@dataclass(frozen=True, slots=True)
class WalkInForm:
    name: str
    organisation: str
    email: str
    as_person: bool
    photo_consent: bool | None = None


class WalkInDialog(QDialog):
    """Signals:
    submitted(object): the ``WalkInForm`` to save (Enter or the Save button).
    """

    submitted = Signal(object)

    def __init__(
        self, name: str = "", photo_consent: bool | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("walkInDialog")
        self.setWindowTitle(_("New walk-in"))
        self.name = QLineEdit(name)
        self.name.setObjectName("walkInName")
        self.organisation = QLineEdit()
        self.organisation.setObjectName("walkInOrganisation")
        self.email = QLineEdit()
        self.email.setObjectName("walkInEmail")
        self.email.setPlaceholderText(_("optional"))
        self.as_guest = QRadioButton(_("As a &guest (not added to the directory)"))
        self.as_guest.setObjectName("walkInAsGuest")
        self.as_person = QRadioButton(_("Add to the &directory"))
        self.as_person.setObjectName("walkInAsPerson")
        self.as_guest.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.as_guest)
        kind.addButton(self.as_person)
        self.photo_yes = QRadioButton(_("&yes"))
        self.photo_yes.setObjectName("walkInPhotoYes")
        self.photo_no = QRadioButton(_("n&o"))
        self.photo_no.setObjectName("walkInPhotoNo")
        self.photo_unknown = QRadioButton(_("not &asked"))
        self.photo_unknown.setObjectName("walkInPhotoUnknown")
        photos = QButtonGroup(self)
        for button in (self.photo_yes, self.photo_no, self.photo_unknown):
            photos.addButton(button)
        {True: self.photo_yes, False: self.photo_no, None: self.photo_unknown}[
            photo_consent
        ].setChecked(True)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_yes)
        photo_row.addWidget(self.photo_no)
        photo_row.addWidget(self.photo_unknown)
        photo_row.addStretch(1)
        self.error = QLabel()
        self.error.setObjectName("walkInError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        set_tone(self.error, Tone.NEGATIVE)
        self.error.hide()

        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Organisation:"), self.organisation)
        form.addRow(_("&E-mail:"), self.email)
        form.addRow(_("Photo consent:"), photo_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.as_guest)
        layout.addWidget(self.as_person)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name.selectAll()
        self.name.setFocus()

    def form(self) -> WalkInForm:
        return WalkInForm(
            name=nfc(self.name.text()).strip(),
            organisation=nfc(self.organisation.text()).strip(),
            email=nfc(self.email.text()).strip(),
            as_person=self.as_person.isChecked(),
            photo_consent=True
            if self.photo_yes.isChecked()
            else (False if self.photo_no.isChecked() else None),
        )

    def accept(self) -> None:
        """Enter/Save: hand the form over; the dialog stays until the door mode saved it."""
        self.error.hide()
        self.save_button.setEnabled(False)
        self.submitted.emit(self.form())

    def show_error(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(text)
        self.error.show()

    def finish(self) -> None:
        super().accept()
