"""Qt models of the duplicates dialog: the groups found, and one group's people side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from app.contacts.exporting import salutation_label
from app.i18n import N_, _, format_number
from app.services.duplicates import DuplicateCandidate, DuplicateGroup, reason_label
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_RIGHT, Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex


def group_names(group: DuplicateGroup) -> str:
    return " / ".join(p.name for p in group.people)


GROUP_COLUMNS = (
    Column(N_("People"), group_names, width=30, stretch=True, tooltip=group_names),
    Column(
        N_("Why"),
        lambda g: ", ".join(reason_label(r) for r in g.reasons),
        width=14,
        tooltip=lambda g: "\n".join(reason_label(r) for r in g.reasons),
    ),
    Column(
        N_("Count"),
        lambda g: str(len(g.people)),
        sort_key=lambda g: len(g.people),
        align=ALIGN_RIGHT,
        width=5,
    ),
)


class GroupModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(GROUP_COLUMNS, parent)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# One line per attribute; the English labels are translated where shown.
COMPARED: tuple[tuple[str, Callable[[DuplicateCandidate], str]], ...] = (
    (N_("Name"), lambda p: p.name),
    (N_("Salutation"), lambda p: salutation_label(p.salutation)),
    (N_("Title"), lambda p: p.title),
    (N_("Organisation"), lambda p: p.organisation or ""),
    (N_("Function"), lambda p: p.function),
    (N_("E-mail"), lambda p: "\n".join(p.emails)),
    (N_("Phone"), lambda p: "\n".join(p.phones)),
    (N_("Groups"), lambda p: ", ".join(p.groups)),
    (N_("Notes"), lambda p: p.notes),
    (N_("Invitations"), lambda p: format_number(p.invitations)),
    (N_("Attendance"), lambda p: format_number(p.attendances)),
    (N_("Archived"), lambda p: _yes_no(p.archived)),
)


class ComparisonModel(QAbstractTableModel):
    """Attributes as rows, the group's people as columns; lines that differ are tinted, the
    person to keep is shown in bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: tuple[DuplicateCandidate, ...] = ()
        self._texts: list[list[str]] = []
        self._differs: list[bool] = []
        self._keep: int | None = None

    def set_group(self, group: DuplicateGroup | None, keep: int | None) -> None:
        self.beginResetModel()
        self._people = group.people if group else ()
        self._texts = [[text(p) for p in self._people] for _label, text in COMPARED]
        self._differs = [len({t.casefold() for t in line}) > 1 for line in self._texts]
        self._keep = keep
        self.endResetModel()

    def set_keep(self, keep: int | None) -> None:
        # Bold moves to another column: a reset of a dozen cells costs nothing.
        self.set_group(DuplicateGroup((), self._people) if self._people else None, keep)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._people else len(COMPARED)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._people)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[row][column]
        if role == Qt.ItemDataRole.BackgroundRole and self._differs[row]:
            return colour(Tone.NOTICE_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and self._people[column].id == self._keep:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return _(COMPARED[section][0]) if 0 <= section < len(COMPARED) else None
        if 0 <= section < len(self._people):
            person = self._people[section]
            mark = _("keep") if person.id == self._keep else _("merge")
            return f"{person.name} (#{person.id})\n{mark}"
        return None
