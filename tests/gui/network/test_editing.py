"""Editing the directory in the window, as a user does it: dialogs, keys, menus, undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _
from app.models import ConsentTopic, Person
from app.services import directory_editing as edit
from app.services.consent import may_receive_email
from app.services.directory import PersonRow, list_people
from ui.main_window import MainWindow
from ui.network.actions import ConflictChoice
from ui.network.organisation_dialog import OrganisationDialog
from ui.network.page import NetworkPage
from ui.network.person_dialog import PersonDialog
from ui.palette import Tone, colour

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


def type_text(widget: QWidget, text: str) -> None:
    """Key events carrying the text: ``qtbot.keyClicks`` aborts on "ü" and "é"."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _page(window: MainWindow) -> NetworkPage:
    workspace = window.workspace()
    assert workspace is not None
    return workspace.network


def _people(db: Database, *, archived: bool = True) -> dict[str, PersonRow]:
    return {row.name: row for row in list_people(db, include_archived=archived)}


def _select(page: NetworkPage, *names: str) -> None:
    """Select people by name with Ctrl-clicks, as a user picks several rows."""
    view = page.people_view
    model = view.model()
    view.clearSelection()
    rows = [r for r in range(model.rowCount()) if model.index(r, 1).data() in names]
    assert len(rows) == len(names)
    for number, row in enumerate(rows):
        rect = view.visualRect(model.index(row, 1))
        modifier = Qt.KeyboardModifier.ControlModifier if number else Qt.KeyboardModifier.NoModifier
        view.scrollTo(model.index(row, 1))
        rect = view.visualRect(model.index(row, 1))
        QtBot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    page = _page(window)
    qtbot.waitUntil(
        lambda: not page.editing.actions.writer.is_busy() and not window.runner.is_busy(),
        timeout=WAIT_MS,
    )


def _open_person_dialog(
    qtbot: QtBot, page: NetworkPage, trigger: Callable[[], None]
) -> PersonDialog:
    with qtbot.waitSignal(page.editing.actions.dialog_opened, timeout=WAIT_MS) as opened:
        trigger()
    dialog = opened.args[0]
    assert isinstance(dialog, PersonDialog)
    # Focus moves (and "left the field" errors) need the active window, as on a real screen.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _save(qtbot: QtBot, window: MainWindow, dialog: Any) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, window)


def _undo(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.menu_actions["undo"].isEnabled()
    qtbot.keyClick(_page(window).people_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, window)


def _redo(qtbot: QtBot, window: MainWindow, *, shift_z: bool = False) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.menu_actions["redo"].isEnabled()
    view = _page(window).people_view
    if shift_z:
        modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(view, Qt.Key.Key_Z, modifiers)
    else:
        qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, window)


# -- new person ------------------------------------------------------------------------------


def test_new_person_with_two_emails_and_the_second_preferred(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    page.people_view.setFocus()
    dialog = _open_person_dialog(
        qtbot,
        page,
        lambda: qtbot.keyClick(page.people_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
    )
    assert not dialog.save_button.isEnabled()  # no last name yet
    qtbot.keyClicks(dialog.first_name, "Lena")
    qtbot.keyClicks(dialog.last_name, "Schaefer")
    qtbot.keyClicks(dialog.emails.rows[0].edit, "lena@work.example")
    qtbot.mouseClick(dialog.emails.add_button, Qt.MouseButton.LeftButton)
    assert dialog.focusWidget() is dialog.emails.rows[1].edit
    qtbot.keyClicks(dialog.emails.rows[1].edit, "lena@home.example")
    radio = dialog.emails.rows[1].preferred
    assert radio is not None
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)
    dialog.organisation.setFocus()
    type_text(dialog.organisation.lineEdit(), "Quartiersbüro Lehmheide")
    dialog.groups.model.set_checked(
        dialog.groups.model.index(0).data(Qt.ItemDataRole.UserRole), True
    )
    _save(qtbot, window, dialog)

    stored = _people(network_db)["Lena Schaefer"]
    assert stored.emails == ("lena@work.example", "lena@home.example")
    assert stored.preferred_email == "lena@home.example"
    assert stored.organisation == "Quartiersbüro Lehmheide"
    assert stored.groups == ("Impuls.Ag",)
    qtbot.waitUntil(
        lambda: any(r.name == "Lena Schaefer" for r in page.people_model().sourceModel().rows())
    )

    # Undo removes the new person again, redo brings them back with the same id.
    _undo(qtbot, window)
    assert "Lena Schaefer" not in _people(network_db)
    _redo(qtbot, window)
    assert _people(network_db)["Lena Schaefer"].id == stored.id


def test_invalid_email_shows_the_message_and_blocks_saving(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    dialog = _open_person_dialog(
        qtbot,
        page,
        lambda: qtbot.mouseClick(page.editing.new_person_button, Qt.MouseButton.LeftButton),
    )
    qtbot.mouseClick(dialog.last_name, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.last_name, "Kaya")
    qtbot.mouseClick(dialog.emails.rows[0].edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.emails.rows[0].edit, "kaya.example.org")
    qtbot.keyClick(dialog.emails.rows[0].edit, Qt.Key.Key_Tab)  # leaving the field shows errors
    error = dialog.emails.rows[0].error
    expected = _("“{address}” is not a valid e-mail address.").format(address="kaya.example.org")
    assert error.isVisible()
    assert error.text() == expected
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog.last_name, Qt.Key.Key_Return)  # Enter does not save either
    assert dialog.isVisible()
    assert "Kaya" not in {r.last_name for r in list_people(network_db)}

    # Fixing the address clears the message and allows saving.
    dialog.emails.rows[0].edit.clear()
    qtbot.keyClicks(dialog.emails.rows[0].edit, "kaya@example.org")
    assert not error.isVisible()
    assert dialog.save_button.isEnabled()


def test_last_name_is_required(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    dialog = _open_person_dialog(qtbot, page, lambda: page.editing.actions.open_person(None))
    qtbot.keyClicks(dialog.first_name, "Nur")
    qtbot.mouseClick(dialog.last_name, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.last_name, "x")
    qtbot.keyClick(dialog.last_name, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.last_name, Qt.Key.Key_Tab)
    assert dialog.last_name_error.text() == _("Please enter a last name.")
    assert not dialog.save_button.isEnabled()


# -- editing and undo ------------------------------------------------------------------------


def test_edit_with_enter_then_ctrl_z_restores_and_redo_reapplies(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Jürgen Müller")
    before = _people(network_db)["Jürgen Müller"]
    dialog = _open_person_dialog(
        qtbot, page, lambda: qtbot.keyClick(page.people_view, Qt.Key.Key_Return)
    )
    assert dialog.last_name.text() == "Müller"
    dialog.function.selectAll()
    qtbot.keyClicks(dialog.function, "Kassenwart")
    dialog.emails.rows[0].edit.selectAll()
    qtbot.keyClicks(dialog.emails.rows[0].edit, "kasse@svbw.example")
    _save(qtbot, window, dialog)
    after = _people(network_db)["Jürgen Müller"]
    assert (after.function, after.emails) == ("Kassenwart", ("kasse@svbw.example",))
    # The list reloaded and kept the selection.
    qtbot.waitUntil(lambda: page.people_view.selected_row() is not None)
    assert page.people_view.selected_row().function == "Kassenwart"

    _undo(qtbot, window)
    restored = _people(network_db)["Jürgen Müller"]
    assert (restored.function, restored.emails) == (before.function, before.emails)
    _redo(qtbot, window, shift_z=True)
    assert _people(network_db)["Jürgen Müller"].function == "Kassenwart"


def test_double_click_opens_the_person(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    view = page.people_view
    row = next(
        r
        for r in range(view.model().rowCount())
        if view.model().index(r, 1).data() == "Peter Adler"
    )
    rect = view.visualRect(view.model().index(row, 1))

    def double_click() -> None:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    dialog = _open_person_dialog(qtbot, page, double_click)
    assert dialog.last_name.text() == "Adler"
    dialog.reject()


def test_conflict_offers_to_overwrite(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Peter Adler")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    # Someone else saves Peter meanwhile.
    form = edit.load_person(network_db, dialog.form.id)  # type: ignore[union-attr]
    from dataclasses import replace

    edit.update_person(
        network_db, form.id, replace(form.values, notes="from elsewhere"), form.version
    )
    asked: list[str] = []
    monkeypatch.setattr(
        "ui.network.actions.ask_conflict",
        lambda _parent, message: asked.append(message) or ConflictChoice.OVERWRITE,
    )
    qtbot.keyClicks(dialog.function, "Trainer")
    _save(qtbot, window, dialog)
    assert asked
    assert _people(network_db)["Peter Adler"].function == "Trainer"


def test_conflict_reload_shows_the_other_change(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Peter Adler")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    form = edit.load_person(network_db, dialog.form.id)  # type: ignore[union-attr]
    from dataclasses import replace

    edit.update_person(
        network_db, form.id, replace(form.values, function="Platzwart"), form.version
    )
    monkeypatch.setattr("ui.network.actions.ask_conflict", lambda *_args: ConflictChoice.RELOAD)
    qtbot.keyClicks(dialog.function, "Trainer")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.function.text() == "Platzwart", timeout=WAIT_MS)
    assert dialog.isVisible()
    assert _people(network_db)["Peter Adler"].function == "Platzwart"
    dialog.reject()


# -- delete or archive -----------------------------------------------------------------------


def test_person_from_a_past_meeting_is_archived_not_deleted(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_and_wait(demo_path)
    page = _page(window)
    db = page.editing.actions.database()
    assert db is not None
    # Someone who attended a held meeting of the demo network.
    from sqlalchemy import select

    from app.models import Attendance, AttendanceStatus

    with db.read() as session:
        person_id = session.scalar(
            select(Attendance.person_id)
            .where(Attendance.status == AttendanceStatus.PRESENT, Attendance.person_id.is_not(None))
            .limit(1)
        )
    name = next(r.name for r in list_people(db) if r.id == person_id)
    _select(page, name)
    asked: list[str] = []

    def confirm(box: Any, button: Any) -> bool:
        asked.append(box.text())
        return True

    monkeypatch.setattr(page.editing.actions, "confirm", confirm)
    qtbot.keyClick(page.people_view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    _idle(qtbot, window)
    assert name in asked[0]
    with db.read() as session:
        person = session.get(Person, person_id)
        assert person is not None
        assert person.archived
    assert name not in {model_row.name for model_row in page.people_model().sourceModel().rows()}

    # "Show archived" lists them again, greyed.
    page.editing.show_archived.setChecked(True)
    qtbot.waitUntil(
        lambda: name in {r.name for r in page.people_model().sourceModel().rows()}, timeout=WAIT_MS
    )
    _undo(qtbot, window)
    with db.read() as session:
        assert not session.get(Person, person_id).archived  # type: ignore[union-attr]


def test_delete_unused_person_and_undo_brings_them_back(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    before = _people(network_db)["Renée Ährenfeld"]
    _select(page, "Renée Ährenfeld")
    monkeypatch.setattr(page.editing.actions, "confirm", lambda *_args: True)
    qtbot.mouseClick(page.editing.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Renée Ährenfeld" not in _people(network_db), timeout=WAIT_MS)
    _idle(qtbot, window)
    _undo(qtbot, window)
    assert _people(network_db)["Renée Ährenfeld"] == before


def test_cancelling_the_confirmation_changes_nothing(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Peter Adler")
    asked: list[bool] = []
    monkeypatch.setattr(
        page.editing.actions, "confirm", lambda *_args: asked.append(True) and False
    )
    qtbot.keyClick(page.people_view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    _idle(qtbot, window)
    assert "Peter Adler" in _people(network_db, archived=False)
    assert page.editing.actions.stack.count() == 0


# -- groups ----------------------------------------------------------------------------------


def test_three_people_added_to_a_group_at_once_and_undone(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    names = ("Peter Adler", "Renée Ährenfeld", "Thị Mai Nguyễn")
    _select(page, *names)
    assert len(page.people_view.selectionModel().selectedRows()) == 3
    menu = page.editing.add_group_menu
    menu.aboutToShow.emit()
    action = next(a for a in menu.actions() if a.text() == "Sport")
    action.trigger()
    _idle(qtbot, window)
    people = _people(network_db)
    assert all("Sport" in people[name].groups for name in names)
    # The three stay selected after the reload.
    qtbot.waitUntil(lambda: len(page.people_view.selectionModel().selectedRows()) == 3)

    _undo(qtbot, window)
    people = _people(network_db)
    assert "Sport" not in people["Renée Ährenfeld"].groups
    assert "Sport" not in people["Thị Mai Nguyễn"].groups
    assert people["Peter Adler"].groups == ("Sport",)  # was in it before, stays


def test_context_menu_keeps_the_multi_selection(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Peter Adler", "Jürgen Müller")
    menu = page.people_context_menu(page.people_view.selected_row())
    remove = next(a for a in menu.actions() if a.text() == _("Remove from group")).menu()
    next(a for a in remove.actions() if a.text() == "Sport").trigger()
    _idle(qtbot, window)
    people = _people(network_db)
    assert people["Peter Adler"].groups == ()
    assert people["Jürgen Müller"].groups == ()


def test_groups_dialog_create_rename_delete_with_undo(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    qtbot.mouseClick(page.editing.groups_button, Qt.MouseButton.LeftButton)
    dialog = page.editing.groups_dialog
    assert dialog is not None
    answers = iter([("Lenkungskreis", True), ("Steuerungsgruppe", True)])
    dialog.ask_text = lambda *_args: next(answers)
    dialog.ask_yes = lambda *_args: True
    tab = dialog.groups
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, window)
    names = lambda: [tab.model.row(r).name for r in range(tab.model.rowCount())]  # noqa: E731
    qtbot.waitUntil(lambda: "Lenkungskreis" in names(), timeout=WAIT_MS)
    tab.view.selectRow(names().index("Lenkungskreis"))
    qtbot.mouseClick(tab.rename_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, window)
    qtbot.waitUntil(lambda: "Steuerungsgruppe" in names(), timeout=WAIT_MS)

    tab.view.selectRow(names().index("Sport"))
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, window)
    qtbot.waitUntil(lambda: "Sport" not in names(), timeout=WAIT_MS)
    assert _people(network_db)["Jürgen Müller"].groups == ()

    # Ctrl+Z works inside the dialog too.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the deletion
    _idle(qtbot, window)
    qtbot.waitUntil(lambda: "Sport" in names(), timeout=WAIT_MS)
    assert _people(network_db)["Jürgen Müller"].groups == ("Sport",)
    qtbot.keyClick(tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the rename
    _idle(qtbot, window)
    qtbot.waitUntil(lambda: "Lenkungskreis" in names(), timeout=WAIT_MS)
    dialog.reject()


# -- consent ---------------------------------------------------------------------------------


def test_withdrawn_consent_in_the_dialog_keeps_the_person_out_of_mailings(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Ayşe Yılmaz")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    dialog.tabs.setCurrentWidget(dialog.consent)
    consent = dialog.consent
    consent.topic.setCurrentIndex(consent.topic.findData(ConsentTopic.EMAIL_INVITATIONS))
    consent.given.setCurrentIndex(consent.given.findData(False))
    qtbot.keyClicks(consent.note, "Abmeldung per Telefon")
    qtbot.mouseClick(consent.add_button, Qt.MouseButton.LeftButton)
    assert consent.current_state(ConsentTopic.EMAIL_INVITATIONS) is False
    assert consent.model.rowCount() == 2
    _save(qtbot, window, dialog)

    with network_db.read() as session:
        person = session.get(Person, dialog.form.id)  # type: ignore[union-attr]
        assert person is not None
        assert not may_receive_email(person)
    # At a glance in the list: a red ✘ in the e-mail consent column.
    model = page.people_model()
    qtbot.waitUntil(
        lambda: any(
            model.index(r, 1).data() == "Ayşe Yılmaz" and model.index(r, 0).data() == "✘"
            for r in range(model.rowCount())
        ),
        timeout=WAIT_MS,
    )
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "Ayşe Yılmaz")
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) == colour(Tone.NEGATIVE)

    _undo(qtbot, window)
    with network_db.read() as session:
        assert may_receive_email(session.get(Person, dialog.form.id))  # type: ignore[arg-type,union-attr]


# -- organisations ---------------------------------------------------------------------------


def test_new_organisation_with_quarters_then_archive_and_undo(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    with qtbot.waitSignal(page.editing.actions.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(page.editing.new_organisation_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, OrganisationDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    type_text(dialog.name, "Museumscafé K+")
    qtbot.mouseClick(dialog.email, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.email, "kein")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Tab)
    assert dialog.email_error.isVisible()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.email, "@museum.example")
    assert dialog.save_button.isEnabled()
    for quarter in ("Lehmheide", "Stahldorf"):
        choice = next(c for c in page.editing.choices.quarters if c.name == quarter)
        dialog.quarters.model.set_checked(choice.id, True)
    _save(qtbot, window, dialog)
    model = page.organisation_model()
    qtbot.waitUntil(
        lambda: any(model.row(r).name == "Museumscafé K+" for r in range(model.rowCount())),
        timeout=WAIT_MS,
    )
    row = next(r for r in range(model.rowCount()) if model.row(r).name == "Museumscafé K+")
    assert model.row(row).quarters == ("Lehmheide", "Stahldorf")

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = page.organisation_view
    view.scrollTo(model.index(row, 0))
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(model.index(row, 0)).center(),
    )
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # archives the organisation
    _idle(qtbot, window)
    assert all(model.row(r).name != "Museumscafé K+" for r in range(model.rowCount()))
    _undo(qtbot, window)
    assert any(model.row(r).name == "Museumscafé K+" for r in range(model.rowCount()))


def test_organisation_dialog_lists_its_people_and_saves_edits(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    model = page.organisation_model()
    row = next(r for r in range(model.rowCount()) if model.row(r).name == "Quartiersbüro Lehmheide")
    page.organisation_view.selectRow(row)
    with qtbot.waitSignal(page.editing.actions.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.keyClick(page.organisation_view, Qt.Key.Key_Return)
    dialog = opened.args[0]
    people = dialog.people.model().stringList()
    assert people == ["Thị Mai Nguyễn", "Zoë Öztürk-Weiß", "Ayşe Yılmaz"]
    qtbot.keyClicks(dialog.city, "Krefeld")
    _save(qtbot, window, dialog)
    qtbot.waitUntil(
        lambda: any(model.row(r).city == "Krefeld" for r in range(model.rowCount())),
        timeout=WAIT_MS,
    )


def test_edit_menu_offers_undo_with_the_command_text(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    undo = window.menu_actions["undo"]
    assert not undo.isEnabled()
    _select(page, "Peter Adler")
    page.editing.archive_people(True)
    _idle(qtbot, window)
    assert undo.isEnabled()
    assert _("Archive people") in undo.text()
    undo.trigger()
    _idle(qtbot, window)
    assert not _people(network_db)["Peter Adler"].archived
    # On the meetings tab the network's undo is not active.
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentWidget(workspace.meetings)
    assert not window.menu_actions["redo"].isEnabled()
    workspace.setCurrentWidget(page)
    assert window.menu_actions["redo"].isEnabled()


def test_quick_changes_and_quick_undos_run_in_order(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    actions = page.editing.actions
    adler = _people(network_db)["Peter Adler"].id
    sport = next(g.id for g in actions.choices.groups if g.name == "Sport")
    impuls = next(g.id for g in actions.choices.groups if g.name == "Impuls.Ag")
    # Three writes without waiting: none may be lost to the reload after the first.
    actions.change_group([adler], impuls, True)
    actions.change_group([adler], sport, False)
    actions.set_people_archived([adler], True)
    _idle(qtbot, window)
    row = _people(network_db)["Peter Adler"]
    assert (row.groups, row.archived) == (("Impuls.Ag",), True)
    assert actions.stack.count() == 3
    # Three undos in a row, without waiting in between.
    for _step in range(3):
        actions.stack.undo()
    _idle(qtbot, window)
    row = _people(network_db)["Peter Adler"]
    assert (row.groups, row.archived) == (("Sport",), False)


def test_escape_asks_before_discarding_typed_changes(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Peter Adler")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    answers: list[bool] = [False, True]
    dialog.confirm_discard = lambda: answers.pop(0)  # type: ignore[method-assign]
    qtbot.keyClicks(dialog.function, "Trainer")
    qtbot.keyClick(dialog.function, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # "keep editing"
    assert dialog.function.text() == "Trainer"
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.function, Qt.Key.Key_Escape)
    assert answers == []
    assert _people(network_db)["Peter Adler"].function == ""


def test_tab_walks_from_the_last_name_into_the_emails_and_on(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Ayşe Yılmaz")  # two e-mail addresses
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    dialog.last_name.setFocus()
    qtbot.keyClick(dialog.last_name, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.emails.rows[0].edit
    qtbot.mouseClick(dialog.emails.add_button, Qt.MouseButton.LeftButton)
    new_row = dialog.emails.rows[2].edit
    assert dialog.focusWidget() is new_row
    assert new_row.nextInFocusChain() is dialog.emails.rows[2].preferred
    assert dialog.emails.rows[1].remove.nextInFocusChain() is dialog.emails.rows[2].edit


def test_organisation_search_ignores_accents(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    dialog = _open_person_dialog(qtbot, page, lambda: page.editing.actions.open_person(None))
    line = dialog.organisation.lineEdit()
    assert line is not None
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(line, "buro lehm")
    completions = dialog.organisation.completer().completionModel()
    assert [completions.index(r, 0).data() for r in range(completions.rowCount())] == [
        "Quartiersbüro Lehmheide"
    ]
    assert any(e.field == "organisation" for e in dialog.errors())  # not chosen yet
    popup = dialog.organisation.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    popup.setCurrentIndex(completions.index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.organisation.currentText() == "Quartiersbüro Lehmheide"
    assert all(e.field != "organisation" for e in dialog.errors())
    office = next(c.id for c in page.editing.choices.organisations if c.name.endswith("Lehmheide"))
    assert dialog.values().organisation_id == office


def test_undo_after_a_change_elsewhere_explains_and_changes_nothing(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    _select(page, "Peter Adler")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    qtbot.keyClicks(dialog.function, "Trainer")
    _save(qtbot, window, dialog)
    # Another window changes Peter after the save.
    form = edit.load_person(network_db, dialog.form.id)  # type: ignore[union-attr]
    from dataclasses import replace

    edit.update_person(network_db, form.id, replace(form.values, notes="elsewhere"), form.version)
    warnings: list[str] = []
    monkeypatch.setattr(
        "ui.network.actions.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    _undo(qtbot, window)
    assert warnings
    assert len(warnings) == 1
    row = _people(network_db)["Peter Adler"]
    assert row.function == "Trainer"  # nothing undone over the other change
    assert page.editing.actions.stack.count() == 0
