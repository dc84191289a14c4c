"""Keep ``None``, ``True`` and ``False`` alive on PySide6 builds that drop their references.

PySide6 6.12.0 on Python 3.11 returns ``None`` from every C++ method without a result
(``label.setText()``, ``view.selectRow()`` …) and ``True`` from ``SignalInstance.emit()``
without the reference it owes. Each call takes one reference; after a few thousand CPython
deallocates the singleton and aborts ("none_dealloc", "bool_dealloc"), e.g. when the network
page restores a selection of 10,000 rows. Measured here: 1,000 ``hide()`` calls take 998
references from ``None``; ``emit()`` kills ``True`` within 1,000 calls.

Only affected builds get the workaround:

* Python 3.12 and later: ``None``, ``True`` and ``False`` are immortal; nothing to do.
* PySide6 before 6.12: not affected (6.11.3 measured on Python 3.11.7: 1,000 ``hide()``
  calls and 1,000 emits leave both counts unchanged).
* PySide6 6.12 and later on Python 3.11: 6.12.0 is affected and is the newest release at
  the time of writing; no report in the PySide6 bug tracker could be found, so every later
  release counts as affected until a test shows otherwise
  (``tests/gui/network/test_refcount_guard.py`` measures the loss and fails when the guard's
  answer differs from it).

The decision reads the installed PySide6 version from the package metadata and never imports
Qt: ``import ui`` happens for every ``treffpunkt`` command (the console entry point is
``ui.launcher``), and the command line must not load Qt. Where the version cannot be read
(metadata missing), the guard is applied: extra references on an unaffected build cost
nothing.

Where affected, the singletons get 2**40 extra references once, at import (``import ui``
runs this first), which no session can use up.
"""

from __future__ import annotations

import ctypes
import itertools
import sys
from importlib import metadata

_EXTRA = 1 << 40
FIRST_AFFECTED = (6, 12)


def _version_numbers(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split(".")[:3]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)


def _pyside_version() -> tuple[int, ...] | None:
    """The PySide6 version, without importing it (None when it cannot be told)."""
    loaded = sys.modules.get("PySide6")
    if loaded is not None:
        return tuple(loaded.__version_info__[:3])
    for distribution in ("PySide6-Essentials", "PySide6"):
        try:
            return _version_numbers(metadata.version(distribution))
        except metadata.PackageNotFoundError:
            continue
    return None


def affected() -> bool:
    """Whether this Python and PySide6 need the guard (decided without importing Qt)."""
    if sys.version_info >= (3, 12):
        return False  # immortal singletons
    version = _pyside_version()
    return version is None or version >= FIRST_AFFECTED


def make_singletons_immortal() -> None:
    for singleton in (None, True, False):
        # CPython: ob_refcnt is the first field of every object, at its id().
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _EXTRA:
            refcount.value += _EXTRA


GUARDED = affected()
if GUARDED:
    make_singletons_immortal()
