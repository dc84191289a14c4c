"""The sign-in sheet dialog ("Anwesenheitsliste…"): options, then print or save as PDF.

Printing: the PDF is rendered in the background (the same file "Save as PDF" writes), then
Qt's print dialog chooses the printer and ``ui.widgets.pdf_print`` draws its pages with
QtPdf. Without QtPdf (the ``PySide6-Pdf`` wheel missing) the PDF opens in the system's
viewer to be printed from there (``ui.widgets.pdf_output``, shared with the letters).

An edited data-protection notice is kept in the settings for every later sheet
(``app.services.signin_sheet``); "Restore default" brings the standard text back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.documents.signin import render_signin_pdf, save_signin_pdf, sheet_title
from app.i18n import _, ngettext
from app.services.signin_sheet import SigninDefaults, save_privacy_notice, signin_defaults
from app.services.snapshots.signin import DeclinedMode, SigninOptions, SigninOrder
from ui.tasks import TaskRunner
from ui.widgets.pdf_output import PdfOutputDialog, pdf_file_name
from ui.widgets.sizing import resize_within_screen


def file_name(title: str) -> str:
    """A file name valid on Windows: "Anwesenheitsliste – Netzwerktreffen März.pdf"."""
    return pdf_file_name(sheet_title(), title)


def render_for_print(
    db: Database, meeting_id: int, options: SigninOptions, default_notice: str
) -> bytes:
    save_privacy_notice(db, options.privacy_notice, default=default_notice)
    return render_signin_pdf(db, meeting_id, options)


def save_pdf(
    db: Database, meeting_id: int, options: SigninOptions, default_notice: str, path: Path
) -> Path:
    save_privacy_notice(db, options.privacy_notice, default=default_notice)
    save_signin_pdf(db, meeting_id, options, path)
    return path


class SigninDialog(PdfOutputDialog):
    """Signals (and those of ``PdfOutputDialog``):
    ready(): the defaults are loaded, the buttons work.
    """

    ready = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, db, meeting_id, title, parent)
        self.setObjectName("signinDialog")
        self.setWindowTitle(_("Sign-in sheet: {title}").format(title=title))
        self._defaults: SigninDefaults | None = None

        self.order = QComboBox()
        self.order.setObjectName("signinOrder")
        self.order.addItem(_("Alphabetical, one list"), SigninOrder.ALPHABETICAL)
        self.order.addItem(_("By organisation, with headings"), SigninOrder.ORGANISATION)
        self.order.addItem(
            _("Accepted first, then the others, with headings"), SigninOrder.ACCEPTED_FIRST
        )
        self.declined = QComboBox()
        self.declined.setObjectName("signinDeclined")
        self.declined.addItem(_("Left out"), DeclinedMode.OMIT)
        self.declined.addItem(_("Listed at the end as excused"), DeclinedMode.EXCUSED)
        self.blank_rows = QSpinBox()
        self.blank_rows.setObjectName("signinBlankRows")
        self.blank_rows.setRange(0, SigninOptions.MAX_BLANK_ROWS)
        self.blank_rows.setValue(SigninOptions().blank_rows)
        self.blank_rows.setToolTip(_("Empty rows for people who come without being invited"))
        self.notice = QPlainTextEdit()
        self.notice.setObjectName("signinNotice")
        self.notice.setTabChangesFocus(True)
        self.notice.setMinimumHeight(120)
        self.notice.textChanged.connect(self._notice_changed)
        self.reset_notice = QPushButton(_("Restore default"))
        self.reset_notice.setObjectName("signinResetNotice")
        self.reset_notice.clicked.connect(self._restore_default)
        self.invitees = QLabel()
        self.invitees.setObjectName("signinInvitees")
        self.status.setObjectName("signinStatus")

        notice_row = QVBoxLayout()
        notice_row.addWidget(self.notice)
        reset_row = QHBoxLayout()
        reset_row.addWidget(QLabel(_("Kept for every sign-in sheet.")))
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset_notice)
        notice_row.addLayout(reset_row)
        form = QFormLayout()
        form.addRow(_("&Order:"), self.order)
        form.addRow(_("&Declined invitees:"), self.declined)
        form.addRow(_("&Blank rows:"), self.blank_rows)
        notice_label = QLabel(_("Data-protection &notice:"))
        notice_label.setBuddy(self.notice)
        form.addRow(notice_label, notice_row)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(_("&Print…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("signinPrint")
        self.save_button = buttons.addButton(
            _("&Save as PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setObjectName("signinSave")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_as_pdf)
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.invitees)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        resize_within_screen(self, 640, 520)
        self._set_busy(True, _("Loading…"))
        self._runner.run(
            signin_defaults,
            db,
            meeting_id,
            key="signin-defaults",
            on_done=self._loaded,
            on_error=self._failed,
        )

    # -- state ---------------------------------------------------------------------------------

    def _loaded(self, defaults: SigninDefaults) -> None:
        self._defaults = defaults
        self.notice.setPlainText(defaults.privacy_notice)
        self.invitees.setText(
            ngettext(
                "{count} invitee will be printed.",
                "{count} invitees will be printed.",
                defaults.invitees,
            ).format(count=defaults.invitees)
        )
        self._set_busy(False, "")
        self.ready.emit()

    def _notice_changed(self) -> None:
        default = self._defaults.default_notice if self._defaults else ""
        self.reset_notice.setEnabled(self.notice.toPlainText().strip() != default.strip())

    def _restore_default(self) -> None:
        if self._defaults is not None:
            self.notice.setPlainText(self._defaults.default_notice)

    def options(self) -> SigninOptions:
        return SigninOptions(
            order=self.order.currentData(),
            declined=self.declined.currentData(),
            blank_rows=self.blank_rows.value(),
            privacy_notice=self.notice.toPlainText().strip() or None,
        )

    def _set_busy(self, busy: bool, text: str) -> None:
        for button in (self.print_button, self.save_button):
            button.setEnabled(not busy and self._defaults is not None)
        self.status.setText(text)

    # -- printing ------------------------------------------------------------------------------

    def print_sheet(self) -> None:
        if self._defaults is None:
            return
        self._set_busy(True, _("Preparing the sign-in sheet…"))
        self._runner.run(
            render_for_print,
            self._db,
            self._meeting_id,
            self.options(),
            self._defaults.default_notice,
            on_done=self._print_rendered,
            on_error=self._failed,
        )

    # -- saving --------------------------------------------------------------------------------

    def save_as_pdf(self) -> None:
        if self._defaults is None:
            return
        path = self._ask_save_path()
        if path is None:
            return
        self._set_busy(True, _("Saving {name}…").format(name=path.name))
        self._runner.run(
            save_pdf,
            self._db,
            self._meeting_id,
            self.options(),
            self._defaults.default_notice,
            path,
            on_done=self._saved,
            on_error=self._failed,
        )

    # -- what ``PdfOutputDialog`` says -------------------------------------------------------------

    def file_name(self) -> str:
        return file_name(self._title)

    def print_dialog_title(self) -> str:
        return _("Print sign-in sheet")

    def save_dialog_title(self) -> str:
        return _("Save sign-in sheet")

    def opened_in_viewer_text(self) -> str:
        return _("The sheet opened in your PDF viewer; print it from there.")
