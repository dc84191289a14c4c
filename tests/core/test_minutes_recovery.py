"""The crash-recovery journal of the minutes' notes."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services.minutes_recovery import (
    clear_recovery,
    pending_recoveries,
    read_recovery,
    recovery_dir,
    recovery_offers,
    recovery_path,
    write_recovery,
)


def test_written_entry_reads_back_and_lives_in_the_user_data_dir(tmp_path: Path) -> None:
    db_path = tmp_path / "a.db"
    path = write_recovery(db_path, 7, 42, 3, "Begrüßung durch **Ayşe**\n- Punkt")
    assert path.parent == recovery_dir()
    entry = read_recovery(path)
    assert entry is not None
    assert (entry.meeting_id, entry.agenda_item_id, entry.base_version) == (7, 42, 3)
    assert entry.text == "Begrüßung durch **Ayşe**\n- Punkt"
    assert entry.db_path == str(db_path.resolve())
    assert entry.written.tzinfo is not None
    assert not list(path.parent.glob("*.tmp"))  # the temporary file was renamed


@pytest.mark.skipif(os.name == "nt", reason="Windows ignores POSIX modes")
def test_journal_is_private(tmp_path: Path) -> None:
    path = write_recovery(tmp_path / "a.db", 1, 2, 1, "geheim", directory=tmp_path / "r")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rewriting_replaces_the_text(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    write_recovery(tmp_path / "a.db", 1, 2, 1, "erst", directory=folder)
    write_recovery(tmp_path / "a.db", 1, 2, 1, "erst und dann", directory=folder)
    [entry] = pending_recoveries(tmp_path / "a.db", 1, directory=folder)
    assert entry.text == "erst und dann"


def test_pending_recoveries_are_per_database_and_meeting(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    early = datetime(2026, 1, 1, tzinfo=UTC)
    late = datetime(2026, 1, 2, tzinfo=UTC)
    write_recovery(tmp_path / "a.db", 1, 20, 1, "zwei", directory=folder, now=late)
    write_recovery(tmp_path / "a.db", 1, 10, 1, "eins", directory=folder, now=early)
    write_recovery(tmp_path / "a.db", 2, 30, 1, "andere Sitzung", directory=folder)
    write_recovery(tmp_path / "b.db", 1, 10, 1, "andere Datenbank", directory=folder)
    found = pending_recoveries(tmp_path / "a.db", 1, directory=folder)
    assert [e.text for e in found] == ["eins", "zwei"]  # oldest first
    assert pending_recoveries(tmp_path / "c.db", 1, directory=folder) == []


def test_clear_only_deletes_the_text_that_was_saved(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    db_path = tmp_path / "a.db"
    write_recovery(db_path, 1, 2, 1, "weiter getippt", directory=folder)
    # A save of an older text finished while the user kept typing: keep the journal.
    assert not clear_recovery(db_path, 2, "weiter", directory=folder)
    assert recovery_path(db_path, 2, folder).exists()
    assert clear_recovery(db_path, 2, "weiter getippt", directory=folder)
    assert not recovery_path(db_path, 2, folder).exists()
    assert not clear_recovery(db_path, 2, directory=folder)  # nothing left: no error


def test_damaged_journal_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    path = recovery_path(tmp_path / "a.db", 5, folder)
    folder.mkdir()
    path.write_text("{ not json", encoding="utf-8")
    assert read_recovery(path) is None
    assert pending_recoveries(tmp_path / "a.db", 1, directory=folder) == []


def test_offers_only_texts_the_database_does_not_hold(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    db_path = tmp_path / "a.db"
    write_recovery(db_path, 1, 10, 4, "gespeichert", directory=folder)
    write_recovery(db_path, 1, 11, 2, "verloren gegangen", directory=folder)
    write_recovery(db_path, 1, 12, 1, "TOP gelöscht", directory=folder)
    entries = pending_recoveries(db_path, 1, directory=folder)
    offers, obsolete = recovery_offers(entries, {10: ("gespeichert", 5), 11: ("alt", 3)})
    assert [o.entry.agenda_item_id for o in offers] == [11]
    assert offers[0].stored_text == "alt"
    assert offers[0].stored_changed_since  # version 3 was saved after the text was typed on 2
    assert [e.agenda_item_id for e in obsolete] == [10]


def test_journal_is_synced_before_and_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal survives a power cut: data synced, renamed, folder synced."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(source: object, target: object) -> None:
        events.append("replace")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    path = write_recovery(tmp_path / "a.db", 1, 2, 1, "Notiz", directory=tmp_path / "r")
    assert events == ["fsync file", "replace", "fsync folder"]
    events.clear()
    assert clear_recovery(tmp_path / "a.db", 2, directory=tmp_path / "r")
    assert not path.exists()
    assert events == ["fsync folder"]


def test_on_windows_a_briefly_held_file_is_replaced_on_a_second_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows: folders cannot be synced (NTFS journals renames), and a virus scanner holding
    the old journal for a moment makes the first rename fail."""
    import sys

    from app import durable

    monkeypatch.setattr(sys, "platform", "win32")
    real_replace = os.replace
    attempts: list[int] = []

    def replace(source: object, target: object) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise PermissionError(13, "used by another process")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(durable.time, "sleep", lambda _seconds: None)
    opened: list[object] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    path = write_recovery(tmp_path / "a.db", 1, 2, 1, "Notiz", directory=tmp_path / "r")
    assert len(attempts) == 2
    assert read_recovery(path) is not None
    assert all(not Path(str(p)).is_dir() for p in opened)  # no folder opened for syncing
