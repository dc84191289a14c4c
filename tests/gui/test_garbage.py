"""Garbage collection on the GUI thread (ui/garbage.py): young generations as often as Python
would, full collections about once a minute but only when no background task runs."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ui import garbage
from ui.garbage import GuiThreadCollector

WAIT_MS = 5000


class Cycle:
    """An object that only the cyclic collector can free (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def quiet() -> list[float]:
    return [0.0]  # seconds without background work; 0.0: a task runs


@pytest.fixture
def collector(qapp, clock: Clock, quiet: list[float]) -> Iterator[GuiThreadCollector]:  # type: ignore[no-untyped-def]
    collector = GuiThreadCollector(qapp, quiet=lambda: quiet[0], clock=clock)
    collector.start()
    collector._timer.stop()  # ticks are driven by the test
    yield collector
    collector.stop()
    collector.deleteLater()
    gc.disable()  # as the GUI tests' fixture left it


def old_garbage() -> weakref.ref[Cycle]:
    """A cycle that lived long enough to reach the oldest generation, then died."""
    cycle = Cycle()
    gc.collect(1)  # survivors of the middle generation move to the oldest
    return weakref.ref(cycle)


def young_garbage(count: int) -> weakref.ref[Cycle]:
    """*count* new cycles (more than the young generation's threshold), dead at once."""
    cycles = [Cycle() for _ in range(count)]
    return weakref.ref(cycles[0])


def test_a_full_collection_waits_while_a_task_runs(
    collector: GuiThreadCollector, clock: Clock, quiet: list[float]
) -> None:
    dead = old_garbage()
    clock.now += garbage.FULL_EVERY_S + 1  # a full collection is due…
    quiet[0] = 0.0  # …but a mailing reports its progress
    assert collector.collect() != 2
    assert dead() is not None  # the young collections never reach it
    quiet[0] = garbage.QUIET_S / 2  # the task just ended
    assert collector.collect() != 2
    quiet[0] = garbage.QUIET_S  # quiet for a moment
    assert collector.collect() == 2
    assert dead() is None
    quiet[0] = 60.0
    assert collector.collect() != 2  # the next one is a minute later
    clock.now += garbage.FULL_EVERY_S
    assert collector.collect() == 2


def test_tasks_running_all_the_time_postpone_a_full_collection_only_so_long(
    collector: GuiThreadCollector, clock: Clock, quiet: list[float]
) -> None:
    dead = old_garbage()
    quiet[0] = 0.0
    clock.now += garbage.LATEST_S - 1
    assert collector.collect() != 2
    clock.now += 1
    assert collector.collect() == 2
    assert dead() is None


def test_young_garbage_goes_as_soon_as_python_would_collect_it(
    collector: GuiThreadCollector, quiet: list[float]
) -> None:
    gc.collect(1)  # both young generations empty, their counts at zero
    quiet[0] = 0.0  # while a task runs, too
    assert collector.collect() is None  # nothing new: nothing to do
    threshold = gc.get_threshold()[0]
    dead = young_garbage(threshold + 10)
    assert collector.collect() == 0
    assert dead() is None
    # Every so many collections of the first generation, the second one too (Python's rule).
    generations = []
    for _ in range(gc.get_threshold()[1] + 1):
        young_garbage(threshold + 10)
        generations.append(collector.collect())
    assert generations.count(1) == 1
    assert set(generations) == {0, 1}


def test_the_timer_collects_on_the_gui_thread(qapp, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    collector = GuiThreadCollector(qapp)
    collector.start()
    try:
        threads: list[threading.Thread] = []
        # Well over the threshold: objects other tests left for the event loop to free (a
        # window's deleteLater) lower the young count again before the first tick.
        cycles = [Cycle() for _ in range(gc.get_threshold()[0] * 10)]
        weakref.finalize(cycles[0], lambda: threads.append(threading.current_thread()))
        del cycles
        qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
        assert threads == [threading.main_thread()]
    finally:
        collector.stop()
        collector.deleteLater()
        gc.disable()
