"""The minutes' own fields: actual times, next meeting and the "informed only" recipients."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.minutes import (
    ActualTimes,
    NextMeeting,
    NextMeetingSuggestion,
    set_actual_times,
    set_informed_only,
    set_next_meeting,
    set_signature_lines,
    suggest_next_meeting,
)

if TYPE_CHECKING:
    from ui.minutes.loading import MinutesBundle
    from ui.minutes.minutes_editor import MinutesEditor

NOT_SET = QDateTime.fromString("2000-01-01T00:00:00", "yyyy-MM-ddTHH:mm:ss")
NO_TIME = QTime(0, 0)  # the time edits' minimum stands for "not recorded"


def _time_edit(name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setObjectName(name)
    edit.setDisplayFormat("HH:mm")
    edit.setMinimumTime(NO_TIME)
    edit.setSpecialValueText(_("as planned"))
    return edit


class NextMeetingPanel(QWidget):
    def __init__(self, editor: MinutesEditor) -> None:
        super().__init__()
        self.setObjectName("nextMeetingPanel")
        self._editor = editor
        self._day = datetime.now().date()
        self.start = QDateTimeEdit()
        self.start.setObjectName("nextStart")
        self.start.setCalendarPopup(True)
        self.start.setMinimumDateTime(NOT_SET)
        self.start.setSpecialValueText(_("not set"))
        self.start.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.place = QLineEdit()
        self.place.setObjectName("nextPlace")
        self.note = QLineEdit()
        self.note.setObjectName("nextNote")
        self.suggest_button = QPushButton(_("Take from the planned meeting"))
        self.suggest_button.setObjectName("suggestNext")
        self.save_button = QPushButton(_("Save next meeting"))
        self.save_button.setObjectName("saveNext")
        self.informed = QPlainTextEdit()
        self.informed.setObjectName("informedOnly")
        self.informed.setPlaceholderText(
            _("One per line: “Name <address>”, an address, or a name (printed copy)")
        )
        self.save_informed_button = QPushButton(_("Save recipients"))
        self.save_informed_button.setObjectName("saveInformed")

        self.actual_start = _time_edit("actualStart")
        self.actual_end = _time_edit("actualEnd")
        self.save_times_button = QPushButton(_("Save times"))
        self.save_times_button.setObjectName("saveTimes")
        times_box = QGroupBox(_("This meeting: actual start and end"))
        times = QHBoxLayout(times_box)
        times.addWidget(QLabel(_("Began")))
        times.addWidget(self.actual_start)
        times.addWidget(QLabel(_("Ended")))
        times.addWidget(self.actual_end)
        times.addStretch(1)
        times.addWidget(self.save_times_button)

        form = QFormLayout()
        form.addRow(_("Date and time"), self.start)
        form.addRow(_("Place"), self.place)
        form.addRow(_("Note"), self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.suggest_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(times_box)
        next_heading = QLabel(_("Next meeting"))
        font = next_heading.font()
        font.setBold(True)
        next_heading.setFont(font)
        layout.addWidget(next_heading)
        layout.addLayout(form)
        layout.addLayout(buttons)
        heading = QLabel(_("Informed only (receive the minutes without having been invited)"))
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.informed, 1)
        informed_buttons = QHBoxLayout()
        informed_buttons.addStretch(1)
        informed_buttons.addWidget(self.save_informed_button)
        layout.addLayout(informed_buttons)
        # A print option, not content: it stays available on final minutes.
        self.signature_lines = QCheckBox(
            _("Lines to sign for minute-taker and moderation under the final minutes")
        )
        self.signature_lines.setObjectName("signatureLines")
        self.signature_lines.setChecked(True)
        self.signature_lines.toggled.connect(self.save_signature_lines)
        pdf_box = QGroupBox(_("In the PDF"))
        pdf_layout = QVBoxLayout(pdf_box)
        pdf_layout.addWidget(self.signature_lines)
        layout.addWidget(pdf_box)

        self.suggest_button.clicked.connect(self.suggest)
        self.save_button.clicked.connect(self.save)
        self.save_informed_button.clicked.connect(self.save_informed)
        self.save_times_button.clicked.connect(self.save_times)

    def show_bundle(self, bundle: MinutesBundle) -> None:
        info = bundle.view.minutes
        self._day = bundle.view.start.date()
        for edit, value in (
            (self.actual_start, info.actual_start if info else None),
            (self.actual_end, info.actual_end if info else None),
        ):
            edit.setTime(QTime(value.hour, value.minute) if value else NO_TIME)
        start = info.next_meeting_start if info else None
        self.start.setDateTime(QDateTime(start.replace(tzinfo=None)) if start else NOT_SET)
        self.place.setText(info.next_meeting_place if info else "")
        self.note.setText(info.next_meeting_note if info else "")
        self.informed.setPlainText(info.informed_only if info else "")
        self.signature_lines.blockSignals(True)
        self.signature_lines.setChecked(info.signature_lines if info else True)
        self.signature_lines.blockSignals(False)
        self.signature_lines.setEnabled(info is not None)

    def set_locked(self, locked: bool) -> None:
        for widget in (
            self.start,
            self.place,
            self.note,
            self.suggest_button,
            self.save_button,
            self.informed,
            self.save_informed_button,
            self.actual_start,
            self.actual_end,
            self.save_times_button,
        ):
            widget.setEnabled(not locked)

    def _version(self) -> int | None:
        view = self._editor.view()
        return view.minutes.version if view and view.minutes else None

    def suggest(self) -> None:
        view = self._editor.view()
        if view is None:
            return
        self._editor.runner().run(
            suggest_next_meeting,
            self._editor.database(),
            view.meeting_id,
            on_done=self._suggested,
            on_error=self._editor.show_error,
        )

    def _suggested(self, suggestion: NextMeetingSuggestion | None) -> None:
        if suggestion is None:
            self._editor.show_message(_("No later meeting is planned yet."))
            return
        self.start.setDateTime(QDateTime(suggestion.start.replace(tzinfo=None)))
        self.place.setText(suggestion.place)

    def save(self) -> None:
        view = self._editor.view()
        if view is None:
            return
        value = self.start.dateTime()
        start = None if value == NOT_SET else value.toPython()
        next_meeting = NextMeeting(start, self.place.text(), self.note.text())  # type: ignore[arg-type]
        db, meeting_id, version = self._editor.database(), view.meeting_id, self._version()
        self._editor.run_write(
            lambda: set_next_meeting(db, meeting_id, next_meeting, expected_version=version),
            lambda _change: None,
            lambda _error: None,
        )

    def save_informed(self) -> None:
        view = self._editor.view()
        if view is None:
            return
        text = self.informed.toPlainText()
        db, meeting_id, version = self._editor.database(), view.meeting_id, self._version()
        self._editor.run_write(
            lambda: set_informed_only(db, meeting_id, text, expected_version=version),
            lambda _change: None,
            lambda _error: None,
        )

    def save_signature_lines(self, on: bool) -> None:
        view = self._editor.view()
        if view is None or view.minutes is None:
            return
        db, meeting_id, version = self._editor.database(), view.meeting_id, self._version()
        self._editor.run_write(
            lambda: set_signature_lines(db, meeting_id, on, expected_version=version),
            lambda _change: None,
            lambda _error: None,
        )

    def _actual(self, edit: QTimeEdit) -> datetime | None:
        value = edit.time()
        if value == NO_TIME:
            return None
        # Wall time on the meeting's day, in the meeting's time zone (the service localises).
        return datetime.combine(self._day, value.toPython())  # type: ignore[arg-type]

    def save_times(self) -> None:
        view = self._editor.view()
        if view is None:
            return
        times = ActualTimes(self._actual(self.actual_start), self._actual(self.actual_end))
        db, meeting_id, version = self._editor.database(), view.meeting_id, self._version()
        self._editor.run_write(
            lambda: set_actual_times(db, meeting_id, times, expected_version=version),
            lambda _change: None,
            lambda _error: None,
        )
