"""Loading states: nothing of one meeting under another's heading, "Loading…" before data.

The background loads are held back with a gate (a ``threading.Event`` the patched service
waits on), so the tests control when a result arrives, as a slow database would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import meetings as meetings_service
from app.services.meetings import get_meeting
from ui.main_window import MainWindow
from ui.meetings.page import MeetingsPage
from ui.network import page as network_page_module

WAIT_MS = 15_000
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"
HERBST = "Netzwerktreffen Impuls.Ag – Herbst 2023"
FRUEHJAHR = "Netzwerktreffen Impuls.Ag – Frühjahr 2023"
OpenAndWait = Callable[[Path], MainWindow]


class Gate:
    """Holds back the calls of a service for chosen arguments until ``release``."""

    def __init__(self) -> None:
        self._open = threading.Event()
        self.waiting = threading.Event()
        self.finished = threading.Event()

    def wrap(self, function: Callable[..., object], held: Callable[..., bool]) -> Callable:
        def gated(*args: object) -> object:
            if held(*args):
                self.waiting.set()
                self._open.wait(30)
                try:
                    return function(*args)
                finally:
                    self.finished.set()
            return function(*args)

        return gated

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def gate() -> Iterator[Gate]:
    holder = Gate()
    yield holder
    holder.release()  # never leave a worker thread waiting


def meetings_page(window: MainWindow) -> MeetingsPage:
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.meetings)
    return workspace.meetings


def click_meeting(qtbot: QtBot, page: MeetingsPage, title: str) -> int:
    rows = page.model.rows()
    number = next(i for i, row in enumerate(rows) if row.title == title)
    rect = page.view.visualRect(page.view.model().index(number, 2))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return rows[number].id


def show_and_wait(qtbot: QtBot, page: MeetingsPage, title: str) -> int:
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        meeting_id = click_meeting(qtbot, page, title)
    return meeting_id


def test_switching_meetings_never_shows_the_previous_meeting_under_the_new_heading(
    open_and_wait: OpenAndWait,
    demo_path: Path,
    qtbot: QtBot,
    gate: Gate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(demo_path)
    page = meetings_page(window)
    show_and_wait(qtbot, page, AUFTAKT)
    page.detail.tabs.setCurrentWidget(page.attendance)
    qtbot.waitUntil(lambda: page.attendance.model.rowCount() > 0, timeout=WAIT_MS)
    auftakt_counts = page.attendance.counts.text()
    auftakt_invitees = page.detail.invitation_model.rowCount()
    assert auftakt_invitees > 0

    # The autumn meeting's details are slow to come.
    herbst_id = next(row.id for row in page.model.rows() if row.title == HERBST)
    monkeypatch.setattr(
        "ui.meetings.page.get_meeting",
        gate.wrap(get_meeting, lambda _db, meeting_id: meeting_id == herbst_id),
    )
    click_meeting(qtbot, page, HERBST)
    assert gate.waiting.wait(10)
    # At once: the new heading, and nothing of the Auftakt meeting in any tab.
    detail = page.detail
    assert detail.title.text() == HERBST
    assert detail.overview.value("date") == "Wird geladen…"
    assert detail.invitation_model.rowCount() == 0
    assert detail.invitation_view.shown_text() == "Wird geladen…"
    assert detail.tabs.tabText(2) == "Einladungen"  # no count of the meeting before
    assert page.attendance.model.rowCount() == 0
    assert page.attendance.counts.text() == "Wird geladen…"
    assert page.attendance.counts.text() != auftakt_counts
    assert page.attendance.view.shown_text() == "Wird geladen…"
    assert page.minutes.is_loading()
    assert page.planner.meeting is None
    assert not page.planner.named_actions["edit"].isEnabled()  # nothing to act on yet
    assert page.planner.agenda_editor.model.rowCount() == 0

    # The user moves on before the autumn meeting arrives.
    fruehjahr_id = show_and_wait(qtbot, page, FRUEHJAHR)
    qtbot.waitUntil(lambda: page.attendance.model.rowCount() > 0, timeout=WAIT_MS)
    fruehjahr_counts = page.attendance.counts.text()
    opened = window.opened()
    assert opened is not None
    fruehjahr = get_meeting(opened.database, fruehjahr_id)

    # Now the autumn meeting's late answer comes: it is dropped.
    gate.release()
    assert gate.finished.wait(10)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert detail.title.text() == FRUEHJAHR
    assert page.planner.meeting is not None
    assert page.planner.meeting.id == fruehjahr_id
    assert {row.person_id for row in detail.invitation_model.rows()} == {
        row.person_id for row in fruehjahr.invitations
    }
    assert page.attendance.meeting_id() == fruehjahr_id
    assert page.attendance.counts.text() == fruehjahr_counts


def test_the_minutes_tab_goes_blank_at_once_when_another_meeting_is_chosen(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    page = meetings_page(window)
    show_and_wait(qtbot, page, AUFTAKT)
    page.detail.tabs.setCurrentWidget(page.minutes)
    qtbot.waitUntil(lambda: not page.minutes.is_loading(), timeout=WAIT_MS)
    assert page.minutes.top_model.rowCount() > 0

    click_meeting(qtbot, page, HERBST)
    assert page.minutes.is_loading()  # before any background result
    assert page.minutes.loading_label.isVisible()
    qtbot.waitUntil(lambda: not page.minutes.is_loading(), timeout=WAIT_MS)
    view = page.minutes.view()
    assert view is not None
    assert view.meeting_id == next(r.id for r in page.model.rows() if r.title == HERBST)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def test_lists_say_loading_until_the_first_rows_are_in_and_empty_only_after(
    window: MainWindow,
    db_path: Path,
    qtbot: QtBot,
    gate: Gate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.db import Database

    Database.create(db_path).close()  # an empty network
    monkeypatch.setattr(
        network_page_module,
        "load_network",
        gate.wrap(network_page_module.load_network, lambda *_args: True),
    )
    window.open_database(db_path)
    qtbot.waitUntil(gate.waiting.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.workspace() is not None, timeout=WAIT_MS)
    workspace = window.workspace()
    assert workspace is not None
    organisations = workspace.network.organisation_view
    people = workspace.network.people_view
    assert organisations.shown_text() == "Wird geladen…"
    assert people.shown_text() == "Wird geladen…"
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        gate.release()
    assert organisations.shown_text() == "Noch keine Organisationen."
    assert people.shown_text() == "Noch keine Personen."
    # The meetings page is built when first shown, and loads then: "Loading…" until its
    # (empty) list is in, then the empty-state text.
    meetings = workspace.meetings.view
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert meetings.shown_text() == "Noch keine Treffen."


def test_a_meeting_list_that_has_rows_shows_no_loading_text(
    open_and_wait: OpenAndWait, demo_path: Path
) -> None:
    window = open_and_wait(demo_path)
    page = meetings_page(window)
    assert page.model.rowCount() == len(meetings_service.list_meetings(window.opened().database))  # type: ignore[union-attr]
    assert page.view.shown_text() == ""
    assert not page.view.is_loading()
