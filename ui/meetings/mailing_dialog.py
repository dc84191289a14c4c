"""Send invitations, updates, cancellations or reminders: SMTP or Outlook drafts (.eml).

The preview shows one personal mail and who needs a letter instead. Sending queues what is
missing (``queue_invitations``, with the invitation PDF from
``app.mail.documents.attachments_for``) and sends the meeting's queue: the way out, the
password, progress, results, retry and the uncertain ones are ``ui.meetings.mailing``'s,
shared with the minutes mailing.

Signals:
    ready(): the preview and the recipients' split are shown.
    sent(object): a send run ended with this ``SendReport``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, ngettext
from app.mail.documents import attachments_for, load_renderer
from app.mail.mailings import QueueReport, mail_preview_text, preview_mail, queue_invitations
from app.mail.runs import MailingOutcome
from app.mail.secrets import SessionPasswords
from app.models import OutboxKind
from app.services.invitations import DeliverySplit, delivery_split
from app.services.mail_settings import SmtpSettings, load_smtp_settings
from ui.meetings.mailing import DeliveryChoice, MailingRun
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen

KIND_TITLES = {
    OutboxKind.INVITATION: N_("Send invitations"),
    OutboxKind.UPDATE: N_("Send update"),
    OutboxKind.CANCELLATION: N_("Send cancellation"),
    OutboxKind.REMINDER: N_("Remind those who have not answered"),
}


@dataclass(frozen=True)
class _Prepared:
    split: DeliverySplit
    preview: str
    settings: SmtpSettings


def _document_kind(kind: OutboxKind) -> str:
    """The kind of mailing as ``attachments_for`` names it."""
    return "reminders" if kind is OutboxKind.REMINDER else "invitations"


def _queue(db: Database, meeting_id: int, kind: OutboxKind) -> QueueReport:
    """Worker thread: one personal mail per invitee who is due one, with the invitation PDF."""
    return queue_invitations(
        db,
        meeting_id,
        kind=kind,
        attachments_for=attachments_for(db, _document_kind(kind), meeting_id),
    )


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

        settings_button = QPushButton(_("Sender and delivery…"))
        settings_button.setObjectName("mailingSettings")
        settings_button.setToolTip(_("Extras ▸ Settings ▸ Sender & delivery"))
        settings_button.clicked.connect(self.open_settings)
        self.settings_dialog: QDialog | None = None
        self.delivery = DeliveryChoice(settings_button)
        self.delivery.changed.connect(self._update_buttons)
        self.via_smtp, self.via_eml = self.delivery.via_smtp, self.delivery.via_eml
        self.server, self.folder = self.delivery.server, self.delivery.folder

        self.recipients = QLabel()
        self.recipients.setObjectName("mailingRecipients")
        self.recipients.setWordWrap(True)
        self.recipients.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = QPlainTextEdit()
        self.preview.setAccessibleName(_("Preview"))
        self.preview.setObjectName("mailPreview")
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(_("Nobody to preview: no invitee can get e-mail."))

        self.run = MailingRun(runner, db, meeting_id, kind)
        self.run.running_changed.connect(self._running_changed)
        self.run.finished.connect(self._sent)
        self.progress, self.status = self.run.progress, self.run.status
        self.results, self.results_view = self.run.results, self.run.results_view
        self.cancel_button, self.retry_button = self.run.cancel_button, self.run.retry_button
        self.count_sent_button = self.run.count_sent_button
        self.resend_button = self.run.resend_button
        self.send_button = QPushButton(_("&Send"))
        self.send_button.setObjectName("mailingSend")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.run.buttons.addWidget(self.send_button)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.delivery)
        layout.addWidget(self.recipients)
        layout.addWidget(QLabel(_("Preview of one personal mail:")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.run, 1)
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
        prepared = _Prepared(split, text, load_smtp_settings(db))
        if kind is not OutboxKind.CANCELLATION:  # a cancellation goes without a PDF
            # While the user reads the preview, not while the window shows the progress.
            load_renderer(_document_kind(kind))
        return prepared

    def _prepared(self, prepared: _Prepared) -> None:
        self.delivery.show_settings(prepared.settings)
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
        self.ready.emit()

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
            load_smtp_settings,
            self._db,
            on_done=self.delivery.show_settings,
            on_error=self._failed,
            owner=self,
        )

    def _update_buttons(self, *_args: object) -> None:
        self.send_button.setEnabled(self.delivery.is_ready() and not self.run.is_running())

    # -- sending -------------------------------------------------------------------------------

    def send(self) -> None:
        queue = functools.partial(_queue, self._db, self._meeting_id, self.kind)
        self.run.send(self.delivery, self._passwords, queue)

    def retry(self) -> None:
        self.run.retry()

    def cancel_sending(self) -> None:
        self.run.cancel()

    def is_sending(self) -> bool:
        return self.run.is_running()

    def resolve(self, *, delivered: bool) -> None:
        self.run.resolve(delivered=delivered)

    def _running_changed(self, running: bool) -> None:
        self.close_box.setEnabled(not running)
        self._update_buttons()

    def _sent(self, outcome: MailingOutcome) -> None:
        report = outcome.report
        self.send_button.setText(_("&Send the rest") if report.still_queued else _("&Send"))
        self.sent.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))

    def reject(self) -> None:
        if self.is_sending():  # closing mid-run would hide what happened: stop first
            self.cancel_sending()
            return
        super().reject()
