"""``meetings …``: the list of meetings and one meeting in detail."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import opened_database
from app.cli.output import iso, print_json, print_table
from app.i18n import _, format_date, format_time, pgettext
from app.services.meetings import (
    ACTION_STATUS_LABELS,
    AGENDA_KIND_LABELS,
    ATTENDANCE_STATUS_LABELS,
    INVITATION_STATE_LABELS,
    MEETING_STATE_LABELS,
    MeetingDetail,
    get_meeting,
    label,
    list_meetings,
)


def register(commands: Any) -> None:
    meetings = commands.add_parser("meetings", help=_("meetings"))
    actions = meetings.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )
    listing = actions.add_parser("list", help=_("list meetings, upcoming first"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(handler=run_list)
    show = actions.add_parser(
        "show", help=_("details, agenda, invitees and replies, attendance, minutes")
    )
    show.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    show.set_defaults(handler=run_show)


def run_list(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        meetings = list_meetings(database)
    if args.json:
        print_json(
            [
                {
                    "id": m.id,
                    "title": m.title,
                    "start": iso(m.start),
                    "end": iso(m.end),
                    "venue": m.venue,
                    "state": m.state.value,
                    "invited": m.invited,
                    "accepted": m.accepted,
                    "upcoming": m.upcoming,
                }
                for m in meetings
            ]
        )
        return 0
    print_table(
        [_("No."), _("Date"), _("Time"), _("Title"), _("Venue"), _("State")],
        [
            [
                str(m.id),
                format_date(m.start),
                format_time(m.start),
                m.title,
                m.venue or "",
                label(MEETING_STATE_LABELS, m.state),
            ]
            for m in meetings
        ],
    )
    return 0


def meeting_json(meeting: MeetingDetail) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "uid": meeting.uid,
        "title": meeting.title,
        "start": iso(meeting.start),
        "end": iso(meeting.end),
        "planned_end": iso(meeting.planned_end),
        "timezone": meeting.timezone,
        "venue": meeting.venue.name if meeting.venue else None,
        "venue_details": (
            {
                "name": meeting.venue.name,
                "address": meeting.venue.address,
                "room": meeting.venue.room,
                "accessibility_notes": meeting.venue.accessibility_notes,
            }
            if meeting.venue
            else None
        ),
        "state": meeting.state.value,
        "organiser": meeting.organiser,
        "moderator": meeting.moderator,
        "minute_taker": meeting.minute_taker,
        "description": meeting.description,
        "rsvp_by": iso(meeting.rsvp_by),
        "sequence": meeting.sequence,
        "language": meeting.language,
        "agenda": [
            {
                "position": int(row.number.split(".")[0]),
                "number": row.number,
                "title": row.title,
                "minutes": row.planned_minutes,
                "presenter": row.presenter or None,
                "start": iso(row.start),
                "kind": row.kind.value,
                "description": row.description,
            }
            for row in meeting.agenda
        ],
        "invitations": [
            {
                "person_id": row.person_id,
                "organisation_id": row.organisation_id,  # set: the organisation's own address
                "name": row.name,
                "email": row.email,
                "organisation": row.organisation,
                "state": row.state.value,
                "sent_at": iso(row.sent_at),
                "answered_at": iso(row.answered_at),
                "note": row.note,
            }
            for row in meeting.invitations
        ],
        "attendance": [
            {
                "person_id": row.person_id,
                "name": row.name,
                "organisation": row.organisation,
                "status": row.status.value,
                "guest": row.guest,
                "photo_consent": row.photo_consent,
            }
            for row in meeting.attendance
        ],
        "minutes_state": meeting.minutes_state.value if meeting.minutes_state else None,
        "decisions": [
            {
                "agenda_position": row.agenda_position,
                "agenda_number": row.agenda_number,
                "text": row.text,
                "votes_yes": row.votes_yes,
                "votes_no": row.votes_no,
                "votes_abstain": row.votes_abstain,
            }
            for row in meeting.decisions
        ],
        "action_items": [
            {
                "text": row.text,
                "owner": row.owner or None,
                "due": iso(row.due),
                "status": row.status.value,
                "agenda_number": row.agenda_number,
            }
            for row in meeting.action_items
        ],
    }


def run_show(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        meeting = get_meeting(database, args.meeting_id)
    if args.json:
        print_json(meeting_json(meeting))
        return 0
    print(meeting.title)
    when = f"{format_date(meeting.start, 'full')}, {format_time(meeting.start)}"
    if meeting.end:
        when += f"–{format_time(meeting.end)}"
    print(when)
    if meeting.venue:
        print(
            ", ".join(
                p for p in (meeting.venue.name, meeting.venue.room, meeting.venue.address) if p
            )
        )
    print(_("State: {state}").format(state=label(MEETING_STATE_LABELS, meeting.state)))
    print()
    print(_("Agenda"))
    if meeting.agenda:
        print_table(
            [_("TOP"), _("Start"), _("Title"), _("Presenter"), _("Min."), _("Kind")],
            [
                [
                    row.number,
                    format_time(row.start),
                    "  " * row.depth + row.title,
                    row.presenter,
                    str(row.planned_minutes),
                    label(AGENDA_KIND_LABELS, row.kind),
                ]
                for row in meeting.agenda
            ],
        )
    else:
        print(_("No agenda yet."))
    print()
    print(_("Invitations"))
    if meeting.invitations:
        print_table(
            [_("Name"), _("Organisation"), _("E-mail"), _("Reply")],
            [
                [
                    r.name,
                    r.organisation or "",
                    r.email or "",
                    label(INVITATION_STATE_LABELS, r.state),
                ]
                for r in meeting.invitations
            ],
        )
    else:
        print(_("No invitations yet."))
    print()
    print(_("Attendance"))
    if meeting.attendance:
        print_table(
            [_("Name"), _("Organisation"), _("Status")],
            [
                [r.name, r.organisation or "", label(ATTENDANCE_STATUS_LABELS, r.status)]
                for r in meeting.attendance
            ],
        )
    else:
        print(_("No attendance recorded yet."))
    if meeting.decisions:
        print()
        print(_("Decisions"))
        for decision in meeting.decisions:
            text = decision.text
            if decision.agenda_number:
                text = _("TOP {number}: {title}").format(
                    number=decision.agenda_number, title=decision.text
                )
            print(f"- {text}")
    if meeting.action_items:
        print()
        print(_("Action items"))
        print_table(
            [_("What"), _("Who"), _("Due"), _("Status")],
            [
                [r.text, r.owner, format_date(r.due), label(ACTION_STATUS_LABELS, r.status)]
                for r in meeting.action_items
            ],
        )
    return 0
