"""Creating, editing, copying and deleting meetings.

Which changes raise the calendar sequence (``Meeting.ics_sequence``, RFC 5545 SEQUENCE):
start, end, time zone, venue and title: what partners' calendars show. Description, RSVP
date, roles and the agenda do not (they travel in the invitation PDF, not the calendar
entry). Cancelling raises it too (see ``lifecycle``). Every raise makes the invitees who
received an earlier version due for an update mail (``Invitation.sent_sequence`` below it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import ValidationError
from app.i18n import DEFAULT_LANGUAGE, _, supported_language
from app.models import (
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Organisation,
    Person,
)
from app.services.directory_listing import list_person_choices
from app.services.directory_rows import PersonChoice
from app.services.languages import network_language
from app.services.meetings import MeetingRow, list_meetings
from app.services.planning.common import (
    MeetingChange,
    MeetingDraft,
    MeetingForm,
    change_result,
    check_person,
    check_version,
    draft_of,
    load_meeting,
    refuse_if_cancelled,
)
from app.services.planning.defaults import (
    NewMeetingSuggestion,
    suggest_new_meeting,
    with_stored_defaults,
)
from app.services.planning.lifecycle import allowed_transitions
from app.services.planning.times import check_period, localize
from app.services.venues import VenueRow, find_or_create_venue, list_venues, load_venue
from app.text import nfc

# Fields whose change partners' calendars must learn (see module docstring).
SEQUENCE_FIELDS = frozenset({"title", "start", "end", "timezone", "venue_id"})


def _resolve(session: Session, draft: MeetingDraft) -> dict[str, object]:
    """Validated column values for a draft; raises before anything is written.

    ``language`` is among them only when the draft names one (see ``MeetingDraft``).
    """
    title = nfc(draft.title)
    if not title:
        raise ValidationError(_("A meeting needs a title."))
    start = localize(draft.start, draft.timezone)
    end = localize(draft.end, draft.timezone) if draft.end is not None else None
    check_period(start, end)
    if draft.rsvp_by is not None and draft.rsvp_by > start.date():
        raise ValidationError(_("The reply date must not lie after the day of the meeting."))
    for person_id in (draft.organiser_id, draft.moderator_id, draft.minute_taker_id):
        check_person(session, person_id)
    if draft.venue_id is not None:
        venue_id: int | None = load_venue(session, draft.venue_id).id
    elif draft.venue_name and nfc(draft.venue_name):
        venue_id = find_or_create_venue(session, draft.venue_name).id
    else:
        venue_id = None
    values: dict[str, object] = {
        "title": title,
        # In UTC: Python never calls an ambiguous local time (fall-back hour) equal to any
        # time in another zone (PEP 495), which would make every save look like a change.
        "start": start.astimezone(UTC),
        "end": end.astimezone(UTC) if end is not None else None,
        "timezone": draft.timezone,
        "venue_id": venue_id,
        "organiser_id": draft.organiser_id,
        "moderator_id": draft.moderator_id,
        "minute_taker_id": draft.minute_taker_id,
        "description": nfc(draft.description),
        "rsvp_by": draft.rsvp_by,
    }
    if draft.language:
        values["language"] = supported_language(draft.language, DEFAULT_LANGUAGE)
    return values


def create_meeting(
    db: Database,
    draft: MeetingDraft,
    *,
    with_standard_agenda: bool = False,
    language: str | None = None,
    stored_defaults: bool = False,
    copy_from: int | None = None,
    with_invitees: bool = False,
) -> int:
    """A new planned meeting; returns its id. Everything in one transaction: when any value
    is refused, nothing is stored.

    ``with_standard_agenda`` adds the standard TOPs in *language* (default: the meeting's
    language). ``copy_from``: the agenda of that meeting instead (structure, durations,
    presenters; not the minutes), and with ``with_invitees`` its invitees who are not
    archived (as "not sent"): the meeting form's "copy" and "agenda of an earlier meeting".
    ``stored_defaults``: a draft without organiser or venue gets the default ones from the
    settings (``meetings.default_organiser``, ``meetings.default_venue``). Inverse (for
    undo): ``delete_meeting``.
    """
    with db.write() as session:
        if stored_defaults:
            draft = with_stored_defaults(session, draft)
        source = load_meeting(session, copy_from) if copy_from is not None else None
        values = _resolve(session, draft)
        values.setdefault("language", network_language(session))
        meeting = Meeting(**values)
        session.add(meeting)
        session.flush()
        if source is not None:
            _copy_contents(session, source, meeting, with_invitees=with_invitees)
        elif with_standard_agenda:
            # Late import: the agenda modules import planning.common (package cycle).
            from app.services.standard_agenda import insert_standard_items

            insert_standard_items(session, meeting, language)
        return meeting.id


def _copy_contents(
    session: Session, source: Meeting, meeting: Meeting, *, with_invitees: bool
) -> None:
    """The agenda of *source* into *meeting* and, with *with_invitees*, its invitees."""
    from app.services.agenda import copy_items  # late: see create_meeting

    copy_items(session, source.id, meeting.id)
    if with_invitees:
        person_ids = session.scalars(
            select(Invitation.person_id)
            .join(Person, Person.id == Invitation.person_id)
            .where(Invitation.meeting_id == source.id, Person.archived.is_(False))
            .order_by(Invitation.id)
        ).all()
        for person_id in person_ids:
            session.add(Invitation(meeting_id=meeting.id, person_id=person_id))
        organisation_ids = session.scalars(
            select(Invitation.organisation_id)
            .join(Organisation, Organisation.id == Invitation.organisation_id)
            .where(Invitation.meeting_id == source.id, Organisation.archived.is_(False))
            .order_by(Invitation.id)
        ).all()
        for organisation_id in organisation_ids:
            session.add(Invitation(meeting_id=meeting.id, organisation_id=organisation_id))


def load_meeting_form(db: Database, meeting_id: int) -> MeetingForm:
    """The meeting as the form edits it; keep ``version`` for ``update_meeting``."""
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id, options=[selectinload(Meeting.venue)])
        if meeting is None:
            load_meeting(session, meeting_id)  # raises NotFound
        assert meeting is not None
        return MeetingForm(
            id=meeting.id,
            version=meeting.version,
            draft=draft_of(meeting),
            uid=meeting.uid,
            state=meeting.state,
            ics_sequence=meeting.ics_sequence,
            cancelled_at=meeting.cancelled_at,
            allowed_states=allowed_transitions(meeting.state),
        )


@dataclass(frozen=True, slots=True)
class MeetingFormChoices:
    """What the meeting form offers and shows: venues, people, earlier meetings (for "agenda
    of"), the meeting itself when editing or copying, and the suggestion for a new one."""

    venues: list[VenueRow]
    people: list[PersonChoice]
    meetings: list[MeetingRow]
    form: MeetingForm | None
    suggestion: NewMeetingSuggestion
    network_language: str  # the language a new meeting starts with


def load_form_choices(db: Database, meeting_id: int | None, today: date) -> MeetingFormChoices:
    form = load_meeting_form(db, meeting_id) if meeting_id is not None else None
    with db.read() as session:
        language = network_language(session)
    return MeetingFormChoices(
        list_venues(db),
        list_person_choices(db),
        list_meetings(db),
        form,
        suggest_new_meeting(db, today=today),
        language,
    )


def update_meeting(
    db: Database, meeting_id: int, draft: MeetingDraft, *, expected_version: int
) -> MeetingChange:
    """Save the meeting form.

    *expected_version* is ``MeetingForm.version`` from when the form was loaded; if the
    meeting was saved elsewhere since (another window, the command line), ConflictError and
    nothing is saved. Saving unchanged values writes nothing. Inverse (undo): save
    ``result.previous`` with ``expected_version=result.version``.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        check_version(meeting, expected_version)
        refuse_if_cancelled(meeting)
        previous = draft_of(meeting)
        values = _resolve(session, draft)
        changed = frozenset(
            name for name, value in values.items() if getattr(meeting, name) != value
        )
        raise_sequence = bool(changed & SEQUENCE_FIELDS)
        for name in changed:
            setattr(meeting, name, values[name])
        if raise_sequence:
            meeting.ics_sequence += 1
        return change_result(
            session,
            meeting,
            sequence_raised=raise_sequence,
            changed=changed,
            previous=previous,
        )


def copy_meeting(
    db: Database,
    source_id: int,
    *,
    start: datetime,
    end: datetime | None = None,
    title: str | None = None,
    with_invitees: bool = False,
) -> int:
    """Plan a new meeting from an earlier one (or one kept as a template); returns its id.

    Copied: title (unless given), venue, roles, description, time zone, the agenda structure
    with durations and presenters (not the minutes notes), and with *with_invitees* the
    invitees who are not archived (as "not sent"). Without *end* the copy keeps the length of
    the source; the RSVP date keeps its distance to the meeting day.
    """
    with db.write() as session:
        source = load_meeting(session, source_id)
        new_start = localize(start, source.timezone)
        if end is not None:
            new_end: datetime | None = localize(end, source.timezone)
        elif source.end is not None:
            new_end = new_start + (source.end - source.start)
        else:
            new_end = None
        rsvp_by: date | None = None
        if source.rsvp_by is not None:
            old_day = source.start.astimezone(new_start.tzinfo).date()
            rsvp_by = source.rsvp_by + (new_start.date() - old_day)
        draft = MeetingDraft(
            title=title if title is not None else source.title,
            start=new_start,
            end=new_end,
            timezone=source.timezone,
            venue_id=source.venue_id,
            organiser_id=source.organiser_id,
            moderator_id=source.moderator_id,
            minute_taker_id=source.minute_taker_id,
            description=source.description,
            rsvp_by=rsvp_by,
            language=source.language,
        )
        meeting = Meeting(**_resolve(session, draft))
        session.add(meeting)
        session.flush()
        _copy_contents(session, source, meeting, with_invitees=with_invitees)
        return meeting.id


def delete_meeting(db: Database, meeting_id: int) -> None:
    """Delete a planned meeting nobody was told about (a mistake, or undoing "create").

    Anything else is cancelled instead, so partners and the records learn of it.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        told = session.scalar(
            select(func.count()).where(
                Invitation.meeting_id == meeting_id,
                Invitation.state != InvitationState.NOT_SENT,
            )
        )
        if meeting.state is not MeetingState.PLANNED or told:
            raise ValidationError(
                _(
                    "“{title}” has already been announced or held and cannot be deleted; "
                    "cancel it instead."
                ).format(title=meeting.title)
            )
        session.delete(meeting)
