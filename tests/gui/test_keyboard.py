"""Undo, redo and close keys as a user presses them, in every place that keeps a history.

Regressions: Ctrl+Shift+Z did not redo in the minutes editor (only Ctrl+Y did); Bearbeiten ▸
Rückgängig/Wiederholen stayed greyed on the Treffen page although its agenda, attendance and
minutes keep undo histories; Ctrl+W did not close door mode.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.agenda import get_agenda
from app.services.meetings import list_meetings
from app.services.minutes import TopView, load_minutes
from tests.helpers.window import WAIT_MS, OpenAndWait
from ui.attendance.door_mode import DoorModeWindow
from ui.main_window import MainWindow
from ui.meetings.page import MeetingsPage
from ui.minutes.minutes_editor import MinutesEditor
from ui.tasks import TaskRunner

AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"
WINTER = "Netzwerktreffen der Impuls.Ag – Winter 2026/27"
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _meetings_page(window: MainWindow) -> MeetingsPage:
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.meetings)
    return workspace.meetings


def _minutes_in_window(window: MainWindow, qtbot: QtBot) -> MinutesEditor:
    page = _meetings_page(window)
    row = next(r for r in page.model.rows() if r.title == AUFTAKT)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.select_meeting(row.id)
    editor = page.minutes
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        page.detail.tabs.setCurrentWidget(editor)
    return editor


def _top(db: Database, meeting: int, top: int) -> TopView:
    return next(t for t in load_minutes(db, meeting).tops if t.id == top)


def _add_decision(qtbot: QtBot, editor: MinutesEditor, text: str) -> None:
    page = editor.page
    page.decision_input.setFocus()
    qtbot.keyClicks(page.decision_input, text)
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(page.decision_input, Qt.Key.Key_Return, CTRL)


def _press(qtbot: QtBot, editor: MinutesEditor, target: QWidget, modifiers: object) -> None:
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(target, Qt.Key.Key_Z, modifiers)  # type: ignore[arg-type]


def test_minutes_in_the_window_undo_and_redo_by_keys_and_edit_menu(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    editor = _minutes_in_window(window, qtbot)
    opened = window.opened()
    assert opened is not None
    db, meeting, top = opened.database, editor.meeting_id(), editor.current_top_id()
    assert meeting is not None
    assert top is not None
    before = len(_top(db, meeting, top).decisions)
    undo, redo = window.menu_actions["undo"], window.menu_actions["redo"]
    assert not undo.isEnabled()

    _add_decision(qtbot, editor, "Der Lenkungskreis tagt quartalsweise")
    assert len(_top(db, meeting, top).decisions) == before + 1
    assert undo.isEnabled()  # Bearbeiten ▸ Rückgängig follows the minutes
    view = editor.page.decision_view
    view.setFocus()
    _press(qtbot, editor, view, CTRL)
    assert len(_top(db, meeting, top).decisions) == before
    assert redo.isEnabled()
    _press(qtbot, editor, view, CTRL_SHIFT)
    assert len(_top(db, meeting, top).decisions) == before + 1
    # The menu items work when chosen, and Ctrl+Y redoes as well.
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        undo.trigger()
    assert len(_top(db, meeting, top).decisions) == before
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert len(_top(db, meeting, top).decisions) == before + 1
    _press(qtbot, editor, view, CTRL)
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        redo.trigger()
    assert len(_top(db, meeting, top).decisions) == before + 1


def test_agenda_on_the_treffen_page_edit_menu_and_keys(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    page = _meetings_page(window)
    qtbot.waitUntil(lambda: page.planner.meeting is not None, timeout=WAIT_MS)
    assert page.planner.meeting.title == WINTER
    editor = page.planner.agenda_editor
    qtbot.waitUntil(lambda: editor.model.rowCount() > 0, timeout=WAIT_MS)
    page.detail.tabs.setCurrentWidget(editor.parentWidget())
    opened = window.opened()
    assert opened is not None
    meeting = page.planner.meeting.id

    def titles() -> list[str]:
        return [e.row.title for e in get_agenda(opened.database, meeting).entries]

    before = titles()
    undo, redo = window.menu_actions["undo"], window.menu_actions["redo"]
    assert not undo.isEnabled()
    editor.select_item(get_agenda(opened.database, meeting).entries[0].id)
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.key_action("down")
    assert titles() != before
    assert undo.isEnabled()
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        undo.trigger()
    assert titles() == before
    assert redo.isEnabled()
    editor.view.setFocus()
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL_SHIFT)
    assert titles() != before
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL)
    assert titles() == before

    # The network page's history is not the agenda's: its menu state follows the page.
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.network)
    assert not redo.isEnabled()
    workspace.setCurrentWidget(page)
    assert redo.isEnabled()


def test_minutes_editor_on_its_own_redoes_with_ctrl_shift_z(qtbot: QtBot, demo_path: Path) -> None:
    """Outside the main window (no Edit menu) the editor's own keys serve."""
    db = Database.open(demo_path)
    runner = TaskRunner()
    editor = MinutesEditor(runner)
    qtbot.addWidget(editor)
    try:
        meeting = next(r.id for r in list_meetings(db) if r.title == AUFTAKT)
        editor.resize(1200, 800)
        editor.show()
        with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
            editor.open(db, meeting)
        top = editor.current_top_id()
        assert top is not None
        before = len(_top(db, meeting, top).decisions)
        _add_decision(qtbot, editor, "Protokoll geht an alle")
        view = editor.page.decision_view
        view.setFocus()
        _press(qtbot, editor, view, CTRL)
        assert len(_top(db, meeting, top).decisions) == before
        _press(qtbot, editor, view, CTRL_SHIFT)
        assert len(_top(db, meeting, top).decisions) == before + 1
    finally:
        editor.close()
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
        runner.shutdown()
        db.close()


def test_ctrl_w_closes_door_mode(open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot) -> None:
    window = open_and_wait(demo_path)
    opened = window.opened()
    assert opened is not None
    meeting = next(r.id for r in list_meetings(opened.database) if r.title == AUFTAKT)
    door = DoorModeWindow(window.runner, opened.database, meeting, AUFTAKT)
    door.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.addWidget(door)
    with qtbot.waitSignal(door.loaded, timeout=WAIT_MS):
        door.show()
    door.activateWindow()
    qtbot.waitUntil(door.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(door.search, Qt.Key.Key_W, CTRL)
    assert not door.isVisible()
