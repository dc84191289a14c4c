"""Preview PDFs full of names do not pile up: private folders, removed when replaced or
closed, at exit, and stale ones at the next start; nothing outside them is ever touched."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app.services import previews


@pytest.fixture(autouse=True)
def fresh_process() -> None:
    """Forget the previews earlier tests made (they live in other private folders)."""
    previews.discard_all()


def make(name: str = "Protokoll 2026-03-12.pdf") -> Path:
    path = previews.new_preview_path(name)
    path.write_bytes("%PDF-1.4 Ayşe Yılmaz".encode())
    return path


def test_a_preview_lives_in_a_private_folder_of_its_own() -> None:
    first, second = make(), make()
    assert first.parent != second.parent
    assert first.parent.parent == previews.previews_dir()
    if sys.platform != "win32":
        assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert make("con .pdf").name.startswith("_")  # a safe name on Windows too


def test_discard_one_and_all() -> None:
    first, second, third = make(), make(), make()
    assert previews.discard(first)
    assert not first.parent.exists()
    assert previews.discard_all() == 2
    assert not second.exists()
    assert not third.exists()
    assert list(previews.previews_dir().iterdir()) == []


def test_discard_never_deletes_what_is_not_a_preview(tmp_path: Path) -> None:
    other = tmp_path / "brief.pdf"
    other.write_bytes(b"%PDF")
    assert not previews.discard(other)
    assert other.exists()


def test_stale_previews_go_at_start_young_ones_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, young = make(), make()
    long_ago = time.time() - 3 * 3600
    os.utime(old.parent, (long_ago, long_ago))
    # An earlier version wrote previews into the system's temporary folder.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    legacy = tmp_path / "treffpunkt-abc123"
    legacy.mkdir()
    (legacy / "Protokoll 2025-11-17.pdf").write_bytes(b"%PDF")
    os.utime(legacy, (long_ago, long_ago))
    unrelated = tmp_path / "treffpunkt-build"
    unrelated.mkdir()
    (unrelated / "notes.txt").write_text("keep me")
    os.utime(unrelated, (long_ago, long_ago))

    assert previews.remove_stale() == 2
    assert not old.parent.exists()
    assert not legacy.exists()
    assert young.exists()  # perhaps another running Treffpunkt's
    assert unrelated.exists()


def test_a_preview_held_open_is_left_for_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to delete a file a viewer has open: no error, removed later."""
    import shutil

    path = make()

    def refuse(_folder: object) -> None:
        raise PermissionError(13, "used by another process")

    monkeypatch.setattr(shutil, "rmtree", refuse)
    assert not previews.discard(path)
    assert previews.discard_all() == 0
    monkeypatch.undo()
    assert previews.discard_all() == 1
    assert not path.exists()
