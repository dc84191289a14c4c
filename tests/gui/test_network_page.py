"""The network page as a user drives it: search, organisation filter, details, sorting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _
from ui.main_window import MainWindow
from ui.network.page import NetworkPage
from ui.widgets.tables import TableView

OpenAndWait = Callable[[Path], MainWindow]


def _page(window: MainWindow) -> NetworkPage:
    workspace = window.workspace()
    assert workspace is not None
    return workspace.network


def shown_names(page: NetworkPage) -> list[str]:
    model = page.people_model()
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def click_row(qtbot: QtBot, view: TableView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_people_are_listed_in_german_order(
    open_and_wait: OpenAndWait, network_db: Database
) -> None:
    page = _page(open_and_wait(network_db.path))
    names = shown_names(page)
    # Last name first, Ä sorted with A (not after Z), Ö with O.
    assert names[:2] == ["Peter Adler", "Renée Ährenfeld"]
    assert (
        names.index("Jürgen Müller") < names.index("Zoë Öztürk-Weiß") < names.index("Ayşe Yılmaz")
    )
    assert len(names) == 8


def test_search_ignores_case_and_accents(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    qtbot.keyClicks(page.search_field, "muller")
    qtbot.waitUntil(lambda: shown_names(page) == ["Jürgen Müller"])

    page.search_field.clear()
    qtbot.keyClicks(page.search_field, "AYSE")
    qtbot.waitUntil(lambda: shown_names(page) == ["Ayşe Yılmaz"])


def test_every_search_term_must_match(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    qtbot.keyClicks(page.search_field, "lehmheide")  # the quarter of the organisation
    qtbot.waitUntil(lambda: len(shown_names(page)) == 3)
    qtbot.keyClicks(page.search_field, " nguyen")
    qtbot.waitUntil(lambda: shown_names(page) == ["Thị Mai Nguyễn"])
    qtbot.keyClicks(page.search_field, " petrova")
    qtbot.waitUntil(lambda: shown_names(page) == [])
    assert "petrova" in page.people_view.empty_text()


def type_text(widget: QWidget, text: str) -> None:
    """Type like a Cyrillic or Arabic keyboard layout does: key events that carry the text.

    ``qtbot.keyClicks`` maps characters to Latin key codes and aborts on other scripts.
    """
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def test_search_finds_cyrillic_and_arabic_names(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    type_text(page.search_field, "анна")
    qtbot.waitUntil(lambda: shown_names(page) == ["Анна Петрова"])
    page.search_field.clear()
    type_text(page.search_field, "نور")
    qtbot.waitUntil(lambda: shown_names(page) == ["نور الهدى"])


def test_clicking_an_organisation_filters_the_people(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    organisations = page.organisation_model()
    row = next(
        number
        for number in range(organisations.rowCount())
        if organisations.row(number).name.startswith("SV Blau-Weiß")
    )
    click_row(qtbot, page.organisation_view, row)
    qtbot.waitUntil(lambda: sorted(shown_names(page)) == ["Jürgen Müller", "Peter Adler"])
    assert page.all_organisations_button.isVisible()
    assert "SV Blau-Weiß" in page.filter_label.text()

    # Search works within the organisation.
    qtbot.keyClicks(page.search_field, "peter")
    qtbot.waitUntil(lambda: shown_names(page) == ["Peter Adler"])
    page.search_field.clear()

    qtbot.mouseClick(page.all_organisations_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 8)
    assert not page.all_organisations_button.isVisible()
    assert page.organisation_view.selectionModel().selectedRows() == []


def test_organisation_table_shows_kind_quarters_and_people_count(
    open_and_wait: OpenAndWait, network_db: Database
) -> None:
    page = _page(open_and_wait(network_db.path))
    model = page.organisation_model()
    rows = {
        model.index(r, 0).data(): [model.index(r, c).data() for c in range(4)]
        for r in range(model.rowCount())
    }
    assert rows["Quartiersbüro Lehmheide"][1:] == [_("Neighbourhood office"), "Lehmheide", "3"]
    assert rows["Gemeinschaftsunterkunft Wehrhahnweg"][3] == "2"


def test_selecting_a_person_shows_details(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    qtbot.keyClicks(page.search_field, "yilmaz")
    qtbot.waitUntil(lambda: shown_names(page) == ["Ayşe Yılmaz"])
    click_row(qtbot, page.people_view, 0)
    qtbot.waitUntil(lambda: page.details.value("name") == "Ayşe Yılmaz")
    details = page.details
    assert details.value("organisation") == "Quartiersbüro Lehmheide"
    assert "ayse.yilmaz@qb.example" in details.value("emails")
    assert "a.yilmaz@privat.example" in details.value("emails")
    assert details.value("groups") == "Impuls.Ag"
    assert details.value("consent_email").endswith(_("given"))
    assert details.value("consent_photos").endswith(_("not recorded"))


def test_consent_column_shows_the_latest_statement(
    open_and_wait: OpenAndWait, network_db: Database
) -> None:
    page = _page(open_and_wait(network_db.path))
    model = page.people_model()
    by_name = {model.index(r, 1).data(): model.index(r, 0) for r in range(model.rowCount())}
    # Müller gave consent, then withdrew it: the withdrawal counts.
    assert by_name["Jürgen Müller"].data() == "✘"
    assert _("withdrawn") in by_name["Jürgen Müller"].data(Qt.ItemDataRole.ToolTipRole)
    assert by_name["Ayşe Yılmaz"].data() == "✔"
    assert by_name["Peter Adler"].data() == "–"


def test_clicking_the_name_header_sorts_descending_the_german_way(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot
) -> None:
    page = _page(open_and_wait(network_db.path))
    header = page.people_view.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(1) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == 1)
    ascending = shown_names(page)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.waitUntil(lambda: shown_names(page) == list(reversed(ascending)))
    assert shown_names(page)[-2:] == ["Renée Ährenfeld", "Peter Adler"]


def test_empty_database_shows_empty_states(open_and_wait: OpenAndWait, db: Database) -> None:
    page = _page(open_and_wait(db.path))
    assert page.people_model().rowCount() == 0
    assert page.people_view.empty_text() == _("No people yet.")
    assert page.organisation_view.empty_text() == _("No organisations yet.")
