"""Hilfe ▸ Handbuch: the guide shipped with the program, read offline in its own window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from pytestqt.qtbot import QtBot

from app import paths
from ui.dialogs.manual import ManualWindow, chapters
from ui.main_window import MainWindow


def test_help_opens_the_guide_with_its_contents(qtbot: QtBot, window: MainWindow) -> None:
    action = window.menu_actions["manual"]
    assert action.text() == "&Handbuch"
    assert action.shortcut().toString() == "F1"
    action.trigger()
    manual = window.manual
    assert isinstance(manual, ManualWindow)
    qtbot.waitExposed(manual)
    assert "Treffpunkt – Handbuch" in manual.browser.toPlainText()
    titles = [title for _file, title in chapters(paths.manual_dir())]
    model = manual.contents.model()
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == titles

    # A click on a chapter shows it, with its pictures.
    row = titles.index("Einrichten")
    rect = manual.contents.visualRect(model.index(row, 0))
    qtbot.mouseClick(manual.contents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert Path(manual.browser.source().toLocalFile()).name == "01-einrichten.html"
    assert "Der Einrichtungsassistent" in manual.browser.toPlainText()
    image = manual.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl("images/assistent-organisation.png")
    )
    assert image is not None
    assert not image.isNull()

    # A link inside the text leads to another chapter and marks it in the contents.
    manual.browser.setSource(manual.browser.source().resolved(QUrl("08-neuer-pc.html")))
    assert manual.contents.currentIndex().data() == "Umzug auf einen neuen PC"
    window.menu_actions["manual"].trigger()  # again: the same window comes to the front
    assert window.manual is manual


def test_open_in_browser_hands_over_the_file(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(url.toLocalFile()) or True),
    )
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.open_in_browser()
    assert opened == [str(paths.manual_dir() / "index.html")]


def test_a_missing_guide_is_said_plainly(qtbot: QtBot, tmp_path: Path) -> None:
    manual = ManualWindow(folder=tmp_path)
    qtbot.addWidget(manual)
    assert manual.findChild(object, "manualMissing") is not None
