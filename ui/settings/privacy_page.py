"""Settings page "Data protection": the retention period (``privacy.retention_months``).

People without any activity for longer than this are listed for review (Datenschutz ▸
Aufbewahrung prüfen); nobody is erased automatically.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QSpinBox, QVBoxLayout, QWidget

from app.i18n import _
from app.services.retention import DEFAULT_RETENTION_MONTHS, MAX_MONTHS, MIN_MONTHS
from app.services.settings_form import SettingsSnapshot
from ui.settings.page import SettingsPage, hint_label


class PrivacyPage(SettingsPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("privacyPage", parent)
        self.title = _("Data protection")
        self._loaded = DEFAULT_RETENTION_MONTHS
        self.months = QSpinBox()
        self.months.setObjectName("retentionMonthsSetting")
        self.months.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self.months.setRange(MIN_MONTHS, MAX_MONTHS)
        self.months.setSuffix(" " + _("months"))
        self.months.valueChanged.connect(self._edited)
        form = QFormLayout()
        form.addRow(_("&Retention period:"), self.months)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                _(
                    "People without any activity (invitation, attendance, task, e-mail, "
                    "change) for longer than the retention period are listed for review under "
                    "Privacy ▸ Retention review. Nobody is erased without your decision."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        self._loaded = snapshot.retention_months
        self.months.setValue(snapshot.retention_months)

    def add_changes(self, changes: dict[str, Any]) -> None:
        if self.months.value() != self._loaded:
            changes["retention_months"] = self.months.value()
