"""Sending the minutes: recipients (attendees and excused by default, an editable "informed
only" list), the way out (.eml drafts or the configured SMTP server), progress with cancel,
and the result per recipient.

A stand-in until the invitation mailing dialog can be shared (``ui.meetings.mailing_dialog``
did not exist when this was written); the work is the same: ``queue_minutes`` then
``send_outbox``, both resumable (the outbox never sends a message twice).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import N_, _
from app.mail.compose import Attachment
from app.mail.documents import document_attachment
from app.mail.errors import MailError
from app.mail.mailings import MailRecipient, QueueReport, queue_minutes
from app.mail.outbox import SendReport, send_outbox
from app.mail.secrets import SessionPasswords
from app.mail.transports import EmlTransport, SmtpTransport, Transport, drafts_folder
from app.models import AttendanceStatus, OutboxKind, OutboxState
from app.services.mail_settings import MailMode, SmtpSettings, load_smtp_settings
from app.services.meetings import MeetingDetail
from app.services.minutes import Distribution, distribution_list
from ui.tasks import TaskHandle, TaskRunner
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import Column, RowTableModel, TableView


@dataclass(frozen=True, slots=True)
class ResultRow:
    name: str
    address: str
    outcome: str
    ok: bool


def result_columns() -> list[Column]:
    return [
        Column(N_("Recipient"), lambda r: r.name, width=24),
        Column(N_("Address"), lambda r: r.address, width=26),
        Column(N_("Result"), lambda r: r.outcome, stretch=True, width=30),
    ]


@dataclass(frozen=True, slots=True)
class SendOutcome:
    queued: QueueReport
    sent: SendReport


# Typed passwords live in memory for this session only (never written anywhere).
SESSION_PASSWORDS = SessionPasswords()


@dataclass(frozen=True, slots=True)
class Prepared:
    distribution: Distribution
    settings: SmtpSettings


def prepare(db: Database, meeting_id: int) -> Prepared:
    return Prepared(distribution_list(db, meeting_id), load_smtp_settings(db))


def send_minutes(
    handle: TaskHandle,
    db: Database,
    meeting_id: int,
    informed_only: list[str],
    statuses: tuple[AttendanceStatus, ...],
    transport: Transport,
) -> SendOutcome:
    """Worker thread: render the PDF once, queue one mail per recipient, send the queue."""
    handle.progress(0, 0, _("Making the PDF…"))
    attachment = document_attachment(db, "minutes", meeting_id)
    handle.raise_if_cancelled()

    def attachments(_detail: MeetingDetail, _recipient: MailRecipient) -> tuple[Attachment, ...]:
        return (attachment,)

    queued = queue_minutes(
        db,
        meeting_id,
        informed_only=informed_only,
        statuses=statuses,
        attachments_for=attachments,
    )
    handle.raise_if_cancelled()
    counts = [0, 0]

    def progressed(done: int, total: int) -> None:
        counts[:] = [done, total]
        handle.progress(done, total, _("Sending…"))

    sent = send_outbox(
        db,
        transport,
        meeting_id=meeting_id,
        kinds=(OutboxKind.MINUTES,),
        progress=progressed,
        status=lambda text: handle.progress(counts[0], counts[1], text or _("Sending…")),
        cancelled=lambda: handle.cancelled,
    )
    return SendOutcome(queued, sent)


def result_rows(outcome: SendOutcome) -> list[ResultRow]:
    rows = []
    report = outcome.sent
    for result in report.results:
        if result.state is OutboxState.SENT:
            text, ok = (_("draft written") if report.drafts else _("sent")), True
        else:
            text, ok = _("failed: {error}").format(error=result.error), False
        rows.append(ResultRow(result.recipient_name, result.recipient, text, ok))
    for result in report.uncertain:
        rows.append(
            ResultRow(
                result.recipient_name,
                result.recipient,
                _("uncertain: may have been sent (check the outbox)"),
                False,
            )
        )
    for skipped in outcome.queued.skipped:
        rows.append(
            ResultRow(
                skipped.name,
                skipped.address or "",
                _("not sent: {reason}").format(reason=skipped.reason_text),
                False,
            )
        )
    return rows


class SendMinutesDialog(QDialog):
    def __init__(
        self, runner: TaskRunner, db: Database, meeting_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendMinutesDialog")
        self.setWindowTitle(_("Send minutes"))
        resize_within_screen(self, 760, 620)
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self._handle: TaskHandle | None = None
        self.outcome: SendOutcome | None = None

        self.recipients = QLabel(_("Loading the recipients…"))
        self.recipients.setWordWrap(True)
        self.attendees = QCheckBox(_("Attendees"))
        self.attendees.setChecked(True)
        self.excused = QCheckBox(_("Excused"))
        self.excused.setChecked(True)
        self.informed = QPlainTextEdit()
        self.informed.setObjectName("informedOnly")
        self.informed.setAccessibleName(_("Informed only (recipients of the minutes)"))
        self.informed.setPlaceholderText(_("Informed only: one per line, “Name <address>”"))
        self.informed.setMaximumHeight(110)
        self.as_drafts = QRadioButton(_("Save as e-mail drafts (.eml) in the folder"))
        self.as_drafts.setChecked(True)
        self.via_smtp = QRadioButton(_("Send through the mail server from the settings"))
        self.folder = QLineEdit()
        self.folder.setObjectName("emlFolder")
        self.folder.setAccessibleName(_("Folder for the drafts"))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.result_model = RowTableModel(result_columns(), self)
        self.results = TableView(self.result_model, "sendResults")
        self.results.setAccessibleName(_("Results"))
        self.results.hide()

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(_("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("sendNow")
        self.send_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self._close_or_cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(self.recipients)
        boxes = QHBoxLayout()
        boxes.addWidget(self.attendees)
        boxes.addWidget(self.excused)
        boxes.addStretch(1)
        layout.addLayout(boxes)
        layout.addWidget(self.informed)
        layout.addWidget(self.as_drafts)
        layout.addLayout(folder_row)
        layout.addWidget(self.via_smtp)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)

        self._settings = SmtpSettings()
        runner.run(
            prepare,
            db,
            meeting_id,
            key="minutes-distribution",
            on_done=self._prepared,
            on_error=self._failed,
        )

    def _prepared(self, prepared: Prepared) -> None:
        self._settings = prepared.settings
        if prepared.settings.has_server:
            self.via_smtp.setText(
                _("Send through the mail server {server}").format(
                    server=f"{prepared.settings.host}:{prepared.settings.port}"
                )
            )
        else:
            self.via_smtp.setText(_("Send through the mail server (none set up yet)"))
            self.via_smtp.setEnabled(False)
        # The way and the drafts folder the settings name (mail.mode, mail.eml_dir).
        if not self.folder.text().strip():
            self.folder.setText(str(prepared.settings.drafts_dir))
        if prepared.settings.has_server and prepared.settings.mode is MailMode.SMTP:
            self.via_smtp.setChecked(True)
        self._show_distribution(prepared.distribution)

    def _show_distribution(self, distribution: Distribution) -> None:
        self.recipients.setText(
            _(
                "Each recipient gets a personal e-mail with the minutes as PDF: {attendees} "
                "attendees, {excused} excused, {informed} informed only."
            ).format(
                attendees=len(distribution.attendees),
                excused=len(distribution.excused),
                informed=len(distribution.informed_only),
            )
        )
        self.informed.setPlainText(
            "\n".join(
                f"{r.name} <{r.email}>" if r.email and r.name != r.email else (r.email or r.name)
                for r in distribution.informed_only
                if r.email
            )
        )
        self.send_button.setEnabled(True)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the e-mail drafts"))
        if folder:
            self.folder.setText(folder)

    def _transport(self) -> Transport | None:
        if self.as_drafts.isChecked():
            try:
                return EmlTransport(drafts_folder(self.folder.text()))
            except MailError as error:  # nothing typed, a bare name, hidden controls
                self.status.setText(str(error))
                return None
        settings = self._settings
        password = None
        if settings.username:
            password = SESSION_PASSWORDS.get(settings)
            if password is None:
                password, ok = QInputDialog.getText(
                    self,
                    _("Mail server password"),
                    _("Password for {account} (kept only until Treffpunkt is closed):").format(
                        account=settings.keyring_account
                    ),
                    QLineEdit.EchoMode.Password,
                )
                if not ok:
                    return None
                SESSION_PASSWORDS.remember(settings, password, save=False)
        return SmtpTransport(settings, password)

    def send(self) -> None:
        transport = self._transport()
        if transport is None:
            return
        statuses = tuple(
            status
            for status, box in (
                (AttendanceStatus.PRESENT, self.attendees),
                (AttendanceStatus.EXCUSED, self.excused),
            )
            if box.isChecked()
        )
        informed = [line for line in self.informed.toPlainText().splitlines() if line.strip()]
        self.send_button.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 0)
        self.status.setText(_("Making the PDF…"))
        self.close_button.setText(_("Cancel"))
        self._handle = self._runner.run(
            send_minutes,
            self._db,
            self._meeting_id,
            informed,
            statuses,
            transport,
            with_handle=True,
            on_done=self._sent,
            on_error=self._failed,
            on_progress=self._progress,
        )

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if text:
            self.status.setText(text)

    def _finished(self) -> None:
        self._handle = None
        self.progress.hide()
        self.close_button.setText(_("Close"))

    def _sent(self, outcome: SendOutcome) -> None:
        self._finished()
        self.outcome = outcome
        self.status.setText(outcome.sent.summary())
        self.result_model.set_rows(result_rows(outcome))
        self.results.show()

    def _failed(self, error: BaseException) -> None:
        self._finished()
        self.send_button.setEnabled(True)
        text = str(error) if isinstance(error, TreffpunktError) else type(error).__name__
        self.status.setText(text)

    def _close_or_cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self.status.setText(_("Cancelled; messages not sent yet stay in the outbox."))
            self._finished()
            self.send_button.setEnabled(True)
            return
        self.reject()
