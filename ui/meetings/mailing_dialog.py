"""Send invitations, updates, cancellations or reminders: SMTP or Outlook drafts (.eml).

One background task queues what is missing (``queue_invitations``, with the invitation PDF
from ``app.mail.documents.attachments_for``) and sends the meeting's queued messages
(``send_outbox``) with progress; Cancel stops after the current message and the rest stays in
the outbox. The results table shows each recipient: sent (or draft written), failed with the
server's answer, or uncertain (the connection broke mid-message: the user decides whether it
counts as sent or is sent again, never automatically). "Retry failed" queues the failed ones
again and sends them.

The SMTP password comes from the keyring or is asked once per session
(``app.mail.secrets.SessionPasswords``); it is never stored anywhere else.

Signals:
    ready(): the preview and the recipients' split are shown.
    sent(object): a send run ended with this ``SendReport``.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
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
from app.i18n import N_, _, ngettext
from app.mail.documents import attachments_for
from app.mail.errors import MailError
from app.mail.mailings import QueueReport, mail_preview_text, preview_mail, queue_invitations
from app.mail.outbox import (
    SendReport,
    SendResult,
    resolve_uncertain,
    retry_failed,
    send_outbox,
)
from app.mail.secrets import SessionPasswords
from app.mail.transports import EmlTransport, SmtpTransport, Transport, drafts_folder
from app.models import OutboxKind, OutboxState
from app.services.invitations import DeliverySplit, delivery_split
from app.services.mail_settings import MailMode, SmtpSettings, load_smtp_settings
from ui.emitting import emit
from ui.palette import Tone, set_tone
from ui.tasks import TaskHandle, TaskRunner
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import Column, RowTableModel, TableView

KIND_TITLES = {
    OutboxKind.INVITATION: N_("Send invitations"),
    OutboxKind.UPDATE: N_("Send update"),
    OutboxKind.CANCELLATION: N_("Send cancellation"),
    OutboxKind.REMINDER: N_("Remind those who have not answered"),
}
# The outbox kinds one mailing sends (an invitation run also sends the updates it queued).
SEND_KINDS = {
    OutboxKind.INVITATION: (OutboxKind.INVITATION, OutboxKind.UPDATE),
    OutboxKind.UPDATE: (OutboxKind.INVITATION, OutboxKind.UPDATE),
    OutboxKind.CANCELLATION: (OutboxKind.CANCELLATION,),
    OutboxKind.REMINDER: (OutboxKind.REMINDER,),
}


@dataclass(frozen=True)
class ResultRow:
    result: SendResult
    drafts: bool
    uncertain: bool

    @property
    def outcome(self) -> str:
        if self.uncertain:
            return _("uncertain: may have been sent")
        if self.result.state is OutboxState.SENT:
            return _("draft written") if self.drafts else _("sent")
        return _("failed")


RESULT_COLUMNS = (
    Column(N_("Name"), lambda r: r.result.recipient_name, width=22),
    Column(N_("Address"), lambda r: r.result.recipient, width=26),
    Column(N_("Result"), lambda r: r.outcome, width=18),
    Column(
        N_("Server's answer"),
        lambda r: r.result.error,
        width=30,
        tooltip=lambda r: r.result.error,
        stretch=True,
    ),
)


@dataclass(frozen=True)
class _Prepared:
    split: DeliverySplit
    preview: str
    settings: SmtpSettings


@dataclass(frozen=True)
class MailingOutcome:
    queued: QueueReport | None
    report: SendReport


def _run_mailing(
    handle: TaskHandle,
    db: Database,
    meeting_id: int,
    kind: OutboxKind,
    transport: Transport,
    cancel: threading.Event,
    *,
    queue: bool,
    retry: bool,
) -> MailingOutcome:
    """Worker thread: queue what is missing, then send the meeting's queued messages."""
    kinds = SEND_KINDS[kind]
    if retry:
        retry_failed(db, meeting_id=meeting_id, kinds=kinds)
    queued = None
    if queue:
        cli_kind = "reminders" if kind is OutboxKind.REMINDER else "invitations"
        queued = queue_invitations(
            db, meeting_id, kind=kind, attachments_for=attachments_for(db, cli_kind, meeting_id)
        )
    counts = [0, 0]

    def progressed(done: int, total: int) -> None:
        counts[:] = [done, total]
        handle.progress(done, total)

    report = send_outbox(
        db,
        transport,
        meeting_id=meeting_id,
        kinds=kinds,
        progress=progressed,
        cancelled=cancel.is_set,
        # While it waits (rate limit, a server asking to try later) the dialog says why.
        status=lambda text: handle.progress(counts[0], counts[1], text),
    )
    return MailingOutcome(queued, report)


class MailingDialog(QDialog):
    """See the module docstring."""

    ready = Signal()
    sent = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        kind: OutboxKind,
        passwords: SessionPasswords,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mailingDialog")
        self.setWindowTitle(_(KIND_TITLES[kind]))
        self._runner, self._db, self._meeting_id, self.kind = runner, db, meeting_id, kind
        self._passwords = passwords
        self._settings = SmtpSettings()
        self._cancel = threading.Event()
        self._uncertain: tuple[SendResult, ...] = ()

        self.via_smtp = QRadioButton(_("Send through the mail server"))
        self.via_smtp.setObjectName("viaSmtp")
        self.via_eml = QRadioButton(_("Write Outlook drafts (.eml) into a folder"))
        self.via_eml.setObjectName("viaEml")
        group = QButtonGroup(self)
        group.addButton(self.via_smtp)
        group.addButton(self.via_eml)
        self.server = QLabel()
        self.server.setObjectName("smtpServer")
        self.folder = QLineEdit()
        self.folder.setObjectName("emlFolder")
        self.folder.setAccessibleName(_("Folder for the drafts"))
        self.folder.setPlaceholderText(_("Folder for the drafts"))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose_folder)
        way = QGridLayout()
        settings_button = QPushButton(_("Sender and delivery…"))
        settings_button.setObjectName("mailingSettings")
        settings_button.setToolTip(_("Extras ▸ Settings ▸ Sender & delivery"))
        settings_button.clicked.connect(self.open_settings)
        self.settings_dialog: QDialog | None = None
        way.addWidget(self.via_smtp, 0, 0)
        way.addWidget(self.server, 0, 1)
        way.addWidget(settings_button, 0, 2)
        way.addWidget(self.via_eml, 1, 0)
        way.addWidget(self.folder, 1, 1)
        way.addWidget(choose, 1, 2)
        way.setColumnStretch(1, 1)
        self.via_smtp.toggled.connect(self._update_buttons)
        self.folder.textChanged.connect(self._update_buttons)

        self.recipients = QLabel()
        self.recipients.setObjectName("mailingRecipients")
        self.recipients.setWordWrap(True)
        self.recipients.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("mailPreview")
        self.preview.setAccessibleName(_("Preview"))
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(_("Nobody to preview: no invitee can get e-mail."))

        self.progress = QProgressBar()
        self.progress.setObjectName("mailingProgress")
        self.progress.setFormat(_("%v of %m"))
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("mailingStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.results = RowTableModel(RESULT_COLUMNS, self)
        self.results_view = TableView(self.results, "mailingResults", sortable=False)
        self.results_view.setAccessibleName(_("Results"))
        self.results_view.hide()

        self.send_button = QPushButton(_("&Send"))
        self.send_button.setObjectName("mailingSend")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.cancel_button = QPushButton(_("Stop sending"))
        self.cancel_button.setObjectName("mailingCancel")
        self.cancel_button.clicked.connect(self.cancel_sending)
        self.cancel_button.hide()
        self.retry_button = QPushButton(_("&Retry failed"))
        self.retry_button.setObjectName("mailingRetry")
        self.retry_button.clicked.connect(self.retry)
        self.retry_button.hide()
        self.count_sent_button = QPushButton(_("Uncertain ones: count as sent"))
        self.count_sent_button.clicked.connect(lambda: self.resolve(delivered=True))
        self.count_sent_button.hide()
        self.resend_button = QPushButton(_("Uncertain ones: send again"))
        self.resend_button.clicked.connect(lambda: self.resolve(delivered=False))
        self.resend_button.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.count_sent_button)
        actions.addWidget(self.resend_button)
        actions.addStretch(1)
        actions.addWidget(self.retry_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.send_button)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(way)
        layout.addWidget(self.recipients)
        layout.addWidget(QLabel(_("Preview of one personal mail:")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.results_view, 1)
        layout.addLayout(actions)
        layout.addWidget(self.close_box)
        resize_within_screen(self, 760, 640)
        self._update_buttons()
        runner.run(
            self._prepare, db, meeting_id, kind, on_done=self._prepared, on_error=self._failed
        )

    # -- preparing -----------------------------------------------------------------------------

    @staticmethod
    def _prepare(db: Database, meeting_id: int, kind: OutboxKind) -> _Prepared:
        split = delivery_split(db, meeting_id)
        text = ""
        if split.by_email:
            first = split.by_email[0]
            preview = preview_mail(
                db, meeting_id, first.person_id, kind, organisation_id=first.organisation_id
            )
            text = mail_preview_text(preview)
        return _Prepared(split, text, load_smtp_settings(db))

    def _prepared(self, prepared: _Prepared) -> None:
        self._show_way(prepared.settings)
        self.preview.setPlainText(prepared.preview)
        split = prepared.split
        text = ngettext(
            "{n} invitee can be reached by e-mail.",
            "{n} invitees can be reached by e-mail.",
            len(split.by_email),
        ).format(n=len(split.by_email))
        if split.by_letter:
            text += " " + ngettext(
                "{n} needs a letter: {names}.", "{n} need a letter: {names}.", len(split.by_letter)
            ).format(n=len(split.by_letter), names=", ".join(r.name for r in split.by_letter))
        self.recipients.setText(text)
        self._update_buttons()
        emit(self.ready)

    def _show_way(self, settings: SmtpSettings) -> None:
        """Preselect the way the settings name (``mail.mode``), with their drafts folder."""
        self._settings = settings
        if not self.folder.text().strip():
            self.folder.setText(str(settings.drafts_dir))
        if settings.has_server:
            self.server.setText(f"{settings.host}:{settings.port}")
            self.via_smtp.setEnabled(True)
        else:
            self.server.setText(_("(no mail server set up yet)"))
            self.via_smtp.setEnabled(False)
        use_server = settings.has_server and settings.mode is MailMode.SMTP
        (self.via_smtp if use_server else self.via_eml).setChecked(True)
        self._update_buttons()

    def open_settings(self) -> None:
        """Extras ▸ Settings on the sender page; the way shown here follows what is saved."""
        from ui.settings.dialog import SettingsDialog  # the dialog imports every page

        dialog = SettingsDialog(
            self._runner,
            self._db,
            self._passwords,
            meeting_id=self._meeting_id,
            page="sender",
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._reload_settings)
        dialog.open()
        self.settings_dialog = dialog

    def _reload_settings(self) -> None:
        self._runner.run(
            load_smtp_settings, self._db, on_done=self._show_way, on_error=self._failed
        )

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Folder for the drafts"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)
            self.via_eml.setChecked(True)

    def _update_buttons(self, *_args: object) -> None:
        ready = self.via_smtp.isChecked() or bool(self.folder.text().strip())
        self.send_button.setEnabled(ready and not self.cancel_button.isVisible())

    # -- sending -------------------------------------------------------------------------------

    def _transport(self) -> Transport | None:
        if self.via_eml.isChecked():
            try:
                return EmlTransport(drafts_folder(self.folder.text()))
            except MailError as error:  # a bare name, a relative path, hidden controls
                self.status.setText(str(error))
                return None
        settings = self._settings
        password = None
        if settings.username:
            password = self._passwords.get(settings)
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
                self._passwords.remember(settings, password, save=False)
        return SmtpTransport(settings, password)

    def send(self) -> None:
        self._start(queue=True, retry=False)

    def retry(self) -> None:
        self._start(queue=False, retry=True)

    def _start(self, *, queue: bool, retry: bool) -> None:
        transport = self._transport()
        if transport is None:
            return
        self._cancel = threading.Event()
        self.status.setText(_("Preparing the messages…"))
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        for button in (self.retry_button, self.count_sent_button, self.resend_button):
            button.hide()
        self.send_button.setEnabled(False)
        self.close_box.setEnabled(False)
        self._runner.run(
            functools.partial(_run_mailing, queue=queue, retry=retry),
            self._db,
            self._meeting_id,
            self.kind,
            transport,
            self._cancel,
            with_handle=True,
            on_progress=self._progressed,
            on_done=self._sent,
            on_error=self._failed,
        )

    def cancel_sending(self) -> None:
        """Stop after the current message (or at once during a wait); what is left stays
        queued in the outbox."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.status.setText(_("Stopping after the current message…"))

    def is_sending(self) -> bool:
        return self.cancel_button.isVisible()

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not self._cancel.is_set():
            self.status.setText(
                text or _("Sending {done} of {total}…").format(done=done, total=total)
            )

    def _sent(self, outcome: MailingOutcome) -> None:
        self._finish_ui()
        report = outcome.report
        rows = [ResultRow(r, report.drafts, False) for r in report.results]
        rows += [ResultRow(r, report.drafts, True) for r in report.uncertain]
        self.results.set_rows(rows)
        self.results_view.setVisible(bool(rows))
        text = report.summary()
        if outcome.queued is not None and outcome.queued.for_letter:
            letters = outcome.queued.for_letter
            text += " " + ngettext(
                "{n} person needs a letter: {names}.",
                "{n} people need a letter: {names}.",
                len(letters),
            ).format(n=len(letters), names=", ".join(s.name for s in letters))
        self.status.setText(text)
        set_tone(self.status, None if report.ok else Tone.NEGATIVE)
        self.retry_button.setVisible(bool(report.failed))
        self._uncertain = report.uncertain
        self.count_sent_button.setVisible(bool(report.uncertain))
        self.resend_button.setVisible(bool(report.uncertain))
        self.send_button.setText(_("&Send the rest") if report.still_queued else _("&Send"))
        emit(self.sent, report)

    def resolve(self, *, delivered: bool) -> None:
        """The user's decision about uncertain messages (see ``resolve_uncertain``)."""
        ids = [r.outbox_id for r in self._uncertain]
        self._runner.run(
            functools.partial(resolve_uncertain, delivered=delivered),
            self._db,
            ids,
            on_done=lambda _count: self._resolved(delivered),
            on_error=self._failed,
        )

    def _resolved(self, delivered: bool) -> None:
        self.count_sent_button.hide()
        self.resend_button.hide()
        self._uncertain = ()
        if not delivered:
            self._start(queue=False, retry=False)

    def _finish_ui(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.close_box.setEnabled(True)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._finish_ui()
        set_tone(self.status, Tone.NEGATIVE)
        self.status.setText(
            str(error) if isinstance(error, TreffpunktError) else _("Sending failed.")
        )

    def reject(self) -> None:
        if self.is_sending():  # closing mid-run would hide what happened: stop first
            self.cancel_sending()
            return
        super().reject()
