"""Settings page "Organisation & letterhead": name, department, postal address, further lines
and logo of the letterhead (``organisation.*``), and the press contact.

A chosen logo file is read and checked on the task runner (Pillow decodes it); the bytes are
stored in the database with the letterhead, so a backup prints the same letterhead elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
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

from app.errors import TreffpunktError
from app.i18n import _
from app.services.letterhead import Letterhead, LetterheadFields, check_fields, check_letterhead
from app.services.settings_form import SettingsSnapshot
from app.services.settings_registry import MAX_PRESS_CONTACT
from ui.settings.page import SettingsPage, hint_label, say
from ui.tasks import TaskRunner
from ui.widgets.sizing import text_lines_height

LOGO_HEIGHT = 56


def read_logo(path: Path) -> bytes:
    """Worker: the file's bytes, checked (and turned upright) like the stored logo."""
    checked = check_letterhead(Letterhead("-", (), path.read_bytes())).logo
    assert checked is not None
    return checked


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


class OrganisationPage(SettingsPage):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("organisationPage", parent)
        self.title = _("Organisation & letterhead")
        self._runner = runner
        self._loaded = LetterheadFields()
        self._press_loaded = ""
        self.logo: bytes | None = None

        self.name = _line("organisationName", _("e.g. Quartiersmanagement Stahldorf"))
        self.department = _line("organisationDepartment", _("e.g. Fachbereich Soziales"))
        self.street = _line("organisationStreet", _("e.g. Hauptstraße 5"))
        self.postcode = _line("organisationPostcode", "47798")
        self.postcode.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 12)
        self.city = _line("organisationCity", _("e.g. Krefeld"))
        self.city.setAccessibleName(_("Town"))
        town = QHBoxLayout()
        town.addWidget(self.postcode)
        town.addWidget(self.city, 1)
        self.extra = QPlainTextEdit()
        self.extra.setObjectName("organisationExtraLines")
        self.extra.setTabChangesFocus(True)
        self.extra.setPlaceholderText(_("e.g. telephone, web site (one per line)"))
        self.extra.setMaximumHeight(text_lines_height(self.extra, 4))
        self.logo_view = QLabel(_("(no logo)"))
        self.logo_view.setObjectName("organisationLogo")
        self.logo_view.setMinimumHeight(LOGO_HEIGHT)
        self.choose_button = QPushButton(_("Choose logo…"))
        self.choose_button.setObjectName("organisationChooseLogo")
        self.choose_button.clicked.connect(self.choose_logo)
        self.remove_button = QPushButton(_("Remove logo"))
        self.remove_button.setObjectName("organisationRemoveLogo")
        self.remove_button.clicked.connect(lambda: self._set_logo(None))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_view, 1)
        logo_row.addWidget(self.choose_button)
        logo_row.addWidget(self.remove_button)
        self.press = QPlainTextEdit()
        self.press.setObjectName("pressContact")
        self.press.setTabChangesFocus(True)
        self.press.setPlaceholderText(_("Name, telephone and e-mail for questions from the press"))
        self.press.setMaximumHeight(text_lines_height(self.press, 4))

        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Department:"), self.department)
        form.addRow(_("&Street and number:"), self.street)
        town_label = QLabel(_("&Postcode and town:"))
        town_label.setBuddy(self.postcode)
        form.addRow(town_label, town)
        form.addRow(_("&Further lines:"), self.extra)
        form.addRow(_("Logo:"), logo_row)
        form.addRow(_("&Press contact:"), self.press)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                _(
                    "The letterhead of invitations, sign-in sheets, minutes and letters; the "
                    "sign-in sheet names it as responsible for the data."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for edit in (self.name, self.department, self.street, self.postcode, self.city):
            edit.textChanged.connect(self._edited)
        self.extra.textChanged.connect(self._edited)
        self.press.textChanged.connect(self._edited)

    # -- data ------------------------------------------------------------------------------------

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        fields = snapshot.letterhead
        self._loaded = fields
        self._press_loaded = snapshot.press_contact
        self.name.setText(fields.name)
        self.department.setText(fields.department)
        self.street.setText(fields.street)
        self.postcode.setText(fields.postcode)
        self.city.setText(fields.city)
        self.extra.setPlainText("\n".join(fields.extra_lines))
        self.press.setPlainText(snapshot.press_contact)
        self._set_logo(fields.logo, edited=False)

    def fields(self) -> LetterheadFields:
        return LetterheadFields(
            name=self.name.text(),
            department=self.department.text(),
            street=self.street.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            extra_lines=_lines(self.extra),
            logo=self.logo,
        )

    def problem(self) -> str | None:
        try:
            # The logo was checked when it was chosen; decoding it per keystroke is not needed.
            check_fields(replace(self.fields(), logo=None), name_required=True)
        except TreffpunktError as error:
            return str(error)
        if len(self.press.toPlainText().strip()) > MAX_PRESS_CONTACT:
            return _("The press contact may be at most {max} characters long.").format(
                max=MAX_PRESS_CONTACT
            )
        return None

    def add_changes(self, changes: dict[str, Any]) -> None:
        fields = self.fields()
        if fields != self._loaded:
            changes["letterhead"] = fields
        press = self.press.toPlainText().strip()
        if press != self._press_loaded.strip():
            changes["press_contact"] = press

    # -- logo --------------------------------------------------------------------------------------

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose logo"), "", _("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self._runner.run(
                read_logo, Path(path), on_done=self._set_logo, on_error=self._logo_failed
            )

    def _logo_failed(self, error: BaseException) -> None:
        if isinstance(error, OSError):
            text = _("The file cannot be read: {reason}").format(reason=error.strerror or error)
        elif isinstance(error, TreffpunktError):
            text = str(error)
        else:
            text = _("That did not work.")
        say(self.error, text)

    def _set_logo(self, data: bytes | None, *, edited: bool = True) -> None:
        self.logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_view.setPixmap(
                pixmap.scaledToHeight(LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.logo_view.clear()
            self.logo_view.setText(_("(no logo)"))
        self.remove_button.setEnabled(data is not None)
        if edited:
            self._edited()
