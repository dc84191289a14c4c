"""Shared fixtures. Qt runs offscreen; every test gets private user folders and a fresh DB."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import i18n
from app.db import Database


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep tests away from the developer's real data, config and backups."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("TREFFPUNKT_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def german(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests run on a German system in German, the users' language, unless they switch."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    i18n.set_language("de")
    yield
    i18n.set_language("de")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "treffpunkt.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database.create(db_path)
    yield database
    database.close()
