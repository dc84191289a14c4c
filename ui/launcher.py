"""Console entry point ``treffpunkt``: the command line, or the window when no command is given.

Qt is imported only when the window opens, so command-line use stays fast and works on
machines without a display.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _open_window(database_path: Path | str | None, explicit: bool) -> int:
    _connect_early(database_path, explicit)
    from ui.application import run

    return run(database_path, explicit=explicit)


def _connect_early(database_path: Path | str | None, explicit: bool) -> None:
    """Team mode: connect to the server while Qt loads (``app.db.server_connection``)."""
    from app.preferences import load_preferences
    from ui.opening import plan_start

    plan = plan_start(database_path, explicit=explicit, preferences=load_preferences())
    if plan.server is None:
        return
    from app.db.location import DatabaseLocation
    from app.db.server_connection import connect_early
    from app.errors import TreffpunktError

    try:
        location = DatabaseLocation.parse(plan.server)
    except TreffpunktError:  # the window says what is wrong with the address
        return
    if location.server is not None:
        connect_early(location.server)


def main(argv: list[str] | None = None) -> int:
    from app.cli import main as cli_main

    return cli_main(argv, open_window=_open_window)


if __name__ == "__main__":
    sys.exit(main())
