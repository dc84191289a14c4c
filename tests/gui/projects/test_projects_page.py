"""The Projekte page and the press editor, driven by clicks and typing on the demo network."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.projects import list_projects, project_detail
from ui.projects.link_dialog import LinkMeetingDialog
from ui.projects.page import ProjectsPage
from ui.projects.press_editor import PressEditor
from ui.projects.report_dialog import FundingReportDialog
from ui.tasks import TaskRunner
from ui.widgets.fitting_scroll_area import FittingScrollArea

WAIT_MS = 15_000
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def page(qtbot: QtBot, demo_db: Database, runner: TaskRunner) -> ProjectsPage:
    widget = ProjectsPage(runner)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.set_database(demo_db)
    with qtbot.waitSignal(widget.detail_shown, timeout=WAIT_MS):
        widget.show()
    return widget


def _select(qtbot: QtBot, page: ProjectsPage, name: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.row(r).name.startswith(name))
    shown = page.detail()
    if shown is not None and shown.row.name.startswith(name):
        return
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.view.selectRow(row)


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    """Type *text*; characters QTest cannot type as keys (ä, €) arrive as input-method text."""
    widget.clear()  # type: ignore[attr-defined]
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            widget.insert(char)  # type: ignore[attr-defined]


def test_the_demo_projects_are_listed(page: ProjectsPage, qtmodeltester: object) -> None:
    names = [page.model.row(r).name for r in range(page.model.rowCount())]
    assert "Sportpark Mobil" in names
    assert any(name.startswith("Projekt 37F") for name in names)
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.links_model)  # type: ignore[attr-defined]


def test_create_a_project_by_typing(qtbot: QtBot, page: ProjectsPage, demo_db: Database) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, page.form.name, "Nachbarschaftsgärten <b>&")
    _type(qtbot, page.form.funder, "Stiftung Nachbarschaft")
    _type(qtbot, page.form.amount, "12.500,00 €")
    _type(qtbot, page.form.start, "01.01.2027")
    _type(qtbot, page.form.end, "31.12.2027")
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    row = next(r for r in list_projects(demo_db) if r.name == "Nachbarschaftsgärten <b>&")
    assert row.amount == Decimal("12500.00")
    assert row.funder == "Stiftung Nachbarschaft"
    assert page.detail() is not None
    assert page.detail().row.id == row.id
    assert page.status.text() == "Gespeichert."
    # Undo removes it again.
    with qtbot.waitSignal(page.writer.written, timeout=WAIT_MS):
        page.stack.undo()
    assert row.id not in {r.id for r in list_projects(demo_db)}


def test_bad_amount_or_date_saves_nothing(
    qtbot: QtBot, page: ProjectsPage, demo_db: Database
) -> None:
    _select(qtbot, page, "Sportpark Mobil")
    before = list_projects(demo_db)
    _type(qtbot, page.form.amount, "7,000")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "mehrdeutig" in page.status.text()
    _type(qtbot, page.form.amount, "")
    _type(qtbot, page.form.end, "31.02.2023")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "kein gültiges Datum" in page.status.text()
    _type(qtbot, page.form.end, "01.01.2020")
    with qtbot.waitSignal(page.message, timeout=WAIT_MS):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "endet, bevor er beginnt" in page.status.text() or "Zeitraum" in page.status.text()
    assert list_projects(demo_db) == before


def test_edit_and_undo(qtbot: QtBot, page: ProjectsPage, demo_db: Database) -> None:
    _select(qtbot, page, "VielFeld")
    project_id = page.detail().row.id
    _type(qtbot, page.form.reference, "VF-2021-07")
    quarters = page.form.quarters.model
    stahldorf = next(
        r for r in range(quarters.rowCount()) if quarters.index(r).data() == "Stahldorf"
    )
    quarters.setData(
        quarters.index(stahldorf), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    detail = project_detail(demo_db, project_id)
    assert detail.row.reference == "VF-2021-07"
    assert "Stahldorf" in detail.row.quarters
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.stack.undo()
    detail = project_detail(demo_db, project_id)
    assert detail.row.reference == ""
    assert "Stahldorf" not in detail.row.quarters
    assert page.form.reference.text() == ""


def test_link_a_top_by_clicking_and_remove_it(
    qtbot: QtBot, page: ProjectsPage, demo_db: Database
) -> None:
    _select(qtbot, page, "Ladenlokal Stahldorf")
    project_id = page.detail().row.id
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(page.link_button, Qt.MouseButton.LeftButton)
    dialog: LinkMeetingDialog = opened.args[0]
    autumn = next(
        r for r in range(dialog.model.rowCount()) if "Herbst 2023" in dialog.model.row(r).title
    )
    dialog.view.selectRow(autumn)
    tops = dialog.tops.model
    misc = next(r for r in range(tops.rowCount()) if tops.index(r).data().endswith("Verschiedenes"))
    tops.setData(tops.index(misc), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    detail = project_detail(demo_db, project_id)
    autumn_link = next(m for m in detail.meetings if "Herbst 2023" in m.title)
    assert [t.title for t in autumn_link.tops] == ["Verschiedenes"]
    assert not autumn_link.whole
    # Remove the link with the button, then undo brings it back.
    row = next(
        r
        for r in range(page.links_model.rowCount())
        if "Herbst 2023" in page.links_model.row(r).title
    )
    page.links.selectRow(row)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        qtbot.mouseClick(page.unlink_button, Qt.MouseButton.LeftButton)
    assert all("Herbst 2023" not in m.title for m in project_detail(demo_db, project_id).meetings)
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.stack.undo()
    assert any("Herbst 2023" in m.title for m in project_detail(demo_db, project_id).meetings)


def test_funding_report_dialog(qtbot: QtBot, page: ProjectsPage, tmp_path: Path) -> None:
    _select(qtbot, page, "Sport im Park")
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    dialog: FundingReportDialog = opened.args[0]
    assert dialog.start.text() == "01.05.2021"
    _type(qtbot, dialog.start, "01.01.2024")
    _type(qtbot, dialog.end, "31.12.2024")
    dialog.save(tmp_path / "leer.pdf")
    qtbot.waitUntil(lambda: "nichts zu berichten" in dialog.message.text(), timeout=WAIT_MS)
    assert not (tmp_path / "leer.pdf").exists()
    _type(qtbot, dialog.start, "01.01.2022")
    _type(qtbot, dialog.end, "31.12.2023")
    with qtbot.waitSignal(dialog.written, timeout=WAIT_MS):
        dialog.save(tmp_path / "bericht.pdf")
    assert (tmp_path / "bericht.pdf").stat().st_size > 10_000
    dialog.close()


def test_press_editor_edit_and_save(
    qtbot: QtBot, page: ProjectsPage, tmp_path: Path, demo_db: Database
) -> None:
    _select(qtbot, page, "Projekt 37F")
    page.links.selectRow(0)
    assert page.press_button.isEnabled()
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(page.press_button, Qt.MouseButton.LeftButton)
    editor: PressEditor = opened.args[0]
    qtbot.waitUntil(lambda: editor.headline.text() != "", timeout=WAIT_MS)
    assert editor.headline.text().startswith(AUFTAKT)
    # Only the photo nobody refused is offered, and the warning says so.
    offered = [editor.photo.itemData(i) for i in range(editor.photo.count())]
    assert len(offered) == 2  # "no photo" and the group photo
    assert editor.warning.isVisible()
    assert "nicht angeboten" in editor.warning.text()
    _type(qtbot, editor.headline, "Integration im Mittelpunkt <b>&")
    with qtbot.waitSignal(editor.issued, timeout=WAIT_MS):
        editor.export(".docx", tmp_path / "presse.docx")
    document = docx.Document(str(tmp_path / "presse.docx"))
    assert document.paragraphs[0].text == "Integration im Mittelpunkt <b>&"
    assert len(document.inline_shapes) == 1
    # No photo: the caption fields are cleared and disabled, the text file has no photo.
    editor.photo.setCurrentIndex(0)
    assert not editor.caption.isEnabled()
    with qtbot.waitSignal(editor.issued, timeout=WAIT_MS):
        editor.export(".txt", tmp_path / "presse.txt")
    assert "Bildunterschrift" not in (tmp_path / "presse.txt").read_text(encoding="utf-8")
    # English: a new draft.
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.language.setCurrentIndex(editor.language.findData("en"))
    assert "takes stock" in editor.headline.text()
    editor.close()


def test_press_editor_sends_eml_drafts(qtbot: QtBot, page: ProjectsPage, tmp_path: Path) -> None:
    _select(qtbot, page, "Projekt 37F")
    page.links.selectRow(0)
    with qtbot.waitSignal(page.dialog_opened, timeout=WAIT_MS) as opened:
        page.open_press_editor()
    editor: PressEditor = opened.args[0]
    qtbot.waitUntil(
        lambda: editor.save_docx.isEnabled() and editor.group.count() > 0, timeout=WAIT_MS
    )
    _type(qtbot, editor.addresses, "redaktion@zeitung.example; wdr@wdr.example")
    editor.via_eml.setChecked(True)
    editor.folder.setText(str(tmp_path / "eml"))
    with qtbot.waitSignal(editor.issued, timeout=WAIT_MS):
        qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    assert len(list((tmp_path / "eml").glob("*.eml"))) == 2
    assert "2" in editor.message.text()
    editor.close()


def test_press_editor_refuses_a_meeting_not_held(
    qtbot: QtBot, demo_db: Database, runner: TaskRunner
) -> None:
    from sqlalchemy import select

    from app.models import Meeting, MeetingState

    with demo_db.read() as session:
        upcoming = session.scalars(
            select(Meeting.id).where(Meeting.state == MeetingState.INVITED)
        ).one()
    editor = PressEditor(runner, demo_db, upcoming)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.failed, timeout=WAIT_MS) as failed:
        editor.show()
    assert "noch nicht stattgefunden" in failed.args[0]
    assert not editor.save_docx.isEnabled()


def test_the_page_is_a_tab_of_the_workspace(qtbot: QtBot, runner: TaskRunner) -> None:
    from ui.workspace import Workspace

    workspace = Workspace(runner)
    qtbot.addWidget(workspace)
    titles = [workspace.tabText(i) for i in range(workspace.count())]
    assert titles[-1] == "Projekte"
    page = workspace.projects  # built on first use, in its tab
    assert workspace.widget(workspace.count() - 1) is page


def _link_buttons(page: ProjectsPage) -> list[QPushButton]:
    return [page.link_button, page.unlink_button, page.press_button, page.scan_button]


def test_the_detail_fits_a_laptop_with_every_button_in_view(
    qtbot: QtBot, page: ProjectsPage
) -> None:
    """At 1366×768 (the page below menu, tabs and status bar) nothing scrolls: the lists
    and the table shrink before the link buttons leave the view."""
    page.resize(1350, 640)
    area = page.findChild(FittingScrollArea)
    assert area is not None
    qtbot.waitUntil(lambda: area.viewport().height() < 640, timeout=WAIT_MS)
    qtbot.wait(20)  # the layout pass after the resize
    assert not area.verticalScrollBar().isVisible()
    assert not area.horizontalScrollBar().isVisible()
    viewport = area.viewport().rect()
    for button in _link_buttons(page):
        corner = button.mapTo(area.viewport(), button.rect().topLeft())
        assert viewport.contains(button.rect().translated(corner)), button.text()


def test_a_narrow_detail_wraps_the_link_buttons_instead_of_scrolling_sideways(
    qtbot: QtBot, page: ProjectsPage
) -> None:
    page.resize(900, 640)
    area = page.findChild(FittingScrollArea)
    assert area is not None
    qtbot.wait(20)
    assert not area.horizontalScrollBar().isVisible()
    buttons = _link_buttons(page)
    assert len({button.y() for button in buttons}) >= 2  # more than one line
    detail = area.widget()
    assert detail is not None
    for number, button in enumerate(buttons):
        assert button.parentWidget() is detail
        assert detail.rect().contains(button.geometry())
        for other in buttons[number + 1 :]:
            assert not button.geometry().intersects(other.geometry())
