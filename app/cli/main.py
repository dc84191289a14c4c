"""Argument parsing and dispatch. Exit 0 on success, 1 on a user error (one line on stderr,
nothing changed), 2 on wrong usage (argparse's own convention)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app import __version__, i18n, paths
from app.cli.argparse_catalogue import translated_argparse
from app.errors import TreffpunktError
from app.i18n import _, pgettext
from app.preferences import load_preferences

OpenWindow = Callable[[Path | str | None, bool], int]

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    # The command modules import SQLAlchemy and more: only when a command is given.
    from app.cli import (
        attendance_commands,
        database_commands,
        directory_commands,
        document_commands,
        mail_commands,
        maintenance_commands,
        meeting_commands,
        planning_commands,
        project_commands,
        settings_commands,
    )
    from app.cli.access import label_commands

    parser = argparse.ArgumentParser(
        prog="treffpunkt",
        description=_(
            "Treffpunkt: plan network meetings, invite, record attendance, write minutes."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"Treffpunkt {__version__}",
        help=_("show the version number and exit"),
    )
    parser.add_argument(
        "--db",
        metavar=pgettext("metavar", "PATH"),
        help=_(
            "database file or server (postgresql://USER@HOST:PORT/DATABASE; "
            "default: {path}; or set TREFFPUNKT_DB)"
        ).format(path=paths.default_database_path()),
    )
    commands = parser.add_subparsers(dest="command", metavar=pgettext("metavar", "COMMAND"))
    database_commands.register(commands)
    directory_commands.register(commands)
    meeting_commands.register(commands)
    planning_commands.register(commands)  # adds to "meetings", so after meeting_commands
    mail_commands.register(commands)
    maintenance_commands.register(commands)
    attendance_commands.register(commands)
    document_commands.register(commands)
    project_commands.register(commands)  # adds --attach-scan to "attendance"
    settings_commands.register(commands)
    label_commands(parser)
    return parser


def window_database(argv: list[str]) -> tuple[bool, str | None]:
    """Is this a plain ``treffpunkt [--db PATH]`` (open the window), and with which --db?

    Decided with a tiny parser so that opening the window imports no command modules:
    the window must appear before SQLAlchemy is even loaded.
    """
    probe = argparse.ArgumentParser(add_help=False)
    probe.add_argument("--db")
    try:
        known, rest = probe.parse_known_args(argv)
    except SystemExit:  # pragma: no cover - "--db" without a value: let the full parser say so
        return False, None
    return (not rest), known.db


def main(argv: list[str] | None = None, *, open_window: OpenWindow | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    i18n.set_language(load_preferences().language)
    if open_window is not None:
        is_window, db_argument = window_database(argv)
        if is_window:
            explicit = bool(db_argument) or bool(_env_db())
            chosen = db_argument or _env_db() or ""
            if explicit and paths.is_server_url(chosen):
                return open_window(chosen, explicit)  # team mode: the window connects
            return open_window(paths.database_path(db_argument) if explicit else None, explicit)
    try:
        # argparse's own words ("usage:", its errors) in our language, also for the errors a
        # command reports later through ``parser.error``.
        with translated_argparse():
            return _run(argv)
    except BrokenPipeError:
        # The reader went away (``treffpunkt contacts list | head``): nothing to tell it.
        _discard_stdout()
        return EXIT_USER_ERROR


def _run(argv: list[str]) -> int:
    from app.cli.access import command_access
    from app.db.location import chosen_location

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        # A file path or a server URL (team mode); ``database_path`` is the file, if any.
        args.location = chosen_location(args.db)
        args.database_path = args.location.path
        with command_access(args):
            code = handler(args)
        sys.stdout.flush()  # a reader gone away shows here, inside the command, not at exit
        return code
    except TreffpunktError as error:
        print(_("treffpunkt: {message}").format(message=error), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(_("treffpunkt: interrupted"), file=sys.stderr)
        return 130


def _discard_stdout() -> None:
    """Point stdout at the null device: Python flushes it once more at exit, and that flush
    would fail again ("Exception ignored … BrokenPipeError") with the reader gone."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests)
        pass


def _env_db() -> str | None:
    return os.environ.get(paths.DB_ENV_VAR) or None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
