"""The connection test of the mail settings: TLS verified, login, QUIT, nothing sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from app.mail.connection import check_smtp_connection
from app.mail.errors import LoginRefusedError, TlsError, TransportError
from app.services.mail_settings import SmtpSecurity
from tests.helpers.mail import Certificates, LocalController, Recorder, SmtpServer


@dataclass
class QuitRecorder(Recorder):
    quits: int = 0
    commands: list[str] = field(default_factory=list)

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quits += 1
        return "221 Bye"


def start(certificates: Certificates) -> SmtpServer:
    handler = QuitRecorder()
    controller = LocalController(
        handler,
        hostname="127.0.0.1",
        port=0,
        tls_context=certificates.server_context(),
        require_starttls=True,
        authenticator=handler.authenticate,
    )
    controller.start()
    return SmtpServer(controller, handler)


def test_login_over_verified_starttls_then_quit_without_sending(
    certificates: Certificates,
) -> None:
    server = start(certificates)
    try:
        settings = server.settings(security=SmtpSecurity.STARTTLS, username="anna")
        text = check_smtp_connection(
            settings, "geheim-123", ssl_context=certificates.trusting_client_context()
        )
        handler = server.handler
        assert isinstance(handler, QuitRecorder)
        assert str(server.port) in text
        assert handler.logins == [("anna", "geheim-123")]
        assert handler.quits == 1
        assert handler.messages == []
        with pytest.raises(LoginRefusedError, match="anna"):
            check_smtp_connection(
                settings, "falsch", ssl_context=certificates.trusting_client_context()
            )
        assert ("anna", "falsch") in handler.logins
        # Without trusting the test CA the certificate is refused before any password is sent.
        logins = list(handler.logins)
        with pytest.raises(TlsError):
            check_smtp_connection(settings, "geheim-123")
        assert handler.logins == logins
        assert handler.messages == []
    finally:
        server.controller.stop()


def test_an_unreachable_server_says_so() -> None:
    from app.services.mail_settings import SmtpSettings

    with pytest.raises(TransportError):
        check_smtp_connection(
            SmtpSettings(host="127.0.0.1", port=1, security=SmtpSecurity.NONE, timeout_seconds=2),
            None,
        )
