"""Crash-recovery journal for the minutes' notes (no Qt, no database).

Autosave stores the notes a moment after the minute-taker stops typing; a crash in that moment
would lose what was typed last. So the window also writes the unsaved text of a TOP at once,
on every change, to a small JSON file in ``user_data_dir()/recovery/`` and deletes it when the
save succeeded. When the minutes of a meeting are opened and such a file is left over whose
text differs from the stored notes, the window offers to restore it.

One file per database and TOP: ``<hash of the database path>-<agenda item id>.json``, written
atomically and durably (temporary file, fsync, ``os.replace``, fsync of the folder:
``app.durable``), so it survives a power cut or a crash of the operating system too, not
only a crash of the program; readable only by its owner (0600; Windows ignores the mode, the
user profile is private). A small file's fsync takes a millisecond or two on today's disks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.durable import fsync_directory, replace_durably
from app.paths import user_data_dir

FORMAT = 1
_SUFFIX = ".json"


@dataclass(frozen=True, slots=True)
class RecoveryEntry:
    """Unsaved notes of one TOP as the journal keeps them."""

    db_path: str  # resolved path of the database file
    meeting_id: int
    agenda_item_id: int
    base_version: int  # the notes' version the text was typed on
    text: str
    written_at: str  # ISO 8601, UTC

    @property
    def written(self) -> datetime:
        return datetime.fromisoformat(self.written_at)


def recovery_dir() -> Path:
    return user_data_dir() / "recovery"


def _db_key(db_path: Path | str) -> str:
    resolved = str(Path(db_path).resolve())
    # Windows paths compare without case; a different spelling must find the same journal.
    if os.name == "nt":
        resolved = resolved.casefold()
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:20]


def recovery_path(db_path: Path | str, agenda_item_id: int, directory: Path | None = None) -> Path:
    folder = directory or recovery_dir()
    return folder / f"{_db_key(db_path)}-{int(agenda_item_id)}{_SUFFIX}"


def write_recovery(
    db_path: Path | str,
    meeting_id: int,
    agenda_item_id: int,
    base_version: int,
    text: str,
    *,
    directory: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Journal the unsaved *text* of a TOP (atomic replace, mode 0600); returns the file."""
    target = recovery_path(db_path, agenda_item_id, directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    entry = RecoveryEntry(
        db_path=str(Path(db_path).resolve()),
        meeting_id=int(meeting_id),
        agenda_item_id=int(agenda_item_id),
        base_version=int(base_version),
        text=text,
        written_at=(now or datetime.now(UTC)).isoformat(),
    )
    payload = json.dumps({"format": FORMAT, **asdict(entry)}, ensure_ascii=False).encode("utf-8")
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    flags = os.O_CREAT | os.O_TRUNC | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        replace_durably(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return target


def read_recovery(path: Path) -> RecoveryEntry | None:
    """The entry in *path*, or None when it is missing or unreadable (never raises)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return RecoveryEntry(
            db_path=str(raw["db_path"]),
            meeting_id=int(raw["meeting_id"]),
            agenda_item_id=int(raw["agenda_item_id"]),
            base_version=int(raw["base_version"]),
            text=str(raw["text"]),
            written_at=str(raw["written_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear_recovery(
    db_path: Path | str,
    agenda_item_id: int,
    saved_text: str | None = None,
    *,
    directory: Path | None = None,
) -> bool:
    """Delete the journal of a TOP after a successful save; True if a file was deleted.

    With *saved_text*, only when the journal still holds exactly that text: a save that was
    on its way while the user kept typing must not delete the newer text's journal.
    """
    path = recovery_path(db_path, agenda_item_id, directory)
    if saved_text is not None:
        entry = read_recovery(path)
        if entry is None or entry.text != saved_text:
            return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    with contextlib.suppress(OSError):  # the deletion is an optimisation; no error for it
        fsync_directory(path.parent)
    return True


def pending_recoveries(
    db_path: Path | str, meeting_id: int, *, directory: Path | None = None
) -> list[RecoveryEntry]:
    """Journal entries of one meeting in one database, oldest first."""
    folder = directory or recovery_dir()
    prefix = f"{_db_key(db_path)}-"
    entries = []
    try:
        candidates = sorted(folder.glob(f"{prefix}*{_SUFFIX}"))
    except OSError:
        return []
    for path in candidates:
        entry = read_recovery(path)
        if entry is not None and entry.meeting_id == meeting_id:
            entries.append(entry)
    entries.sort(key=lambda e: e.written_at)
    return entries


@dataclass(frozen=True, slots=True)
class RecoveryOffer:
    """A journal entry whose text the stored notes do not hold: offer it to the user."""

    entry: RecoveryEntry
    stored_text: str
    stored_version: int

    @property
    def stored_changed_since(self) -> bool:
        """The stored notes were saved after the journalled text was typed on them."""
        return self.stored_version != self.entry.base_version


def recovery_offers(
    entries: list[RecoveryEntry], stored: dict[int, tuple[str, int]]
) -> tuple[list[RecoveryOffer], list[RecoveryEntry]]:
    """Split journal entries into offers and entries with nothing to recover.

    *stored*: agenda item id → (stored notes, version). An entry whose text equals the stored
    notes was saved after all (the program stopped before deleting the journal): nothing to
    offer. An entry for a TOP that no longer exists is neither offered nor discarded.
    """
    offers: list[RecoveryOffer] = []
    obsolete: list[RecoveryEntry] = []
    for entry in entries:
        current = stored.get(entry.agenda_item_id)
        if current is None:
            continue
        text, version = current
        if text == entry.text:
            obsolete.append(entry)
        else:
            offers.append(RecoveryOffer(entry, text, version))
    return offers, obsolete
