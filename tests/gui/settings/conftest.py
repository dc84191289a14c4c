"""Fixtures for the settings dialog and the set-up assistant: a runner, an in-memory keyring,
and a local SMTP server with STARTTLS and login whose test CA the system trusts."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from app.db import Database
from tests.helpers.mail import (
    Certificates,
    LocalController,
    MemoryKeyring,
    SmtpServer,
    make_certificates,
)
from tests.helpers.settings_window import QuitRecorder
from ui.tasks import TaskRunner


@pytest.fixture
def runner(network_db: Database) -> Iterator[TaskRunner]:
    """Set up after the database, so it is shut down (tasks finished) before that closes."""
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_server(certificates: Certificates, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """STARTTLS required, login anna / geheim-123; its CA is trusted like a real one would be
    (``SSL_CERT_FILE``), so the program's own default TLS context verifies it."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
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
    yield SmtpServer(controller, handler)
    controller.stop()
