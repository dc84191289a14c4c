"""Qt models of the contacts import preview: the column mapping, the first rows, the bad rows.

The mapping is edited in a list (one row per column of the file) rather than in combo boxes
in the table header: an Outlook export has about 90 columns, which a list shows and scrolls
far better, with the file's header and example values side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QWidget,
)

from app.contacts import Field, ImportPreview, RejectedRow, SourceFormat, field_label, row_label
from app.contacts.cell_warnings import CellWarning
from app.contacts.fields import VCARD_ONLY_FIELDS
from app.i18n import N_, _
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_RIGHT, Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 100
EXAMPLES = 3
# "(do not import)" first, then the fields in their natural order.
FIELD_CHOICES: tuple[Field | None, ...] = (
    None,
    *(field for field in Field if field not in VCARD_ONLY_FIELDS),
)


def field_choice_labels() -> list[str]:
    return [field_label(choice) for choice in FIELD_CHOICES]


class MappingModel(QAbstractTableModel):
    """One row per column of the file: its header, the field it goes to, example values.

    Signals:
        mapping_changed(): the user chose another field for a column.
    """

    mapping_changed = Signal()
    HEADER, FIELD, EXAMPLES = range(3)
    _TITLES = (N_("Column in the file"), N_("Import as"), N_("Examples"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._mapping: list[Field | None] = []
        self._examples: list[str] = []

    def set_preview(self, preview: ImportPreview) -> None:
        self.beginResetModel()
        self._headers = list(preview.headers)
        self._mapping = list(preview.mapping)
        self._examples = []
        for column in range(len(preview.headers)):
            values: list[str] = []
            for row in preview.rows:
                cell = " ".join(row.cells[column].split())
                if cell and cell not in values:
                    values.append(cell)
                if len(values) == EXAMPLES:
                    break
            self._examples.append(" · ".join(values))
        self.endResetModel()

    def mapping(self) -> tuple[Field | None, ...]:
        return tuple(self._mapping)

    def is_empty(self, column: int) -> bool:
        """No row of the file has a value in *column* (Outlook exports have dozens)."""
        return not self._examples[column]

    def set_field(self, column: int, target: Field | None) -> None:
        """Import column *column* of the file as *target* (None: not at all)."""
        if self._mapping[column] == target:
            return
        self._mapping[column] = target
        self.dataChanged.emit(self.index(column, 0), self.index(column, 2))
        self.mapping_changed.emit()

    # -- Qt model interface --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        target = self._mapping[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.HEADER:
                return self._headers[row] or _("(column {number} without a name)").format(
                    number=row + 1
                )
            if column == self.FIELD:
                return field_label(target)
            return self._examples[row]
        if role == Qt.ItemDataRole.EditRole and column == self.FIELD:
            return FIELD_CHOICES.index(target)
        if role == Qt.ItemDataRole.ForegroundRole and target is None:
            return colour(Tone.MUTED)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.FIELD or role != Qt.ItemDataRole.EditRole:
            return False
        if not isinstance(value, int) or not 0 <= value < len(FIELD_CHOICES):
            return False
        self.set_field(index.row(), FIELD_CHOICES[value])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == self.FIELD:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 3:
            return _(self._TITLES[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._headers):
            return str(section + 1)
        return None


class FieldDelegate(QStyledItemDelegate):
    """Shows the "Import as" cell as a combo box and edits it with one; a choice applies at once."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.column() != MappingModel.FIELD:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else QApplication.style()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        box = QStyleOptionComboBox()
        box.rect = option.rect.adjusted(1, 1, -1, -1)
        box.state = option.state | QStyle.StateFlag.State_Enabled
        box.palette = option.palette
        box.currentText = str(index.data())
        box.editable = False
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, box, painter, option.widget)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, box, painter, option.widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 30, max(hint.height(), 26))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("fieldChoice")
        combo.addItems(field_choice_labels())
        combo.setMaxVisibleItems(len(FIELD_CHOICES))
        combo.activated.connect(lambda _number: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        # Applied at once but left open: type-ahead ("No…" → "Notizen") activates on every key.
        self.commitData.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(int(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentIndex(), Qt.ItemDataRole.EditRole)


class PreviewModel(QAbstractTableModel):
    """The first rows of the file as read; headers say which field each column goes to,
    rows that cannot be imported are tinted and say why in their tooltip; cells worth a look
    (a postcode that was a number in Excel) are tinted too, with the reason as tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._mapping: tuple[Field | None, ...] = ()
        self._numbers: list[int] = []
        self._cells: list[tuple[str, ...]] = []
        self._reasons: dict[int, str] = {}
        self._warnings: dict[tuple[int, int], str] = {}

    def set_preview(self, preview: ImportPreview) -> None:
        self.beginResetModel()
        self._headers = preview.headers
        self._mapping = preview.mapping
        shown = preview.rows[:PREVIEW_ROWS]
        self._numbers = [row.number for row in shown]
        # Line breaks inside cells (notes, addresses) would make rows of different heights.
        self._cells = [tuple(" ".join(cell.split()) for cell in row.cells) for row in shown]
        self._reasons = {}
        self._warnings = {}
        self.endResetModel()

    def set_check(
        self,
        mapping: Sequence[Field | None],
        rejected: Sequence[RejectedRow],
        warnings: Sequence[CellWarning] = (),
    ) -> None:
        """A new mapping, what it rejects and what to check; at most 100 rows, so a reset
        costs nothing."""
        self.beginResetModel()
        self._mapping = tuple(mapping)
        self._reasons = {item.row: item.reason for item in rejected}
        self._warnings = {(item.row, item.column): item.message for item in warnings}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        reason = self._reasons.get(self._numbers[row])
        warning = self._warnings.get((self._numbers[row], column))
        if role == Qt.ItemDataRole.ToolTipRole:
            cell = self._cells[row][column]
            return reason or warning or (cell if len(cell) > 30 else None)
        if role == Qt.ItemDataRole.BackgroundRole and reason:
            return colour(Tone.ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and warning:
            # a value to check, e.g. a postcode that lost its leading zero
            return colour(Tone.NOTICE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if reason:
                return None  # the palette's own text on the refused row's background
            if self._mapping[column] is None:
                return colour(Tone.MUTED)
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
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._numbers):
                return str(self._numbers[section])
            return None
        if not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # The field on top (what happens), the file's own header below (what it was).
            return f"{field_label(self._mapping[section])}\n{self._headers[section]}"
        if role == Qt.ItemDataRole.ForegroundRole and self._mapping[section] is None:
            return colour(Tone.MUTED)
        return None


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """A row that cannot be imported, as the list shows it ("Zeile 4" / "Karte 4")."""

    number: int
    label: str
    reason: str


def rejected_lines(
    source_format: SourceFormat, rejected: Sequence[RejectedRow]
) -> list[RejectedLine]:
    return [RejectedLine(r.row, row_label(source_format, r.row), r.reason) for r in rejected]


REJECTED_COLUMNS = (
    Column(N_("Row"), lambda r: r.label, sort_key=lambda r: r.number, width=9, align=ALIGN_RIGHT),
    Column(
        N_("Why it cannot be imported"),
        lambda r: r.reason,
        width=40,
        stretch=True,
        tooltip=lambda r: r.reason,
    ),
)


class RejectedModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(REJECTED_COLUMNS, parent)
