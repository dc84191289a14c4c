"""Which commands write, and the lock that keeps them from writing under an open window.

Every command is classified here, in one table (``ACCESS``), by its path in the parser
("meetings create", "privacy erase"). ``app.cli.main`` runs every handler inside
``command_access``:

- a **writing** command takes the database's lock (``app.db.lock.DatabaseLock``, the one the
  window holds) for its whole run. If a window or another command holds it, the command is
  refused before anything is opened: exit 1, one line naming the holder (computer, process,
  user, since when), the file byte-identical. While it runs, every write transaction first
  checks that the lock is still its own (``Database.write_check``), so a lock taken over
  meanwhile stops it instead of writing beside the new holder.
- a **reading** command goes on while a window is open. Its database refuses every write
  transaction (``Database.write_check``), so a command classified as reading that writes after
  all fails loudly in the tests instead of writing under someone's lock.

On a server database (team mode) there is no lock file: many people write at once, and each
write transaction takes the server's write lock instead; reading commands still refuse to
write.

A command missing from the table counts as writing (the safe side: it waits for the window to
close); ``tests/core/reliability/test_cli_lock.py`` walks the parser and insists that every
command is classified and behaves as classified.
"""

from __future__ import annotations

import argparse
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.db.lock import DatabaseLock


class Access(enum.Enum):
    READ = "read"
    WRITE = "write"


ACCESS: dict[str, Access] = {
    "init": Access.WRITE,
    "demo": Access.WRITE,
    "check": Access.READ,
    "contacts list": Access.READ,
    "contacts import": Access.WRITE,
    "contacts export": Access.READ,
    "meetings list": Access.READ,
    "meetings show": Access.READ,
    "meetings create": Access.WRITE,
    "meetings invite": Access.WRITE,
    "meetings cancel": Access.WRITE,
    "meetings reschedule": Access.WRITE,
    "agenda add": Access.WRITE,
    "agenda standard": Access.WRITE,
    "ics": Access.READ,
    "mail invitations": Access.WRITE,  # the outbox, invitation states
    "mail reminders": Access.WRITE,
    "mail minutes": Access.WRITE,
    "backup": Access.READ,  # a copy elsewhere; the database itself is only read
    "copy-to": Access.READ,  # the source is only read; the new target is locked while filled
    "restore": Access.WRITE,
    "privacy export": Access.READ,
    "privacy erase": Access.WRITE,
    "privacy review": Access.READ,
    "attendance": Access.WRITE,
    "figures": Access.READ,
    "pdf invitation": Access.READ,
    "pdf signin": Access.READ,
    "pdf minutes": Access.READ,
    "pdf letters": Access.READ,
    "settings show": Access.READ,
    "settings set": Access.WRITE,
    "projects list": Access.READ,
    "projects create": Access.WRITE,
    "projects link": Access.WRITE,
    "report funding": Access.READ,
    "press draft": Access.WRITE,  # records the press release as issued
}

_COMMAND_PATH = "command_path"


def command_paths(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every command of *parser* as ("meetings create", its parser), leaves only."""

    def walk(
        current: argparse.ArgumentParser, prefix: tuple[str, ...]
    ) -> Iterator[tuple[str, argparse.ArgumentParser]]:
        subcommands = [
            action
            for action in current._actions  # argparse offers no public way to walk its tree
            if isinstance(action, argparse._SubParsersAction)
        ]
        if not subcommands:
            if prefix:
                yield " ".join(prefix), current
            return
        for action in subcommands:
            for name, sub in action.choices.items():
                yield from walk(sub, (*prefix, name))

    yield from walk(parser, ())


def label_commands(parser: argparse.ArgumentParser) -> None:
    """Let each command know its path, so ``access_of`` can look it up after parsing."""
    for path, sub in command_paths(parser):
        sub.set_defaults(**{_COMMAND_PATH: path})


def access_of(args: argparse.Namespace) -> Access:
    return ACCESS.get(getattr(args, _COMMAND_PATH, ""), Access.WRITE)


@contextmanager
def command_access(args: argparse.Namespace) -> Iterator[None]:
    """Run a command with the access its classification allows (see the module docstring)."""
    access = access_of(args)
    args.access = access
    args.lock = None
    path: Path | None = args.database_path
    if access is Access.READ or path is None or not path.is_file():
        # A missing database: the command reports it (or creates it: init, demo) itself.
        # A server database (no file) has no lock file: many writers at once, each write
        # transaction takes the server's write lock (``app.db.postgresql``).
        yield
        return
    with DatabaseLock.acquire(path) as lock:
        args.lock = lock
        yield


__all__ = ["ACCESS", "Access", "access_of", "command_access", "command_paths", "label_commands"]
