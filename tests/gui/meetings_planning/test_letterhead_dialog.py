"""Letterhead settings: name, address lines and a logo stored in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from app.documents.letterhead import load_letterhead
from tests.gui.meetings_planning.conftest import WAIT_MS, Planned
from ui.settings.letterhead_dialog import LetterheadDialog
from ui.tasks import TaskRunner


def test_letterhead_with_logo_is_stored(
    qtbot: QtBot,
    runner: TaskRunner,
    planned: Planned,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logo = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6"))
    assert image.save(str(logo))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(logo), ""))
    )
    dialog = LetterheadDialog(runner, planned.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    qtbot.keyClicks(dialog.name, "Quartiersmanagement Stahldorf")
    dialog.address.setPlainText("Hauptstraße 5\n\n47798 Krefeld")
    dialog.choose_logo()
    qtbot.waitUntil(lambda: dialog.logo is not None, timeout=WAIT_MS)
    assert dialog.logo_view.pixmap() is not None
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    stored = load_letterhead(planned.db)
    assert stored is not None
    assert stored.name == "Quartiersmanagement Stahldorf"
    assert stored.address_lines == ("Hauptstraße 5", "47798 Krefeld")
    assert stored.logo is not None


def test_letterhead_without_name_is_refused(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = LetterheadDialog(runner, planned.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
    assert load_letterhead(planned.db) is None
