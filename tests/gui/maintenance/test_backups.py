"""Backups in the window: the dialog, restoring, a damaged file, the daily automatic backup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _, format_datetime
from app.models import Person
from app.services import backup
from app.services.backup import BackupKind, list_backups, make_backup
from app.services.directory import list_people
from tests.helpers.maintenance_window import reopen
from tests.helpers.window import WAIT_MS, OpenAndWait
from ui.main_window import MainWindow
from ui.maintenance import backup_dialog, controller
from ui.maintenance.backup_dialog import BackupDialog, BackupModel


def _dialog(window: MainWindow, qtbot: QtBot, path: Path | None = None) -> BackupDialog:
    dialog = window.maintenance.show_backups(path)
    assert isinstance(dialog, BackupDialog)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=WAIT_MS)
    return dialog


def _people_names(window: MainWindow) -> set[str]:
    workspace = window.workspace()
    assert workspace is not None
    model = workspace.network.people_model()
    return {model.index(row, 1).data() for row in range(model.rowCount())}


def test_back_up_now_lists_the_new_file_with_its_date(
    open_and_wait: OpenAndWait, network_file: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(network_file)
    dialog = _dialog(window, qtbot)
    assert [b.kind for b in dialog.model.rows()] == [BackupKind.AUTO]  # made on opening

    with qtbot.waitSignal(dialog.backup_made, timeout=WAIT_MS) as made:
        qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    info = made.args[0]
    # Rotation keeps the newest backup of a day: the manual one now stands for today.
    qtbot.waitUntil(lambda: info.path in {b.path for b in dialog.model.rows()}, timeout=WAIT_MS)

    assert info.path.is_file()
    assert info.kind is BackupKind.MANUAL
    shown = [dialog.model.index(row, 0).data() for row in range(dialog.model.rowCount())]
    assert format_datetime(info.created_at.astimezone()) in shown
    kinds = [dialog.model.index(row, 1).data() for row in range(dialog.model.rowCount())]
    assert _("manual") in kinds
    contents = dialog.model.index(0, 3).data()
    assert "8" in contents  # eight people in the copy
    assert {b.path for b in list_backups(network_file)} == {b.path for b in dialog.model.rows()}


def test_backup_model(qtmodeltester: object, network_file: Path) -> None:
    make_backup(network_file, BackupKind.MANUAL)
    model = BackupModel()
    model.set_rows(list_backups(network_file, with_counts=True))
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_restore_brings_back_the_earlier_state_and_the_window_works(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_file)
    assert len(list_backups(network_file)) == 1  # today's automatic one: 8 people
    opened = window.opened()
    assert opened is not None
    with opened.database.write() as session:
        session.add(Person(first_name="Neu", last_name="Hinzugefügt"))
    with qtbot.waitSignal(window.workspace().network.loaded, timeout=WAIT_MS):  # type: ignore[union-attr]
        window.workspace().load(opened.database)  # type: ignore[union-attr]
    assert "Neu Hinzugefügt" in _people_names(window)

    monkeypatch.setattr(backup_dialog, "confirm_restore", lambda *args: True)
    dialog = _dialog(window, qtbot)
    auto = next(r for r, b in enumerate(dialog.model.rows()) if b.kind is BackupKind.AUTO)
    dialog.view.selectRow(auto)
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)

    reopened = window.opened()
    assert reopened is not None
    assert reopened is not opened
    assert reopened.lock is opened.lock
    assert reopened.lock is not None
    assert reopened.lock.is_held()
    assert "Neu Hinzugefügt" not in _people_names(window)
    assert len(_people_names(window)) == 8
    assert len(list_people(reopened.database)) == 8
    assert window.current_page() is window.workspace()
    kinds = [b.kind for b in list_backups(network_file)]
    assert BackupKind.BEFORE_RESTORE in kinds  # the state with the new person is kept
    # The window still works: a write goes through.
    with reopened.database.write() as session:
        session.add(Person(first_name="Nach", last_name="Wiederherstellung"))
    assert len(list_people(reopened.database)) == 9


def test_damaged_database_offers_restore_from_backup(
    window: MainWindow,
    network_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_backup(network_file, BackupKind.MANUAL)
    data = bytearray(network_file.read_bytes())
    data[4096 * 2 :] = b"Z" * (len(data) - 4096 * 2)
    network_file.write_bytes(bytes(data))

    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
        window.open_database(network_file)
    button = window.message_page.button("restoreFromBackup")
    assert button is not None
    qtbot.waitUntil(button.isVisible)
    assert window.message_page.title() == _("The database is damaged")

    monkeypatch.setattr(backup_dialog, "confirm_restore", lambda *args: True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.maintenance.current_dialog()
    assert isinstance(dialog, BackupDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT_MS)
    dialog.view.selectRow(0)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)

    assert window.current_page() is window.workspace()
    assert len(_people_names(window)) == 8
    kinds = [b.kind for b in list_backups(network_file)]
    assert BackupKind.DAMAGED in kinds  # the damaged bytes are kept, not lost
    with Database.open(network_file, read_only=True) as check:
        assert len(list_people(check)) == 8


def test_automatic_backup_on_start_at_most_daily(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    day = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(controller, "clock", lambda: day)
    window = open_and_wait(network_file)
    assert [b.created_at for b in list_backups(network_file)] == [day]
    assert window.statusBar().currentMessage() == _("Daily backup made ({date}).").format(
        date=format_datetime(day.astimezone())
    )

    later = day + timedelta(hours=3)
    monkeypatch.setattr(controller, "clock", lambda: later)
    reopen(window, qtbot, network_file)  # opened again the same day: nothing new
    window.maintenance.closing()  # closing the same day: nothing new
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert len(list_backups(network_file)) == 1

    next_day = day + timedelta(days=1)
    monkeypatch.setattr(controller, "clock", lambda: next_day)
    reopen(window, qtbot, network_file)
    assert [b.created_at for b in list_backups(network_file)] == [next_day, day]


def test_automatic_backup_on_close(
    open_and_wait: OpenAndWait, network_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(controller, "clock", lambda: day)
    window = open_and_wait(network_file)
    monkeypatch.setattr(controller, "clock", lambda: day + timedelta(days=1))  # past midnight
    window.shutdown()
    assert len(list_backups(network_file)) == 2
    assert not (network_file.parent / (network_file.name + ".lock")).exists()  # released


def test_failed_automatic_backup_is_a_status_warning(
    open_and_wait: OpenAndWait, network_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object) -> None:
        raise backup.BackupFailed("kein Platz im Sicherungsordner")

    monkeypatch.setattr(backup, "auto_backup", fail)
    window = open_and_wait(network_file)
    assert "kein Platz im Sicherungsordner" in window.statusBar().currentMessage()
    assert window.maintenance.errors.current_box() is None  # no dialog
    assert window.current_page() is window.workspace()


def test_restore_from_a_file_elsewhere(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stick = tmp_path / "usb-stick" / "treffpunkt-sicherung.db"
    backup.write_backup(network_file, stick)  # 8 people, a name outside the naming scheme
    window = open_and_wait(network_file)
    opened = window.opened()
    assert opened is not None
    with opened.database.write() as session:
        session.add(Person(first_name="Später", last_name="Eingetragen"))

    monkeypatch.setattr(backup_dialog, "choose_backup_file", lambda *_args: stick)
    asked: list[Path] = []
    monkeypatch.setattr(
        backup_dialog, "confirm_restore", lambda _parent, file, _db: asked.append(file) or True
    )
    window.menu_actions["restore"].trigger()
    dialog = window.maintenance.current_dialog()
    assert isinstance(dialog, BackupDialog)
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.restore_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert asked == [stick]
    assert "Später Eingetragen" not in _people_names(window)
    assert len(_people_names(window)) == 8
    assert stick.is_file()  # the source is only read
