"""“Wer ist zu sehen?” in the minutes' photo tab, driven by clicks and typing on the demo.

The kick-off meeting has the group photo (seven people who consented are recorded on it) and
the small-group photo (with the walk-in guest Yusuf Demirci, who refused).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Photo, photo_subjects
from app.services.press.photos import photo_clearances
from tests.gui.minutes.conftest import AUFTAKT, WAIT_MS, EditorFactory, meeting_id
from ui.minutes.minutes_editor import MinutesEditor
from ui.minutes.pictured_panel import PicturedPanel
from ui.palette import Tone, colour
from ui.projects.press_editor import PressEditor
from ui.tasks import TaskRunner

GROUP = "auftakt-gruppenfoto.jpg"
SMALL = "auftakt-kleingruppe.jpg"
CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked


def photo_ids(db: Database, meeting: int) -> dict[str, int]:
    with db.read() as session:
        return dict(
            session.execute(
                select(Photo.filename, Photo.id).where(Photo.meeting_id == meeting)
            ).all()
        )


def stored(db: Database, photo_id: int) -> tuple[bool, set[int]]:
    """(who is pictured was recorded, the recorded attendance ids) as the database has it."""
    with db.read() as session:
        photo = session.get(Photo, photo_id)
        assert photo is not None
        rows = set(
            session.scalars(
                select(photo_subjects.c.attendance_id).where(photo_subjects.c.photo_id == photo_id)
            )
        )
        return photo.subjects_recorded, rows


def open_photos(make_editor: EditorFactory, db: Database) -> tuple[MinutesEditor, int]:
    meeting = meeting_id(db, AUFTAKT)
    editor = make_editor(db, meeting)
    editor.tabs.setCurrentWidget(editor.photos)
    return editor, meeting


def row_named(panel: PicturedPanel, name: str) -> QModelIndex:
    """The (filtered) index of the person *name* in the list, first column."""
    proxy = panel.filter
    for number in range(proxy.rowCount()):
        index = proxy.index(number, 0)
        if index.data().startswith(name):
            return index
    raise AssertionError(f"{name} is not shown")


def click_check_box(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """Click where the check box of *index* is drawn, as the user does."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_tick_a_refusing_person_save_undo_redo(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory, qtmodeltester: ModelTester
) -> None:
    editor, meeting = open_photos(make_editor, demo_db)
    photos = editor.photos
    panel = photos.pictured
    group = photo_ids(demo_db, meeting)[GROUP]
    before = stored(demo_db, group)
    assert before[0]
    assert len(before[1]) == 7
    # The first photo is chosen; those recorded on it come first, ticked.
    assert photos.current_photo_id() == group
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.filter)
    assert panel.model.checked_ids() == before[1]
    assert {panel.model.row(n).attendance_id for n in range(7)} == before[1]
    assert panel.status.text() == "Erfasst: 7 von 37 Anwesenden sind zu sehen."
    assert not panel.warning.isVisible()
    assert not panel.save_button.isEnabled()
    group_row = photos.model.row_of(group)
    assert group_row is not None
    assert photos.model.index(group_row, 3).data() == "erlaubt"
    assert photos.model.index(group_row, 3).data(Qt.ItemDataRole.ForegroundRole) == colour(
        Tone.POSITIVE
    )

    # Search, then tick with the space key.
    qtbot.keyClicks(panel.search, "kaya")
    assert panel.filter.rowCount() == 1
    kaya = panel.filter.index(0, 0)
    assert kaya.data() == "Şükrü Kaya"
    consent = panel.filter.index(0, 2)
    assert consent.data() == "verweigert"
    assert consent.data(Qt.ItemDataRole.ForegroundRole) == colour(Tone.NEGATIVE)
    assert "Im Verzeichnis: abgelehnt oder widerrufen" in consent.data(Qt.ItemDataRole.ToolTipRole)
    panel.view.setFocus()
    panel.view.setCurrentIndex(kaya)
    qtbot.keyClick(panel.view, Qt.Key.Key_Space)
    assert kaya.data(Qt.ItemDataRole.CheckStateRole) == CHECKED
    assert panel.warning.isVisible()
    assert panel.warning.text() == (
        "Diese Aufnahme darf nicht veröffentlicht werden: Şükrü Kaya hat der "
        "Veröffentlichung nicht zugestimmt."
    )
    assert panel.unsaved.text() == "Geändert, noch nicht gespeichert."
    assert stored(demo_db, group) == before  # nothing is saved before "Save"

    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    kaya_id = next(a.attendance_id for a in panel.model.people() if a.name == "Şükrü Kaya")
    assert stored(demo_db, group) == (True, before[1] | {kaya_id})
    assert photos.current_photo_id() == group  # the reload keeps the chosen photo
    assert photos.model.index(group_row, 3).data() == "nicht erlaubt"
    assert not panel.save_button.isEnabled()
    assert panel.unsaved.text() == ""
    assert panel.warning.isVisible()  # what is stored now forbids publication
    assert panel.status.text() == "Erfasst: 8 von 37 Anwesenden sind zu sehen."
    assert editor.undo_action.text().endswith("Abgebildete Personen ändern")

    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.undo()
    assert stored(demo_db, group) == before
    assert panel.model.checked_ids() == before[1]
    assert photos.model.index(group_row, 3).data() == "erlaubt"
    assert not panel.warning.isVisible()
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        editor.undo_stack.redo()
    assert stored(demo_db, group) == (True, before[1] | {kaya_id})


def test_nobody_recognisable_makes_the_refused_photo_available(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    editor, meeting = open_photos(make_editor, demo_db)
    photos = editor.photos
    panel = photos.pictured
    small = photo_ids(demo_db, meeting)[SMALL]
    small_row = photos.model.row_of(small)
    assert small_row is not None
    click_row(qtbot, photos.view, small_row)
    assert photos.current_photo_id() == small
    assert photos.model.index(small_row, 3).data() == "nicht erlaubt"
    assert panel.warning.isVisible()
    assert "Yusuf Demirci hat der Veröffentlichung nicht zugestimmt" in panel.warning.text()
    assert row_named(panel, "Yusuf Demirci").data() == "Yusuf Demirci (Gast)"

    qtbot.mouseClick(panel.nobody, Qt.MouseButton.LeftButton)
    assert panel.nobody.isChecked()
    assert panel.model.checked_ids() == frozenset()
    assert not row_named(panel, "Yusuf").flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert not panel.all_button.isEnabled()
    assert not panel.warning.isVisible()  # nobody on it: nobody refused
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert stored(demo_db, small) == (True, set())
    assert photos.model.index(small_row, 3).data() == "erlaubt"
    assert panel.status.text() == "Erfasst: Auf diesem Foto ist niemand erkennbar zu sehen."
    cleared = {c.photo_id: c for c in photo_clearances(demo_db, meeting)}
    assert cleared[small].usable

    # The press editor now offers both photos (before: only the group photo).
    runner = TaskRunner()
    press = PressEditor(runner, demo_db, meeting)
    qtbot.addWidget(press)
    with qtbot.waitSignal(press.loaded, timeout=WAIT_MS):
        press.show()
    offered = {press.photo.itemData(n) for n in range(press.photo.count())}
    assert offered == {None, photo_ids(demo_db, meeting)[GROUP], small}
    assert not press.warning.isVisible()
    press.close()
    runner.shutdown()


def test_ticks_are_saved_when_another_photo_is_chosen(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    editor, meeting = open_photos(make_editor, demo_db)
    photos = editor.photos
    panel = photos.pictured
    ids = photo_ids(demo_db, meeting)
    before = stored(demo_db, ids[GROUP])
    qtbot.keyClicks(panel.search, "Demirci")
    yusuf = row_named(panel, "Yusuf Demirci")
    click_check_box(qtbot, panel.view, yusuf)
    assert yusuf.data(Qt.ItemDataRole.CheckStateRole) == CHECKED
    assert panel.is_dirty()
    small_row = photos.model.row_of(ids[SMALL])
    assert small_row is not None
    with qtbot.waitSignal(editor.written, timeout=WAIT_MS):
        click_row(qtbot, photos.view, small_row)
    yusuf_id = next(a.attendance_id for a in panel.model.people() if a.name == "Yusuf Demirci")
    assert stored(demo_db, ids[GROUP]) == (True, before[1] | {yusuf_id})
    assert photos.current_photo_id() == ids[SMALL]
    group_row = photos.model.row_of(ids[GROUP])
    assert group_row is not None
    assert photos.model.index(group_row, 3).data() == "nicht erlaubt"


def test_discard_and_tick_all_shown(
    qtbot: QtBot, demo_db: Database, make_editor: EditorFactory
) -> None:
    editor, meeting = open_photos(make_editor, demo_db)
    panel = editor.photos.pictured
    group = photo_ids(demo_db, meeting)[GROUP]
    before = stored(demo_db, group)
    qtbot.keyClicks(panel.search, "lehmheide")
    shown = {
        panel.model.row(panel.filter.mapToSource(panel.filter.index(n, 0)).row()).attendance_id
        for n in range(panel.filter.rowCount())
    }
    assert len(shown) >= 2
    assert all(
        "Lehmheide" in panel.filter.index(n, 1).data() for n in range(panel.filter.rowCount())
    )
    qtbot.mouseClick(panel.all_button, Qt.MouseButton.LeftButton)
    assert panel.model.checked_ids() == before[1] | shown
    assert panel.save_button.isEnabled()
    qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    assert panel.model.checked_ids() == before[1]
    assert not panel.save_button.isEnabled()
    assert not panel.discard_button.isEnabled()
    # Unticking everyone is no choice: "nobody" must be said with its own box.
    qtbot.mouseClick(panel.none_button, Qt.MouseButton.LeftButton)
    assert panel.model.checked_ids() == frozenset()
    assert not panel.save_button.isEnabled()
    assert panel.discard_button.isEnabled()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)  # disabled: nothing happens
    assert stored(demo_db, group) == before
    assert editor.undo_stack.count() == 0


def test_every_control_of_the_photo_tab_has_a_name(
    demo_db: Database, make_editor: EditorFactory
) -> None:
    from tests.gui.accessibility import accessible_name, unnamed_interactive_widgets

    editor, _meeting = open_photos(make_editor, demo_db)
    assert unnamed_interactive_widgets(editor.photos) == []
    panel = editor.photos.pictured
    assert accessible_name(panel.view) == "Anwesende: Haken Sie an, wer auf dem Foto zu sehen ist"
    assert accessible_name(panel.search) == "Anwesende durchsuchen"
