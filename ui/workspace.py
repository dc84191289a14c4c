"""The pages shown for an open database: Network, Meetings, Figures, Tasks and Projects, as tabs.

Issue 14: only the network page (the one shown first) is built at once, without the ORM. The
other pages are built when their tab is first opened or, at the latest, when the window has
settled: ``WARM_UP_DELAY_MS`` after the first people are on screen, their modules are imported
on a worker thread and the pages built one per turn of the event loop, so the user never
waits for pages that are not shown and the first list never waits for them either.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from app.i18n import _
from ui.network.page import NetworkPage
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.db import Database
    from ui.attendance.figures_page import FiguresPage
    from ui.meetings.page import MeetingsPage
    from ui.minutes.tasks_page import TasksPage
    from ui.projects.page import ProjectsPage

# After the first people are shown: let the window paint and settle before the other pages
# load (a user reads the list first; the benchmark of issue 14 quits here).
WARM_UP_DELAY_MS = 250
# Imported on a worker thread before the pages are built: the ORM, the meetings page with
# its dialogs (ReportLab, mail), the figures and the tasks page.
WARM_UP_MODULES = (
    "app.models",
    "ui.meetings.page",
    "ui.attendance.figures_page",
    "ui.minutes.tasks_page",
    "ui.projects.page",
)


def import_modules(names: tuple[str, ...]) -> None:
    """Worker thread: import *names* (modules only; no widget is created here)."""
    for name in names:
        importlib.import_module(name)


class Workspace(QTabWidget):
    """Signals:
    network_loaded(int, int): organisations and people shown.
    meetings_loaded(int): meetings shown.
    load_failed(object): a background load failed (the exception).
    settled(): every page is built and the meetings are loaded (after the first load).
    """

    network_loaded = Signal(int, int)
    meetings_loaded = Signal(int)
    load_failed = Signal(object)
    settled = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self._runner = runner
        self._db: Database | None = None
        self._meetings_pending: Database | None = None
        self._meetings_loading = False
        self._warm_up_state = "waiting"  # → "scheduled" → "importing" → "done"
        self._is_settled = False
        self.network = NetworkPage(runner)
        self.network.setObjectName("networkPage")
        self.addTab(self.network, _("Network"))
        self._meetings: MeetingsPage | None = None
        self._figures: FiguresPage | None = None
        self._tasks: TasksPage | None = None
        self._projects: ProjectsPage | None = None
        # Tab title and builder of each page not built yet, with the placeholder shown.
        self._placeholders: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {
            "meetings": self._build_meetings,
            "figures": self._build_figures,
            "tasks": self._build_tasks,
            "projects": self._build_projects,
        }
        titles = {
            "meetings": _("Meetings"),
            # Translators: the page with the attendance figures ("Auswertung").
            "figures": _("Figures"),
            "tasks": _("Tasks"),
            # Issue 15: funded projects, the funding report and press releases ("Projekte").
            "projects": _("Projects"),
        }
        for name, title in titles.items():
            placeholder = QWidget()
            placeholder.setObjectName(f"{name}Placeholder")
            self._placeholders[name] = placeholder
            self.addTab(placeholder, title)
        self.currentChanged.connect(self._current_changed)
        self.network.loaded.connect(self.network_loaded)
        self.network.load_failed.connect(self.load_failed)
        self.network.loaded.connect(self._network_shown)
        self.network.load_failed.connect(self._load_meetings)

    # -- the pages, built on first use -----------------------------------------------------

    @property
    def meetings(self) -> MeetingsPage:
        if self._meetings is None:
            self._build("meetings")
        assert self._meetings is not None
        return self._meetings

    @property
    def figures(self) -> FiguresPage:
        if self._figures is None:
            self._build("figures")
        assert self._figures is not None
        return self._figures

    @property
    def tasks(self) -> TasksPage:
        if self._tasks is None:
            self._build("tasks")
        assert self._tasks is not None
        return self._tasks

    @property
    def projects(self) -> ProjectsPage:
        if self._projects is None:
            self._build("projects")
        assert self._projects is not None
        return self._projects

    def built_pages(self) -> list[str]:
        """Names of the pages built so far (tests, the import budget)."""
        return [name for name in self._builders if name not in self._placeholders]

    def _build(self, name: str) -> None:
        placeholder = self._placeholders.pop(name, None)
        if placeholder is None:
            return
        page = self._builders[name]()
        index = self.indexOf(placeholder)
        was_current = self.currentIndex() == index
        title = self.tabText(index)
        self.insertTab(index, page, title)  # the placeholder moves one to the right
        if was_current:
            self.setCurrentIndex(index)
        self.removeTab(index + 1)
        placeholder.deleteLater()

    def _current_changed(self, index: int) -> None:
        widget = self.widget(index)
        for name, placeholder in list(self._placeholders.items()):
            if placeholder is widget:
                self._build(name)

    def _build_meetings(self) -> QWidget:
        from ui.meetings.page import MeetingsPage

        page = MeetingsPage(self._runner)
        page.setObjectName("meetingsPage")
        page.loaded.connect(self.meetings_loaded)
        page.load_failed.connect(self.load_failed)
        page.loaded.connect(self._meetings_done)
        page.load_failed.connect(self._meetings_done)
        self._meetings = page
        if self._db is not None and self._meetings_pending is None:
            self._meetings_loading = True
            page.load(self._db)  # the people are shown already
        return page

    def _build_figures(self) -> QWidget:
        from ui.attendance.figures_page import FiguresPage

        page = FiguresPage(self._runner)
        page.setObjectName("figuresPage")
        self._figures = page
        if self._db is not None:
            page.set_database(self._db)  # loads when first shown
        return page

    def _build_tasks(self) -> QWidget:
        from ui.minutes.tasks_page import TasksPage

        page = TasksPage(self._runner)
        page.setObjectName("tasksPage")
        page.open_meeting.connect(self.show_minutes)
        self._tasks = page
        if self._db is not None:
            page.set_database(self._db)
        return page

    def _build_projects(self) -> QWidget:
        from ui.projects.page import ProjectsPage

        page = ProjectsPage(self._runner)
        page.setObjectName("projectsPage")
        self._projects = page
        if self._db is not None:
            page.set_database(self._db)  # loads when first shown
        return page

    # -- loading ---------------------------------------------------------------------------

    def load(self, db: Database) -> None:
        """People first, meetings right after: both are Python-heavy and would only share
        the interpreter lock, delaying the list the user sees first."""
        self._db = db
        self._meetings_pending = db
        self._is_settled = False
        if self._figures is not None:
            self._figures.set_database(db)  # loads when first shown
        self.network.load(db)
        if self._tasks is not None:
            self._tasks.set_database(db)
        if self._projects is not None:
            self._projects.set_database(db)  # loads when first shown

    def _network_shown(self, *_args: object) -> None:
        self._load_meetings()
        if self._warm_up_state == "waiting":
            self._warm_up_state = "scheduled"
            QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)

    def _load_meetings(self, *_args: object) -> None:
        db, self._meetings_pending = self._meetings_pending, None
        if db is not None and self._meetings is not None:
            self._meetings_loading = True
            self._meetings.load(db)
        self._check_settled()

    def _meetings_done(self, *_args: object) -> None:
        self._meetings_loading = False
        self._check_settled()

    def _warm_up(self) -> None:
        """Import the other pages' modules in the background, then build the pages."""
        if self._warm_up_state != "scheduled" or self._runner.is_shut_down():
            return
        self._warm_up_state = "importing"
        self._runner.run(
            import_modules,
            WARM_UP_MODULES,
            key="warm-up",
            on_done=lambda _result: self._build_next(),
            on_error=lambda _error: self._build_next(),  # built on demand instead
        )

    def _build_next(self) -> None:
        """Build one page per turn of the event loop, so the window stays responsive."""
        if self._runner.is_shut_down():
            return  # the window is closing
        pending = [name for name in self._builders if name in self._placeholders]
        if pending:
            self._build(pending[0])
            QTimer.singleShot(0, self._build_next)
            return
        self._warm_up_state = "done"
        self.network.load_search_keys()
        self._check_settled()

    def _check_settled(self, *_args: object) -> None:
        if self._is_settled or self._warm_up_state != "done":
            return
        if self._meetings_pending is not None or self._meetings_loading:
            return
        self._is_settled = True
        self.settled.emit()

    def is_settled(self) -> bool:
        """Every page built and the meetings loaded (tests wait for this after opening)."""
        return self._is_settled

    def show_minutes(self, meeting_id: int) -> None:
        """Switch to the meeting's minutes (from the task list)."""
        self.setCurrentWidget(self.meetings)
        if self.meetings.select_meeting(meeting_id):
            self.meetings.detail.tabs.setCurrentWidget(self.meetings.minutes)

    def save_before_close(self) -> None:
        """Save typed minutes at once; call before the task runner shuts down."""
        if self._meetings is not None:
            self._meetings.minutes.save_before_close()
