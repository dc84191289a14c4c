"""Python's cyclic garbage collection, run on the GUI thread only (as Anki does).

The collector runs in whichever thread happens to allocate. In a task-runner worker it may
destroy a dialog caught in a reference cycle (through its signal lambdas) on that thread,
which Qt forbids ("QBasicTimer::stop: Failed …", sometimes a crash); it also stalls workers
unpredictably. So automatic collection is switched off and a timer on the GUI thread collects
instead. A collection holds the interpreter lock, so whatever it takes is a stall of the GUI
thread; both kinds are kept short:

* **Young generations** as often as Python itself would (its thresholds), checked every
  ``TICK_MS``: the time a collection takes grows with the objects made since the last one,
  and a worker that renders a PDF and queues 40 mails makes 5,000-25,000 cyclic objects a
  second (SQLAlchemy sessions, ReportLab). Collected once a second, that was 10-35 ms at a
  time on the GUI thread; every tenth of a second it is a few milliseconds.
* **Full collections** about once a minute, at a quiet moment: when no background task has
  run for ``QUIET_S`` (``ui.tasks.quiet_seconds``), never while a mailing reports progress.
  Freeing the cycles of closed dialogs or an earlier database walks and deallocates
  thousands of objects (20-60 ms measured). A task that runs for long does not postpone it
  for ever: after ``LATEST_S`` it runs anyway.

A full collection also walks every object alive (Qt wrappers, modules, the pages): 40-55 ms.
Once the window has settled, ``freeze`` moves everything alive then into the permanent
generation (``gc.freeze``); later collections walk only what came after.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from ui.tasks import quiet_seconds

TICK_MS = 100
FULL_EVERY_S = 60.0  # a full collection about once a minute…
QUIET_S = 1.0  # …once no task has run for a second…
LATEST_S = 600.0  # …or, with tasks running all the time, at the latest after ten minutes


class GuiThreadCollector(QObject):
    """See the module docstring. *quiet* (seconds without background work) and *clock*
    are for tests."""

    def __init__(
        self,
        parent: QObject,
        *,
        quiet: Callable[[], float] = quiet_seconds,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._quiet, self._clock = quiet, clock
        self._last_full = clock()
        self._frozen = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._last_full = self._clock()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        gc.enable()

    def freeze(self) -> None:
        """Once, after start-up: collect, then leave what is alive out of later collections.

        Garbage cycles among the frozen objects (a page rebuilt after a language switch) are
        only collected at ``stop``; that is little, and rare.
        """
        if self._frozen:
            return
        self._frozen = True
        gc.collect()
        gc.freeze()
        self._last_full = self._clock()

    def collect(self) -> int | None:
        """One tick: the generation collected (2: full), None when nothing was due."""
        since_full = self._clock() - self._last_full
        if since_full >= LATEST_S or (since_full >= FULL_EVERY_S and self._quiet() >= QUIET_S):
            gc.collect()
            self._last_full = self._clock()
            return 2
        # Python's own schedule for the young generations (gc.get_threshold): the first
        # generation once it holds more new objects than its threshold, the second after
        # that many collections of the first.
        young, collections, _old = gc.get_count()
        first, second, _third = gc.get_threshold()
        if young <= first:
            return None
        generation = 1 if collections > second else 0
        gc.collect(generation)
        return generation
