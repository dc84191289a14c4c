"""One runner for all background work: database, documents, mail, imports.

Threads, stated once (Picard's ``run_task``, git-cola's runner):

* ``TaskRunner.run`` is called on the GUI thread. The task function runs on a worker thread of
  the runner's own ``QThreadPool``; it must not touch widgets or Qt models. Services open their
  own short sessions (``db.read()`` / ``db.write()``), so a task needs nothing else.
* ``on_done(result)``, ``on_error(exception)`` and ``on_progress(done, total, text)`` run on the
  GUI thread: the worker emits a signal of the runner, which lives on the GUI thread, so Qt
  queues the call into the GUI thread's event loop.
* A task started with a ``key`` supersedes earlier tasks with the same key: their late results
  are dropped, so a slow answer for meeting 3 never overwrites the details of meeting 5 that
  the user clicked afterwards (git-cola's guard). ``discard_pending`` drops every result still
  on its way, e.g. when another database is opened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from ui.emitting import emit  # PySide6 6.12 refcount bug in emit(), see there

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
ProgressCallback = Callable[[int, int, str], None]


class TaskCancelledError(Exception):
    """Raised inside a task by ``TaskHandle.raise_if_cancelled``; never reaches ``on_error``."""


class TaskHandle:
    """What a task sees of itself: a cancel flag and a progress reporter (thread-safe).

    Passed as first argument to task functions started with ``with_handle=True``.
    """

    def __init__(self, task_id: int, emit_progress: Callable[[int, int, int, str], None]) -> None:
        self.task_id = task_id
        self._cancel = threading.Event()
        self._emit_progress = emit_progress

    def cancel(self) -> None:
        """Ask the task to stop; its result is then dropped. Any thread may call this."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelledError

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report progress from the worker; ``on_progress`` receives it on the GUI thread."""
        self._emit_progress(self.task_id, done, total, text)


@dataclass
class _Task:
    handle: TaskHandle
    key: str | None
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    on_progress: ProgressCallback | None
    on_discard: DoneCallback | None
    call: Callable[[], Any] = field(repr=False)


class TaskRunner(QObject):
    """Runs functions on a thread pool and hands their results back to the GUI thread.

    Signals:
        busy_changed(bool): True when the first task starts, False when the last one ends.
        unhandled_error(object): a task started without ``on_error`` failed (the exception);
            the main window shows it as a message (issue 7: e.g. DiskFull, DatabaseReadOnly).
    """

    busy_changed = Signal(bool)
    unhandled_error = Signal(object)
    # Emitted from worker threads; queued into the GUI thread because the runner lives there.
    _finished = Signal(int, object, object)
    _progressed = Signal(int, int, int, str)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: dict[int, _Task] = {}
        self._latest: dict[str, int] = {}
        self._next_id = 1
        self._closed = False
        self._finished.connect(self._deliver)
        self._progressed.connect(self._deliver_progress)

    # -- GUI thread ----------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[..., Any],
        /,
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        on_progress: ProgressCallback | None = None,
        on_discard: DoneCallback | None = None,
        key: str | None = None,
        with_handle: bool = False,
    ) -> TaskHandle:
        """Start ``fn(*args)`` (or ``fn(handle, *args)`` with ``with_handle``) in the background.

        Without ``on_error`` an exception is logged with its traceback and emitted as
        ``unhandled_error``. ``on_discard`` receives
        a result that arrives after its task was cancelled or superseded, to release what it
        holds (an open database, say).
        """
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        task_id = self._next_id
        self._next_id += 1
        handle = TaskHandle(task_id, lambda *args: emit(self._progressed, *args))
        call_args = (handle, *args) if with_handle else args
        task = _Task(
            handle=handle,
            key=key,
            on_done=on_done,
            on_error=on_error,
            on_progress=on_progress,
            on_discard=on_discard,
            call=lambda: fn(*call_args),
        )
        if key is not None:
            superseded = self._latest.get(key)
            if superseded is not None and superseded in self._tasks:
                self._tasks[superseded].handle.cancel()
            self._latest[key] = task_id
        was_idle = not self._tasks
        self._tasks[task_id] = task
        if was_idle:
            emit(self.busy_changed, True)
        # Only the call goes to the worker: the runnable is released on that thread, and if it
        # held the callbacks (bound methods of a dialog) the dialog could be destroyed there.
        call = task.call
        self._pool.start(lambda: self._work(task_id, call))
        return handle

    def discard_pending(self, *, keep: Collection[str] = ()) -> None:
        """Drop the results of every task started so far, except those keyed in *keep*.

        The tasks still run to their end; only their callbacks are skipped.
        """
        for task in self._tasks.values():
            if task.key is None or task.key not in keep:
                task.handle.cancel()

    def is_busy(self) -> bool:
        return bool(self._tasks)

    def is_shut_down(self) -> bool:
        """True after ``shutdown``: ``run`` refuses new tasks."""
        return self._closed

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait (bounded) for running tasks; True when all ended.

        Call before disposing the database engine, so no task still holds a connection.
        """
        self._closed = True
        for task in self._tasks.values():
            task.handle.cancel()
        return self._pool.waitForDone(timeout_ms)

    def _deliver(self, task_id: int, result: object, error: object) -> None:
        task = self._tasks.pop(task_id, None)
        if task is None:
            return
        if task.key is not None and self._latest.get(task.key) == task_id:
            del self._latest[task.key]
        try:
            if self._closed or task.handle.cancelled:
                if error is None and task.on_discard is not None:
                    task.on_discard(result)
                return
            if error is None:
                if task.on_done is not None:
                    task.on_done(result)
            elif isinstance(error, TaskCancelledError):
                return
            elif task.on_error is not None:
                task.on_error(error)  # type: ignore[arg-type]
            else:
                log.error("background task failed", exc_info=error)  # type: ignore[arg-type]
                emit(self.unhandled_error, error)
        finally:
            if not self._tasks:
                emit(self.busy_changed, False)

    def _deliver_progress(self, task_id: int, done: int, total: int, text: str) -> None:
        task = self._tasks.get(task_id)
        if task is None or task.on_progress is None or task.handle.cancelled:
            return
        task.on_progress(done, total, text)

    # -- worker thread -------------------------------------------------------------------------

    def _work(self, task_id: int, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except BaseException as exc:  # every outcome must reach the GUI thread, or it waits
            emit(self._finished, task_id, None, exc)
        else:
            emit(self._finished, task_id, result, None)
