"""One meeting in tabs: overview, agenda, invitations, attendance, minutes (read-only)."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.models import AttendanceStatus, InvitationState
from app.services.meetings import (
    ATTENDANCE_STATUS_LABELS,
    INVITATION_STATE_LABELS,
    MeetingDetail,
    label,
)
from ui.meetings.minutes_html import minutes_html
from ui.meetings.models import (
    AgendaModel,
    AttendanceModel,
    InvitationModel,
    meeting_date,
    time_span,
)
from ui.meetings.overview import MeetingOverview
from ui.widgets.tables import TableView

# The order a reader scans replies in: who comes first, who has not answered last.
INVITATION_COUNT_ORDER = (
    InvitationState.ACCEPTED,
    InvitationState.TENTATIVE,
    InvitationState.DECLINED,
    InvitationState.SENT,
    InvitationState.NOT_SENT,
)
SEPARATOR = "  ·  "


def _plain_label(name: str) -> QLabel:
    label_ = QLabel()
    label_.setObjectName(name)
    label_.setTextFormat(Qt.TextFormat.PlainText)
    label_.setWordWrap(True)
    return label_


def _table_tab(view: TableView, counts: QLabel | None = None) -> QWidget:
    tab = QWidget()
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(8, 8, 8, 8)
    if counts is not None:
        layout.addWidget(counts)
    layout.addWidget(view)
    return tab


def invitation_counts(meeting: MeetingDetail) -> str:
    counts = Counter(row.state for row in meeting.invitations)
    return SEPARATOR.join(
        f"{label(INVITATION_STATE_LABELS, state)}: {counts[state]}"
        for state in INVITATION_COUNT_ORDER
    )


def attendance_counts(meeting: MeetingDetail) -> str:
    counts = Counter(row.status for row in meeting.attendance)
    parts = [
        f"{label(ATTENDANCE_STATUS_LABELS, status)}: {counts[status]}"
        for status in AttendanceStatus
    ]
    parts.append(_("Guests: {count}").format(count=sum(row.guest for row in meeting.attendance)))
    return SEPARATOR.join(parts)


class MeetingDetailView(QStackedWidget):
    """Shows one ``MeetingDetail``; an explanatory text while none is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = QLabel(
            _("Select a meeting to see its agenda, invitations and minutes.")
        )
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._placeholder.setEnabled(False)
        self.addWidget(self._placeholder)

        self.title = _plain_label("meetingTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = _plain_label("meetingSubtitle")

        self.overview = MeetingOverview()
        self.agenda_model = AgendaModel(self)
        # Not sortable: the order is the agenda.
        self.agenda_view = TableView(
            self.agenda_model, "agendaView", empty_text=_("No agenda yet."), sortable=False
        )

        self.invitation_model = InvitationModel(self)
        self.invitation_view = TableView(
            self.invitation_model, "invitationView", empty_text=_("No invitations yet.")
        )
        self.invitation_counts = _plain_label("invitationCounts")

        self.attendance_model = AttendanceModel(self)
        self.attendance_view = TableView(
            self.attendance_model, "attendanceView", empty_text=_("No attendance recorded yet.")
        )
        self.attendance_counts = _plain_label("attendanceCounts")

        self.minutes = QTextBrowser()
        self.minutes.setObjectName("minutesBrowser")
        self.minutes.setOpenLinks(False)
        self.minutes.setPlaceholderText(_("No minutes yet."))

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.overview, "")
        self.tabs.addTab(_table_tab(self.agenda_view), "")
        self.tabs.addTab(_table_tab(self.invitation_view, self.invitation_counts), "")
        self.tabs.addTab(_table_tab(self.attendance_view, self.attendance_counts), "")
        self.tabs.addTab(self.minutes, "")
        self._set_tab_titles(None)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tabs, 1)
        self.addWidget(content)

    def use_attendance_tab(self, widget: QWidget) -> None:
        """Show *widget* (the marking tab of ``ui.attendance``) as the Attendance tab; the
        read-only list it replaces stays alive, unshown."""
        container = self.attendance_view.parentWidget()
        assert container is not None  # the view always sits in its tab page
        index = self.tabs.indexOf(container)
        text = self.tabs.tabText(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, text)

    def use_minutes_tab(self, widget: QWidget) -> None:
        """Show *widget* (the editor of ``ui.minutes``) as the Minutes tab instead of the
        read-only text, which stays alive, unshown."""
        index = self.tabs.indexOf(self.minutes)
        text = self.tabs.tabText(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, text)

    def _set_tab_titles(self, meeting: MeetingDetail | None) -> None:
        def titled(text: str, rows: tuple[object, ...]) -> str:
            return f"{text} ({len(rows)})" if rows else text

        self.tabs.setTabText(0, _("Overview"))
        self.tabs.setTabText(1, titled(_("Agenda"), meeting.agenda if meeting else ()))
        self.tabs.setTabText(2, titled(_("Invitations"), meeting.invitations if meeting else ()))
        self.tabs.setTabText(3, titled(_("Attendance"), meeting.attendance if meeting else ()))
        self.tabs.setTabText(4, _("Minutes"))

    def show_meeting(self, meeting: MeetingDetail | None) -> None:
        if meeting is None:
            self.setCurrentIndex(0)
            return
        self.title.setText(meeting.title)
        where = meeting.venue.name if meeting.venue else ""
        self.subtitle.setText(
            SEPARATOR.join(
                part
                for part in (
                    meeting_date(meeting.start),
                    time_span(meeting.start, meeting.end),
                    where,
                )
                if part
            )
            + (f"\n{meeting.time_note}" if meeting.time_note else "")
        )
        self.overview.show_meeting(meeting)
        self.agenda_model.set_rows(meeting.agenda)
        self.invitation_model.set_invitations(list(meeting.invitations), ZoneInfo(meeting.timezone))
        self.invitation_counts.setText(invitation_counts(meeting))
        self.invitation_counts.setVisible(bool(meeting.invitations))
        self.attendance_model.set_rows(meeting.attendance)
        self.attendance_counts.setText(attendance_counts(meeting))
        self.attendance_counts.setVisible(bool(meeting.attendance))
        self.minutes.setHtml(minutes_html(meeting))
        self._set_tab_titles(meeting)
        self.setCurrentIndex(1)
