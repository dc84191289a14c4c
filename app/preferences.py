"""Per-user preferences (not per database): UI language, the database last opened, the name
in the change records.

Stored as JSON in the user config folder; written atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app import paths


@dataclass
class Preferences:
    language: str = "system"  # "system", "de" or "en"
    last_database: str | None = None
    recent_databases: list[str] = field(default_factory=list)
    # The name written into ``changed_by`` of the rows this user changes (team mode); None:
    # the operating system's login name. Per user, not per database: on a shared server
    # database every colleague has their own.
    user_name: str | None = None
    # Team mode: the server database last connected to (its URL, never a password), to fill
    # the connect form; ``start_with_server``: it was the last database opened.
    last_server: str | None = None
    start_with_server: bool = False

    def remember_database(self, path: Path) -> None:
        text = str(Path(path).resolve())
        self.last_database = text
        self.recent_databases = [text, *(p for p in self.recent_databases if p != text)][:8]
        self.start_with_server = False

    def remember_server(self, url: str) -> None:
        self.last_server = url
        self.start_with_server = True


def preferences_path() -> Path:
    return paths.user_config_dir() / "preferences.json"


def load_preferences(path: Path | None = None) -> Preferences:
    path = path or preferences_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(raw, dict):
        return Preferences()
    known = {key: raw[key] for key in Preferences.__dataclass_fields__ if key in raw}
    try:
        return Preferences(**known)
    except TypeError:
        return Preferences()


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    path = path or preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".preferences-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(preferences), handle, ensure_ascii=False, indent=2)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
