"""Edit the mail templates (German and English, per kind of mail) with a live preview.

Placeholders are the ones of ``app.mail.templates.PLACEHOLDERS`` (listed beside the text);
the service refuses anything else when saving. With a meeting given, "Preview" shows the
unsaved text as the meeting's first invitee with e-mail would receive it (``preview_mail``).

Signals:
    ready(): the stored template of the chosen language and kind is shown.
    saved(): a template was stored (or reset to the default).
    previewed(str): the preview text now shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import N_, _
from app.mail.mailings import preview_mail
from app.mail.templates import PLACEHOLDERS, MailTemplate, load_template, save_template
from app.models import OutboxKind
from app.services.invitations import delivery_split
from ui.emitting import emit
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner
from ui.widgets.sizing import resize_within_screen

KIND_LABELS = {
    OutboxKind.INVITATION: N_("Invitation"),
    OutboxKind.UPDATE: N_("Update (changed meeting)"),
    OutboxKind.CANCELLATION: N_("Cancellation"),
    OutboxKind.REMINDER: N_("Reminder"),
    OutboxKind.MINUTES: N_("Minutes"),
}
LANGUAGES = (("de", "Deutsch"), ("en", "English"))


class TemplatesDialog(QDialog):
    ready = Signal()
    saved = Signal()
    previewed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templatesDialog")
        self.setWindowTitle(_("Mail templates"))
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self.language = QComboBox()
        self.language.setObjectName("templateLanguage")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.kind = QComboBox()
        self.kind.setObjectName("templateKind")
        for kind, text in KIND_LABELS.items():
            self.kind.addItem(_(text), kind)
        self.language.currentIndexChanged.connect(self._load)
        self.kind.currentIndexChanged.connect(self._load)
        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setAccessibleName(_("Text"))
        self.body.setTabChangesFocus(True)
        placeholders = QLabel(
            "\n".join(f"{{{name}}} – {_(text)}" for name, text in PLACEHOLDERS.items())
        )
        placeholders.setTextFormat(Qt.TextFormat.PlainText)
        placeholders.setWordWrap(True)
        placeholders.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setAccessibleName(_("Preview"))
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(_("Open this from a meeting with invitees to preview."))
        self.message = QLabel()
        self.message.setObjectName("templateMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        preview_button = QPushButton(_("&Preview"))
        preview_button.setObjectName("templatePreviewButton")
        preview_button.setEnabled(meeting_id is not None)
        preview_button.clicked.connect(self.show_preview)
        reset = QPushButton(_("Back to the default"))
        reset.clicked.connect(self.reset)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.addButton(preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        choose = QHBoxLayout()
        choose.addWidget(self.language)
        choose.addWidget(self.kind, 1)
        form = QFormLayout()
        form.addRow(_("Mail:"), choose)
        form.addRow(_("&Subject:"), self.subject)
        editing = QHBoxLayout()
        editing.addWidget(self.body, 3)
        editing.addWidget(placeholders, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(editing, 2)
        layout.addWidget(QLabel(_("Preview:")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 860, 680)
        self._load()

    def _choice(self) -> tuple[str, OutboxKind]:
        return str(self.language.currentData()), OutboxKind(self.kind.currentData())

    def template(self) -> MailTemplate:
        return MailTemplate(self.subject.text(), self.body.toPlainText())

    def _load(self, *_args: object) -> None:
        language, kind = self._choice()
        self._runner.run(
            load_template, self._db, language, kind, on_done=self._show, on_error=self._failed
        )

    def _show(self, template: MailTemplate) -> None:
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self.message.clear()
        emit(self.ready)

    def save(self) -> None:
        language, kind = self._choice()
        self._runner.run(
            save_template,
            self._db,
            language,
            kind,
            self.template(),
            on_done=lambda _none: self._saved(_("Template saved.")),
            on_error=self._failed,
        )

    def reset(self) -> None:
        language, kind = self._choice()
        self._runner.run(
            save_template,
            self._db,
            language,
            kind,
            None,
            on_done=lambda _none: self._reset_done(),
            on_error=self._failed,
        )

    def _reset_done(self) -> None:
        self._saved(_("The default template is used again."))
        self._load()

    def _saved(self, text: str) -> None:
        set_tone(self.message, None)
        self.message.setText(text)
        emit(self.saved)

    def show_preview(self) -> None:
        meeting_id = self._meeting_id
        if meeting_id is None:
            return
        db, template, kind = self._db, self.template(), self._choice()[1]

        def render() -> str:
            people = delivery_split(db, meeting_id).by_email
            if not people:
                return ""
            preview = preview_mail(db, meeting_id, people[0].person_id, kind, template=template)
            return f"{_('Subject:')} {preview.subject}\n\n{preview.body}"

        self._runner.run(render, on_done=self._previewed, on_error=self._failed)

    def _previewed(self, text: str) -> None:
        self.preview.setPlainText(text)
        emit(self.previewed, text)

    def _failed(self, error: BaseException) -> None:
        set_tone(self.message, Tone.NEGATIVE)
        self.message.setText(
            str(error) if isinstance(error, TreffpunktError) else _("That did not work.")
        )
