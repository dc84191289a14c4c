"""Marking after the meeting: P/E/A on a multi-selection, the accepted rule, undo, held."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import AttendanceStatus, MeetingState
from app.services.attendance import attendance_sheet
from app.services.meetings import get_meeting
from tests.helpers.attendance_window import Past, build_past_meeting
from tests.team_server import server_database, shared_cluster
from ui.attendance.attendance_tab import AttendanceTab
from ui.tasks import TaskRunner

WAIT_MS = 15_000
NO_MODIFIER = Qt.KeyboardModifier(0)


@pytest.fixture
def tab(qtbot: QtBot, past: Past) -> Iterator[AttendanceTab]:
    runner = TaskRunner()
    widget = AttendanceTab(runner)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    detail = get_meeting(past.db, past.meeting)
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show_meeting(past.db, past.meeting, detail.title, detail.agenda, detail.state)
    yield widget
    runner.shutdown()


def stored(past: Past) -> dict[str, AttendanceStatus | None]:
    names = {pid: last for last, pid in past.people.items()}
    return {
        names[row.person_id]: row.status
        for row in attendance_sheet(past.db, past.meeting)
        if row.person_id is not None
    }


def click_rows(qtbot: QtBot, tab: AttendanceTab, *names: str) -> None:
    """Click the first name, Ctrl+click the others, as a user selects several rows."""
    for number, name in enumerate(names):
        row = next(i for i, r in enumerate(tab.model.rows()) if r.name == name)
        rect = tab.view.visualRect(tab.model.index(row, 0))
        modifier = Qt.KeyboardModifier.ControlModifier if number else NO_MODIFIER
        qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def press(
    qtbot: QtBot, tab: AttendanceTab, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER
) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=WAIT_MS):
        qtbot.keyClick(tab.view, key, modifier)
    qtbot.waitUntil(lambda: tab.pending() == 0, timeout=WAIT_MS)


def test_the_list_shows_every_invitee(tab: AttendanceTab, past: Past) -> None:
    names = {row.name for row in tab.model.rows()}
    assert names == {
        "Ayşe Yılmaz",
        "Jürgen Müller",
        "Zoë Öztürk-Weiß",
        "Peter Adler",
        "Анна Петрова",
    }
    assert all(row.status is None for row in tab.model.rows())


def test_e_and_p_on_a_multi_selection_then_undo_and_redo(
    qtbot: QtBot, tab: AttendanceTab, past: Past
) -> None:
    click_rows(qtbot, tab, "Ayşe Yılmaz", "Peter Adler")
    assert len(tab.selected_rows()) == 2
    press(qtbot, tab, Qt.Key.Key_E)
    assert stored(past) == {
        "Yılmaz": AttendanceStatus.EXCUSED,
        "Adler": AttendanceStatus.EXCUSED,
        "Müller": None,
        "Öztürk-Weiß": None,
        "Петрова": None,
    }
    # The selection survives the reload: P corrects both at once.
    assert len(tab.selected_rows()) == 2
    press(qtbot, tab, Qt.Key.Key_P)
    assert stored(past)["Yılmaz"] is AttendanceStatus.PRESENT
    assert stored(past)["Adler"] is AttendanceStatus.PRESENT
    shown = {r.name: r.status for r in tab.model.rows()}
    assert shown["Peter Adler"] is AttendanceStatus.PRESENT
    press(qtbot, tab, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(past)["Adler"] is AttendanceStatus.EXCUSED
    press(qtbot, tab, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(past)["Adler"] is None
    assert stored(past)["Yılmaz"] is None
    press(
        qtbot,
        tab,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored(past)["Adler"] is AttendanceStatus.EXCUSED


def test_all_accepted_were_present_then_mark_held(
    qtbot: QtBot, tab: AttendanceTab, past: Past
) -> None:
    assert not tab.held_banner.isVisible()
    with qtbot.waitSignal(tab.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(tab.accepted_button, Qt.MouseButton.LeftButton)
    assert stored(past) == {
        "Yılmaz": AttendanceStatus.PRESENT,
        "Adler": AttendanceStatus.PRESENT,
        "Müller": AttendanceStatus.EXCUSED,
        "Öztürk-Weiß": AttendanceStatus.ABSENT,
        "Петрова": AttendanceStatus.ABSENT,
    }
    assert tab.undo_stack.count() == 1
    assert tab.held_banner.isVisible()
    with qtbot.waitSignal(tab.meeting_changed, timeout=WAIT_MS):
        qtbot.mouseClick(tab.held_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.held_banner.isVisible(), timeout=WAIT_MS)
    assert get_meeting(past.db, past.meeting).state is MeetingState.HELD
    # Undo of the accepted rule removes exactly the entries it made.
    with qtbot.waitSignal(tab.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(tab.undo_button, Qt.MouseButton.LeftButton)
    assert set(stored(past).values()) == {None}


def test_photo_consent_and_late_arrival_for_someone_present(
    qtbot: QtBot, tab: AttendanceTab, past: Past
) -> None:
    click_rows(qtbot, tab, "Peter Adler")
    press(qtbot, tab, Qt.Key.Key_P)
    press(qtbot, tab, Qt.Key.Key_J)
    row = next(
        r for r in attendance_sheet(past.db, past.meeting) if r.person_id == past.people["Adler"]
    )
    assert row.photo_consent is True
    qtbot.mouseClick(tab.partial_button, Qt.MouseButton.LeftButton)
    dialog = tab.partial_dialog
    assert dialog is not None
    dialog.arrived.setCurrentIndex(dialog.arrived.findData(past.tops[1]))
    with qtbot.waitSignal(tab.loaded, timeout=WAIT_MS):
        dialog.accept()
    qtbot.waitUntil(lambda: tab.pending() == 0, timeout=WAIT_MS)
    row = next(
        r for r in attendance_sheet(past.db, past.meeting) if r.person_id == past.people["Adler"]
    )
    assert row.arrived_at_item_id == past.tops[1]
    assert row.arrived_at_number == "2"
    shown = next(number for number, r in enumerate(tab.model.rows()) if r.name == "Peter Adler")
    assert tab.model.index(shown, 5).data().endswith("2")


def test_photo_consent_for_someone_not_present_is_refused_with_a_message(
    qtbot: QtBot, tab: AttendanceTab, past: Past
) -> None:
    click_rows(qtbot, tab, "Анна Петрова")
    with qtbot.waitSignal(tab.failed, timeout=WAIT_MS):
        qtbot.keyClick(tab.view, Qt.Key.Key_N)
    assert stored(past)["Петрова"] is None


def test_mark_model_passes_the_model_tester(tab: AttendanceTab, qtmodeltester: object) -> None:
    qtmodeltester.check(tab.model)  # type: ignore[attr-defined]


def test_a_hidden_tab_loads_when_it_is_shown(qtbot: QtBot, past: Past) -> None:
    runner = TaskRunner()
    widget = AttendanceTab(runner)
    qtbot.addWidget(widget)
    widget.show_meeting(past.db, past.meeting, "Netzwerktreffen März")
    assert not runner.is_busy()  # nothing loads for a tab nobody looks at
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show()
    assert widget.model.rowCount() == 5
    runner.shutdown()


def test_context_menu_actions_mark_the_selection(
    qtbot: QtBot, tab: AttendanceTab, past: Past
) -> None:
    click_rows(qtbot, tab, "Zoë Öztürk-Weiß")
    texts = [text for text, _slot in tab.context_actions()]
    assert len(texts) == 7
    excused = tab.context_actions()[1][1]
    with qtbot.waitSignal(tab.loaded, timeout=WAIT_MS):
        excused()
    qtbot.waitUntil(lambda: tab.pending() == 0, timeout=WAIT_MS)
    assert stored(past)["Öztürk-Weiß"] is AttendanceStatus.EXCUSED


@pytest.fixture
def server_past() -> Iterator[Past]:
    """The past meeting in a database on a (throwaway) PostgreSQL server."""
    for url in server_database(shared_cluster()):
        database = Database.open(url)
        try:
            yield build_past_meeting(database)
        finally:
            database.close()


def test_on_a_server_another_meeting_loads_its_list_alongside_its_details(
    qtbot: QtBot, server_past: Past
) -> None:
    """Switching meetings, the shown tab loads the list at once (it needs nothing of the
    details the meetings page loads meanwhile); the details arriving then do not load it a
    second time, and a later refresh of the same meeting does."""
    past = server_past
    runner = TaskRunner()
    widget = AttendanceTab(runner)
    qtbot.addWidget(widget)
    widget.show()
    loads: list[int] = []
    widget.loaded.connect(loads.append)
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show_loading(past.db, past.meeting, "Netzwerktreffen März")
    assert widget.model.rowCount() == 5
    detail = get_meeting(past.db, past.meeting)
    widget.show_meeting(past.db, past.meeting, detail.title, detail.agenda, detail.state)
    assert not runner.is_busy()  # the list is there already
    assert widget.door_button.isEnabled()  # the state came with the details
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show_meeting(past.db, past.meeting, detail.title, detail.agenda, detail.state)
    assert loads == [5, 5]
    runner.shutdown()


def test_on_a_server_details_before_the_early_load_load_the_list_once(
    qtbot: QtBot, server_past: Past
) -> None:
    past = server_past
    runner = TaskRunner()
    widget = AttendanceTab(runner)
    qtbot.addWidget(widget)
    widget.show()
    loads: list[int] = []
    widget.loaded.connect(loads.append)
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show_loading(past.db, past.meeting, "Netzwerktreffen März")
        widget.show_meeting(past.db, past.meeting, "Netzwerktreffen März")
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert loads == [5]
    runner.shutdown()


def test_a_local_file_loads_the_list_after_the_details(qtbot: QtBot, past: Past) -> None:
    """A file is read by the interpreter itself: a second worker would only take turns
    with the one loading the details."""
    runner = TaskRunner()
    widget = AttendanceTab(runner)
    qtbot.addWidget(widget)
    widget.show()
    widget.show_loading(past.db, past.meeting, "Netzwerktreffen März")
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert widget.model.rowCount() == 0
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show_meeting(past.db, past.meeting, "Netzwerktreffen März")
    assert widget.model.rowCount() == 5
    runner.shutdown()


def test_a_hidden_tab_does_not_load_early(qtbot: QtBot, server_past: Past) -> None:
    past = server_past
    runner = TaskRunner()
    widget = AttendanceTab(runner)
    qtbot.addWidget(widget)
    widget.show_loading(past.db, past.meeting, "Netzwerktreffen März")
    widget.show_meeting(past.db, past.meeting, "Netzwerktreffen März")
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert widget.model.rowCount() == 0
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show()
    assert widget.model.rowCount() == 5
    runner.shutdown()
