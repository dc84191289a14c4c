"""Extras ▸ Settings…: every page as a user fills it, one Save, checks as you type."""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.db import Database
from app.mail.secrets import KEYRING_SERVICE, SessionPasswords
from app.models import OutboxKind
from app.services.letterhead import load_letterhead
from app.services.mail_settings import MailMode, SmtpSecurity, load_smtp_settings
from app.services.mail_templates import load_template
from app.services.planning import MeetingDraft, create_meeting
from app.services.planning.defaults import load_meeting_defaults
from app.services.retention import retention_months
from app.services.settings import get_setting
from app.services.signin_sheet import saved_privacy_notice
from app.services.standard_agenda import standard_agenda
from tests.helpers.mail import DroppingKeyring, MemoryKeyring, SmtpServer
from tests.helpers.settings_window import WAIT_MS, QuitRecorder, click_option, type_text
from ui.main_window import MainWindow
from ui.settings.dialog import PAGES, SettingsDialog
from ui.tasks import TaskRunner

LEFT = Qt.MouseButton.LeftButton


def open_dialog(
    qtbot: QtBot,
    runner: TaskRunner,
    db: Database,
    passwords: SessionPasswords | None = None,
    **kwargs: object,
) -> SettingsDialog:
    dialog = SettingsDialog(runner, db, passwords or SessionPasswords(), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    return dialog


def choose(qtbot: QtBot, dialog: SettingsDialog, name: str) -> None:
    """Click the page in the list, as a user does."""
    view = dialog.page_list
    rect = view.visualRect(dialog.model.index(PAGES.index(name), 0))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
    assert dialog.current_page() == name


def save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


def digest(db: Database) -> str:
    return hashlib.sha256(Path(db.path).read_bytes()).hexdigest()


def test_every_page_filled_in_saved_at_once_and_shown_again(
    qtbot: QtBot,
    runner: TaskRunner,
    network_db: Database,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = network_db
    create_meeting(
        db,
        MeetingDraft(title="Treffen", start=datetime(2026, 5, 4, 15), venue_name="Museumscafé K+"),
    )
    logo = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6"))
    assert image.save(str(logo))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(logo), ""))
    )
    dialog = open_dialog(qtbot, runner, db)
    assert dialog.current_page() == "organisation"

    page = dialog.organisation
    type_text(page.name, "Quartiersmanagement Stahldorf")
    type_text(page.department, "Fachbereich Soziales")
    type_text(page.street, "Hauptstraße 5")
    type_text(page.postcode, "47798")
    type_text(page.city, "Krefeld")
    type_text(page.press, "Nicole Heinen, 0221 4710-999")
    qtbot.mouseClick(page.choose_button, LEFT)
    qtbot.waitUntil(lambda: page.logo is not None, timeout=WAIT_MS)

    choose(qtbot, dialog, "sender")
    sender = dialog.sender_page
    type_text(sender.sender_name, "Sabine Krüger")
    type_text(sender.sender_address, "quartier@impuls.example")
    click_option(qtbot, sender.way.via_eml)
    type_text(sender.way.folder.path, str(tmp_path / "entwuerfe"))

    choose(qtbot, dialog, "meetings")
    meetings = dialog.meetings
    meetings.organiser.setCurrentIndex(
        meetings.organiser.findText("Ayşe Yılmaz (Quartiersbüro Lehmheide)")
    )
    meetings.venue.setCurrentIndex(meetings.venue.findText("Museumscafé K+"))
    meetings.start.setTime(QTime(15, 30))
    meetings.duration.setValue(90)

    choose(qtbot, dialog, "templates")
    templates = dialog.templates
    templates.language.setCurrentIndex(templates.language.findData("de"))
    templates.kind.setCurrentIndex(templates.kind.findData(OutboxKind.INVITATION))
    templates.subject.clear()
    type_text(templates.subject, "Einladung: {meeting_title}")
    # Another template; the first keeps what was typed.
    templates.kind.setCurrentIndex(templates.kind.findData(OutboxKind.REMINDER))
    templates.kind.setCurrentIndex(templates.kind.findData(OutboxKind.INVITATION))
    assert templates.subject.text() == "Einladung: {meeting_title}"

    choose(qtbot, dialog, "agenda")
    dialog.agenda.items.setPlainText("Begrüßung | 10 | information\nRückblick | 20 | discussion")

    choose(qtbot, dialog, "signin")
    dialog.signin.notice.setPlainText("Hinweis zum Datenschutz: nur für den Fördermittelgeber.")

    choose(qtbot, dialog, "privacy")
    dialog.privacy.months.setValue(36)

    save(qtbot, dialog)

    letterhead = load_letterhead(db)
    assert letterhead is not None
    assert letterhead.address_lines == ("Fachbereich Soziales", "Hauptstraße 5", "47798 Krefeld")
    assert letterhead.logo is not None
    mail = load_smtp_settings(db)
    assert (mail.sender_name, mail.sender_address, mail.mode) == (
        "Sabine Krüger",
        "quartier@impuls.example",
        MailMode.EML,
    )
    assert mail.eml_dir == str(tmp_path / "entwuerfe")
    defaults = load_meeting_defaults(db)
    assert defaults.organiser_id is not None
    assert defaults.venue_id is not None
    assert (defaults.start, defaults.duration_minutes) == (time(15, 30), 90)
    assert load_template(db, "de", OutboxKind.INVITATION).subject == "Einladung: {meeting_title}"
    assert [item.title for item in standard_agenda(db, "de")] == ["Begrüßung", "Rückblick"]
    assert saved_privacy_notice(db) == "Hinweis zum Datenschutz: nur für den Fördermittelgeber."
    assert retention_months(db) == 36
    assert get_setting(db, "press_contact") == "Nicole Heinen, 0221 4710-999"

    again = open_dialog(qtbot, runner, db)
    assert again.organisation.name.text() == "Quartiersmanagement Stahldorf"
    assert again.organisation.city.text() == "Krefeld"
    assert again.sender_page.sender_address.text() == "quartier@impuls.example"
    assert again.sender_page.way.via_eml.isChecked()
    assert again.meetings.venue.currentText() == "Museumscafé K+"
    assert again.meetings.start.time() == QTime(15, 30)
    assert again.templates.subject.text() == "Einladung: {meeting_title}"
    assert again.privacy.months.value() == 36
    assert again.signin.notice.toPlainText().startswith("Hinweis zum Datenschutz")


def test_an_invalid_address_is_shown_and_save_disabled_until_corrected(
    qtbot: QtBot, runner: TaskRunner, network_db: Database
) -> None:
    before = digest(network_db)
    dialog = open_dialog(qtbot, runner, network_db, page="sender")
    sender = dialog.sender_page
    type_text(sender.sender_address, "quartier@")
    assert sender.error.isVisible()
    assert "quartier@" in sender.error.text()
    assert not dialog.save_button.isEnabled()
    assert dialog.model.has_problem(PAGES.index("sender"))
    type_text(sender.sender_address, "impuls.example")
    assert not sender.error.isVisible()
    assert dialog.save_button.isEnabled()
    assert not dialog.model.has_problem(PAGES.index("sender"))
    # A reply address that is two addresses is refused as well.
    type_text(sender.reply_to, "a@b.example, c@d.example")
    assert not dialog.save_button.isEnabled()
    dialog.reject()
    assert digest(network_db) == before


def test_a_letterhead_address_without_a_name_is_refused(
    qtbot: QtBot, runner: TaskRunner, network_db: Database
) -> None:
    dialog = open_dialog(qtbot, runner, network_db)
    type_text(dialog.organisation.street, "Hauptstraße 5")
    assert "Namen" in dialog.organisation.error.text()
    assert not dialog.save_button.isEnabled()
    type_text(dialog.organisation.name, "QM")
    assert dialog.save_button.isEnabled()


def test_a_template_with_an_unknown_placeholder_blocks_save(
    qtbot: QtBot, runner: TaskRunner, network_db: Database
) -> None:
    dialog = open_dialog(qtbot, runner, network_db, page="templates")
    type_text(dialog.templates.subject, " {vorname}")
    assert not dialog.save_button.isEnabled()
    assert "vorname" in dialog.templates.error.text()
    qtbot.mouseClick(dialog.templates.reset_button, LEFT)
    assert dialog.save_button.isEnabled()


def test_saving_without_changes_writes_nothing(
    qtbot: QtBot, runner: TaskRunner, network_db: Database
) -> None:
    before = digest(network_db)
    dialog = open_dialog(qtbot, runner, network_db)
    for name in PAGES:
        choose(qtbot, dialog, name)
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert digest(network_db) == before


def test_password_goes_to_the_keyring_not_the_database(
    qtbot: QtBot, runner: TaskRunner, network_db: Database, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, runner, network_db, page="sender")
    server = dialog.sender_page.server
    type_text(server.host, "smtp.impuls-ag.example")
    type_text(server.username, "anna")
    type_text(server.password, "geheim-123")
    save(qtbot, dialog)
    settings = load_smtp_settings(network_db)
    assert (settings.host, settings.username) == ("smtp.impuls-ag.example", "anna")
    assert "geheim-123" not in str(get_setting(network_db, "smtp", {}))
    assert b"geheim-123" not in Path(network_db.path).read_bytes()
    assert memory_keyring.store[(KEYRING_SERVICE, "anna@smtp.impuls-ag.example")] == "geheim-123"


def test_a_keyring_that_drops_the_password_is_reported(
    qtbot: QtBot, runner: TaskRunner, network_db: Database
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(DroppingKeyring())
    try:
        passwords = SessionPasswords()
        dialog = open_dialog(qtbot, runner, network_db, passwords, page="sender")
        server = dialog.sender_page.server
        type_text(server.host, "smtp.impuls-ag.example")
        type_text(server.username, "anna")
        type_text(server.password, "geheim-123")
        with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.save_button, LEFT)
        assert dialog.isVisible()  # stays open to say so
        assert "Passwortspeicher" in dialog.message.text()
        assert passwords.get(load_smtp_settings(network_db)) == "geheim-123"  # this session
    finally:
        keyring.set_keyring(previous)


def test_connection_test_against_a_tls_server_success_and_failure(
    qtbot: QtBot, runner: TaskRunner, network_db: Database, tls_server: SmtpServer
) -> None:
    before = digest(network_db)
    dialog = open_dialog(qtbot, runner, network_db, page="sender")
    server = dialog.sender_page.server
    type_text(server.host, "127.0.0.1")
    server.security.setCurrentIndex(server.security.findData(SmtpSecurity.STARTTLS))
    server.port.setValue(tls_server.port)
    type_text(server.username, "anna")
    type_text(server.password, "geheim-123")
    with qtbot.waitSignal(server.tested, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(server.test_button, LEFT)
    assert blocker.args[0] is True
    assert "Anmeldung" in server.message.text()
    handler: QuitRecorder = tls_server.handler  # type: ignore[assignment]
    assert handler.logins == [("anna", "geheim-123")]
    assert handler.quits == ["127.0.0.1"]
    assert handler.messages == []

    server.password.clear()
    type_text(server.password, "falsch")
    with qtbot.waitSignal(server.tested, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(server.test_button, LEFT)
    assert blocker.args[0] is False
    assert "anna" in server.message.text()
    assert "falsch" not in server.message.text()

    server.port.setValue(1)  # nobody listens there
    with qtbot.waitSignal(server.tested, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(server.test_button, LEFT)
    assert blocker.args[0] is False
    assert handler.messages == []
    dialog.reject()
    assert digest(network_db) == before  # testing stores nothing


def test_the_page_list_model(
    qtbot: QtBot, qtmodeltester: ModelTester, runner: TaskRunner, network_db: Database
) -> None:
    dialog = open_dialog(qtbot, runner, network_db)
    qtmodeltester.check(dialog.model)
    assert [dialog.model.index(row, 0).data() for row in range(len(PAGES))] == [
        "Organisation & Briefkopf",
        "Absender & Versand",
        "Treffen",
        "Vorlagen",
        "Standard-Tagesordnung",
        "Anwesenheitsliste",
        "Datenschutz",
    ]


def test_extras_settings_in_the_window_and_no_settings_buttons_on_the_meetings_page(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert not window.menu_actions["settings"].isEnabled()  # no database yet
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.open_database(demo_path)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    action = window.menu_actions["settings"]
    assert action.isEnabled()
    assert action.shortcut().toString() == "Ctrl+,"
    assert action.text() == "&Einstellungen…"
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert menu_titles[-2:] == ["E&xtras", "&Hilfe"]
    workspace = window.workspace()
    assert workspace is not None
    planner = workspace.meetings.planner
    assert not {"mail_settings", "templates", "letterhead", "standard_agenda"} & set(
        planner.buttons
    )
    texts = [button.text() for button in planner.findChildren(QPushButton)]
    assert not any("Briefkopf" in text or "E-Mail-Einstellungen" in text for text in texts)

    action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.stack.isEnabled(), timeout=WAIT_MS)
    assert dialog.organisation.name.text() == "Stadt Krefeld – Soziales Quartiersmanagement"
    dialog.reject()
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=WAIT_MS)
