"""Keep ``None``, ``True`` and ``False`` alive despite PySide6 6.12's missing references.

On Python 3.11, PySide6 6.12.0 returns ``None`` from every C++ method without a result
(``label.setText()``, ``view.selectRow()``, ``selection.select()`` …) without the reference it
owes, and ``True`` from ``emit()`` likewise (``ui.emitting``). Each call takes one reference;
after a few thousand calls CPython deallocates ``None`` and aborts ("none_dealloc"), e.g. when
the network page restores a selection of 10,000 rows. Python 3.12 made these objects immortal,
which is probably why the bug went unnoticed; here they get 2**40 extra references once, at
import, which no session can use up.
"""

from __future__ import annotations

import ctypes
import sys

_EXTRA = 1 << 40


def make_singletons_immortal() -> None:
    if sys.version_info >= (3, 12):
        return  # immortal already
    for singleton in (None, True, False):
        # CPython: ob_refcnt is the first field of every object, at its id().
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _EXTRA:
            refcount.value += _EXTRA


make_singletons_immortal()
