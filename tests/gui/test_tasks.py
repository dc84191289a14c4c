"""The task runner: which thread runs what, errors, the late-result guard, cancel, progress."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.tasks import TaskHandle, TaskRunner

WAIT_MS = 5000


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    assert task_runner.shutdown(WAIT_MS)


def test_task_runs_on_a_worker_and_its_result_arrives_on_the_gui_thread(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    gui_thread = threading.current_thread()
    seen: dict[str, object] = {}

    def task(a: int, b: int) -> int:
        seen["task_thread"] = threading.current_thread()
        return a + b

    def done(result: int) -> None:
        seen["done_thread"] = threading.current_thread()
        seen["result"] = result

    runner.run(task, 2, 3, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=WAIT_MS)
    assert seen["result"] == 5
    assert seen["task_thread"] is not gui_thread
    assert seen["done_thread"] is gui_thread


def test_an_exception_goes_to_on_error_on_the_gui_thread(runner: TaskRunner, qtbot: QtBot) -> None:
    errors: list[tuple[BaseException, threading.Thread]] = []

    def fail() -> None:
        raise ValueError("broken")

    runner.run(fail, on_error=lambda exc: errors.append((exc, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0][0], ValueError)
    assert errors[0][1] is threading.main_thread()


def test_a_late_result_never_overwrites_a_newer_one(runner: TaskRunner, qtbot: QtBot) -> None:
    release_first = threading.Event()
    shown: list[str] = []
    discarded: list[str] = []

    def slow() -> str:
        release_first.wait(WAIT_MS / 1000)
        return "meeting 3"

    def fast() -> str:
        return "meeting 5"

    runner.run(slow, key="detail", on_done=shown.append, on_discard=discarded.append)
    runner.run(fast, key="detail", on_done=shown.append)
    qtbot.waitUntil(lambda: shown == ["meeting 5"], timeout=WAIT_MS)
    release_first.set()
    qtbot.waitUntil(lambda: discarded == ["meeting 3"], timeout=WAIT_MS)
    assert shown == ["meeting 5"]


def test_tasks_with_different_keys_do_not_supersede_each_other(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    results: list[str] = []
    runner.run(lambda: "people", key="network", on_done=results.append)
    runner.run(lambda: "meetings", key="meetings", on_done=results.append)
    qtbot.waitUntil(lambda: sorted(results) == ["meetings", "people"], timeout=WAIT_MS)


def test_discard_pending_drops_results_but_keeps_the_named_keys(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    gate = threading.Event()
    results: list[str] = []

    def waiting(name: str) -> str:
        gate.wait(WAIT_MS / 1000)
        return name

    runner.run(waiting, "old list", key="network", on_done=results.append)
    runner.run(waiting, "database", key="database", on_done=results.append)
    runner.discard_pending(keep=("database",))
    gate.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert results == ["database"]


class _Receiver(QObject):
    def __init__(self, seen: list[object]) -> None:
        super().__init__()
        self.seen = seen

    def show(self, result: object) -> None:
        self.seen.append(result)


def _delete_now(qtbot: QtBot, obj: QObject) -> None:
    gone: list[bool] = []
    obj.destroyed.connect(lambda *_args: gone.append(True))
    obj.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=WAIT_MS)


def test_a_result_for_a_deleted_owner_is_dropped_and_discarded(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    """A dialog closed while its data loads: the late result must not reach it."""
    gate = threading.Event()
    seen: list[object] = []
    discarded: list[object] = []
    owner = QObject()
    runner.run(
        lambda: gate.wait(WAIT_MS / 1000) and "rows",
        on_done=lambda rows: seen.append(rows),
        on_error=seen.append,
        on_discard=discarded.append,
        owner=owner,
    )
    _delete_now(qtbot, owner)
    gate.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert seen == []
    assert discarded == ["rows"]  # what it holds can still be released


def test_a_bound_method_of_a_deleted_qobject_is_not_called(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    gate = threading.Event()
    seen: list[object] = []
    receiver = _Receiver(seen)
    runner.run(lambda: gate.wait(WAIT_MS / 1000) and "late", on_done=receiver.show)
    runner.run(lambda: "alive", on_done=_Receiver(seen).show)
    qtbot.waitUntil(lambda: seen == ["alive"], timeout=WAIT_MS)
    _delete_now(qtbot, receiver)
    gate.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert seen == ["alive"]


def test_progress_and_cancel_reach_the_task(runner: TaskRunner, qtbot: QtBot) -> None:
    progress: list[tuple[int, int, str]] = []
    finished: list[object] = []
    started = threading.Event()
    cancelled_seen = threading.Event()

    def long_task(handle: TaskHandle, steps: int) -> str:
        handle.progress(1, steps, "first")
        started.set()
        while not handle.cancelled:
            handle.raise_if_cancelled()
            cancelled_seen.wait(0.01)
        cancelled_seen.set()
        handle.raise_if_cancelled()
        return "never delivered"

    handle = runner.run(
        long_task,
        10,
        with_handle=True,
        on_done=finished.append,
        on_error=finished.append,
        on_progress=lambda done, total, text: progress.append((done, total, text)),
    )
    qtbot.waitUntil(lambda: progress == [(1, 10, "first")], timeout=WAIT_MS)
    assert started.is_set()
    handle.cancel()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert cancelled_seen.is_set()
    assert finished == []  # neither a result nor an error after a cancel


def test_busy_changed_reports_the_first_start_and_the_last_end(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    states: list[bool] = []
    runner.busy_changed.connect(states.append)
    gate = threading.Event()
    runner.run(lambda: gate.wait(WAIT_MS / 1000))
    runner.run(lambda: gate.wait(WAIT_MS / 1000))
    assert states == [True]
    gate.set()
    qtbot.waitUntil(lambda: states == [True, False], timeout=WAIT_MS)


def test_shutdown_cancels_and_waits_for_running_tasks_and_refuses_new_ones(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started = threading.Event()
    finished = threading.Event()

    def task(handle: TaskHandle) -> None:
        started.set()
        while not handle.cancelled:  # runs until shutdown cancels it
            finished.wait(0.01)
        finished.set()

    runner.run(task, with_handle=True)
    assert started.wait(WAIT_MS / 1000)
    assert runner.shutdown(WAIT_MS)
    assert finished.is_set()
    with pytest.raises(RuntimeError):
        runner.run(task, with_handle=True)


def test_the_application_collects_garbage_on_the_gui_thread(qapp) -> None:
    import gc

    from ui.garbage import GuiThreadCollector

    gc.enable()  # the GUI tests' fixture switched it off; start from what Python does
    collector = GuiThreadCollector(qapp)
    collector.start()
    try:
        assert not gc.isenabled()
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()


def test_what_start_up_built_stays_out_of_later_full_collections(qapp) -> None:
    import gc

    from ui.garbage import GuiThreadCollector

    collector = GuiThreadCollector(qapp)
    collector.start()
    try:
        assert gc.get_freeze_count() == 0
        collector.freeze()
        frozen = gc.get_freeze_count()
        assert frozen > 0  # the objects alive after start-up
        collector.freeze()  # once only
        assert gc.get_freeze_count() == frozen
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0  # thawed at the end, collected as before
    gc.disable()


def test_quiet_seconds_count_from_the_end_of_the_last_task_of_any_runner(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    from ui.tasks import quiet_seconds

    other = TaskRunner()
    release = threading.Event()
    try:
        with qtbot.waitSignal(other.busy_changed):
            other.run(release.wait, WAIT_MS / 1000)
        with qtbot.waitSignal(runner.busy_changed, timeout=WAIT_MS):
            runner.run(lambda: None)  # ends at once, but the other runner still works
        assert quiet_seconds() == 0.0
        with qtbot.waitSignal(other.busy_changed, timeout=WAIT_MS) as idle:
            release.set()
        assert idle.args == [False]
        first = quiet_seconds()
        qtbot.waitUntil(lambda: quiet_seconds() > first, timeout=WAIT_MS)
    finally:
        release.set()
        assert other.shutdown(WAIT_MS)


def test_a_runner_shut_down_mid_task_keeps_nobody_waiting_for_quiet(qtbot: QtBot) -> None:
    from ui.tasks import quiet_seconds

    runner = TaskRunner()
    release = threading.Event()
    runner.run(release.wait, WAIT_MS / 1000)
    assert quiet_seconds() == 0.0
    release.set()
    assert runner.shutdown(WAIT_MS)
    shiboken6.delete(runner)  # disposed of: the task's end is never delivered
    qtbot.waitUntil(lambda: quiet_seconds() > 0.0, timeout=WAIT_MS)
