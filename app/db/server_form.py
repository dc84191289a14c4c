"""The fields of the window's "Connect to server" form and the server address they make.

The window reads the fields, ``server_address`` checks them and builds the ``ServerAddress``
(no password: that goes to ``app.db.server_password``); ``form_of`` fills the form again
from the address remembered in the preferences (``Preferences.last_server``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db.location import DEFAULT_PORT, ServerAddress, parse_server_url
from app.errors import InvalidDatabaseLocation
from app.i18n import N_, _

# libpq's TLS modes, safest last; "prefer" is libpq's own default.
SSL_MODES: tuple[tuple[str, str], ...] = (
    ("prefer", N_("Encrypt if the server offers it (prefer)")),
    ("require", N_("Always encrypt (require)")),
    ("verify-full", N_("Encrypt and verify the server's certificate (verify-full)")),
    ("disable", N_("Do not encrypt (disable)")),
)


@dataclass(frozen=True, slots=True)
class ServerForm:
    host: str = ""
    port: int = DEFAULT_PORT
    dbname: str = ""
    user: str = ""
    sslmode: str = "prefer"


def server_address(form: ServerForm) -> ServerAddress:
    """The address the form names; ``InvalidDatabaseLocation`` (one sentence) if a field is
    missing or unusable."""
    missing = [
        label
        for label, value in (
            (_("server"), form.host),
            (_("database"), form.dbname),
            (_("user name"), form.user),
        )
        if not value.strip()
    ]
    if missing:
        raise InvalidDatabaseLocation(
            _("Please fill in: {fields}.").format(fields=", ".join(missing))
        )
    if any(char in form.host for char in "/?#@ ") or not 0 < form.port < 65536:
        raise InvalidDatabaseLocation(
            _("„{host}“ is not a server name or address.").format(host=form.host)
        )
    if form.sslmode not in {mode for mode, _label in SSL_MODES}:
        raise InvalidDatabaseLocation(
            _("Unknown encryption setting „{mode}“.").format(mode=form.sslmode)
        )
    parameters = () if form.sslmode == "prefer" else (("sslmode", form.sslmode),)
    return ServerAddress(
        user=form.user.strip(),
        host=form.host.strip(),
        port=form.port,
        dbname=form.dbname.strip(),
        parameters=parameters,
    )


def form_of(url: str | None) -> ServerForm | None:
    """The form for a remembered server URL, or None (nothing remembered, or unreadable)."""
    if not url:
        return None
    try:
        address = parse_server_url(url)
    except InvalidDatabaseLocation:
        return None
    parameters = dict(address.parameters)
    sslmode = parameters.get("sslmode", "prefer")
    return ServerForm(
        host=address.host,
        port=address.port,
        dbname=address.dbname,
        user=address.user,
        sslmode=sslmode if sslmode in {mode for mode, _label in SSL_MODES} else "prefer",
    )
