"""The offscreen platform cannot raise or grab for popups (the organisation completer); on a
real screen Qt says nothing. pytest-qt reads only the closest ``qt_log_ignore`` marker, so this
one repeats the general offscreen noise of ``tests/gui/conftest.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
OFFSCREEN_NOISE = (
    r"^This plugin does not support propagateSizeHints\(\)",
    r"^This plugin does not support raise\(\)",
    r"^This plugin does not support grabbing the keyboard",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE), append=False)
