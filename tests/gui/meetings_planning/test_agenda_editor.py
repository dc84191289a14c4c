"""The agenda editor: drag and drop, keyboard structure edits, inline edits, undo/redo."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.models import ActionItem, ActionItemStatus, Meeting
from app.services.agenda import get_agenda
from app.services.planning import MeetingDraft, cancel_meeting, create_meeting
from app.services.standard_agenda import add_standard_agenda
from tests.helpers.planning_window import WAIT_MS, Planned, stored_order
from ui.meetings.agenda_editor import AgendaEditor
from ui.meetings.agenda_model import COL_MINUTES, COL_TITLE
from ui.tasks import TaskRunner

INITIAL = [
    ("1", "Begrüßung", "18:00"),
    ("2", "Projekte", "18:10"),
    ("2.1", "Sport im Park", "18:40"),
    ("3", "Verschiedenes", "18:50"),
]


def open_editor(qtbot: QtBot, runner: TaskRunner, planned: Planned, editable: bool = True):
    editor = AgendaEditor(runner)
    qtbot.addWidget(editor)
    editor.resize(1000, 500)
    editor.show()
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.show_meeting(planned.db, planned.meeting_id, editable=editable)
    return editor


def wait_for_change(qtbot: QtBot, editor: AgendaEditor, action) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        action()


def shown(editor: AgendaEditor) -> list[tuple[str, str, str]]:
    model = editor.model
    rows = []

    def walk(parent) -> None:  # type: ignore[no-untyped-def]
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            rows.append(
                (
                    index.data(),
                    model.index(row, COL_TITLE, parent).data(),
                    model.index(row, 1, parent).data(),
                )
            )
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return rows


def test_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    qtmodeltester.check(editor.model)
    assert shown(editor) == INITIAL


def test_drop_through_the_model_moves_and_recomputes_start_times(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    model = editor.model
    editor.select_item(planned.items["misc"])
    data = model.mimeData([model.index_of(planned.items["misc"])])
    # Drop "Verschiedenes" before "Begrüßung" (row 0 at the top level).
    wait_for_change(
        qtbot,
        editor,
        lambda: model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1)),
    )
    expected = [
        ("1", "Verschiedenes", "18:00"),
        ("2", "Begrüßung", "18:15"),
        ("3", "Projekte", "18:25"),
        ("3.1", "Sport im Park", "18:55"),
    ]
    assert stored_order(planned.db, planned.meeting_id) == expected
    assert shown(editor) == expected


def drop_on_viewport(editor: AgendaEditor, data: QMimeData, point: QPoint) -> None:
    event = QDropEvent(
        point.toPointF(),
        Qt.DropAction.MoveAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # A new event starts accepted; the view only handles a drop nobody has taken yet.
    event.setAccepted(False)
    event.setDropAction(Qt.DropAction.MoveAction)  # no platform drag here to pick it
    # Straight to the view's handler: the offscreen platform has no drag manager to route it.
    editor.view.dropEvent(event)


def test_drop_event_on_the_view_onto_an_item_makes_it_a_sub_item(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    view, model = editor.view, editor.model
    data = model.mimeData([model.index_of(planned.items["misc"])])
    target = view.visualRect(model.index_of(planned.items["welcome"], COL_TITLE))
    wait_for_change(qtbot, editor, lambda: drop_on_viewport(editor, data, target.center()))
    assert stored_order(planned.db, planned.meeting_id) == [
        ("1", "Begrüßung", "18:00"),
        ("1.1", "Verschiedenes", "18:10"),
        ("2", "Projekte", "18:25"),
        ("2.1", "Sport im Park", "18:55"),
    ]


def test_drop_event_above_an_item_inserts_before_it(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    view, model = editor.view, editor.model
    data = model.mimeData([model.index_of(planned.items["welcome"])])
    target = view.visualRect(model.index_of(planned.items["misc"], COL_TITLE))
    wait_for_change(
        qtbot,
        editor,
        lambda: drop_on_viewport(editor, data, QPoint(target.center().x(), target.top() + 1)),
    )
    assert [t for _n, t, _s in stored_order(planned.db, planned.meeting_id)] == [
        "Projekte",
        "Sport im Park",
        "Begrüßung",
        "Verschiedenes",
    ]


def test_drop_into_its_own_sub_items_is_refused(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    model = editor.model
    data = model.mimeData([model.index_of(planned.items["projects"])])
    sport = model.index_of(planned.items["sport"])
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, sport)
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, sport)
    assert stored_order(planned.db, planned.meeting_id) == INITIAL


def test_keyboard_indent_outdent_and_move_with_undo_redo(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    view = editor.view
    view.setFocus()
    editor.select_item(planned.items["misc"])
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(view, Qt.Key.Key_Tab))
    assert stored_order(planned.db, planned.meeting_id)[-1] == ("2.2", "Verschiedenes", "18:50")
    assert editor.current_entry().id == planned.items["misc"]
    wait_for_change(
        qtbot,
        editor,
        lambda: qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier),
    )
    assert stored_order(planned.db, planned.meeting_id)[2:] == [
        ("2.1", "Verschiedenes", "18:40"),
        ("2.2", "Sport im Park", "18:55"),
    ]
    wait_for_change(
        qtbot,
        editor,
        lambda: qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier),
    )
    # Outdented: right after its former parent, the rest stays below the parent.
    assert [t for _n, t, _s in stored_order(planned.db, planned.meeting_id)] == [
        "Begrüßung",
        "Projekte",
        "Sport im Park",
        "Verschiedenes",
    ]
    assert editor.undo_stack.count() == 3
    for _step in range(3):
        wait_for_change(
            qtbot,
            editor,
            lambda: qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
        )
    assert stored_order(planned.db, planned.meeting_id) == INITIAL
    assert shown(editor) == INITIAL
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(view, Qt.Key.Key_Z, redo))
    assert stored_order(planned.db, planned.meeting_id)[-1] == ("2.2", "Verschiedenes", "18:50")


def test_indenting_the_first_item_is_refused_with_a_message_and_no_undo_step(
    qtbot: QtBot, runner: TaskRunner, planned: Planned, no_message_boxes: list
) -> None:
    editor = open_editor(qtbot, runner, planned)
    editor.select_item(planned.items["welcome"])
    with qtbot.waitSignal(editor.failed, timeout=WAIT_MS):
        editor.key_action("indent")
    assert no_message_boxes
    assert no_message_boxes[0][0] == "warning"
    assert editor.undo_stack.count() == 0
    assert stored_order(planned.db, planned.meeting_id) == INITIAL


def test_remove_with_delete_and_undo_restores_the_sub_items(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    editor.view.setFocus()
    editor.select_item(planned.items["projects"])
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(editor.view, Qt.Key.Key_Delete))
    assert stored_order(planned.db, planned.meeting_id) == [
        ("1", "Begrüßung", "18:00"),
        ("2", "Verschiedenes", "18:10"),
    ]
    wait_for_change(qtbot, editor, editor.undo_stack.undo)
    assert stored_order(planned.db, planned.meeting_id) == INITIAL
    ids = [e.id for e in get_agenda(planned.db, planned.meeting_id).entries]
    assert planned.items["sport"] in ids


def test_inline_edit_of_minutes_updates_start_times_and_flags_the_overrun(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    assert editor.summary.property("overruns") is False
    index = editor.model.index_of(planned.items["welcome"], COL_MINUTES)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    spin = editor.view.indexWidget(index) or QApplication.focusWidget()
    spin.selectAll()
    qtbot.keyClicks(spin, "40")
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(spin, Qt.Key.Key_Return))
    assert stored_order(planned.db, planned.meeting_id)[1] == ("2", "Projekte", "18:40")
    assert shown(editor)[3] == ("3", "Verschiedenes", "19:20")
    # 40 + 30 + 10 + 15 = 95 minutes in a 90-minute meeting.
    assert editor.summary.property("overruns") is True
    assert "19:35" in editor.summary.text()
    wait_for_change(qtbot, editor, editor.undo_stack.undo)
    assert stored_order(planned.db, planned.meeting_id) == INITIAL
    assert editor.summary.property("overruns") is False


def test_add_item_opens_the_title_for_typing(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    editor = open_editor(qtbot, runner, planned)
    editor.view.setFocus()
    editor.select_item(planned.items["welcome"])
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(editor.view, Qt.Key.Key_Insert))
    editor_widget = QApplication.focusWidget()
    qtbot.keyClicks(editor_widget, "Vorstellungsrunde")
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(editor_widget, Qt.Key.Key_Return))
    titles = [t for _n, t, _s in stored_order(planned.db, planned.meeting_id)]
    assert titles[:2] == ["Begrüßung", "Vorstellungsrunde"]


def test_cancelled_meeting_is_read_only(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> None:
    cancel_meeting(planned.db, planned.meeting_id)
    editor = open_editor(qtbot, runner, planned, editable=False)
    model = editor.model
    index = model.index_of(planned.items["welcome"], COL_TITLE)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not editor.buttons["add"].isEnabled()
    editor.key_action("remove")
    assert not runner.is_busy()
    assert stored_order(planned.db, planned.meeting_id) == INITIAL


def test_open_action_items_are_listed_under_their_top(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    db = planned.db
    earlier = create_meeting(db, MeetingDraft(title="Vortreffen", start=planned_start(-30)))
    with db.write() as session:
        meeting = session.get(Meeting, earlier)
        assert meeting is not None
        session.add(
            ActionItem(
                meeting=meeting, text="Flyer drucken", status=ActionItemStatus.OPEN, position=1
            )
        )
    add_standard_agenda(db, planned.meeting_id, "de")
    editor = open_editor(qtbot, runner, planned)
    entry = next(e for e in editor.model.entries() if e.row.lists_open_action_items)
    editor.select_item(entry.id)
    assert editor.open_items_view.isVisible()
    assert [r.text for r in editor.open_items_model.rows()] == ["Flyer drucken"]
    editor.select_item(planned.items["welcome"])
    assert not editor.open_items_view.isVisible()


def planned_start(days: int):  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta

    return datetime(2026, 5, 4, 18, 0) + timedelta(days=days)


def test_side_pane_saves_presenter_and_description_undoably(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    from app.services.directory import list_people

    editor = open_editor(qtbot, runner, planned)
    editor.set_people(list_people(planned.db))
    editor.select_item(planned.items["sport"])
    combo = editor.presenter_person
    combo.setCurrentIndex(combo.findText("Peter Adler (SV Blau-Weiß Stahldorf 1911 e. V.)"))
    editor.presenter_text.setText("Sport im Park")
    editor.description.setPlainText("Rückblick auf die Saison")
    wait_for_change(qtbot, editor, editor.save_details.click)
    entry = next(
        e
        for e in get_agenda(planned.db, planned.meeting_id).entries
        if e.id == planned.items["sport"]
    )
    assert entry.row.presenter == "Peter Adler (Sport im Park)"
    assert entry.row.description == "Rückblick auf die Saison"
    wait_for_change(qtbot, editor, editor.undo_stack.undo)
    entry = next(
        e
        for e in get_agenda(planned.db, planned.meeting_id).entries
        if e.id == planned.items["sport"]
    )
    assert entry.presenter_id is None
    assert entry.row.description == ""


def test_ctrl_arrows_indent_and_outdent(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> None:
    editor = open_editor(qtbot, runner, planned)
    editor.view.setFocus()
    editor.select_item(planned.items["projects"])
    ctrl = Qt.KeyboardModifier.ControlModifier
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(editor.view, Qt.Key.Key_Right, ctrl))
    assert stored_order(planned.db, planned.meeting_id)[:3] == [
        ("1", "Begrüßung", "18:00"),
        ("1.1", "Projekte", "18:10"),
        ("1.1.1", "Sport im Park", "18:40"),
    ]
    wait_for_change(qtbot, editor, lambda: qtbot.keyClick(editor.view, Qt.Key.Key_Left, ctrl))
    assert stored_order(planned.db, planned.meeting_id) == INITIAL
