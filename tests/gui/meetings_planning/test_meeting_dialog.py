"""The meeting form: validation from the services, standard agenda, copy, lost updates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.i18n import _
from app.models import MeetingState
from app.services.agenda import get_agenda
from app.services.meetings import list_meetings
from app.services.planning import MeetingDraft, load_meeting_form, update_meeting
from app.services.planning.defaults import next_working_day
from app.services.settings_registry import change_setting
from app.services.venues import list_venues
from tests.helpers.planning_window import WAIT_MS, Planned
from ui.meetings.meeting_dialog import MeetingDialog, Mode, RescheduleDialog
from ui.tasks import TaskRunner


def open_dialog(qtbot: QtBot, dialog):  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    return dialog


def fill(dialog: MeetingDialog, qtbot: QtBot, title: str, day: QDate, start: QTime, end: QTime):  # type: ignore[no-untyped-def]
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, title)
    dialog.date.setDate(day)
    dialog.start.setTime(start)
    dialog.end.setTime(end)


def press_save(qtbot: QtBot, dialog) -> None:  # type: ignore[no-untyped-def]
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_end_before_start_shows_the_message_and_stores_nothing(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    before = len(list_meetings(planned.db))
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    fill(dialog, qtbot, "Sommerfest-Planung", QDate(2026, 6, 10), QTime(19, 0), QTime(18, 0))
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    expected = _("The meeting must end after it starts (start: {start}, end: {end}).")
    assert dialog.error.text().startswith(expected.split("(")[0].strip())
    assert dialog.isVisible()
    assert len(list_meetings(planned.db)) == before


def test_start_in_the_dst_gap_is_refused(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    before = len(list_meetings(planned.db))
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    fill(dialog, qtbot, "Nachtwanderung", QDate(2026, 3, 29), QTime(2, 30), QTime(4, 0))
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert "Europe/Berlin" in dialog.error.text()
    assert len(list_meetings(planned.db)) == before


def test_new_meeting_with_standard_agenda_venue_and_roles(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    fill(dialog, qtbot, "Netzwerktreffen Juni", QDate(2026, 6, 10), QTime(17, 0), QTime(19, 0))
    dialog.venue.setCurrentIndex(dialog.venue.findText("Museumscafé K+"))
    dialog.organiser.setCurrentIndex(
        dialog.organiser.findText("Ayşe Yılmaz (Quartiersbüro Lehmheide)")
    )
    dialog.rsvp_enabled.setChecked(True)
    dialog.rsvp_by.setDate(QDate(2026, 6, 3))
    assert dialog.agenda_source.currentIndex() == 0  # the standard TOPs are offered first
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as blocker:
        press_save(qtbot, dialog)
    meeting_id = blocker.args[0]
    form = load_meeting_form(planned.db, meeting_id)
    assert form.draft.title == "Netzwerktreffen Juni"
    assert form.draft.start.replace(tzinfo=None) == datetime(2026, 6, 10, 17, 0)
    assert form.draft.venue_name == "Museumscafé K+"
    assert form.draft.organiser_id is not None
    assert str(form.draft.rsvp_by) == "2026-06-03"
    titles = [e.row.title for e in get_agenda(planned.db, meeting_id).entries]
    assert titles[0] == "Begrüßung"
    assert "Offene Aufgaben aus dem letzten Treffen" in titles


def test_new_meeting_copying_an_earlier_agenda(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    index = next(
        i
        for i in range(dialog.agenda_source.count())
        if dialog.agenda_source.itemData(i) == planned.meeting_id
    )
    dialog.agenda_source.setCurrentIndex(index)
    with qtbot.waitSignal(dialog.title.textChanged, timeout=WAIT_MS):
        dialog.agenda_source.activated.emit(index)
    assert dialog.title.text() == "Netzwerktreffen Impuls.Ag"
    fill(dialog, qtbot, "Netzwerktreffen Juli", QDate(2026, 7, 1), QTime(18, 0), QTime(19, 30))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as blocker:
        press_save(qtbot, dialog)
    copied = get_agenda(planned.db, blocker.args[0])
    assert [e.row.number + " " + e.row.title for e in copied.entries] == [
        "1 Begrüßung",
        "2 Projekte",
        "2.1 Sport im Park",
        "3 Verschiedenes",
    ]
    assert load_meeting_form(planned.db, blocker.args[0]).draft.venue_name == "Museumscafé K+"


def test_edit_conflict_offers_reload_and_never_overwrites(
    qtbot: QtBot, runner: TaskRunner, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.EDIT, planned.meeting_id))
    assert dialog.title.text() == "Netzwerktreffen Impuls.Ag"
    # Someone else saves the meeting meanwhile.
    form = load_meeting_form(planned.db, planned.meeting_id)
    other = MeetingDraft(**{**_fields(form.draft), "title": "Von anderswo geändert"})
    update_meeting(planned.db, planned.meeting_id, other, expected_version=form.version)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes),
    )
    dialog.title.setText("Meine Änderung")
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        press_save(qtbot, dialog)
    assert asked
    assert load_meeting_form(planned.db, planned.meeting_id).draft.title == "Von anderswo geändert"
    assert dialog.title.text() == "Von anderswo geändert"  # reloaded
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.title.setText("Meine Änderung")
        press_save(qtbot, dialog)
    assert load_meeting_form(planned.db, planned.meeting_id).draft.title == "Meine Änderung"


def _fields(draft: MeetingDraft) -> dict:
    return {name: getattr(draft, name) for name in MeetingDraft.__dataclass_fields__}


def test_reschedule_raises_the_sequence(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> None:
    dialog = open_dialog(qtbot, RescheduleDialog(runner, planned.db, planned.meeting_id))
    dialog.date.setDate(QDate(2026, 5, 11))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as blocker:
        press_save(qtbot, dialog)
    change = blocker.args[1]
    assert change.sequence_raised
    form = load_meeting_form(planned.db, planned.meeting_id)
    assert form.draft.start.replace(tzinfo=None) == datetime(2026, 5, 11, 18, 0)
    assert form.state is MeetingState.PLANNED


def test_new_venue_from_the_combo(
    qtbot: QtBot, runner: TaskRunner, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.meetings import meeting_dialog

    opened = []
    monkeypatch.setattr(meeting_dialog.VenueDialog, "open", lambda self: opened.append(self))
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    index = dialog.venue.findData(meeting_dialog.NEW_VENUE)
    dialog.venue.setCurrentIndex(index)
    dialog.venue.activated.emit(index)
    venue_dialog = opened[0]
    qtbot.keyClicks(venue_dialog.name, "Stadtteilzentrum Gatherhof")
    venue_dialog.room.setText("Saal 2")
    venue_dialog.accessibility.setPlainText("Rampe am Seiteneingang")
    with qtbot.waitSignal(dialog.venue.currentIndexChanged, timeout=WAIT_MS):
        venue_dialog.save()
    assert dialog.venue.currentText() == "Stadtteilzentrum Gatherhof, Saal 2"
    stored = [v for v in list_venues(planned.db) if v.name == "Stadtteilzentrum Gatherhof"]
    assert stored[0].accessibility_notes == "Rampe am Seiteneingang"


def test_a_new_meeting_starts_with_the_usual_time_venue_and_organiser(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    change_setting(planned.db, "meetings.default_organiser", "ayse.yilmaz@qb.example")
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    day = next_working_day(date.today())
    assert dialog.date.date() == QDate(day.year, day.month, day.day)
    # The only earlier meeting ran 18:00–19:30 at the Museumscafé.
    assert (dialog.start.time(), dialog.end.time()) == (QTime(18, 0), QTime(19, 30))
    assert dialog.venue.currentText() == "Museumscafé K+"
    assert dialog.organiser.currentText() == "Ayşe Yılmaz (Quartiersbüro Lehmheide)"
    # No placeholder date behind the greyed reply field: a real one, following the day.
    assert not dialog.rsvp_by.isEnabled()
    assert dialog.rsvp_by.date() >= QDate.currentDate()
    assert "2000" not in dialog.rsvp_by.text()
    dialog.date.setDate(QDate(day.year + 1, 3, 10))
    assert dialog.rsvp_by.date() == QDate(day.year + 1, 3, 3)
    qtbot.keyClicks(dialog.title, "Netzwerktreffen")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as blocker:
        press_save(qtbot, dialog)
    draft = load_meeting_form(planned.db, blocker.args[0]).draft
    assert draft.rsvp_by is None  # greyed: not asked for
    assert draft.venue_name == "Museumscafé K+"


def test_editing_shows_the_stored_reply_date_or_a_real_suggestion(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.EDIT, planned.meeting_id))
    assert dialog.date.date() == QDate(2026, 5, 4)
    assert not dialog.rsvp_enabled.isChecked()
    assert dialog.rsvp_by.date() <= QDate(2026, 5, 4)
    assert dialog.rsvp_by.date() >= QDate(2026, 4, 27)


def test_document_language_chosen_in_the_form(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.NEW))
    assert dialog.language.currentData() == "de"  # the network's document language
    fill(dialog, qtbot, "Partner exchange", QDate(2026, 6, 10), QTime(17, 0), QTime(19, 0))
    dialog.language.setFocus()
    qtbot.keyClicks(dialog.language, "E")  # type-ahead: "English"
    assert dialog.language.currentData() == "en"
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as blocker:
        press_save(qtbot, dialog)
    meeting_id = blocker.args[0]
    assert load_meeting_form(planned.db, meeting_id).draft.language == "en"
    titles = [e.row.title for e in get_agenda(planned.db, meeting_id).entries]
    assert titles[0] == "Welcome"  # the standard agenda in the meeting's language

    edit = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.EDIT, meeting_id))
    assert edit.language.currentData() == "en"


def test_editing_a_meeting_at_the_second_half_past_two_keeps_its_time(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    """Regression: 02:30 exists twice on 31 Oct 2027; the fields cannot tell which one, so
    saving a new title must not move the meeting to the other."""
    from datetime import UTC, timedelta, timezone

    from app.services.meetings import get_meeting
    from app.services.planning import create_meeting

    second = datetime(2027, 10, 31, 2, 30, tzinfo=timezone(timedelta(hours=1)))  # MEZ
    meeting_id = create_meeting(planned.db, MeetingDraft(title="Nachtcafé", start=second))
    assert "zweite" in get_meeting(planned.db, meeting_id).time_note
    dialog = open_dialog(qtbot, MeetingDialog(runner, planned.db, Mode.EDIT, meeting_id))
    assert dialog.start.time() == QTime(2, 30)
    dialog.title.setText("Nachtcafé zur Zeitumstellung")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        press_save(qtbot, dialog)
    detail = get_meeting(planned.db, meeting_id)
    assert detail.title == "Nachtcafé zur Zeitumstellung"
    assert detail.start.astimezone(UTC) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
