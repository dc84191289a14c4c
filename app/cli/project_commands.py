"""Projects, the funding report, sign-in scans and the press release draft.

::

    treffpunkt projects list [--json]
    treffpunkt projects create --name N [--funder F] [--programme P] [--reference R]
                              [--amount EUR] [--from DATE] [--to DATE] [--description TEXT]
                              [--lead ORGANISATION]
    treffpunkt projects link ID (--organisation NAME | --meeting MID [--top N])
    treffpunkt report funding (ID | --all) [--from DATE --to DATE] [--with-signin-scans]
                              -o FILE.pdf|.xlsx
    treffpunkt attendance ID --attach-scan FILE
    treffpunkt press draft MEETING_ID -o FILE.docx|.txt [--language de|en]

Amounts as typed in Germany ("700.000,00 €") or plainly ("700000.50"); dates ISO
(2026-12-01) or German (01.12.2026). Values are checked inside the command, so a bad amount
or date exits 1 with one line and changes nothing (argparse's own errors exit 2).
``register`` must run after ``attendance_commands.register``: it adds ``--attach-scan`` to
the existing ``attendance`` command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import opened_database
from app.cli.output import iso, print_json, print_table
from app.errors import ValidationError
from app.i18n import _, format_date, pgettext


def _sub(commands: Any, name: str, help_text: str) -> Any:
    parser = commands.add_parser(name, help=help_text)
    return parser.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )


def register(commands: Any) -> None:
    projects = _sub(commands, "projects", _("funded projects"))
    listing = projects.add_parser("list", help=_("list the projects"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(handler=run_list)

    create = projects.add_parser("create", help=_("add a project; prints its number"))
    create.add_argument("--name", required=True, help=_("name of the project"))
    create.add_argument("--funder", default="", help=_("who funds it"))
    create.add_argument("--programme", default="", help=_("the funding programme"))
    create.add_argument("--reference", default="", help=_("reference number (Förderkennzeichen)"))
    create.add_argument(
        "--amount", metavar=pgettext("metavar", "EUR"), help=_("amount in euros, e.g. 700.000,00")
    )
    create.add_argument(
        "--from",
        dest="start",
        metavar=pgettext("metavar", "DATE"),
        help=_("first day, e.g. 01.12.2026"),
    )
    create.add_argument(
        "--to", dest="end", metavar=pgettext("metavar", "DATE"), help=_("last day, e.g. 30.11.2028")
    )
    create.add_argument("--description", default="", help=_("description"))
    create.add_argument(
        "--lead", metavar=pgettext("metavar", "ORGANISATION"), help=_("lead organisation (by name)")
    )
    create.set_defaults(handler=run_create)

    link = projects.add_parser("link", help=_("link a partner organisation, a meeting or a TOP"))
    link.add_argument("project_id", type=int, metavar=pgettext("metavar", "ID"))
    target = link.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--organisation", metavar=pgettext("metavar", "NAME"), help=_("a partner organisation")
    )
    target.add_argument(
        "--meeting", type=int, metavar=pgettext("metavar", "MID"), help=_("a meeting")
    )
    link.add_argument(
        "--top", metavar=pgettext("metavar", "N"), help=_("only this TOP of the meeting, e.g. 2.3")
    )
    link.set_defaults(handler=run_link, parser=link)

    reports = _sub(commands, "report", _("reports for funders"))
    funding = reports.add_parser(
        "funding", help=_("the funding report (Sachbericht) of a project as PDF or XLSX")
    )
    which = funding.add_mutually_exclusive_group(required=True)
    which.add_argument("project_id", type=int, nargs="?", metavar=pgettext("metavar", "ID"))
    which.add_argument("--all", action="store_true", help=_("all projects together"))
    funding.add_argument(
        "--from", dest="start", metavar=pgettext("metavar", "DATE"), help=_("first day")
    )
    funding.add_argument(
        "--to", dest="end", metavar=pgettext("metavar", "DATE"), help=_("last day")
    )
    funding.add_argument(
        "--with-signin-scans",
        action="store_true",
        help=_("append the signed sign-in sheets to the PDF"),
    )
    funding.add_argument("-o", "--output", required=True, metavar=pgettext("metavar", "FILE"))
    funding.set_defaults(handler=run_funding, parser=funding)

    press = _sub(commands, "press", _("press releases"))
    draft = press.add_parser("draft", help=_("a press release draft about a held meeting"))
    draft.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "MEETING_ID"))
    draft.add_argument("-o", "--output", required=True, metavar=pgettext("metavar", "FILE"))
    draft.add_argument("--language", choices=("de", "en"), default="de")
    draft.set_defaults(handler=run_press_draft)

    attendance = commands.choices["attendance"]
    attendance.add_argument(
        "--attach-scan",
        metavar=pgettext("metavar", "FILE"),
        help=_("attach the scanned, signed sign-in sheet (PDF, JPEG or PNG)"),
    )
    recorded: Callable[[argparse.Namespace], int] = attendance.get_default("handler")
    attendance.set_defaults(handler=lambda args: run_attendance(args, recorded))


# -- projects ------------------------------------------------------------------------------


def project_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "funder": row.funder,
        "programme": row.programme,
        "reference": row.reference,
        "amount": float(row.amount) if row.amount is not None else None,
        "start": iso(row.start),
        "end": iso(row.end),
        "lead_organisation": row.lead_organisation,
        "organisations": list(row.organisations),
        "quarters": list(row.quarters),
        "meetings": list(row.meeting_ids),
    }


def run_list(args: argparse.Namespace) -> int:
    from app.services.projects import format_amount, list_projects

    with opened_database(args) as database:
        rows = list_projects(database)
    if args.json:
        print_json([project_json(row) for row in rows])
        return 0
    if not rows:
        print(_("No projects yet."))
        return 0
    print_table(
        [_("No."), _("Name"), _("Funder"), _("Reference number"), _("Amount"), _("Period")],
        [
            [
                str(row.id),
                row.name,
                row.funder,
                row.reference,
                format_amount(row.amount),
                f"{format_date(row.start)} – {format_date(row.end)}"
                if row.start or row.end
                else "",
            ]
            for row in rows
        ],
    )
    return 0


def run_create(args: argparse.Namespace) -> int:
    from app.services.projects import ProjectInput, create_project, parse_amount, parse_day
    from app.services.projects.editing import find_organisation

    amount = parse_amount(args.amount)
    start, end = parse_day(args.start), parse_day(args.end)
    with opened_database(args) as database:
        lead_id = None
        if args.lead:
            with database.read() as session:
                lead_id = find_organisation(session, args.lead).id
        project_id = create_project(
            database,
            ProjectInput(
                name=args.name,
                description=args.description,
                funder=args.funder,
                programme=args.programme,
                reference=args.reference,
                amount=amount,
                start=start,
                end=end,
                lead_organisation_id=lead_id,
            ),
        )
    print(project_id)
    return 0


def run_link(args: argparse.Namespace) -> int:
    from app.services.projects import link_meeting, link_organisation

    if args.top is not None and args.meeting is None:
        args.parser.error(_("--top needs --meeting"))
    with opened_database(args) as database:
        if args.organisation is not None:
            changed = link_organisation(database, args.project_id, args.organisation)
        else:
            changed = link_meeting(database, args.project_id, args.meeting, args.top)
    print(_("Linked.") if changed else _("Already linked; nothing changed."))
    return 0


# -- report --------------------------------------------------------------------------------


def run_funding(args: argparse.Namespace) -> int:
    from app.documents.funding_report import write_funding_report
    from app.services.projects import parse_day
    from app.services.reporting.funding import funding_report

    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError(
            _("{name}: choose a file name ending in .pdf or .xlsx.").format(name=output.name)
        )
    if args.with_signin_scans and suffix != ".pdf":
        raise ValidationError(_("Sign-in scans can only be appended to a PDF."))
    start, end = parse_day(args.start), parse_day(args.end)
    with opened_database(args) as database:
        report = funding_report(database, None if args.all else [args.project_id], start, end)
        write_funding_report(database, report, output, with_scans=args.with_signin_scans)
    print(_("Saved: {path}").format(path=output))
    return 0


# -- attendance --attach-scan --------------------------------------------------------------


def run_attendance(args: argparse.Namespace, recorded: Callable[[argparse.Namespace], int]) -> int:
    if args.attach_scan is None:
        return recorded(args)
    if args.present or args.accepted or args.excused or args.absent or args.guests or args.held:
        args.parser.error(_("--attach-scan cannot be combined with recording attendance"))
    from app.services.projects.scans import attach_scan_file

    with opened_database(args) as database:
        attach_scan_file(database, args.meeting_id, Path(args.attach_scan))
    print(_("Attached: {name}").format(name=Path(args.attach_scan).name))
    return 0


# -- press ---------------------------------------------------------------------------------


def run_press_draft(args: argparse.Namespace) -> int:
    from app.mail.press import export_press_release
    from app.services.press.draft import photo_warnings, press_draft

    output = Path(args.output)
    if output.suffix.lower() not in (".docx", ".txt"):
        raise ValidationError(
            _("{name}: choose a file name ending in .docx or .txt.").format(name=output.name)
        )
    with opened_database(args) as database:
        draft = press_draft(database, args.meeting_id, args.language)
        export_press_release(database, draft, output)
    for warning in photo_warnings(draft):
        print(warning)
    print(_("Saved: {path}").format(path=output))
    return 0
