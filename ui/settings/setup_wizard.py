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

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import _
from app.mail.secrets import SessionPasswords
from app.services.setup_assistant import (
    SetupAnswers,
    finish_setup,
    load_setup_answers,
    skip_setup,
)
from ui.emitting import emit
from ui.settings.page import say
from ui.settings.setup_steps import (
    ContactsStep,
    MailStep,
    MeetingStep,
    OrganisationStep,
    SenderStep,
    StepPage,
)
from ui.tasks import TaskRunner
from ui.widgets.sizing import resize_within_screen

WIZARD_SIZE = (760, 560)
SKIP = QWizard.WizardButton.CustomButton1


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
        resize_within_screen(self, *WIZARD_SIZE)
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
