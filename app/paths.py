"""Where Treffpunkt keeps its files on this computer (Windows, macOS, Linux alike)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Treffpunkt"
APP_AUTHOR = "Treffpunkt"
DB_ENV_VAR = "TREFFPUNKT_DB"
RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    """The per-user data folder.

    ``%LOCALAPPDATA%\\Treffpunkt\\Treffpunkt`` on Windows, ``~/.local/share/Treffpunkt`` on Linux.
    """
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=True))


def default_database_path() -> Path:
    return user_data_dir() / "treffpunkt.db"


def database_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """``--db`` wins over ``TREFFPUNKT_DB``, which wins over the default in the user data dir."""
    if cli_value:
        return Path(cli_value).expanduser()
    env_value = os.environ.get(DB_ENV_VAR)
    if env_value:
        return Path(env_value).expanduser()
    return default_database_path()


def font_path(name: str) -> Path:
    return RESOURCES_DIR / "fonts" / name


def manual_dir() -> Path:
    """The user guide built from ``docs/handbuch`` (``scripts/build_manual.py``)."""
    return RESOURCES_DIR / "manual"
