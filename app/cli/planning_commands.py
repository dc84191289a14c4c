"""``meetings create|invite|cancel|reschedule`` and ``agenda add|standard``: planning a meeting.

``register`` must run after ``meeting_commands.register``: it adds its actions to the
existing ``meetings`` command (argparse refuses a second parser of the same name).

Times: ISO 8601 with an offset, or without one meaning local time of the meeting's zone
(Europe/Berlin). A time that does not exist (DST gap) or cannot be read exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import opened_database
from app.i18n import _, format_datetime, ngettext, pgettext
from app.models import AgendaItemKind
from app.services.agenda import AgendaItemDraft, add_item, item_number
from app.services.invitations import (
    add_invitees,
    delivery_split,
    letter_reason_label,
    person_names,
    select_organisations,
    select_people,
)
from app.services.planning import (
    MeetingDraft,
    cancel_meeting,
    create_meeting,
    load_meeting_form,
    parse_local,
    reschedule_meeting,
)
from app.services.planning.times import DEFAULT_TIMEZONE, time_note
from app.services.settings_registry import person_by_email
from app.services.standard_agenda import add_standard_agenda


def _actions(commands: Any, name: str, help_text: str) -> Any:
    """The sub-command list of command *name*, created if no other module made it yet."""
    parser = commands.choices.get(name)
    if parser is None:
        parser = commands.add_parser(name, help=help_text)
        return parser.add_subparsers(
            dest="action", metavar=pgettext("metavar", "ACTION"), required=True
        )
    # argparse has no public accessor for an existing parser's sub-commands.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )


def register(commands: Any) -> None:
    meetings = _actions(commands, "meetings", _("meetings"))

    create = meetings.add_parser("create", help=_("plan a new meeting; prints its number"))
    create.add_argument("--title", required=True, help=_("title of the meeting"))
    create.add_argument(
        "--start",
        required=True,
        metavar=pgettext("metavar", "ISO"),
        help=_("start, e.g. 2026-05-04T18:00"),
    )
    create.add_argument(
        "--end", metavar=pgettext("metavar", "ISO"), help=_("end, e.g. 2026-05-04T20:00")
    )
    create.add_argument(
        "--venue",
        metavar=pgettext("metavar", "NAME"),
        help=_("venue (found by name or added; default: meetings.default_venue)"),
    )
    create.add_argument(
        "--organiser",
        metavar=pgettext("metavar", "EMAIL"),
        help=_("the organiser's e-mail address (default: meetings.default_organiser)"),
    )
    create.add_argument("--description", default="", help=_("description"))
    create.add_argument(
        "--standard-agenda",
        action="store_true",
        help=_("add the standard agenda items"),
    )
    create.add_argument(
        "--language",
        choices=["de", "en"],
        help=_(
            "language of the meeting's documents and of mails to people without a preferred "
            "language (default: the network's document language)"
        ),
    )
    create.set_defaults(handler=run_create)

    invite = meetings.add_parser(
        "invite", help=_("add invitees by group, quarter, organisation or e-mail address")
    )
    invite.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    invite.add_argument("--all", action="store_true", help=_("everyone in the directory"))
    invite.add_argument(
        "--group",
        action="append",
        default=[],
        metavar=pgettext("metavar", "G"),
        help=_("members of a group"),
    )
    invite.add_argument(
        "--organisation",
        action="append",
        default=[],
        metavar=pgettext("metavar", "O"),
        help=_("people of an organisation"),
    )
    invite.add_argument(
        "--organisation-address",
        action="append",
        default=[],
        metavar=pgettext("metavar", "O"),
        help=_(
            "the organisation itself, by its own e-mail address (e.g. info@…); it replies "
            "and is counted as the organisation"
        ),
    )
    invite.add_argument(
        "--quarter",
        action="append",
        default=[],
        metavar=pgettext("metavar", "Q"),
        help=_("people of the organisations in a quarter"),
    )
    invite.add_argument(
        "--person",
        action="append",
        default=[],
        metavar=pgettext("metavar", "EMAIL"),
        help=_("one person"),
    )
    invite.set_defaults(handler=run_invite, parser=invite)

    cancel = meetings.add_parser("cancel", help=_("cancel a meeting"))
    cancel.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    cancel.set_defaults(handler=run_cancel)

    reschedule = meetings.add_parser("reschedule", help=_("move a meeting to a new time"))
    reschedule.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    reschedule.add_argument(
        "--start", required=True, metavar=pgettext("metavar", "ISO"), help=_("new start")
    )
    reschedule.add_argument(
        "--end", metavar=pgettext("metavar", "ISO"), help=_("new end (default: keep the length)")
    )
    reschedule.set_defaults(handler=run_reschedule)

    agenda = _actions(commands, "agenda", _("the agenda of a meeting"))
    add = agenda.add_parser("add", help=_("add an agenda item; prints its number"))
    add.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    add.add_argument("title", metavar=pgettext("metavar", "TITLE"))
    add.add_argument(
        "--minutes",
        type=int,
        default=0,
        metavar=pgettext("metavar", "N"),
        help=_("planned minutes"),
    )
    add.add_argument(
        "--presenter", default="", metavar=pgettext("metavar", "TEXT"), help=_("who presents it")
    )
    add.add_argument(
        "--kind",
        choices=[kind.value for kind in AgendaItemKind],
        default=AgendaItemKind.INFORMATION.value,
        help=_("information, discussion or decision"),
    )
    add.add_argument("--description", default="", help=_("description"))
    add.set_defaults(handler=run_agenda_add)

    standard = agenda.add_parser("standard", help=_("add the standard agenda items"))
    standard.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    standard.add_argument(
        "--language",
        choices=["de", "en"],
        help=_("language of the items (default: the meeting's language)"),
    )
    standard.set_defaults(handler=run_agenda_standard)


def run_create(args: argparse.Namespace) -> int:
    # Parse before opening: a bad time must not get as far as the database.
    start = parse_local(args.start, DEFAULT_TIMEZONE)
    end = parse_local(args.end, DEFAULT_TIMEZONE) if args.end else None
    with opened_database(args) as database:
        organiser_id = None
        if args.organiser:
            with database.read() as session:
                organiser_id = person_by_email(session, args.organiser)
        meeting_id = create_meeting(
            database,
            MeetingDraft(
                title=args.title,
                start=start,
                end=end,
                venue_name=args.venue,
                organiser_id=organiser_id,
                description=args.description,
                language=args.language,
            ),
            with_standard_agenda=args.standard_agenda,
            stored_defaults=True,
        )
    print(meeting_id)
    for note in dict.fromkeys(filter(None, (time_note(start), time_note(end)))):
        print(note, file=sys.stderr)  # stdout stays the bare id, for scripts
    return 0


def run_invite(args: argparse.Namespace) -> int:
    chosen_any = (
        args.all
        or args.group
        or args.organisation
        or args.quarter
        or args.person
        or args.organisation_address
    )
    if not chosen_any:
        args.parser.error(
            _(
                "choose invitees with --all, --group, --organisation, --organisation-address, "
                "--quarter or --person"
            )
        )
    with opened_database(args) as database:
        load_meeting_form(database, args.meeting_id)  # an unknown meeting exits here
        person_ids = (
            select_people(
                database,
                everyone=args.all,
                group_names=args.group,
                quarter_names=args.quarter,
                organisation_names=args.organisation,
                emails=args.person,
            )
            if args.all or args.group or args.quarter or args.organisation or args.person
            else ()
        )
        organisation_ids = select_organisations(database, args.organisation_address)
        result = add_invitees(
            database, args.meeting_id, person_ids, organisation_ids=organisation_ids
        )
        chosen = set(result.added) | set(result.already_invited)
        letters = [
            row
            for row in delivery_split(database, args.meeting_id).by_letter
            if row.person_id in chosen
        ]
        archived = person_names(database, result.skipped_archived)
        skipped = [archived[person_id] for person_id in result.skipped_archived]
    if person_ids or not organisation_ids:
        print(
            ngettext(
                "Invited {count} person.", "Invited {count} people.", len(result.added)
            ).format(count=len(result.added))
        )
    if result.already_invited:
        print(
            ngettext(
                "{count} person was already invited.",
                "{count} people were already invited.",
                len(result.already_invited),
            ).format(count=len(result.already_invited))
        )
    if organisation_ids:
        print(
            ngettext(
                "Invited {count} organisation by its own address.",
                "Invited {count} organisations by their own addresses.",
                len(result.added_organisations),
            ).format(count=len(result.added_organisations))
        )
    if result.already_invited_organisations:
        print(
            ngettext(
                "{count} organisation was already invited.",
                "{count} organisations were already invited.",
                len(result.already_invited_organisations),
            ).format(count=len(result.already_invited_organisations))
        )
    if result.skipped_archived_organisations:
        print(
            ngettext(
                "{count} archived organisation skipped.",
                "{count} archived organisations skipped.",
                len(result.skipped_archived_organisations),
            ).format(count=len(result.skipped_archived_organisations))
        )
    if skipped:
        print(_("Skipped (archived): {names}").format(names=", ".join(skipped)))
    if letters:
        print(_("Cannot get e-mail (send a letter):"))
        for row in letters:
            assert row.letter_reason is not None
            who = f"{row.name} ({row.organisation})" if row.organisation else row.name
            print(f"  {who}: {letter_reason_label(row.letter_reason)}")
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        change = cancel_meeting(database, args.meeting_id)
        title = load_meeting_form(database, args.meeting_id).draft.title
    print(_("Cancelled “{title}”.").format(title=title))
    if change.update_mail_due:
        print(
            ngettext(
                "{count} invitee should get a cancellation notice.",
                "{count} invitees should get a cancellation notice.",
                change.update_mail_due,
            ).format(count=change.update_mail_due)
        )
    return 0


def run_reschedule(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        form = load_meeting_form(database, args.meeting_id)
        start = parse_local(args.start, form.draft.timezone)
        end = parse_local(args.end, form.draft.timezone) if args.end else None
        change = reschedule_meeting(database, args.meeting_id, start, end)
        moved = load_meeting_form(database, args.meeting_id).draft
    when = format_datetime(moved.start)
    if moved.end is not None:
        when = f"{when}–{format_datetime(moved.end)}"
    if change.changed:
        print(_("Moved “{title}” to {when}.").format(title=moved.title, when=when))
    else:
        print(_("“{title}” already takes place at {when}.").format(title=moved.title, when=when))
    for note in dict.fromkeys(filter(None, (time_note(moved.start), time_note(moved.end)))):
        print(note)
    if change.update_mail_due:
        print(
            ngettext(
                "{count} invitee should get an update.",
                "{count} invitees should get an update.",
                change.update_mail_due,
            ).format(count=change.update_mail_due)
        )
    return 0


def run_agenda_add(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        item_id = add_item(
            database,
            args.meeting_id,
            AgendaItemDraft(
                title=args.title,
                planned_minutes=args.minutes,
                presenter_text=args.presenter,
                kind=AgendaItemKind(args.kind),
                description=args.description,
            ),
        )
        number = item_number(database, item_id)
    print(number)
    return 0


def run_agenda_standard(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        ids = add_standard_agenda(database, args.meeting_id, args.language)
        numbers = [item_number(database, item_id) for item_id in ids]
    print(
        ngettext(
            "Added {count} agenda item: {numbers}",
            "Added {count} agenda items: {numbers}",
            len(numbers),
        ).format(count=len(numbers), numbers=", ".join(numbers))
    )
    return 0
