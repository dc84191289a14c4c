"""Writes of the minutes editor, one after another in the order they were asked for.

The task runner's pool runs up to two tasks at once; two writes of the same minutes (an undo
right after the change it undoes, two autosaves of a TOP) must not overtake each other. The
queue hands one job at a time to the runner and starts the next one only after the previous
one's callback ran on the GUI thread, so a later job may read what an earlier one returned.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.tasks import TaskRunner


@dataclass
class _Job:
    call: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None


class WriteQueue(QObject):
    """Signals:
    idle_changed(bool): True when the last queued job has finished.
    """

    idle_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._jobs: deque[_Job] = deque()
        self._running = False

    def submit(
        self,
        call: Callable[[], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue ``call()`` (runs on a worker thread; callbacks on the GUI thread)."""
        self._jobs.append(_Job(call, on_done, on_error))
        if not self._running:
            self.idle_changed.emit(False)
            self._next()

    def is_idle(self) -> bool:
        return not self._running and not self._jobs

    def _discarded(self, _result: object) -> None:
        self._next()

    def _next(self) -> None:
        if not self._jobs:
            self._running = False
            self.idle_changed.emit(True)
            return
        self._running = True
        job = self._jobs.popleft()

        def done(result: Any) -> None:
            try:
                if job.on_done is not None:
                    job.on_done(result)
            finally:
                self._next()

        def failed(error: BaseException) -> None:
            try:
                if job.on_error is not None:
                    job.on_error(error)
            finally:
                self._next()

        try:
            # A result dropped by the runner (another database was opened) must not stall
            # the queue: on_discard moves on without the job's callback. Once the queue itself
            # is deleted (its editor was closed), nothing of it runs any more.
            self._runner.run(
                job.call, on_done=done, on_error=failed, on_discard=self._discarded, owner=self
            )
        except RuntimeError:  # the runner is shut down: the window is closing
            self._jobs.clear()
            self._running = False
