"""PySide6 6.12 takes a reference from None with every void call; importing ``ui`` guards."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
{guard}
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(50_000):
    label.hide()  # returns None
print("alive")
"""


def _run(guard: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(guard=guard)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_many_void_calls_do_not_abort_once_ui_is_imported() -> None:
    result = _run("import ui")
    assert result.returncode == 0, result.stderr
    assert "alive" in result.stdout
