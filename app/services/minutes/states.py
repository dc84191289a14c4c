"""The life of the minutes: draft → final (locked) → approved at a later meeting.

- ``ensure_minutes`` creates the minutes row when missing (number, meeting state: see
  ``common``); the window calls it when it opens the minutes.
- ``finalise_minutes``: draft → final. The meeting becomes MINUTES_FINAL (through HELD and
  MINUTES_DRAFT if it had not got there yet), ``finalised_at`` is stamped and a
  ``MinutesRevision`` records the content as JSON (revision 1 the first time). Final minutes are
  locked. A meeting that has not begun yet cannot be finalised.
- ``start_correction``: final → draft of revision n+1 with a required "what changed" text;
  finalising again records revision n+1 with that text. The meeting stays MINUTES_FINAL during
  a correction (a correction is a revision of the minutes, not a step back in the meeting's
  life; see ``planning.lifecycle``). Approved minutes are not corrected any more: corrections
  then go into the minutes of the next meeting.
- ``approve_minutes``: final → approved, recorded in the later meeting in which the network
  approved them (that meeting's minutes then say "minutes of … approved"). Inverse:
  ``revoke_approval``. ``approval_meetings`` lists the meetings that qualify.
- ``take_step``: the user's intent (``MinutesStep``) applied through the functions above; the
  window asks ``MinutesView.status`` (``common.minutes_status``) which steps are open and
  never decides a state rule itself.

Finalising and correcting have no inverse on the undo stack: they are deliberate steps the
window confirms first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import Meeting, MeetingState, Minutes, MinutesRevision, MinutesState, utcnow
from app.services.meetings import MeetingRow, list_meetings
from app.services.minutes.common import (
    MinutesInfo,
    MinutesStep,
    advance_meeting,
    check_minutes_version,
    find_minutes,
    meeting_order,
    minutes_info,
    minutes_row,
    pending_revision,
    refuse_if_cancelled,
)
from app.services.planning.common import load_meeting
from app.services.planning.lifecycle import apply_state
from app.text import nfc

MAX_CHANGE_SUMMARY = 5000


@dataclass(frozen=True, slots=True)
class RevisionRow:
    revision: int
    created_at: datetime  # UTC; for a correction in progress: when it was started
    change_summary: str
    final: bool  # False for a correction still being written


def ensure_minutes(db: Database, meeting_id: int, *, now: datetime | None = None) -> MinutesInfo:
    """The meeting's minutes, created (numbered, meeting state moved on) if missing."""
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        refuse_if_cancelled(meeting)
        minutes = minutes_row(session, meeting, now=now)
        session.flush()
        return minutes_info(meeting, minutes)


def get_minutes_info(db: Database, meeting_id: int) -> MinutesInfo | None:
    """The minutes row as plain data, or None while nobody has started the minutes."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        minutes = find_minutes(session, meeting_id)
        return minutes_info(meeting, minutes) if minutes is not None else None


def _existing(session: Session, meeting: Meeting) -> Minutes:
    minutes = find_minutes(session, meeting.id)
    if minutes is None:
        raise NotFound(_("“{title}” has no minutes yet.").format(title=meeting.title))
    return minutes


def _record_snapshot(session: Session, meeting: Meeting, revision: MinutesRevision) -> None:
    # Late import: the snapshot builder imports these services (package cycle).
    from app.services.snapshots.minutes import snapshot_in_session, snapshot_json

    session.flush()
    revision.snapshot_json = snapshot_json(snapshot_in_session(session, meeting.id))


def finalise_minutes(
    db: Database, meeting_id: int, *, expected_version: int | None, now: datetime | None = None
) -> MinutesInfo:
    """Draft → final (see the module docstring). *expected_version*: ``MinutesInfo.version``."""
    now = now or utcnow()
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        refuse_if_cancelled(meeting)
        existed = find_minutes(session, meeting_id) is not None
        minutes = minutes_row(session, meeting, now=now)
        if existed:
            check_minutes_version(meeting, minutes, expected_version)
        if minutes.state is not MinutesState.DRAFT:
            raise ValidationError(
                _("The minutes of “{title}” are already final.").format(title=meeting.title)
            )
        if meeting.start > now:
            raise ValidationError(
                _(
                    "“{title}” has not begun yet; its minutes can be finalised once it has "
                    "taken place."
                ).format(title=meeting.title)
            )
        advance_meeting(meeting, now)
        if meeting.state is MeetingState.MINUTES_DRAFT:
            apply_state(meeting, MeetingState.MINUTES_FINAL)
        revision = pending_revision(minutes)
        if revision is None:
            revision = MinutesRevision(revision=minutes.revision + 1, change_summary="")
            minutes.revisions.append(revision)
        revision.created_at = now
        minutes.revision = revision.revision
        minutes.state = MinutesState.FINAL
        minutes.finalised_at = now
        _record_snapshot(session, meeting, revision)
        session.flush()
        return minutes_info(meeting, minutes)


def start_correction(
    db: Database,
    meeting_id: int,
    change_summary: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> MinutesInfo:
    """Unlock final minutes as the draft of revision n+1; *change_summary* says what changes."""
    now = now or utcnow()
    summary = nfc(change_summary)
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        minutes = _existing(session, meeting)
        check_minutes_version(meeting, minutes, expected_version)
        if minutes.state is MinutesState.DRAFT:
            raise ValidationError(
                _("The minutes of “{title}” are not final yet; they can simply be edited.").format(
                    title=meeting.title
                )
            )
        if minutes.state is MinutesState.APPROVED:
            raise ValidationError(
                _(
                    "The minutes of “{title}” were approved in a later meeting and can no "
                    "longer be corrected; record the correction in the minutes of the next "
                    "meeting."
                ).format(title=meeting.title)
            )
        if not summary:
            raise ValidationError(
                _("Please say what the correction changes; the new revision records it.")
            )
        if len(summary) > MAX_CHANGE_SUMMARY:
            raise ValidationError(
                _("The description of the correction may be at most {max} characters long.").format(
                    max=MAX_CHANGE_SUMMARY
                )
            )
        if not any(r.revision == minutes.revision and r.snapshot_json for r in minutes.revisions):
            # Final minutes from before revisions were recorded (e.g. imported or the demo):
            # keep what they said as the revision that is being corrected.
            recorded = MinutesRevision(
                revision=max(minutes.revision, 1),
                created_at=minutes.finalised_at or now,
                change_summary="",
            )
            minutes.revisions.append(recorded)
            minutes.revision = recorded.revision
            _record_snapshot(session, meeting, recorded)
        minutes.revisions.append(
            MinutesRevision(revision=minutes.revision + 1, created_at=now, change_summary=summary)
        )
        minutes.revision += 1
        minutes.state = MinutesState.DRAFT
        session.flush()
        return minutes_info(meeting, minutes)


def approve_minutes(
    db: Database,
    meeting_id: int,
    approved_in_meeting_id: int,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> MinutesInfo:
    """Final → approved in the later meeting *approved_in_meeting_id*."""
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        minutes = _existing(session, meeting)
        check_minutes_version(meeting, minutes, expected_version)
        if minutes.state is MinutesState.DRAFT:
            raise ValidationError(
                _("The minutes of “{title}” must be final before they can be approved.").format(
                    title=meeting.title
                )
            )
        if minutes.state is MinutesState.APPROVED:
            raise ValidationError(
                _("The minutes of “{title}” are already approved.").format(title=meeting.title)
            )
        approving = load_meeting(session, approved_in_meeting_id)
        if approving.state is MeetingState.CANCELLED:
            raise ValidationError(
                _("“{title}” was cancelled; nothing can be approved in it.").format(
                    title=approving.title
                )
            )
        if meeting_order(approving) <= meeting_order(meeting):
            raise ValidationError(
                _("Minutes are approved in a later meeting, not in “{title}”.").format(
                    title=approving.title
                )
            )
        minutes.state = MinutesState.APPROVED
        minutes.approved_at = now or utcnow()
        minutes.approved_in_meeting_id = approving.id
        session.flush()
        return minutes_info(meeting, minutes)


def revoke_approval(
    db: Database, meeting_id: int, *, expected_version: int | None = None
) -> MinutesInfo:
    """Approved → final again (undo of ``approve_minutes``)."""
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        minutes = _existing(session, meeting)
        check_minutes_version(meeting, minutes, expected_version)
        if minutes.state is not MinutesState.APPROVED:
            raise ValidationError(
                _("The minutes of “{title}” are not approved.").format(title=meeting.title)
            )
        minutes.state = MinutesState.FINAL
        minutes.approved_at = None
        minutes.approved_in_meeting_id = None
        session.flush()
        return minutes_info(meeting, minutes)


def minutes_revisions(db: Database, meeting_id: int) -> list[RevisionRow]:
    """The recorded revisions, oldest first (a correction in progress last, not final)."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        minutes = find_minutes(session, meeting.id)
        if minutes is None:
            return []
        return [
            RevisionRow(r.revision, r.created_at, r.change_summary, bool(r.snapshot_json))
            for r in minutes.revisions
        ]


def revision_json(db: Database, meeting_id: int, revision: int) -> str:
    """The JSON record of a finalised revision (what the minutes said then)."""
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        minutes = _existing(session, meeting)
        for row in minutes.revisions:
            if row.revision == revision and row.snapshot_json:
                return row.snapshot_json
        raise NotFound(
            _("The minutes of “{title}” have no final revision {revision}.").format(
                title=meeting.title, revision=revision
            )
        )


def take_step(
    db: Database,
    meeting_id: int,
    step: MinutesStep,
    *,
    expected_version: int | None,
    change_summary: str = "",
    approved_in_meeting_id: int | None = None,
    now: datetime | None = None,
) -> MinutesInfo:
    """Finalise, correct (with *change_summary*) or approve (in *approved_in_meeting_id*) the
    minutes: one user action, one transaction; the state rules refuse what does not apply.
    *expected_version*: ``MinutesInfo.version`` when the user chose the step."""
    if step is MinutesStep.FINALISE:
        return finalise_minutes(db, meeting_id, expected_version=expected_version, now=now)
    if step is MinutesStep.CORRECT:
        return start_correction(
            db, meeting_id, change_summary, expected_version=expected_version, now=now
        )
    if approved_in_meeting_id is None:
        raise ValidationError(_("Please choose the meeting in which the minutes were approved."))
    return approve_minutes(
        db, meeting_id, approved_in_meeting_id, expected_version=expected_version, now=now
    )


def approval_meetings(db: Database, meeting_id: int) -> list[MeetingRow]:
    """The meetings in which the minutes of *meeting_id* can be approved: later ones (start,
    then id; ``common.meeting_order``), not cancelled; soonest first."""
    rows = list_meetings(db)
    this = next((row for row in rows if row.id == meeting_id), None)
    if this is None:
        raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
    later = [
        row
        for row in rows
        if (row.start, row.id) > (this.start, this.id) and row.state is not MeetingState.CANCELLED
    ]
    return sorted(later, key=lambda row: (row.start, row.id))
