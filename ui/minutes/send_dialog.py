"""Sending the minutes: recipients (attendees and excused by default, an editable "informed
only" list), then the way out, progress, results and retry of ``ui.meetings.mailing``, shared
with the invitation mailing: the minutes PDF is rendered once (``attachments_for``), one
personal mail queued per recipient (``queue_minutes``) and the queue sent (``send_outbox``),
resumable and never twice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _
from app.mail.documents import attachments_for, load_renderer
from app.mail.mailings import QueueReport, queue_minutes
from app.mail.runs import MailingOutcome
from app.mail.secrets import SessionPasswords
from app.models import AttendanceStatus, OutboxKind
from app.services.mail_settings import SmtpSettings, load_smtp_settings
from app.services.minutes import Distribution, distribution_list
from ui.meetings.mailing import DeliveryChoice, MailingRun
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen


@dataclass(frozen=True, slots=True)
class Prepared:
    distribution: Distribution
    settings: SmtpSettings


def prepare(db: Database, meeting_id: int) -> Prepared:
    prepared = Prepared(distribution_list(db, meeting_id), load_smtp_settings(db))
    # While the user looks at the recipients, not while the window shows the progress.
    load_renderer("minutes")
    return prepared


def queue_minutes_mail(
    db: Database,
    meeting_id: int,
    informed_only: list[str],
    statuses: tuple[AttendanceStatus, ...],
) -> QueueReport:
    """Worker thread: render the PDF once, queue one mail per recipient."""
    return queue_minutes(
        db,
        meeting_id,
        informed_only=informed_only,
        statuses=statuses,
        attachments_for=attachments_for(db, "minutes", meeting_id),
    )


class SendMinutesDialog(QDialog):
    """See the module docstring."""

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        passwords: SessionPasswords,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendMinutesDialog")
        self.setWindowTitle(_("Send minutes"))
        resize_within_screen(self, 760, 620)
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self._passwords = passwords

        self.recipients = QLabel(_("Loading the recipients…"))
        self.recipients.setWordWrap(True)
        self.attendees = QCheckBox(_("Attendees"))
        self.attendees.setChecked(True)
        self.excused = QCheckBox(_("Excused"))
        self.excused.setChecked(True)
        self.informed = QPlainTextEdit()
        self.informed.setAccessibleName(_("Informed only (recipients of the minutes)"))
        self.informed.setObjectName("informedOnly")
        self.informed.setPlaceholderText(_("Informed only: one per line, “Name <address>”"))
        self.informed.setMaximumHeight(110)
        self.delivery = DeliveryChoice()
        self.via_smtp, self.folder = self.delivery.via_smtp, self.delivery.folder
        # The minutes list who got nothing and why, by name.
        self.run = MailingRun(runner, db, meeting_id, OutboxKind.MINUTES, list_skipped=True)
        self.run.running_changed.connect(self._running_changed)
        self.status, self.result_model = self.run.status, self.run.results

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(_("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("sendNow")
        self.send_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.recipients)
        boxes = QHBoxLayout()
        boxes.addWidget(self.attendees)
        boxes.addWidget(self.excused)
        boxes.addStretch(1)
        layout.addLayout(boxes)
        layout.addWidget(self.informed)
        layout.addWidget(self.delivery)
        layout.addWidget(self.run, 1)
        layout.addWidget(self.buttons)

        runner.run(
            prepare,
            db,
            meeting_id,
            key="minutes-distribution",
            on_done=self._prepared,
            on_error=self._failed,
        )

    @property
    def outcome(self) -> MailingOutcome | None:
        """The last run's outcome (None before the first)."""
        return self.run.outcome

    def _prepared(self, prepared: Prepared) -> None:
        self.delivery.show_settings(prepared.settings)
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

    def send(self) -> None:
        statuses = tuple(
            status
            for status, box in (
                (AttendanceStatus.PRESENT, self.attendees),
                (AttendanceStatus.EXCUSED, self.excused),
            )
            if box.isChecked()
        )
        informed = [line for line in self.informed.toPlainText().splitlines() if line.strip()]
        queue = functools.partial(
            queue_minutes_mail, self._db, self._meeting_id, informed, statuses
        )
        self.run.send(self.delivery, self._passwords, queue)

    def _running_changed(self, running: bool) -> None:
        self.send_button.setEnabled(not running)
        self.close_button.setText(_("Stop sending") if running else _("Close"))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))

    def reject(self) -> None:
        if self.run.is_running():  # stop after the current message; the rest stays queued
            self.run.cancel()
            return
        super().reject()
