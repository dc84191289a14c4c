"""The Attendance tab of a meeting: marking from the paper list after the meeting.

Keyboard on the list (several rows may be selected): P present, E excused, A absent,
Delete not recorded, J / Y photos yes, N photos no, Ctrl+Z / Ctrl+Shift+Z undo and redo.
"All accepted were present" gives a start (``mark_accepted_present``); late arrival and
early leave go through a small dialog. Every change is one command on a ``QUndoStack`` whose
undo is ``restore_attendance`` with the changes the service returned.

Opens the door mode and the sign-in sheet dialog for the same meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QShowEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _
from app.models import AttendanceStatus, MeetingState
from app.services.attendance import (
    AttendanceChange,
    MarkingSheet,
    MarkRow,
    mark_accepted_present,
    mark_many,
    marking_sheet,
    restore_attendance,
    set_partial,
    set_photo_consents,
)
from app.services.meetings import ATTENDANCE_STATUS_LABELS, AgendaRow, label
from app.services.planning.lifecycle import set_meeting_state
from app.services.reporting import MeetingFigures
from ui.attendance.marking_model import MarkModel, row_key
from ui.attendance.partial_dialog import PartialDialog
from ui.palette import Tone, banner_style
from ui.tasks import TaskRunner
from ui.undo import UndoKeys
from ui.widgets.error_box import error_text
from ui.widgets.tables import TableView

SEPARATOR = "  ·  "
Changes = tuple[AttendanceChange, ...]
_STATUS_KEYS = {
    Qt.Key.Key_P: AttendanceStatus.PRESENT,
    Qt.Key.Key_E: AttendanceStatus.EXCUSED,
    Qt.Key.Key_A: AttendanceStatus.ABSENT,
}
_CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_PHOTO_KEYS = {Qt.Key.Key_J: True, Qt.Key.Key_Y: True, Qt.Key.Key_N: False}


def figures_text(figures: MeetingFigures) -> str:
    invited = _("Invited: {count}").format(count=figures.invited)
    accepted = _("Accepted: {count}").format(count=figures.accepted)
    if figures.invited_organisations:
        # Translators: "Eingeladen: 74 (davon 3 Organisationen)": invited by their own address.
        invited = _("{invited} (of which {count} organisations)").format(
            invited=invited, count=figures.invited_organisations
        )
    if figures.accepted_organisations:
        accepted = _("{accepted} (of which {count} organisations)").format(
            accepted=accepted, count=figures.accepted_organisations
        )
    parts = [
        invited,
        accepted,
        _("Present: {count}").format(count=figures.present),
        _("Excused: {count}").format(count=figures.excused),
        _("Absent: {count}").format(count=figures.absent),
        _("Guests: {count}").format(count=figures.guests),
        _("Organisations represented: {count}").format(count=figures.organisations_represented),
    ]
    if figures.not_recorded:
        parts.append(_("Not recorded yet: {count}").format(count=figures.not_recorded))
    return SEPARATOR.join(parts)


class _SheetCommand(QUndoCommand):
    """One marking action; already done when pushed. Undo restores, redo applies again."""

    def __init__(
        self, tab: AttendanceTab, text: str, do: Callable[[], Changes], changes: Changes
    ) -> None:
        super().__init__(text)
        self._tab = tab
        self._do = do
        self.changes = changes
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._tab.run_write(self._do, on_changes=self._set_changes)

    def undo(self) -> None:
        changes = self.changes
        db = self._tab.database()
        if db is not None:
            self._tab.run_write(lambda: restore_attendance(db, changes))

    def _set_changes(self, changes: Changes) -> None:
        self.changes = changes


class AttendanceTab(QWidget):
    """Signals:
    loaded(int): the list is shown (its number of rows).
    meeting_changed(int): the meeting's state changed here (marked as held).
    failed(str): an error was shown.
    """

    loaded = Signal(int)
    meeting_changed = Signal(int)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendanceTab")
        self._runner = runner
        self._db: Database | None = None
        self._meeting_id: int | None = None
        self._title = ""
        self._agenda: tuple[AgendaRow, ...] = ()
        self._state: MeetingState | None = None
        self._pending = 0
        self._stale = False
        # The meeting whose list ``show_loading`` loads early (alongside its details), and
        # whether that load has started: ``show_meeting`` then does not load it again.
        self._early: int | None = None
        self._early_started = False
        self.undo_stack = QUndoStack(self)
        self.door: QWidget | None = None
        self.partial_dialog: PartialDialog | None = None
        self.signin_dialog: QDialog | None = None

        def button(text: str, name: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
            widget = QPushButton(text)
            widget.setObjectName(name)
            widget.clicked.connect(lambda _checked=False: slot())
            if tip:
                widget.setToolTip(tip)
            return widget

        self.accepted_button = button(
            _("All accepted were present"),
            "acceptedPresent",
            self.mark_accepted,
            _(
                "Accepted → present, declined → excused, no answer → absent; only for invitees "
                "without an entry yet"
            ),
        )
        self.present_button = button(
            _("Present (P)"), "markPresent", lambda: self.mark_selected(AttendanceStatus.PRESENT)
        )
        self.excused_button = button(
            _("Excused (E)"), "markExcused", lambda: self.mark_selected(AttendanceStatus.EXCUSED)
        )
        self.absent_button = button(
            _("Absent (A)"), "markAbsent", lambda: self.mark_selected(AttendanceStatus.ABSENT)
        )
        self.partial_button = button(_("Late / left early…"), "partialButton", self.edit_partial)
        self.undo_button = button(_("Undo"), "attendanceUndo", self.undo_stack.undo)
        self.redo_button = button(_("Redo"), "attendanceRedo", self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.door_button = button(_("Check-in (door mode)…"), "doorModeButton", self.open_door_mode)
        self.signin_button = button(_("Sign-in sheet…"), "signinButton", self.open_signin)

        marking = QHBoxLayout()
        for widget in (
            self.accepted_button,
            self.present_button,
            self.excused_button,
            self.absent_button,
            self.partial_button,
            self.undo_button,
            self.redo_button,
        ):
            marking.addWidget(widget)
        marking.addStretch(1)

        self.counts = QLabel()
        self.counts.setObjectName("attendanceFigures")
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setWordWrap(True)

        self.held_banner = QFrame()
        self.held_banner.setObjectName("heldBanner")
        self.held_banner.setStyleSheet(banner_style(Tone.NOTICE_BACKGROUND, "#heldBanner"))
        held_text = QLabel(
            _(
                "People were present, but the meeting is not marked as held: it does not count "
                "in the figures yet."
            )
        )
        held_text.setWordWrap(True)
        self.held_button = button(_("Mark the meeting as held"), "markHeld", self.mark_held)
        banner = QHBoxLayout(self.held_banner)
        banner.addWidget(held_text, 1)
        banner.addWidget(self.held_button)
        self.held_banner.hide()

        self.model = MarkModel(self)
        self.view = TableView(self.model, "markView", empty_text=_("Nobody invited yet."))
        self.view.setAccessibleName(_("Attendance"))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda _index: self.edit_partial())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.hint = QLabel(
            _(
                "Select rows, then P present · E excused · A absent · Del not recorded · "
                "J / N photos yes / no"
            )
        )
        self.hint.setEnabled(False)
        self.hint.setWordWrap(True)

        UndoKeys(self, self.undo_stack)  # Ctrl+Z, Ctrl+Shift+Z; the Edit menu in the window

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        # The figures beside the door mode and the sign-in sheet: one row fewer of buttons,
        # so the tab fits a laptop also with a larger system font.
        figures = QHBoxLayout()
        figures.addWidget(self.counts, 1)
        figures.addWidget(self.door_button)
        figures.addWidget(self.signin_button)
        layout.addLayout(marking)
        layout.addLayout(figures)
        layout.addWidget(self.held_banner)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def database(self) -> Database | None:
        return self._db

    def meeting_id(self) -> int | None:
        return self._meeting_id

    def show_meeting(
        self,
        db: Database,
        meeting_id: int,
        title: str,
        agenda: Sequence[AgendaRow] = (),
        state: MeetingState | None = None,
    ) -> None:
        """Show *meeting_id* (loaded in the background); another meeting clears the undo."""
        if (db, meeting_id) != (self._db, self._meeting_id):
            self.show_loading(db, meeting_id, title)
        self._db, self._meeting_id, self._title = db, meeting_id, title
        self._agenda = tuple(agenda)
        self._state = state
        self.door_button.setEnabled(state is not MeetingState.CANCELLED)
        if self._early == meeting_id:
            started, self._early = self._early_started, None  # later calls reload
            if started:
                self._update_buttons()
                return
        self.reload()

    def show_loading(self, db: Database, meeting_id: int, title: str) -> None:
        """Another meeting: its list and figures are loaded; until then the tab shows
        nothing of the meeting shown before ("Loading…"), and nothing can be marked.

        On a server the list loads at once, alongside the meeting's details, not after them:
        it needs nothing of them, and both mostly wait for the server's answers (a switch
        on PostgreSQL: ~110 → ~70 ms). A file is read by the interpreter itself: a second
        worker then only takes turns with the first and the GUI thread (longer stalls, no
        time won), so there the list still loads after the details.
        """
        another = (db, meeting_id) != (self._db, self._meeting_id)
        if another:
            self.undo_stack.clear()
        self._db, self._meeting_id, self._title = db, meeting_id, title
        self._agenda = ()
        self._state = None
        self.model.set_rows([])
        self.view.set_loading()
        self.counts.setText(_("Loading…"))
        self.held_banner.hide()
        self.door_button.setEnabled(False)  # until the meeting's state is known
        self._update_buttons()
        self._early = None
        if another and self.isVisible() and db.is_server:
            self._early, self._early_started = meeting_id, False
            # Once the selection's own work is done (every tab going blank): a worker
            # started in the middle of it would share the interpreter with it.
            QTimer.singleShot(0, self, self._start_early)

    def _start_early(self) -> None:
        if self._early is not None and self._early == self._meeting_id:
            self._early_started = True
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Load the list now if the tab is shown, else when it is shown next."""
        if self._db is None or self._meeting_id is None:
            return
        self._stale = not self.isVisible()
        if self._stale:
            return
        meeting_id = self._meeting_id
        self._runner.run(
            marking_sheet,
            self._db,
            meeting_id,
            key="attendance-sheet",
            on_done=lambda state: self._show(state) if meeting_id == self._meeting_id else None,
            on_error=self._failed,
        )

    def _show(self, state: MarkingSheet) -> None:
        keys = {row_key(row) for row in self.selected_rows()}
        current = self.view.currentIndex()
        current_key = row_key(self.model.row(current.row())) if current.isValid() else None
        self.model.set_rows(state.rows)
        selection = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number, row in enumerate(self.model.rows()):
            key = row_key(row)
            if key in keys:
                selection.select(self.model.index(number, 0), flags)
            if key == current_key:
                selection.setCurrentIndex(
                    self.model.index(number, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
        self.counts.setText(figures_text(state.figures))
        self.held_banner.setVisible(state.held_suggested)
        self._update_buttons()
        self.loaded.emit(len(state.rows))

    # -- selection -----------------------------------------------------------------------------

    def selected_rows(self) -> list[MarkRow]:
        selection = self.view.selectionModel()
        if selection is None:
            return []
        numbers = sorted(index.row() for index in selection.selectedRows())
        return [self.model.row(number) for number in numbers]

    def _update_buttons(self, *_args: object) -> None:
        rows = [row for row in self.selected_rows() if not row.anonymised]
        for widget in (self.present_button, self.excused_button, self.absent_button):
            widget.setEnabled(bool(rows))
        self.partial_button.setEnabled(
            len(rows) == 1 and rows[0].status is AttendanceStatus.PRESENT and bool(self._agenda)
        )
        self.accepted_button.setEnabled(self._meeting_id is not None)

    # -- actions -------------------------------------------------------------------------------

    def _act(self, text: str, do: Callable[[], Changes]) -> None:
        def done(changes: Changes) -> None:
            if any(change.changed for change in changes):
                self.undo_stack.push(_SheetCommand(self, text, do, changes))

        self.run_write(do, on_changes=done)

    def run_write(
        self, do: Callable[[], object], on_changes: Callable[[Changes], None] | None = None
    ) -> None:
        """Run a write (one service call) in the background, then reload the list."""

        def done(changes: Changes) -> None:
            self._pending -= 1
            if on_changes is not None:
                on_changes(changes)
            self.reload()

        def failed(error: BaseException) -> None:
            self._pending -= 1
            self._failed(error)
            self.reload()

        self._pending += 1
        self._runner.run(do, on_done=done, on_error=failed, owner=self)

    def pending(self) -> int:
        return self._pending

    def mark_selected(self, status: AttendanceStatus | None) -> None:
        db, meeting_id = self._db, self._meeting_id
        rows = [row for row in self.selected_rows() if not row.anonymised]
        if db is None or meeting_id is None or not rows:
            return
        text = _("Mark {count} as {status}").format(
            count=len(rows),
            status=label(ATTENDANCE_STATUS_LABELS, status) if status else _("not recorded"),
        )
        people = [row.person_id for row in rows if row.person_id is not None]
        guests = [row.attendance_id for row in rows if row.guest and row.attendance_id is not None]
        self._act(text, lambda: mark_many(db, meeting_id, people, status, guest_ids=guests))

    def mark_accepted(self) -> None:
        db, meeting_id = self._db, self._meeting_id
        if db is None or meeting_id is None:
            return
        self._act(_("All accepted were present"), lambda: mark_accepted_present(db, meeting_id))

    def context_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """What the right-click menu offers for the selected rows (the keys in brackets)."""
        return [
            (_("Present (P)"), lambda: self.mark_selected(AttendanceStatus.PRESENT)),
            (_("Excused (E)"), lambda: self.mark_selected(AttendanceStatus.EXCUSED)),
            (_("Absent (A)"), lambda: self.mark_selected(AttendanceStatus.ABSENT)),
            (_("Not recorded (Del)"), lambda: self.mark_selected(None)),
            (_("Photos: yes (J)"), lambda: self.set_photos(True)),
            (_("Photos: no (N)"), lambda: self.set_photos(False)),
            (_("Late / left early…"), self.edit_partial),
        ]

    def _context_menu(self, position: QPoint) -> None:
        if not self.selected_rows():
            return
        menu = QMenu(self)
        for text, slot in self.context_actions():
            menu.addAction(text, slot)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def set_photos(self, given: bool) -> None:
        db, meeting_id = self._db, self._meeting_id
        people = [
            row.person_id
            for row in self.selected_rows()
            if row.person_id is not None and row.status is AttendanceStatus.PRESENT
        ]
        if db is None or meeting_id is None:
            return
        if not people:
            self._show_error(_("Photo consent can be noted for people marked present."))
            return
        self._act(_("Photo consent"), lambda: set_photo_consents(db, meeting_id, people, given))

    def edit_partial(self) -> None:
        db, meeting_id = self._db, self._meeting_id
        rows = self.selected_rows()
        if db is None or meeting_id is None or len(rows) != 1 or rows[0].anonymised:
            return
        row = rows[0]
        if row.status is not AttendanceStatus.PRESENT:
            self._show_error(_("Mark {name} present first.").format(name=row.name))
            return
        dialog = PartialDialog(row, self._agenda, self)
        self.partial_dialog = dialog

        def chosen(result: int) -> None:
            self.partial_dialog = None
            if result != QDialog.DialogCode.Accepted:
                return
            arrived, left = dialog.choice()
            self._act(
                _("Late arrival / early leave"),
                lambda: (
                    set_partial(
                        db,
                        meeting_id,
                        row.person_id,
                        arrived,
                        left,
                        attendance_id=row.attendance_id if row.person_id is None else None,
                    ),
                ),
            )

        dialog.finished.connect(chosen)
        dialog.open()

    def mark_held(self) -> None:
        db, meeting_id = self._db, self._meeting_id
        if db is None or meeting_id is None:
            return

        def done(_change: object) -> None:
            self.reload()
            self.meeting_changed.emit(meeting_id)

        self._runner.run(
            set_meeting_state,
            db,
            meeting_id,
            MeetingState.HELD,
            on_done=done,
            on_error=self._failed,
            owner=self,
        )

    # -- other windows -------------------------------------------------------------------------

    def open_door_mode(self) -> None:
        from ui.attendance.door_mode import DoorModeWindow

        if self._db is None or self._meeting_id is None:
            return
        if self.door is not None:
            self.door.close()
        door = DoorModeWindow(self._runner, self._db, self._meeting_id, self._title)
        door.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        door.checked_in.connect(self.reload)
        door.undone.connect(self.reload)
        door.destroyed.connect(self._door_closed)
        self.door = door
        door.show()
        door.activateWindow()

    def _door_closed(self) -> None:
        self.door = None
        self.reload()

    def open_signin(self) -> None:
        from ui.attendance.signin_print import SigninDialog

        if self._db is None or self._meeting_id is None:
            return
        dialog = SigninDialog(self._runner, self._db, self._meeting_id, self._title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.signin_dialog = dialog
        dialog.open()

    # -- feedback ------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        text = error_text(error)
        self._show_error(text)

    def _show_error(self, text: str) -> None:
        self.failed.emit(text)
        box = QMessageBox(
            QMessageBox.Icon.Warning, _("Attendance"), text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("attendanceError")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- keys ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            key = Qt.Key(event.key())
            if key in _STATUS_KEYS:
                self.mark_selected(_STATUS_KEYS[key])
                return True
            if key in _CLEAR_KEYS:
                self.mark_selected(None)
                return True
            if key in _PHOTO_KEYS:
                self.set_photos(_PHOTO_KEYS[key])
                return True
        return super().eventFilter(watched, event)
