"""The attendance pieces inside the main window: the meeting's tab and the figures page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.attendance import attendance_sheet
from ui.main_window import MainWindow

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


def test_attendance_tab_of_a_meeting_lists_its_people(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.meetings)
    page = workspace.meetings
    rows = page.model.rows()
    number = next(i for i, row in enumerate(rows) if row.title.startswith("Auftakt"))
    rect = page.view.visualRect(page.view.model().index(number, 2))
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tabs = page.detail.tabs
    index = tabs.indexOf(page.attendance)
    assert index >= 0
    with qtbot.waitSignal(page.attendance.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(
            tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(index).center()
        )
    opened = window.opened()
    assert opened is not None
    expected = attendance_sheet(opened.database, rows[number].id)
    assert page.attendance.model.rows() == expected
    assert page.attendance.counts.text()


def test_figures_page_is_a_workspace_tab_loading_when_shown(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    assert workspace.figures.figures() is None  # not loaded at start-up
    index = workspace.indexOf(workspace.figures)
    with qtbot.waitSignal(workspace.figures.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(
            workspace.tabBar(),
            Qt.MouseButton.LeftButton,
            pos=workspace.tabBar().tabRect(index).center(),
        )
    assert workspace.figures.figures() is not None
