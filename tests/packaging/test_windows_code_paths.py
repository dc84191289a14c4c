"""What runs only on Windows, run on Linux: the folders, the pid checks, the console of the
windowed Treffpunkt.exe, the executables' version resource and the installer's folders.

These machines have no Windows; the Windows CI workflow (.github/workflows/windows.yml) runs
the real thing. Here the Windows APIs are replaced by fakes that answer as Windows documents.
"""

from __future__ import annotations

import io
import re
import sys
import types
from pathlib import PureWindowsPath
from typing import Any

import platformdirs
import platformdirs.windows
import pytest

from app import __version__, paths
from app.db import lock
from tests.packaging.helpers import ROOT, load_script

LOCAL = r"C:\Users\anna\AppData\Local"
ROAMING = r"C:\Users\anna\AppData\Roaming"


@pytest.fixture
def windows_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs as on Windows: its Windows class, known folders of user "anna"."""
    folders = {"CSIDL_LOCAL_APPDATA": LOCAL, "CSIDL_APPDATA": ROAMING}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: folders[csidl])
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)


def test_data_and_config_folders_on_windows(windows_folders: None) -> None:
    assert PureWindowsPath(paths.user_data_dir()) == PureWindowsPath(
        LOCAL, "Treffpunkt", "Treffpunkt"
    )
    assert PureWindowsPath(paths.default_database_path()) == PureWindowsPath(
        LOCAL, "Treffpunkt", "Treffpunkt", "treffpunkt.db"
    )
    assert PureWindowsPath(paths.user_config_dir()) == PureWindowsPath(
        ROAMING, "Treffpunkt", "Treffpunkt"
    )


def test_installer_puts_the_program_apart_from_the_data_and_keeps_the_data(
    windows_folders: None,
) -> None:
    script = (ROOT / "packaging" / "windows" / "treffpunkt.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", script, re.MULTILINE)
    assert re.search(r"^DefaultDirName=\{localappdata\}\\Programs\\Treffpunkt$", script, re.M)
    program = PureWindowsPath(LOCAL, "Programs", "Treffpunkt")
    data = PureWindowsPath(paths.user_data_dir())
    assert not data.is_relative_to(program)
    assert not program.is_relative_to(data)
    # Nothing deletes beyond the installed files: no [UninstallDelete] of the data folders.
    uninstall_delete = re.findall(r"^\[UninstallDelete\][^\[]*", script, re.MULTILINE)
    assert not any("localappdata}\\Treffpunkt" in part for part in uninstall_delete)
    assert not any("{userappdata}" in part for part in uninstall_delete)
    assert "treffpunkt-cli.exe" in script
    assert "Treffpunkt.exe" in script


# -- pid checks of the database lock (app/db/lock.py) ----------------------------------------


class FakeKernel32:
    """OpenProcess has happened; GetExitCodeProcess/GetProcessTimes answer for one process."""

    def __init__(self, exit_code: int = 259, created: int = 0) -> None:
        self.exit_code = exit_code
        self.created = created
        self.closed: list[object] = []

    def GetExitCodeProcess(self, handle: object, code: Any) -> int:
        code._obj.value = self.exit_code
        return 1

    def GetProcessTimes(self, handle: object, *times: Any) -> int:
        times[0]._obj.dwHighDateTime = self.created >> 32
        times[0]._obj.dwLowDateTime = self.created & 0xFFFFFFFF
        return 1

    def CloseHandle(self, handle: object) -> int:
        self.closed.append(handle)
        return 1


@pytest.mark.parametrize(
    ("handle", "error", "exit_code", "alive"),
    [
        (7, 0, 259, True),  # STILL_ACTIVE
        (7, 0, 0, False),  # ended with exit code 0, handle still open somewhere
        (None, 5, 0, True),  # ERROR_ACCESS_DENIED: another user's process
        (None, 87, 0, False),  # ERROR_INVALID_PARAMETER: no such process
    ],
)
def test_windows_pid_alive(
    monkeypatch: pytest.MonkeyPatch, handle: int | None, error: int, exit_code: int, alive: bool
) -> None:
    kernel32 = FakeKernel32(exit_code=exit_code)
    monkeypatch.setattr(lock, "_windows_handle", lambda pid: (kernel32, handle, error))
    monkeypatch.setattr(sys, "platform", "win32")
    assert lock.pid_alive(4321) is alive
    assert kernel32.closed == ([handle] if handle else [])


def test_windows_process_start_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    kernel32 = FakeKernel32(created=0x01DB_1234_5678_9ABC)
    monkeypatch.setattr(lock, "_windows_handle", lambda pid: (kernel32, 7, 0))
    monkeypatch.setattr(sys, "platform", "win32")
    assert lock.process_start_marker(4321) == f"win:{0x01DB_1234_5678_9ABC}"
    monkeypatch.setattr(lock, "_windows_handle", lambda pid: (kernel32, None, 87))
    assert lock.process_start_marker(4321) is None


# -- the windowed Treffpunkt.exe given a command (packaging/bundle_entry.py) -----------------

bundle_entry = load_script("packaging/bundle_entry.py")


class Opened(io.StringIO):
    def __init__(self, name: str, mode: str) -> None:
        super().__init__()
        self.name = name
        self.mode = mode


def windowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard streams as a GUI-subsystem program has them: none. (Called in the test body:
    pytest's output capture sets sys.stdout again between fixtures and the test.)"""
    for stream in ("stdout", "stderr", "stdin"):
        monkeypatch.setattr(sys, stream, None)


def test_windowed_exe_writes_to_the_console_it_was_started_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    windowed(monkeypatch)
    attached = bundle_entry.connect_missing_streams(attach=lambda: True, open_console=Opened)
    assert attached == "console"
    assert (sys.stdout.name, sys.stdout.mode) == ("CONOUT$", "w")
    assert (sys.stderr.name, sys.stderr.mode) == ("CONOUT$", "w")
    assert (sys.stdin.name, sys.stdin.mode) == ("CONIN$", "r")


def test_windowed_exe_without_a_console_drops_output_but_never_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    windowed(monkeypatch)
    assert bundle_entry.connect_missing_streams(attach=lambda: False, open_console=Opened) == (
        "devnull"
    )
    print("no crash")  # would raise AttributeError on None
    assert sys.stdout.getvalue() == "no crash\n"
    assert sys.stdin.read() == ""


def test_console_program_keeps_its_streams() -> None:
    before = sys.stdout

    def attach() -> bool:
        raise AssertionError("must not attach")

    assert bundle_entry.connect_missing_streams(attach=attach, open_console=Opened) == "unchanged"
    assert sys.stdout is before


def test_attach_asks_for_the_parent_console() -> None:
    calls: list[int] = []
    kernel32 = types.SimpleNamespace(AttachConsole=lambda which: calls.append(which) or 1)
    assert bundle_entry._attach_parent_console(kernel32) is True
    assert calls == [-1]  # ATTACH_PARENT_PROCESS


# -- the version resource of the .exe files (packaging/windows/version_info.py) -------------


def test_version_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyInstaller's version structures import two Windows-only helpers they do not need here.
    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    import PyInstaller.compat

    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    version_info = load_script("packaging/windows/version_info.py")
    assert version_info.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert version_info.numeric_version("1.2.3rc1+local") == (1, 2, 3, 0)
    resource = version_info.version_info(__version__, executable="Treffpunkt")
    text = str(resource)
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "StringStruct('OriginalFilename', 'Treffpunkt.exe')" in text
    assert len(resource.toRaw()) > 200
