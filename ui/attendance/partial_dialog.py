"""Late arrival / early leave of one person: two lists of the meeting's TOPs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.attendance import MarkRow
from app.services.meetings import AgendaRow
from ui.meetings.models import INDENT


class PartialDialog(QDialog):
    """Choose "arrived during TOP …" and "left after TOP …" (or the whole meeting)."""

    def __init__(
        self, row: MarkRow, agenda: Sequence[AgendaRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("partialDialog")
        self.setWindowTitle(_("Late arrival / early leave"))
        self.arrived = QComboBox()
        self.arrived.setObjectName("arrivedCombo")
        self.arrived.addItem(_("from the start"), None)
        self.left = QComboBox()
        self.left.setObjectName("leftCombo")
        self.left.addItem(_("until the end"), None)
        for item in agenda:
            number = _("TOP {number}").format(number=item.number)
            text = f"{INDENT * item.depth}{number} – {item.title}"
            self.arrived.addItem(text, item.id)
            self.left.addItem(text, item.id)
        self.arrived.setCurrentIndex(max(0, self.arrived.findData(row.arrived_at_item_id)))
        self.left.setCurrentIndex(max(0, self.left.findData(row.left_after_item_id)))
        form = QFormLayout()
        form.addRow(_("&Arrived during:"), self.arrived)
        form.addRow(_("&Left after:"), self.left)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        name = QLabel(row.name)
        font = name.font()
        font.setBold(True)
        name.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> tuple[int | None, int | None]:
        return self.arrived.currentData(), self.left.currentData()
