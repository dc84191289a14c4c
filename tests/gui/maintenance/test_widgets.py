"""The conflict dialog and the central error reporter of background tasks."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.errors import DiskFull, TreffpunktError
from app.i18n import _
from tests.helpers.window import WAIT_MS
from ui.tasks import TaskRunner
from ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog, ask_conflict
from ui.widgets.error_box import ErrorReporter, error_text, error_title


@pytest.mark.parametrize(
    ("button", "choice"),
    [
        ("reload", ConflictChoice.RELOAD),
        ("keepEditing", ConflictChoice.KEEP_EDITING),
        ("overwrite", ConflictChoice.OVERWRITE),
    ],
)
def test_conflict_dialog_returns_the_choice(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, button: str, choice: ConflictChoice
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def exec_(dialog: ConflictDialog) -> int:  # the user clicks instead of a modal loop
        clicked = dialog.findChild(QPushButton, button)
        assert clicked is not None
        clicked.click()
        return 0

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    assert ask_conflict(parent, "Netzwerktreffen März", can_overwrite=True) is choice


def test_conflict_dialog_names_the_record_and_defaults_to_keep_editing(qtbot: QtBot) -> None:
    dialog = ConflictDialog("Netzwerktreffen März")
    qtbot.addWidget(dialog)
    assert "Netzwerktreffen März" in dialog.text()
    assert dialog.findChild(QPushButton, "overwrite") is None  # only where the service allows
    assert dialog.defaultButton() is dialog.findChild(QPushButton, "keepEditing")
    assert dialog.choice() is ConflictChoice.KEEP_EDITING  # closed without a click


def test_error_reporter_shows_one_box_for_many_failures(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    reporter = ErrorReporter(parent)
    runner.unhandled_error.connect(reporter.report)

    def full() -> None:
        raise DiskFull("Die Festplatte ist voll.")

    with qtbot.waitSignal(runner.unhandled_error, timeout=WAIT_MS):
        runner.run(full)
    box = reporter.current_box()
    assert isinstance(box, QMessageBox)
    assert box.text() == "Die Festplatte ist voll."
    assert box.windowTitle() == _("The disk is full")
    with qtbot.waitSignal(runner.unhandled_error, timeout=WAIT_MS):
        runner.run(full)
    assert reporter.current_box() is box  # counted into the same box
    assert "1" in box.informativeText()
    box.done(0)
    assert reporter.current_box() is None
    runner.shutdown()


def test_unexpected_errors_are_explained_without_traceback() -> None:
    text = error_text(KeyError("internal"))
    assert "KeyError" in text
    assert "internal" not in text
    assert error_title(TreffpunktError("x")) == _("This did not work")
