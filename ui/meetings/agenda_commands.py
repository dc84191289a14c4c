"""Undoable agenda edits: QUndoCommands calling the services' operations and their inverses.

Threads and order: every service call runs on the task runner, but strictly one after the
other (``SerialRunner``), so an undo never overtakes the edit it reverses. A command is put on
the undo stack only after its first run succeeded (an edit the service refused is not
undoable: it never happened); ``push`` then skips the redo Qt calls on push.

What each command keeps for its inverse (see ``app.services.agenda``):

- ``AddItemCommand``: the new id (undo: ``remove_item``), then the snapshot (redo:
  ``restore_items`` brings the same id back, so later commands naming it keep working).
- ``RemoveItemCommand``: the snapshot (undo: ``restore_items``).
- ``UpdateItemCommand``: the previous draft (undo: ``update_item`` with it).
- ``MoveItemCommand``: the ``MoveResult`` (undo: ``move_item`` to the old place).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from app.db import Database
from app.i18n import _
from app.services import agenda
from app.services.agenda import AgendaItemDraft, AgendaSnapshot, MoveResult
from ui.tasks import TaskRunner

Operation = Callable[[], Any]


@dataclass
class _Queued:
    operation: Operation
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]


class SerialRunner(QObject):
    """Runs service calls through the task runner one at a time, in the order given.

    Signals:
        idle(): the queue ran empty (the editor reloads the agenda then).
        failed(object): an operation raised (the exception); the rest of the queue is dropped.
    """

    idle = Signal()
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._queue: deque[_Queued] = deque()
        self._running = False

    def is_busy(self) -> bool:
        return self._running or bool(self._queue)

    def submit(
        self,
        operation: Operation,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        fail = on_error or (lambda exc: self.failed.emit(exc))
        self._queue.append(_Queued(operation, on_done, fail))
        if not self._running:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._running = False
            self.idle.emit()
            return
        self._running = True
        queued = self._queue.popleft()

        def done(result: Any) -> None:
            queued.on_done(result)
            self._next()

        def error(exc: BaseException) -> None:
            self._queue.clear()
            self._running = False
            queued.on_error(exc)
            self.idle.emit()

        self._runner.run(queued.operation, on_done=done, on_error=error, owner=self)


class AgendaCommand(QUndoCommand):
    """Base: ``start`` runs the first time; redo/undo after that go through the queue."""

    def __init__(self, db: Database, serial: SerialRunner, text: str) -> None:
        super().__init__(text)
        self.db = db
        self.serial = serial
        self._pushed = False
        self.focus_id: int | None = None  # the item to select after this step

    def start(
        self,
        on_success: Callable[[AgendaCommand], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """The first run; *on_success* pushes the command onto the undo stack."""

        def done(result: Any) -> None:
            self.did(result)
            on_success(self)

        self.serial.submit(self.do, done, on_error)

    def mark_pushed(self) -> None:
        self._pushed = True

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo; the first run already happened
            return
        self.serial.submit(self.do, self.did)

    def undo(self) -> None:
        self.serial.submit(self.inverse, self.undid)

    # Worker thread: service calls only. GUI thread: did/undid store what the next step needs.
    def do(self) -> Any:
        raise NotImplementedError

    def did(self, result: Any) -> None:
        pass

    def inverse(self) -> Any:
        raise NotImplementedError

    def undid(self, result: Any) -> None:
        pass


class AddItemCommand(AgendaCommand):
    def __init__(
        self,
        db: Database,
        serial: SerialRunner,
        meeting_id: int,
        draft: AgendaItemDraft,
        parent_id: int | None,
        index: int | None,
    ) -> None:
        super().__init__(db, serial, _("Add “{title}”").format(title=draft.title))
        self.meeting_id, self.draft, self.parent_id, self.index = (
            meeting_id,
            draft,
            parent_id,
            index,
        )
        self.item_id: int | None = None
        self.snapshot: AgendaSnapshot | None = None

    def do(self) -> Any:
        if self.snapshot is not None:
            return agenda.restore_items(self.db, self.snapshot)
        return agenda.add_item(
            self.db, self.meeting_id, self.draft, parent_id=self.parent_id, index=self.index
        )

    def did(self, result: Any) -> None:
        if isinstance(result, dict):  # restored: the mapping old id → id now
            assert self.snapshot is not None
            self.item_id = result[self.snapshot.root_id]
        else:
            self.item_id = int(result)
        self.focus_id = self.item_id

    def inverse(self) -> Any:
        assert self.item_id is not None
        return agenda.remove_item(self.db, self.item_id)

    def undid(self, result: Any) -> None:
        self.snapshot = result
        self.focus_id = None


class RemoveItemCommand(AgendaCommand):
    def __init__(self, db: Database, serial: SerialRunner, item_id: int, title: str) -> None:
        super().__init__(db, serial, _("Remove “{title}”").format(title=title))
        self.item_id = item_id
        self.snapshot: AgendaSnapshot | None = None

    def do(self) -> Any:
        return agenda.remove_item(self.db, self.item_id)

    def did(self, result: Any) -> None:
        self.snapshot = result
        self.focus_id = None

    def inverse(self) -> Any:
        assert self.snapshot is not None
        return agenda.restore_items(self.db, self.snapshot)

    def undid(self, result: Any) -> None:
        assert self.snapshot is not None
        self.item_id = result[self.snapshot.root_id]
        self.focus_id = self.item_id


class UpdateItemCommand(AgendaCommand):
    def __init__(
        self, db: Database, serial: SerialRunner, item_id: int, draft: AgendaItemDraft
    ) -> None:
        super().__init__(db, serial, _("Change “{title}”").format(title=draft.title))
        self.item_id = item_id
        self.draft = draft
        self.previous: AgendaItemDraft | None = None
        self.focus_id = item_id

    def do(self) -> Any:
        return agenda.update_item(self.db, self.item_id, self.draft)

    def did(self, result: Any) -> None:
        self.previous = result

    def inverse(self) -> Any:
        assert self.previous is not None
        return agenda.update_item(self.db, self.item_id, self.previous)


MoveOperation = Callable[[Database, int], MoveResult]


class MoveItemCommand(AgendaCommand):
    """Drag and drop, move up/down, indent and outdent: all undone by ``move_item``."""

    def __init__(
        self,
        db: Database,
        serial: SerialRunner,
        item_id: int,
        text: str,
        first: MoveOperation,
    ) -> None:
        super().__init__(db, serial, text)
        self.item_id = item_id
        self._first: MoveOperation | None = first
        self.result: MoveResult | None = None
        self.focus_id = item_id

    def do(self) -> Any:
        if self._first is not None:
            return self._first(self.db, self.item_id)
        assert self.result is not None
        return agenda.move_item(
            self.db, self.item_id, self.result.new_parent_id, self.result.new_index
        )

    def did(self, result: Any) -> None:
        self.result = result
        self._first = None

    def inverse(self) -> Any:
        assert self.result is not None
        return agenda.move_item(
            self.db, self.item_id, self.result.old_parent_id, self.result.old_index
        )


def move_to(new_parent_id: int | None, new_index: int) -> MoveOperation:
    return lambda db, item_id: agenda.move_item(db, item_id, new_parent_id, new_index)
