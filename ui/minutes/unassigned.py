"""Decisions and action items whose TOP was removed from the agenda after they were written.

Shown (read-only; the status of an action item stays changeable) in a tab of their own that
appears only when there are such entries; the PDF lists them in a section of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from ui.minutes.models import ActionModel, DecisionModel
from ui.minutes.top_page import entry_table

if TYPE_CHECKING:
    from ui.minutes.loading import MinutesBundle


class UnassignedPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unassignedPanel")
        self.decision_model = DecisionModel(self)
        self.action_model = ActionModel(self)
        hint = QLabel(
            _(
                "These entries belonged to an agenda item that was removed later. "
                "The minutes list them separately."
            )
        )
        hint.setWordWrap(True)
        decisions = QGroupBox(_("Decisions"))
        QVBoxLayout(decisions).addWidget(entry_table(self.decision_model, "unassignedDecisions"))
        actions = QGroupBox(_("Action items"))
        QVBoxLayout(actions).addWidget(entry_table(self.action_model, "unassignedActions"))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(decisions)
        layout.addWidget(actions)

    def show_bundle(self, bundle: MinutesBundle) -> None:
        view = bundle.view
        # Read-only: without their TOP there is no place to edit them in the agenda's order.
        self.decision_model.set_rows(view.unassigned_decisions, locked=True)
        self.action_model.set_rows(view.unassigned_actions, locked=True)

    def has_entries(self) -> bool:
        return bool(self.decision_model.rowCount() or self.action_model.rowCount())
