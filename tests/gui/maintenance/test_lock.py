"""Two instances on one database: the lock on opening, read-only guests, stale locks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.db.lock import lock_path_for, read_holder
from app.i18n import _
from app.services.directory import list_people
from app.services.settings import set_setting
from tests.gui.conftest import WAIT_MS, OpenAndWait
from tests.gui.maintenance.conftest import reopen
from ui.main_window import MainWindow
from ui.maintenance.lock_text import taken_over_text
from ui.maintenance.privacy_dialogs import ErasureDialog
from ui.open_errors import LOCKED_TITLE

HOLD = (
    "import sys\n"
    "from app.db.lock import DatabaseLock\n"
    "lock = DatabaseLock.acquire(sys.argv[1])\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
    "lock.release()\n"
)
CRASH = (
    "import os, sys\n"
    "from app.db.lock import DatabaseLock\n"
    "DatabaseLock.acquire(sys.argv[1])\n"
    "os._exit(0)  # killed: the lock file stays\n"
)


@pytest.fixture
def other_instance(network_file: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process that holds the database's lock until its stdin closes."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(network_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.stdin.close()
        process.wait(timeout=30)
        process.stdout.close()


def _wait_button(window: MainWindow, qtbot: QtBot, name: str) -> object:
    button = window.message_page.button(name)
    assert button is not None, name
    qtbot.waitUntil(button.isVisible)
    return button


def test_second_process_holding_the_lock_is_named_and_read_only_works(
    window: MainWindow,
    network_file: Path,
    other_instance: subprocess.Popen[str],
    qtbot: QtBot,
) -> None:
    before = network_file.read_bytes()
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
        window.open_database(network_file)
    assert window.message_page.title() == _(LOCKED_TITLE)
    text = window.message_page.text()
    assert socket.gethostname() in text
    assert str(other_instance.pid) in text
    assert window.message_page.button("takeOver") is None  # it runs: no taking over
    assert network_file.read_bytes() == before

    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        qtbot.mouseClick(_wait_button(window, qtbot, "readOnly"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    opened = window.opened()
    assert opened is not None
    assert opened.read_only
    assert opened.lock is None
    assert window.status_text() == _("{path} (read-only)").format(path=opened.path)
    assert window.statusBar().currentMessage() == _(
        "Opened read-only: changes are not possible in this window."
    )
    # The other instance still holds its lock.
    holder = read_holder(network_file)
    assert holder is not None
    assert holder.pid == other_instance.pid

    refused = _("The database is open read-only; changes are not possible.")
    # A write from any action without its own error handling: one clear message box.
    window.runner.run(set_setting, opened.database, "retention_months", 12)
    qtbot.waitUntil(lambda: window.maintenance.errors.current_box() is not None, timeout=WAIT_MS)
    box = window.maintenance.errors.current_box()
    assert box is not None
    assert box.text() == refused
    box.close()

    # The erasure dialog shows the refusal, and nothing is erased.
    person = next(p for p in list_people(opened.database) if p.last_name == "Müller")
    dialog = window.maintenance.show_erasure(person.id)
    assert isinstance(dialog, ErasureDialog)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == dialog.CONFIRM, timeout=WAIT_MS)
    dialog.confirm_box.setChecked(True)
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text() == refused, timeout=WAIT_MS)
    assert any(p.id == person.id for p in list_people(opened.database))
    assert network_file.read_bytes() == before


def test_stale_lock_of_a_crashed_instance_is_taken_over(
    window: MainWindow, open_and_wait: OpenAndWait, network_file: Path
) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH, str(network_file)], check=True, timeout=60
    )
    assert crashed.returncode == 0
    stale = read_holder(network_file)
    assert stale is not None
    open_and_wait(network_file)
    opened = window.opened()
    assert opened is not None
    assert opened.lock is not None
    assert opened.lock.is_held()
    assert opened.taken_over_from is not None
    assert opened.taken_over_from.pid == stale.pid
    assert window.statusBar().currentMessage() == taken_over_text(opened.taken_over_from)
    assert read_holder(network_file).pid == os.getpid()  # type: ignore[union-attr]


def test_lock_from_another_computer_can_be_taken_over(
    window: MainWindow, network_file: Path, qtbot: QtBot
) -> None:
    since = datetime(2026, 11, 24, 16, 5, tzinfo=UTC)
    lock_path_for(network_file).write_text(
        json.dumps(
            {
                "app": "Treffpunkt",
                "host": "buero-pc-2",
                "pid": 4242,
                "user": "quartiersmanagerin",
                "since": since.isoformat(),
                "token": "abc",
            }
        ),
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
        window.open_database(network_file)
    text = window.message_page.text()
    assert "buero-pc-2" in text
    assert "4242" in text
    assert "quartiersmanagerin" in text
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        qtbot.mouseClick(_wait_button(window, qtbot, "takeOver"), Qt.MouseButton.LeftButton)
    opened = window.opened()
    assert opened is not None
    assert not opened.read_only
    assert opened.lock is not None
    assert opened.lock.is_held()
    assert read_holder(network_file).host == socket.gethostname()  # type: ignore[union-attr]


def test_lock_released_on_switching_and_on_close(
    window: MainWindow,
    open_and_wait: OpenAndWait,
    network_file: Path,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    open_and_wait(network_file)
    assert lock_path_for(network_file).exists()
    other = tmp_path / "anderes.db"
    Database.create(other).close()
    reopen(window, qtbot, other)
    assert not lock_path_for(network_file).exists()
    assert lock_path_for(other).exists()
    window.shutdown()
    assert not lock_path_for(other).exists()


def test_a_lock_taken_over_while_the_window_works_is_noticed_before_writing(
    window: MainWindow, open_and_wait: OpenAndWait, network_file: Path
) -> None:
    """Issue 12 (7): the lock is checked again before every write, not only on opening."""
    from app.db.lock import DatabaseLock, LockLost
    from tests.core.database_digest import digest

    open_and_wait(network_file)
    opened = window.opened()
    assert opened is not None
    set_setting(opened.database, "privacy.retention_months", 24)  # ours: writes fine
    other = DatabaseLock.take_over(network_file)  # e.g. another PC, after asking its user
    try:
        before = digest(network_file)
        with pytest.raises(LockLost, match=str(os.getpid())):
            set_setting(opened.database, "privacy.retention_months", 36)
        assert digest(network_file) == before
    finally:
        other.release()
