"""The meetings page: the list (upcoming first) above the details of the selected meeting."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _, ngettext
from app.mail.secrets import SessionPasswords
from app.services.meetings import MeetingDetail, MeetingRow, get_meeting, list_meetings
from ui.attendance.attendance_tab import AttendanceTab
from ui.meetings.detail import MeetingDetailView
from ui.meetings.models import MeetingModel
from ui.meetings.planner import MeetingPlanner
from ui.minutes.minutes_editor import MinutesEditor
from ui.tasks import TaskRunner
from ui.widgets.fitting_scroll_area import FittingScrollArea
from ui.widgets.tables import TableView
from ui.window_state import remember_splitter


class MeetingsPage(QWidget):
    """Meetings of the open database; details load in the background on selection.

    Signals:
        loaded(int): number of meetings shown after a (re)load.
        detail_shown(int): id of the meeting whose details are now shown.
        load_failed(object): the exception of a failed load.
    """

    loaded = Signal(int)
    refreshed = Signal()  # team mode: a colleague's change is shown
    detail_shown = Signal(int)
    load_failed = Signal(object)

    def __init__(
        self, runner: TaskRunner, passwords: SessionPasswords, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.passwords = passwords  # the session's SMTP passwords, for every mailing here
        self._db: Database | None = None
        self.model = MeetingModel(self)
        self.view = TableView(self.model, "meetingView", empty_text=_("No meetings yet."))
        self.view.setAccessibleName(_("Meetings"))
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.detail = MeetingDetailView()
        self.attendance = AttendanceTab(runner)
        self.detail.use_attendance_tab(self.attendance)
        self.attendance.meeting_changed.connect(self._meeting_changed)
        self.minutes = MinutesEditor(runner, passwords=passwords)
        self.detail.use_minutes_tab(self.minutes)
        self.minutes.meeting_changed.connect(self._meeting_changed)
        self._count = QLabel()
        self._count.setObjectName("meetingCount")
        hint = _("Upcoming meetings are shown in bold.")
        self._count.setToolTip(hint)
        self.view.setToolTip(hint)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        # New / edit / invite / send, the agenda editor and reply keys (ui.meetings.planner).
        # One row for the actions and the count: the tab already says "Meetings".
        self.planner = MeetingPlanner(runner, self)
        header = QHBoxLayout()
        header.addWidget(self.planner, 1)
        header.addSpacing(12)
        header.addWidget(self._count)
        top_layout.addLayout(header)
        top_layout.addWidget(self.view)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("meetingsSplitter")
        splitter.addWidget(top)
        # The detail tabs (minutes editor, attendance …) fit a 1366×768 laptop; should a
        # larger font make them taller than the screen, they scroll instead of making the
        # window taller than the screen.
        detail_area = FittingScrollArea(self.detail)
        detail_area.setObjectName("meetingDetailArea")
        self.detail_area = detail_area
        splitter.addWidget(detail_area)
        # The list keeps a few rows; the details (the minutes above all) get the rest.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        rows = 4
        list_height = (
            self.view.horizontalHeader().sizeHint().height()
            + rows * self.view.verticalHeader().defaultSectionSize()
            + 2 * self.view.frameWidth()
        )
        self.view.setMinimumHeight(
            self.view.horizontalHeader().sizeHint().height()
            + 2 * self.view.verticalHeader().defaultSectionSize()
            + 2 * self.view.frameWidth()
        )
        splitter.setSizes([list_height + self.planner.sizeHint().height() + 6, 10_000])
        splitter.setChildrenCollapsible(False)
        remember_splitter(splitter, "meetings")
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

    def load(self, db: Database) -> None:
        self._db = db
        self.planner.set_database(db)
        self.view.set_loading()
        self._runner.run(
            list_meetings,
            db,
            key="meetings",
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def refresh_meetings(self, meeting_ids: frozenset[int] | None) -> None:
        """Show a colleague's change (team mode): the list is read again and only rows that
        differ repaint; the shown meeting's tabs reload if it is among *meeting_ids*
        (None: some meetings, unknown which)."""
        if self._db is None:
            return
        self._runner.run(
            list_meetings,
            self._db,
            key="meetings-changes",
            on_done=lambda rows: self._show_changed(rows, meeting_ids),
            on_error=self._failed,
        )

    def _show_changed(self, rows: list[MeetingRow], meeting_ids: frozenset[int] | None) -> None:
        self.model.merge_rows(rows)
        self._count.setText(
            ngettext("{count} meeting", "{count} meetings", len(rows)).format(count=len(rows))
        )
        shown = self.shown_meeting_id()
        # Not under the user's typing: the minutes editor saves with its own version check
        # and offers the colleague's text on a conflict (``ui.minutes``).
        typing = self.detail.tabs.currentWidget() is self.minutes
        if (
            shown is not None
            and self._db is not None
            and not typing
            and (meeting_ids is None or shown in meeting_ids)
        ):
            self._runner.run(
                get_meeting,
                self._db,
                shown,
                key="meeting-detail",
                on_done=self._show_detail,
                on_error=self.load_failed.emit,
            )
        self.refreshed.emit()

    def _failed(self, error: BaseException) -> None:
        self.view.set_loading(False)
        self.load_failed.emit(error)

    def _show(self, rows: list[MeetingRow]) -> None:
        selected: MeetingRow | None = self.view.selected_row()
        self.model.set_rows(rows)
        self._count.setText(
            ngettext("{count} meeting", "{count} meetings", len(rows)).format(count=len(rows))
        )
        self.detail.show_meeting(None)
        # Keep the meeting the user looked at; otherwise start with the next one coming up.
        wanted = selected.id if selected else next((r.id for r in rows if r.upcoming), None)
        if wanted is not None:
            self.select_meeting(wanted)
        self.loaded.emit(len(rows))

    def select_meeting(self, meeting_id: int) -> bool:
        for number, row in enumerate(self.model.rows()):
            if row.id == meeting_id:
                self.view.selectRow(number)
                return True
        return False

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row: MeetingRow | None = self.view.selected_row()
        if row is None or self._db is None:
            self.detail.show_meeting(None)
            return
        if row.id != self.shown_meeting_id():
            # Another meeting: every tab goes blank ("Loading…") at once, so nothing of the
            # meeting shown before stands under the new heading while this one loads.
            self.detail.show_loading(row)
            self.planner.show_loading()
            self.attendance.show_loading(self._db, row.id, row.title)
            self.minutes.set_meeting(self._db, row.id)
        self._runner.run(
            get_meeting,
            self._db,
            row.id,
            key="meeting-detail",
            on_done=self._show_detail,
            on_error=self.load_failed.emit,
            owner=self,
        )

    def shown_meeting_id(self) -> int | None:
        """The meeting whose details are shown or being loaded."""
        if self.detail.loading_id is not None:
            return self.detail.loading_id
        return self.planner.meeting.id if self.planner.meeting is not None else None

    def _show_detail(self, meeting: MeetingDetail) -> None:
        selected: MeetingRow | None = self.view.selected_row()
        if selected is None or selected.id != meeting.id:
            return  # the user has moved on; that meeting's load is under way
        self.detail.show_meeting(meeting)
        self.planner.show_meeting(meeting)
        if self._db is not None:
            self.attendance.show_meeting(
                self._db, meeting.id, meeting.title, meeting.agenda, meeting.state
            )
            self.minutes.set_meeting(self._db, meeting.id)
        self.detail_shown.emit(meeting.id)

    def _meeting_changed(self, _meeting_id: int) -> None:
        """Marked as held from the attendance tab: the list shows the new state."""
        if self._db is not None:
            self.load(self._db)
