"""Shared pieces of meeting planning: the form's data, loading, the lost-update guard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.db.versioning import conflict
from app.errors import ConflictError, NotFound, ValidationError
from app.i18n import _
from app.models import Invitation, Meeting, MeetingState, MinutesState, Person
from app.services.planning.times import DEFAULT_TIMEZONE, zone


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    """What the meeting form edits.

    ``start``/``end``: aware, or naive meaning wall time in ``timezone`` (see ``times``).
    Venue: ``venue_id`` wins; otherwise ``venue_name`` finds a venue of that name (ignoring
    case and accents) or adds a new one; both empty means no venue.
    """

    title: str
    start: datetime
    end: datetime | None = None
    timezone: str = DEFAULT_TIMEZONE
    venue_id: int | None = None
    venue_name: str | None = None
    organiser_id: int | None = None
    moderator_id: int | None = None
    minute_taker_id: int | None = None
    description: str = ""
    rsvp_by: date | None = None
    # "de"/"en": the documents' language (services.languages); None: the network's for a new
    # meeting, unchanged for an existing one.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class MeetingForm:
    """A meeting as loaded into the form. Keep ``version`` and pass it back when saving."""

    id: int
    version: int
    draft: MeetingDraft  # start/end aware in the meeting's zone; venue_id set, venue_name shown
    uid: str
    state: MeetingState
    ics_sequence: int
    cancelled_at: datetime | None
    allowed_states: tuple[MeetingState, ...]


@dataclass(frozen=True, slots=True)
class MeetingChange:
    """The outcome of a change to a meeting.

    ``version`` is the meeting's new version: a form that stays open continues with it.
    ``update_mail_due`` counts invitees who received an earlier version of the invitation
    (their ``sent_sequence`` is below ``ics_sequence``): the window offers them an update or
    cancellation mail. ``previous`` holds the values before the change, for undo.
    """

    meeting_id: int
    version: int
    state: MeetingState
    ics_sequence: int
    sequence_raised: bool
    update_mail_due: int
    changed: frozenset[str] = field(default_factory=frozenset)
    previous: MeetingDraft | None = None


def load_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
    return meeting


def check_version(meeting: Meeting, expected_version: int | None) -> None:
    """Refuse to overwrite a meeting someone else saved after this form was loaded.

    The row was just read inside the write transaction (``BEGIN IMMEDIATE`` holds the write
    lock), and SQLAlchemy's ``version_id_col`` puts ``WHERE version = <that value>`` into the
    UPDATE; after this check that value is the form's version, so the UPDATE itself carries
    the form's version (FIELD-NOTES: the ORM alone would only compare with the version read
    in the new session).
    """
    if expected_version is not None and meeting.version != expected_version:
        raise conflict(
            meeting,
            _(
                "“{title}” was changed elsewhere after you opened it; nothing was saved. "
                "Reload the meeting and make your change again."
            ).format(title=meeting.title),
        )


def check_person(session: Session, person_id: int | None) -> None:
    if person_id is not None and session.get(Person, person_id) is None:
        raise NotFound(_("There is no person with the number {id}.").format(id=person_id))


def refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.state is MeetingState.CANCELLED:
        raise ValidationError(
            _(
                "“{title}” is cancelled and can no longer be changed; copy it to plan a new date."
            ).format(title=meeting.title)
        )


# Minutes in these states are a record: what they describe (the agenda, who came) is fixed.
LOCKED_MINUTES_STATES = (MinutesState.FINAL, MinutesState.APPROVED)


class MinutesLockedError(ValidationError):
    """The minutes are final (or approved): start a correction to change them."""


def refuse_if_minutes_final(meeting: Meeting, part: Literal["agenda", "attendance"]) -> None:
    """Refuse a change of the agenda or the attendance once the minutes are final.

    The final minutes (and the revision recorded when they were finalised) list the TOPs and
    who was there; changing either afterwards would make the database and the minutes sent to
    the network disagree. A correction of the minutes (a draft of the next revision) opens
    both again.
    """
    minutes = meeting.minutes
    if minutes is None or minutes.state not in LOCKED_MINUTES_STATES:
        return
    if part == "agenda":
        message = _(
            "The minutes of “{title}” are final, so its agenda can no longer be changed. "
            "To change it, start a correction of the minutes."
        )
    else:
        message = _(
            "The minutes of “{title}” are final, so its attendance can no longer be changed. "
            "To change it, start a correction of the minutes."
        )
    raise MinutesLockedError(message.format(title=meeting.title))


def local(meeting: Meeting, value: datetime | None) -> datetime | None:
    return value.astimezone(zone(meeting.timezone)) if value is not None else None


def draft_of(meeting: Meeting) -> MeetingDraft:
    start = local(meeting, meeting.start)
    assert start is not None
    return MeetingDraft(
        title=meeting.title,
        start=start,
        end=local(meeting, meeting.end),
        timezone=meeting.timezone,
        venue_id=meeting.venue_id,
        venue_name=meeting.venue.name if meeting.venue is not None else None,
        organiser_id=meeting.organiser_id,
        moderator_id=meeting.moderator_id,
        minute_taker_id=meeting.minute_taker_id,
        description=meeting.description,
        rsvp_by=meeting.rsvp_by,
        language=meeting.language,
    )


def update_mail_due(session: Session, meeting: Meeting) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Invitation.meeting_id == meeting.id,
                Invitation.anonymised.is_(False),  # nobody to tell behind an erased person
                Invitation.sent_sequence.is_not(None),
                Invitation.sent_sequence < meeting.ics_sequence,
            )
        )
        or 0
    )


def change_result(
    session: Session,
    meeting: Meeting,
    *,
    sequence_raised: bool,
    changed: frozenset[str] = frozenset(),
    previous: MeetingDraft | None = None,
) -> MeetingChange:
    try:
        session.flush()  # the UPDATE runs here (and raises the version)
    except StaleDataError as exc:  # only if the row changed despite the write lock
        raise ConflictError(
            _("The meeting was changed elsewhere at the same time; nothing was saved.")
        ) from exc
    return MeetingChange(
        meeting_id=meeting.id,
        version=meeting.version,
        state=meeting.state,
        ics_sequence=meeting.ics_sequence,
        sequence_raised=sequence_raised,
        update_mail_due=update_mail_due(session, meeting),
        changed=changed,
        previous=previous,
    )
