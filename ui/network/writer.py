"""The queue that runs directory writes in order, one at a time, on the task runner.

Apart from ``ui.network.commands`` (the undo commands, which import the editing services):
the network page builds its writer before those are loaded (issue 14).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.db import Database

Work = Callable[["Database"], Any]


@dataclass
class _Job:
    work: Work
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None


class DirectoryWriter(QObject):
    """Runs directory writes on the task runner strictly one after another.

    Signals:
        written(): a write finished successfully (the page reloads its lists).
        failed(object): a write without its own error handler failed (the exception).
        idle(): the queue ran empty.
    """

    written = Signal()
    failed = Signal(object)
    idle = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db: Database | None = None
        self._queue: deque[_Job] = deque()
        self._running = False

    def set_database(self, db: Database | None) -> None:
        """Another database drops the writes still queued for the old one."""
        if db is not self._db:
            self._queue.clear()
        self._db = db

    def database(self) -> Database | None:
        return self._db

    def is_busy(self) -> bool:
        return self._running or bool(self._queue)

    def submit(
        self,
        work: Work,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work(db)`` on a worker thread after every write submitted before it."""
        self._queue.append(_Job(work, on_done, on_error))
        self._next()

    def _next(self) -> None:
        if self._running:
            return
        if not self._queue or self._db is None:
            self._queue.clear()
            self.idle.emit()
            return
        job = self._queue.popleft()
        self._running = True
        self._runner.run(
            job.work,
            self._db,
            on_done=lambda result: self._finish(job, result, None),
            on_error=lambda error: self._finish(job, None, error),
        )

    def _finish(self, job: _Job, result: Any, error: BaseException | None) -> None:
        self._running = False
        try:
            if error is None:
                if job.on_done is not None:
                    job.on_done(result)
                self.written.emit()
            elif job.on_error is not None:
                job.on_error(error)
            else:
                self.failed.emit(error)
        finally:
            self._next()
