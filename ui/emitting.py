"""``emit(signal, *args)``: emit a Python-side signal without PySide6 6.12's refcount bug.

In PySide6 6.12.0 ``SignalInstance.emit()`` returns ``True`` without a new reference, so every
discarded result takes one reference from ``True``; after a few thousand emits Python aborts
("bool_dealloc"). This helper gives the returned object the reference it is owed. If a later
PySide returns a proper reference, the extra one only keeps ``True`` alive, which it is anyway.
"""

from __future__ import annotations

import ctypes
from typing import Any

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def emit(signal: Any, *args: Any) -> None:
    result = signal.emit(*args)
    if isinstance(result, bool):
        _incref(result)
