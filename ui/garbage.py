"""Python's cyclic garbage collection, run on the GUI thread only (as Anki does).

The collector runs in whichever thread happens to allocate. In a task-runner worker it may
destroy a dialog caught in a reference cycle (through its signal lambdas) on that thread,
which Qt forbids ("QBasicTimer::stop: Failed …", sometimes a crash); it also stalls workers
unpredictably. So automatic collection is switched off and a timer on the GUI thread collects
instead, young generations often, everything now and then.
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
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.enable()

    def _collect(self) -> None:
        self._ticks += 1
        if self._ticks % FULL_EVERY == 0:
            gc.collect()
        elif gc.get_count()[0] > gc.get_threshold()[0]:
            gc.collect(1)
