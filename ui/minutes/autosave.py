"""Autosave of the notes: a debounced background save plus the crash-recovery journal.

Every change of a TOP's notes is journalled at once (``app.services.minutes_recovery``, a
small file write) and saved ``DELAY_MS`` after the last keystroke through the write queue with
``save_notes(expected_version)``; the journal is deleted when the save succeeded. A
ConflictError stops autosaving that TOP until the window resolved it (``resolve``): the text
is never silently overwritten nor overwrites someone else's.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.db import Database
from app.errors import ConflictError
from app.services.minutes import save_notes
from app.services.minutes_recovery import clear_recovery, write_recovery
from ui.minutes.queue import WriteQueue

log = logging.getLogger(__name__)
DELAY_MS = 800


class SaveState(enum.Enum):
    SAVED = "saved"
    SAVING = "saving"
    UNSAVED = "unsaved"


@dataclass
class _Notes:
    version: int
    saved: str  # what the database holds (as far as this window knows)
    text: str  # what the editor shows
    in_flight: bool = False
    blocked: bool = False  # a conflict or error waits for the user


class NotesAutosaver(QObject):
    """Signals:
    state_changed(object): the overall ``SaveState``.
    saved(int, int): agenda item id and its new notes version after a save.
    conflict(int, object): agenda item id and the ConflictError; autosave of it paused.
    failed(int, object): agenda item id and another error (e.g. locked minutes); paused.
    """

    state_changed = Signal(object)
    saved = Signal(int, int)
    conflict = Signal(int, object)
    failed = Signal(int, object)

    def __init__(
        self,
        queue: WriteQueue,
        db: Database,
        meeting_id: int,
        *,
        recovery_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self._db = db
        self._meeting_id = meeting_id
        self._recovery_dir = recovery_dir
        self._notes: dict[int, _Notes] = {}
        self._state = SaveState.SAVED
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)

    # -- what the editor tells ------------------------------------------------------------------

    def track(self, agenda_item_id: int, text: str, version: int) -> None:
        """The stored notes of a TOP as loaded (keeps unsaved text of a TOP already tracked)."""
        current = self._notes.get(agenda_item_id)
        if current is not None and (current.text != current.saved or current.in_flight):
            return
        self._notes[agenda_item_id] = _Notes(version, text, text)
        self._update_state()

    def edited(self, agenda_item_id: int, text: str) -> None:
        """The editor's text of a TOP changed: journal it now, save it in a moment."""
        notes = self._notes.get(agenda_item_id)
        if notes is None or notes.text == text:
            return
        notes.text = text
        if text == notes.saved:
            self._clear_journal(agenda_item_id)
        else:
            self._journal(agenda_item_id, notes)
        if not notes.blocked:
            self._timer.start()
        self._update_state()

    def flush(self) -> None:
        """Save every changed TOP now (on TOP switch, focus out, close)."""
        self._timer.stop()
        for agenda_item_id, notes in self._notes.items():
            if notes.text != notes.saved and not notes.in_flight and not notes.blocked:
                self._save(agenda_item_id, notes)
        self._update_state()

    def save_now(self) -> bool:
        """Save every changed TOP at once, on the calling (GUI) thread; True if all saved.

        Only for closing the window, when the task runner is about to stop: a short block is
        better than a recovery question at the next start. A TOP with a save still on its way
        or a conflict pending is left to the journal.
        """
        self._timer.stop()
        complete = True
        for agenda_item_id, notes in self._notes.items():
            if notes.text == notes.saved:
                continue
            if notes.in_flight or notes.blocked:
                complete = False
                continue
            try:
                notes.version = save_notes(
                    self._db, agenda_item_id, notes.text, expected_version=notes.version
                )
            except Exception:  # the journal keeps the text for the next start
                log.warning("notes could not be saved on closing", exc_info=True)
                complete = False
                continue
            notes.saved = notes.text
            self._clear_journal(agenda_item_id, notes.text)
        self._update_state()
        return complete

    def resolve(self, agenda_item_id: int, text: str, version: int, *, keep: bool) -> None:
        """After a conflict: *version* and *text* are what the database holds now.

        keep=True saves the editor's text over it; keep=False takes the stored text (the
        editor shows it) and drops the journal.
        """
        notes = self._notes.get(agenda_item_id)
        if notes is None:
            return
        notes.version, notes.saved, notes.blocked = version, text, False
        if keep:
            self._journal(agenda_item_id, notes)
            self.flush()
        else:
            notes.text = text
            self._clear_journal(agenda_item_id)
            self._update_state()

    def retry(self, agenda_item_id: int) -> None:
        notes = self._notes.get(agenda_item_id)
        if notes is not None:
            notes.blocked = False
            self.flush()

    def state(self) -> SaveState:
        return self._state

    def version(self, agenda_item_id: int) -> int | None:
        notes = self._notes.get(agenda_item_id)
        return notes.version if notes else None

    def has_unsaved(self) -> bool:
        return any(n.text != n.saved for n in self._notes.values())

    # -- saving ---------------------------------------------------------------------------------

    def _save(self, agenda_item_id: int, notes: _Notes) -> None:
        text, version = notes.text, notes.version
        notes.in_flight = True
        db = self._db

        def done(new_version: int) -> None:
            notes.in_flight = False
            notes.version, notes.saved = new_version, text
            self._clear_journal(agenda_item_id, text)
            self.saved.emit(agenda_item_id, new_version)
            if notes.text != notes.saved:
                self._timer.start()  # typed on while saving
            self._update_state()

        def failed(error: BaseException) -> None:
            notes.in_flight = False
            notes.blocked = True
            self._update_state()
            if isinstance(error, ConflictError):
                self.conflict.emit(agenda_item_id, error)
            else:
                self.failed.emit(agenda_item_id, error)

        self._queue.submit(
            lambda: save_notes(db, agenda_item_id, text, expected_version=version),
            on_done=done,
            on_error=failed,
        )

    def _journal(self, agenda_item_id: int, notes: _Notes) -> None:
        try:
            write_recovery(
                self._db.path,
                self._meeting_id,
                agenda_item_id,
                notes.version,
                notes.text,
                directory=self._recovery_dir,
            )
        except OSError:
            # The journal is a safety net; a full disk must not stop typing or saving.
            log.warning("could not write the notes' recovery journal", exc_info=True)

    def _clear_journal(self, agenda_item_id: int, saved_text: str | None = None) -> None:
        try:
            clear_recovery(self._db.path, agenda_item_id, saved_text, directory=self._recovery_dir)
        except OSError:
            log.warning("could not delete the notes' recovery journal", exc_info=True)

    def _update_state(self) -> None:
        if any(n.in_flight for n in self._notes.values()):
            state = SaveState.SAVING
        elif self.has_unsaved():
            state = SaveState.UNSAVED
        else:
            state = SaveState.SAVED
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)
