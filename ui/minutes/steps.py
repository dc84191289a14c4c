"""The deliberate steps of the minutes: finalise, correct, approve; and the PDF.

Each asks first (tests monkeypatch the ``QMessageBox`` / ``QInputDialog`` / ``QFileDialog``
static methods), then runs ONE service through the editor's write queue; the editor reloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.db import Database
from app.documents.file_names import minutes_file_name
from app.i18n import _, format_date
from app.services.meetings import MeetingRow
from app.services.minutes import MinutesStep, approval_meetings, take_step
from app.services.previews import discard, new_preview_path
from app.text import nfc

if TYPE_CHECKING:
    from ui.minutes.minutes_editor import MinutesEditor


def write_minutes_pdf(db: Database, meeting_id: int, path: Path) -> Path:
    """Snapshot, render and write the minutes PDF (worker thread)."""
    # Imported here: ReportLab loads only when a PDF is made.
    from app.documents.minutes import write_minutes
    from app.services.snapshots.minutes import build_minutes_snapshot

    try:
        from app.services.letterhead import load_letterhead
    except ImportError:  # older checkout without letterhead settings
        letterhead = None
    else:
        letterhead = load_letterhead(db)
    write_minutes(build_minutes_snapshot(db, meeting_id, letterhead=letterhead), path)
    return path


class MinutesSteps(QObject):
    """Wires the editor's step buttons."""

    def __init__(self, editor: MinutesEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._preview: Path | None = None
        editor.finalise_button.clicked.connect(self.finalise)
        editor.correct_button.clicked.connect(self.correct)
        editor.approve_button.clicked.connect(self.approve)
        editor.pdf_button.clicked.connect(self.save_pdf)
        editor.preview_button.clicked.connect(self.preview_pdf)

    def _version(self) -> int | None:
        view = self._editor.view()
        return view.minutes.version if view and view.minutes else None

    def finalise(self) -> None:
        editor = self._editor
        view = editor.view()
        if view is None or MinutesStep.FINALISE not in view.status.steps:
            return
        answer = QMessageBox.question(
            editor,
            _("Finalise the minutes?"),
            _(
                "Final minutes are locked: notes, decisions and action items can then only be "
                "changed through a correction, which becomes a new revision. Finalise now?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        editor.flush_notes()  # queued before the finalising, so the last words are in
        self._take(MinutesStep.FINALISE)

    def _take(
        self, step: MinutesStep, *, change_summary: str = "", approved_in: int | None = None
    ) -> None:
        """One step through the editor's write queue; the service applies the state rules."""
        editor = self._editor
        view = editor.view()
        if view is None:
            return
        db, meeting_id, version = editor.database(), view.meeting_id, self._version()
        editor.run_write(
            lambda: take_step(
                db,
                meeting_id,
                step,
                expected_version=version,
                change_summary=change_summary,
                approved_in_meeting_id=approved_in,
            ),
            lambda _info: editor.meeting_changed.emit(meeting_id),
            lambda _error: None,
        )

    def correct(self) -> None:
        editor = self._editor
        view = editor.view()
        if view is None:
            return
        summary, ok = QInputDialog.getMultiLineText(
            editor,
            _("Correct the minutes"),
            _("What does the correction change? The new revision records it."),
        )
        summary = nfc(summary)
        if not ok or not summary:
            return
        self._take(MinutesStep.CORRECT, change_summary=summary)

    def approve(self) -> None:
        editor = self._editor
        view = editor.view()
        if view is None:
            return
        db, meeting_id = editor.database(), view.meeting_id
        editor.runner().run(
            approval_meetings,
            db,
            meeting_id,
            key="minutes-later",
            on_done=self._choose_meeting,
            on_error=editor.show_error,
        )

    def _choose_meeting(self, rows: list[MeetingRow]) -> None:
        editor = self._editor
        view = editor.view()
        if view is None:
            return
        if not rows:
            QMessageBox.information(
                editor,
                _("Approve the minutes"),
                _("Minutes are approved in a later meeting; there is none yet."),
            )
            return
        labels = [f"{format_date(row.start.date())} – {row.title}" for row in rows]
        choice, ok = QInputDialog.getItem(
            editor,
            _("Approve the minutes"),
            _("In which meeting were these minutes approved?"),
            labels,
            0,
            False,
        )
        if not ok or choice not in labels:
            return
        self._take(MinutesStep.APPROVE, approved_in=rows[labels.index(choice)].id)

    def save_pdf(self) -> None:
        editor = self._editor
        view = editor.view()
        if view is None:
            return
        suggested = minutes_file_name(view.start.date(), view.language)
        path, _filter = QFileDialog.getSaveFileName(
            editor, _("Save the minutes as PDF"), suggested, _("PDF documents (*.pdf)")
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        editor.flush_notes()
        editor.pdf_button.setEnabled(False)
        editor.pdf_button.setText(_("Making the PDF…"))
        db, meeting_id = editor.database(), view.meeting_id
        editor.runner().run(
            write_minutes_pdf,
            db,
            meeting_id,
            target,
            on_done=self._pdf_written,
            on_error=self._pdf_failed,
        )

    def preview_pdf(self) -> None:
        """Render into a private preview folder and open it in the PDF viewer.

        The preview is full of names: it goes when the next one replaces it, when the minutes
        are closed, at exit, and (if a viewer kept it open) at the next start
        (``app.services.previews``).
        """
        editor = self._editor
        view = editor.view()
        if view is None:
            return
        self.discard_preview()
        target = new_preview_path(minutes_file_name(view.start.date(), view.language))
        self._preview = target
        editor.flush_notes()
        editor.preview_button.setEnabled(False)
        db, meeting_id = editor.database(), view.meeting_id
        editor.runner().run(
            write_minutes_pdf,
            db,
            meeting_id,
            target,
            on_done=self._preview_written,
            on_error=self._preview_failed,
        )

    def discard_preview(self) -> None:
        """Remove the last preview (the minutes are closed, or a new one replaces it)."""
        discard(self._preview)
        self._preview = None

    def _preview_written(self, path: Path) -> None:
        self._editor.preview_button.setEnabled(True)
        self._editor.pdf_saved.emit(str(path))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _preview_failed(self, error: BaseException) -> None:
        self._editor.preview_button.setEnabled(True)
        self._editor.show_error(error)

    def _pdf_done(self) -> None:
        self._editor.pdf_button.setEnabled(True)
        self._editor.pdf_button.setText(_("PDF…"))

    def _pdf_written(self, path: Path) -> None:
        self._pdf_done()
        self._editor.pdf_saved.emit(str(path))
        answer = QMessageBox.information(
            self._editor,
            _("PDF saved"),
            _("The minutes were saved as {path}.").format(path=path),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Close,
        )
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _pdf_failed(self, error: BaseException) -> None:
        self._pdf_done()
        self._editor.show_error(error)
