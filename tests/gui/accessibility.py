"""What a screen reader would say about a window: every interactive widget needs a name.

The name is the one Qt's accessibility layer gives (``QAccessibleInterface.text(Name)``):
the widget's accessible name, else a button's text, else the text of a ``QLabel`` whose
buddy it is, else the title of the group box it sits in. A placeholder text is no name.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
)
# Parts that Qt builds inside its own widgets and names itself (or that are not focusable).
_INSIDE_QT_WIDGETS = (QComboBox, QAbstractSpinBox, QTabBar, QCalendarWidget, QMenu, QLineEdit)


def _is_qt_internal(widget: QWidget) -> bool:
    if isinstance(widget, QHeaderView | QScrollBar):
        return True
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, _INSIDE_QT_WIDGETS):
            return True
        parent = parent.parentWidget()
    return False


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def describe(widget: QWidget) -> str:
    """Where a widget is, for the failure message: its class, name and its parents'."""
    path = []
    current: QWidget | None = widget
    while current is not None and len(path) < 5:
        path.append(f"{type(current).__name__}#{current.objectName() or '?'}")
        current = current.parentWidget()
    return " < ".join(path)


def unnamed_interactive_widgets(root: QWidget) -> list[str]:
    """Every interactive widget under *root* (itself included, shown or not) that has no
    accessible name, described for a failure message."""
    widgets = [root, *root.findChildren(QWidget)]
    return [
        describe(widget)
        for widget in widgets
        if isinstance(widget, INTERACTIVE)
        and not _is_qt_internal(widget)
        and not accessible_name(widget)
    ]
