"""``init``, ``demo``, ``check`` and ``copy-to``."""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

from app.cli.output import print_json
from app.db import Database, DatabaseLocation, SchemaStatus, inspect_database
from app.db.database import backend_for
from app.errors import DatabaseMissing, DatabaseTooNew
from app.i18n import _, pgettext


def register(commands: Any) -> None:
    init = commands.add_parser(
        "init",
        help=_("create an empty database (refuses an existing file or a server database in use)"),
    )
    init.set_defaults(handler=run_init)
    demo = commands.add_parser(
        "demo", help=_("create or fill an empty database with the demo network")
    )
    demo.set_defaults(handler=run_demo)
    check = commands.add_parser(
        "check", help=_("check the database: connection, integrity and schema version")
    )
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check.set_defaults(handler=run_check)
    copy = commands.add_parser(
        "copy-to",
        help=_(
            "copy the whole network into an empty database (a new file or an empty server "
            "database); the source is not changed"
        ),
    )
    copy.add_argument(
        "target",
        metavar=pgettext("metavar", "TARGET"),
        help=_("a new file, or postgresql://USER@HOST:PORT/DATABASE (empty)"),
    )
    copy.add_argument("--json", action="store_true", help=_("machine-readable output"))
    copy.set_defaults(handler=run_copy_to)


def run_init(args: argparse.Namespace) -> int:
    database = Database.create(args.location)
    database.close()
    print(_("Created an empty database: {path}").format(path=args.location))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from app.services.backup import backup_before_migration
    from app.services.demo import fill_demo
    from app.services.team import apply_user_name

    location: DatabaseLocation = args.location
    created = not backend_for(location).exists()
    database = (
        Database.create(location)
        if created
        else Database.open(location, before_upgrade=backup_before_migration)
    )
    apply_user_name(database)
    try:
        summary = fill_demo(database)
    except BaseException:
        database.close()
        if created and not location.is_server:  # only init and demo create files; a
            location.file_path.unlink(missing_ok=True)  # failed demo leaves none behind
        raise
    database.close()
    print(
        _(
            "Demo network written to {path}: {organisations} organisations, "
            "{people} people, {meetings} meetings."
        ).format(
            path=location,
            organisations=summary.organisations,
            people=summary.people,
            meetings=summary.meetings,
        )
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    location: DatabaseLocation = args.location
    if not location.is_server and not location.file_path.exists():
        raise DatabaseMissing(_("There is no database at {path}.").format(path=location))
    report = inspect_database(location, full_integrity_check=True)
    status_text = {
        SchemaStatus.CURRENT: _("current"),
        SchemaStatus.OUTDATED: _("older; it is upgraded when opened (after a backup)"),
        SchemaStatus.TOO_NEW: _("newer than this version of Treffpunkt"),
    }[report.status]
    if args.json:
        print_json(
            {
                "path": str(report.location),
                "engine": report.engine,
                "server": location.is_server,
                "ok": report.status is not SchemaStatus.TOO_NEW,
                "integrity": report.integrity,
                "schema_revision": report.schema_revision,
                "head_revision": report.head_revision,
                "schema_status": report.status.value,
                "counts": report.row_counts,
            }
        )
    else:
        print(_("Database: {path}").format(path=report.location))
        if location.is_server:
            print(_("Connection: {engine}, reachable").format(engine=report.engine))
        print(_("Integrity: {result}").format(result=report.integrity))
        print(
            _("Schema: {revision} ({status})").format(
                revision=report.schema_revision, status=status_text
            )
        )
        if report.row_counts:
            print(
                _(
                    "Contents: {people} people, {organisations} organisations, {meetings} meetings"
                ).format(**report.row_counts)
            )
    if report.status is SchemaStatus.TOO_NEW:
        raise DatabaseTooNew(
            _("{path} was written by a newer version of Treffpunkt.").format(path=location)
        )
    return 0


def run_copy_to(args: argparse.Namespace) -> int:
    """Copy the network into an empty target; the source is only read (``app.cli.access``).

    A new target file is locked (``app.db.lock``) while it is being filled and removed again if
    the copy fails; a server target must be empty and is filled in one transaction under the
    server's write lock. Every table's row count and checksum are compared.
    """
    from app.db.copying import copy_database
    from app.db.lock import DatabaseLock

    source: DatabaseLocation = args.location
    target = DatabaseLocation.parse(args.target)
    if not source.is_server and not source.file_path.exists():
        raise DatabaseMissing(_("There is no database at {path}.").format(path=source))
    with contextlib.ExitStack() as stack:
        if not target.is_server:
            target.file_path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(DatabaseLock.acquire(target.file_path))
            backend_for(target).create_empty()  # refuses an existing file
        try:
            report = copy_database(source, target, target_prepared=not target.is_server)
        except BaseException:
            if not target.is_server:
                target.file_path.unlink(missing_ok=True)
            raise
    if args.json:
        print_json(
            {
                "source": str(source),
                "target": str(target),
                "schema_revision": report.revision,
                "tables": {
                    name: {"rows": check.rows, "checksum": check.checksum}
                    for name, check in report.tables.items()
                },
            }
        )
        return 0
    print(
        _("Copied {rows} rows in {tables} tables from {source} to {target}.").format(
            rows=report.total_rows, tables=len(report.tables), source=source, target=target
        )
    )
    print(_("Row counts and checksums of every table are equal on both sides."))
    return 0
