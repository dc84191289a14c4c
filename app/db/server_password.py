"""The password of a server database: in the OS keyring, or in libpq's ``.pgpass``.

Keyring service "Treffpunkt PostgreSQL", account ``user@host:port/dbname``. When the keyring
holds nothing (or there is no keyring, as on a headless Linux), Treffpunkt passes no password
and libpq reads ``PGPASSFILE`` or ``~/.pgpass`` (``%APPDATA%\\postgresql\\pgpass.conf`` on
Windows) itself. A password is never written to a settings or preferences file.
"""

from __future__ import annotations

from app.db.location import ServerAddress
from app.errors import DatabaseError
from app.i18n import _

KEYRING_SERVICE = "Treffpunkt PostgreSQL"

# Passwords typed in the window for this session only (not saved to the keyring): kept in
# memory until the program ends, by account.
_session_passwords: dict[str, str] = {}


def use_for_session(address: ServerAddress, password: str | None) -> None:
    """Use *password* for *address* until the program ends (None forgets it)."""
    if password is None:
        _session_passwords.pop(address.account, None)
    else:
        _session_passwords[address.account] = password


def password_for(address: ServerAddress) -> str | None:
    """The password to log in with: typed this session, else the keyring's, else None
    (then libpq reads ``.pgpass`` / ``PGPASSFILE`` itself)."""
    typed = _session_passwords.get(address.account)
    return typed if typed is not None else keyring_password(address)


def keyring_password(address: ServerAddress) -> str | None:
    """The stored password, or None (nothing stored, or no usable keyring: libpq decides)."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, address.account)
    except Exception:  # no backend on this system: .pgpass or the server's trust rules
        return None


def store_password(address: ServerAddress, password: str) -> None:
    """Save in the keyring and read it back (a null backend accepts and drops it)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, address.account, password)
        stored = keyring.get_password(KEYRING_SERVICE, address.account)
    except Exception as exc:
        raise DatabaseError(
            _(
                "The system's password store (keyring) is not available ({reason}); put the "
                "password in the .pgpass file instead."
            ).format(reason=type(exc).__name__)
        ) from None
    if stored != password:
        raise DatabaseError(
            _(
                "The system's password store (keyring) did not keep the password; put it in "
                "the .pgpass file instead."
            )
        )
