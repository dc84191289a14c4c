"""Python's cyclic garbage collection, run on the GUI thread only (as Anki does).

The collector runs in whichever thread happens to allocate. In a task-runner worker it may
destroy a dialog caught in a reference cycle (through its signal lambdas) on that thread,
which Qt forbids ("QBasicTimer::stop: Failed …", sometimes a crash); it also stalls workers
unpredictably. So automatic collection is switched off and a timer on the GUI thread collects
instead, young generations often, everything now and then.

Issue 14: a full collection walks every object (Qt wrappers, modules, the pages): 40-55 ms on
the GUI thread once a minute, a stall a user feels. Once the window has settled, ``freeze``
moves everything alive then into the permanent generation (``gc.freeze``); later collections
walk only what came after, well under a millisecond.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000
FULL_EVERY = 60  # ticks: a full collection about once a minute


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._frozen = False
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._collect)

    def start(self) -> None:
        gc.disable()
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

    def _collect(self) -> None:
        self._ticks += 1
        if self._ticks % FULL_EVERY == 0:
            gc.collect()
        elif gc.get_count()[0] > gc.get_threshold()[0]:
            gc.collect(1)
