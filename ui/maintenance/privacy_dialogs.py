"""The DSGVO dialogs: Auskunft (Art. 15) and Löschung (Art. 17).

Auskunft: choose a person, choose JSON and/or PDF, choose where; the files are written in the
background (``app.documents.access_files.save_access_report``).

Löschung: choose a person → what will be erased (from the same export as the Auskunft,
loaded in the background) → the user confirms with a checkbox that names the person → erased
in the background (``app.mail.erasure.erase_person``) → a report of what was done. Enter never
erases: the Erase button is not the default, and it is enabled only after the confirmation.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.documents.access_files import access_report_stem, save_access_report
from app.i18n import _
from app.mail.erasure import erase_person
from app.services.directory import PersonRow
from app.services.privacy import ErasureResult, export_person
from ui.maintenance.person_picker import PersonPicker
from ui.palette import Tone, css
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen


def _label(name: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names are user data
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumWidth(120)
    bar.hide()
    return bar


def _documents_dir() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def choose_report_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save (without extension; tests monkeypatch this)."""
    name, _selected = QFileDialog.getSaveFileName(
        parent, _("Save access request"), str(suggested), _("Access request (*.json *.pdf)")
    )
    return Path(name) if name else None


class AccessDialog(QDialog):
    """Auskunft. Signals: saved(object): the list of written ``Path``s."""

    saved = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        person_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accessDialog")
        self.setWindowTitle(_("Access request (Art. 15 GDPR)"))
        self._runner = runner
        self._db = db
        intro = _label()
        intro.setText(
            _(
                "Everything Treffpunkt stores about one person: directory data, consent "
                "records, invitations, attendance, roles, action items and e-mails. Texts that "
                "mention the person are referenced, not copied."
            )
        )
        self.picker = PersonPicker(runner, db, person_id, self)
        self.picker.selection_changed.connect(lambda _row: self._update())
        self.json_box = QCheckBox(_("JSON (machine-readable)"))
        self.json_box.setObjectName("jsonFormat")
        self.json_box.setChecked(True)
        self.pdf_box = QCheckBox(_("PDF (readable, for the person)"))
        self.pdf_box.setObjectName("pdfFormat")
        self.pdf_box.setChecked(True)
        for box in (self.json_box, self.pdf_box):
            box.toggled.connect(lambda _checked: self._update())
        self.status = _label("accessStatus")
        self.busy = _busy_bar()
        self.save_button = QPushButton(_("Save…"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)

        formats = QHBoxLayout()
        formats.addWidget(QLabel(_("Formats:")))
        formats.addWidget(self.json_box)
        formats.addWidget(self.pdf_box)
        formats.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker, 1)
        layout.addLayout(formats)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        resize_within_screen(self, 760, 520)
        self._update()

    def _update(self) -> None:
        formats = self.json_box.isChecked() or self.pdf_box.isChecked()
        self.save_button.setEnabled(
            formats and self.picker.selected() is not None and not self.busy.isVisible()
        )

    def save(self) -> None:
        person = self.picker.selected()
        if person is None or not self.save_button.isEnabled():
            return
        stem = access_report_stem(person.name, date.today(), person.preferred_language)
        suggested = _documents_dir() / stem
        target = choose_report_path(self, suggested)
        if target is None:
            return
        base = target.with_suffix("") if target.suffix.lower() in (".json", ".pdf") else target
        json_path = base.with_name(base.name + ".json") if self.json_box.isChecked() else None
        pdf_path = base.with_name(base.name + ".pdf") if self.pdf_box.isChecked() else None
        self.busy.show()
        self._update()
        self.status.setText(_("Saving…"))
        self._runner.run(
            partial(save_access_report, json_path=json_path, pdf_path=pdf_path),
            self._db,
            person.id,
            key="access-report",
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, paths: list[Path]) -> None:
        self.busy.hide()
        self._update()
        self.status.setText(_("Saved:") + "\n" + "\n".join(str(path) for path in paths))
        self.saved.emit(paths)

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self._update()
        self.status.setText(error_text(error))


def erasure_summary(export: dict[str, Any]) -> str:
    """What erasing the person of *export* (``privacy.export_person``) will do."""
    person = export["person"]
    name = " ".join(p for p in (person["title"], person["first_name"], person["last_name"]) if p)
    organisation = export["organisation"]["name"] if export["organisation"] else "–"
    lines = [
        _("{name} ({organisation})").format(name=name, organisation=organisation),
        "",
        _("Deleted:"),
        "  " + _("the person with function and notes"),
        "  " + _("Group memberships: {count}").format(count=len(export["groups"])),
        "  " + _("E-mail addresses: {count}").format(count=len(export["emails"])),
        "  " + _("Phone numbers: {count}").format(count=len(export["phones"])),
        "  " + _("Consent records: {count}").format(count=len(export["consents"])),
        "  " + _("E-mails to the person: {count}").format(count=len(export["emails_sent"])),
        "  "
        + _("Photos the person is recorded on: {count}").format(
            count=sum(1 for p in export.get("photos", []) if p["recorded_as_pictured"])
        ),
        "",
        _("Kept without the name, so past minutes stay complete:"),
        "  "
        + _("Attendance entries (counted as “a participant”): {count}").format(
            count=len(export["attendance"])
        ),
        "  "
        + _("Invitations (counted without the name): {count}").format(
            count=len(export["invitations"])
        ),
        "  "
        + _("Action items (owner becomes “a participant”): {count}").format(
            count=len(export["action_items"])
        ),
        "  "
        + _("Meeting roles and presented TOPs: {count}").format(count=len(export["meeting_roles"])),
        "",
        _(
            "Name, e-mail addresses and phone numbers are replaced in every text "
            "(minutes, notes, e-mails to others). Texts that still mention the surname "
            "alone are listed afterwards for you to check: {count} so far."
        ).format(count=len(export["mentioned_in"])),
        "",
        _(
            "This cannot be undone. Backups made before still contain the person until "
            "they are rotated out; restoring one erases the person again."
        ),
    ]
    return "\n".join(lines)


def erasure_report(result: ErasureResult) -> str:
    lines = [
        _("The person has been erased."),
        "",
        _("Texts where name, address or number were replaced: {count}").format(
            count=result.texts_scrubbed
        ),
        _("Attendance entries kept anonymously: {count}").format(
            count=result.attendance_anonymised + result.guest_rows_anonymised
        ),
        _("E-mails to the person deleted: {count}").format(count=result.messages_deleted),
    ]
    if result.documents_outdated:
        lines.append(result.documents_note())
    if result.photos_note():
        lines.append(result.photos_note())
    if result.remaining_mentions:
        lines.append("")
        lines.append(_("Texts that still mention the surname (please check):"))
        for mention in result.remaining_mentions[:20]:
            where = f"{mention.table}.{mention.column} #{mention.row_id}"
            if mention.meeting_id is not None:
                where += " " + _("(meeting {id})").format(id=mention.meeting_id)
            lines.append("  " + where)
    if not result.vacuumed:
        lines.append("")
        lines.append(
            _(
                "The database file could not be compacted now (another program reads it); "
                "deleted data is overwritten, the file is compacted on the next erasure."
            )
        )
    return "\n".join(lines)


class ErasureDialog(QDialog):
    """Löschung. Signals: erased(int): the id of the erased person."""

    erased = Signal(int)

    PICK, CONFIRM, DONE = range(3)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        person_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("erasureDialog")
        self.setWindowTitle(_("Erase a person (Art. 17 GDPR)"))
        self._runner = runner
        self._db = db
        self._person: tuple[int, str] | None = None
        self.pages = QStackedWidget()
        self.busy = _busy_bar()
        self.status = _label("erasureStatus")

        # 1: choose
        self.picker = PersonPicker(runner, db, person_id, self)
        self.continue_button = QPushButton(_("Continue…"))
        self.continue_button.setObjectName("continue")
        self.continue_button.setDefault(True)
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._continue)
        self.picker.selection_changed.connect(
            lambda row: self.continue_button.setEnabled(row is not None)
        )
        pick = QWidget()
        pick_layout = QVBoxLayout(pick)
        pick_layout.addWidget(_label())
        pick_layout.itemAt(0).widget().setText(  # type: ignore[union-attr]
            _("Whom do you want to erase? Nothing is erased before you confirm.")
        )
        pick_layout.addWidget(self.picker, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.continue_button)
        pick_layout.addLayout(row)

        # 2: what will be erased, confirm
        self.summary = _label("erasureSummary")
        self.confirm_box = QCheckBox()
        self.confirm_box.setObjectName("confirmErase")
        self.erase_button = QPushButton(_("Erase for good"))
        self.confirm_box.toggled.connect(self.erase_button.setEnabled)
        self.erase_button.setObjectName("erase")
        self.erase_button.setAutoDefault(False)
        self.erase_button.setEnabled(False)
        self.erase_button.setStyleSheet(f"QPushButton:enabled {{ color: {css(Tone.NEGATIVE)}; }}")
        self.erase_button.clicked.connect(self.erase)
        back = QPushButton(_("Back"))
        back.setAutoDefault(False)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(self.PICK))
        confirm = QWidget()
        confirm_layout = QVBoxLayout(confirm)
        confirm_layout.addWidget(self.summary, 1)
        confirm_layout.addWidget(self.confirm_box)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.erase_button)
        confirm_layout.addLayout(row)

        # 3: report
        self.report = _label("erasureReport")
        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.addWidget(self.report, 1)

        for page in (pick, confirm, done):
            self.pages.addWidget(page)
        close = QPushButton(_("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        resize_within_screen(self, 720, 540)
        if person_id is not None:
            self._load_preview(person_id)

    def _continue(self) -> None:
        person: PersonRow | None = self.picker.selected()
        if person is not None:
            self._load_preview(person.id)

    def _load_preview(self, person_id: int) -> None:
        self.busy.show()
        self.status.setText(_("Collecting what is stored…"))
        self._runner.run(
            export_person,
            self._db,
            person_id,
            key="erasure-preview",
            on_done=self._show_preview,
            on_error=self._failed,
        )

    def _show_preview(self, export: dict[str, Any]) -> None:
        self.busy.hide()
        self.status.clear()
        person = export["person"]
        name = " ".join(p for p in (person["first_name"], person["last_name"]) if p)
        self._person = (int(person["id"]), name)
        self.summary.setText(erasure_summary(export))
        self.confirm_box.setText(
            _("Yes, erase {name} for good. I know this cannot be undone.").format(name=name)
        )
        self.confirm_box.setChecked(False)
        self.erase_button.setEnabled(False)
        self.pages.setCurrentIndex(self.CONFIRM)
        self.confirm_box.setFocus()

    def erase(self) -> None:
        if self._person is None or not self.confirm_box.isChecked():
            return
        self.erase_button.setEnabled(False)
        self.confirm_box.setEnabled(False)
        self.busy.show()
        self.status.setText(_("Erasing…"))
        self._runner.run(
            erase_person,
            self._db,
            self._person[0],
            key="erasure",
            on_done=self._erased,
            on_error=self._failed,
        )

    def _erased(self, result: ErasureResult) -> None:
        self.busy.hide()
        self.status.clear()
        self.report.setText(erasure_report(result))
        self.pages.setCurrentIndex(self.DONE)
        self.erased.emit(result.person_id)

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.confirm_box.setEnabled(True)
        self.erase_button.setEnabled(self.confirm_box.isChecked())
        self.status.setText(error_text(error))
