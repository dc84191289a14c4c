"""What both mailing dialogs share: the way out, the password, and the sending run.

``DeliveryChoice`` offers the configured mail server or Outlook drafts (.eml) into a folder,
preselected as the settings say (``mail.mode``, ``mail.eml_dir``), and makes the transport.
The SMTP password comes from the keyring or is asked once per session: every dialog gets the
window's one ``SessionPasswords`` (memory only), so nobody is asked twice.

``MailingRun`` runs ``app.mail.runs.run_mailing`` with the dialog's queueing function on the
task runner: progress, "Stop sending" (after the current message; the rest stays queued),
one result row per recipient (sent or draft written, failed with the server's answer, or
uncertain: the connection broke mid-message, and the user decides whether it counts as sent
or goes again, never automatically) and "Retry failed".
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, ngettext
from app.mail.errors import MailError
from app.mail.mailings import QueueReport
from app.mail.outbox import SendReport, SendResult, resolve_uncertain
from app.mail.runs import MailingOutcome, Queue, run_mailing
from app.mail.secrets import SessionPasswords
from app.mail.transports import EmlTransport, SmtpTransport, Transport, drafts_folder
from app.models import OutboxKind, OutboxState
from app.services.mail_settings import MailMode, SmtpSettings
from ui.palette import Tone, set_tone
from ui.tasks import TaskHandle, TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.tables import Column, RowTableModel, TableView


class DeliveryChoice(QWidget):
    """The way out. Signals: changed(): the choice or the folder changed."""

    changed = Signal()

    def __init__(self, settings_button: QPushButton | None = None) -> None:
        super().__init__()
        self.settings = SmtpSettings()
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
        way = QGridLayout(self)
        way.setContentsMargins(0, 0, 0, 0)
        way.addWidget(self.via_smtp, 0, 0)
        way.addWidget(self.server, 0, 1)
        if settings_button is not None:
            way.addWidget(settings_button, 0, 2)
        way.addWidget(self.via_eml, 1, 0)
        way.addWidget(self.folder, 1, 1)
        way.addWidget(choose, 1, 2)
        way.setColumnStretch(1, 1)
        self.via_smtp.toggled.connect(self.changed)
        self.folder.textChanged.connect(self.changed)
        self.via_eml.setChecked(True)

    def show_settings(self, settings: SmtpSettings) -> None:
        """Preselect the way the settings name, with their drafts folder."""
        self.settings = settings
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
        self.changed.emit()

    def is_ready(self) -> bool:
        return self.via_smtp.isChecked() or bool(self.folder.text().strip())

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Folder for the drafts"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)
            self.via_eml.setChecked(True)

    def transport(self, passwords: SessionPasswords) -> Transport | None:
        """The chosen transport; None when the user cancelled the password question.

        Raises ``MailError`` for a drafts folder that is no usable folder (nothing typed, a
        bare name or a relative path, hidden controls: ``drafts_folder``).
        """
        if self.via_eml.isChecked():
            return EmlTransport(drafts_folder(self.folder.text()))
        settings = self.settings
        password = None
        if settings.username:
            password = passwords.get(settings)
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
                passwords.remember(settings, password, save=False)
        return SmtpTransport(settings, password)


@dataclass(frozen=True)
class ResultRow:
    """One line of the results: a message the run sent (``result``), or a recipient the
    queueing left out (``result`` None, ``outcome`` says why)."""

    name: str
    address: str
    outcome: str
    answer: str  # the server's answer for a failed message
    result: SendResult | None = None
    uncertain: bool = False

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.state is OutboxState.SENT


RESULT_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=22),
    Column(N_("Address"), lambda r: r.address, width=26),
    Column(N_("Result"), lambda r: r.outcome, width=18),
    Column(
        N_("Server's answer"),
        lambda r: r.answer,
        width=30,
        tooltip=lambda r: r.answer,
        stretch=True,
    ),
)


def result_rows(outcome: MailingOutcome, *, list_skipped: bool) -> list[ResultRow]:
    report = outcome.report

    def row(result: SendResult, uncertain: bool) -> ResultRow:
        if uncertain:
            text = _("uncertain: may have been sent")
        elif result.state is OutboxState.SENT:
            text = _("draft written") if report.drafts else _("sent")
        else:
            text = _("failed")
        return ResultRow(
            result.recipient_name, result.recipient, text, result.error, result, uncertain
        )

    rows = [row(r, False) for r in report.results] + [row(r, True) for r in report.uncertain]
    if list_skipped and outcome.queued is not None:
        rows += [
            ResultRow(
                s.name,
                s.address or "",
                _("not sent: {reason}").format(reason=s.reason_text),
                "",
            )
            for s in outcome.queued.skipped
        ]
    return rows


def letters_text(queued: QueueReport | None) -> str:
    if queued is None or not queued.for_letter:
        return ""
    letters = queued.for_letter
    return ngettext(
        "{n} person needs a letter: {names}.",
        "{n} people need a letter: {names}.",
        len(letters),
    ).format(n=len(letters), names=", ".join(s.name for s in letters))


class MailingRun(QWidget):
    """Progress, status, results and the run's buttons (see the module docstring).

    Signals:
        running_changed(bool): a run started (True) or ended (False).
        finished(object): a run ended with this ``MailingOutcome``.
        failed(object): a run could not start or broke off (the exception).
    """

    running_changed = Signal(bool)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        kind: OutboxKind,
        *,
        list_skipped: bool = False,
    ) -> None:
        super().__init__()
        self._runner, self._db, self._meeting_id, self._kind = runner, db, meeting_id, kind
        self._list_skipped = list_skipped
        self._cancel = threading.Event()
        self._transport: Transport | None = None
        self._uncertain: tuple[SendResult, ...] = ()
        self.outcome: MailingOutcome | None = None

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
        self.cancel_button = QPushButton(_("Stop sending"))
        self.cancel_button.setObjectName("mailingCancel")
        self.cancel_button.clicked.connect(self.cancel)
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
        self.buttons = QHBoxLayout()  # the dialog adds its Send button at the end
        self.buttons.addWidget(self.count_sent_button)
        self.buttons.addWidget(self.resend_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.retry_button)
        self.buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.results_view, 1)
        layout.addLayout(self.buttons)

    def is_running(self) -> bool:
        return self.cancel_button.isVisible()

    def send(
        self, delivery: DeliveryChoice, passwords: SessionPasswords, queue: Queue | None
    ) -> None:
        """Send the way *delivery* says, queueing with *queue* first."""
        try:
            transport = delivery.transport(passwords)
        except MailError as error:  # the drafts folder is no usable folder
            set_tone(self.status, Tone.NEGATIVE)
            self.status.setText(str(error))
            return
        if transport is not None:
            self.start(transport, queue)

    def start(self, transport: Transport, queue: Queue | None, *, retry: bool = False) -> None:
        """Queue with *queue* (None: nothing new) or re-queue the failed ones, then send."""
        self._transport = transport
        self._cancel = threading.Event()
        set_tone(self.status, None)
        self.status.setText(_("Preparing the messages…"))
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        for button in (self.retry_button, self.count_sent_button, self.resend_button):
            button.hide()
        self.running_changed.emit(True)
        self._runner.run(
            functools.partial(_run, queue=queue, retry=retry),
            self._db,
            self._meeting_id,
            self._kind,
            transport,
            self._cancel,
            with_handle=True,
            on_progress=self._progressed,
            on_done=self._done,
            on_error=self._failed,
        )

    def retry(self) -> None:
        if self._transport is not None:
            self.start(self._transport, None, retry=True)

    def cancel(self) -> None:
        """Stop after the current message (or at once during a wait); what is left stays
        queued in the outbox."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.status.setText(_("Stopping after the current message…"))

    def resolve(self, *, delivered: bool) -> None:
        """The user's decision about uncertain messages (see ``resolve_uncertain``)."""
        ids = [r.outbox_id for r in self._uncertain]
        self._runner.run(
            functools.partial(resolve_uncertain, delivered=delivered),
            self._db,
            ids,
            on_done=lambda _count: self._resolved(delivered),
            on_error=self._failed,
            owner=self,
        )

    def _resolved(self, delivered: bool) -> None:
        self.count_sent_button.hide()
        self.resend_button.hide()
        self._uncertain = ()
        if not delivered and self._transport is not None:
            self.start(self._transport, None)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not self._cancel.is_set():  # *text*: why it waits (rate limit, try later)
            self.status.setText(
                text or _("Sending {done} of {total}…").format(done=done, total=total)
            )

    def _done(self, outcome: MailingOutcome) -> None:
        self._stopped()
        self.outcome = outcome
        report: SendReport = outcome.report
        rows = result_rows(outcome, list_skipped=self._list_skipped)
        self.results.set_rows(rows)
        self.results_view.setVisible(bool(rows))
        text = " ".join(part for part in (report.summary(), letters_text(outcome.queued)) if part)
        self.status.setText(text)
        set_tone(self.status, None if report.ok else Tone.NEGATIVE)
        self.retry_button.setVisible(bool(report.failed))
        self._uncertain = report.uncertain
        self.count_sent_button.setVisible(bool(report.uncertain))
        self.resend_button.setVisible(bool(report.uncertain))
        self.finished.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self._stopped()
        set_tone(self.status, Tone.NEGATIVE)
        self.status.setText(error_text(error))
        self.failed.emit(error)

    def _stopped(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.running_changed.emit(False)


def _run(
    handle: TaskHandle,
    db: Database,
    meeting_id: int,
    kind: OutboxKind,
    transport: Transport,
    cancel: threading.Event,
    *,
    queue: Queue | None,
    retry: bool,
) -> MailingOutcome:
    """Worker thread."""
    counts = [0, 0]

    def progressed(done: int, total: int) -> None:
        counts[:] = [done, total]
        handle.progress(done, total)

    return run_mailing(
        db,
        transport,
        meeting_id=meeting_id,
        kind=kind,
        queue=queue,
        retry=retry,
        progress=progressed,
        cancelled=cancel.is_set,
        # While it waits (rate limit, a server asking to try later) the dialog says why.
        status=lambda text: handle.progress(counts[0], counts[1], text),
    )
