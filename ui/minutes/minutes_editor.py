"""The minutes editor: follows the agenda, TOP by TOP, while the meeting runs.

Left the TOP list; right, for the selected TOP, the notes (autosaved, journalled against a
crash), decisions and action items (undoable), and under the TOP that lists them the open
action items of earlier meetings. Further tabs: attendance (read-only), photos, next meeting.
Above: the state of the minutes with its steps (finalise, correct, approve), PDF and sending.

Threads: every read and write runs in the background; writes go through one ``WriteQueue`` in
order, and each write is followed by a reload of the minutes (``_refresh``), which never
touches the notes being typed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QHideEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import _
from app.models import MeetingState, MinutesState
from app.services.minutes import MinutesView, load_minutes
from app.services.minutes_recovery import RecoveryOffer, clear_recovery
from ui.minutes.attendance import attendance_html, consent_warning_text
from ui.minutes.autosave import NotesAutosaver, SaveState
from ui.minutes.dialogs import ConflictChoice, NotesConflictDialog, RecoveryDialog
from ui.minutes.entries import EntryActions
from ui.minutes.loading import MinutesBundle, OpenedMinutes, load_bundle, open_minutes
from ui.minutes.models import TopListModel
from ui.minutes.next_meeting import NextMeetingPanel
from ui.minutes.photos_panel import PhotosPanel
from ui.minutes.queue import WriteQueue
from ui.minutes.steps import MinutesSteps
from ui.minutes.top_page import TopPage
from ui.minutes.unassigned import UnassignedPanel
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner
from ui.widgets.tables import TableView

log = logging.getLogger(__name__)


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def save_state_text(state: SaveState) -> str:
    return {
        SaveState.SAVED: _("Saved"),
        SaveState.SAVING: _("Saving…"),
        SaveState.UNSAVED: _("Not saved"),
    }[state]


def read_only(view: MinutesView) -> bool:
    """Final minutes and those of a cancelled meeting cannot be edited (the services say so
    too; the editor does not let the user type in vain)."""
    return view.locked or view.meeting_state is MeetingState.CANCELLED


def spoken_revision(revision: int) -> int:
    """Final minutes are "revision 1" at the least ("Fassung 1"), whatever an older
    database stored; each correction counts up from there."""
    return max(revision, 1)


class MinutesEditor(QWidget):
    """Edits the minutes of one meeting at a time (``open``).

    Signals:
        loaded(int): the minutes of that meeting are shown (after each (re)load).
        written(): a write of decisions, action items, states … finished and was reloaded.
        error_shown(str): an error message was shown to the user.
        pdf_saved(str): the path of a PDF written by "PDF…".
        meeting_changed(int): finalised, corrected or approved: the meeting's state moved.
    """

    loaded = Signal(int)
    written = Signal()
    error_shown = Signal(str)
    pdf_saved = Signal(str)
    meeting_changed = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        *,
        recovery_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("minutesEditor")
        self._runner = runner
        self._recovery_dir = recovery_dir
        self._db: Database | None = None
        self._meeting_id: int | None = None
        self._bundle: MinutesBundle | None = None
        self._queue: WriteQueue | None = None
        self.autosaver: NotesAutosaver | None = None
        self._pending: tuple[Database, int] | None = None
        self.send_dialog: QWidget | None = None
        self.undo_stack = QUndoStack(self)

        # -- header: state, steps, save status ----------------------------------------------------
        self.banner = QLabel()
        self.banner.setObjectName("minutesBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.save_status = QLabel()
        self.save_status.setObjectName("saveStatus")
        self.finalise_button = QPushButton(_("Finalise…"))
        self.finalise_button.setObjectName("finalise")
        self.correct_button = QPushButton(_("Correct…"))
        self.correct_button.setObjectName("correct")
        self.approve_button = QPushButton(_("Approve in meeting…"))
        self.approve_button.setObjectName("approve")
        self.preview_button = QPushButton(_("Preview PDF"))
        self.preview_button.setObjectName("previewPdf")
        self.pdf_button = QPushButton(_("PDF…"))
        self.pdf_button.setObjectName("pdf")
        self.send_button = QPushButton(_("Send minutes…"))
        self.send_button.setObjectName("send")
        undo = self.undo_stack.createUndoAction(self, _("Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        redo = self.undo_stack.createRedoAction(self, _("Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        redo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action, self.redo_action = undo, redo
        self.addActions([undo, redo])
        undo_button = QToolButton()
        undo_button.setDefaultAction(undo)
        redo_button = QToolButton()
        redo_button.setDefaultAction(redo)

        header = QHBoxLayout()
        header.addWidget(self.banner, 1)
        header.addWidget(undo_button)
        header.addWidget(redo_button)
        header.addWidget(self.finalise_button)
        header.addWidget(self.correct_button)
        header.addWidget(self.approve_button)
        header.addWidget(self.preview_button)
        header.addWidget(self.pdf_button)
        header.addWidget(self.send_button)
        header.addWidget(self.save_status)

        # -- body ---------------------------------------------------------------------------------
        self.top_model = TopListModel(self)
        self.top_view = TableView(
            self.top_model, "minutesTopView", empty_text=_("No agenda yet."), sortable=False
        )
        self.top_view.setAccessibleName(_("Agenda items"))
        self.top_view.selectionModel().currentRowChanged.connect(self._top_selected)
        self.page = TopPage()
        self.attendance = QTextBrowser()
        self.attendance.setObjectName("minutesAttendance")
        self.attendance.setAccessibleName(_("Attendance"))
        self.attendance.setOpenLinks(False)
        self.consent_warning = QLabel()
        self.consent_warning.setObjectName("consentWarning")
        self.consent_warning.setWordWrap(True)
        self.consent_warning.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.consent_warning, Tone.NEGATIVE, bold=True)
        self.consent_warning.hide()
        attendance_tab = QWidget()
        attendance_layout = QVBoxLayout(attendance_tab)
        attendance_layout.addWidget(self.consent_warning)
        attendance_layout.addWidget(self.attendance)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.page, _("Agenda item"))
        self.tabs.addTab(attendance_tab, _("Attendance"))
        self.photos = PhotosPanel(self)
        self.next_meeting = NextMeetingPanel(self)
        self.tabs.addTab(self.photos, _("Photos"))
        # A form taller than the notes need: it scrolls on a small screen rather than making
        # the whole editor taller than the window.
        self.tabs.addTab(scrolling(self.next_meeting), _("Times, next meeting, recipients"))
        self.unassigned = UnassignedPanel(self)
        self.unassigned.hide()
        self.extra_tabs: dict[str, QWidget] = {
            "photos": self.photos,
            "next": self.next_meeting,
            "unassigned": self.unassigned,
        }

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.top_view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])

        # While another meeting's minutes load, a placeholder stands in for the whole
        # editor: nothing of the minutes shown before stays under the new heading.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(header)
        body_layout.addWidget(splitter, 1)
        self.loading_label = QLabel(_("Loading the minutes…"))
        self.loading_label.setObjectName("minutesLoading")
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setEnabled(False)
        self._body_stack = QStackedWidget()
        self._body_stack.addWidget(body)
        self._body_stack.addWidget(self.loading_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self._body_stack, 1)

        # -- wiring -------------------------------------------------------------------------------
        self.page.notes.edited.connect(self._notes_edited)
        self.page.notes.focus_lost.connect(self._flush)
        for keys, step in (
            ("Ctrl+PgDown", 1),
            ("Alt+Down", 1),
            ("Ctrl+PgUp", -1),
            ("Alt+Up", -1),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step_top(step))
        self._set_enabled(False)
        self._show_save_state(SaveState.SAVED)
        self.steps = MinutesSteps(self)
        self.entries = EntryActions(self)
        self.send_button.clicked.connect(self.send_minutes)

    # -- opening --------------------------------------------------------------------------------

    def set_meeting(self, db: Database, meeting_id: int) -> None:
        """The meeting to show; loaded now if the editor is visible, else when it is shown
        (selecting meetings in the list must not read every meeting's minutes)."""
        self._pending = (db, meeting_id)
        if (db, meeting_id) != (self._db, self._meeting_id):
            self._body_stack.setCurrentWidget(self.loading_label)
        if self.isVisible():
            self._open_pending()

    def _open_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.open(*pending)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._open_pending()

    def open(self, db: Database, meeting_id: int) -> None:
        """Show the minutes of *meeting_id* (saving what was typed in the previous ones)."""
        if self._db is db and self._meeting_id == meeting_id:
            return
        previous_db = self._db
        self.close_minutes()
        if self._queue is None or previous_db is not db:
            # One queue per database: the reading of these minutes waits behind the saves of
            # the minutes shown before, so it never reads text older than what was typed.
            self._queue = WriteQueue(self._runner, self)
        self._db, self._meeting_id = db, meeting_id
        self.autosaver = NotesAutosaver(
            self._queue, db, meeting_id, recovery_dir=self._recovery_dir, parent=self
        )
        self.autosaver.state_changed.connect(self._show_save_state)
        self.autosaver.conflict.connect(self._notes_conflict)
        self.autosaver.failed.connect(self._notes_failed)
        self.undo_stack.clear()
        recovery_dir = self._recovery_dir
        self._queue.submit(
            lambda: open_minutes(db, meeting_id, recovery_dir),
            on_done=self._opened,
            on_error=self.show_error,
        )

    def close_minutes(self) -> None:
        """Save what was typed (in the background) and forget the meeting (and its preview)."""
        self.steps.discard_preview()
        if self._db is not None:
            self.photos.save_pending()  # who is pictured, ticked but not saved yet
        if self.autosaver is not None:
            self.autosaver.flush()
            self.autosaver.state_changed.disconnect(self._show_save_state)
        self.autosaver = None
        self._db = self._meeting_id = None
        self._bundle = None
        self._set_enabled(False)

    def meeting_id(self) -> int | None:
        return self._meeting_id

    def database(self) -> Database:
        assert self._db is not None
        return self._db

    def bundle(self) -> MinutesBundle | None:
        return self._bundle

    def view(self) -> MinutesView | None:
        return self._bundle.view if self._bundle else None

    def _opened(self, opened: OpenedMinutes) -> None:
        if self.autosaver is None or opened.bundle.view.meeting_id != self._meeting_id:
            return
        view = opened.bundle.view
        for top in view.tops:
            self.page.notes.set_notes(top.id, top.notes)
            self.autosaver.track(top.id, top.notes, top.notes_version)
        self.entries.set_owners(opened.owners)
        self._refresh(opened.bundle)
        if self.top_model.rowCount() and self.top_view.currentIndex().row() < 0:
            self.top_view.selectRow(0)
        for entry in opened.obsolete:
            clear_recovery(
                entry.db_path, entry.agenda_item_id, entry.text, directory=self._recovery_dir
            )
        for offer in opened.offers:
            self._offer_recovery(offer)

    def reload(self) -> None:
        """Read the minutes again (after a write; in order behind it)."""
        if self._queue is None or self._db is None or self._meeting_id is None:
            return
        db, meeting_id = self._db, self._meeting_id
        self._queue.submit(
            lambda: load_bundle(db, meeting_id), on_done=self._reloaded, on_error=self.show_error
        )

    def _reloaded(self, bundle: MinutesBundle) -> None:
        if bundle.view.meeting_id == self._meeting_id:
            self._refresh(bundle)
            self.written.emit()

    def is_loading(self) -> bool:
        """True while the minutes of the chosen meeting are not shown yet."""
        return self._body_stack.currentWidget() is self.loading_label

    def _refresh(self, bundle: MinutesBundle) -> None:
        """Show everything but the notes (those belong to the editor while it is open)."""
        self._body_stack.setCurrentIndex(0)
        self._bundle = bundle
        view = bundle.view
        current = self.page.notes.current_item()
        self.top_model.set_rows(bundle.detail.agenda)
        if current is not None:
            row = self.top_model.row_of(current)
            if row is not None:
                self.top_view.selectionModel().blockSignals(True)
                self.top_view.selectRow(row)
                self.top_view.selectionModel().blockSignals(False)
        self._show_top(current)
        self.attendance.setHtml(attendance_html(bundle.snapshot))
        warning = consent_warning_text(bundle.consent_warnings)
        self.consent_warning.setText(warning)
        self.consent_warning.setVisible(bool(warning))
        self._set_enabled(True)
        self._apply_state(view)
        for tab in self.extra_tabs.values():
            refresh = getattr(tab, "show_bundle", None)
            if refresh is not None:
                refresh(bundle)
        self._show_unassigned_tab(self.unassigned.has_entries())
        self.loaded.emit(view.meeting_id)

    def _show_unassigned_tab(self, shown: bool) -> None:
        index = self.tabs.indexOf(self.unassigned)
        if shown and index < 0:
            self.tabs.addTab(self.unassigned, _("Without agenda item"))
        elif not shown and index >= 0:
            self.tabs.removeTab(index)

    def _apply_state(self, view: MinutesView) -> None:
        info = view.minutes
        state = info.state if info else MinutesState.DRAFT
        if info is None:
            text = _("Draft – the minutes are started with the first entry.")
        elif state is MinutesState.DRAFT:
            text = _("Draft {number}").format(number=info.number)
            if info.correction:
                text = _("Correction of {number} (revision {revision}): {summary}").format(
                    number=info.number, revision=info.revision, summary=info.change_summary
                )
        elif state is MinutesState.FINAL:
            text = _("Final, revision {revision} – locked. Use “Correct…” to change.").format(
                revision=spoken_revision(info.revision)
            )
        else:
            text = _("Final, revision {revision}, approved in a later meeting.").format(
                revision=spoken_revision(info.revision)
            )
        if view.meeting_state is MeetingState.CANCELLED:
            text = _("The meeting was cancelled; it has no minutes.")
        # The meeting's title stands above the tabs already.
        self.banner.setText(text)
        locked = read_only(view)
        self.page.set_locked(locked)
        self.finalise_button.setEnabled(not locked)
        self.correct_button.setEnabled(state is MinutesState.FINAL)
        self.approve_button.setEnabled(state is MinutesState.FINAL)
        for tab in self.extra_tabs.values():
            lock = getattr(tab, "set_locked", None)
            if lock is not None:
                lock(locked)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.tabs,
            self.top_view,
            self.finalise_button,
            self.correct_button,
            self.approve_button,
            self.preview_button,
            self.pdf_button,
            self.send_button,
        ):
            widget.setEnabled(enabled)

    # -- TOPs -----------------------------------------------------------------------------------

    def _top_selected(self, current: Any, _previous: Any) -> None:
        self._flush()
        row = current.row() if current.isValid() else -1
        agenda_item_id = self.top_model.row(row).id if row >= 0 else None
        self._show_top(agenda_item_id)

    def _show_top(self, agenda_item_id: int | None) -> None:
        bundle = self._bundle
        view = bundle.view if bundle else None
        top = next((t for t in view.tops if t.id == agenda_item_id), None) if view else None
        if top is None or view is None:
            self.page.heading.setText("")
            self.page.notes.show_item(None)
            self.page.decision_model.set_rows([])
            self.page.action_model.set_rows([])
            self.page.show_carried(False)
            return
        if self.page.notes.current_item() != top.id:
            self.page.notes.show_item(top.id)
        heading = _("TOP {number}: {title}").format(number=top.number, title=top.title)
        if top.presenter:
            # Translators: a TOP heading with who presents it: "TOP 2: Projekte (Anna Schmidt)".
            heading = _("{heading} ({presenter})").format(heading=heading, presenter=top.presenter)
        self.page.heading.setText(heading)
        self.page.decision_model.set_rows(top.decisions, locked=read_only(view))
        self.page.action_model.set_rows(top.actions, locked=read_only(view))
        host = view.carried_agenda_item_id
        # Without a TOP for them, the open items of earlier meetings appear under the first.
        carried_here = host == top.id or (host is None and view.tops[0].id == top.id)
        self.page.carried_model.set_rows(view.carried if carried_here else [])
        # The first meeting has nothing to carry over: no empty box then.
        self.page.show_carried(carried_here and bool(view.carried))

    def current_top_id(self) -> int | None:
        return self.page.notes.current_item()

    def step_top(self, step: int) -> None:
        """Previous/next TOP (Ctrl+PgUp/PgDn, Alt+↑/↓); the notes get the focus."""
        rows = self.top_model.rowCount()
        if not rows:
            return
        current = self.top_view.currentIndex().row()
        target = max(0, min(rows - 1, (current if current >= 0 else -1) + step))
        self.top_view.selectRow(target)
        self.page.notes.text.setFocus()

    def select_top(self, agenda_item_id: int) -> None:
        row = self.top_model.row_of(agenda_item_id)
        if row is not None:
            self.top_view.selectRow(row)

    # -- notes ----------------------------------------------------------------------------------

    def _notes_edited(self, agenda_item_id: int, text: str) -> None:
        if self.autosaver is not None:
            self.autosaver.edited(agenda_item_id, text)

    def _flush(self) -> None:
        if self.autosaver is not None:
            self.autosaver.flush()

    def save_before_close(self) -> bool:
        """Save what was typed right now (the window is closing; see ``NotesAutosaver``)."""
        return self.autosaver.save_now() if self.autosaver is not None else True

    def flush_notes(self) -> None:
        """Queue the save of everything typed so far (before a step that needs it)."""
        self._flush()

    def runner(self) -> TaskRunner:
        return self._runner

    def _show_save_state(self, state: SaveState) -> None:
        self.save_status.setText(save_state_text(state))
        self.save_status.setProperty("saveState", state.value)
        tone = {"saved": Tone.POSITIVE, "saving": Tone.CAUTION, "unsaved": Tone.NEGATIVE}
        set_tone(self.save_status, tone[state.value])

    def _top_title(self, agenda_item_id: int) -> str:
        view = self.view()
        top = next((t for t in view.tops if t.id == agenda_item_id), None) if view else None
        if top is None:
            return _("this agenda item")
        return _("TOP {number} “{title}”").format(number=top.number, title=top.title)

    def _offer_recovery(self, offer: RecoveryOffer) -> None:
        item = offer.entry.agenda_item_id
        dialog = RecoveryDialog(offer, self._top_title(item), self)
        accepted = dialog.exec() == RecoveryDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and self.autosaver is not None:
            self.page.notes.replace_notes(item, offer.entry.text)
            self.autosaver.edited(item, offer.entry.text)
            self.autosaver.flush()
        else:
            clear_recovery(offer.entry.db_path, item, directory=self._recovery_dir)

    def _notes_conflict(self, agenda_item_id: int, _error: BaseException) -> None:
        if self._db is None or self._meeting_id is None or self._queue is None:
            return
        db, meeting_id = self._db, self._meeting_id
        self._queue.submit(
            lambda: load_minutes(db, meeting_id),
            on_done=lambda view: self._resolve_conflict(agenda_item_id, view),
            on_error=self.show_error,
        )

    def _resolve_conflict(self, agenda_item_id: int, view: MinutesView) -> None:
        top = next((t for t in view.tops if t.id == agenda_item_id), None)
        mine = self.page.notes.notes(agenda_item_id)
        if top is None or mine is None or self.autosaver is None:
            return
        dialog = NotesConflictDialog(self._top_title(agenda_item_id), mine, top.notes, self)
        dialog.exec()
        dialog.deleteLater()
        keep = dialog.choice is ConflictChoice.KEEP_MINE
        if not keep:
            self.page.notes.replace_notes(agenda_item_id, top.notes)
        self.autosaver.resolve(agenda_item_id, top.notes, top.notes_version, keep=keep)

    def _notes_failed(self, _agenda_item_id: int, error: BaseException) -> None:
        self.show_error(error)

    # -- decisions and action items -------------------------------------------------------------

    def run_write(
        self,
        call: Any,
        on_done: Any,
        on_failed: Any,
    ) -> None:
        """The ``CommandHost`` of the undo commands: queue, then reload."""
        if self._queue is None:
            on_failed(RuntimeError("no minutes open"))
            return

        def done(result: Any) -> None:
            on_done(result)
            self.reload()

        def failed(error: BaseException) -> None:
            on_failed(error)
            self.show_error(error)
            self.reload()

        self._queue.submit(call, on_done=done, on_error=failed)

    def is_read_only(self) -> bool:
        view = self.view()
        return view is not None and read_only(view)

    # -- errors and closing ---------------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, TreffpunktError):
            text = str(error)
        else:
            log.error("minutes: unexpected error", exc_info=error)
            text = _(
                "An unexpected error occurred ({kind}). What you typed is kept; "
                "the details were written to the log."
            ).format(kind=type(error).__name__)
        self.error_shown.emit(text)
        QMessageBox.warning(self, _("Minutes"), text)

    def send_minutes(self) -> None:
        view = self.view()
        if view is None or self._db is None:
            return
        self._flush()
        # Imported here: the mail modules load only when minutes are sent.
        from ui.minutes.send_dialog import SendMinutesDialog

        dialog = SendMinutesDialog(self._runner, self._db, view.meeting_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.send_dialog = dialog

    def show_message(self, text: str) -> None:
        QMessageBox.information(self, _("Minutes"), text)

    def hideEvent(self, event: QHideEvent) -> None:
        self._flush()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._flush()
        super().closeEvent(event)
