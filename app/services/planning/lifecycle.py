"""A meeting's life: planned → invited → held → minutes draft → minutes final, or cancelled.

Allowed transitions are data (``TRANSITIONS``). One deliberate addition to the plain chain:
planned → held, because partners are sometimes invited by phone or letter outside Treffpunkt
and the meeting still takes place. Cancelling is possible while planned or invited; a
cancelled meeting is final (copy it to plan a new date). Minutes corrections after "final"
are revisions of the minutes, not a state change back.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.models import Meeting, MeetingState, utcnow
from app.services.meetings import MEETING_STATE_LABELS, label
from app.services.planning.common import (
    MeetingChange,
    change_result,
    check_version,
    draft_of,
    load_meeting,
)
from app.services.planning.times import check_period, localize

TRANSITIONS: dict[MeetingState, tuple[MeetingState, ...]] = {
    MeetingState.PLANNED: (MeetingState.INVITED, MeetingState.HELD, MeetingState.CANCELLED),
    MeetingState.INVITED: (MeetingState.HELD, MeetingState.CANCELLED),
    MeetingState.HELD: (MeetingState.MINUTES_DRAFT,),
    MeetingState.MINUTES_DRAFT: (MeetingState.MINUTES_FINAL,),
    MeetingState.MINUTES_FINAL: (),
    MeetingState.CANCELLED: (),
}
# Time and place can still move while the meeting lies ahead.
RESCHEDULABLE = (MeetingState.PLANNED, MeetingState.INVITED)


def allowed_transitions(state: MeetingState) -> tuple[MeetingState, ...]:
    """The states a meeting in *state* may move to (for enabling buttons)."""
    return TRANSITIONS[state]


def _refuse_transition(meeting: Meeting, target: MeetingState) -> None:
    if target not in TRANSITIONS[meeting.state]:
        raise ValidationError(
            _("“{title}” is “{current}” and cannot become “{target}”.").format(
                title=meeting.title,
                current=label(MEETING_STATE_LABELS, meeting.state),
                target=label(MEETING_STATE_LABELS, target),
            )
        )


def apply_state(meeting: Meeting, target: MeetingState, *, now: datetime | None = None) -> bool:
    """Move *meeting* (in an open write session) to *target*; False when it is already there.

    Cancelling stamps ``cancelled_at`` and raises the calendar sequence (METHOD:CANCEL must
    carry a higher SEQUENCE than the last REQUEST).
    """
    if meeting.state is target:
        return False
    _refuse_transition(meeting, target)
    meeting.state = target
    if target is MeetingState.CANCELLED:
        meeting.cancelled_at = now or utcnow()
        meeting.ics_sequence += 1
    return True


def advance_to_invited(session: Session, meeting_id: int) -> None:
    """For the mailing: the first invitation sent moves a planned meeting to "invited".

    A no-op in every other state (re-sending to late invitees of a held meeting is fine).
    """
    meeting = load_meeting(session, meeting_id)
    if meeting.state is MeetingState.PLANNED:
        apply_state(meeting, MeetingState.INVITED)


def set_meeting_state(
    db: Database,
    meeting_id: int,
    state: MeetingState,
    *,
    expected_version: int | None = None,
) -> MeetingChange:
    """Move a meeting along its life; an invalid step raises ValidationError, nothing changed.

    Setting the current state again is a no-op.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        check_version(meeting, expected_version)
        before = meeting.ics_sequence
        apply_state(meeting, state)
        return change_result(
            session,
            meeting,
            sequence_raised=meeting.ics_sequence != before,
            changed=frozenset({"state"}),
        )


def cancel_meeting(
    db: Database, meeting_id: int, *, expected_version: int | None = None
) -> MeetingChange:
    """Cancel a planned or invited meeting: state, ``cancelled_at``, sequence + 1.

    Everyone who received the invitation then counts in ``update_mail_due`` and gets a
    cancellation (METHOD:CANCEL) from the mailing.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        check_version(meeting, expected_version)
        if meeting.state is MeetingState.CANCELLED:
            raise ValidationError(_("“{title}” is already cancelled.").format(title=meeting.title))
        previous = draft_of(meeting)
        apply_state(meeting, MeetingState.CANCELLED)
        return change_result(
            session,
            meeting,
            sequence_raised=True,
            changed=frozenset({"state"}),
            previous=previous,
        )


def reschedule_meeting(
    db: Database,
    meeting_id: int,
    start: datetime,
    end: datetime | None = None,
    *,
    expected_version: int | None = None,
) -> MeetingChange:
    """Move a planned or invited meeting to a new time.

    Naive times are wall time in the meeting's zone. Without *end* the meeting keeps its
    length (or stays open-ended). A real move raises the calendar sequence, so everyone
    already invited is due an update mail; moving to the same time changes nothing.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        check_version(meeting, expected_version)
        if meeting.state not in RESCHEDULABLE:
            raise ValidationError(
                _("“{title}” is “{state}”; only a meeting that lies ahead can be moved.").format(
                    title=meeting.title, state=label(MEETING_STATE_LABELS, meeting.state)
                )
            )
        # Compared in UTC: ambiguous local times never compare equal across zones (PEP 495).
        new_start = localize(start, meeting.timezone).astimezone(UTC)
        if end is not None:
            new_end: datetime | None = localize(end, meeting.timezone).astimezone(UTC)
        elif meeting.end is not None:
            new_end = new_start + (meeting.end - meeting.start)
        else:
            new_end = None
        check_period(new_start, new_end)
        previous = draft_of(meeting)
        changed = set()
        if new_start != meeting.start:
            changed.add("start")
        if new_end != meeting.end:
            changed.add("end")
        if changed:
            meeting.start = new_start
            meeting.end = new_end
            meeting.ics_sequence += 1
        return change_result(
            session,
            meeting,
            sequence_raised=bool(changed),
            changed=frozenset(changed),
            previous=previous,
        )
