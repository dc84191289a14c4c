"""Decisions and action items typed by keyboard, undo, carried-over items, finalising."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _
from app.models import ActionItemStatus
from app.services.minutes import TopView, carried_action_items, load_minutes
from app.services.tasks_overview import list_tasks
from tests.helpers.minutes_window import AUFTAKT, WAIT_MS, EditorFactory, meeting_id

WINTER = "Netzwerktreffen der Impuls.Ag – Winter 2026/27"


def top_of(db: Database, meeting: int, agenda_item_id: int) -> TopView:
    return next(t for t in load_minutes(db, meeting).tops if t.id == agenda_item_id)


def test_decision_with_votes_is_added_by_keyboard_and_undone(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    page = editor.page
    page.decision_input.setFocus()
    qtbot.keyClicks(page.decision_input, "Der Lenkungskreis tagt quartalsweise")
    qtbot.keyClick(page.decision_input, Qt.Key.Key_Tab)
    assert page.votes_yes.hasFocus()
    page.votes_yes.selectAll()
    qtbot.keyClicks(page.votes_yes, "12")
    page.votes_no.selectAll()
    qtbot.keyClicks(page.votes_no, "0")
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(page.votes_no, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    decisions = top_of(demo_db, meeting, top).decisions
    assert [
        (d.draft.text, d.draft.votes_yes, d.draft.votes_no, d.draft.votes_abstain)
        for d in decisions
    ] == [("Der Lenkungskreis tagt quartalsweise", 12, 0, None)]
    assert page.decision_model.rowCount() == 1
    assert page.decision_input.text() == ""  # ready for the next one
    assert page.decision_model.index(0, 1).data() == "12"
    assert page.decision_model.index(0, 3).data() == "–"

    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.undo()
    assert top_of(demo_db, meeting, top).decisions == ()
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.redo()
    assert len(top_of(demo_db, meeting, top).decisions) == 1


def test_decision_edited_in_the_table(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    editor.select_top(next(t.id for t in load_minutes(demo_db, meeting).tops if t.decisions))
    model = editor.page.decision_model
    old = model.row(0).draft.text
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        model.setData(model.index(0, 0), old + " (geändert)")
    assert model.row(0).draft.text == old + " (geändert)"
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.undo()
    assert model.row(0).draft.text == old


# The completer's popup asks the offscreen platform for things it cannot do.
@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise|grabbing|propagateSizeHints)")
def test_action_item_with_an_organisation_as_owner(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    owner = next(
        label
        for label, o in editor.entries.owners.items()
        if o.organisation_id is not None and label.isascii()
    )
    page = editor.page
    page.action_input.setFocus()
    qtbot.keyClicks(page.action_input, "Flyer drucken")
    page.owner_input.setFocus()
    qtbot.keyClicks(page.owner_input, owner)
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(page.owner_input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [action] = top_of(demo_db, meeting, top).actions
    assert action.draft.text == "Flyer drucken"
    assert action.draft.owner_organisation_id == editor.entries.owners[owner].organisation_id
    assert action.draft.owner_text == ""
    assert action.draft.due is None

    # A name nobody knows stays free text.
    page.action_input.setFocus()
    qtbot.keyClicks(page.action_input, "Raum buchen")
    page.owner_input.setFocus()
    qtbot.keyClicks(page.owner_input, "Hausmeister")
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(page.action_input, Qt.Key.Key_Return)
    actions = top_of(demo_db, meeting, top).actions
    assert (actions[1].draft.text, actions[1].draft.owner_text) == ("Raum buchen", "Hausmeister")

    # Done by its check box; undo opens it again.
    model = page.action_model
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        model.setData(
            model.index(0, 3), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    assert top_of(demo_db, meeting, top).actions[0].status.status is ActionItemStatus.DONE
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.undo()
    assert top_of(demo_db, meeting, top).actions[0].status.status is ActionItemStatus.OPEN


def test_models_pass_the_model_tester(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, qtmodeltester: ModelTester
) -> None:
    editor = make_editor(demo_db, meeting_id(demo_db, WINTER))
    view = editor.view()
    assert view is not None
    assert view.carried_agenda_item_id is not None
    editor.select_top(view.carried_agenda_item_id)
    qtmodeltester.check(editor.page.carried_model)
    qtmodeltester.check(editor.top_model)
    editor2 = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    editor2.select_top(next(t.id for t in editor2.view().tops if t.decisions and t.actions))  # type: ignore[union-attr]
    qtmodeltester.check(editor2.page.decision_model)
    qtmodeltester.check(editor2.page.action_model)
    qtmodeltester.check(editor2.photos.model)


def test_closing_a_carried_item_here_closes_it_everywhere(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, WINTER)
    editor = make_editor(demo_db, meeting)
    view = editor.view()
    assert view is not None
    assert view.carried_agenda_item_id is not None
    editor.select_top(view.carried_agenda_item_id)
    page = editor.page
    assert page.carried_shown()
    model = page.carried_model
    item = model.row(0)
    assert item.current_status is ActionItemStatus.OPEN
    assert item.id in {task.id for task in list_tasks(demo_db)}
    rect = page.carried_view.visualRect(model.index(0, model.DONE))
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        # The check box sits at the left of the cell.
        qtbot.mouseClick(
            page.carried_view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(rect.left() + 12, rect.center().y()),
        )
    assert item.id not in {task.id for task in list_tasks(demo_db)}
    carried = {c.id: c for c in carried_action_items(demo_db, meeting)}
    assert carried[item.id].done_in_meeting_id == meeting
    assert model.row(0).current_status is ActionItemStatus.DONE  # shown once more, as done


def test_finalising_locks_the_editors(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    assert not editor.page.notes.text.isReadOnly()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    assert load_minutes(demo_db, meeting).locked
    assert editor.page.notes.text.isReadOnly()
    assert not editor.page.decision_input.isEnabled()
    assert not editor.page.add_action_button.isEnabled()
    assert not editor.finalise_button.isEnabled()
    assert editor.correct_button.isEnabled()
    index = editor.page.decision_model.index(0, 0)
    if index.isValid():
        assert not editor.page.decision_model.flags(index) & Qt.ItemFlag.ItemIsEditable

    monkeypatch.setattr(
        "ui.minutes.steps.QInputDialog.getMultiLineText",
        lambda *a, **k: ("Tippfehler in TOP 2 berichtigt", True),
    )
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(editor.correct_button, Qt.MouseButton.LeftButton)
    info = load_minutes(demo_db, meeting).minutes
    assert info is not None
    assert info.correction
    assert info.change_summary.startswith("Tippfehler")
    assert not editor.page.notes.text.isReadOnly()


def test_final_minutes_are_approved_in_a_later_meeting(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    spring = meeting_id(demo_db, "Netzwerktreffen Impuls.Ag – Frühjahr 2023")
    autumn = meeting_id(demo_db, "Netzwerktreffen Impuls.Ag – Herbst 2023")
    editor = make_editor(demo_db, spring)
    assert editor.approve_button.isEnabled()
    offered: list[list[str]] = []

    def pick(
        _parent: object, _title: str, _label: str, items: list[str], *_args: object, **_kw: object
    ) -> tuple[str, bool]:
        offered.append(list(items))
        return next(item for item in items if "Herbst 2023" in item), True

    monkeypatch.setattr("ui.minutes.steps.QInputDialog.getItem", pick)
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(editor.approve_button, Qt.MouseButton.LeftButton)
    assert not any("Frühjahr 2023" in item for item in offered[0])  # only later meetings
    info = load_minutes(demo_db, spring).minutes
    assert info is not None
    assert info.approved_in_meeting_id == autumn
    assert not editor.approve_button.isEnabled()
    assert not editor.correct_button.isEnabled()


def test_text_typed_before_switching_meetings_is_saved(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    auftakt = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, auftakt)
    top = editor.current_top_id()
    assert top is not None
    notes = editor.page.notes.text
    notes.setFocus()
    qtbot.keyClicks(notes, "Letzte Worte")
    typed = notes.toPlainText()
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.open(demo_db, meeting_id(demo_db, WINTER))
    assert top_of(demo_db, auftakt, top).notes == typed
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.open(demo_db, auftakt)
    editor.select_top(top)
    assert editor.page.notes.text.toPlainText() == typed


def test_owner_typed_as_a_bare_name_and_delete_key_with_undo(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    meeting = meeting_id(demo_db, AUFTAKT)
    editor = make_editor(demo_db, meeting)
    top = editor.current_top_id()
    assert top is not None
    person = next(
        o
        for o in editor.entries.owners.values()
        if o.person_id is not None and o.name.isascii() and o.label != o.name
    )
    page = editor.page
    page.action_input.setText("Protokoll gegenlesen")
    page.owner_input.setText(person.name)  # without "(Organisation)"
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(page.add_action_button, Qt.MouseButton.LeftButton)
    [action] = top_of(demo_db, meeting, top).actions
    assert action.draft.owner_person_id == person.person_id

    page.action_view.setFocus()
    page.action_view.setCurrentIndex(page.action_model.index(0, 0))
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(page.action_view, Qt.Key.Key_Delete)
    assert top_of(demo_db, meeting, top).actions == ()
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.keyClick(page.action_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [restored] = top_of(demo_db, meeting, top).actions
    assert restored.id == action.id
    assert restored.draft == action.draft


def test_entries_of_a_removed_top_get_a_tab_of_their_own(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    from app.services.agenda import remove_item

    meeting = meeting_id(demo_db, AUFTAKT)
    top = next(t for t in load_minutes(demo_db, meeting).tops if t.decisions and t.depth == 0)
    remove_item(demo_db, top.id)
    editor = make_editor(demo_db, meeting)
    panel = editor.unassigned
    assert editor.tabs.indexOf(panel) >= 0
    assert panel.decision_model.rowCount() == len(top.decisions)
    assert panel.decision_model.row(0).draft == top.decisions[0].draft
    assert not panel.decision_model.flags(panel.decision_model.index(0, 0)) & (
        Qt.ItemFlag.ItemIsEditable
    )


def test_no_extra_tab_without_such_entries(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    editor = make_editor(demo_db, meeting_id(demo_db, AUFTAKT))
    assert editor.tabs.indexOf(editor.unassigned) < 0


def test_a_cancelled_meeting_has_no_minutes_to_type(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    from app.services.planning.lifecycle import cancel_meeting

    meeting = meeting_id(demo_db, WINTER)
    cancel_meeting(demo_db, meeting)
    editor = make_editor(demo_db, meeting)
    assert editor.page.notes.text.isReadOnly()
    assert not editor.page.decision_input.isEnabled()
    assert not editor.finalise_button.isEnabled()
    assert editor.banner.text() == _("The meeting was cancelled; it has no minutes.")
