"""Treffpunkt's window: PySide6 widgets, Qt models and the background task runner.

Rules of this package: no business rules here, only wiring to the services in ``app``; only
frozen dataclasses come in from ``app``; widgets are touched on the GUI thread only; database
work runs through ``ui.tasks.TaskRunner``.
"""

from ui import refcount_guard  # noqa: F401  (first: PySide6 6.12.0 drops references, see there)
