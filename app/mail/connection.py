"""The connection test of the mail settings: connect, encrypt, log in, say goodbye.

Nothing is sent: the transport opens (EHLO, STARTTLS or SSL with the certificate verified,
LOGIN when a user name is set) and closes with QUIT. Runs on a worker thread (it waits for
the network); raises ``MailError`` with one sentence when something fails.
"""

from __future__ import annotations

import ssl

from app.i18n import _
from app.mail.transports import SmtpTransport
from app.services.mail_settings import SmtpSettings


def check_smtp_connection(
    settings: SmtpSettings, password: str | None, *, ssl_context: ssl.SSLContext | None = None
) -> str:
    """Try the server of *settings*; returns the sentence to show when it works."""
    checked = settings.validated()
    with SmtpTransport(checked, password, ssl_context=ssl_context):
        pass
    if checked.username:
        return _("The connection to {host}:{port} works and the login was accepted.").format(
            host=checked.host, port=checked.port
        )
    return _("The connection to {host}:{port} works.").format(host=checked.host, port=checked.port)
