"""The window on a 1366×768 laptop (minus a 40-pixel taskbar) and on a 1920×1080 screen.

Two kinds of test: a real first start in a child process whose offscreen screen has the
laptop's or the large screen's size (Qt's ``offscreen:configfile=`` platform option), and the
pages laid out in this process at both sizes (no sideways scrolling, no cut headers, the
notes of the minutes with room to write).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QHeaderView,
    QSplitter,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.preferences import Preferences
from ui import window_state
from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.widgets.tables import TableView

WAIT_MS = 15_000
ROOT = Path(__file__).resolve().parents[2]
LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 minus a 40-pixel taskbar at the bottom
LARGE = QRect(0, 0, 1920, 1040)
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"
OpenAndWait = Callable[[Path], MainWindow]

FIRST_START = """
import json
from PySide6.QtWidgets import QApplication
from app.preferences import Preferences
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

app = QApplication([])
window = MainWindow(TaskRunner(), Preferences())
window.show()
app.processEvents()
rect = window.geometry()
normal = window.normalGeometry()
hint = window.minimumSizeHint()
print(json.dumps({
    "geometry": [rect.x(), rect.y(), rect.width(), rect.height()],
    "normal": [normal.x(), normal.y(), normal.width(), normal.height()],
    "maximised": window.isMaximized(),
    "available": [app.primaryScreen().availableGeometry().width(),
                  app.primaryScreen().availableGeometry().height()],
}))
window.shutdown()
"""


def first_start(tmp_path: Path, screen: QRect, full: tuple[int, int]) -> dict:
    """Start the window in a child process on a screen of *full* size, *screen* available."""
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": True,
                "windowFrameMargins": False,
                "screens": [
                    {
                        "name": "screen",
                        "x": 0,
                        "y": 0,
                        "width": full[0],
                        "height": full[1],
                        "availableGeometry": {
                            "x": screen.x(),
                            "y": screen.y(),
                            "width": screen.width(),
                            "height": screen.height(),
                        },
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-c", FIRST_START],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_first_start_on_a_laptop_fills_the_screen_above_the_taskbar(tmp_path: Path) -> None:
    shown = first_start(tmp_path, LAPTOP, (1366, 768))
    assert shown["available"] == [1366, 728]
    assert shown["maximised"]
    x, y, width, height = shown["geometry"]
    assert LAPTOP.contains(QRect(x, y, width, height))
    assert (width, height) == (1366, 728)
    # Un-maximised, it still fits with a window frame around it.
    assert LAPTOP.contains(QRect(*shown["normal"]))


def test_first_start_on_a_large_screen_uses_most_of_it(tmp_path: Path) -> None:
    shown = first_start(tmp_path, LARGE, (1920, 1080))
    assert not shown["maximised"]
    x, y, width, height = shown["geometry"]
    assert LARGE.contains(QRect(x, y, width, height))
    assert width >= 1600
    assert height >= 880
    # Centred.
    assert abs((x + width / 2) - LARGE.center().x()) <= 2


def test_first_start_geometry_rules() -> None:
    laptop, maximise = window_state.first_start_geometry(LAPTOP)
    assert maximise
    assert LAPTOP.contains(laptop.marginsAdded(window_state.FRAME_ESTIMATE))
    large, maximise = window_state.first_start_geometry(LARGE)
    assert not maximise
    assert LARGE.contains(large.marginsAdded(window_state.FRAME_ESTIMATE))
    assert large.width() > 0.8 * LARGE.width()


@pytest.fixture
def fresh_window(qtbot: QtBot) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(TaskRunner(), Preferences())
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


def test_a_geometry_saved_on_a_larger_screen_is_not_restored_beyond_this_one(
    fresh_window: Callable[[], MainWindow],
) -> None:
    """Docked at a big monitor, closed, then started on the laptop alone: the window must
    come back on the screen (this process's offscreen screen is smaller than 1920×1080)."""
    first = fresh_window()
    first.setGeometry(QRect(150, 100, 1700, 950))
    first.shutdown()  # remembers the geometry
    assert window_state.load_state(window_state.GEOMETRY_KEY) is not None
    second = fresh_window()
    screen = second.screen().availableGeometry()
    assert screen.width() < 1700  # the premise of this test
    shown = second.normalGeometry()
    assert screen.contains(shown)


def test_a_geometry_that_fits_is_restored(fresh_window: Callable[[], MainWindow]) -> None:
    first = fresh_window()
    screen = first.screen().availableGeometry()
    wanted = QRect(screen.x() + 20, screen.y() + 40, screen.width() - 100, screen.height() - 120)
    first.setGeometry(wanted)
    first.shutdown()
    second = fresh_window()
    assert second.geometry() == wanted


def test_splitter_positions_are_remembered(
    open_and_wait: OpenAndWait,
    demo_path: Path,
    qtbot: QtBot,
    fresh_window: Callable[[], MainWindow],
) -> None:
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.meetings)
    splitter = workspace.meetings.splitter
    window.resize(1366, 728)
    qtbot.waitUntil(lambda: splitter.sizes()[0] > 0, timeout=WAIT_MS)
    # The user drags the handle between the list and the details 100 pixels down.
    target = splitter.sizes()[0] + 100
    splitter.moveSplitter(target, 1)
    key = f"{window_state.SPLITTER_GROUP}/meetings"
    qtbot.waitUntil(lambda: window_state.load_state(key) is not None, timeout=WAIT_MS)
    window.shutdown()

    again = fresh_window()
    again.resize(1366, 728)
    again.show()
    with qtbot.waitSignal(again.ready, timeout=WAIT_MS):
        again.open_database(demo_path)
    restored = again.workspace()
    assert restored is not None
    restored.setCurrentWidget(restored.meetings)
    qtbot.waitUntil(lambda: not again.runner.is_busy(), timeout=WAIT_MS)
    assert abs(restored.meetings.splitter.sizes()[0] - target) <= 2


# -- the pages at both sizes ---------------------------------------------------------------


def visible_lists(root: QWidget) -> list[QAbstractScrollArea]:
    return [
        area
        for area in root.findChildren(QAbstractScrollArea)
        if area.isVisible() and not isinstance(area, QHeaderView)
    ]


def problems_on_screen(window: MainWindow) -> list[str]:
    """Sideways scroll bars, cut column headers: what a page must not show."""
    found = []
    for area in visible_lists(window):
        name = f"{type(area).__name__}#{area.objectName()}"
        if area.horizontalScrollBar().isVisible():
            found.append(f"{name}: scrolls sideways")
        if isinstance(area, TableView):
            header = area.horizontalHeader()
            for number, needed in enumerate(area.header_widths()):
                if not header.isSectionHidden(number) and header.sectionSize(number) < needed:
                    title = area.model().headerData(number, header.orientation())
                    found.append(f"{name}: header “{title}” cut")
    return found


def every_page(qtbot: QtBot, window: MainWindow) -> Iterator[str]:
    """Shows each page and each tab of a meeting in turn; yields what is shown."""
    workspace = window.workspace()
    assert workspace is not None

    def settle() -> None:
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
        qtbot.wait(20)  # the layout pass after the data

    for number in range(workspace.count()):
        workspace.setCurrentIndex(number)
        settle()
        yield workspace.tabText(number)
    meetings = workspace.meetings
    workspace.setCurrentWidget(meetings)
    row = next(n for n, r in enumerate(meetings.model.rows()) if r.title == AUFTAKT)
    meetings.view.selectRow(row)
    settle()
    for number in range(meetings.detail.tabs.count()):
        meetings.detail.tabs.setCurrentIndex(number)
        settle()
        yield f"{workspace.tabText(1)} ▸ {meetings.detail.tabs.tabText(number)}"


@pytest.mark.parametrize("screen", [LAPTOP, LARGE], ids=["1366x768", "1920x1080"])
def test_every_page_fits_without_sideways_scrolling_or_cut_headers(
    screen: QRect, open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    geometry, _maximise = window_state.first_start_geometry(screen)
    window.resize(screen.size() if _maximise else geometry.size())
    hint = window.minimumSizeHint()
    assert hint.width() <= screen.width()
    assert hint.height() <= screen.height()
    problems = {page: problems_on_screen(window) for page in every_page(qtbot, window)}
    assert {page: found for page, found in problems.items() if found} == {}


@pytest.mark.parametrize(
    ("screen", "notes_height"), [(LAPTOP, 330), (LARGE, 480)], ids=["1366x768", "1920x1080"]
)
def test_the_minutes_give_the_notes_room_without_scrolling_the_page(
    screen: QRect, notes_height: int, open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    geometry, maximise = window_state.first_start_geometry(screen)
    window.resize(screen.size() if maximise else geometry.size())
    workspace = window.workspace()
    assert workspace is not None
    meetings = workspace.meetings
    workspace.setCurrentWidget(meetings)
    row = next(n for n, r in enumerate(meetings.model.rows()) if r.title == AUFTAKT)
    with qtbot.waitSignal(meetings.detail_shown, timeout=WAIT_MS):
        meetings.view.selectRow(row)
    meetings.detail.tabs.setCurrentWidget(meetings.minutes)
    qtbot.waitUntil(lambda: not meetings.minutes.is_loading(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    qtbot.wait(20)
    notes = meetings.minutes.page.notes.text
    assert notes.isVisible()
    assert notes.height() >= notes_height  # was about 250 pixels at 1366×768
    # The page itself does not scroll: everything fits the window.
    area = meetings.detail_area
    assert not area.verticalScrollBar().isVisible()
    assert not area.horizontalScrollBar().isVisible()
    splitters = [s for s in meetings.minutes.findChildren(QSplitter) if s.isVisible()]
    assert splitters
    tables = [t for t in meetings.minutes.findChildren(QTableView) if t.isVisible()]
    assert all(not t.horizontalScrollBar().isVisible() for t in tables)


def test_a_larger_system_font_still_fits_the_laptop(
    demo_path: Path, qtbot: QtBot, qapp: QApplication
) -> None:
    """Sizes follow the font (no fixed pixel sizes for text): with the system font 25 %
    larger the pages still fit 1366×768 without sideways scrolling or cut headers."""
    original = QFont(qapp.font())
    larger = QFont(original)
    larger.setPointSizeF(original.pointSizeF() * 1.25)
    qapp.setFont(larger)
    window = MainWindow(TaskRunner(), Preferences())
    qtbot.addWidget(window)
    try:
        window.show()
        with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
            window.open_database(demo_path)
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
        workspace = window.workspace()
        assert workspace is not None
        rows = workspace.network.people_view
        assert rows.verticalHeader().defaultSectionSize() >= rows.fontMetrics().height()
        assert rows.font().pointSizeF() == larger.pointSizeF()
        window.resize(LAPTOP.size())
        hint = window.minimumSizeHint()
        assert hint.width() <= LAPTOP.width()
        assert hint.height() <= LAPTOP.height()
        problems = {page: problems_on_screen(window) for page in every_page(qtbot, window)}
        assert {page: found for page, found in problems.items() if found} == {}
    finally:
        window.shutdown()
        qapp.setFont(original)
