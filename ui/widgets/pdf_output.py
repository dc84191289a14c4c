"""What the dialogs that print a PDF or save it share (the sign-in sheet, the letters).

The PDF is rendered in the background by the dialog; this base class prints it (Qt's print
dialog, then ``ui.widgets.pdf_print`` draws the pages with QtPdf; without QtPdf the PDF
opens in the system's viewer to be printed from there), asks where to save it, and reports
the outcome in the dialog's status line and its signals.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QWidget

from app.db import Database
from app.i18n import _, ngettext
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.pdf_print import pdf_available, prepare_printer, print_pdf

_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def pdf_file_name(kind: str, title: str) -> str:
    """A file name valid on Windows: "Briefe – Netzwerktreffen März.pdf"."""
    name = _UNSAFE_IN_NAMES.sub(" ", f"{kind} – {title}").strip(" .")
    return f"{' '.join(name.split())[:120]}.pdf"


class PdfOutputDialog(QDialog):
    """A dialog about one meeting's PDF that prints it or saves it.

    Signals:
    saved(str): the PDF was written to this path.
    printed(int): this many pages went to the printer.
    failed(str): an error was shown.
    """

    saved = Signal(str)
    printed = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = db
        self._meeting_id = meeting_id
        self._title = title
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

    # -- what each dialog says -------------------------------------------------------------------

    def file_name(self) -> str:
        """The PDF's suggested file name."""
        raise NotImplementedError

    def print_dialog_title(self) -> str:
        raise NotImplementedError

    def save_dialog_title(self) -> str:
        raise NotImplementedError

    def opened_in_viewer_text(self) -> str:
        raise NotImplementedError

    def _set_busy(self, busy: bool, text: str) -> None:
        """Buttons off while *busy*; *text* in the status line."""
        raise NotImplementedError

    # -- printing --------------------------------------------------------------------------------

    def _print_rendered(self, data: bytes) -> None:
        self._set_busy(False, "")
        if not pdf_available():
            path = Path(tempfile.gettempdir()) / self.file_name()
            path.write_bytes(data)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            self.status.setText(self.opened_in_viewer_text())
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name().removesuffix(".pdf"))
        prepare_printer(data, printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.print_dialog_title())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            pages = print_pdf(data, printer)
        except Exception as error:  # printer drivers fail in many ways; the user must know
            self._failed(error)
            return
        self.status.setText(
            ngettext(
                "{count} page sent to the printer.", "{count} pages sent to the printer.", pages
            ).format(count=pages)
        )
        self.printed.emit(pages)

    # -- saving ----------------------------------------------------------------------------------

    def _ask_save_path(self) -> Path | None:
        """Where to save: asked in the file dialog (the documents folder first); ".pdf"
        added when the name has no such ending. None when the user cancelled."""
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        start = Path(documents or Path.home()) / self.file_name()
        name, _selected = QFileDialog.getSaveFileName(
            self, self.save_dialog_title(), str(start), _("PDF files (*.pdf)")
        )
        return with_pdf_suffix(Path(name)) if name else None

    def _saved(self, path: Path) -> None:
        self._set_busy(False, _("Saved as {path}").format(path=path))
        self.saved.emit(str(path))

    def _failed(self, error: BaseException) -> None:
        text = error_text(error)
        self._set_busy(False, text)
        self.failed.emit(text)


def with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")
