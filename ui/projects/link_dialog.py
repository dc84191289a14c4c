"""Choose a meeting and how it concerns the project: as a whole, or through some TOPs.

The meetings (with their TOPs) are loaded by the page in the background before the dialog
opens; the dialog only reads widgets and returns ``MeetingLinks``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.directory_editing import Choice
from app.services.projects import LinkedMeeting, MeetingChoice, MeetingLinks
from ui.network.check_list import CheckList
from ui.projects.models import meeting_choice_columns
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import RowTableModel, TableView


class LinkMeetingDialog(QDialog):
    def __init__(
        self,
        meetings: Sequence[MeetingChoice],
        linked: Sequence[LinkedMeeting],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linkMeetingDialog")
        self.setWindowTitle(_("Link a meeting or TOPs"))
        self._linked = {m.meeting_id: m for m in linked}
        self.model = RowTableModel(meeting_choice_columns(), self)
        self.model.set_rows(list(meetings))
        self.view = TableView(self.model, "linkMeetings", empty_text=_("No meetings yet."))
        self.view.setAccessibleName(_("Meetings"))
        self.whole = QCheckBox(_("The whole meeting concerns the project"))
        self.whole.setObjectName("linkWhole")
        self.tops = CheckList(_("Filter TOPs"))
        self.tops.setObjectName("linkTops")
        self.tops.set_accessible_name(_("TOPs"))
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.whole)
        side.addWidget(QLabel(_("or only these TOPs:")))
        side.addWidget(self.tops, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setSizes([420, 320])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.view.selectionModel().selectionChanged.connect(self._meeting_chosen)
        self.whole.toggled.connect(lambda checked: self.tops.setEnabled(not checked))
        resize_within_screen(self, 820, 480)
        self._update_ok()

    def _meeting_chosen(self) -> None:
        meeting = self.meeting()
        if meeting is None:
            self.tops.set_choices([])
            self._update_ok()
            return
        current = self._linked.get(meeting.id)
        choices = [
            Choice(top.id, ("    " * top.depth) + f"{top.number} {top.title}")
            for top in meeting.tops
        ]
        self.tops.set_choices(choices, [t.id for t in current.tops] if current else [])
        self.whole.setChecked(bool(current and current.whole))
        self._update_ok()

    def _update_ok(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(self.meeting() is not None)

    def select_meeting(self, meeting_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row(row).id == meeting_id:
                self.view.selectRow(row)
                return True
        return False

    def meeting(self) -> MeetingChoice | None:
        row = self.view.selected_row()
        return row if isinstance(row, MeetingChoice) else None

    def links(self) -> MeetingLinks | None:
        meeting = self.meeting()
        if meeting is None:
            return None
        whole = self.whole.isChecked()
        return MeetingLinks(meeting.id, whole, () if whole else self.tops.checked_ids())
