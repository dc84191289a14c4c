"""Editors inside the decisions and action item tables: votes, due date, who."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDateEdit,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.i18n import _
from app.services.minutes.decisions import MAX_VOTES
from ui.minutes.models import NO_VOTE

Index = QModelIndex | QPersistentModelIndex
NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum stands for "no due date"


def votes_box(parent: QWidget | None = None) -> QSpinBox:
    """A spin box for votes; its lowest value "–" means no vote was taken."""
    box = QSpinBox(parent)
    box.setRange(-1, MAX_VOTES)
    box.setSpecialValueText(NO_VOTE)
    box.setValue(-1)
    box.setAccelerated(True)
    return box


def votes_value(box: QSpinBox) -> int | None:
    return None if box.value() < 0 else box.value()


def due_edit(parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(_("no date"))
    edit.setDate(NO_DATE)
    return edit


def due_value(edit: QDateEdit) -> date | None:
    value = edit.date()
    return None if value == NO_DATE else value.toPython()  # type: ignore[return-value]


def owner_completer(labels: Sequence[str], parent: QWidget | None = None) -> QCompleter:
    completer = QCompleter(list(labels), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return completer


class VotesDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return votes_box(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        assert isinstance(editor, QSpinBox)
        editor.setValue(-1 if value is None else int(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        model.setData(index, votes_value(editor), Qt.ItemDataRole.EditRole)


class DueDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return due_edit(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value: Any = index.data(Qt.ItemDataRole.EditRole)
        assert isinstance(editor, QDateEdit)
        editor.setDate(QDate(value) if isinstance(value, date) else NO_DATE)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, due_value(editor), Qt.ItemDataRole.EditRole)


class OwnerDelegate(QStyledItemDelegate):
    """Free text with a completer over people and organisations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []

    def set_labels(self, labels: Sequence[str]) -> None:
        self._labels = list(labels)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setCompleter(owner_completer(self._labels, editor))
        return editor
