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
  the time of writing; no report in the PySide6 bug tracker could be found, so a probe, not a
  version list, decides for a later release: a few void calls, and whether ``None`` lost
  references.

Where affected, the singletons get 2**40 extra references once, at import (``import ui``
runs this first), which no session can use up.
"""

from __future__ import annotations

import ctypes
import sys

_EXTRA = 1 << 40
_PROBE_CALLS = 64
FIRST_AFFECTED = (6, 12)


def _pyside_version() -> tuple[int, ...]:
    import PySide6

    return tuple(PySide6.__version_info__[:3])


def drops_references() -> bool:
    """Whether this PySide6 build takes a reference from ``None`` with each void call."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")  # a C++ method without a result
    lost = before - sys.getrefcount(None)
    return lost >= _PROBE_CALLS // 2  # other threads may move the count a little


def affected() -> bool:
    if sys.version_info >= (3, 12):
        return False  # immortal singletons
    if _pyside_version() < FIRST_AFFECTED:
        return False
    return drops_references()


def make_singletons_immortal() -> None:
    for singleton in (None, True, False):
        # CPython: ob_refcnt is the first field of every object, at its id().
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _EXTRA:
            refcount.value += _EXTRA


GUARDED = affected()
if GUARDED:
    make_singletons_immortal()
