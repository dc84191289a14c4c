"""Control over the task runner in window tests: hold background tasks back, then let go.

``held_tasks(runner)`` makes every task started inside the ``with`` block wait on a worker
thread until the block ends (or ``release()``), so a test can close a dialog while its data is
still loading and let the late result arrive afterwards, as it does on a slow disk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ui.tasks import TaskHandle, TaskRunner

HOLD_SECONDS = 30.0  # a bound, so a failing test cannot hang the run


class HeldTasks:
    def __init__(self) -> None:
        self._gate = threading.Event()
        self.started: list[str] = []  # names of the functions held back

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self.started.append(getattr(fn, "__name__", repr(fn)))

        def held(*args: Any) -> Any:
            self._gate.wait(HOLD_SECONDS)
            return fn(*args)

        return held

    def release(self) -> None:
        self._gate.set()


@contextmanager
def held_tasks(runner: TaskRunner) -> Iterator[HeldTasks]:
    held = HeldTasks()
    original = runner.run

    def run(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> TaskHandle:
        return original(held.wrap(fn), *args, **kwargs)

    runner.run = run  # type: ignore[method-assign]
    try:
        yield held
    finally:
        del runner.run  # the class's method again
        held.release()
