"""The overview tab of a meeting: when, where, who, and whether the agenda fits the time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.i18n import N_, _, format_date, format_time, format_weekday_date, ngettext
from app.services.meetings import MEETING_STATE_LABELS, MeetingDetail, label
from ui.meetings.models import time_span
from ui.palette import Tone, set_tone

FIELDS = (
    ("date", N_("Date:")),
    ("time", N_("Time:")),
    ("venue", N_("Venue:")),
    ("accessibility", N_("Accessibility:")),
    ("organiser", N_("Organiser:")),
    ("moderator", N_("Moderation:")),
    ("minute_taker", N_("Minutes taken by:")),
    ("state", N_("State:")),
    ("rsvp_by", N_("Reply by:")),
    ("planned_end", N_("Agenda ends:")),
    ("description", N_("Description:")),
)


def _value_label() -> QLabel:
    label_ = QLabel()
    label_.setTextFormat(Qt.TextFormat.PlainText)  # user text, never HTML
    label_.setWordWrap(True)
    label_.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label_


class MeetingOverview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        self.overrun_warning = QLabel()
        self.overrun_warning.setObjectName("overrunWarning")
        self.overrun_warning.setWordWrap(True)
        set_tone(self.overrun_warning, Tone.NEGATIVE, bold=True)
        self._values: dict[str, QLabel] = {}
        for key, title in FIELDS:
            self._values[key] = _value_label()
            form.addRow(_(title), self._values[key])
            if key == "planned_end":
                form.addRow("", self.overrun_warning)
                self._warning_row = form.rowCount() - 1
        self._form = form
        form.setRowVisible(self._warning_row, False)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(form)
        layout.addStretch(1)
        self.setWidget(content)

    def show_meeting(self, meeting: MeetingDetail) -> None:
        values = self._values
        values["date"].setText(format_weekday_date(meeting.start))
        values["time"].setText(time_span(meeting.start, meeting.end))
        if meeting.venue is not None:
            venue = meeting.venue
            lines = [venue.name, venue.address, venue.room]
            values["venue"].setText("\n".join(line for line in lines if line))
            values["accessibility"].setText(venue.accessibility_notes or "—")
        else:
            values["venue"].setText(_("not yet chosen"))
            values["accessibility"].setText("—")
        values["organiser"].setText(meeting.organiser or "—")
        values["moderator"].setText(meeting.moderator or "—")
        values["minute_taker"].setText(meeting.minute_taker or "—")
        values["state"].setText(label(MEETING_STATE_LABELS, meeting.state))
        values["rsvp_by"].setText(format_date(meeting.rsvp_by) if meeting.rsvp_by else "—")
        values["planned_end"].setText(format_time(meeting.planned_end) if meeting.agenda else "—")
        values["description"].setText(meeting.description or "—")
        if meeting.overruns and meeting.end is not None:
            minutes = int((meeting.planned_end - meeting.end).total_seconds() // 60)
            self.overrun_warning.setText(
                "⚠ "
                + ngettext(
                    "The agenda runs {minutes} minute past the end of the meeting ({end}).",
                    "The agenda runs {minutes} minutes past the end of the meeting ({end}).",
                    minutes,
                ).format(minutes=minutes, end=format_time(meeting.end))
            )
            self._form.setRowVisible(self._warning_row, True)
        else:
            self._form.setRowVisible(self._warning_row, False)

    def show_loading(self) -> None:
        """Nothing of the meeting shown before: its values are cleared at once."""
        for key, value in self._values.items():
            value.setText(_("Loading…") if key == "date" else "")
        self._form.setRowVisible(self._warning_row, False)

    def value(self, key: str) -> str:
        return self._values[key].text()
