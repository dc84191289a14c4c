"""The application icon (rendered PNGs, .ico), the window icon and the Linux desktop entry."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from app.paths import ICON_SIZES, icon_paths, resource_path
from tests.packaging.helpers import ROOT

DESKTOP_FILE = ROOT / "packaging" / "linux" / "treffpunkt.desktop"


def test_every_png_size_is_rendered_at_its_size() -> None:
    for size, path in icon_paths().items():
        with Image.open(path) as image:
            assert image.size == (size, size), path
            assert image.mode == "RGBA"
            # Drawn, not empty: the centre spot is opaque, the rounded corners transparent.
            assert image.getpixel((size // 2, size // 2))[3] == 255
            assert image.getpixel((0, 0))[3] < 128


def test_windows_icon_holds_every_size() -> None:
    with Image.open(resource_path("icons", "treffpunkt.ico")) as ico:
        assert set(ico.info["sizes"]) == {(size, size) for size in ICON_SIZES}


def test_svg_sources_are_shipped() -> None:
    assert resource_path("icons", "treffpunkt.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert resource_path("icons", "treffpunkt-small.svg").is_file()


def test_window_icon(qapp: object) -> None:
    from ui.application import application_icon

    icon = application_icon()
    assert not icon.isNull()
    assert sorted(size.width() for size in icon.availableSizes()) == sorted(ICON_SIZES)


def test_desktop_entry_fields() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP_FILE, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "treffpunkt"
    assert section["Icon"] == "treffpunkt"  # the name install-desktop-entry.sh installs under
    assert "Office" in section["Categories"].split(";")


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_desktop_entry_installs_and_validates(tmp_path: Path) -> None:
    program = tmp_path / "Mein Ordner" / "treffpunkt"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    script = ROOT / "packaging" / "linux" / "install-desktop-entry.sh"
    subprocess.run(["bash", str(script), str(program)], env=env, check=True, capture_output=True)
    installed = tmp_path / ".local" / "share" / "applications" / "treffpunkt.desktop"
    assert f'Exec="{program}"' in installed.read_text(encoding="utf-8")
    subprocess.run(["desktop-file-validate", str(installed)], check=True)
    for size in ICON_SIZES:
        assert (
            tmp_path / f".local/share/icons/hicolor/{size}x{size}/apps/treffpunkt.png"
        ).is_file()
    subprocess.run(["bash", str(script), "--uninstall"], env=env, check=True, capture_output=True)
    assert not installed.exists()
