"""Settings page "Meetings": what a new meeting starts with (``meetings.*``).

The default organiser and the usual venue, start time and length. The form of a new meeting
prefers the usual time and venue of the last meetings; these values apply when there are none
(``app.services.planning.defaults``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QTimeEdit, QVBoxLayout, QWidget

from app.i18n import _
from app.services.planning.defaults import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    MeetingDefaults,
)
from app.services.settings_form import SettingsSnapshot
from ui.meetings.person_picker import PersonCombo
from ui.settings.page import SettingsPage, hint_label


class MeetingsPage(SettingsPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("meetingDefaultsPage", parent)
        self.title = _("Meetings")
        self._loaded = MeetingDefaults()
        self.organiser = PersonCombo("defaultOrganiser")
        self.venue = QComboBox()
        self.venue.setObjectName("defaultVenue")
        self.start = QTimeEdit()
        self.start.setObjectName("defaultStart")
        self.start.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self.start.setDisplayFormat("HH:mm")
        self.duration = QSpinBox()
        self.duration.setObjectName("defaultDuration")
        self.duration.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self.duration.setRange(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" " + _("minutes"))
        form = QFormLayout()
        form.addRow(_("&Organiser:"), self.organiser)
        form.addRow(_("Usual &venue:"), self.venue)
        form.addRow(_("Usual &start:"), self.start)
        form.addRow(_("Usual &length:"), self.duration)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                _(
                    "A new meeting starts on the next working day at the time and place of "
                    "the last meetings; these values apply until there are any. The organiser "
                    "is preselected in every new meeting and is the sender of its calendar "
                    "file when no sender address is set."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.organiser.currentIndexChanged.connect(self._edited)
        self.venue.currentIndexChanged.connect(self._edited)
        self.start.timeChanged.connect(self._edited)
        self.duration.valueChanged.connect(self._edited)

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        defaults = snapshot.meetings
        self._loaded = defaults
        self.organiser.set_people(snapshot.people)
        self.organiser.set_person_id(defaults.organiser_id)
        self.venue.clear()
        self.venue.addItem(_("(no venue)"), None)
        for row in snapshot.venues:
            self.venue.addItem(f"{row.name}, {row.room}" if row.room else row.name, row.id)
        self.venue.setCurrentIndex(max(0, self.venue.findData(defaults.venue_id)))
        self.start.setTime(QTime(defaults.start.hour, defaults.start.minute))
        self.duration.setValue(defaults.duration_minutes)

    def defaults(self) -> MeetingDefaults:
        start = self.start.time()
        venue = self.venue.currentData()
        return replace(
            self._loaded,
            organiser_id=self.organiser.person_id(),
            venue_id=venue if isinstance(venue, int) else None,
            start=self._loaded.start.replace(hour=start.hour(), minute=start.minute()),
            duration_minutes=self.duration.value(),
        )

    def add_changes(self, changes: dict[str, Any]) -> None:
        defaults = self.defaults()
        if defaults != self._loaded:
            changes["meetings"] = defaults
