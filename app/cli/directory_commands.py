"""``contacts …``: the network directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import opened_database
from app.cli.output import print_json, print_table
from app.i18n import _, pgettext
from app.services.directory import PersonRow, list_people


def register(commands: Any) -> None:
    contacts = commands.add_parser("contacts", help=_("the network directory"))
    actions = contacts.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )
    listing = actions.add_parser("list", help=_("list the people in the directory"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.add_argument("--archived", action="store_true", help=_("include archived people"))
    listing.set_defaults(handler=run_list)

    importing = actions.add_parser(
        "import",
        help=_("import people from .csv (Outlook, Google, Excel), .xlsx or .vcf"),
    )
    importing.add_argument("file", metavar=pgettext("metavar", "FILE"), type=Path)
    importing.add_argument(
        "--strict", action="store_true", help=_("import nothing if any row cannot be imported")
    )
    importing.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))
    importing.add_argument(
        "--sheet", metavar=pgettext("metavar", "NAME"), help=_("the worksheet of an .xlsx file")
    )
    importing.set_defaults(handler=run_import)

    exporting = actions.add_parser(
        "export", help=_("export people to .csv, .xlsx or .vcf (by the file extension)")
    )
    exporting.add_argument("file", metavar=pgettext("metavar", "FILE"), type=Path)
    exporting.add_argument("--archived", action="store_true", help=_("include archived people"))
    exporting.set_defaults(handler=run_export)


def person_json(row: PersonRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "name": row.name,
        "emails": list(row.emails),
        "preferred_email": row.preferred_email,
        "organisation": row.organisation,
        "groups": list(row.groups),
        # The postal address letters use: the person's own, else the organisation's.
        "address": row.address.as_json() if row.address is not None else None,
        "salutation": row.salutation.value,
        "title": row.title,
        "function": row.function,
        "phones": list(row.phones),
        "quarters": list(row.quarters),
        "preferred_language": row.preferred_language,
        "archived": row.archived,
        "consent": {
            "contact_data": row.contact_consent,
            "email_invitations": row.email_consent,
            "photos": row.photo_consent,
        },
    }


def run_list(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        people = list_people(database, include_archived=args.archived)
    if args.json:
        print_json([person_json(row) for row in people])
        return 0
    print_table(
        [_("No."), _("Name"), _("Organisation"), _("E-mail"), _("Groups")],
        [
            [
                str(row.id),
                row.name,
                row.organisation or "",
                row.preferred_email or "",
                ", ".join(row.groups),
            ]
            for row in people
        ],
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    """The report goes to stderr; exit 0 even when some rows were rejected (unless --strict)."""
    from app.contacts import import_contacts, report_lines

    with opened_database(args) as database:
        result = import_contacts(
            database, args.file, sheet=args.sheet, strict=args.strict, dry_run=args.dry_run
        )
    for line in report_lines(result):
        print(line, file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from app.contacts import export_people

    with opened_database(args) as database:
        count = export_people(database, args.file, include_archived=args.archived)
    print(_("Exported {count} people to {path}.").format(count=count, path=args.file))
    return 0
