"""The meeting form: new, edit and copy; and the small reschedule form.

Every check (title, end after start, a start inside a DST gap, reply date) is the services';
their ``ValidationError`` is shown inline and the dialog stays open with nothing stored.
Editing keeps the version the form was loaded with; a ``ConflictError`` (someone saved the
meeting meanwhile) offers to reload, never overwrites silently.

Signals (both dialogs):
    ready(): the choices (venues, people, meetings) and the meeting are loaded.
    saved(int, object): the meeting id and the ``MeetingChange`` (None for a new meeting).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import ConflictError, TreffpunktError
from app.i18n import LANGUAGE_NAMES, _
from app.services.directory_listing import list_person_choices
from app.services.directory_rows import PersonChoice
from app.services.meetings import MeetingRow, list_meetings
from app.services.planning import (
    MeetingChange,
    MeetingDraft,
    MeetingForm,
    copy_meeting,
    create_meeting,
    delete_meeting,
    load_meeting_form,
    reschedule_meeting,
    update_meeting,
)
from app.services.planning.defaults import (
    DEFAULT_START,
    NewMeetingSuggestion,
    next_working_day,
    suggest_new_meeting,
    suggested_reply_by,
)
from app.services.standard_agenda import document_language
from app.services.venues import VenueRow, list_venues
from ui.emitting import emit
from ui.meetings.models import meeting_date
from ui.meetings.person_picker import PersonCombo
from ui.meetings.venue_dialog import VenueDialog
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner

NEW_VENUE = -1
DATE_FORMAT = "dd.MM.yyyy"
TIME_FORMAT = "HH:mm"


class Mode(enum.Enum):
    NEW = "new"
    EDIT = "edit"
    COPY = "copy"


class AgendaStart(enum.Enum):
    STANDARD = "standard"
    EMPTY = "empty"


@dataclass(frozen=True)
class _Choices:
    venues: list[VenueRow]
    people: list[PersonChoice]
    meetings: list[MeetingRow]
    form: MeetingForm | None
    suggestion: NewMeetingSuggestion
    network_language: str  # the language a new meeting starts with


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _qtime(value: time | datetime) -> QTime:
    return QTime(value.hour, value.minute)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _naive(day: QDate, clock: QTime) -> datetime:
    """Wall-clock time: the services place it in the meeting's zone (and refuse DST gaps)."""
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())


def _unchanged_or_naive(day: QDate, clock: QTime, loaded: datetime | None) -> datetime:
    """The loaded (aware) time when the fields still show it, else the wall-clock time typed.

    In the hour that occurs twice when the clocks go back, the fields cannot tell the two
    apart: a meeting at the second 02:30 must not move to the first one because its title
    was edited.
    """
    typed = _naive(day, clock)
    if loaded is not None and loaded.replace(tzinfo=None, second=0, microsecond=0) == typed:
        return loaded
    return typed


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("formError")
    set_tone(label, Tone.NEGATIVE)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


def _time_edit(name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setObjectName(name)
    edit.setDisplayFormat(TIME_FORMAT)
    return edit


class MeetingDialog(QDialog):
    """New, edit or copy a meeting (see the module docstring)."""

    ready = Signal()
    saved = Signal(int, object)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        mode: Mode = Mode.NEW,
        meeting_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self._runner, self._db, self.mode, self._meeting_id = runner, db, mode, meeting_id
        self._form: MeetingForm | None = None
        self.meeting_id: int | None = None
        self.setWindowTitle(
            {
                Mode.NEW: _("New meeting"),
                Mode.EDIT: _("Edit meeting"),
                Mode.COPY: _("Copy meeting"),
            }[mode]
        )

        self.title = QLineEdit()
        self.title.setObjectName("meetingTitle")
        self.date = _date_edit("meetingDate")
        self.start = _time_edit("meetingStart")
        self.end = _time_edit("meetingEnd")
        self.start.setAccessibleName(_("Start time"))
        self.end.setAccessibleName(_("End time"))
        # Until the suggestion (app.services.planning.defaults) is loaded: the next working
        # day at the default time; never Qt's placeholder date.
        self._today = date.today()
        self.date.setDate(_qdate(next_working_day(self._today)))
        self.start.setTime(_qtime(DEFAULT_START))
        self.end.setTime(QTime(DEFAULT_START.hour, DEFAULT_START.minute).addSecs(7200))
        times = QHBoxLayout()
        times.addWidget(self.date)
        times.addWidget(QLabel(_("from")))
        times.addWidget(self.start)
        times.addWidget(QLabel(_("to")))
        times.addWidget(self.end)
        times.addStretch(1)

        self.venue = QComboBox()
        self.venue.setObjectName("meetingVenue")
        self.venue.activated.connect(self._venue_chosen)
        self.organiser = PersonCombo("meetingOrganiser")
        self.moderator = PersonCombo("meetingModerator")
        self.minute_taker = PersonCombo("meetingMinuteTaker")
        self.description = QPlainTextEdit()
        self.description.setObjectName("meetingDescription")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(self.fontMetrics().height() * 6)
        self.rsvp_enabled = QCheckBox(_("Ask for a reply by"))
        self.rsvp_enabled.setObjectName("meetingRsvpEnabled")
        self.rsvp_by = _date_edit("meetingRsvpBy")
        self.rsvp_by.setEnabled(False)
        self.rsvp_by.setAccessibleName(_("Reply by"))
        self.rsvp_enabled.toggled.connect(self.rsvp_by.setEnabled)
        self.date.dateChanged.connect(self._suggest_reply_by)
        self._suggest_reply_by()
        rsvp = QHBoxLayout()
        rsvp.addWidget(self.rsvp_enabled)
        rsvp.addWidget(self.rsvp_by)
        rsvp.addStretch(1)

        self.agenda_source = QComboBox()
        self.agenda_source.setObjectName("meetingAgendaSource")
        self.agenda_source.activated.connect(self._agenda_source_chosen)
        self.with_invitees = QCheckBox(_("Invite the same people (not sent yet)"))
        self.with_invitees.setObjectName("meetingWithInvitees")
        # The language of the invitation, sign-in sheet and minutes, and of mails to people
        # without a preferred language (app.services.languages).
        self.language = QComboBox()
        self.language.setObjectName("meetingLanguage")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setToolTip(
            _(
                "The language of the invitation, the sign-in sheet and the minutes. "
                "Mails and their attachments use each recipient's preferred language."
            )
        )

        form = QFormLayout()
        form.addRow(_("&Title:"), self.title)
        when = QLabel(_("&Date and time:"))
        when.setBuddy(self.date)  # a row holding a layout gets no buddy by itself
        form.addRow(when, times)
        form.addRow(_("&Venue:"), self.venue)
        form.addRow(_("&Organiser:"), self.organiser)
        form.addRow(_("&Moderation:"), self.moderator)
        form.addRow(_("Minute-&taker:"), self.minute_taker)
        form.addRow(_("De&scription:"), self.description)
        form.addRow("", rsvp)
        form.addRow(_("Document &language:"), self.language)
        if mode is Mode.NEW:
            form.addRow(_("&Agenda:"), self.agenda_source)
        if mode is not Mode.EDIT:
            form.addRow("", self.with_invitees)
        self.with_invitees.setVisible(mode is Mode.COPY)

        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())
        self._load()

    # -- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        db, meeting_id, today = self._db, self._meeting_id, self._today

        def load() -> _Choices:
            form = load_meeting_form(db, meeting_id) if meeting_id is not None else None
            suggestion = suggest_new_meeting(db, today=today)
            return _Choices(
                list_venues(db),
                list_person_choices(db),
                list_meetings(db),
                form,
                suggestion,
                document_language(db),
            )

        self._runner.run(load, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, choices: _Choices) -> None:
        self._fill_venues(choices.venues)
        for combo in (self.organiser, self.moderator, self.minute_taker):
            combo.set_people(choices.people)
        self.agenda_source.clear()
        self.agenda_source.addItem(
            _("Standard agenda items (from the settings)"), AgendaStart.STANDARD
        )
        self.agenda_source.addItem(_("Empty agenda"), AgendaStart.EMPTY)
        for row in sorted(choices.meetings, key=lambda r: r.start, reverse=True):
            self.agenda_source.addItem(
                _("Copy of “{title}” ({date})").format(
                    title=row.title, date=meeting_date(row.start)
                ),
                row.id,
            )
        self.language.setCurrentIndex(max(0, self.language.findData(choices.network_language)))
        if self.mode is not Mode.EDIT:
            self._show_suggestion(choices.suggestion)
        if choices.form is not None:
            self._show_form(choices.form)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.title.setFocus()
        emit(self.ready)

    def _fill_venues(self, venues: list[VenueRow], chosen: int | None = None) -> None:
        current = chosen if chosen is not None else self.venue.currentData()
        self.venue.clear()
        self.venue.addItem(_("(no venue)"), None)
        for row in venues:
            text = f"{row.name}, {row.room}" if row.room else row.name
            self.venue.addItem(text, row.id)
            self.venue.setItemData(
                self.venue.count() - 1,
                "\n".join(part for part in (row.address, row.accessibility_notes) if part),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.venue.addItem(_("New venue…"), NEW_VENUE)
        self.venue.setCurrentIndex(max(0, self.venue.findData(current)))

    def _show_suggestion(self, suggestion: NewMeetingSuggestion) -> None:
        """A new meeting (or a copy's date): what ``suggest_new_meeting`` says."""
        self.date.setDate(_qdate(suggestion.start.date()))
        self.start.setTime(_qtime(suggestion.start))
        self.end.setTime(_qtime(suggestion.end))
        if self.mode is Mode.NEW:
            self.venue.setCurrentIndex(max(0, self.venue.findData(suggestion.venue_id)))
            self.organiser.set_person_id(suggestion.organiser_id)
        self.rsvp_by.setDate(_qdate(suggestion.rsvp_by))

    def _suggest_reply_by(self, *_args: object) -> None:
        """While no reply date is asked for, the greyed one follows the meeting day."""
        if not self.rsvp_enabled.isChecked():
            day = suggested_reply_by(_date(self.date.date()), self._today)
            self.rsvp_by.setDate(_qdate(day))

    def _show_form(self, form: MeetingForm) -> None:
        """Fill the fields; a copy keeps the date the user chose and takes the rest."""
        self._form = form
        draft = form.draft
        if self.mode is Mode.EDIT:
            self.date.setDate(_qdate(draft.start.date()))
            self.start.setTime(_qtime(draft.start))
            if draft.end is not None:
                self.end.setTime(_qtime(draft.end))
        else:
            self.start.setTime(_qtime(draft.start))
            if draft.end is not None:
                self.end.setTime(_qtime(draft.end))
        self.title.setText(draft.title)
        self.venue.setCurrentIndex(max(0, self.venue.findData(draft.venue_id)))
        self.organiser.set_person_id(draft.organiser_id)
        self.moderator.set_person_id(draft.moderator_id)
        self.minute_taker.set_person_id(draft.minute_taker_id)
        self.description.setPlainText(draft.description)
        if draft.language:
            self.language.setCurrentIndex(max(0, self.language.findData(draft.language)))
        self.rsvp_enabled.setChecked(draft.rsvp_by is not None and self.mode is Mode.EDIT)
        if draft.rsvp_by is not None and self.mode is Mode.EDIT:
            self.rsvp_by.setDate(_qdate(draft.rsvp_by))
        else:
            self._suggest_reply_by()

    def _agenda_source_chosen(self, _index: int) -> None:
        source = self.agenda_source.currentData()
        self.with_invitees.setVisible(isinstance(source, int))
        if isinstance(source, int):
            self._runner.run(
                load_meeting_form, self._db, source, on_done=self._show_form, on_error=self._failed
            )

    def _venue_chosen(self, _index: int) -> None:
        if self.venue.currentData() != NEW_VENUE:
            return
        self.venue.setCurrentIndex(0)
        dialog = VenueDialog(self._runner, self._db, parent=self)
        dialog.created.connect(self._venue_created)
        dialog.open()

    def _venue_created(self, venue_id: int) -> None:
        self._runner.run(
            list_venues, self._db, on_done=lambda rows: self._fill_venues(rows, venue_id)
        )

    # -- saving --------------------------------------------------------------------------------

    def draft(self) -> MeetingDraft:
        day = self.date.date()
        venue = self.venue.currentData()
        loaded = self._form.draft if self._form is not None and self.mode is Mode.EDIT else None
        return MeetingDraft(
            title=self.title.text(),
            start=_unchanged_or_naive(day, self.start.time(), loaded.start if loaded else None),
            end=_unchanged_or_naive(day, self.end.time(), loaded.end if loaded else None),
            venue_id=venue if isinstance(venue, int) and venue != NEW_VENUE else None,
            organiser_id=self.organiser.person_id(),
            moderator_id=self.moderator.person_id(),
            minute_taker_id=self.minute_taker.person_id(),
            description=self.description.toPlainText(),
            rsvp_by=_date(self.rsvp_by.date()) if self.rsvp_enabled.isChecked() else None,
            language=self.language.currentData(),
        )

    def _copy_source(self) -> int | None:
        if self.mode is Mode.COPY:
            return self._meeting_id
        source = self.agenda_source.currentData() if self.mode is Mode.NEW else None
        return source if isinstance(source, int) else None

    def save(self) -> None:
        self.error.hide()
        self.buttons.setEnabled(False)
        db, draft = self._db, self.draft()
        source = self._copy_source()
        if self.mode is Mode.EDIT:
            assert self._form is not None
            meeting_id, version = self._form.id, self._form.version
            self._runner.run(
                lambda: (
                    meeting_id,
                    update_meeting(db, meeting_id, draft, expected_version=version),
                ),
                on_done=self._saved,
                on_error=self._failed,
            )
        elif source is not None:
            invitees = self.with_invitees.isChecked()
            self._runner.run(
                _copy_and_fill,
                db,
                source,
                draft,
                invitees,
                on_done=self._saved,
                on_error=self._failed,
            )
        else:
            standard = self.agenda_source.currentData() is AgendaStart.STANDARD
            self._runner.run(
                lambda: (create_meeting(db, draft, with_standard_agenda=standard), None),
                on_done=self._saved,
                on_error=self._failed,
            )

    def _saved(self, result: tuple[int, MeetingChange | None]) -> None:
        self.meeting_id, change = result
        emit(self.saved, self.meeting_id, change)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ConflictError) and self._meeting_id is not None:
            answer = QMessageBox.question(
                self,
                _("Changed elsewhere"),
                str(error)
                + "\n\n"
                + _(
                    "Reload the meeting now? Your changes in this form "
                    "will be replaced by the saved values."
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._load()
                return
        message = (
            str(error)
            if isinstance(error, TreffpunktError)
            else _("The meeting could not be saved.")
        )
        self.error.setText(message)
        self.error.show()


def _copy_and_fill(
    db: Database, source_id: int, draft: MeetingDraft, with_invitees: bool
) -> tuple[int, None]:
    """Worker thread: copy the meeting (agenda, optionally invitees), then store the form.

    If the form's values are refused, the copy is deleted again, so nothing half-made stays.
    """
    new_id = copy_meeting(
        db,
        source_id,
        start=draft.start,
        end=draft.end,
        title=draft.title,
        with_invitees=with_invitees,
    )
    try:
        form = load_meeting_form(db, new_id)
        update_meeting(db, new_id, draft, expected_version=form.version)
    except BaseException:
        delete_meeting(db, new_id)
        raise
    return new_id, None


class RescheduleDialog(QDialog):
    """Move a planned or invited meeting to another day or time."""

    ready = Signal()
    saved = Signal(int, object)

    def __init__(
        self, runner: TaskRunner, db: Database, meeting_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rescheduleDialog")
        self.setWindowTitle(_("Reschedule meeting"))
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self._form: MeetingForm | None = None
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.date = _date_edit("rescheduleDate")
        self.start = _time_edit("rescheduleStart")
        self.end = _time_edit("rescheduleEnd")
        form = QFormLayout()
        form.addRow(_("&Date:"), self.date)
        form.addRow(_("&From:"), self.start)
        form.addRow(_("&To:"), self.end)
        note = QLabel(
            _(
                "Everyone who already received the invitation can then be sent an "
                "update with the new time."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        runner.run(load_meeting_form, db, meeting_id, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, form: MeetingForm) -> None:
        self._form = form
        draft = form.draft
        self.heading.setText(draft.title)
        self.date.setDate(_qdate(draft.start.date()))
        self.start.setTime(_qtime(draft.start))
        self.end.setTime(_qtime(draft.end or draft.start))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        emit(self.ready)

    def save(self) -> None:
        assert self._form is not None
        self.error.hide()
        self.buttons.setEnabled(False)
        day = self.date.date()
        start, end = _naive(day, self.start.time()), _naive(day, self.end.time())
        db, meeting_id, version = self._db, self._meeting_id, self._form.version
        self._runner.run(
            lambda: (
                meeting_id,
                reschedule_meeting(db, meeting_id, start, end, expected_version=version),
            ),
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, result: tuple[int, MeetingChange]) -> None:
        emit(self.saved, *result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ConflictError):
            QMessageBox.information(self, _("Changed elsewhere"), str(error))
            self._runner.run(
                load_meeting_form,
                self._db,
                self._meeting_id,
                on_done=self._loaded,
                on_error=self._failed,
            )
            return
        self.error.setText(
            str(error)
            if isinstance(error, TreffpunktError)
            else _("The meeting could not be moved.")
        )
        self.error.show()
