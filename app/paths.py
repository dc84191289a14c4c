"""Where Treffpunkt keeps its files on this computer (Windows, macOS, Linux alike)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Treffpunkt"
APP_AUTHOR = "Treffpunkt"
DB_ENV_VAR = "TREFFPUNKT_DB"
# resources/icons/treffpunkt-SIZE.png, rendered from treffpunkt.svg by scripts/render_icons.py.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

_APP_DIR = Path(__file__).resolve().parent
# Installed (wheel, PyInstaller bundle): setup.py packs the repository's top-level resources/
# as app/_resources. A checkout or an editable install reads resources/ itself.
_RESOURCE_CANDIDATES = (_APP_DIR / "_resources", _APP_DIR.parent / "resources")


class ResourcesMissing(RuntimeError):
    """A file that every installation ships is not there: the installation is incomplete."""


def _find_resources_dir() -> Path:
    for candidate in _RESOURCE_CANDIDATES:
        if candidate.is_dir():
            return candidate
    return _RESOURCE_CANDIDATES[-1]  # resource_path() names the missing file


RESOURCES_DIR = _find_resources_dir()


def user_data_dir() -> Path:
    """The per-user data folder.

    ``%LOCALAPPDATA%\\Treffpunkt\\Treffpunkt`` on Windows, ``~/.local/share/Treffpunkt`` on Linux.
    """
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def user_log_dir() -> Path:
    """The per-user log folder (``app.log_file``): ``%LOCALAPPDATA%\\Treffpunkt\\Treffpunkt\\Logs``
    on Windows, ``~/.local/state/Treffpunkt/log`` on Linux."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=True))


def default_database_path() -> Path:
    return user_data_dir() / "treffpunkt.db"


SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(text: str) -> bool:
    """``postgresql://…``: a server database (team mode), not a file path. Cheap: the window
    decides with it before SQLAlchemy is loaded."""
    scheme, separator, _rest = text.partition("://")
    return bool(separator) and scheme.lower() in SERVER_SCHEMES


def database_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """``--db`` wins over ``TREFFPUNKT_DB``, which wins over the default in the user data dir."""
    if cli_value:
        return Path(cli_value).expanduser()
    env_value = os.environ.get(DB_ENV_VAR)
    if env_value:
        return Path(env_value).expanduser()
    return default_database_path()


def resource_path(*parts: str) -> Path:
    """A shipped file, e.g. ``resource_path("icons", "treffpunkt-256.png")``.

    Raises ``ResourcesMissing`` naming the file when it is not there, rather than letting a
    font or image loader fail later with its own, less helpful error.
    """
    path = RESOURCES_DIR.joinpath(*parts)
    if not path.exists():
        raise ResourcesMissing(f"Treffpunkt is incompletely installed: {path} is missing")
    return path


def icon_paths() -> dict[int, Path]:
    """The application icon's PNG files by pixel size."""
    return {size: resource_path("icons", f"treffpunkt-{size}.png") for size in ICON_SIZES}


def font_path(name: str) -> Path:
    return resource_path("fonts", name)


def manual_dir() -> Path:
    """The user guide built from ``docs/handbuch`` (``scripts/build_manual.py``)."""
    return resource_path("manual")
