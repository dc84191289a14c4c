"""Console entry point ``treffpunkt``: the command line, or the window when no command is given.

Qt is imported only when the window opens, so command-line use stays fast and works on
machines without a display.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _open_window(database_path: Path | str | None, explicit: bool) -> int:
    from ui.application import run

    return run(database_path, explicit=explicit)


def main(argv: list[str] | None = None) -> int:
    from app.cli import main as cli_main

    return cli_main(argv, open_window=_open_window)


if __name__ == "__main__":
    sys.exit(main())
