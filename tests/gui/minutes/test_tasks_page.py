"""The cross-meeting task list: filters, overdue in red, mark done, jump to the minutes."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import ActionItemStatus
from app.services.tasks_overview import list_tasks
from tests.helpers.minutes_window import WAIT_MS
from ui.main_window import MainWindow
from ui.minutes.tasks_page import TasksPage
from ui.palette import Tone, colour
from ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def destroyed_pages(qtbot: QtBot, runner: TaskRunner) -> Iterator[None]:
    """Pages are destroyed on the GUI thread after each test (see ``make_editor``)."""
    yield
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    for page in PAGES:
        if shiboken6.isValid(page):
            page.close()
            shiboken6.delete(page)
    PAGES.clear()
    gc.collect()


PAGES: list[TasksPage] = []


def shown_page(qtbot: QtBot, runner: TaskRunner, db: Database) -> TasksPage:
    page = TasksPage(runner)
    PAGES.append(page)
    page.resize(1100, 600)
    page.set_database(db)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: page.person.count() > 1, timeout=WAIT_MS)
    return page


def ids(page: TasksPage) -> list[int]:
    return [row.id for row in page.model.rows()]


def choose(qtbot: QtBot, page: TasksPage, combo: object, value: object) -> None:
    index = combo.findData(value)  # type: ignore[attr-defined]
    assert index > 0
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_open_tasks_of_all_meetings_with_overdue_in_red(
    qtbot: QtBot, runner: TaskRunner, demo_db: Database, qtmodeltester: ModelTester
) -> None:
    page = shown_page(qtbot, runner, demo_db)
    expected = list_tasks(demo_db)
    assert ids(page) == [task.id for task in expected]
    assert len({task.meeting_id for task in expected}) > 1  # across meetings
    qtmodeltester.check(page.model)
    overdue = [n for n, row in enumerate(page.model.rows()) if row.overdue]
    on_time = [n for n, row in enumerate(page.model.rows()) if not row.overdue]
    assert overdue
    assert page.model.index(overdue[0], 0).data(Qt.ItemDataRole.ForegroundRole) == colour(
        Tone.NEGATIVE
    )
    for number in on_time:
        assert page.model.index(number, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_filters_by_person_organisation_due_date_and_status(
    qtbot: QtBot, runner: TaskRunner, demo_db: Database
) -> None:
    # Expected lists first: the test reads the database only while no task runs.
    open_tasks = list_tasks(demo_db)
    everything = list_tasks(demo_db, status="all")
    person = next(t.owner_person_id for t in open_tasks if t.owner_person_id)
    of_person = [t.id for t in list_tasks(demo_db, person_id=person)]
    organisation = next(t.owner_organisation_id for t in open_tasks if t.owner_organisation_id)
    of_organisation = [t.id for t in list_tasks(demo_db, organisation_id=organisation)]
    due = min(t.due for t in open_tasks if t.due is not None)
    due_by = [t.id for t in list_tasks(demo_db, due_before=due)]
    assert of_person
    assert of_organisation
    assert due_by
    assert len(due_by) < len(open_tasks)

    page = shown_page(qtbot, runner, demo_db)
    choose(qtbot, page, page.person, person)
    assert ids(page) == of_person
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.person.setCurrentIndex(0)
    assert len(ids(page)) == len(open_tasks)

    choose(qtbot, page, page.organisation, organisation)
    assert ids(page) == of_organisation
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.organisation.setCurrentIndex(0)

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.due.setDate(QDate(due))
    assert ids(page) == due_by
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.due.setDate(page.due.minimumDate())

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.status.setCurrentIndex(page.status.findData("all"))
    assert len(ids(page)) == len(everything)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.status.setCurrentIndex(page.status.findData("done"))
    assert {row.status for row in page.model.rows()} == {ActionItemStatus.DONE}


def test_mark_done_closes_the_task(qtbot: QtBot, runner: TaskRunner, demo_db: Database) -> None:
    page = shown_page(qtbot, runner, demo_db)
    task = page.model.row(0)
    page.view.selectRow(0)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    assert task.id not in ids(page)
    closed = next(t for t in list_tasks(demo_db, status="done") if t.id == task.id)
    assert closed.done_in_meeting_id is None
    assert closed.done_at is not None
    assert closed.done_at.date() <= date.today()


def test_double_click_opens_the_minutes_of_the_meeting(
    qtbot: QtBot, open_and_wait: Callable[[Path], MainWindow], demo_path: Path
) -> None:
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.tasks
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        workspace.setCurrentWidget(page)
    task = page.model.row(0)
    rect = page.view.visualRect(page.model.index(0, 0))
    editor = workspace.meetings.minutes
    with qtbot.waitSignal(page.open_meeting, timeout=WAIT_MS) as blocker:
        # Like a real double-click: the view only reacts to a second click on the same row.
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [task.meeting_id]
    qtbot.waitUntil(
        lambda: editor.view() is not None and editor.view().meeting_id == task.meeting_id,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    assert workspace.currentWidget() is workspace.meetings
    assert workspace.meetings.detail.tabs.currentWidget() is editor
    assert editor.meeting_id() == task.meeting_id
