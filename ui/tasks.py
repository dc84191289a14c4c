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
* A result whose receiver is gone is dropped too, as Qt drops a signal to a deleted receiver:
  the user may close a dialog while its data still loads. The receiver is the task's
  ``owner`` (a ``QObject``) and, for a callback that is a bound method of a ``QObject``, that
  object. A callback that is a lambda touching a dialog needs ``owner=dialog``.
* ``quiet_seconds()`` says how long no runner of the process has had a task: housekeeping
  that stalls the GUI thread (a full garbage collection, ``ui.garbage``) waits for such a
  moment instead of interrupting a mailing's progress.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
ProgressCallback = Callable[[int, int, str], None]


class _Activity:
    """Which runners of the process have tasks, and since when none has (GUI thread only)."""

    def __init__(self) -> None:
        self.busy: set[int] = set()  # id() of the busy runners
        self.idle_since = time.monotonic()

    def changed(self, runner: object, busy: bool) -> None:
        if busy:
            self.busy.add(id(runner))
        elif id(runner) in self.busy:
            self.busy.discard(id(runner))
            if not self.busy:
                self.idle_since = time.monotonic()


_activity = _Activity()


def quiet_seconds() -> float:
    """Seconds since the last task of any runner ended; 0.0 while one runs (GUI thread)."""
    if _activity.busy:
        return 0.0
    return time.monotonic() - _activity.idle_since


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
    owner: QObject | None
    call: Callable[[], Any] = field(repr=False)

    def receiver_gone(self) -> bool:
        """The owner, or the object a callback is a bound method of, was deleted."""
        if self.owner is not None and not shiboken6.isValid(self.owner):
            return True
        return any(
            _deleted_receiver(callback)
            for callback in (self.on_done, self.on_error, self.on_progress)
        )


def _deleted_receiver(callback: Callable[..., Any] | None) -> bool:
    receiver = getattr(callback, "__self__", None)
    return isinstance(receiver, QObject) and not shiboken6.isValid(receiver)


class TaskRunner(QObject):
    """Runs functions on a thread pool and hands their results back to the GUI thread.

    Signals:
        busy_changed(bool): True when the first task starts, False when the last one ends.
        unhandled_error(object): a task started without ``on_error`` failed (the exception):
            the default error handler. The main window's ``ErrorReporter`` shows the message
            (``ui.widgets.error_box``) and logs a bug's traceback; with nobody connected, the
            runner logs it.
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
        meta = self.metaObject()
        self._unhandled_signal = meta.method(meta.indexOfSignal("unhandled_error(PyObject)"))

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
        owner: QObject | None = None,
    ) -> TaskHandle:
        """Start ``fn(*args)`` (or ``fn(handle, *args)`` with ``with_handle``) in the background.

        Without ``on_error`` an exception goes to the default handler (``unhandled_error``):
        leave it out unless the task's own widget must react (re-enable a button, show the
        text in place); an own handler shows ``error_box.error_text(error)``.

        ``on_discard`` receives a result that arrives after its task was cancelled or
        superseded, or after its *owner* was deleted, to release what it holds (an open
        database, say). When *owner* (or the ``QObject`` a callback is a bound method of) is
        deleted before the task ends, ``on_done``, ``on_error`` and ``on_progress`` are not
        called.
        """
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        task_id = self._next_id
        self._next_id += 1
        handle = TaskHandle(task_id, lambda *args: self._progressed.emit(*args))
        call_args = (handle, *args) if with_handle else args
        task = _Task(
            handle=handle,
            key=key,
            on_done=on_done,
            on_error=on_error,
            on_progress=on_progress,
            on_discard=on_discard,
            owner=owner,
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
            _activity.changed(self, True)
            self.busy_changed.emit(True)
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
        done = self._pool.waitForDone(timeout_ms)
        # Its results are dropped from now on: a runner being disposed of keeps nobody waiting.
        _activity.changed(self, False)
        return done

    def _deliver(self, task_id: int, result: object, error: object) -> None:
        task = self._tasks.pop(task_id, None)
        if task is None:
            return
        if task.key is not None and self._latest.get(task.key) == task_id:
            del self._latest[task.key]
        try:
            gone = task.receiver_gone()
            if self._closed or task.handle.cancelled or gone:
                if error is None:
                    if task.on_discard is not None and not _deleted_receiver(task.on_discard):
                        task.on_discard(result)
                elif gone and not isinstance(error, TaskCancelledError):
                    log.info("a task of a closed window failed", exc_info=error)  # type: ignore[arg-type]
                return
            if error is None:
                if task.on_done is not None:
                    task.on_done(result)
            elif isinstance(error, TaskCancelledError):
                return
            elif task.on_error is not None:
                task.on_error(error)  # type: ignore[arg-type]
            elif self.isSignalConnected(self._unhandled_signal):
                self.unhandled_error.emit(error)  # the window's ErrorReporter: message + log
            else:
                log.error("background task failed", exc_info=error)  # type: ignore[arg-type]
        finally:
            if not self._tasks:
                _activity.changed(self, False)
                self.busy_changed.emit(False)

    def _deliver_progress(self, task_id: int, done: int, total: int, text: str) -> None:
        task = self._tasks.get(task_id)
        if (
            task is None
            or task.on_progress is None
            or task.handle.cancelled
            or task.receiver_gone()
        ):
            return
        task.on_progress(done, total, text)

    # -- worker thread -------------------------------------------------------------------------

    def _work(self, task_id: int, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except BaseException as exc:  # every outcome must reach the GUI thread, or it waits
            self._finished.emit(task_id, None, exc)
        else:
            self._finished.emit(task_id, result, None)
