"""``init``, ``demo`` and ``check``."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import print_json
from app.db import Database, SchemaStatus, inspect_database
from app.errors import DatabaseMissing
from app.i18n import _


def register(commands: Any) -> None:
    init = commands.add_parser(
        "init", help=_("create an empty database (refuses an existing file)")
    )
    init.set_defaults(handler=run_init)
    demo = commands.add_parser(
        "demo", help=_("create or fill an empty database with the demo network")
    )
    demo.set_defaults(handler=run_demo)
    check = commands.add_parser("check", help=_("check the database: integrity and schema version"))
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check.set_defaults(handler=run_check)


def run_init(args: argparse.Namespace) -> int:
    database = Database.create(args.database_path)
    database.close()
    print(_("Created an empty database: {path}").format(path=args.database_path))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from app.services.backup import backup_before_migration
    from app.services.demo import fill_demo

    path = args.database_path
    created = not path.exists()
    database = (
        Database.create(path)
        if created
        else Database.open(path, before_upgrade=backup_before_migration)
    )
    try:
        summary = fill_demo(database)
    except BaseException:
        database.close()
        if created:  # only init and demo create files; a failed demo leaves none behind
            path.unlink(missing_ok=True)
        raise
    database.close()
    print(
        _(
            "Demo network written to {path}: {organisations} organisations, "
            "{people} people, {meetings} meetings."
        ).format(
            path=path,
            organisations=summary.organisations,
            people=summary.people,
            meetings=summary.meetings,
        )
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    path = args.database_path
    if not path.exists():
        raise DatabaseMissing(_("There is no database at {path}.").format(path=path))
    report = inspect_database(path, full_integrity_check=True)
    status_text = {
        SchemaStatus.CURRENT: _("current"),
        SchemaStatus.OUTDATED: _("older; it is upgraded when opened (after a backup)"),
        SchemaStatus.TOO_NEW: _("newer than this version of Treffpunkt"),
    }[report.status]
    if args.json:
        print_json(
            {
                "path": str(report.path),
                "ok": report.status is not SchemaStatus.TOO_NEW,
                "integrity": report.integrity,
                "schema_revision": report.schema_revision,
                "head_revision": report.head_revision,
                "schema_status": report.status.value,
                "counts": report.row_counts,
            }
        )
    else:
        print(_("Database: {path}").format(path=report.path))
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
        from app.errors import DatabaseTooNew

        raise DatabaseTooNew(
            _("{path} was written by a newer version of Treffpunkt.").format(path=path)
        )
    return 0
