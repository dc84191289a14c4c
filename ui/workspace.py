"""The pages shown for an open database: Network and Meetings, as tabs.

Imported by the main window only once a database is open: this module pulls in SQLAlchemy
through the services, which the worker has loaded by then (see ``ui.opening``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from app.db import Database
from app.i18n import _
from app.mail.secrets import SessionPasswords
from ui.attendance.figures_page import FiguresPage
from ui.meetings.page import MeetingsPage
from ui.minutes.tasks_page import TasksPage
from ui.network.page import NetworkPage
from ui.tasks import TaskRunner


class Workspace(QTabWidget):
    """Signals:
    network_loaded(int, int): organisations and people shown.
    meetings_loaded(int): meetings shown.
    load_failed(object): a background load failed (the exception).
    """

    network_loaded = Signal(int, int)
    meetings_loaded = Signal(int)
    load_failed = Signal(object)

    def __init__(
        self, runner: TaskRunner, passwords: SessionPasswords, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self.network = NetworkPage(runner)
        self.network.setObjectName("networkPage")
        self.meetings = MeetingsPage(runner, passwords)
        self.meetings.setObjectName("meetingsPage")
        self.addTab(self.network, _("Network"))
        self.addTab(self.meetings, _("Meetings"))
        self.figures = FiguresPage(runner)
        self.figures.setObjectName("figuresPage")
        # Translators: the page with the attendance figures ("Auswertung").
        self.addTab(self.figures, _("Figures"))
        self.tasks = TasksPage(runner)
        self.addTab(self.tasks, _("Tasks"))
        self.tasks.open_meeting.connect(self.show_minutes)
        self.network.loaded.connect(self.network_loaded)
        self.meetings.loaded.connect(self.meetings_loaded)
        self.network.load_failed.connect(self.load_failed)
        self.meetings.load_failed.connect(self.load_failed)
        self._meetings_pending: Database | None = None
        self.network.loaded.connect(self._load_meetings)
        self.network.load_failed.connect(self._load_meetings)

    def load(self, db: Database) -> None:
        """People first, meetings right after: both are Python-heavy and would only share
        the interpreter lock, delaying the list the user sees first."""
        self._meetings_pending = db
        self.figures.set_database(db)  # loads when first shown
        self.network.load(db)
        self.tasks.set_database(db)

    def _load_meetings(self, *_args: object) -> None:
        db, self._meetings_pending = self._meetings_pending, None
        if db is not None:
            self.meetings.load(db)

    def show_minutes(self, meeting_id: int) -> None:
        """Switch to the meeting's minutes (from the task list)."""
        self.setCurrentWidget(self.meetings)
        if self.meetings.select_meeting(meeting_id):
            self.meetings.detail.tabs.setCurrentWidget(self.meetings.minutes)

    def save_before_close(self) -> None:
        """Save typed minutes at once; call before the task runner shuts down."""
        self.meetings.minutes.save_before_close()
