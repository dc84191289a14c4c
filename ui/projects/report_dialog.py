"""The funding report of a project (or all): period, PDF or XLSX, sign-in scans appended.

The report is built and written on the task runner; a period without meetings comes back as
the service's one-line message, shown in the dialog (no empty report is written).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.documents.funding_report import write_funding_report
from app.errors import TreffpunktError
from app.i18n import _
from app.services.projects import ProjectRow, parse_day
from app.services.reporting.funding import funding_report
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner


def make_report(
    db: Database,
    project_id: int | None,
    start: date | None,
    end: date | None,
    path: Path,
    with_scans: bool,
) -> Path:
    """Worker thread: build the report and write it."""
    report = funding_report(db, None if project_id is None else [project_id], start, end)
    write_funding_report(db, report, path, with_scans=with_scans)
    return path


class FundingReportDialog(QDialog):
    """Signals: written(str): the path of the report written."""

    written = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        project: ProjectRow | None,
        parent: QWidget | None = None,
        *,
        choose_path: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fundingReportDialog")
        self.setWindowTitle(_("Funding report"))
        self._runner, self._db, self._project = runner, db, project
        self._choose_path = choose_path
        self.target: Path | None = None
        subject = project.name if project is not None else _("All projects")
        self.start = QLineEdit(
            project.start.strftime("%d.%m.%Y") if project and project.start else ""
        )
        self.start.setObjectName("reportStart")
        self.end = QLineEdit(project.end.strftime("%d.%m.%Y") if project and project.end else "")
        self.end.setObjectName("reportEnd")
        self.start.setAccessibleName(_("Period from"))
        self.end.setAccessibleName(_("Period to"))
        for edit in (self.start, self.end):
            edit.setPlaceholderText(_("DD.MM.YYYY"))
        self.pdf = QRadioButton(_("PDF (Sachbericht)"))
        self.pdf.setObjectName("reportPdf")
        self.pdf.setChecked(True)
        self.xlsx = QRadioButton(_("Excel workbook (the tables)"))
        self.xlsx.setObjectName("reportXlsx")
        self.scans = QCheckBox(_("Append the signed sign-in sheets"))
        self.scans.setObjectName("reportScans")
        self.xlsx.toggled.connect(lambda on: self.scans.setEnabled(not on))
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("–"))
        period.addWidget(self.end)
        form = QFormLayout()
        form.addRow(_("Project:"), QLabel(subject))
        form.addRow(_("Period:"), period)
        kinds = QVBoxLayout()
        kinds.addWidget(self.pdf)
        kinds.addWidget(self.scans)
        kinds.addWidget(self.xlsx)
        form.addRow(_("Format:"), kinds)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _show(self, text: str, *, error: bool) -> None:
        set_tone(self.message, Tone.NEGATIVE if error else Tone.POSITIVE)
        self.message.setText(text)
        self.message.show()

    def save(self, path: Path | None = None) -> None:
        try:
            start, end = parse_day(self.start.text()), parse_day(self.end.text())
        except TreffpunktError as error:
            self._show(str(error), error=True)
            return
        suffix = ".xlsx" if self.xlsx.isChecked() else ".pdf"
        if path is None and self._choose_path:
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            stem = _("Funding report")
            name, _selected = QFileDialog.getSaveFileName(
                self,
                _("Save the funding report"),
                str(Path(documents or Path.home()) / f"{stem}{suffix}"),
                _("Excel workbooks (*.xlsx)") if suffix == ".xlsx" else _("PDF files (*.pdf)"),
            )
            if not name:
                return
            path = Path(name)
        if path is None:
            return
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.target = path
        self.buttons.setEnabled(False)
        self._runner.run(
            make_report,
            self._db,
            self._project.id if self._project is not None else None,
            start,
            end,
            path,
            self.scans.isChecked() and self.scans.isEnabled(),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, path: Path) -> None:
        self.buttons.setEnabled(True)
        self._show(_("Saved: {path}").format(path=path), error=False)
        self.written.emit(str(path))

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = str(error) if isinstance(error, TreffpunktError) else repr(error)
        self._show(text, error=True)
