"""The Projekte page: the list of funded projects and the form of the one selected.

Loads run on the task runner (the list when the page is shown, the detail when a row is
chosen); every change is one service call through the one-at-a-time writer and lands on the
page's undo stack (Edit ▸ Undo while the page is visible). Buttons open the link dialog,
the funding report and the press release editor of a linked meeting, and attach a signed
sign-in sheet to a linked meeting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import _
from app.services.projects import (
    LinkedMeeting,
    MeetingLinks,
    ProjectChoices,
    ProjectDetail,
    ProjectInput,
    ProjectRow,
    create_project,
    delete_project,
    list_projects,
    meeting_choices,
    project_choices,
    project_detail,
    set_meeting_links,
    update_project,
)
from app.services.projects.scans import attach_scan_file
from ui.palette import Tone, set_tone
from ui.projects.commands import (
    CreateProjectCommand,
    DeleteProjectCommand,
    DirectoryWriter,
    EditProjectCommand,
    LinksCommand,
    LinkStep,
    ProjectEdit,
)
from ui.projects.form import ProjectForm
from ui.projects.link_dialog import LinkMeetingDialog
from ui.projects.models import link_columns, project_columns
from ui.projects.press_editor import PressEditor
from ui.projects.report_dialog import FundingReportDialog
from ui.tasks import TaskRunner
from ui.undo import follow_visibility
from ui.widgets.fitting_scroll_area import FittingScrollArea
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.tables import RowTableModel, TableView


def load_page(db: Database) -> tuple[list[ProjectRow], ProjectChoices]:
    return list_projects(db), project_choices(db)


class ProjectsPage(QWidget):
    """Signals:
    loaded(int): the number of projects shown.
    detail_shown(object): the ``ProjectDetail`` in the form (None: a new project).
    message(str): a line shown under the form (saved, attached, an error).
    dialog_opened(object): the link dialog, report dialog or press editor just opened.
    """

    loaded = Signal(int)
    detail_shown = Signal(object)
    message = Signal(str)
    dialog_opened = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectsPage")
        self._runner = runner
        self._db: Database | None = None
        self._detail: ProjectDetail | None = None
        self._selected_id: int | None = None
        self._new = False
        self._reloading = False
        self.writer = DirectoryWriter(runner, self)
        self.stack = QUndoStack(self)
        follow_visibility(self, self.stack)
        self.writer.written.connect(self.reload)
        self.writer.failed.connect(self._failed)

        self.new_button = QPushButton(_("New project"))
        self.new_button.setObjectName("newProject")
        self.delete_button = QPushButton(_("Delete project"))
        self.delete_button.setObjectName("deleteProject")
        self.report_button = QPushButton(_("Funding report…"))
        self.report_button.setObjectName("fundingReport")
        self.report_all_button = QPushButton(_("Report on all projects…"))
        self.report_all_button.setObjectName("fundingReportAll")
        bar = QHBoxLayout()
        for button in (self.new_button, self.delete_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.report_button)
        bar.addWidget(self.report_all_button)

        self.model = RowTableModel(project_columns(), self)
        self.view = TableView(
            self.model,
            "projectsView",
            empty_text=_("No projects yet. Use “New project” to add the first."),
        )
        self.view.setAccessibleName(_("Projects"))
        self.view.selectionModel().selectionChanged.connect(self._row_chosen)

        self.form = ProjectForm()
        self.save_button = QPushButton(_("Save project"))
        self.save_button.setObjectName("saveProject")
        self.status = QLabel()
        self.status.setObjectName("projectStatus")
        self.status.setWordWrap(True)
        self.links_model = RowTableModel(link_columns(), self)
        self.links = TableView(
            self.links_model,
            "projectLinks",
            empty_text=_("No meeting linked yet."),
        )
        self.links.setAccessibleName(_("Meetings and TOPs of the project"))
        # The header and three meetings; more when the page has room.
        self.links.setMinimumHeight(self.links.verticalHeader().defaultSectionSize() * 4 + 4)
        self.link_button = QPushButton(_("Link meeting or TOPs…"))
        self.link_button.setObjectName("linkMeeting")
        self.unlink_button = QPushButton(_("Remove link"))
        self.unlink_button.setObjectName("unlinkMeeting")
        self.press_button = QPushButton(_("Press release…"))
        self.press_button.setObjectName("pressRelease")
        self.scan_button = QPushButton(_("Attach signed sign-in sheet…"))
        self.scan_button.setObjectName("attachScan")
        # Wraps: in one row the four German labels need more than the form's width on a
        # laptop with a larger font, and the form would scroll sideways.
        link_bar = FlowLayout()
        for button in (self.link_button, self.unlink_button, self.press_button, self.scan_button):
            link_bar.addWidget(button)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.form)
        save_row = QHBoxLayout()
        save_row.addWidget(self.status, 1)
        save_row.addWidget(self.save_button)
        detail_layout.addLayout(save_row)
        detail_layout.addWidget(QLabel(_("Meetings and TOPs of the project")))
        detail_layout.addWidget(self.links, 1)
        detail_layout.addLayout(link_bar)
        # The lists and the table shrink to their minimum before the page scrolls.
        scroll = FittingScrollArea(detail, wrapping=True)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 740])  # the list shows whole periods on a laptop
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_project)
        self.delete_button.clicked.connect(self.delete_project)
        self.save_button.clicked.connect(self.save)
        self.report_button.clicked.connect(lambda: self.open_report(all_projects=False))
        self.report_all_button.clicked.connect(lambda: self.open_report(all_projects=True))
        self.link_button.clicked.connect(self.open_link_dialog)
        self.unlink_button.clicked.connect(self.unlink)
        self.press_button.clicked.connect(self.open_press_editor)
        self.scan_button.clicked.connect(self.attach_scan)
        self.links.selectionModel().selectionChanged.connect(self._update_buttons)
        self._loaded_once = False
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self._db = db
        self.writer.set_database(db)
        self.stack.clear()
        self._loaded_once = False
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()  # meetings and organisations may have changed on the other pages

    def reload(self) -> None:
        if self._db is None:
            return
        self._loaded_once = True
        self._runner.run(
            load_page, self._db, key="projects", on_done=self._loaded, on_error=self._failed
        )

    def _loaded(self, loaded: tuple[list[ProjectRow], ProjectChoices]) -> None:
        rows, choices = loaded
        self.form.set_choices(choices)
        self.model.set_rows(rows)
        self.loaded.emit(len(rows))
        if self._selected_id is not None and self.select_project(
            self._selected_id, keep_status=True
        ):
            return
        if not self._new:
            if rows:
                self.select_project(self.model.row(0).id)
            else:
                self.new_project()

    def select_project(self, project_id: int, *, keep_status: bool = False) -> bool:
        """Select and load a project; *keep_status* keeps "Saved." after a reload."""
        for row in range(self.model.rowCount()):
            if self.model.row(row).id == project_id:
                self._reloading = keep_status
                self.view.selectRow(row)
                self._reloading = False
                self._load_detail(project_id)
                return True
        return False

    def _row_chosen(self) -> None:
        row = self.view.selected_row()
        if not isinstance(row, ProjectRow):
            return
        if self._detail is None or self._detail.row.id != row.id or self._new:
            if not self._reloading:
                self.status.setText("")  # another project: the last message was about the old one
            self._load_detail(row.id)

    def _load_detail(self, project_id: int) -> None:
        if self._db is None:
            return
        self._selected_id = project_id
        self._new = False
        self._runner.run(
            project_detail,
            self._db,
            project_id,
            key="project-detail",
            on_done=self._show_detail,
            on_error=self._failed,
        )

    def _show_detail(self, detail: ProjectDetail) -> None:
        self._detail = detail
        self.form.show_project(detail)
        self.links_model.set_rows(list(detail.meetings))
        self._update_buttons()
        self.detail_shown.emit(detail)

    def detail(self) -> ProjectDetail | None:
        return self._detail

    def _update_buttons(self, *_args: object) -> None:
        has_project = self._detail is not None and not self._new
        link = self.selected_link()
        self.delete_button.setEnabled(has_project)
        self.report_button.setEnabled(has_project)
        self.link_button.setEnabled(has_project)
        self.unlink_button.setEnabled(has_project and link is not None)
        self.press_button.setEnabled(has_project and link is not None)
        self.scan_button.setEnabled(has_project and link is not None)

    def selected_link(self) -> LinkedMeeting | None:
        row = self.links.selected_row()
        return row if isinstance(row, LinkedMeeting) else None

    # -- editing -------------------------------------------------------------------------------

    def new_project(self) -> None:
        self._new = True
        self._detail = None
        self._selected_id = None
        self.view.clearSelection()
        self.form.show_project(None)
        self.links_model.set_rows([])
        set_tone(self.status, None)
        self.status.setText(_("New project: fill in the name and save."))
        self.form.name.setFocus()
        self._update_buttons()
        self.detail_shown.emit(None)

    def save(self) -> None:
        try:
            values = self.form.values()
        except TreffpunktError as error:
            self._show_error(error)
            return
        if self._new or self._detail is None:
            self.writer.submit(
                lambda db: create_project(db, values),
                on_done=self._created,
                on_error=self._failed,
            )
            return
        project_id, version = self._detail.row.id, self._detail.row.version
        self.writer.submit(
            lambda db: update_project(db, project_id, values, expected_version=version),
            on_done=lambda change: self._saved(project_id, change.previous, values),
            on_error=self._failed,
        )

    def _created(self, project_id: int) -> None:
        self._new = False
        self._selected_id = project_id
        self.stack.push(CreateProjectCommand(self.writer, _("New project"), project_id))
        self._say(_("Saved."))

    def _saved(self, project_id: int, previous: ProjectInput, values: ProjectInput) -> None:
        self.stack.push(
            EditProjectCommand(self.writer, _("Edit project"), ProjectEdit(project_id, previous))
        )
        self._say(_("Saved."))

    def delete_project(self) -> None:
        if self._detail is None:
            return
        project_id = self._detail.row.id
        self._selected_id = None
        self._detail = None
        self.writer.submit(
            lambda db: delete_project(db, project_id),
            on_done=lambda removed: self.stack.push(
                DeleteProjectCommand(self.writer, _("Delete project"), removed)
            ),
            on_error=self._failed,
        )

    # -- links ---------------------------------------------------------------------------------

    def open_link_dialog(self) -> None:
        if self._db is None or self._detail is None:
            return
        detail = self._detail
        self._runner.run(
            meeting_choices,
            self._db,
            key="project-meetings",
            on_done=lambda meetings: self._show_link_dialog(detail, meetings),
            on_error=self._failed,
        )

    def _show_link_dialog(self, detail: ProjectDetail, meetings: Any) -> None:
        dialog = LinkMeetingDialog(meetings, detail.meetings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        link = self.selected_link()
        if link is not None:
            dialog.select_meeting(link.meeting_id)
        dialog.accepted.connect(lambda: self._link(detail.row.id, dialog.links()))
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _link(self, project_id: int, links: MeetingLinks | None) -> None:
        if links is None:
            return
        self._change_links(project_id, links, _("Link meeting"))

    def unlink(self) -> None:
        link = self.selected_link()
        if link is None or self._detail is None:
            return
        self._change_links(self._detail.row.id, MeetingLinks(link.meeting_id), _("Remove link"))

    def _change_links(self, project_id: int, links: MeetingLinks, text: str) -> None:
        self.writer.submit(
            lambda db: set_meeting_links(db, project_id, links),
            on_done=lambda previous: self.stack.push(
                LinksCommand(self.writer, text, LinkStep(project_id, previous))
            ),
            on_error=self._failed,
        )

    # -- report, press, scans ------------------------------------------------------------------

    def open_report(self, *, all_projects: bool) -> None:
        if self._db is None:
            return
        project = None if all_projects or self._detail is None else self._detail.row
        dialog = FundingReportDialog(self._runner, self._db, project, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def open_press_editor(self) -> None:
        link = self.selected_link()
        if self._db is None or link is None:
            return
        editor = PressEditor(self._runner, self._db, link.meeting_id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        self.dialog_opened.emit(editor)

    def attach_scan(self, path: Path | None = None) -> None:
        link = self.selected_link()
        if self._db is None or link is None:
            return
        if path is None:
            name, _selected = QFileDialog.getOpenFileName(
                self,
                _("Signed sign-in sheet"),
                "",
                _("Scans (*.pdf *.jpg *.jpeg *.png)"),
            )
            if not name:
                return
            path = Path(name)
        target = path
        self._runner.run(
            attach_scan_file,
            self._db,
            link.meeting_id,
            target,
            on_done=lambda _id: self._say(_("Attached: {name}").format(name=target.name)),
            on_error=self._failed,
        )

    # -- feedback ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        set_tone(self.status, Tone.POSITIVE)
        self.status.setText(text)
        self.message.emit(text)

    def _show_error(self, error: BaseException) -> None:
        text = str(error) if isinstance(error, TreffpunktError) else repr(error)
        set_tone(self.status, Tone.NEGATIVE)
        self.status.setText(text)
        self.message.emit(text)

    def _failed(self, error: BaseException) -> None:
        self._show_error(error)
