"""Door mode: a laptop at the entrance checks arriving people in with a few keystrokes.

Keyboard, as the person at the door uses it:

- typing goes into the big search field (case and accents ignored: "ays" finds Ayşe);
  Up/Down/PageUp/PageDown move in the results, Enter checks the highlighted person in;
- photo consent for this person: Alt+J / Alt+Y (yes), Alt+N (no), Alt+0 (not asked); in the
  results list plain J / Y / N / 0. An answer stored earlier is preselected with its source
  ("according to the consent of 12.03.2025 (in writing)"), but it is only a suggestion:
  consent is an active choice (DSGVO), so it counts as said at this meeting only once the
  person at the door confirms or changes it. Unconfirmed, the check-in records no new
  statement (the stored one stays in force); with nothing on file nothing is preselected,
  and "not asked" is a valid answer;
- Ctrl+N adds a walk-in (the typed name is taken over), Ctrl+Z / Ctrl+Shift+Z undo and redo,
  F11 toggles full screen, Escape clears the search.

The candidates are loaded once in the background; each keystroke ranks them in memory
(``ui.attendance.candidates``). Every write runs through the task runner; the search is
cleared at once on Enter so the next person can be typed while the check-in is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _
from app.services.attendance import (
    AlreadyInDirectoryError,
    CheckInResult,
    CheckinRow,
    WalkInResult,
    add_walk_in,
    check_in,
    check_in_guest,
    checkin_candidates,
    checkin_row,
    remove_walk_in,
    undo_check_in,
)
from ui.attendance.candidates import CandidateModel
from ui.attendance.walk_in import WalkInDialog, WalkInForm
from ui.palette import Tone, banner_style, set_tone, toggle_style
from ui.tasks import TaskRunner
from ui.undo import close_keys, redo_keys
from ui.widgets.error_box import error_text
from ui.widgets.tables import TableView

FLASH_MS = 5000
_MOVE_KEYS = {
    Qt.Key.Key_Up: QAbstractItemView.CursorAction.MoveUp,
    Qt.Key.Key_Down: QAbstractItemView.CursorAction.MoveDown,
    Qt.Key.Key_PageUp: QAbstractItemView.CursorAction.MovePageUp,
    Qt.Key.Key_PageDown: QAbstractItemView.CursorAction.MovePageDown,
}
_YES_KEYS = (Qt.Key.Key_J, Qt.Key.Key_Y)
_NO_KEYS = (Qt.Key.Key_N,)
_NOT_ASKED_KEYS = (Qt.Key.Key_0,)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchField(QLineEdit):
    """The big search field. Signals: navigate(object): a cursor action for the results."""

    navigate = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = _MOVE_KEYS.get(Qt.Key(event.key()))
        if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.navigate.emit(action)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.setText("")
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # With nothing typed, Ctrl+Z belongs to the window (undo the last check-in), not to
        # the field's own text history.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and not self.text()
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            event.ignore()
            return False
        return super().event(event)


@dataclass
class _Step:
    """One undoable door action: ``do`` returns (row now, token); ``undo(token)`` returns
    (key, row after the undo or None when the row is gone)."""

    text: str
    do: Callable[[], tuple[CheckinRow, Any]]
    undo: Callable[[Any], tuple[str, CheckinRow | None]]
    token: Any = None


class _DoorCommand(QUndoCommand):
    def __init__(self, window: DoorModeWindow, step: _Step) -> None:
        super().__init__(step.text)
        self._window = window
        self.step = step
        self._done_once = True  # pushed after the action was already done

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._window.run_step(self.step, redo=True)

    def undo(self) -> None:
        self._window.run_step(self.step, redo=False)


class DoorModeWindow(QWidget):
    """The check-in window of one meeting.

    Signals:
        loaded(int): the candidates are in (their number).
        checked_in(object): a ``CheckinRow`` as stored after a check-in or walk-in.
        undone(str): the key of the row whose check-in (or walk-in) was undone or redone.
        failed(str): an error shown to the user.
    """

    loaded = Signal(int)
    checked_in = Signal(object)
    undone = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        meeting_id: int,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("doorMode")
        self.setWindowTitle(_("Check-in: {title}").format(title=title))
        self._runner = runner
        self._db = db
        self._meeting_id = meeting_id
        self._consent: bool | None = None
        # False while the answer shown is the stored one, not yet confirmed at the door.
        self._consent_confirmed = True
        self._pending = 0
        self.undo_stack = QUndoStack(self)
        self.walk_in_dialog: WalkInDialog | None = None

        heading = QLabel(title)
        heading.setObjectName("doorTitle")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        self.counts = QLabel()
        self.counts.setObjectName("doorCounts")
        counts_font = self.counts.font()
        counts_font.setPointSizeF(counts_font.pointSizeF() * 1.4)
        self.counts.setFont(counts_font)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.counts)

        self.search = SearchField()
        self.search.setObjectName("doorSearch")
        self.search.setAccessibleName(_("Find a person to check in"))
        self.search.setPlaceholderText(_("Type a name, organisation or e-mail…"))
        self.search.setClearButtonEnabled(True)
        search_font = self.search.font()
        search_font.setPointSizeF(search_font.pointSizeF() * 2.4)
        self.search.setFont(search_font)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.check_in_current)
        self.search.navigate.connect(self._move)

        self.model = CandidateModel(self)
        self.view = TableView(
            self.model, "doorResults", empty_text=_("Loading the list…"), sortable=False
        )
        self.view.setAccessibleName(_("People to check in"))
        view_font = self.view.font()
        view_font.setPointSizeF(view_font.pointSizeF() * 1.4)
        self.view.setFont(view_font)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 14)
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda _index: self.check_in_current())
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        self.photo_yes = QPushButton(_("Photos: yes"))
        self.photo_yes.setObjectName("photoYes")
        self.photo_no = QPushButton(_("Photos: no"))
        self.photo_no.setObjectName("photoNo")
        self.photo_not_asked = QPushButton(_("Not asked"))
        self.photo_not_asked.setObjectName("photoNotAsked")
        for button, value in (
            (self.photo_yes, True),
            (self.photo_no, False),
            (self.photo_not_asked, None),
        ):
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(48)
            button.setStyleSheet(toggle_style())
            button.clicked.connect(lambda _checked=False, v=value: self.set_consent(v))
        self.photo_yes.setToolTip(_("Alt+J or Alt+Y; J or Y in the list"))
        self.photo_no.setToolTip(_("Alt+N; N in the list"))
        self.photo_not_asked.setToolTip(_("Alt+0; 0 in the list"))
        self.consent_source = QLabel()
        self.consent_source.setObjectName("consentSource")
        self.consent_source.setTextFormat(Qt.TextFormat.PlainText)
        self.consent_source.setWordWrap(True)
        source_font = self.consent_source.font()
        source_font.setPointSizeF(source_font.pointSizeF() * 1.15)
        self.consent_source.setFont(source_font)
        self.check_in_button = QPushButton(_("Check in (Enter)"))
        self.check_in_button.setObjectName("checkInButton")
        self.check_in_button.setMinimumHeight(48)
        self.check_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check_in_button.clicked.connect(self.check_in_current)
        self.walk_in_button = QPushButton(_("New walk-in… (Ctrl+N)"))
        self.walk_in_button.setObjectName("walkInButton")
        self.walk_in_button.setMinimumHeight(48)
        self.walk_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.walk_in_button.clicked.connect(self.new_walk_in)
        self.undo_button = QPushButton(_("Undo last (Ctrl+Z)"))
        self.undo_button.setObjectName("doorUndo")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.setMinimumHeight(48)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        for widget in (
            self.photo_yes,
            self.photo_no,
            self.photo_not_asked,
            self.check_in_button,
            self.walk_in_button,
            self.undo_button,
        ):
            button_font = widget.font()
            button_font.setPointSizeF(button_font.pointSizeF() * 1.25)
            widget.setFont(button_font)
        actions = QHBoxLayout()
        actions.addWidget(self.photo_yes)
        actions.addWidget(self.photo_no)
        actions.addWidget(self.photo_not_asked)
        actions.addSpacing(24)
        actions.addWidget(self.check_in_button, 1)
        actions.addWidget(self.walk_in_button)
        actions.addWidget(self.undo_button)

        self.flash = QLabel()
        self.flash.setObjectName("doorFlash")
        self.flash.setTextFormat(Qt.TextFormat.PlainText)
        self.flash.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.flash.setWordWrap(True)
        flash_font = self.flash.font()
        flash_font.setPointSizeF(flash_font.pointSizeF() * 1.8)
        flash_font.setBold(True)
        self.flash.setFont(flash_font)
        self.flash.hide()
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self.flash.hide)

        hint = QLabel(
            _(
                "Enter: check in · Alt+J / Alt+N: photos yes / no · Alt+0: not asked · "
                "Ctrl+N: walk-in · Ctrl+Z: undo · F11: full screen"
            )
        )
        hint.setObjectName("doorHint")
        hint.setEnabled(False)
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addLayout(actions)
        layout.addWidget(self.consent_source)
        layout.addWidget(self.flash)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)

        self._add_shortcuts()
        self.setTabOrder(self.search, self.view)
        self.search.setFocus()
        # Large enough to read from a step away, never larger than the laptop's screen.
        available = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(1100, available.width() - 16), min(760, available.height() - 40))
        self._update_counts()
        self._load()

    # -- set-up --------------------------------------------------------------------------------

    def _add_shortcuts(self) -> None:
        def shortcut(keys: QKeySequence | str, slot: Callable[[], object]) -> None:
            sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
            QShortcut(sequence, self, slot, context=Qt.ShortcutContext.WindowShortcut)

        shortcut("Alt+J", lambda: self.set_consent(True))
        shortcut("Alt+Y", lambda: self.set_consent(True))
        shortcut("Alt+N", lambda: self.set_consent(False))
        shortcut("Alt+0", lambda: self.set_consent(None))
        shortcut("Ctrl+N", self.new_walk_in)
        shortcut("F11", self.toggle_full_screen)
        undo = QAction(self)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.triggered.connect(self.undo_stack.undo)
        redo = QAction(self)
        redo.setShortcuts(redo_keys())
        redo.triggered.connect(self.undo_stack.redo)
        close = QAction(self)
        # Ctrl+W on every platform (Windows' own Close key is Ctrl+F4).
        close.setShortcuts(close_keys())
        close.triggered.connect(self.close)
        self.addActions([undo, redo, close])

    def _load(self) -> None:
        self._runner.run(
            checkin_candidates,
            self._db,
            self._meeting_id,
            key=f"door-candidates-{self._meeting_id}",
            on_done=self._loaded,
            on_error=self._failed,
        )

    def _loaded(self, rows: list[CheckinRow]) -> None:
        self.model.set_candidates(rows)
        self.view.set_empty_text(_("Nobody found. Ctrl+N adds a walk-in."))
        self._select_first()
        self._update_counts()
        self.loaded.emit(len(rows))

    # -- searching -----------------------------------------------------------------------------

    def _filter(self, text: str) -> None:
        self.model.filter(text)
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount() > 0:
            self.view.setCurrentIndex(self.model.index(0, 0))
        else:
            self._current_changed(QModelIndex(), QModelIndex())

    def _move(self, action: QAbstractItemView.CursorAction) -> None:
        if self.model.rowCount() == 0:
            return
        current = self.view.currentIndex()
        row = current.row() if current.isValid() else 0
        page = max(1, self.view.viewport().height() // max(1, self.view.rowHeight(0)) - 1)
        step = {
            QAbstractItemView.CursorAction.MoveUp: -1,
            QAbstractItemView.CursorAction.MoveDown: 1,
            QAbstractItemView.CursorAction.MovePageUp: -page,
            QAbstractItemView.CursorAction.MovePageDown: page,
        }[action]
        row = min(max(0, row + step), self.model.rowCount() - 1)
        self.view.setCurrentIndex(self.model.index(row, 0))

    def current_candidate(self) -> CheckinRow | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        row: CheckinRow = self.model.row(index.row())
        return row

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row(current.row()) if current.isValid() else None
        self._preselect(row)

    # -- photo consent -------------------------------------------------------------------------

    def _preselect(self, row: CheckinRow | None) -> None:
        """What the toggles start from for *row*, and where that comes from."""
        if row is None:
            self._show_consent(None, confirmed=True, source="")
        elif row.photo_consent is not None:
            self._show_consent(row.photo_consent, confirmed=True, source=_("Said at this meeting."))
        elif row.photo_consent_record is not None:
            record = row.photo_consent_record
            self._show_consent(
                record.given,
                confirmed=False,
                source=_(
                    "Preselected {source} – please ask and confirm or change it (Alt+J / Alt+N)."
                ).format(source=record.source_text()),
            )
        else:
            self._show_consent(
                None,
                confirmed=True,
                source=_("No photo consent on file – please ask (Alt+J / Alt+N)."),
            )

    def consent(self) -> bool | None:
        """The answer the toggles show (stored or chosen)."""
        return self._consent

    def consent_confirmed(self) -> bool:
        """False while a stored answer is shown that nobody confirmed at the door yet."""
        return self._consent_confirmed

    def consent_to_store(self) -> bool | None:
        """What the check-in records as said at this meeting: only an active choice."""
        return self._consent if self._consent_confirmed else None

    def consent_source_text(self) -> str:
        return self.consent_source.text()

    def set_consent(self, value: bool | None) -> None:
        """The person at the door chose (or confirmed) *value*; None: not asked."""
        if value is None:
            source = _("Not asked: no statement is recorded for this meeting.")
        else:
            source = _("Said now, at the door.")
        self._show_consent(value, confirmed=True, source=source)

    def _show_consent(self, value: bool | None, *, confirmed: bool, source: str) -> None:
        self._consent = value
        self._consent_confirmed = confirmed
        for button, shown in (
            (self.photo_yes, True),
            (self.photo_no, False),
            (self.photo_not_asked, None),
        ):
            button.setChecked(value is shown)
            # A stored answer not yet confirmed looks different from a chosen one (and the
            # text below says why); ui.palette draws it.
            button.setProperty("suggested", value is shown and not confirmed)
            button.style().unpolish(button)
            button.style().polish(button)
            button.update()
        self.consent_source.setText(source)
        set_tone(self.consent_source, None if confirmed else Tone.CAUTION, bold=not confirmed)

    # -- checking in ---------------------------------------------------------------------------

    def check_in_current(self) -> None:
        row = self.current_candidate()
        if row is None:
            if self.search.text().strip():
                self._show_flash(_("Nobody found. Ctrl+N adds a walk-in."), ok=False)
            return
        consent = self.consent_to_store()
        already = row.present
        self.search.setText("")  # the next person can be typed while this one is saved
        self.search.setFocus()
        self._start(self._check_in_step(row, consent), already=already)

    def _check_in_step(self, row: CheckinRow, consent: bool | None) -> _Step:
        db, meeting_id = self._db, self._meeting_id

        def do() -> tuple[CheckinRow, Any]:
            if row.guest:
                assert row.attendance_id is not None
                result: CheckInResult = check_in_guest(
                    db, meeting_id, row.attendance_id, photo_consent=consent
                )
            else:
                assert row.person_id is not None
                result = check_in(db, meeting_id, row.person_id, photo_consent=consent)
            return result.row, result.change

        def undo(change: Any) -> tuple[str, CheckinRow | None]:
            undo_check_in(db, change)
            return row.key, checkin_row(
                db,
                meeting_id,
                person_id=row.person_id,
                attendance_id=row.attendance_id if row.guest else None,
            )

        return _Step(_("Check-in of {name}").format(name=row.name), do, undo)

    def _start(self, step: _Step, *, already: bool = False) -> None:
        self._pending += 1
        self._runner.run(
            step.do,
            on_done=lambda result: self._done(step, result, already),
            on_error=self._step_failed,
            owner=self,
        )

    def _done(self, step: _Step, result: tuple[CheckinRow, Any], already: bool) -> None:
        self._pending -= 1
        row, step.token = result
        self.model.update_candidate(row)
        self._select_first()
        self.undo_stack.push(_DoorCommand(self, step))
        if already:
            self._show_flash(_("✓ {name} was already checked in").format(name=row.name))
        else:
            self._show_flash(_("✓ {name} – welcome!").format(name=row.name))
        self._update_counts()
        self.checked_in.emit(row)

    def _step_failed(self, error: BaseException) -> None:
        self._pending -= 1
        self._failed(error)

    def run_step(self, step: _Step, *, redo: bool) -> None:
        """Undo (or redo) *step* in the background; the undo stack has already moved."""
        self._pending += 1
        if redo:
            self._runner.run(
                step.do,
                on_done=lambda result: self._redone(step, result),
                on_error=self._step_failed,
                owner=self,
            )
        else:
            self._runner.run(
                step.undo, step.token, on_done=self._undone, on_error=self._step_failed
            )

    def _redone(self, step: _Step, result: tuple[CheckinRow, Any]) -> None:
        self._pending -= 1
        row, step.token = result
        self.model.update_candidate(row)
        self._select_first()
        self._show_flash(_("✓ {name} checked in again").format(name=row.name))
        self._update_counts()
        self.undone.emit(row.key)

    def _undone(self, result: tuple[str, CheckinRow | None]) -> None:
        self._pending -= 1
        key, row = result
        before = self.model.candidate(key)
        if row is None:
            self.model.remove_candidate(key)
        else:
            self.model.update_candidate(row)
        self._select_first()
        shown = row or before
        name = shown.name if shown is not None else ""
        self._show_flash(_("Undone: {name} is no longer checked in").format(name=name), ok=False)
        self._update_counts()
        self.undone.emit(key)

    def pending(self) -> int:
        """Writes still on their way (tests wait for 0)."""
        return self._pending

    # -- walk-ins ------------------------------------------------------------------------------

    def new_walk_in(self) -> None:
        if self.walk_in_dialog is not None:
            self.walk_in_dialog.raise_()
            return
        # The toggles show the highlighted person's consent; a walk-in starts from what the
        # user chose by hand only when nobody is highlighted.
        consent = self.consent_to_store() if self.current_candidate() is None else None
        dialog = WalkInDialog(self.search.text().strip(), consent, self)
        dialog.submitted.connect(self._save_walk_in)
        dialog.finished.connect(self._walk_in_closed)
        self.walk_in_dialog = dialog
        dialog.open()

    def _walk_in_closed(self) -> None:
        self.walk_in_dialog = None
        self.activateWindow()
        self.search.setFocus()

    def _walk_in_step(self, form: WalkInForm, consent: bool | None) -> _Step:
        db, meeting_id = self._db, self._meeting_id

        def do() -> tuple[CheckinRow, Any]:
            result = add_walk_in(
                db,
                meeting_id,
                form.name,
                form.organisation,
                form.email,
                as_person=form.as_person,
                photo_consent=consent,
            )
            return result.row, result

        def undo(result: WalkInResult) -> tuple[str, CheckinRow | None]:
            remove_walk_in(db, result)
            if result.person_id is None:
                return result.row.key, None
            return result.row.key, checkin_row(db, meeting_id, person_id=result.person_id)

        return _Step(_("Walk-in {name}").format(name=form.name), do, undo)

    def _save_walk_in(self, form: WalkInForm) -> None:
        step = self._walk_in_step(form, form.photo_consent)
        self._pending += 1
        self._runner.run(
            step.do,
            on_done=lambda result: self._walk_in_saved(step, result),
            on_error=self._walk_in_failed,
            owner=self,
        )

    def _walk_in_saved(self, step: _Step, result: tuple[CheckinRow, Any]) -> None:
        if self.walk_in_dialog is not None:
            self.walk_in_dialog.finish()
        self.search.setText("")
        self._done(step, result, already=False)

    def _walk_in_failed(self, error: BaseException) -> None:
        self._pending -= 1
        dialog = self.walk_in_dialog
        if isinstance(error, AlreadyInDirectoryError):
            answer = QMessageBox.question(
                dialog or self,
                _("Already in the directory"),
                _("{message}\n\nCheck this person in instead?").format(message=error),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                if dialog is not None:
                    dialog.finish()
                self._check_in_known(error.person_id, self._consent_of(dialog))
                return
        if dialog is not None:
            text = error_text(error)
            dialog.show_error(text)
            self.failed.emit(text)
        else:
            self._failed(error)

    @staticmethod
    def _consent_of(dialog: WalkInDialog | None) -> bool | None:
        return dialog.form().photo_consent if dialog is not None else None

    def _check_in_known(self, person_id: int, consent: bool | None) -> None:
        row = self.model.candidate(f"person:{person_id}")
        if row is None:
            # Archived people are not in the list: fetch the one row, then check in.
            def fetched(found: CheckinRow | None) -> None:
                if found is not None:
                    self._start(self._check_in_step(found, consent), already=found.present)

            db, meeting_id = self._db, self._meeting_id
            self._runner.run(
                lambda: checkin_row(db, meeting_id, person_id=person_id),
                on_done=fetched,
                on_error=self._failed,
                owner=self,
            )
            return
        self.search.setText("")
        self._start(self._check_in_step(row, consent), already=row.present)

    # -- feedback ------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        text = error_text(error)
        self._show_flash(text, ok=False)
        self.failed.emit(text)

    def _show_flash(self, text: str, *, ok: bool = True) -> None:
        self.flash.setText(text)
        self.flash.setStyleSheet(banner_style(Tone.POSITIVE if ok else Tone.NEGATIVE))
        self.flash.show()
        self._flash_timer.start()

    def _update_counts(self) -> None:
        present, invited, guests = self.model.counts()
        text = _("Present: {present} · Invited: {invited}").format(present=present, invited=invited)
        if guests:
            text += " · " + _("Guests: {count}").format(count=guests)
        self.counts.setText(text)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # -- keys in the results list --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in _ENTER_KEYS:
                self.check_in_current()
                return True
            if not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                if key in _YES_KEYS:
                    self.set_consent(True)
                    return True
                if key in _NO_KEYS:
                    self.set_consent(False)
                    return True
                if key in _NOT_ASKED_KEYS:
                    self.set_consent(None)
                    return True
        return super().eventFilter(watched, event)
