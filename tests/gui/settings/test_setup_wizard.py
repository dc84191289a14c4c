"""The set-up assistant on the first start with a new database, walked as a user would."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QFileDialog, QWizard
from pytestqt.qtbot import QtBot

from app.db import Database
from app.mail.secrets import KEYRING_SERVICE
from app.services.letterhead import load_letterhead
from app.services.mail_settings import MailMode, SmtpSecurity, load_smtp_settings
from app.services.planning.defaults import load_meeting_defaults
from app.services.setup_assistant import setup_due
from app.services.venues import list_venues
from tests.helpers.mail import MemoryKeyring, SmtpServer
from tests.helpers.settings_window import WAIT_MS, click_option, type_text
from ui.main_window import MainWindow
from ui.settings.setup_wizard import SetupWizard

LEFT = Qt.MouseButton.LeftButton


def new_database(qtbot: QtBot, window: MainWindow, path: Path) -> SetupWizard:
    """File ▸ New database…, then the assistant comes up by itself."""
    window.offer_setup_assistant = True
    window.create_database(path)
    qtbot.waitUntil(lambda: window.setup_wizard is not None, timeout=WAIT_MS)
    wizard = window.setup_wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    return wizard


def press(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled()
    qtbot.mouseClick(button, LEFT)


def opened_db(window: MainWindow) -> Database:
    opened = window.opened()
    assert opened is not None
    return opened.database


def test_walking_through_every_step(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    tls_server: SmtpServer,
) -> None:
    wizard = new_database(qtbot, window, tmp_path / "neu.db")
    assert wizard.currentPage() is wizard.organisation
    next_ = QWizard.WizardButton.NextButton

    page = wizard.organisation
    type_text(page.name, "Quartiersmanagement Stahldorf")
    type_text(page.department, "Fachbereich Soziales")
    type_text(page.street, "Hauptstraße 5")
    type_text(page.postcode, "47798")
    type_text(page.city, "Krefeld")
    press(qtbot, wizard, next_)

    sender = wizard.sender_step
    assert wizard.currentPage() is sender
    type_text(sender.sender_name, "Sabine Krüger")
    type_text(sender.sender_address, "sabine@")
    assert not wizard.button(next_).isEnabled()  # an invalid address stops here
    assert sender.error.isVisible()
    assert "sabine@" in sender.error.text()
    type_text(sender.sender_address, "qm-stahldorf.example")
    assert not sender.error.isVisible()
    press(qtbot, wizard, next_)

    mail = wizard.mail
    server = mail.way.server
    type_text(server.host, "127.0.0.1")
    server.security.setCurrentIndex(server.security.findData(SmtpSecurity.STARTTLS))
    server.port.setValue(tls_server.port)
    type_text(server.username, "anna")
    type_text(server.password, "falsch")
    with qtbot.waitSignal(server.tested, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(server.test_button, LEFT)
    assert blocker.args[0] is False
    server.password.clear()
    type_text(server.password, "geheim-123")
    with qtbot.waitSignal(server.tested, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(server.test_button, LEFT)
    assert blocker.args[0] is True
    assert tls_server.handler.messages == []
    press(qtbot, wizard, next_)

    meeting = wizard.meeting
    type_text(meeting.venue, "Museumscafé K+")
    type_text(meeting.street, "Joseph-Beuys-Platz 1")
    meeting.start.setTime(QTime(15, 0))
    meeting.duration.setValue(90)
    press(qtbot, wizard, next_)

    assert wizard.currentPage() is wizard.contacts
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isEnabled()
    assert wizard.contacts.start_empty.isChecked()
    with qtbot.waitSignal(wizard.finished_setup, timeout=WAIT_MS):
        press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: window.setup_wizard is None, timeout=WAIT_MS)

    db = opened_db(window)
    letterhead = load_letterhead(db)
    assert letterhead is not None
    assert letterhead.name == "Quartiersmanagement Stahldorf"
    assert letterhead.address_lines == ("Fachbereich Soziales", "Hauptstraße 5", "47798 Krefeld")
    settings = load_smtp_settings(db)
    assert (settings.sender_name, settings.sender_address) == (
        "Sabine Krüger",
        "sabine@qm-stahldorf.example",
    )
    assert (settings.host, settings.port, settings.username, settings.mode) == (
        "127.0.0.1",
        tls_server.port,
        "anna",
        MailMode.SMTP,
    )
    assert memory_keyring.store[(KEYRING_SERVICE, "anna@127.0.0.1")] == "geheim-123"
    assert b"geheim-123" not in Path(db.path).read_bytes()
    defaults = load_meeting_defaults(db)
    assert (defaults.start, defaults.duration_minutes) == (time(15, 0), 90)
    venue = next(row for row in list_venues(db) if row.id == defaults.venue_id)
    assert venue.name == "Museumscafé K+"
    assert venue.street == "Joseph-Beuys-Platz 1"
    assert not setup_due(db)


def test_skipping_every_step_stores_nothing_but_is_not_asked_again(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "leer.db"
    wizard = new_database(qtbot, window, path)
    type_text(wizard.organisation.street, "Hauptstraße 5")  # no name: Next is refused…
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    for page in (wizard.organisation, wizard.sender_step, wizard.mail, wizard.meeting):
        assert wizard.currentPage() is page
        press(qtbot, wizard, QWizard.WizardButton.CustomButton1)  # … but Skip goes on
    assert wizard.currentPage() is wizard.contacts
    with qtbot.waitSignal(wizard.finished_setup, timeout=WAIT_MS):
        press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    db = opened_db(window)
    assert load_letterhead(db) is None
    assert load_smtp_settings(db).sender_address == ""
    assert load_meeting_defaults(db).venue_id is None
    assert not setup_due(db)


def test_closing_means_later_and_it_is_offered_once(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "spaeter.db"
    wizard = new_database(qtbot, window, path)
    press(qtbot, wizard, QWizard.WizardButton.CancelButton)
    qtbot.waitUntil(lambda: window.setup_wizard is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert not setup_due(opened_db(window))
    # Opened again: no assistant; the menu still offers it.
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        window.open_database(path)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert window.setup_wizard is None
    window.menu_actions["setup-assistant"].trigger()
    assert window.setup_wizard is not None


def test_from_the_menu_it_shows_the_stored_settings(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.offer_setup_assistant = True
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.open_database(demo_path)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert window.setup_wizard is None  # the demo is set up already
    window.menu_actions["setup-assistant"].trigger()
    wizard = window.setup_wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.organisation.name.text() != "", timeout=WAIT_MS)
    assert wizard.organisation.name.text() == "Stadt Krefeld – Soziales Quartiersmanagement"
    assert wizard.sender_step.sender_address.text() == "sabine.krueger@krefeld.example"
    assert wizard.mail.way.via_eml.isChecked()
    assert wizard.meeting.venue.text() == "Museumscafé K+ (Kaiser-Wilhelm-Museum)"
    assert wizard.meeting.start.time() == QTime(15, 0)


def test_choosing_to_import_opens_the_import(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def choose_file(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[1]) if len(args) > 1 else "")
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose_file))
    wizard = new_database(qtbot, window, tmp_path / "import.db")
    for _step in range(4):
        press(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    click_option(qtbot, wizard.contacts.import_now)
    with qtbot.waitSignal(wizard.import_requested, timeout=WAIT_MS):
        press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert asked == ["Kontakte importieren"]


def test_not_offered_for_the_demo_or_a_database_with_data(
    qtbot: QtBot, window: MainWindow, network_db: Database
) -> None:
    window.offer_setup_assistant = True
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.open_database(Path(network_db.path))
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert window.setup_wizard is None
