"""Qt models of the minutes editor: the TOP list, decisions, action items, carried-over items.

The editable models never write: ``setData`` emits what the user asked for, the editor pushes
an undo command (which calls the service) and reloads the rows afterwards. Rows are the frozen
views of ``app.services.minutes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _, format_date, format_time
from app.models import ActionItemStatus
from app.services.meetings import AgendaRow
from app.services.minutes import ActionView, CarriedItem, DecisionDraft, DecisionView
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_RIGHT, ROW_ROLE, Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex
NO_VOTE = "–"


def top_columns() -> list[Column]:
    return [
        Column(N_("TOP"), lambda r: r.number, width=4),
        Column(N_("Title"), lambda r: ("    " * r.depth) + r.title, stretch=True, width=24),
        Column(N_("Presenter"), lambda r: r.presenter, width=12),
        Column(N_("Start"), lambda r: format_time(r.start), width=6),
    ]


class TopListModel(RowTableModel):
    """The agenda as the minutes follow it (rows: ``AgendaRow``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(top_columns(), parent)

    def row_of(self, agenda_item_id: int) -> int | None:
        for number, row in enumerate(self.rows()):
            if row.id == agenda_item_id:
                return number
        return None

    def agenda_rows(self) -> list[AgendaRow]:
        return self.rows()


class _EditableModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._locked = False

    def set_rows(self, rows: Sequence[Any], *, locked: bool = False) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._locked = locked
        self.endResetModel()

    def row(self, number: int) -> Any:
        return self._rows[number]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return _(self.headers[section])
        return None

    def _base_flags(self) -> Qt.ItemFlag:
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


def votes_text(value: int | None) -> str:
    return NO_VOTE if value is None else str(value)


class DecisionModel(_EditableModel):
    """Decisions of one TOP: text and the votes yes / no / abstentions (None: no vote).

    Signals:
        edit_requested(int, object, object): decision id, the new ``DecisionDraft`` and the
            one the row was loaded with (``expected``).
    """

    edit_requested = Signal(int, object, object)
    headers = (N_("Decision"), N_("Yes"), N_("No"), N_("Abstentions"))
    TEXT, YES, NO, ABSTAIN = range(4)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: DecisionView = self._rows[index.row()]
        draft, column = row.draft, index.column()
        values = (draft.text, draft.votes_yes, draft.votes_no, draft.votes_abstain)
        if role == Qt.ItemDataRole.DisplayRole:
            return draft.text if column == self.TEXT else votes_text(values[column])  # type: ignore[arg-type]
        if role == Qt.ItemDataRole.EditRole:
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            return draft.text
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.TEXT:
            return ALIGN_RIGHT
        if role == ROW_ROLE:
            return row
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = self._base_flags()
        return flags if self._locked else flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._locked:
            return False
        row: DecisionView = self._rows[index.row()]
        old = row.draft
        values = [old.text, old.votes_yes, old.votes_no, old.votes_abstain]
        if index.column() == self.TEXT:
            value = str(value or "")
        elif value is not None:
            value = int(value)
        if values[index.column()] == value:
            return False
        values[index.column()] = value
        self.edit_requested.emit(row.id, DecisionDraft(*values), old)  # type: ignore[arg-type]
        return True


class ActionModel(_EditableModel):
    """Action items of one TOP: what, who, due date, done (a check box).

    Signals:
        edit_requested(int, int, object): action id, column, the new value (text, owner
            text or a ``date``/None).
        status_requested(int, bool): action id, done.
    """

    edit_requested = Signal(int, int, object)
    status_requested = Signal(int, bool)
    headers = (N_("What"), N_("Who"), N_("Due"), N_("Done"))
    TEXT, OWNER, DUE, DONE = range(4)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: ActionView = self._rows[index.row()]
        column = index.column()
        done = row.status.status is ActionItemStatus.DONE
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TEXT:
                return row.draft.text
            if column == self.OWNER:
                return row.owner
            if column == self.DUE:
                return format_date(row.draft.due)
            return None
        if role == Qt.ItemDataRole.EditRole:
            return (row.draft.text, row.owner, row.draft.due, done)[column]
        if role == Qt.ItemDataRole.CheckStateRole and column == self.DONE:
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue and column == self.DUE:
            return colour(Tone.NEGATIVE)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.DUE and row.overdue:
                return _("Overdue")
            if column == self.TEXT:
                return row.draft.text
        if role == ROW_ROLE:
            return row
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = self._base_flags()
        if index.column() == self.DONE:
            # The status stays changeable in final minutes: follow-up, not content.
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags if self._locked else flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row: ActionView = self._rows[index.row()]
        if index.column() == self.DONE:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            done = Qt.CheckState(value) == Qt.CheckState.Checked
            if done == (row.status.status is ActionItemStatus.DONE):
                return False
            self.status_requested.emit(row.id, done)
            return True
        if role != Qt.ItemDataRole.EditRole or self._locked:
            return False
        if index.column() == self.DUE:
            new: object = value if isinstance(value, date) else None
            if new == row.draft.due:
                return False
        else:
            new = str(value or "")
            if new == (row.draft.text if index.column() == self.TEXT else row.owner):
                return False
        self.edit_requested.emit(row.id, index.column(), new)
        return True


class CarriedModel(_EditableModel):
    """Open action items of earlier meetings listed in this meeting's minutes.

    Signals:
        status_requested(int, bool): action id, done (closes it everywhere).
    """

    status_requested = Signal(int, bool)
    headers = (N_("What"), N_("Who"), N_("Due"), N_("From"), N_("Done"))
    TEXT, OWNER, DUE, ORIGIN, DONE = range(5)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: CarriedItem = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TEXT:
                return row.text
            if column == self.OWNER:
                return row.owner
            if column == self.DUE:
                return format_date(row.due)
            if column == self.ORIGIN:
                top = f" · TOP {row.agenda_number}" if row.agenda_number else ""
                return f"{format_date(row.meeting_start.date())}{top}"
            return None
        if role == Qt.ItemDataRole.CheckStateRole and column == self.DONE:
            done = row.current_status is ActionItemStatus.DONE
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue and column == self.DUE:
            return colour(Tone.NEGATIVE)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ORIGIN:
            return row.meeting_title
        if role == ROW_ROLE:
            return row
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = self._base_flags()
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == self.DONE else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.DONE:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        row: CarriedItem = self._rows[index.row()]
        done = Qt.CheckState(value) == Qt.CheckState.Checked
        if done == (row.current_status is ActionItemStatus.DONE):
            return False
        self.status_requested.emit(row.id, done)
        return True
