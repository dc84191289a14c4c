"""PySide6 6.12.0 on Python 3.11 takes a reference from None with every void call and from
True with every emit(); importing ``ui`` guards affected builds only (ui/refcount_guard.py)."""

from __future__ import annotations

import subprocess
import sys

PROLOGUE = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
"""

CALLS = """
from PySide6.QtCore import QObject, QStringListModel, Signal
from PySide6.QtWidgets import QApplication, QLabel

class Emitter(QObject):
    fired = Signal(int)

app = QApplication([])
label, emitter, model = QLabel(), Emitter(), QStringListModel()
for _ in range(50_000):
    label.hide()  # returns None
    emitter.fired.emit(1)  # returns True
    model.layoutChanged.emit()  # Qt's own signal with default arguments
print("alive")
"""

MEASURE = """
import sys
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
app = QApplication([])
probe = QObject()
before = sys.getrefcount(None)
for _ in range(100):  # few enough for an affected build to survive
    probe.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROLOGUE + script],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_many_void_calls_and_emits_do_not_abort_once_ui_is_imported() -> None:
    result = _run("import ui\n" + CALLS)
    assert result.returncode == 0, result.stderr
    assert "alive" in result.stdout


def test_the_guard_is_applied_exactly_where_pyside_drops_references() -> None:
    measured = _run(MEASURE)
    assert measured.returncode == 0, measured.stderr
    lost = int(measured.stdout.strip())
    guarded = _run("import ui.refcount_guard as guard\nprint(guard.GUARDED)")
    assert guarded.returncode == 0, guarded.stderr
    expected = sys.version_info < (3, 12) and lost > 50
    assert guarded.stdout.strip() == str(expected)


def test_without_the_guard_the_bug_aborts_python() -> None:
    """What the guard is for, on an affected build (6.12.0, Python 3.11): the process dies."""
    measured = _run(MEASURE)
    if sys.version_info >= (3, 12) or int(measured.stdout.strip()) < 50:
        return  # not an affected build: nothing to show
    result = _run(CALLS)
    assert result.returncode != 0
    assert "dealloc" in result.stderr
