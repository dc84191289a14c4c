"""``attendance ID …``: record who came; ``figures``: the numbers for the funder.

``treffpunkt attendance ID (--present EMAIL ... | --accepted)`` (the original form), extended by
``--excused EMAIL ...``, ``--absent EMAIL ...``, ``--guest NAME [--guest-organisation ORG]``
(repeatable; the n-th organisation belongs to the n-th guest) and ``--held`` (also mark the
meeting as held). Everything is one transaction: an unknown address or a conflict exits 1 and
changes nothing. ``--accepted`` applies "all accepted were present" to invitees without an
entry; explicit ``--excused``/``--absent`` then correct it.

``treffpunkt figures (--from DATE --to DATE | --year YYYY) [--json] [-o FILE.xlsx|FILE.pdf]``
prints the figures of the meetings held in the period, or writes the export.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import opened_database
from app.cli.output import iso, print_json, print_table
from app.errors import ValidationError
from app.i18n import _, format_date, pgettext
from app.text import nfc


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a date like 2026-01-31.").format(text=text)
        ) from exc


class _GuestAction(argparse.Action):
    """``--guest NAME`` adds a guest; ``--guest-organisation ORG`` completes the last one."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        guests: list[list[str]] = [list(g) for g in getattr(namespace, self.dest) or []]
        if option_string == "--guest":
            guests.append([str(values), ""])
        elif not guests or guests[-1][1]:
            parser.error(_("--guest-organisation must follow the --guest it belongs to"))
        else:
            guests[-1][1] = str(values)
        setattr(namespace, self.dest, guests)


def register(commands: Any) -> None:
    attendance = commands.add_parser(
        "attendance", help=_("record who came to a meeting (by e-mail address)")
    )
    attendance.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    start = attendance.add_mutually_exclusive_group()
    start.add_argument(
        "--present",
        nargs="+",
        action="extend",
        default=[],
        metavar=pgettext("metavar", "EMAIL"),
        help=_("mark these people present"),
    )
    start.add_argument(
        "--accepted",
        action="store_true",
        help=_(
            "all who accepted were present; declined: excused; others: absent "
            "(only invitees without an entry)"
        ),
    )
    attendance.add_argument(
        "--excused",
        nargs="+",
        action="extend",
        default=[],
        metavar=pgettext("metavar", "EMAIL"),
        help=_("mark these people excused"),
    )
    attendance.add_argument(
        "--absent",
        nargs="+",
        action="extend",
        default=[],
        metavar=pgettext("metavar", "EMAIL"),
        help=_("mark these people absent"),
    )
    attendance.add_argument(
        "--guest",
        action=_GuestAction,
        dest="guests",
        default=[],
        metavar=pgettext("metavar", "NAME"),
        help=_("add a guest who is not in the directory (present)"),
    )
    attendance.add_argument(
        "--guest-organisation",
        action=_GuestAction,
        dest="guests",
        metavar=pgettext("metavar", "ORG"),
        help=_("organisation of the guest named just before"),
    )
    attendance.add_argument("--held", action="store_true", help=_("also mark the meeting as held"))
    attendance.set_defaults(handler=run_attendance, parser=attendance)

    figures = commands.add_parser(
        "figures", help=_("attendance figures of a period (table, JSON, XLSX or PDF)")
    )
    figures.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        metavar=pgettext("metavar", "DATE"),
        help=_("first day, e.g. 2026-01-01"),
    )
    figures.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        metavar=pgettext("metavar", "DATE"),
        help=_("last day, e.g. 2026-12-31"),
    )
    figures.add_argument(
        "--year",
        type=int,
        metavar=pgettext("metavar", "YYYY"),
        help=_("a whole calendar year instead of --from/--to"),
    )
    figures.add_argument("--json", action="store_true", help=_("machine-readable output"))
    figures.add_argument(
        "-o",
        "--output",
        metavar=pgettext("metavar", "FILE"),
        help=_("write an .xlsx or .pdf file instead"),
    )
    figures.set_defaults(handler=run_figures, parser=figures)


# -- attendance ----------------------------------------------------------------------------


def run_attendance(args: argparse.Namespace) -> int:
    from app.services.attendance import (
        AttendanceBatch,
        GuestInfo,
        attendance_sheet,
        people_by_email,
        record_attendance,
        summarise,
    )

    parser: argparse.ArgumentParser = args.parser
    if not (
        args.present or args.accepted or args.excused or args.absent or args.guests or args.held
    ):
        parser.error(
            _(
                "say what to record: --present EMAIL ..., --accepted, --excused, "
                "--absent, --guest or --held"
            )
        )
    with opened_database(args) as database:
        ids = people_by_email(database, [*args.present, *args.excused, *args.absent])

        def people(addresses: list[str]) -> tuple[int, ...]:
            return tuple(ids[nfc(address)] for address in addresses)

        batch = AttendanceBatch(
            accepted=args.accepted,
            present=people(args.present),
            excused=people(args.excused),
            absent=people(args.absent),
            guests=tuple(GuestInfo(name, organisation) for name, organisation in args.guests),
            mark_held=args.held,
        )
        result = record_attendance(database, args.meeting_id, batch)
        summary = summarise(attendance_sheet(database, args.meeting_id))
    for name in result.guests_already_listed:
        print(_("Already on the list as a guest: {name}").format(name=name))
    if result.marked_held:
        print(_("The meeting is now marked as held."))
    print(
        _(
            "Present: {present}, excused: {excused}, absent: {absent}, guests: {guests}, "
            "not recorded: {not_recorded}"
        ).format(
            present=summary.present,
            excused=summary.excused,
            absent=summary.absent,
            guests=summary.guests,
            not_recorded=summary.not_recorded,
        )
    )
    return 0


# -- figures -------------------------------------------------------------------------------


def _period(args: argparse.Namespace) -> tuple[date, date]:
    parser: argparse.ArgumentParser = args.parser
    if args.year is not None:
        if args.start or args.end:
            parser.error(_("give either --year or --from and --to"))
        if not 1900 <= args.year <= 9999:
            parser.error(_("--year needs a year like 2026"))
        return date(args.year, 1, 1), date(args.year, 12, 31)
    if args.start is None or args.end is None:
        parser.error(_("give the period: --from DATE --to DATE (or --year YYYY)"))
    return args.start, args.end


def run_figures(args: argparse.Namespace) -> int:
    from app.services.reporting import period_figures

    start, end = _period(args)
    output = Path(args.output) if args.output else None
    suffix = output.suffix.lower() if output else ""
    if output is not None and suffix not in (".xlsx", ".pdf"):
        raise ValidationError(
            _("{name}: choose a file name ending in .xlsx or .pdf.").format(name=output.name)
        )
    with opened_database(args) as database:
        figures = period_figures(database, start, end)
    if output is not None:
        if suffix == ".xlsx":
            from app.services.reporting.xlsx import write_figures_xlsx

            write_figures_xlsx(figures, output)
        else:
            from app.documents.figures import write_figures_pdf

            write_figures_pdf(figures, output)
        print(_("Saved: {path}").format(path=output))
        return 0
    if args.json:
        print_json(figures_json(figures))
        return 0
    _print_figures(figures)
    return 0


def figures_json(figures: Any) -> dict[str, Any]:
    return {
        "from": iso(figures.start),
        "to": iso(figures.end),
        "meetings_held": figures.meetings_held,
        "meetings_not_held": figures.meetings_not_held,
        "meetings_cancelled": figures.meetings_cancelled,
        "attendances": figures.attendances,
        "person_attendances": figures.person_attendances,
        "guest_attendances": figures.guest_attendances,
        "anonymous_attendances": figures.anonymous_attendances,
        "people_reached": figures.people_reached,
        "organisations_reached": figures.organisations_reached,
        "quarters_reached": figures.quarters_reached,
        "per_meeting": [
            {
                "id": m.meeting_id,
                "date": iso(m.date),
                "start": iso(m.start),
                "title": m.title,
                "state": m.state.value,
                "invited": m.invited,
                "accepted": m.accepted,
                "declined": m.declined,
                "tentative": m.tentative,
                "no_answer": m.no_answer,
                "present": m.present,
                "excused": m.excused,
                "absent": m.absent,
                "guests": m.guests,
                "participants": m.participants,
                "organisations": list(m.organisation_names),
                "quarters": list(m.quarter_names),
            }
            for m in figures.per_meeting
        ],
        "per_organisation": [
            {
                "organisation": o.organisation,
                "quarters": list(o.quarters),
                "meetings": o.meetings,
                "attendances": o.attendances,
                "guest_attendances": o.guest_attendances,
                "people": o.people,
            }
            for o in figures.per_organisation
        ],
        "per_quarter": [
            {
                "quarter": q.quarter,
                "organisations": q.organisations,
                "meetings": q.meetings,
                "attendances": q.attendances,
                "people": q.people,
            }
            for q in figures.per_quarter
        ],
        "per_calendar_quarter": [
            {
                "year": q.year,
                "quarter": q.quarter,
                "meetings_held": q.meetings_held,
                "attendances": q.attendances,
                "guest_attendances": q.guest_attendances,
                "people_reached": q.people_reached,
            }
            for q in figures.per_calendar_quarter
        ],
    }


def _cell(value: Any) -> str:
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _print_figures(figures: Any) -> None:
    from app.services.reporting.tables import all_tables, overview, report_title

    print(report_title())
    for name, value in overview(figures):
        print(f"{name}: {_cell(value)}")
    for table in all_tables(figures):
        print()
        print(table.title)
        if not table.rows:
            print(_("Nothing to show."))
            continue
        print_table([c.title for c in table.columns], [[_cell(v) for v in r] for r in table.rows])
