"""Mail settings: stored without the password, keyring read back, connection test."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.i18n import _
from app.mail.secrets import KEYRING_SERVICE, SessionPasswords
from app.mail.settings import SmtpSecurity, load_smtp_settings
from app.services.settings import get_setting
from tests.core.mail.conftest import DroppingKeyring, MemoryKeyring, start_server
from tests.gui.meetings_planning.conftest import WAIT_MS, Planned
from ui.meetings.smtp_settings_dialog import SmtpSettingsDialog
from ui.tasks import TaskRunner


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def open_settings(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> SmtpSettingsDialog:
    dialog = SmtpSettingsDialog(runner, planned.db, SessionPasswords())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    return dialog


def fill(qtbot: QtBot, dialog: SmtpSettingsDialog) -> None:
    qtbot.keyClicks(dialog.host, "smtp.impuls-ag.example")
    dialog.security.setCurrentIndex(dialog.security.findData(SmtpSecurity.STARTTLS))
    dialog.port.setValue(587)
    qtbot.keyClicks(dialog.username, "anna")
    qtbot.keyClicks(dialog.password, "geheim-123")
    qtbot.keyClicks(dialog.sender_address, "quartier@impuls-ag.example")


def save(qtbot: QtBot, dialog: SmtpSettingsDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_password_goes_to_the_keyring_not_the_database(
    qtbot: QtBot, runner: TaskRunner, planned: Planned, restore_keyring: None
) -> None:
    store = MemoryKeyring()
    keyring.set_keyring(store)
    dialog = open_settings(qtbot, runner, planned)
    fill(qtbot, dialog)
    save(qtbot, dialog)
    settings = load_smtp_settings(planned.db)
    assert settings.host == "smtp.impuls-ag.example"
    assert settings.username == "anna"
    assert "geheim-123" not in str(get_setting(planned.db, "smtp", {}))
    assert store.store[(KEYRING_SERVICE, "anna@smtp.impuls-ag.example")] == "geheim-123"
    assert dialog.password.text() == ""


def test_a_keyring_that_drops_the_password_is_reported(
    qtbot: QtBot, runner: TaskRunner, planned: Planned, restore_keyring: None
) -> None:
    keyring.set_keyring(DroppingKeyring())
    dialog = open_settings(qtbot, runner, planned)
    fill(qtbot, dialog)
    save(qtbot, dialog)
    assert dialog.message.text() != _("Settings saved.")
    assert "#b00020" in dialog.message.styleSheet()


def test_connection_test_against_a_local_server_and_a_dead_port(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    server = start_server()
    try:
        dialog = open_settings(qtbot, runner, planned)
        qtbot.keyClicks(dialog.host, "127.0.0.1")
        dialog.security.setCurrentIndex(dialog.security.findData(SmtpSecurity.NONE))
        dialog.port.setValue(server.port)
        with qtbot.waitSignal(dialog.tested, timeout=WAIT_MS) as blocker:
            dialog.test_button.click()
        assert blocker.args[0] is True
    finally:
        server.controller.stop()
    with qtbot.waitSignal(dialog.tested, timeout=WAIT_MS) as blocker:
        dialog.test_button.click()
    assert blocker.args[0] is False
    assert blocker.args[1]  # the reason is shown
