"""The set-up assistant: five short steps on the first start with a new database.

Organisation (the letterhead), sender, how mail leaves (mail server with a connection test,
or Outlook drafts), the usual venue and time of meetings, and contacts (import now, or start
empty). Every step can be skipped ("Skip this step"): a skipped step keeps what is stored.
"Finish" stores all answers at once (``finish_setup``, one transaction) and then the password
in the keyring; closing the assistant on the first start marks it as skipped, so it is offered
once per database. Extras ▸ Set-up assistant… opens it again, filled with the settings.

Signals:
    ready(): the stored settings are filled in.
    finished_setup(): the answers are stored.
    import_requested(): the user chose to import contacts (the window opens the import).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.db import Database
from app.documents.letterhead import LetterheadFields, check_fields
from app.errors import TreffpunktError, ValidationError
from app.i18n import _
from app.mail.secrets import SessionPasswords
from app.mail.settings import SmtpSettings
from app.services.planning.defaults import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES
from app.services.setup_assistant import (
    SenderAnswer,
    SetupAnswers,
    UsualMeeting,
    finish_setup,
    load_setup_answers,
    skip_setup,
)
from app.text import nfc
from ui.emitting import emit
from ui.settings.page import hint_label, message_label, say
from ui.settings.sender_page import WayChoice
from ui.tasks import TaskRunner

WIZARD_SIZE = (760, 560)
SKIP = QWizard.WizardButton.CustomButton1


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


@dataclass(frozen=True)
class _Finished:
    in_keyring: bool | None


class SetupWizard(QWizard):
    ready = Signal()
    finished_setup = Signal()
    import_requested = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        passwords: SessionPasswords,
        *,
        first_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(_("Set up Treffpunkt"))
        self._runner, self._db, self._passwords = runner, db, passwords
        self._first_start = first_start
        self._stored = False
        self.organisation = OrganisationStep()
        self.sender_step = SenderStep()
        self.mail = MailStep(runner, passwords)
        self.meeting = MeetingStep()
        self.contacts = ContactsStep()
        self.steps: list[StepPage] = [
            self.organisation,
            self.sender_step,
            self.mail,
            self.meeting,
            self.contacts,
        ]
        for step in self.steps:
            self.addPage(step)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(SKIP, _("S&kip this step"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Set up &later"))
        self.customButtonClicked.connect(self._custom_button)
        self.currentIdChanged.connect(self._update_skip)
        self.resize(*WIZARD_SIZE)
        self._update_skip()
        runner.run(load_setup_answers, db, on_done=self._show, on_error=self._failed)

    # -- filling -------------------------------------------------------------------------------

    def _show(self, answers: SetupAnswers) -> None:
        if answers.letterhead is not None:
            self.organisation.show_answer(answers.letterhead)
        if answers.sender is not None:
            self.sender_step.show_answer(answers.sender)
        if answers.mail is not None:
            self.mail.show_answer(answers.mail)
        if answers.meeting is not None:
            self.meeting.show_answer(answers.meeting)
        emit(self.ready)

    # -- skipping ------------------------------------------------------------------------------

    def _custom_button(self, which: int) -> None:
        if which == SKIP.value:
            self.skip_step()

    def skip_step(self) -> None:
        """Go on without this step's answer (what is stored stays)."""
        page = self.currentPage()
        if isinstance(page, StepPage) and page is not self.contacts:
            page.skipped = True
            say(page.error, None)
            self.next()

    def validateCurrentPage(self) -> bool:
        page = self.currentPage()
        if isinstance(page, StepPage) and page.skipped:
            return True
        return super().validateCurrentPage()

    def _update_skip(self, *_args: object) -> None:
        button = self.button(SKIP)
        if button is not None:
            button.setEnabled(self.currentPage() is not self.contacts)

    # -- finishing -----------------------------------------------------------------------------

    def answers(self) -> SetupAnswers:
        return SetupAnswers(
            letterhead=self.organisation.answer(),
            sender=self.sender_step.answer(),
            mail=self.mail.answer(),
            meeting=self.meeting.answer(),
        )

    def accept(self) -> None:
        """Finish: store the answers in the background; close when they are stored."""
        if self._stored:
            super().accept()
            return
        answers, password, passwords, db = (
            self.answers(),
            self.mail.password(),
            self._passwords,
            self._db,
        )

        def store() -> _Finished:
            finish_setup(db, answers)
            if not password or answers.mail is None:
                return _Finished(None)
            return _Finished(passwords.remember(answers.mail.validated(), password, save=True))

        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        say(self.contacts.error, _("Saving…"), ok=True)
        self._runner.run(store, on_done=self._finished, on_error=self._failed)

    def _finished(self, result: _Finished) -> None:
        self._stored = True
        emit(self.finished_setup)
        import_now = self.contacts.import_now.isChecked()
        super().accept()
        if result.in_keyring is False and self.parentWidget() is not None:
            self._warn_keyring()
        if import_now:
            emit(self.import_requested)

    def _warn_keyring(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Password not stored"),
            _(
                "Settings saved, but the system's password store did not keep the password. "
                "It is used until Treffpunkt is closed; after that you will be asked again."
            ),
            QMessageBox.StandardButton.Ok,
            self.parentWidget(),
        )
        box.setObjectName("keyringWarning")
        box.open()

    def _failed(self, error: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        text = str(error) if isinstance(error, TreffpunktError) else _("That did not work.")
        say(self.contacts.error, text)

    def reject(self) -> None:
        """Closed without finishing: on the first start, not offered again for this database."""
        if self._first_start and not self._stored:
            self._runner.run(skip_setup, self._db)
        super().reject()
