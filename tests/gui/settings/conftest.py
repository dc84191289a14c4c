"""Fixtures for the settings dialog and the set-up assistant: a runner, an in-memory keyring,
and a local SMTP server with STARTTLS and login whose test CA the system trusts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from tests.core.mail.conftest import (
    Certificates,
    LocalController,
    MemoryKeyring,
    Recorder,
    SmtpServer,
    certificates,  # noqa: F401 - a session fixture shared with the mail core tests
)
from ui.tasks import TaskRunner

WAIT_MS = 15_000


def click_option(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a radio button or check box on its indicator (its middle may be empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def type_text(widget: QWidget, text: str) -> None:
    """Key events carrying the text, as a keyboard sends them (``qtbot.keyClicks`` aborts on
    "ü" and "ß")."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


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


@dataclass
class QuitRecorder(Recorder):
    """Also records each QUIT: the connection test must say goodbye properly."""

    quits: list[str] = field(default_factory=list)

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quits.append(session.peer[0])
        return "221 Bye"


@pytest.fixture
def tls_server(
    certificates: Certificates,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[SmtpServer]:
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
