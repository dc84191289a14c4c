"""Entry point of the PyInstaller bundle (``packaging/treffpunkt.spec``).

The same script starts every executable of the bundle: ``treffpunkt`` on Linux and macOS, and
on Windows both ``Treffpunkt.exe`` (windowed: no console window pops up beside the program)
and ``treffpunkt-cli.exe`` (a console program for the command line: it waits, prints and sets
``%ERRORLEVEL%``). A windowed program has no standard output at all (``sys.stdout is None``),
so when ``Treffpunkt.exe`` is given a command anyway, its output goes to the console of the
program that started it, if there is one, and is dropped otherwise; the exit code is kept.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

ATTACH_PARENT_PROCESS = -1  # AttachConsole(): the console of the process that started us


def _attach_parent_console(kernel32: Any) -> bool:
    """Attach to the parent's console (Windows); False when there is none (Explorer, a link)."""
    return bool(kernel32.AttachConsole(ATTACH_PARENT_PROCESS))


def connect_missing_streams(
    *,
    attach: Callable[[], bool],
    open_console: Callable[[str, str], TextIO],
) -> str:
    """Give a windowed program standard streams: the parent's console, or nowhere.

    Returns ``"console"``, ``"devnull"`` or ``"unchanged"`` (the streams were there already:
    a console program, or Linux). ``print()`` never fails either way, and argparse's usage
    messages and Python's own error reports reach the user when she typed the command.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return "unchanged"
    output, input_ = ("CONOUT$", "CONIN$") if attach() else (os.devnull, os.devnull)
    sys.stdout = open_console(output, "w")
    sys.stderr = open_console(output, "w")
    if sys.stdin is None:
        sys.stdin = open_console(input_, "r")
    return "console" if output == "CONOUT$" else "devnull"


def _open_text(name: str, mode: str) -> TextIO:
    # Line-buffered, so output and the prompt of cmd.exe do not come out of order. The streams
    # live as long as the process.
    return open(name, mode, encoding="utf-8", errors="replace", buffering=1)


def main() -> int:
    if sys.platform == "win32":
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        connect_missing_streams(
            attach=lambda: _attach_parent_console(kernel32), open_console=_open_text
        )
    from ui.launcher import main as launcher_main

    return launcher_main()


if __name__ == "__main__":
    sys.exit(main())
