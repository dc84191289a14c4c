"""SMTP settings in the settings table, the password only in the keyring (read back)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from app.db import Database
from app.mail.errors import KeyringUnavailableError, MailError
from app.mail.secrets import (
    KEYRING_SERVICE,
    SessionPasswords,
    delete_password,
    load_password,
    store_password,
)
from app.services.mail_settings import (
    SmtpSecurity,
    SmtpSettings,
    load_smtp_settings,
    save_smtp_settings,
)
from app.services.settings import get_setting

SETTINGS = SmtpSettings(
    host="smtp.Impuls-AG.example",
    port=587,
    security=SmtpSecurity.STARTTLS,
    username="anna",
    sender_name="Quartiersmanagement\r\nImpuls.Ag",
    sender_address="Quartier@Impuls-AG.example",
    reply_to="",
)
PASSWORD = "geheim-123 ÄÖÜ"


def test_settings_round_trip(db: Database) -> None:
    assert load_smtp_settings(db) == SmtpSettings()
    stored = save_smtp_settings(db, SETTINGS)
    assert stored.host == "smtp.impuls-ag.example"
    assert stored.sender_name == "Quartiersmanagement Impuls.Ag"
    assert stored.sender_address == "Quartier@impuls-ag.example"
    assert load_smtp_settings(db) == stored
    assert get_setting(db, "smtp")["security"] == "starttls"


@pytest.mark.parametrize(
    "changes",
    [
        {"port": 0},
        {"port": 70000},
        {"host": "smtp example.de"},
        {"host": "smtp.example.de\r\nX"},
        {"sender_address": "a@b.example, c@d.example"},
        {"reply_to": "nope"},
        {"security": SmtpSecurity.NONE},  # with a user name: never a password in plain text
    ],
)
def test_invalid_settings_are_refused(db: Database, changes: dict[str, object]) -> None:
    from dataclasses import replace

    with pytest.raises(MailError):
        save_smtp_settings(db, replace(SETTINGS, **changes))  # type: ignore[arg-type]
    assert get_setting(db, "smtp") is None


@pytest.mark.sqlite_only  # about the SQLite file and its file backups
def test_password_lives_only_in_the_keyring(
    db: Database, db_path: Path, memory_keyring: Any
) -> None:
    settings = save_smtp_settings(db, SETTINGS)
    store_password(settings, PASSWORD)
    assert memory_keyring.store == {(KEYRING_SERVICE, "anna@smtp.impuls-ag.example"): PASSWORD}
    assert load_password(settings) == PASSWORD
    db.close()
    raw = db_path.read_bytes()
    assert PASSWORD.encode() not in raw
    assert b"geheim" not in raw
    delete_password(settings)
    assert load_password(settings) is None
    delete_password(settings)  # deleting twice is fine


def test_a_keyring_that_drops_the_password_is_detected(dropping_keyring: KeyringBackend) -> None:
    with pytest.raises(KeyringUnavailableError):
        store_password(SETTINGS, PASSWORD)


def test_no_keyring_is_reported_clearly(broken_keyring: KeyringBackend) -> None:
    with pytest.raises(KeyringUnavailableError) as info:
        store_password(SETTINGS, PASSWORD)
    assert PASSWORD not in str(info.value)
    with pytest.raises(KeyringUnavailableError):
        load_password(SETTINGS)


def test_session_passwords_fall_back_to_memory(dropping_keyring: KeyringBackend) -> None:
    passwords = SessionPasswords()
    assert passwords.get(SETTINGS) is None
    assert passwords.remember(SETTINGS, PASSWORD) is False  # kept in memory only
    assert passwords.get(SETTINGS) == PASSWORD
    assert PASSWORD not in repr(passwords)
    passwords.forget(SETTINGS)
    assert passwords.get(SETTINGS) is None


def test_session_passwords_use_the_keyring_when_it_works(memory_keyring: Any) -> None:
    assert SessionPasswords().remember(SETTINGS, PASSWORD) is True
    assert SessionPasswords().get(SETTINGS) == PASSWORD  # a new session finds it again
