"""The SMTP password: in the OS keyring, or for this session in memory, nowhere else.

Service "Treffpunkt SMTP", user name "user@host". Saving reads the password back, because a
keyring can accept it and drop it silently (keyring's null backend, some headless setups).
Without a working keyring the caller asks once per session and keeps the answer in a
``SessionPasswords`` object: never in settings, the database, logs or backups.
"""

from __future__ import annotations

import keyring
import keyring.errors

from app.i18n import _
from app.mail.errors import KeyringUnavailableError
from app.services.mail_settings import SmtpSettings

KEYRING_SERVICE = "Treffpunkt SMTP"


def _unavailable(reason: object | None = None) -> KeyringUnavailableError:
    message = _(
        "The system's password store (keyring) is not available, so the password cannot be "
        "saved. Treffpunkt will ask for it once per session."
    )
    if reason:
        # The backend's own words help an administrator; they never contain the password.
        message = f"{message} ({type(reason).__name__})"
    return KeyringUnavailableError(message)


def store_password(settings: SmtpSettings, password: str) -> None:
    """Save in the keyring and read it back; ``KeyringUnavailableError`` when that fails."""
    account = settings.keyring_account
    try:
        keyring.set_password(KEYRING_SERVICE, account, password)
        stored = keyring.get_password(KEYRING_SERVICE, account)
    except Exception as exc:  # any backend failure means: no usable keyring
        raise _unavailable(exc) from None
    if stored != password:
        raise _unavailable()


def load_password(settings: SmtpSettings) -> str | None:
    """The saved password or ``None``; ``KeyringUnavailableError`` without a keyring."""
    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_account)
    except Exception as exc:
        raise _unavailable(exc) from None


def delete_password(settings: SmtpSettings) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, settings.keyring_account)
    except keyring.errors.PasswordDeleteError:
        pass
    except Exception as exc:
        raise _unavailable(exc) from None


class SessionPasswords:
    """Passwords typed in this session, in memory only; the keyring is asked first.

    The UI holds one instance for the session; nothing here is ever written anywhere.
    """

    def __init__(self) -> None:
        self._passwords: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<SessionPasswords accounts={len(self._passwords)}>"

    def get(self, settings: SmtpSettings) -> str | None:
        """From memory, else from the keyring; ``None`` when the user must be asked."""
        account = settings.keyring_account
        if account in self._passwords:
            return self._passwords[account]
        try:
            return load_password(settings)
        except KeyringUnavailableError:
            return None

    def remember(self, settings: SmtpSettings, password: str, *, save: bool = True) -> bool:
        """Keep *password* for this session; with ``save`` also in the keyring.

        Returns True when the keyring holds it now, False when it lives in memory only.
        """
        self._passwords[settings.keyring_account] = password
        if not save:
            return False
        try:
            store_password(settings, password)
        except KeyringUnavailableError:
            return False
        return True

    def forget(self, settings: SmtpSettings) -> None:
        self._passwords.pop(settings.keyring_account, None)
