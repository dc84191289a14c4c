"""The press release editor: the draft of a held meeting, edited before it goes out.

The draft is made in the background (``press_draft``); the user edits headline, lead, text,
photo (only photos no one pictured refused are offered), caption, credit and the press
contact, switches German/English (a new draft), and then saves a Word or text file or sends
it to a press group through the outbox (.eml drafts or the mail server). Each way is one
service call on the task runner, which also records the release for the funding report.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import LANGUAGE_NAMES, _
from app.mail.outbox import SendReport, send_outbox
from app.mail.press import PressMailReport, export_press_release, mail_press_release
from app.mail.transports import EmlTransport, SmtpTransport, Transport
from app.models import OutboxKind
from app.services.directory_editing import Choice
from app.services.mail_settings import SmtpSettings, load_smtp_settings
from app.services.press.draft import PressDraft, photo_warnings, press_draft
from ui.palette import Tone, banner_style, set_tone
from ui.tasks import TaskRunner
from ui.widgets.sizing import resize_within_screen, text_lines_height


def _groups(db: Database) -> tuple[tuple[Choice, ...], SmtpSettings]:
    from sqlalchemy import select

    from app.models import Group

    with db.read() as session:
        groups = tuple(
            Choice(id_, name)
            for id_, name in session.execute(select(Group.id, Group.name).order_by(Group.name_key))
        )
    return groups, load_smtp_settings(db)


def send_press(
    db: Database,
    draft: PressDraft,
    group_ids: tuple[int, ...],
    addresses: str,
    transport: Transport,
) -> tuple[PressMailReport, SendReport]:
    """Worker thread: queue the mails (and record the release), then send the queue."""
    queued = mail_press_release(db, draft, group_ids=group_ids, addresses=addresses)
    sent = send_outbox(db, transport, meeting_id=draft.meeting_id, kinds=(OutboxKind.PRESS,))
    return queued, sent


class PressEditor(QDialog):
    """Signals:
    loaded(object): the ``PressDraft`` shown.
    issued(str): a file was written or mails were sent (a line saying so).
    failed(str): an error was shown.
    """

    loaded = Signal(object)
    issued = Signal(str)
    failed = Signal(str)

    def __init__(
        self, runner: TaskRunner, db: Database, meeting_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pressEditor")
        self.setWindowTitle(_("Press release"))
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self._draft: PressDraft | None = None
        self._settings = SmtpSettings()

        self.language = QComboBox()
        self.language.setObjectName("pressLanguage")
        for code, name in LANGUAGE_NAMES.items():  # each in its own language
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(self.reload)
        self.headline = QLineEdit()
        self.headline.setObjectName("pressHeadline")
        self.subheadline = QLineEdit()
        self.subheadline.setObjectName("pressSubheadline")
        self.dateline = QLineEdit()
        self.dateline.setObjectName("pressDateline")
        self.lead = QPlainTextEdit()
        self.lead.setObjectName("pressLead")
        self.lead.setFixedHeight(text_lines_height(self.lead, 4))
        self.body = QPlainTextEdit()
        self.body.setObjectName("pressBody")
        self.body.setMinimumHeight(text_lines_height(self.body, 9))
        self.photo = QComboBox()
        self.photo.setObjectName("pressPhoto")
        self.photo.currentIndexChanged.connect(self._photo_chosen)
        self.caption = QLineEdit()
        self.caption.setObjectName("pressCaption")
        self.credit = QLineEdit()
        self.credit.setObjectName("pressCredit")
        self.contact = QPlainTextEdit()
        self.contact.setObjectName("pressContact")
        self.contact.setFixedHeight(text_lines_height(self.contact, 4))
        self.warning = QLabel()
        self.warning.setObjectName("pressWarning")
        self.warning.setWordWrap(True)
        bold = self.warning.font()
        bold.setBold(True)  # the words carry the warning, also in a high-contrast theme
        self.warning.setFont(bold)
        self.warning.hide()
        self.message = QLabel()
        self.message.setObjectName("pressMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Headline:"), self.headline)
        form.addRow(_("Subheadline:"), self.subheadline)
        form.addRow(_("Date line:"), self.dateline)
        form.addRow(_("Lead:"), self.lead)
        form.addRow(_("Text:"), self.body)
        form.addRow(_("Photo:"), self.photo)
        form.addRow(_("Caption:"), self.caption)
        form.addRow(_("Photo credit:"), self.credit)
        form.addRow(_("Press contact:"), self.contact)
        fields = QWidget()
        fields_layout = QVBoxLayout(fields)
        fields_layout.addWidget(self.warning)
        fields_layout.addLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)

        self.save_docx = QPushButton(_("Save as Word document…"))
        self.save_docx.setObjectName("pressSaveDocx")
        self.save_docx.clicked.connect(lambda: self.export(".docx"))
        self.save_txt = QPushButton(_("Save as text…"))
        self.save_txt.setObjectName("pressSaveTxt")
        self.save_txt.clicked.connect(lambda: self.export(".txt"))

        self.group = QComboBox()
        self.group.setObjectName("pressGroup")
        self.addresses = QLineEdit()
        self.addresses.setObjectName("pressAddresses")
        self.addresses.setPlaceholderText(_("further addresses, separated by semicolons"))
        self.via_eml = QRadioButton(_(".eml drafts into a folder"))
        self.via_eml.setObjectName("pressViaEml")
        self.via_smtp = QRadioButton(_("through the mail server"))
        self.via_smtp.setObjectName("pressViaSmtp")
        self.folder = QLineEdit()
        self.folder.setObjectName("pressFolder")
        self.send_button = QPushButton(_("Send to the press"))
        self.send_button.setObjectName("pressSend")
        self.send_button.clicked.connect(self.send)
        mail = QGroupBox(_("Mail to a press group"))
        mail_form = QFormLayout(mail)
        mail_form.addRow(_("Group:"), self.group)
        mail_form.addRow(_("Addresses:"), self.addresses)
        ways = QHBoxLayout()
        ways.addWidget(self.via_eml)
        ways.addWidget(self.folder, 1)
        ways.addWidget(self.via_smtp)
        mail_form.addRow(_("Way out:"), ways)
        mail_form.addRow("", self.send_button)

        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_docx)
        buttons.addWidget(self.save_txt)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(mail)
        layout.addLayout(buttons)
        resize_within_screen(self, 860, 700)
        self._set_enabled(False)
        self.reload()
        self._runner.run(_groups, db, on_done=self._show_groups, on_error=self._failed)

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self._set_enabled(False)
        self.message.setText(_("Writing the draft…"))
        self._runner.run(
            press_draft,
            self._db,
            self._meeting_id,
            self.language.currentData(),
            key=f"press-draft-{id(self)}",
            on_done=self._show,
            on_error=self._failed,
        )

    def _show_groups(self, loaded: tuple[tuple[Choice, ...], SmtpSettings]) -> None:
        groups, settings = loaded
        self._settings = settings
        self.group.clear()
        self.group.addItem(_("(no group)"), None)
        for group in groups:
            self.group.addItem(group.name, group.id)
        press = next((i for i, g in enumerate(groups) if g.name.casefold().startswith("press")), -1)
        if press >= 0:
            self.group.setCurrentIndex(press + 1)
        self.via_smtp.setEnabled(settings.has_server)
        (self.via_smtp if settings.has_server else self.via_eml).setChecked(True)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self.folder.setText(str(Path(documents or Path.home()) / _("Press release drafts")))

    def _show(self, draft: PressDraft) -> None:
        self._draft = draft
        self.headline.setText(draft.headline)
        self.subheadline.setText(draft.subheadline)
        self.dateline.setText(draft.dateline)
        self.lead.setPlainText(draft.lead)
        self.body.setPlainText(draft.body)
        self.contact.setPlainText(draft.contact)
        self.photo.blockSignals(True)
        self.photo.clear()
        self.photo.addItem(_("(no photo)"), None)
        for photo in draft.photos:
            if photo.usable:
                self.photo.addItem(photo.caption or photo.filename, photo.photo_id)
        self.photo.setCurrentIndex(max(0, self.photo.findData(draft.photo_id)))
        self.photo.blockSignals(False)
        self.caption.setText(draft.caption)
        self.credit.setText(draft.credit)
        self._show_warnings()
        self.message.setText("")
        self._set_enabled(True)
        self.loaded.emit(draft)

    def _photo_chosen(self) -> None:
        if self._draft is None:
            return
        photo_id = self.photo.currentData()
        chosen = next((p for p in self._draft.photos if p.photo_id == photo_id), None)
        self.caption.setText(chosen.caption if chosen else "")
        self.credit.setText(chosen.credit if chosen else "")
        self.caption.setEnabled(chosen is not None)
        self.credit.setEnabled(chosen is not None)
        self._draft = replace(self._draft, photo_id=photo_id)
        self._show_warnings()

    def _show_warnings(self) -> None:
        if self._draft is None:
            return
        text = "\n".join(photo_warnings(self._draft))
        # Styled when shown: the banner follows the palette (light, dark, high contrast).
        self.warning.setStyleSheet(banner_style(Tone.ERROR_BACKGROUND, "#pressWarning"))
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.save_docx, self.save_txt, self.send_button):
            widget.setEnabled(enabled)

    # -- issuing -------------------------------------------------------------------------------

    def draft(self) -> PressDraft | None:
        """The draft with the user's edits."""
        if self._draft is None:
            return None
        return replace(
            self._draft,
            headline=self.headline.text(),
            subheadline=self.subheadline.text(),
            dateline=self.dateline.text(),
            lead=self.lead.toPlainText(),
            body=self.body.toPlainText(),
            photo_id=self.photo.currentData(),
            caption=self.caption.text(),
            credit=self.credit.text(),
            contact=self.contact.toPlainText(),
        )

    def export(self, suffix: str, path: Path | None = None) -> None:
        draft = self.draft()
        if draft is None:
            return
        if path is None:
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            stem = _("Press release")
            kinds = _("Word documents (*.docx)") if suffix == ".docx" else _("Text files (*.txt)")
            name, _selected = QFileDialog.getSaveFileName(
                self,
                _("Save the press release"),
                str(Path(documents or Path.home()) / f"{stem}{suffix}"),
                kinds,
            )
            if not name:
                return
            path = Path(name)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        target = path
        self._set_enabled(False)
        self._runner.run(
            export_press_release,
            self._db,
            draft,
            target,
            on_done=lambda _id: self._issued(_("Saved: {path}").format(path=target)),
            on_error=self._failed,
        )

    def _transport(self) -> Transport | None:
        if self.via_eml.isChecked():
            folder = Path(self.folder.text().strip())
            folder.mkdir(parents=True, exist_ok=True)
            return EmlTransport(folder)
        settings = self._settings
        password = None
        if settings.username:
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
        return SmtpTransport(settings, password)

    def send(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        try:
            transport = self._transport()
        except OSError as error:
            self._failed(TreffpunktError(str(error)))
            return
        if transport is None:
            return
        group = self.group.currentData()
        self._set_enabled(False)
        self.message.setText(_("Sending…"))
        self._runner.run(
            send_press,
            self._db,
            draft,
            (group,) if group is not None else (),
            self.addresses.text(),
            transport,
            on_done=self._sent,
            on_error=self._failed,
        )

    def _sent(self, outcome: tuple[PressMailReport, SendReport]) -> None:
        queued, sent = outcome
        text = sent.summary()
        if queued.skipped:
            text += " " + _("Not sent to: {names}.").format(
                names=", ".join(s.name or (s.address or "") for s in queued.skipped)
            )
        self._issued(text)

    def _issued(self, text: str) -> None:
        self._set_enabled(True)
        set_tone(self.message, Tone.POSITIVE)
        self.message.setText(text)
        self.issued.emit(text)

    def _failed(self, error: BaseException) -> None:
        self._set_enabled(self._draft is not None)
        text = str(error) if isinstance(error, TreffpunktError) else repr(error)
        set_tone(self.message, Tone.NEGATIVE)
        self.message.setText(text)
        self.failed.emit(text)
