"""Freezing a meeting into a ``SigninSnapshot`` in one short read session.

Kept apart from the renderer so that rendering imports no database code; the snapshot is
plain frozen data that can cross threads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import i18n
from app.db import Database
from app.errors import NotFound
from app.i18n import _
from app.models import (
    Group,
    Invitation,
    InvitationState,
    Meeting,
    Organisation,
    Person,
    person_groups,
)
from app.services.directory import person_display_name
from app.services.languages import meeting_language, reader_language
from app.services.letterhead import Letterhead
from app.services.snapshots.signin_types import (  # also for the builder's callers
    DeclinedMode,
    SigninOptions,
    SigninOrder,
    SigninRow,
    SigninSnapshot,
    default_privacy_notice,
)
from app.text import nfc, sort_key


@dataclass(frozen=True, slots=True)
class _Invitee:
    person_id: int | None  # None: an organisation invited by its own address (name left blank)
    name: str
    name_key: str
    function: str
    organisation: str
    organisation_key: str
    state: InvitationState


def _invitees(session: Session, meeting_id: int) -> list[_Invitee]:
    query = (
        select(
            Person.id,
            Person.title,
            Person.first_name,
            Person.last_name,
            Person.name_key,
            Person.function,
            Organisation.name,
            Organisation.name_key,
            Invitation.state,
        )
        .join(Person, Invitation.person_id == Person.id)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(Invitation.meeting_id == meeting_id)
    )
    return [
        _Invitee(
            person_id=person_id,
            name=nfc(person_display_name(title, first, last)),
            name_key=name_key or sort_key(last, first),
            function=nfc(function),
            organisation=nfc(org_name),
            organisation_key=org_key or sort_key(org_name),
            state=state,
        )
        for (
            person_id,
            title,
            first,
            last,
            name_key,
            function,
            org_name,
            org_key,
            state,
        ) in session.execute(query)
    ] + _organisation_invitees(session, meeting_id)


def _organisation_invitees(session: Session, meeting_id: int) -> list[_Invitee]:
    """Organisations invited by their own address: a row with the organisation and a blank
    name, for whoever comes on its behalf to write in. Sorted by the organisation's name."""
    query = (
        select(Organisation.name, Organisation.name_key, Invitation.state)
        .join(Organisation, Invitation.organisation_id == Organisation.id)
        .where(Invitation.meeting_id == meeting_id)
    )
    return [
        _Invitee(
            person_id=None,
            name="",
            name_key=name_key or sort_key(name),
            function="",
            organisation=nfc(name),
            organisation_key=name_key or sort_key(name),
            state=state,
        )
        for name, name_key, state in session.execute(query)
    ]


def _shared_group(session: Session, meeting_id: int, people: Iterable[int]) -> str:
    """The group every invitee belongs to ("Impuls.Ag"), or "" if there is none.

    Should several groups be shared by all, the alphabetically first one is taken.
    """
    people = set(people)
    if not people:
        return ""
    members: dict[str, set[int]] = {}
    query = (
        select(Group.name, person_groups.c.person_id)
        .join(person_groups, person_groups.c.group_id == Group.id)
        .join(Invitation, Invitation.person_id == person_groups.c.person_id)
        .where(Invitation.meeting_id == meeting_id)
    )
    for group_name, person_id in session.execute(query):
        members.setdefault(group_name, set()).add(person_id)
    shared = [name for name, ids in members.items() if ids >= people]
    return min(shared, key=sort_key) if shared else ""


def _order(invitees: list[_Invitee], options: SigninOptions) -> list[tuple[str, _Invitee]]:
    """(subheading, row) in the order printed: expected attendees by the chosen order, then
    the excused under a heading of their own.

    Alphabetical: one run A–Z, no headings. By organisation: a heading per organisation
    (those without one last). Accepted first: "Accepted", then "Further invitees". Every
    run that restarts the alphabet has a heading, so nobody looks for a name in the wrong run.
    """

    def by_name(row: _Invitee) -> tuple[str, int]:
        return (row.name_key, row.person_id or 0)

    def by_organisation(row: _Invitee) -> tuple[bool, str, str, int]:
        # People without an organisation come after all organisations.
        return (not row.organisation, row.organisation_key, *by_name(row))

    def organisation_heading(row: _Invitee) -> str:
        # Translators: sign-in sheet heading over people without an organisation.
        return row.organisation or _("Without organisation")

    expected = [row for row in invitees if row.state is not InvitationState.DECLINED]
    ordered: list[tuple[str, _Invitee]]
    if options.order is SigninOrder.ORGANISATION:
        ordered = [
            (organisation_heading(row), row) for row in sorted(expected, key=by_organisation)
        ]
    elif options.order is SigninOrder.ACCEPTED_FIRST:
        accepted = [row for row in expected if row.state is InvitationState.ACCEPTED]
        others = [row for row in expected if row.state is not InvitationState.ACCEPTED]
        # Translators: sign-in sheet heading over those who accepted the invitation.
        accepted_heading = _("Accepted")
        # Translators: sign-in sheet heading over invitees who did not (yet) accept.
        others_heading = _("Further invitees")
        ordered = [(accepted_heading, row) for row in sorted(accepted, key=by_name)]
        ordered += [(others_heading, row) for row in sorted(others, key=by_name)]
    else:
        ordered = [("", row) for row in sorted(expected, key=by_name)]
    if options.declined is DeclinedMode.EXCUSED:
        declined = [row for row in invitees if row.state is InvitationState.DECLINED]
        by_organisations = options.order is SigninOrder.ORGANISATION
        # Translators: sign-in sheet heading over invitees who declined ("Entschuldigt").
        excused_heading = _("Excused")
        ordered += [
            (excused_heading, row)
            for row in sorted(declined, key=by_organisation if by_organisations else by_name)
        ]
    return ordered


def build_signin_snapshot(
    db: Database,
    meeting_id: int,
    options: SigninOptions | None = None,
    *,
    letterhead: Letterhead | None = None,
    language: str | None = None,
) -> SigninSnapshot:
    """Everything the sign-in sheet of meeting *meeting_id* shows, as frozen data.

    Network: the group all invitees share, else the letterhead's name. The controller named
    in the default data-protection notice: the letterhead (name and address), else the
    organiser's organisation, else the organiser. The sheet is for everyone at the door, so
    it speaks the meeting's language unless *language* says otherwise. Raises ``NotFound``
    for an unknown meeting.
    """
    with db.read() as session:
        chosen = reader_language(language, meeting_language(session, meeting_id))
    with i18n.language(chosen):
        snapshot = _build_signin_snapshot(db, meeting_id, options, letterhead=letterhead)
    return replace(snapshot, language=chosen)


def _build_signin_snapshot(
    db: Database,
    meeting_id: int,
    options: SigninOptions | None,
    *,
    letterhead: Letterhead | None,
) -> SigninSnapshot:
    options = options or SigninOptions()
    with db.read() as session:
        meeting = session.get(
            Meeting,
            meeting_id,
            options=[
                selectinload(Meeting.venue),
                selectinload(Meeting.organiser).selectinload(Person.organisation),
            ],
        )
        if meeting is None:
            raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
        invitees = _invitees(session, meeting_id)
        network = _shared_group(
            session, meeting_id, (row.person_id for row in invitees if row.person_id is not None)
        )
        zone = ZoneInfo(meeting.timezone)
        start = meeting.start.astimezone(zone)
        end = meeting.end.astimezone(zone) if meeting.end else None
        title = meeting.title
        venue_name = venue_room = venue_address = ""
        if meeting.venue is not None:
            venue = meeting.venue
            postcode_city = " ".join(part for part in (venue.postcode, venue.city) if part)
            venue_address = ", ".join(part for part in (venue.street, postcode_city) if part)
            venue_name, venue_room = venue.name, venue.room
        organiser_name = organiser_org = ""
        if meeting.organiser is not None:
            organiser = meeting.organiser
            organiser_name = person_display_name(
                organiser.title, organiser.first_name, organiser.last_name
            )
            if organiser.organisation is not None:
                organiser_org = organiser.organisation.name

    if not network and letterhead is not None:
        network = letterhead.name
    if options.privacy_notice is not None:
        notice = nfc(options.privacy_notice)
    else:
        if letterhead is not None:
            parts: tuple[str, ...] = (letterhead.name, *letterhead.address_lines)
            controller = ", ".join(nfc(part) for part in parts if part)
        else:
            controller = organiser_org or organiser_name or network
        notice = default_privacy_notice(controller)

    rows = [
        SigninRow(
            number=number,
            name=row.name,
            organisation=row.organisation,
            function=row.function,
            person_id=row.person_id,
            reply=row.state.value,
            excused=row.state is InvitationState.DECLINED,
            group=nfc(group),
        )
        for number, (group, row) in enumerate(_order(invitees, options), start=1)
    ]
    rows += [
        SigninRow(number=number, blank=True)
        for number in range(len(rows) + 1, len(rows) + 1 + options.blank_rows)
    ]
    return SigninSnapshot(
        meeting_id=meeting_id,
        network=nfc(network),
        title=nfc(title),
        start=start,
        end=end,
        venue_name=nfc(venue_name),
        venue_address=nfc(venue_address),
        venue_room=nfc(venue_room),
        organiser=nfc(", ".join(part for part in (organiser_name, organiser_org) if part)),
        privacy_notice=notice,
        rows=tuple(rows),
        letterhead=letterhead,
    )


__all__ = [
    "DeclinedMode",
    "SigninOptions",
    "SigninOrder",
    "SigninRow",
    "SigninSnapshot",
    "build_signin_snapshot",
    "default_privacy_notice",
]
