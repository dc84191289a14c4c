"""Settings page "Templates": the mail texts (German and English, per kind of mail).

Every template is edited in memory and stored with the dialog's Save; switching between
language and kind keeps what was typed. Placeholders are those of
``app.services.mail_templates.PLACEHOLDERS`` (listed beside the text); the service's check runs as
you type. With a meeting given, "Preview" shows the unsaved text as the meeting's first
invitee with e-mail would receive it (``preview_mail``, on the task runner).

Signals (besides ``edited``):
    previewed(str): the preview text now shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import N_, _
from app.mail.mailings import mail_preview_text, preview_mail
from app.models import OutboxKind
from app.services.invitations import delivery_split
from app.services.mail_templates import PLACEHOLDERS, MailTemplate, validate_template
from app.services.settings_form import TEMPLATE_KINDS, SettingsSnapshot, TemplateKey
from ui.emitting import emit
from ui.settings.page import SettingsPage, say
from ui.tasks import TaskRunner

KIND_LABELS = {
    OutboxKind.INVITATION: N_("Invitation"),
    OutboxKind.UPDATE: N_("Update (changed meeting)"),
    OutboxKind.CANCELLATION: N_("Cancellation"),
    OutboxKind.REMINDER: N_("Reminder"),
    OutboxKind.MINUTES: N_("Minutes"),
}
LANGUAGES = (("de", "Deutsch"), ("en", "English"))


def render_preview(db: Database, meeting_id: int, kind: OutboxKind, template: MailTemplate) -> str:
    """Worker: the mail the meeting's first invitee with e-mail would get ("" for nobody)."""
    people = delivery_split(db, meeting_id).by_email
    if not people:
        return ""
    first = people[0]
    preview = preview_mail(
        db,
        meeting_id,
        first.person_id,
        kind,
        template=template,
        organisation_id=first.organisation_id,
    )
    return mail_preview_text(preview)


class TemplatesPage(SettingsPage):
    previewed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("templatesPage", parent)
        self.title = _("Templates")
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self._loaded: dict[TemplateKey, MailTemplate] = {}
        self._texts: dict[TemplateKey, MailTemplate] = {}
        self._defaults: dict[TemplateKey, MailTemplate] = {}
        self._shown: TemplateKey | None = None
        self.language = QComboBox()
        self.language.setObjectName("templateLanguage")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.kind = QComboBox()
        self.kind.setObjectName("templateKind")
        for kind in TEMPLATE_KINDS:
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        self.language.currentIndexChanged.connect(self._choose)
        self.kind.currentIndexChanged.connect(self._choose)
        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setAccessibleName(_("Text of the mail"))
        self.body.setTabChangesFocus(True)
        # Read-only text that scrolls by itself: the list is longer than the body is high.
        placeholders = QPlainTextEdit(
            "\n".join(f"{{{name}}} – {_(text)}" for name, text in PLACEHOLDERS.items())
        )
        placeholders.setObjectName("templatePlaceholders")
        placeholders.setAccessibleName(_("Placeholders"))
        placeholders.setReadOnly(True)
        placeholders.setTabChangesFocus(True)
        placeholders.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        placeholders.viewport().setAutoFillBackground(False)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setAccessibleName(_("Preview"))
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(
            _("Open the settings from a meeting with invitees to preview.")
            if meeting_id is None
            else _("“Preview” shows the mail as the first invitee would get it.")
        )
        self.preview_button = QPushButton(_("&Preview"))
        self.preview_button.setObjectName("templatePreviewButton")
        self.preview_button.setEnabled(meeting_id is not None)
        self.preview_button.clicked.connect(self.show_preview)
        self.reset_button = QPushButton(_("Back to the default"))
        self.reset_button.setObjectName("templateReset")
        self.reset_button.clicked.connect(self.reset)

        choose = QHBoxLayout()
        choose.addWidget(self.language)
        choose.addWidget(self.kind, 1)
        form = QFormLayout()
        form.addRow(_("Mail:"), choose)
        form.addRow(_("&Subject:"), self.subject)
        editing = QHBoxLayout()
        editing.addWidget(self.body, 3)
        editing.addWidget(placeholders, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(editing, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.error)
        self.subject.textChanged.connect(self._typed)
        self.body.textChanged.connect(self._typed)

    # -- data ------------------------------------------------------------------------------------

    def _key(self) -> TemplateKey:
        return str(self.language.currentData()), OutboxKind(self.kind.currentData())

    def template(self) -> MailTemplate:
        return MailTemplate(self.subject.text(), self.body.toPlainText())

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        self._loaded = dict(snapshot.templates)
        self._texts = dict(snapshot.templates)
        self._defaults = {key: snapshot.default_template(key) for key in self._loaded}
        self._shown = None
        self._choose()

    def _choose(self, *_args: object) -> None:
        key = self._key()
        if key not in self._texts:
            return
        self._shown = None  # no _typed while the fields are filled
        template = self._texts[key]
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self._shown = key
        self.preview.clear()

    def _typed(self, *_args: object) -> None:
        if self._shown is not None:
            self._texts[self._shown] = self.template()
            self._edited()

    def reset(self) -> None:
        key = self._key()
        if key in self._defaults:
            self._texts[key] = self._defaults[key]
            self._choose()
            self._edited()

    def problem(self) -> str | None:
        for (language, kind), template in self._texts.items():
            try:
                validate_template(template)
            except TreffpunktError as error:
                name = dict(LANGUAGES)[language]
                return _("{mail} ({language}): {problem}").format(
                    mail=_(KIND_LABELS[kind]), language=name, problem=error
                )
        return None

    def add_changes(self, changes: dict[str, Any]) -> None:
        edited: dict[TemplateKey, MailTemplate | None] = {}
        for key, template in self._texts.items():
            if template == self._loaded.get(key):
                continue
            # The default text is not stored: a later improvement of it reaches this user.
            edited[key] = None if template == self._defaults.get(key) else template
        if edited:
            changes["templates"] = edited

    # -- preview -----------------------------------------------------------------------------------

    def show_preview(self) -> None:
        if self._meeting_id is None:
            return
        self._runner.run(
            render_preview,
            self._db,
            self._meeting_id,
            self._key()[1],
            self.template(),
            on_done=self._previewed,
            on_error=lambda error: say(
                self.error,
                str(error) if isinstance(error, TreffpunktError) else _("That did not work."),
            ),
        )

    def _previewed(self, text: str) -> None:
        self.preview.setPlainText(text or _("No invitee of this meeting can get e-mail."))
        emit(self.previewed, text)
