"""DSGVO in the window: Auskunft (Art. 15), Löschung (Art. 17), the retention review."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.i18n import _
from app.services.directory import list_people
from app.services.retention import retention_months
from app.services.retention_review import reviewed_dates
from tests.helpers.window import WAIT_MS, OpenAndWait
from ui.main_window import MainWindow
from ui.maintenance import controller, privacy_dialogs
from ui.maintenance.privacy_dialogs import AccessDialog, ErasureDialog
from ui.maintenance.retention_dialog import RetentionDialog, ReviewModel


def _people_names(window: MainWindow) -> set[str]:
    workspace = window.workspace()
    assert workspace is not None
    model = workspace.network.people_model()
    return {model.index(row, 1).data() for row in range(model.rowCount())}


def _select_in_people_view(window: MainWindow, last_name: str) -> int:
    workspace = window.workspace()
    assert workspace is not None
    view = workspace.network.people_view
    model = view.model()
    for row in range(model.rowCount()):
        if last_name in model.index(row, 1).data():
            view.selectRow(row)
            person = view.selected_row()
            return int(person.id)
    raise AssertionError(last_name)


def test_erase_from_the_context_menu_removes_the_person_from_list_and_file(
    open_and_wait: OpenAndWait, network_file: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(network_file)
    assert "Ayşe Yılmaz" in _people_names(window)
    person_id = _select_in_people_view(window, "Yılmaz")
    workspace = window.workspace()
    assert workspace is not None
    page = workspace.network
    person = page.people_view.selected_row()
    menu = page.people_context_menu(person)
    erase_action = next(a for a in menu.actions() if a.text() == _("Erase (Art. 17)…"))
    erase_action.trigger()
    dialog = window.maintenance.current_dialog()
    assert isinstance(dialog, ErasureDialog)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == dialog.CONFIRM, timeout=WAIT_MS)
    summary = dialog.summary.text()
    assert "Ayşe Yılmaz" in summary
    assert not dialog.erase_button.isEnabled()  # not before the confirmation
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == dialog.CONFIRM

    dialog.confirm_box.click()
    assert dialog.erase_button.isEnabled()
    with (
        qtbot.waitSignal(dialog.erased, timeout=WAIT_MS) as erased,
        qtbot.waitSignal(page.loaded, timeout=WAIT_MS),
    ):
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert erased.args == [person_id]
    assert dialog.pages.currentIndex() == dialog.DONE
    assert "Ayşe Yılmaz" not in _people_names(window)
    assert len(_people_names(window)) == 7
    opened = window.opened()
    assert opened is not None
    assert all(p.id != person_id for p in list_people(opened.database, include_archived=True))
    data = network_file.read_bytes()
    for trace in ("Yılmaz", "ayse.yilmaz@qb.example", "a.yilmaz@privat.example"):
        assert trace.encode("utf-8") not in data, trace


def test_access_request_writes_json_with_the_persons_data(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_file)
    person_id = _select_in_people_view(window, "Müller")
    target = tmp_path / "auskunft" / "Auskunft-Mueller"
    target.parent.mkdir()
    monkeypatch.setattr(privacy_dialogs, "choose_report_path", lambda *_args: target)

    dialog = window.maintenance.show_access_request(person_id)
    assert isinstance(dialog, AccessDialog)
    qtbot.waitUntil(lambda: dialog.picker.selected() is not None, timeout=WAIT_MS)
    assert dialog.picker.selected().id == person_id  # type: ignore[union-attr]
    dialog.pdf_box.setChecked(False)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    json_file = target.with_name("Auskunft-Mueller.json")
    assert saved.args[0] == [json_file]
    assert not target.with_name("Auskunft-Mueller.pdf").exists()
    data = json.loads(json_file.read_text(encoding="utf-8"))
    assert data["person"]["id"] == person_id
    assert data["person"]["first_name"] == "Jürgen"
    assert data["person"]["last_name"] == "Müller"
    assert [e["address"] for e in data["emails"]] == ["j.mueller@svbw.example"]
    assert [p["number"] for p in data["phones"]] == ["0221 4710-001"]
    assert len(data["consents"]) == 2
    assert str(json_file) in dialog.status.text()


def test_access_request_writes_the_pdf_too(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_file)
    monkeypatch.setattr(privacy_dialogs, "choose_report_path", lambda *_a: tmp_path / "a.pdf")
    window.menu_actions["privacy-access"].trigger()
    dialog = window.maintenance.current_dialog()
    assert isinstance(dialog, AccessDialog)
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 8, timeout=WAIT_MS)
    assert not dialog.save_button.isEnabled()  # nobody chosen yet
    qtbot.keyClicks(dialog.picker.search, "anna@gu")
    assert dialog.picker.filter.rowCount() == 1
    dialog.picker.view.selectRow(0)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == [tmp_path / "a.json", tmp_path / "a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_retention_review_keep_and_period(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: object,
) -> None:
    window = open_and_wait(network_file)
    later = datetime(2031, 1, 1, tzinfo=UTC)  # everyone of the fixture is inactive by then
    monkeypatch.setattr(controller, "clock", lambda: later)
    dialog = window.maintenance.show_retention_review()
    assert isinstance(dialog, RetentionDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 8, timeout=WAIT_MS)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert isinstance(dialog.model, ReviewModel)
    assert dialog.months.value() == 24

    dialog.view.selectRow(0)
    kept = dialog.view.selected_row()
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 7
    assert kept.person_id not in {r.person_id for r in dialog.model.rows()}
    opened = window.opened()
    assert opened is not None
    assert kept.person_id in reviewed_dates(opened.database)

    dialog.months.setValue(240)  # 20 years: nobody is due
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    assert retention_months(opened.database) == 240


def test_retention_review_erase_opens_the_erasure_dialog(
    open_and_wait: OpenAndWait,
    network_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_file)
    monkeypatch.setattr(controller, "clock", lambda: datetime(2031, 1, 1, tzinfo=UTC))
    review = window.maintenance.show_retention_review()
    assert isinstance(review, RetentionDialog)
    qtbot.waitUntil(lambda: review.model.rowCount() == 8, timeout=WAIT_MS)
    review.view.selectRow(0)
    chosen = review.view.selected_row()
    qtbot.mouseClick(review.erase_button, Qt.MouseButton.LeftButton)
    erasure = review.findChild(ErasureDialog)
    assert erasure is not None
    qtbot.waitUntil(lambda: erasure.pages.currentIndex() == erasure.CONFIRM, timeout=WAIT_MS)
    erasure.confirm_box.click()
    with qtbot.waitSignal(review.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(erasure.erase_button, Qt.MouseButton.LeftButton)
    assert review.model.rowCount() == 7
    assert chosen.person_id not in {r.person_id for r in review.model.rows()}
