"""The steps of the set-up assistant (``ui.settings.setup_wizard``): organisation, sender,
how mail leaves, usual venue and time, contacts.

Each step checks its input as it is typed with the services' own checks (``problem``; Next
only when there is none) and gives its answer, or ``None`` when it was skipped or left as
stored (``answer``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWizardPage,
)

from app.errors import TreffpunktError, ValidationError
from app.i18n import _
from app.mail.secrets import SessionPasswords
from app.services.letterhead import LetterheadFields, check_fields
from app.services.mail_settings import SmtpSettings
from app.services.planning.defaults import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES
from app.services.setup_assistant import SenderAnswer, UsualMeeting
from app.text import nfc
from ui.emitting import emit
from ui.settings.page import hint_label, message_label, say
from ui.settings.sender_page import WayChoice
from ui.tasks import TaskRunner


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class StepPage(QWizardPage):
    """A step whose input is checked as it is typed: Next only when ``problem`` is None."""

    def __init__(self, name: str, title: str, subtitle: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.error = message_label(f"{name}Error")
        self.skipped = False

    def problem(self) -> str | None:
        return None

    def isComplete(self) -> bool:
        text = self.problem()
        say(self.error, text)
        return text is None

    def _changed(self, *_args: object) -> None:
        self.skipped = False
        emit(self.completeChanged)


class OrganisationStep(StepPage):
    def __init__(self) -> None:
        super().__init__(
            "setupOrganisation",
            _("Your organisation"),
            _(
                "Name and address appear as letterhead on invitations, sign-in sheets and "
                "minutes. You can change them later under Extras ▸ Settings."
            ),
        )
        self._stored = LetterheadFields()
        self.name = _line("setupName", _("e.g. Quartiersmanagement Stahldorf"))
        self.department = _line("setupDepartment", _("e.g. Fachbereich Soziales"))
        self.street = _line("setupStreet", _("e.g. Hauptstraße 5"))
        self.postcode = _line("setupPostcode", "47798")
        self.postcode.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 12)
        self.city = _line("setupCity", _("e.g. Krefeld"))
        self.city.setAccessibleName(_("Town"))
        town = QHBoxLayout()
        town.addWidget(self.postcode)
        town.addWidget(self.city, 1)
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Department:"), self.department)
        form.addRow(_("&Street and number:"), self.street)
        town_label = QLabel(_("&Postcode and town:"))
        town_label.setBuddy(self.postcode)
        form.addRow(town_label, town)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for edit in (self.name, self.department, self.street, self.postcode, self.city):
            edit.textChanged.connect(self._changed)

    def show_answer(self, fields: LetterheadFields) -> None:
        self._stored = fields
        self.name.setText(fields.name)
        self.department.setText(fields.department)
        self.street.setText(fields.street)
        self.postcode.setText(fields.postcode)
        self.city.setText(fields.city)
        self.skipped = False

    def fields(self) -> LetterheadFields:
        return replace(
            self._stored,
            name=self.name.text(),
            department=self.department.text(),
            street=self.street.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
        )

    def problem(self) -> str | None:
        try:
            check_fields(replace(self.fields(), logo=None), name_required=True)
        except TreffpunktError as error:
            return str(error)
        return None

    def answer(self) -> LetterheadFields | None:
        fields = self.fields()
        return None if self.skipped or fields == self._stored else fields


class SenderStep(StepPage):
    def __init__(self) -> None:
        super().__init__(
            "setupSender",
            _("Sender of the e-mails"),
            _("Invitations and minutes go out as personal e-mails with this sender."),
        )
        self.sender_name = _line("setupSenderName", _("e.g. Sabine Krüger, Quartiersmanagement"))
        self.sender_address = _line("setupSenderAddress", _("e.g. quartier@stadt.example"))
        self.reply_to = _line("setupReplyTo", _("optional: where replies should go"))
        form = QFormLayout()
        form.addRow(_("Sender &name:"), self.sender_name)
        form.addRow(_("Sender &address:"), self.sender_address)
        form.addRow(_("&Replies to:"), self.reply_to)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for edit in (self.sender_name, self.sender_address, self.reply_to):
            edit.textChanged.connect(self._changed)

    def show_answer(self, sender: SenderAnswer) -> None:
        self.sender_name.setText(sender.name)
        self.sender_address.setText(sender.address)
        self.reply_to.setText(sender.reply_to)
        self.skipped = False

    def _sender(self) -> SenderAnswer:
        return SenderAnswer(
            self.sender_name.text(), self.sender_address.text(), self.reply_to.text()
        )

    def problem(self) -> str | None:
        sender = self._sender()
        settings = SmtpSettings(
            sender_name=sender.name, sender_address=sender.address, reply_to=sender.reply_to
        )
        try:
            settings.validated()
        except TreffpunktError as error:
            return str(error)
        if sender.name.strip() and not sender.address.strip():
            return _("Please enter the sender's e-mail address too.")
        return None

    def answer(self) -> SenderAnswer | None:
        sender = self._sender()
        empty = not any(part.strip() for part in (sender.name, sender.address, sender.reply_to))
        return None if self.skipped or empty else sender


class MailStep(StepPage):
    def __init__(self, runner: TaskRunner, passwords: SessionPasswords) -> None:
        super().__init__(
            "setupMail",
            _("How mail leaves"),
            _(
                "Through your mail server, or as drafts that Outlook opens ready to send. "
                "“Test connection” logs in without sending anything."
            ),
        )
        self._stored = SmtpSettings()
        self.way = WayChoice(runner, passwords)
        layout = QVBoxLayout(self)
        layout.addWidget(self.way)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.way.server.edited.connect(self._changed)
        self.way.via_smtp.toggled.connect(self._changed)
        self.way.folder.path.textChanged.connect(self._changed)

    def show_answer(self, settings: SmtpSettings) -> None:
        self._stored = settings
        self.way.show_settings(settings)
        self.skipped = False

    def settings(self) -> SmtpSettings:
        return self.way.apply_to(self._stored)

    def password(self) -> str:
        return "" if self.skipped else self.way.server.password.text()

    def problem(self) -> str | None:
        try:
            self.settings().validated()
        except TreffpunktError as error:
            return str(error)
        return None

    def answer(self) -> SmtpSettings | None:
        return None if self.skipped else self.settings()


class MeetingStep(StepPage):
    def __init__(self) -> None:
        super().__init__(
            "setupMeeting",
            _("Usual venue and time"),
            _(
                "New meetings start with these until there are earlier meetings to go by. "
                "Leave the venue empty if it changes every time."
            ),
        )
        self.venue = _line("setupVenue", _("e.g. Museumscafé K+"))
        self.street = _line("setupVenueStreet", _("Street and number"))
        self.postcode = _line("setupVenuePostcode", _("Postcode"))
        self.postcode.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 12)
        self.city = _line("setupVenueCity", _("Town"))
        # The row's label names the street; the placeholders vanish once typed in.
        self.postcode.setAccessibleName(_("Postcode of the venue"))
        self.city.setAccessibleName(_("Town of the venue"))
        town = QHBoxLayout()
        town.addWidget(self.postcode)
        town.addWidget(self.city, 1)
        self.start = QTimeEdit(QTime(18, 0))
        self.start.setObjectName("setupStart")
        self.start.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self.start.setDisplayFormat("HH:mm")
        self.duration = QSpinBox()
        self.duration.setObjectName("setupDuration")
        self.duration.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self.duration.setRange(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setValue(120)
        self.duration.setSuffix(" " + _("minutes"))
        form = QFormLayout()
        form.addRow(_("Usual &venue:"), self.venue)
        form.addRow(_("Venue a&ddress:"), self.street)
        form.addRow("", town)
        form.addRow(_("Usual &start:"), self.start)
        form.addRow(_("Usual &length:"), self.duration)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for edit in (self.venue, self.street, self.postcode, self.city):
            edit.textChanged.connect(self._changed)
        self.start.timeChanged.connect(self._changed)
        self.duration.valueChanged.connect(self._changed)

    def show_answer(self, meeting: UsualMeeting) -> None:
        self.venue.setText(meeting.venue_name)
        self.street.setText(meeting.street)
        self.postcode.setText(meeting.postcode)
        self.city.setText(meeting.city)
        self.start.setTime(QTime(meeting.start.hour, meeting.start.minute))
        self.duration.setValue(meeting.duration_minutes)
        self.skipped = False

    def problem(self) -> str | None:
        address = (self.street.text(), self.postcode.text(), self.city.text())
        if any(part.strip() for part in address) and not nfc(self.venue.text()):
            return str(ValidationError(_("A venue needs a name.")))
        return None

    def answer(self) -> UsualMeeting | None:
        if self.skipped:
            return None
        start = self.start.time()
        return UsualMeeting(
            venue_name=self.venue.text(),
            street=self.street.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            start=time(start.hour(), start.minute()),
            duration_minutes=self.duration.value(),
        )


class ContactsStep(StepPage):
    def __init__(self) -> None:
        super().__init__(
            "setupContacts",
            _("Contacts"),
            _("Bring in the partners you already have, or start with an empty directory."),
        )
        self.import_now = QRadioButton(
            _("&Import contacts now (Outlook, Google or Excel list, vCard)")
        )
        self.import_now.setObjectName("setupImport")
        self.start_empty = QRadioButton(_("Start &empty and add people later"))
        self.start_empty.setObjectName("setupEmpty")
        self.start_empty.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.import_now)
        layout.addWidget(self.start_empty)
        layout.addWidget(
            hint_label(
                _(
                    "Finish stores your answers. Everything can be changed later under "
                    "Extras ▸ Settings; contacts can be imported any time with File ▸ Import "
                    "contacts."
                )
            )
        )
        layout.addWidget(self.error)
        layout.addStretch(1)
