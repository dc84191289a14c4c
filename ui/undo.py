"""One Undo/Redo pair in the Edit menu for the whole window, bound to the visible page's stack.

Each page that offers Undo keeps its own ``QUndoStack`` and calls ``follow_visibility``: the
stack becomes the window's active one while the page is shown, so Ctrl+Z never undoes
something on a page the user cannot see.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

GROUP_NAME = "undoGroup"


def undo_group(window: QObject) -> QUndoGroup:
    """The window's undo group, created on first use (a child of *window*)."""
    group = window.findChild(QUndoGroup, GROUP_NAME)
    if group is None:
        group = QUndoGroup(window)
        group.setObjectName(GROUP_NAME)
    return group


class _VisibilityWatcher(QObject):
    def __init__(self, page: QWidget, stack: QUndoStack) -> None:
        super().__init__(page)
        self._page = page
        self._stack = stack

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            group = undo_group(self._page.window())
            if self._stack not in group.stacks():
                group.addStack(self._stack)
            group.setActiveStack(self._stack)
        elif event.type() == QEvent.Type.Hide:
            group = undo_group(self._page.window())
            if group.activeStack() is self._stack:
                group.setActiveStack(None)  # type: ignore[arg-type]
        return False


def follow_visibility(page: QWidget, stack: QUndoStack) -> None:
    """Make *stack* the window's active stack whenever *page* is shown."""
    page.installEventFilter(_VisibilityWatcher(page, stack))
