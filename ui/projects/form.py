"""The project form: data of one project; the page saves it through one service call.

Amounts and dates are typed as text (German first: "700.000,00 €", "01.12.2026") and read
with the services' parsers, so the window accepts exactly what the command line accepts.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_date
from app.services.projects import (
    ProjectChoices,
    ProjectDetail,
    ProjectInput,
    format_amount,
    parse_amount,
    parse_day,
)
from ui.network.check_list import CheckList
from ui.widgets.sizing import text_lines_height


def _date_text(value: object) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""  # type: ignore[attr-defined]


class ProjectForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setObjectName("projectName")
        self.description = QPlainTextEdit()
        self.description.setObjectName("projectDescription")
        self.description.setFixedHeight(text_lines_height(self.description, 3))
        self.funder = QLineEdit()
        self.funder.setObjectName("projectFunder")
        self.programme = QLineEdit()
        self.programme.setObjectName("projectProgramme")
        self.reference = QLineEdit()
        self.reference.setObjectName("projectReference")
        self.amount = QLineEdit()
        self.amount.setObjectName("projectAmount")
        self.amount.setPlaceholderText(_("e.g. 700.000,00 €"))
        self.start = QLineEdit()
        self.start.setObjectName("projectStart")
        self.end = QLineEdit()
        self.end.setObjectName("projectEnd")
        self.start.setAccessibleName(_("Period from"))
        self.end.setAccessibleName(_("Period to"))
        for edit in (self.start, self.end):
            edit.setPlaceholderText(_("DD.MM.YYYY"))
            edit.setMaximumWidth(120)
        self.lead = QComboBox()
        self.lead.setObjectName("projectLead")
        self.partners = CheckList(_("Filter organisations"))
        self.partners.setObjectName("projectPartners")
        self.partners.set_accessible_name(_("Partner organisations"))
        self.quarters = CheckList(_("Filter quarters"))
        self.quarters.setObjectName("projectQuarters")
        self.quarters.set_accessible_name(_("City quarters"))

        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("–"))
        period.addWidget(self.end)
        period.addStretch(1)
        fields = QFormLayout()
        fields.addRow(_("Name:"), self.name)
        fields.addRow(_("Description:"), self.description)
        fields.addRow(_("Funder:"), self.funder)
        fields.addRow(_("Programme:"), self.programme)
        fields.addRow(_("Reference number:"), self.reference)
        fields.addRow(_("Amount:"), self.amount)
        fields.addRow(_("Period:"), period)
        fields.addRow(_("Lead organisation:"), self.lead)
        lists = QHBoxLayout()
        for title, widget in (
            (_("Partner organisations"), self.partners),
            (_("City quarters"), self.quarters),
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            box.addWidget(widget)
            lists.addLayout(box)
        # The filter line and about four entries; more when the page has room.
        self.partners.setMinimumHeight(self.fontMetrics().height() * 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(fields)
        layout.addLayout(lists)

    def set_choices(self, choices: ProjectChoices) -> None:
        current = self.lead.currentData()
        self.lead.blockSignals(True)
        self.lead.clear()
        self.lead.addItem(_("(none)"), None)
        for choice in choices.organisations:
            self.lead.addItem(choice.name, choice.id)
        self.lead.setCurrentIndex(max(0, self.lead.findData(current)))
        self.lead.blockSignals(False)
        self._choices = choices
        self.partners.set_choices(choices.organisations, self.partners.checked_ids())
        self.quarters.set_choices(choices.quarters, self.quarters.checked_ids())

    def show_project(self, detail: ProjectDetail | None) -> None:
        row = detail.row if detail is not None else None
        self.name.setText(row.name if row else "")
        self.description.setPlainText(detail.description if detail else "")
        self.funder.setText(row.funder if row else "")
        self.programme.setText(row.programme if row else "")
        self.reference.setText(row.reference if row else "")
        self.amount.setText(format_amount(row.amount) if row else "")
        self.start.setText(_date_text(row.start) if row else "")
        self.end.setText(_date_text(row.end) if row else "")
        lead = detail.lead_organisation_id if detail else None
        self.lead.setCurrentIndex(max(0, self.lead.findData(lead)))
        choices = getattr(self, "_choices", None)
        if choices is not None:
            partners = {p.id for p in detail.partners} if detail else set()
            # The partners first: a project has a few among forty organisations.
            ordered = sorted(choices.organisations, key=lambda c: c.id not in partners)
            self.partners.set_choices(ordered, partners)
            self.quarters.set_choices(
                choices.quarters, [q.id for q in detail.quarters] if detail else []
            )

    def values(self) -> ProjectInput:
        """The typed values; raises ``ValidationError`` for an unreadable amount or date."""
        return ProjectInput(
            name=self.name.text(),
            description=self.description.toPlainText(),
            funder=self.funder.text(),
            programme=self.programme.text(),
            reference=self.reference.text(),
            amount=parse_amount(self.amount.text()),
            start=parse_day(self.start.text()),
            end=parse_day(self.end.text()),
            lead_organisation_id=self.lead.currentData(),
            partner_ids=self.partners.checked_ids(),
            quarter_ids=self.quarters.checked_ids(),
        )


__all__ = ["ProjectForm", "format_date"]
