"""Undo and redo keys: one Edit menu for the window, bound to the stack of what is shown.

Each page or editor that offers Undo keeps its own ``QUndoStack`` and makes ``UndoKeys`` for it:

* In the main window, the Edit menu's Undo/Redo (a ``QUndoGroup``, ``undo_group``) follow the
  stack of the page or tab shown, so Ctrl+Z never undoes something the user cannot see, and
  *Bearbeiten ▸ Rückgängig* names the step. The menu's shortcuts serve the keys.
* Without such a menu (door mode is a window of its own, a test shows an editor alone) the
  widget's own actions carry the same keys. Never both at once: two enabled shortcuts for one
  key are ambiguous in Qt, and then neither fires.

Keys everywhere: Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (plus the platform's own keys).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

from app.i18n import _

GROUP_NAME = "undoGroup"


def undo_keys() -> list[QKeySequence]:
    return list(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))


def redo_keys() -> list[QKeySequence]:
    """The platform's redo keys plus Ctrl+Shift+Z and Ctrl+Y, which people expect anywhere."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    for extra in (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")):
        if extra not in keys:
            keys.append(extra)
    return keys


def close_keys() -> list[QKeySequence]:
    """Ctrl+W for closing a window of its own, plus the platform's Close keys (Ctrl+F4)."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Close))
    ctrl_w = QKeySequence("Ctrl+W")
    return keys if ctrl_w in keys else [ctrl_w, *keys]


def undo_group(window: QObject) -> QUndoGroup:
    """The window's undo group, created on first use (a child of *window*): the Edit menu."""
    group = _window_group(window)
    if group is None:
        group = QUndoGroup(window)
        group.setObjectName(GROUP_NAME)
    return group


def _window_group(window: QObject) -> QUndoGroup | None:
    return window.findChild(QUndoGroup, GROUP_NAME, Qt.FindChildOption.FindDirectChildrenOnly)


class UndoKeys(QObject):
    """Undo/redo for *stack* while *widget* is shown (see the module docstring).

    ``undo_action`` and ``redo_action`` follow the stack (text, enabled) and suit tool buttons.
    """

    def __init__(self, widget: QWidget, stack: QUndoStack) -> None:
        super().__init__(widget)
        self._widget = widget
        self._stack = stack
        self.undo_action: QAction = stack.createUndoAction(widget, _("Undo"))
        self.redo_action: QAction = stack.createRedoAction(widget, _("Redo"))
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        widget.addActions([self.undo_action, self.redo_action])
        self._local_keys(True)
        widget.installEventFilter(self)

    def _local_keys(self, on: bool) -> None:
        self.undo_action.setShortcuts(undo_keys() if on else [])
        self.redo_action.setShortcuts(redo_keys() if on else [])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show:
            group = _window_group(self._widget.window())
            self._local_keys(group is None)
            if group is not None:
                if self._stack not in group.stacks():
                    group.addStack(self._stack)
                group.setActiveStack(self._stack)
        elif watched is self._widget and event.type() == QEvent.Type.Hide:
            group = _window_group(self._widget.window())
            if group is not None and group.activeStack() is self._stack:
                group.setActiveStack(None)  # type: ignore[arg-type]
        return False
