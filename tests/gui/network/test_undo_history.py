"""The network page's undo history through creations and edits, driven by Ctrl+Z / Ctrl+Shift+Z.

Regression (monkey test): create a person, edit the function, undo twice, redo twice. Redoing
the creation brought the row back at version 1 while the redone edit expected the version the
undo had left (3): "changed elsewhere", history cleared, the edit lost. Organisations lost it
too: redoing their creation made a new row with another id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import Organisation, Person
from tests.helpers.tasks import held_tasks
from ui.main_window import MainWindow
from ui.network.organisation_dialog import OrganisationDialog
from ui.network.page import NetworkPage
from ui.network.person_dialog import PersonDialog

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


def _page(window: MainWindow) -> NetworkPage:
    workspace = window.workspace()
    assert workspace is not None
    return workspace.network


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    writer = _page(window).editing.actions.writer
    qtbot.waitUntil(lambda: not writer.is_busy() and not window.runner.is_busy(), timeout=WAIT_MS)


def _key(qtbot: QtBot, window: MainWindow, target: QWidget, *, redo: bool) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    modifiers = Qt.KeyboardModifier.ControlModifier
    if redo:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(target, Qt.Key.Key_Z, modifiers)
    _idle(qtbot, window)


def _dialog(qtbot: QtBot, window: MainWindow, trigger: Callable[[], None]) -> QWidget:
    with qtbot.waitSignal(_page(window).editing.actions.dialog_opened, timeout=WAIT_MS) as opened:
        trigger()
    dialog = opened.args[0]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog  # type: ignore[no-any-return]


def _save(qtbot: QtBot, window: MainWindow, dialog: PersonDialog | OrganisationDialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, window)


def _person(db: Database, last_name: str) -> tuple[int, str, int] | None:
    with db.read() as session:
        from sqlalchemy import select

        person = session.scalar(select(Person).where(Person.last_name == last_name))
        return None if person is None else (person.id, person.function, person.version)


def _organisation(db: Database, name_start: str) -> tuple[int, str, str, int] | None:
    with db.read() as session:
        from sqlalchemy import select

        row = session.scalar(select(Organisation).where(Organisation.name.startswith(name_start)))
        return None if row is None else (row.id, row.name, row.city, row.version)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the page would show ("Undo not possible", ...): none may appear."""
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.network.actions.QMessageBox.warning",
        lambda _parent, _title, text: shown.append(text),
    )
    return shown


def test_person_create_edit_undo_twice_redo_twice_keeps_the_edit(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, warnings: list[str]
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    view = page.people_view
    view.setFocus()
    dialog = _dialog(
        qtbot,
        window,
        lambda: qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
    )
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.first_name, "Lena")
    qtbot.keyClicks(dialog.last_name, "Schaefer")
    _save(qtbot, window, dialog)
    created = _person(network_db, "Schaefer")
    assert created is not None
    person_id = created[0]

    dialog = _dialog(qtbot, window, lambda: page.editing.actions.open_person(person_id))
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.function, "Kassenwartin")
    _save(qtbot, window, dialog)
    assert _person(network_db, "Schaefer") == (person_id, "Kassenwartin", 2)

    _key(qtbot, window, view, redo=False)  # undo the edit
    assert _person(network_db, "Schaefer") == (person_id, "", 3)
    _key(qtbot, window, view, redo=False)  # undo the creation
    assert _person(network_db, "Schaefer") is None

    _key(qtbot, window, view, redo=True)  # redo the creation: same id, as before the edit
    restored = _person(network_db, "Schaefer")
    assert restored is not None
    assert restored[:2] == (person_id, "")
    _key(qtbot, window, view, redo=True)  # redo the edit
    stored = _person(network_db, "Schaefer")
    assert stored is not None
    assert stored[:2] == (person_id, "Kassenwartin")
    assert stored[2] > restored[2]  # the redone edit raised the version (lost-update guard)
    assert warnings == []
    stack = page.editing.actions.stack
    assert (stack.count(), stack.index()) == (2, 2)  # the history is intact

    # And back again: both undone, both redone once more.
    _key(qtbot, window, view, redo=False)
    assert _person(network_db, "Schaefer")[:2] == (person_id, "")  # type: ignore[index]
    _key(qtbot, window, view, redo=False)
    assert _person(network_db, "Schaefer") is None
    _key(qtbot, window, view, redo=True)
    _key(qtbot, window, view, redo=True)
    assert _person(network_db, "Schaefer")[:2] == (person_id, "Kassenwartin")  # type: ignore[index]
    assert warnings == []


def test_organisation_create_edit_undo_twice_redo_twice_keeps_the_edit(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, warnings: list[str]
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    view = page.organisation_view
    dialog = _dialog(
        qtbot,
        window,
        lambda: qtbot.mouseClick(page.editing.new_organisation_button, Qt.MouseButton.LeftButton),
    )
    assert isinstance(dialog, OrganisationDialog)
    qtbot.keyClicks(dialog.name, "Museumscafe K+")
    _save(qtbot, window, dialog)
    created = _organisation(network_db, "Museumscafe")
    assert created is not None
    organisation_id = created[0]

    dialog = _dialog(qtbot, window, lambda: page.editing.actions.open_organisation(organisation_id))
    assert isinstance(dialog, OrganisationDialog)
    qtbot.keyClicks(dialog.city, "Krefeld")
    _save(qtbot, window, dialog)
    assert _organisation(network_db, "Museumscafe") == (
        organisation_id,
        "Museumscafe K+",
        "Krefeld",
        2,
    )

    _key(qtbot, window, view, redo=False)
    assert _organisation(network_db, "Museumscafe")[:3] == (  # type: ignore[index]
        organisation_id,
        "Museumscafe K+",
        "",
    )
    _key(qtbot, window, view, redo=False)
    assert _organisation(network_db, "Museumscafe") is None

    _key(qtbot, window, view, redo=True)
    restored = _organisation(network_db, "Museumscafe")
    assert restored is not None
    assert restored[:3] == (organisation_id, "Museumscafe K+", "")  # the same id again
    _key(qtbot, window, view, redo=True)
    stored = _organisation(network_db, "Museumscafe")
    assert stored is not None
    assert stored[:3] == (organisation_id, "Museumscafe K+", "Krefeld")
    assert stored[3] > restored[3]
    assert warnings == []
    stack = page.editing.actions.stack
    assert (stack.count(), stack.index()) == (2, 2)


def test_edit_then_archive_undone_in_order_keeps_the_history(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, warnings: list[str]
) -> None:
    """Our own archiving between an edit and its undo is no "change elsewhere"."""
    window = open_and_wait(network_db.path)
    page = _page(window)
    view = page.people_view
    before = _person(network_db, "Adler")
    assert before is not None
    person_id = before[0]
    dialog = _dialog(qtbot, window, lambda: page.editing.actions.open_person(person_id))
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.function, "Trainer")
    _save(qtbot, window, dialog)
    page.editing.actions.set_people_archived([person_id], True)
    _idle(qtbot, window)
    sport = next(g.id for g in page.editing.actions.choices.groups if g.name == "Impuls.Ag")
    page.editing.actions.change_group([person_id], sport, True)
    _idle(qtbot, window)

    for _step in range(3):
        _key(qtbot, window, view, redo=False)
    assert _person(network_db, "Adler")[:2] == (person_id, "")  # type: ignore[index]
    for _step in range(3):
        _key(qtbot, window, view, redo=True)
    assert _person(network_db, "Adler")[:2] == (person_id, "Trainer")  # type: ignore[index]
    with network_db.read() as session:
        person = session.get(Person, person_id)
        assert person is not None
        assert person.archived
        assert "Impuls.Ag" in {g.name for g in person.groups}
    assert warnings == []


def test_person_dialog_closed_while_saving_still_records_the_step(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, warnings: list[str]
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    dialog = _dialog(qtbot, window, lambda: page.editing.actions.open_person(None))
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.last_name, "Eilig")
    with held_tasks(window.runner):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        gone: list[bool] = []
        dialog.destroyed.connect(lambda *_args: gone.append(True))
        dialog.reject()  # Escape while the save runs: the dialog closes, the save goes on
        qtbot.waitUntil(lambda: bool(gone), timeout=WAIT_MS)
    _idle(qtbot, window)
    assert _person(network_db, "Eilig") is not None
    assert page.editing.actions.stack.count() == 1
    assert warnings == []
