"""The agenda list widget and its item delegate (minutes as a spin box, kind as a combo)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from app.i18n import _
from app.models import AgendaItemKind
from app.services import agenda
from app.services.meetings import AGENDA_KIND_LABELS, label
from ui.meetings.agenda_model import COL_KIND, COL_MINUTES


class AgendaDelegate(QStyledItemDelegate):
    """A spin box for the minutes, a combo box for the kind, a line edit otherwise."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        if index.column() == COL_MINUTES:
            spin = QSpinBox(parent)
            spin.setRange(0, agenda.MAX_MINUTES)
            spin.setSingleStep(5)
            spin.setSuffix(_(" min"))
            return spin
        if index.column() == COL_KIND:
            combo = QComboBox(parent)
            for kind in AgendaItemKind:
                combo.addItem(label(AGENDA_KIND_LABELS, kind), kind.value)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self,
        editor: QWidget,
        model: Any,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value())
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            super().setModelData(editor, model, index)


class AgendaTreeView(QTreeView):
    """The TOP list; structure keys become signals (Tab would otherwise move the focus).

    Signals:
        key_action(str): "add", "add_child", "remove", "indent", "outdent", "up", "down".
    """

    key_action = Signal(str)

    _KEYS: ClassVar[dict[tuple[int, Qt.KeyboardModifier], str]] = {
        (Qt.Key.Key_Insert, Qt.KeyboardModifier.NoModifier): "add",
        (Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier): "add_child",
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier): "remove",
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier): "indent",
        (Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier): "indent",
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier): "outdent",
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.NoModifier): "outdent",
        (Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier): "outdent",
        (Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier): "up",
        (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier): "down",
    }

    def _action(self, event: QKeyEvent) -> str | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return self._KEYS.get((event.key(), Qt.KeyboardModifier(modifiers)))

    def event(self, event: QEvent) -> bool:
        # Tab and Shift+Tab are taken here, before QWidget turns them into focus changes.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            action = self._action(event)
            if action is not None:
                self.key_action.emit(action)
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._action(event)
        if action is not None and self.state() != QAbstractItemView.State.EditingState:
            self.key_action.emit(action)
            event.accept()
            return
        super().keyPressEvent(event)
