"""``backup``, ``restore`` and ``privacy …``: keeping the data safe and the DSGVO duties."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.cli.common import opened_database
from app.cli.output import iso, print_json, print_table
from app.db import DatabaseLocation, inspect_database
from app.db.lock import DatabaseLock
from app.db.sqlite import check_file_looks_like_sqlite, roll_back_hot_journal
from app.errors import DatabaseMissing, TreffpunktError
from app.i18n import _, format_date, format_datetime, pgettext


def register(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help=_("write a checked copy of the database (default: into the backup folder)")
    )
    backup.add_argument(
        "-o", "--output", metavar=pgettext("metavar", "FILE"), help=_("where to write the copy")
    )
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser(
        "restore", help=_("replace the database by a backup (the current state is saved first)")
    )
    restore.add_argument(
        "file", metavar=pgettext("metavar", "FILE"), help=_("the backup to restore")
    )
    restore.add_argument(
        "--new",
        action="store_true",
        help=_(
            "restore into a path where no database exists yet (a server database: always "
            "into an empty one)"
        ),
    )
    restore.set_defaults(handler=run_restore)

    privacy = commands.add_parser("privacy", help=_("data protection: information and erasure"))
    actions = privacy.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )
    export = actions.add_parser(
        "export", help=_("everything stored about a person as JSON (Art. 15 GDPR)")
    )
    export.add_argument("person_id", type=int, metavar=pgettext("metavar", "PERSON_ID"))
    export.add_argument(
        "-o",
        "--output",
        metavar=pgettext("metavar", "FILE"),
        help=_("write to FILE (.json or .pdf)"),
    )
    export.set_defaults(handler=run_privacy_export)
    erase = actions.add_parser(
        "erase", help=_("erase a person; past minutes keep an anonymous entry (Art. 17 GDPR)")
    )
    erase.add_argument("person_id", type=int, metavar=pgettext("metavar", "PERSON_ID"))
    erase.set_defaults(handler=run_privacy_erase)
    review = actions.add_parser(
        "review", help=_("people without activity for longer than the retention period")
    )
    review.add_argument("--json", action="store_true", help=_("machine-readable output"))
    review.set_defaults(handler=run_privacy_review)


def _existing(path: Path) -> Path:
    if not path.exists():
        raise DatabaseMissing(_("There is no database at {path}.").format(path=path))
    return path


def _is_sqlite(path: Path) -> bool:
    try:
        check_file_looks_like_sqlite(path)
    except TreffpunktError:
        return False
    return True


def run_backup(args: argparse.Namespace) -> int:
    """A checked copy; of a server database a Treffpunkt SQLite file with its whole network."""
    from app.services.backup import BackupKind, make_backup, write_backup

    location: DatabaseLocation = args.location
    if location.is_server:
        inspect_database(location, full_integrity_check=False)  # reachable, Treffpunkt's
        source: DatabaseLocation | Path = location
    else:
        path = _existing(location.file_path)
        check_file_looks_like_sqlite(path)
        roll_back_hot_journal(path)
        source = path
    if args.output:
        target = Path(args.output).expanduser()
        if (
            not location.is_server
            and target.exists()
            and target.resolve() == location.file_path.resolve()
        ):
            raise TreffpunktError(_("A database cannot be backed up onto itself."))
        if target.exists() and not _is_sqlite(target):
            # An older backup may be replaced (nightly scripts); any other file never.
            raise TreffpunktError(
                _("{path} already exists and is not a backup; choose another file name.").format(
                    path=target
                )
            )
        written = write_backup(source, target)
    else:
        written = make_backup(source, BackupKind.MANUAL).path
    print(written)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from app.services.backup import restore

    location: DatabaseLocation = args.location
    backup_file = Path(args.file).expanduser()
    if location.is_server:
        # Only into an EMPTY server database (``app.services.backup._restore_to_server``).
        if not backup_file.exists():
            raise DatabaseMissing(_("There is no backup at {path}.").format(path=backup_file))
        result = restore(location, backup_file)
        path: DatabaseLocation | Path = location
    else:
        path = location.file_path
        if not args.new:
            _existing(path)
        elif path.exists():
            raise TreffpunktError(
                _("{path} already exists; restore without --new to replace it.").format(path=path)
            )
        if not backup_file.exists():
            raise DatabaseMissing(_("There is no backup at {path}.").format(path=backup_file))
        if args.new:
            path.parent.mkdir(parents=True, exist_ok=True)
        # An existing database is locked by ``app.cli.access`` already; a new one here.
        with DatabaseLock.acquire(path) if args.new else contextlib.nullcontext():
            result = restore(path, backup_file, allow_missing=args.new)
    when = (
        format_datetime(result.backup_created_at.astimezone())
        if result.backup_created_at
        else backup_file.name
    )
    print(
        _(
            "Restored {path} from the backup of {when}: {people} people, "
            "{organisations} organisations, {meetings} meetings."
        ).format(path=path, when=when, **result.counts)
    )
    if result.pre_restore_backup:
        print(
            _("The state before the restore was saved as {file}").format(
                file=result.pre_restore_backup
            )
        )
    if result.damaged_copy:
        print(
            _("The previous, unreadable file was kept as {file}").format(file=result.damaged_copy)
        )
    if result.upgraded_from:
        print(
            _("The backup was upgraded from schema {revision}.").format(
                revision=result.upgraded_from
            )
        )
    if result.reapplied_erasures:
        print(result.erasure_note())
    if not result.erasure_log_merged:
        print(result.erasure_warning(), file=sys.stderr)
    return 0


def run_privacy_export(args: argparse.Namespace) -> int:
    from app.services.privacy import export_person

    with opened_database(args) as database:
        data = export_person(database, args.person_id)
    if not args.output:
        print_json(data)
        return 0
    target = Path(args.output).expanduser()
    if target.suffix.lower() == ".pdf":
        from app.documents.access_report import write_person_report_pdf

        write_person_report_pdf(data, target)
    else:
        from app.documents.base import write_atomic

        write_atomic(target, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    print(target)
    return 0


def run_privacy_erase(args: argparse.Namespace) -> int:
    from app.mail.erasure import erase_person

    with opened_database(args) as database:
        result = erase_person(database, args.person_id)
    print(_("Person {id} erased.").format(id=result.person_id))
    rows = [
        (_("E-mail addresses"), result.emails),
        (_("Phone numbers"), result.phones),
        (_("Consent records"), result.consents),
        (_("Group memberships"), result.groups),
        (_("Invitations kept anonymously"), result.invitations),
        (
            _("Attendance entries kept anonymously"),
            result.attendance_anonymised + result.guest_rows_anonymised,
        ),
        (
            _("Action items now owned by “{label}”").format(label=_("a participant")),
            result.action_items,
        ),
        (_("Meeting roles and presented TOPs"), result.meeting_roles + result.presented_items),
        (_("E-mails to the person deleted"), result.messages_deleted),
        (_("Texts where name, address or number were replaced"), result.texts_scrubbed),
        (_("Attachments of sent e-mails removed"), result.attachments_dropped),
        (_("Photos showing the person deleted"), result.photos_deleted),
    ]
    for label, count in rows:
        print(f"  {label}: {count}")
    if result.documents_outdated:
        print(result.documents_note())
    if result.photos_to_check:
        print(result.photos_note())
    if result.remaining_mentions:
        print(_("Texts that still mention the surname (please review):"))
        for mention in result.remaining_mentions:
            where = f"{mention.table}.{mention.column} #{mention.row_id}"
            if mention.meeting_id is not None:
                where += " " + _("(meeting {id})").format(id=mention.meeting_id)
            print(f"  {where}")
    if not result.vacuumed:
        print(
            _(
                "The database file could not be compacted now (another program reads it); "
                "deleted data is overwritten, the file is compacted on the next erasure."
            ),
            file=sys.stderr,
        )
    print(
        _(
            "Backups made before today still contain the person until they are rotated out; "
            "restoring one erases the person again."
        )
    )
    return 0


def run_privacy_review(args: argparse.Namespace) -> int:
    from app.services.retention import people_due_for_review, retention_months

    with opened_database(args) as database:
        months = retention_months(database)
        rows = people_due_for_review(database, datetime.now(UTC))
    if args.json:
        print_json(
            [
                {
                    "id": r.person_id,
                    "name": r.name,
                    "organisation": r.organisation,
                    "archived": r.archived,
                    "last_activity": iso(r.last_activity),
                }
                for r in rows
            ]
        )
        return 0
    print(_("Retention period: {months} months").format(months=months))
    if not rows:
        print(_("Nobody is due for review."))
        return 0
    print_table(
        [_("No."), _("Name"), _("Organisation"), _("Last activity")],
        [
            [str(r.person_id), r.name, r.organisation or "", format_date(r.last_activity)]
            for r in rows
        ],
    )
    return 0
