"""Attendance (no Qt): check-in at the door, marking after the meeting, walk-ins, undo.

- ``checkin`` — the door mode's candidate list, ``check_in``/``undo_check_in``.
- ``ranking`` — ``rank_candidates``: the in-memory search per keystroke.
- ``walkins`` — ``add_walk_in`` as a guest or a new person, ``remove_walk_in``.
- ``marking`` — the after-the-meeting list, ``mark``/``mark_many``/``mark_accepted_present``,
  late arrival and early leave, the command line's batch, when to offer "held".
- ``common.restore_attendance`` — the inverse of every change (the window's undo).

The sign-in sheet PDF lives in ``app.documents.signin``; the figures in
``app.services.reporting``.
"""

from app.services.attendance.checkin import (
    CheckInResult,
    check_in,
    check_in_guest,
    checkin_candidates,
    checkin_row,
    undo_check_in,
)
from app.services.attendance.common import restore_attendance
from app.services.attendance.marking import (
    ACCEPTED_RULE,
    AttendanceBatch,
    BatchResult,
    MarkingSheet,
    attendance_sheet,
    held_suggestion,
    mark,
    mark_accepted_present,
    mark_guest,
    mark_many,
    marking_sheet,
    people_by_email,
    record_attendance,
    set_partial,
    set_photo_consent,
    set_photo_consents,
)
from app.services.attendance.ranking import best_match, rank_candidates
from app.services.attendance.rows import (
    AttendanceChange,
    AttendanceState,
    AttendanceSummary,
    CheckinRow,
    GuestInfo,
    MarkRow,
    WalkInResult,
    summarise,
)
from app.services.attendance.walkins import (
    AlreadyInDirectoryError,
    add_walk_in,
    remove_walk_in,
)

__all__ = [
    "ACCEPTED_RULE",
    "AlreadyInDirectoryError",
    "AttendanceBatch",
    "AttendanceChange",
    "AttendanceState",
    "AttendanceSummary",
    "BatchResult",
    "CheckInResult",
    "CheckinRow",
    "GuestInfo",
    "MarkRow",
    "MarkingSheet",
    "WalkInResult",
    "add_walk_in",
    "attendance_sheet",
    "best_match",
    "check_in",
    "check_in_guest",
    "checkin_candidates",
    "checkin_row",
    "held_suggestion",
    "mark",
    "mark_accepted_present",
    "mark_guest",
    "mark_many",
    "marking_sheet",
    "people_by_email",
    "rank_candidates",
    "record_attendance",
    "remove_walk_in",
    "restore_attendance",
    "set_partial",
    "set_photo_consent",
    "set_photo_consents",
    "summarise",
    "undo_check_in",
]
