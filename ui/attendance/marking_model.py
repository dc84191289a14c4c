"""The after-the-meeting list as a Qt model: invitees, others recorded, guests."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _
from app.models import AttendanceStatus, InvitationState
from app.services.attendance import MarkRow
from app.services.meetings import ATTENDANCE_STATUS_LABELS, INVITATION_STATE_LABELS, label
from ui.meetings.models import attendance_colour, invitation_colour, yes_no
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_CENTER, Column, RowTableModel

_STATUS_ORDER: dict[AttendanceStatus | None, int] = {
    None: 3,
    **{status: n for n, status in enumerate(AttendanceStatus)},
}
_REPLY_ORDER: dict[InvitationState | None, int] = {
    None: len(InvitationState),
    **{s: n for n, s in enumerate(InvitationState)},
}


def reply_text(row: MarkRow) -> str:
    if row.guest:
        return _("Guest")
    if row.invitation_state is None:
        return _("not invited")
    return label(INVITATION_STATE_LABELS, row.invitation_state)


def status_text(row: MarkRow) -> str:
    if row.status is None:
        return "–"
    return label(ATTENDANCE_STATUS_LABELS, row.status)


def partial_text(number: str | None) -> str:
    return _("TOP {number}").format(number=number) if number else ""


MARK_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=24, tooltip=lambda r: r.email),
    Column(
        N_("Organisation"),
        lambda r: r.organisation,
        width=28,
        stretch=True,
        tooltip=lambda r: r.organisation,
    ),
    Column(
        N_("Reply"),
        reply_text,
        width=15,
        sort_key=lambda r: _REPLY_ORDER[r.invitation_state],
        foreground=lambda r: invitation_colour(r.invitation_state),
    ),
    Column(
        N_("Attendance"),
        status_text,
        width=12,
        sort_key=lambda r: _STATUS_ORDER[r.status],
        foreground=lambda r: attendance_colour(r.status),
    ),
    Column(
        N_("Photos"),
        lambda r: yes_no(r.photo_consent),
        width=7,
        align=ALIGN_CENTER,
        sort_key=lambda r: {True: 0, None: 1, False: 2}[r.photo_consent],
        header_tooltip=N_("Photo consent given at this meeting"),
    ),
    Column(
        N_("Arrived"),
        lambda r: partial_text(r.arrived_at_number),
        width=9,
        header_tooltip=N_("Came late: present from this agenda item on"),
    ),
    Column(
        N_("Left"),
        lambda r: partial_text(r.left_after_number),
        width=9,
        header_tooltip=N_("Left early: present until the end of this agenda item"),
    ),
)


class MarkModel(RowTableModel):
    """``attendance_sheet`` rows; anonymised rows (erased people) greyed out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(MARK_COLUMNS, parent)

    def row_foreground(self, row: MarkRow) -> QColor | None:
        return colour(Tone.MUTED) if row.anonymised else None


def row_key(row: MarkRow) -> tuple[str, int | None]:
    """A row's identity across reloads (to keep the selection)."""
    if row.person_id is not None:
        return ("person", row.person_id)
    return ("attendance", row.attendance_id)
