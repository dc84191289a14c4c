"""The password of a server database: typed this session, in libpq's ``.pgpass``, or in the
OS keyring.

Keyring service "Treffpunkt PostgreSQL", account ``user@host:port/dbname``. The first login
of a session goes as psql's does: with a password typed this session if there is one, else
without one, so libpq reads ``PGPASSFILE`` or ``~/.pgpass`` (``%APPDATA%\\postgresql\\pgpass.conf``
on Windows) or the server needs none (trust, GSSAPI/SSPI, certificates); only when the server
asks for a password libpq did not have (or refuses the one from ``.pgpass``) does the keyring
(tens of milliseconds to start) give its password (``app.db.server_connection``). Later
connections of the session log in the way the first one did. A password is never written to
a settings or preferences file.
"""

from __future__ import annotations

from app.db.location import ServerAddress
from app.errors import DatabaseError
from app.i18n import _

KEYRING_SERVICE = "Treffpunkt PostgreSQL"

# Passwords typed in the window for this session only (not saved to the keyring): kept in
# memory until the program ends, by account.
_session_passwords: dict[str, str] = {}
# How each account's first login of the session went: True with the keyring's password,
# False without a password from Treffpunkt (libpq's .pgpass or the server's own rules).
_logins: dict[str, bool] = {}


def use_for_session(address: ServerAddress, password: str | None) -> None:
    """Use *password* for *address* until the program ends (None forgets it); the next
    connection decides anew how to log in."""
    _logins.pop(address.account, None)
    if password is None:
        _session_passwords.pop(address.account, None)
    else:
        _session_passwords[address.account] = password


def session_password(address: ServerAddress) -> str | None:
    """The password typed for *address* this session, or None."""
    return _session_passwords.get(address.account)


def note_login(address: ServerAddress, *, with_keyring: bool) -> None:
    """Remember how *address* logged in, for the session's later connections."""
    _logins[address.account] = with_keyring


def login_known(address: ServerAddress) -> bool:
    return address.account in _logins


def password_for(address: ServerAddress) -> str | None:
    """The password to log in with: typed this session; else None when the first login
    needed none from Treffpunkt (then libpq reads ``.pgpass`` / ``PGPASSFILE``); else the
    keyring's."""
    typed = _session_passwords.get(address.account)
    if typed is not None:
        return typed
    if _logins.get(address.account) is False:
        return None
    return keyring_password(address)


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
