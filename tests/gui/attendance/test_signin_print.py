"""Sign-in sheet dialog: options, save as PDF (dialog monkeypatched), print to a PDF printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from app.services.settings import get_setting
from app.services.signin_sheet import PRIVACY_NOTICE_KEY
from tests.helpers.attendance_window import Past
from ui.attendance.signin_print import SigninDialog, file_name
from ui.tasks import TaskRunner

WAIT_MS = 15_000


@pytest.fixture
def dialog(qtbot: QtBot, past: Past) -> Iterator[SigninDialog]:
    runner = TaskRunner()
    widget = SigninDialog(runner, past.db, past.meeting, "Netzwerktreffen März")
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.ready, timeout=WAIT_MS):
        widget.show()
    yield widget
    runner.shutdown()


def test_save_as_pdf_with_the_chosen_options(
    qtbot: QtBot,
    dialog: SigninDialog,
    past: Past,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not dialog.reset_notice.isEnabled()  # the default text is shown
    target = tmp_path / "liste"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(target), ""))
    dialog.declined.setCurrentIndex(1)  # listed as excused
    dialog.order.setCurrentIndex(1)  # by organisation
    dialog.blank_rows.selectAll()
    qtbot.keyClicks(dialog.blank_rows, "4")
    dialog.notice.selectAll()
    qtbot.keyClicks(dialog.notice, "Hinweis: Verantwortlich ist das Quartiersbuero.")
    assert dialog.reset_notice.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    path = Path(blocker.args[0])
    assert path == tmp_path / "liste.pdf"
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    for name in (
        "Ayşe Yılmaz",
        "Peter Adler",
        "Zoë Öztürk-Weiß",
        "Анна Петрова",
        "Jürgen Müller",
    ):  # declined, listed as excused
        assert name in text
    assert "Hinweis: Verantwortlich ist das Quartiersbuero." in text
    # The edited notice is kept for the next sheet; restoring the default forgets it.
    assert get_setting(past.db, PRIVACY_NOTICE_KEY) == (
        "Hinweis: Verantwortlich ist das Quartiersbuero."
    )
    qtbot.mouseClick(dialog.reset_notice, Qt.MouseButton.LeftButton)
    assert not dialog.reset_notice.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert get_setting(past.db, PRIVACY_NOTICE_KEY) is None


def test_declined_are_left_out_by_default(
    qtbot: QtBot, dialog: SigninDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "a.pdf"), "")
    )
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "a.pdf").pages)
    assert "Ayşe Yılmaz" in text
    assert "Jürgen Müller" not in text


def test_print_goes_through_the_print_dialog_page_by_page(
    qtbot: QtBot, dialog: SigninDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"
    seen: list[QPrinter] = []

    def accept(self: QPrintDialog) -> int:
        printer = self.printer()
        seen.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    dialog.blank_rows.setValue(40)  # two pages
    with qtbot.waitSignal(dialog.printed, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    pages = blocker.args[0]
    assert pages >= 2
    reader = PdfReader(out)
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape, as the sheet


def test_file_name_is_valid_on_windows() -> None:
    name = file_name('Treffen: "Sport" <im/Park>?')
    assert name.endswith(".pdf")
    assert not set('<>:"/\\|?*') & set(name)
