"""Qt models of the meetings page: the meeting list and the detail tables of one meeting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _, format_date, format_datetime, format_time
from app.models import AttendanceStatus, InvitationState, MeetingState
from app.services.meetings import (
    AGENDA_KIND_LABELS,
    ATTENDANCE_STATUS_LABELS,
    INVITATION_STATE_LABELS,
    MEETING_STATE_LABELS,
    AttendanceRow,
    InvitationRow,
    MeetingRow,
    label,
)
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_CENTER, ALIGN_RIGHT, Column, RowTableModel

INVITATION_TONES = {
    InvitationState.ACCEPTED: Tone.POSITIVE,
    InvitationState.DECLINED: Tone.NEGATIVE,
    InvitationState.TENTATIVE: Tone.CAUTION,
}
ATTENDANCE_TONES = {
    AttendanceStatus.PRESENT: Tone.POSITIVE,
    AttendanceStatus.ABSENT: Tone.NEGATIVE,
}


def invitation_colour(state: InvitationState | None) -> QColor | None:
    tone = INVITATION_TONES.get(state) if state is not None else None
    return colour(tone) if tone is not None else None


def attendance_colour(status: AttendanceStatus | None) -> QColor | None:
    """A status's colour; "not recorded" (None) is muted."""
    if status is None:
        return colour(Tone.MUTED)
    tone = ATTENDANCE_TONES.get(status)
    return colour(tone) if tone is not None else None


# Agenda sub-items are indented by this many spaces per level.
INDENT = "\u2003\u2003"


def meeting_date(start: datetime) -> str:
    """ "Do., 24.11.2022" / "Thu, 24 Nov 2022"."""
    return f"{format_date(start, 'EEE')}, {format_date(start, 'medium')}"


def time_span(start: datetime, end: datetime | None) -> str:
    if end is None:
        return format_time(start)
    return f"{format_time(start)}–{format_time(end)}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("yes") if value else _("no")


MEETING_COLUMNS = (
    Column(N_("Date"), lambda r: meeting_date(r.start), sort_key=lambda r: r.start, width=18),
    Column(
        N_("Time"), lambda r: time_span(r.start, r.end), sort_key=lambda r: r.start.time(), width=13
    ),
    Column(N_("Title"), lambda r: r.title, width=44, tooltip=lambda r: r.title, stretch=True),
    Column(N_("Venue"), lambda r: r.venue or "", width=30, tooltip=lambda r: r.venue or ""),
    Column(N_("State"), lambda r: label(MEETING_STATE_LABELS, r.state), width=15),
    Column(
        N_("Invited"),
        lambda r: str(r.invited),
        sort_key=lambda r: r.invited,
        align=ALIGN_RIGHT,
        width=7,
    ),
    Column(
        N_("Accepted"),
        lambda r: str(r.accepted),
        sort_key=lambda r: r.accepted,
        align=ALIGN_RIGHT,
        width=8,
    ),
)


class MeetingModel(RowTableModel):
    """Upcoming meetings in bold; cancelled ones grey and struck through."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(MEETING_COLUMNS, parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    def row_font(self, row: MeetingRow) -> QFont | None:
        if row.state is MeetingState.CANCELLED:
            return self._struck
        return self._bold if row.upcoming else None

    def row_foreground(self, row: MeetingRow) -> QColor | None:
        return colour(Tone.MUTED) if row.state is MeetingState.CANCELLED else None


AGENDA_COLUMNS = (
    Column(N_("No."), lambda r: r.number, width=4),
    Column(N_("Start"), lambda r: format_time(r.start), width=6),
    Column(
        N_("Title"),
        lambda r: INDENT * r.depth + r.title,
        width=44,
        tooltip=lambda r: r.description or r.title,
        stretch=True,
    ),
    Column(N_("Presenter"), lambda r: r.presenter, width=26, tooltip=lambda r: r.presenter),
    Column(N_("Minutes"), lambda r: str(r.planned_minutes), align=ALIGN_RIGHT, width=7),
    Column(N_("Kind"), lambda r: label(AGENDA_KIND_LABELS, r.kind), width=12),
)


class AgendaModel(RowTableModel):
    """The TOPs in their order (not sortable: the order is the agenda)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(AGENDA_COLUMNS, parent)


def _timestamp(value: datetime | None) -> float:
    return value.timestamp() if value is not None else float("inf")


class InvitationModel(RowTableModel):
    """Invitees with their reply; times shown in the meeting's time zone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.zone: ZoneInfo | None = None
        super().__init__(
            (
                Column(N_("Name"), lambda r: r.name, width=24),
                Column(
                    N_("Organisation"),
                    lambda r: r.organisation or "",
                    width=28,
                    tooltip=lambda r: r.organisation or "",
                ),
                Column(N_("E-mail"), lambda r: r.email or "", width=26),
                Column(
                    N_("Reply"),
                    lambda r: label(INVITATION_STATE_LABELS, r.state),
                    sort_key=lambda r: list(InvitationState).index(r.state),
                    width=12,
                    foreground=lambda r: invitation_colour(r.state),
                ),
                Column(
                    N_("Answered"),
                    self._answered,
                    sort_key=lambda r: _timestamp(r.answered_at),
                    width=18,
                ),
                Column(N_("Note"), lambda r: r.note, width=24, tooltip=lambda r: r.note),
            ),
            parent,
        )

    def _answered(self, row: InvitationRow) -> str:
        if row.answered_at is None:
            return ""
        return format_datetime(row.answered_at.astimezone(self.zone))

    def set_invitations(self, rows: list[InvitationRow], zone: ZoneInfo) -> None:
        self.zone = zone
        self.set_rows(rows)


def _attendance_status_sort(row: AttendanceRow) -> int:
    return list(AttendanceStatus).index(row.status)


ATTENDANCE_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=24),
    Column(
        N_("Organisation"),
        lambda r: r.organisation or "",
        width=28,
        tooltip=lambda r: r.organisation or "",
        stretch=True,
    ),
    Column(
        N_("Status"),
        lambda r: label(ATTENDANCE_STATUS_LABELS, r.status),
        sort_key=_attendance_status_sort,
        width=12,
        foreground=lambda r: attendance_colour(r.status),
    ),
    Column(
        N_("Photo consent"),
        lambda r: yes_no(r.photo_consent),
        sort_key=lambda r: {True: 0, None: 1, False: 2}[r.photo_consent],
        align=ALIGN_CENTER,
        width=12,
    ),
    Column(
        N_("Guest"),
        lambda r: _("Guest") if r.guest else "",
        width=8,
        header_tooltip=N_("Walk-in guests who were not in the directory"),
    ),
)


class AttendanceModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ATTENDANCE_COLUMNS, parent)
