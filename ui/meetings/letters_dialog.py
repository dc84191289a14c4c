"""The letters dialog ("Briefe…"): paper invitations in DIN 5008 form for window envelopes.

Lists who gets a letter (by default the invitees who cannot be reached by e-mail; or every
invitee) with the address each letter goes to, and, before anything is printed, who has no
usable postal address. Then prints the stack (Qt's print dialog, like the sign-in sheet) or
saves it as one PDF. The stack is built in the background (``app.services.letters``); the
printed or saved PDF is exactly the stack shown.

Signals (and those of ``ui.widgets.pdf_output.PdfOutputDialog``):
    shown(int): the list was (re)loaded with this many letters.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.documents.invitation import write_letters
from app.i18n import N_, _, ngettext
from app.services.invitations import LETTER_REASON_LABELS, LetterReason
from app.services.letters import letters_snapshot, no_address, no_address_message
from ui.tasks import TaskRunner
from ui.widgets.pdf_output import PdfOutputDialog, pdf_file_name, with_pdf_suffix
from ui.widgets.tables import Column, RowTableModel, TableView

if TYPE_CHECKING:  # ReportLab loads only when letters are made
    from app.services.snapshots.invitation import InvitationSnapshot, LetterRecipient


def reason_text(letter: LetterRecipient) -> str:
    try:
        return _(LETTER_REASON_LABELS[LetterReason(letter.reason)])
    except ValueError:
        if letter.reason == "invalid_address":
            return _("invalid e-mail address")
        return _("has e-mail") if not letter.reason else letter.reason


def address_text(letter: LetterRecipient) -> str:
    """The address a letter goes to, on one line; a warning when there is none."""
    if not letter.has_address:
        # Translators: in the letters list for someone without street, postcode and town.
        return _("no usable postal address")
    lines = [line for line in letter.address_lines if line and letter.name not in line]
    return ", ".join(lines)


LETTER_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=22, tooltip=lambda r: r.name),
    Column(
        N_("Address"),
        address_text,
        width=40,
        tooltip=lambda r: "\n".join(r.address_lines),
        stretch=True,
    ),
    Column(N_("Why a letter"), reason_text, width=20),
)


def file_name(title: str) -> str:
    """A file name valid on Windows: "Briefe – Netzwerktreffen März.pdf"."""
    # Translators: start of the file name of the letters PDF ("Briefe – <meeting>.pdf").
    return pdf_file_name(_("Letters"), title)


def render_letters(snapshot: InvitationSnapshot) -> bytes:
    from app.documents.invitation import render_invitation  # ReportLab: late

    return render_invitation(snapshot)


class LettersDialog(PdfOutputDialog):
    """See the module docstring."""

    shown = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, db, meeting_id, title, parent)
        self.setObjectName("lettersDialog")
        self.setWindowTitle(_("Letters: {title}").format(title=title))
        self.snapshot: InvitationSnapshot | None = None

        self.scope = QComboBox()
        self.scope.setObjectName("lettersScope")
        self.scope.addItem(_("Invitees who cannot be reached by e-mail"), False)
        self.scope.addItem(_("All invitees"), True)
        self.scope.currentIndexChanged.connect(self.reload)
        self.model = RowTableModel(LETTER_COLUMNS, self)
        self.view = TableView(
            self.model, "lettersList", empty_text=_("No letter needs to be printed.")
        )
        self.view.setAccessibleName(_("Letters"))
        self.missing = QLabel()
        self.missing.setObjectName("lettersNoAddress")
        self.missing.setWordWrap(True)
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        font = self.missing.font()
        font.setBold(True)
        self.missing.setFont(font)
        self.missing.hide()
        self.status.setObjectName("lettersStatus")

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(_("&Print…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("lettersPrint")
        self.save_button = buttons.addButton(
            _("&Save as PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setObjectName("lettersSave")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        self.print_button.clicked.connect(self.print_letters)
        self.save_button.clicked.connect(self.save_as_pdf)
        self.print_button.setDefault(True)

        form = QFormLayout()
        scope_label = QLabel(_("&Letters for:"))
        scope_label.setBuddy(self.scope)
        form.addRow(scope_label, self.scope)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.missing)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def all_invitees(self) -> bool:
        return bool(self.scope.currentData())

    def reload(self, *_args: object) -> None:
        self.snapshot = None
        self._set_busy(True, _("Loading…"))
        self._runner.run(
            lambda db, meeting_id, everyone: letters_snapshot(
                db, meeting_id, all_invitees=everyone
            ),
            self._db,
            self._meeting_id,
            self.all_invitees(),
            key=f"letters-{id(self)}",
            on_done=self._loaded,
            on_error=self._load_failed,
        )

    def _loaded(self, snapshot: InvitationSnapshot) -> None:
        self.snapshot = snapshot
        self.model.set_rows(snapshot.letters)
        missing = no_address(snapshot)
        self.missing.setText(no_address_message(missing))
        self.missing.setVisible(bool(missing))
        count = len(snapshot.letters)
        self._set_busy(
            False,
            ngettext("{n} letter to print.", "{n} letters to print.", count).format(n=count),
        )
        self.shown.emit(count)

    def _load_failed(self, error: BaseException) -> None:
        self.model.set_rows([])
        self.missing.hide()
        self._failed(error)
        self.shown.emit(0)

    def _set_busy(self, busy: bool, text: str) -> None:
        ready = not busy and self.snapshot is not None and bool(self.snapshot.letters)
        for button in (self.print_button, self.save_button):
            button.setEnabled(ready)
        self.status.setText(text)

    # -- printing ------------------------------------------------------------------------------

    def print_letters(self) -> None:
        if self.snapshot is None:
            return
        self._set_busy(True, _("Preparing the letters…"))
        self._runner.run(
            render_letters, self.snapshot, on_done=self._print_rendered, on_error=self._failed
        )

    # -- saving --------------------------------------------------------------------------------

    def save_as_pdf(self) -> None:
        if self.snapshot is None:
            return
        path = self._ask_save_path()
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Write the stack shown to *path* in the background (".pdf" added if missing)."""
        if self.snapshot is None:
            return
        path = with_pdf_suffix(path)
        self._set_busy(True, _("Saving {name}…").format(name=path.name))
        self._runner.run(
            write_letters, self.snapshot, path, on_done=self._saved, on_error=self._failed
        )

    # -- what ``PdfOutputDialog`` says -------------------------------------------------------------

    def file_name(self) -> str:
        return file_name(self._title)

    def print_dialog_title(self) -> str:
        return _("Print letters")

    def save_dialog_title(self) -> str:
        return _("Save letters")

    def opened_in_viewer_text(self) -> str:
        return _("The letters opened in your PDF viewer; print them from there.")
