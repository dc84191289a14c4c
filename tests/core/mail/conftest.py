"""Fixtures for the mail core: a real local SMTP server (aiosmtpd), TLS certificates made on the
fly, an in-memory keyring and a small network with one meeting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.db import Database
from tests.helpers.mail import (
    BrokenKeyring,
    Certificates,
    DroppingKeyring,
    MemoryKeyring,
    Network,
    SmtpServer,
    make_certificates,
    make_network,
    start_server,
)

# -- SMTP server ------------------------------------------------------------------------------


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = start_server()
    yield server
    server.controller.stop()


@pytest.fixture
def server_factory() -> Iterator[Callable[..., SmtpServer]]:
    started: list[SmtpServer] = []

    def make(**kwargs: Any) -> SmtpServer:
        server = start_server(**kwargs)
        started.append(server)
        return server

    yield make
    for server in started:
        server.controller.stop()


# -- certificates -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


# -- keyring ----------------------------------------------------------------------------------


@pytest.fixture
def use_keyring() -> Iterator[Callable[[KeyringBackend], KeyringBackend]]:
    previous = keyring.get_keyring()

    def use(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(use_keyring: Callable[[KeyringBackend], KeyringBackend]) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend


# -- a network with one meeting ---------------------------------------------------------------


@pytest.fixture
def network(db: Database) -> Network:
    return make_network(db)


@pytest.fixture
def dropping_keyring(use_keyring: Callable[[KeyringBackend], KeyringBackend]) -> KeyringBackend:
    return use_keyring(DroppingKeyring())


@pytest.fixture
def broken_keyring(use_keyring: Callable[[KeyringBackend], KeyringBackend]) -> KeyringBackend:
    return use_keyring(BrokenKeyring())


@pytest.fixture
def network_factory(db: Database) -> Callable[..., Network]:
    return lambda **kwargs: make_network(db, **kwargs)
