"""A full disk during background writes: one clear message, and the window keeps working."""

from __future__ import annotations

import logging
import os
import stat
import traceback
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.errors import DiskFull, ValidationError
from app.i18n import _
from app.models import Person
from tests.helpers.window import WAIT_MS, OpenAndWait


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


def test_an_unexpected_error_in_a_task_shows_the_general_message_and_is_logged(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The task runner's default error handler (a task without on_error): a bug is a short
    German sentence on screen and a traceback in the log; a TreffpunktError says itself."""
    window = open_and_wait(network_file)

    def broken() -> None:
        raise KeyError("internal detail")

    with (
        caplog.at_level(logging.ERROR),
        qtbot.waitSignal(window.runner.unhandled_error, timeout=WAIT_MS),
    ):
        window.runner.run(broken)
    box = window.maintenance.errors.current_box()
    assert box is not None
    assert "KeyError" in box.text()
    assert "internal detail" not in box.text()
    assert box.text().startswith("Ein unerwarteter Fehler ist aufgetreten")
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is KeyError]
    assert len(logged) == 1  # once, with its traceback
    assert "broken" in "".join(traceback.format_exception(*logged[0].exc_info))  # type: ignore[misc]
    box.done(0)

    caplog.clear()

    def refused() -> None:
        raise ValidationError("Bitte geben Sie einen Titel ein.")

    with (
        caplog.at_level(logging.WARNING),
        qtbot.waitSignal(window.runner.unhandled_error, timeout=WAIT_MS),
    ):
        window.runner.run(refused)
    box = window.maintenance.errors.current_box()
    assert box is not None
    assert box.text() == "Bitte geben Sie einen Titel ein."
    assert box.windowTitle() == _("Please check your input")
    assert not caplog.records  # the user's problem, not a bug
    box.done(0)


def test_the_log_file_keeps_the_traceback_privately(tmp_path: Path) -> None:
    from app.log_file import start_log_file

    root = logging.getLogger()
    before = list(root.handlers)
    path = start_log_file(tmp_path / "log")
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("ui.tasks").exception("background task failed")
        logging.getLogger("ui.tasks").info("not kept")
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "background task failed" in text
        assert "RuntimeError: boom" in text
        assert "Traceback" in text
        assert "not kept" not in text
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
