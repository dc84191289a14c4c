"""The person dialog's postal address: typed, validated (German postcodes), stored, reloaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _
from app.models import AddressKind, Person
from app.services.directory import list_people
from app.services.postal import AddressSource
from ui.main_window import MainWindow
from ui.network.page import NetworkPage
from ui.network.person_details import address_text
from ui.network.person_dialog import PersonDialog

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


def _page(window: MainWindow) -> NetworkPage:
    workspace = window.workspace()
    assert workspace is not None
    return workspace.network


def _open_new_person(qtbot: QtBot, page: NetworkPage) -> PersonDialog:
    with qtbot.waitSignal(page.editing.actions.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(page.editing.new_person_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, PersonDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_private_address_typed_in_the_dialog_is_stored_and_used_for_letters(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    dialog = _open_new_person(qtbot, page)
    qtbot.keyClicks(dialog.first_name, "Gisela")
    qtbot.keyClicks(dialog.last_name, "Breuer")
    qtbot.mouseClick(dialog.street, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.street, "Dionysiusstrasse 14")
    qtbot.mouseClick(dialog.postcode, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.postcode, "4779")  # one digit short
    qtbot.keyClick(dialog.postcode, Qt.Key.Key_Tab)  # leaving the field shows the error
    assert dialog.postcode_error.isVisible()
    assert "47798" in dialog.postcode_error.text()
    assert not dialog.save_button.isEnabled()

    qtbot.mouseClick(dialog.postcode, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.postcode, "8")
    assert not dialog.postcode_error.isVisible()
    qtbot.mouseClick(dialog.city, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.city, "Krefeld")
    dialog.address_kind.setFocus()
    qtbot.keyClick(dialog.address_kind, Qt.Key.Key_Down)  # work → private
    assert dialog.address_kind.currentData() is True
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)

    row = next(r for r in list_people(network_db) if r.last_name == "Breuer")
    assert row.address is not None
    assert (row.address.street, row.address.postcode, row.address.city) == (
        "Dionysiusstrasse 14",
        "47798",
        "Krefeld",
    )
    assert row.address.source is AddressSource.PRIVATE
    # The details panel says where letters go.
    details = address_text(row)
    assert details.startswith("Dionysiusstrasse 14\n47798 Krefeld")
    assert _("private address") in details
    with network_db.read() as session:
        person = session.get(Person, row.id)
        assert person is not None
        assert person.address_kind is AddressKind.PRIVATE

    # Opening the person again shows the stored address.
    with qtbot.waitSignal(page.editing.actions.dialog_opened, timeout=WAIT_MS) as opened:
        page.editing.actions.open_person(row.id)
    again = opened.args[0]
    assert isinstance(again, PersonDialog)
    qtbot.waitUntil(lambda: again.street.text() == "Dionysiusstrasse 14", timeout=WAIT_MS)
    assert again.postcode.text() == "47798"
    assert again.city.text() == "Krefeld"
    assert again.address_kind.currentData() is True
    again.reject()


def test_foreign_postcode_is_free_and_german_one_is_checked() -> None:
    from app.services.directory_editing import PersonInput, validate_person

    def fields(values: PersonInput) -> set[str]:
        return {error.field for error in validate_person(values)}

    assert "postcode" in fields(PersonInput(last_name="X", postcode="123"))
    assert "postcode" in fields(PersonInput(last_name="X", postcode="4779A", country="DE"))
    assert "postcode" not in fields(PersonInput(last_name="X", postcode="47798"))
    assert "postcode" not in fields(
        PersonInput(last_name="X", postcode="5911 AB", country="Niederlande")
    )
    assert "postcode" not in fields(PersonInput(last_name="X"))
