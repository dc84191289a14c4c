"""A full disk during background writes: one clear message, and the window keeps working."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.db import Database
from app.errors import DiskFull
from app.i18n import _
from app.models import Person
from tests.gui.conftest import WAIT_MS, OpenAndWait


def test_disk_full_in_background_writes_shows_one_message_and_the_window_goes_on(
    open_and_wait: OpenAndWait, network_file: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(network_file)
    opened = window.opened()
    assert opened is not None

    def write_on_a_full_disk(db: Database) -> None:
        with db.write() as session:
            session.add(Person(first_name="Nie", last_name="Gespeichert"))
            session.flush()
            raise DiskFull(_("The disk is full or failing; nothing was saved."))

    for _attempt in range(3):
        with qtbot.waitSignal(window.runner.unhandled_error, timeout=WAIT_MS):
            window.runner.run(write_on_a_full_disk, opened.database)
    box = window.maintenance.errors.current_box()
    assert box is not None
    assert box.text() == _("The disk is full or failing; nothing was saved.")
    assert box.windowTitle() == _("The disk is full")
    box.done(0)

    workspace = window.workspace()
    assert workspace is not None
    with qtbot.waitSignal(workspace.network.loaded, timeout=WAIT_MS) as loaded:
        workspace.load(opened.database)
    assert loaded.args[1] == 8  # rolled back: nobody was added
    with opened.database.write() as session:  # and writing works again
        session.add(Person(first_name="Doch", last_name="Gespeichert"))
