"""``lazy_module(name)``: a module imported on first use, for imports off the start-up path.

Issue 14: the window shows its first page before SQLAlchemy, the ORM models, ReportLab and
the dialogs are imported. A module that needs one of them only inside its methods names it
``lazy_module("…")`` instead of importing it at the top (with the real import under
``TYPE_CHECKING`` for the type checker). The first attribute access imports the module
through ``importlib`` (thread-safe: Python's import lock), later ones find it in
``sys.modules``. ``tests/gui/test_start_imports.py`` keeps the start-up path free of them.
"""

from __future__ import annotations

import importlib
from typing import Any


class _LazyModule:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """A stand-in for module *name* that imports it on first attribute access."""
    return _LazyModule(name)
