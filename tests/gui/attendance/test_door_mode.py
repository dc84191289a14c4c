"""Door mode driven with the keyboard: find, check in with photo consent, undo, walk-ins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.i18n import _
from app.models import (
    Attendance,
    AttendanceStatus,
    ConsentRecord,
    ConsentTopic,
    Person,
)
from app.services.attendance import attendance_sheet
from tests.helpers.attendance_window import Past
from ui.attendance.door_mode import DoorModeWindow
from ui.tasks import TaskRunner

WAIT_MS = 15_000


@pytest.fixture
def door(qtbot: QtBot, past: Past) -> Iterator[DoorModeWindow]:
    runner = TaskRunner()
    window = DoorModeWindow(runner, past.db, past.meeting, "Netzwerktreffen März")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.show()
    yield window
    runner.shutdown()


def status_of(past: Past, last_name: str) -> tuple[AttendanceStatus | None, bool | None]:
    for row in attendance_sheet(past.db, past.meeting):
        if row.person_id == past.people[last_name]:
            return row.status, row.photo_consent
    return None, None


def idle(qtbot: QtBot, door: DoorModeWindow) -> None:
    qtbot.waitUntil(lambda: door.pending() == 0, timeout=WAIT_MS)


def test_two_keystrokes_find_ayse_and_enter_checks_her_in_with_photo_consent(
    qtbot: QtBot, door: DoorModeWindow, past: Past
) -> None:
    qtbot.keyClicks(door.search, "ay")
    first = door.model.row(0)
    assert first.name == "Ayşe Yılmaz"
    assert door.current_candidate() == first
    assert door.consent() is None  # nothing on file for her photos
    qtbot.keyClick(door.search, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    assert door.consent() is True
    assert door.photo_yes.isChecked()
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert blocker.args[0].name == "Ayşe Yılmaz"
    assert door.search.text() == ""
    assert status_of(past, "Yılmaz") == (AttendanceStatus.PRESENT, True)
    with past.db.read() as session:
        records = session.scalars(
            select(ConsentRecord.given).where(
                ConsentRecord.person_id == past.people["Yılmaz"],
                ConsentRecord.topic == ConsentTopic.PHOTOS,
            )
        ).all()
    assert records == [True]
    assert "Ayşe Yılmaz" in door.flash.text()
    assert door.flash.isVisible()
    assert door.counts.text() == _("Present: {present} · Invited: {invited}").format(
        present=1, invited=5
    )
    # The list shows her as checked in now, and the consent is her default next time.
    qtbot.keyClicks(door.search, "yil")
    assert door.model.row(0).present
    assert door.model.index(0, 4).data().startswith("✓")
    assert door.consent() is True


def test_arrow_keys_choose_another_row_and_n_records_no_photos(
    qtbot: QtBot, door: DoorModeWindow, past: Past
) -> None:
    qtbot.keyClicks(door.search, "qb")  # organisation e-mail domain: several people
    assert door.model.rowCount() >= 2
    second = door.model.row(1)
    qtbot.keyClick(door.search, Qt.Key.Key_Down)
    assert door.current_candidate() == second
    qtbot.keyClick(door.search, Qt.Key.Key_Up)
    qtbot.keyClick(door.search, Qt.Key.Key_Down)
    qtbot.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert door.photo_no.isChecked()
    assert not door.photo_yes.isChecked()
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert status_of(past, second.name.split()[-1]) == (AttendanceStatus.PRESENT, False)


def test_ctrl_z_undoes_the_last_check_in_and_ctrl_shift_z_redoes_it(
    qtbot: QtBot, door: DoorModeWindow, past: Past
) -> None:
    qtbot.keyClicks(door.search, "adl")
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert status_of(past, "Adler")[0] is AttendanceStatus.PRESENT
    with qtbot.waitSignal(door.undone, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_of(past, "Adler") == (None, None)
    assert not door.model.candidate(f"person:{past.people['Adler']}").present
    assert door.counts.text() == _("Present: {present} · Invited: {invited}").format(
        present=0, invited=5
    )
    with qtbot.waitSignal(door.undone, timeout=WAIT_MS):
        qtbot.keyClick(
            door.search,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert status_of(past, "Adler")[0] is AttendanceStatus.PRESENT


def test_walk_in_as_guest_by_keyboard_and_undo_removes_it(
    qtbot: QtBot, door: DoorModeWindow, past: Past
) -> None:
    qtbot.keyClicks(door.search, "Lena Kaya")
    qtbot.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = door.walk_in_dialog
    assert dialog is not None
    assert dialog.name.text() == "Lena Kaya"  # the typed name is taken over
    qtbot.keyClicks(dialog.organisation, "Nachbarschaftstreff")
    assert dialog.photo_unknown.isChecked()  # nobody matched: not asked yet
    qtbot.mouseClick(dialog.photo_yes, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(dialog.organisation, Qt.Key.Key_Return)
    assert blocker.args[0].guest
    assert door.walk_in_dialog is None
    guests = [r for r in attendance_sheet(past.db, past.meeting) if r.guest]
    assert [(g.name, g.organisation, g.status, g.photo_consent) for g in guests] == [
        ("Lena Kaya", "Nachbarschaftstreff", AttendanceStatus.PRESENT, True)
    ]
    assert _("Guests: {count}").format(count=1) in door.counts.text()
    qtbot.waitUntil(door.isActiveWindow, timeout=WAIT_MS)
    with qtbot.waitSignal(door.undone, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not [r for r in attendance_sheet(past.db, past.meeting) if r.guest]
    assert door.model.candidate(blocker.args[0].key) is None


def test_walk_in_into_the_directory_by_keyboard(
    qtbot: QtBot, door: DoorModeWindow, past: Past
) -> None:
    qtbot.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = door.walk_in_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Dr. Hatice Demir")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    # QTest types ASCII only: the umlaut goes in as an input method would put it.
    qtbot.keyClicks(dialog.organisation, "quartiersb")
    dialog.organisation.insert("ü")
    qtbot.keyClicks(dialog.organisation, "ro lehmheide")
    qtbot.keyClicks(dialog.email, "h.demir@example.org")
    dialog.as_person.setFocus()
    qtbot.keyClick(dialog.as_person, Qt.Key.Key_Space)
    assert dialog.as_person.isChecked()
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    row = blocker.args[0]
    assert not row.guest
    assert row.person_id is not None
    with past.db.read() as session:
        person = session.get(Person, row.person_id)
        assert person is not None
        assert (person.title, person.first_name, person.last_name) == ("Dr.", "Hatice", "Demir")
        assert person.organisation is not None
        assert person.organisation.name == "Quartiersbüro Lehmheide"  # found, not created
    # The new person is found by the next search at once.
    qtbot.keyClicks(door.search, "dem")
    assert door.model.row(0).person_id == row.person_id


def test_walk_in_with_a_known_address_offers_to_check_that_person_in(
    qtbot: QtBot, door: DoorModeWindow, past: Past, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    qtbot.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = door.walk_in_dialog
    assert dialog is not None
    dialog.name.setText("Jürgen Müller")
    qtbot.keyClicks(dialog.email, "J.Mueller@svbw.example")
    dialog.as_person.setChecked(True)
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    assert asked
    assert "Jürgen Müller" in asked[0]
    assert blocker.args[0].person_id == past.people["Müller"]
    assert status_of(past, "Müller")[0] is AttendanceStatus.PRESENT
    with past.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 8  # nobody added


def test_invalid_walk_in_keeps_the_dialog_with_the_message(
    qtbot: QtBot, door: DoorModeWindow, past: Past
) -> None:
    qtbot.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = door.walk_in_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Ohne Adresse")
    qtbot.keyClicks(dialog.email, "kein-at-zeichen")
    with qtbot.waitSignal(door.failed, timeout=WAIT_MS):
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    assert dialog.error.isVisible()
    assert "kein-at-zeichen" in dialog.error.text()
    assert dialog.isVisible()
    with past.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == 0
    dialog.reject()
    idle(qtbot, door)


def test_candidate_model_passes_the_model_tester(
    qtbot: QtBot, door: DoorModeWindow, qtmodeltester: object
) -> None:
    qtmodeltester.check(door.model)  # type: ignore[attr-defined]
    qtbot.keyClicks(door.search, "oz")
    qtmodeltester.check(door.model)  # type: ignore[attr-defined]


def test_known_address_of_an_archived_person_checks_that_person_in(
    qtbot: QtBot, past: Past, monkeypatch: pytest.MonkeyPatch
) -> None:
    with past.db.write() as session:
        person = session.get(Person, past.people["Ährenfeld"])
        assert person is not None
        person.archived = True
    runner = TaskRunner()
    door = DoorModeWindow(runner, past.db, past.meeting, "Netzwerktreffen März")
    qtbot.addWidget(door)
    with qtbot.waitSignal(door.loaded, timeout=WAIT_MS):
        door.show()
    assert door.model.candidate(f"person:{past.people['Ährenfeld']}") is None  # archived
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = door.walk_in_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Renee Aehrenfeld")
    qtbot.keyClicks(dialog.email, "renee@example.org")
    dialog.as_person.setChecked(True)
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    assert blocker.args[0].person_id == past.people["Ährenfeld"]
    assert status_of(past, "Ährenfeld")[0] is AttendanceStatus.PRESENT
    runner.shutdown()


def test_escape_clears_the_search_and_enter_on_nothing_says_so(
    qtbot: QtBot, door: DoorModeWindow
) -> None:
    qtbot.keyClicks(door.search, "qqqq")
    assert door.model.rowCount() == 0
    qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert door.flash.isVisible()
    assert door.flash.text() == _("Nobody found. Ctrl+N adds a walk-in.")
    qtbot.keyClick(door.search, Qt.Key.Key_Escape)
    assert door.search.text() == ""
    assert door.model.rowCount() == 8  # everyone again


# -- photo consent: a stored answer is a suggestion to confirm, never a default ---------------


def add_photo_consent(past: Past, last_name: str, given: bool) -> None:
    """A written consent of 12 March 2025 on file for *last_name*."""
    from datetime import UTC, datetime

    from app.models import ConsentMethod

    with past.db.write() as session:
        session.add(
            ConsentRecord(
                person_id=past.people[last_name],
                topic=ConsentTopic.PHOTOS,
                given=given,
                recorded_at=datetime(2025, 3, 12, 9, 0, tzinfo=UTC),
                method=ConsentMethod.FORM,
            )
        )


@pytest.fixture
def door_with_consents(qtbot: QtBot, past: Past) -> Iterator[DoorModeWindow]:
    add_photo_consent(past, "Adler", True)
    add_photo_consent(past, "Müller", False)
    runner = TaskRunner()
    window = DoorModeWindow(runner, past.db, past.meeting, "Netzwerktreffen März")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.show()
    yield window
    runner.shutdown()


def photo_record_count(past: Past, last_name: str) -> int:
    with past.db.read() as session:
        return session.scalar(
            select(func.count(ConsentRecord.id)).where(
                ConsentRecord.person_id == past.people[last_name],
                ConsentRecord.topic == ConsentTopic.PHOTOS,
            )
        )


def test_a_stored_answer_is_preselected_with_its_source_and_counts_only_once_confirmed(
    qtbot: QtBot, door_with_consents: DoorModeWindow, past: Past
) -> None:
    door = door_with_consents
    qtbot.keyClicks(door.search, "adl")
    assert door.current_candidate().name == "Peter Adler"
    # Preselected, but marked as the answer on file, with where it comes from.
    assert door.photo_yes.isChecked()
    assert door.photo_yes.property("suggested") is True
    assert not door.consent_confirmed()
    assert door.consent_source_text() == (
        "Vorausgewählt laut Einwilligung vom 12.03.2025 (schriftlich) – bitte nachfragen "
        "und bestätigen oder ändern (Alt+J / Alt+N)."
    )
    assert door.consent_source.isVisible()
    # Enter without asking: checked in, and no statement is invented for this meeting.
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    idle(qtbot, door)
    assert status_of(past, "Adler") == (AttendanceStatus.PRESENT, None)
    assert photo_record_count(past, "Adler") == 1  # only the written consent of 2025


def test_confirming_the_stored_answer_records_it_as_said_at_this_meeting(
    qtbot: QtBot, door_with_consents: DoorModeWindow, past: Past
) -> None:
    door = door_with_consents
    qtbot.keyClicks(door.search, "adl")
    qtbot.keyClick(door.search, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)  # "yes, still"
    assert door.consent_confirmed()
    assert door.photo_yes.isChecked()
    assert door.photo_yes.property("suggested") is False
    assert door.consent_source_text() == "Jetzt beim Einlass angegeben."
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    idle(qtbot, door)
    assert status_of(past, "Adler") == (AttendanceStatus.PRESENT, True)
    assert photo_record_count(past, "Adler") == 2  # the confirmation is a new statement
    # Found again, the answer now comes from this meeting.
    qtbot.keyClicks(door.search, "adl")
    assert door.consent() is True
    assert door.consent_confirmed()
    assert door.consent_source_text() == "Bei diesem Treffen angegeben."


def test_the_stored_answer_can_be_changed_at_the_door(
    qtbot: QtBot, door_with_consents: DoorModeWindow, past: Past
) -> None:
    door = door_with_consents
    qtbot.keyClicks(door.search, "jurgen")  # QTest types ASCII; the search folds "ü"
    assert door.current_candidate().name == "Jürgen Müller"
    assert door.photo_no.isChecked()  # "no" on file
    assert not door.consent_confirmed()
    qtbot.keyClick(door.search, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # changed mind
    assert door.photo_yes.isChecked()
    assert not door.photo_no.isChecked()
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    idle(qtbot, door)
    assert status_of(past, "Müller") == (AttendanceStatus.PRESENT, True)


def test_with_nothing_on_file_nothing_is_preselected_and_not_asked_is_an_answer(
    qtbot: QtBot, door_with_consents: DoorModeWindow, past: Past
) -> None:
    door = door_with_consents
    qtbot.keyClicks(door.search, "ay")
    assert door.current_candidate().name == "Ayşe Yılmaz"
    assert not door.photo_yes.isChecked()
    assert not door.photo_no.isChecked()
    assert door.photo_not_asked.isChecked()
    assert door.consent() is None
    assert door.consent_source_text() == (
        "Keine Fotoeinwilligung gespeichert – bitte fragen (Alt+J / Alt+N)."
    )
    # Yes by mistake, then back to "not asked" with Alt+0.
    qtbot.keyClick(door.search, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    assert door.photo_yes.isChecked()
    qtbot.keyClick(door.search, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert door.photo_not_asked.isChecked()
    assert not door.photo_yes.isChecked()
    assert door.consent_source_text() == (
        "Nicht gefragt: Für dieses Treffen wird keine Angabe gespeichert."
    )
    with qtbot.waitSignal(door.checked_in, timeout=WAIT_MS):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    idle(qtbot, door)
    assert status_of(past, "Yılmaz") == (AttendanceStatus.PRESENT, None)
    assert photo_record_count(past, "Yılmaz") == 0


def test_keys_in_the_results_list_confirm_or_clear_the_answer(
    qtbot: QtBot, door_with_consents: DoorModeWindow, past: Past
) -> None:
    door = door_with_consents
    qtbot.keyClicks(door.search, "adl")
    door.view.setFocus()
    qtbot.keyClick(door.view, Qt.Key.Key_0)
    assert door.consent() is None
    assert door.consent_confirmed()
    qtbot.keyClick(door.view, Qt.Key.Key_J)
    assert door.consent() is True
    assert door.consent_confirmed()
