"""File ▸ Export contacts…: all people, or only those the search shows, in the background."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QRadioButton,
)
from pytestqt.qtbot import QtBot

from app.db import Database
from ui.main_window import MainWindow
from ui.network.export import ExportScopeDialog, PeopleInView, Scope, export_path
from ui.network.page import NetworkPage

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


def _page(window: MainWindow) -> NetworkPage:
    workspace = window.workspace()
    assert workspace is not None
    return workspace.network


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path, chosen_filter: str) -> None:
    def fake(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
        return str(path), chosen_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def answer_scope(qtbot: QtBot, scope: Scope, seen: list[list[str]]) -> None:
    """When the scope dialog shows, pick *scope* and press OK, as the user would."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportScopeDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append([radio.text() for radio in dialog.findChildren(QRadioButton)])
        radio = dialog.findChild(QRadioButton, f"scope-{scope.value}")
        assert radio is not None
        radio.click()
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        box.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_export_only_the_people_the_search_shows(
    open_and_wait: OpenAndWait,
    network_db: Database,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    page = _page(window)
    qtbot.keyClicks(page.search_field, "qb.example")
    qtbot.waitUntil(lambda: page.people_model().rowCount() == 3)
    shown = {page.people_model().index(r, 1).data() for r in range(3)}

    target = tmp_path / "Auswahl"  # typed without a suffix: the chosen format adds it
    save_as(monkeypatch, target, "CSV (*.csv)")
    seen: list[list[str]] = []
    answer_scope(qtbot, Scope.SHOWN, seen)
    window.menu_actions["export-contacts"].trigger()

    written = tmp_path / "Auswahl.csv"
    qtbot.waitUntil(lambda: written.exists() and not window.runner.is_busy(), timeout=WAIT_MS)
    assert len(seen[0]) == 2  # all people, or the three shown
    rows = read_csv(written)
    # Columns 2–4 of the export: title, first name, last name (as the list shows the name).
    names = {" ".join(v for v in list(row.values())[1:4] if v) for row in rows}
    assert names == shown
    assert "3" in window.statusBar().currentMessage()


def test_export_everyone_without_asking_when_nothing_is_filtered(
    open_and_wait: OpenAndWait,
    network_db: Database,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    target = tmp_path / "alle.vcf"
    save_as(monkeypatch, target, "CSV (*.csv)")  # the typed suffix wins over the filter
    window.menu_actions["export-contacts"].trigger()
    qtbot.waitUntil(lambda: target.exists() and not window.runner.is_busy(), timeout=WAIT_MS)
    assert target.read_text(encoding="utf-8").count("BEGIN:VCARD") == 8


def test_scope_choices_and_suffixes() -> None:
    view = PeopleInView(total=10, shown=(3, 1, 2), selected=(2,))
    assert view.filtered
    assert view.ids(Scope.ALL) is None
    assert view.ids(Scope.SHOWN) == (3, 1, 2)
    assert view.ids(Scope.SELECTED) == (2,)
    assert export_path("/x/liste", "Excel (*.xlsx)") == Path("/x/liste.xlsx")
    assert export_path("/x/liste.VCF", "CSV (*.csv)") == Path("/x/liste.VCF")
    assert export_path("/x/liste.v2", "vCard (*.vcf)") == Path("/x/liste.v2.vcf")


def test_scope_dialog_offers_the_narrowest_choice_first(qtbot: QtBot) -> None:
    dialog = ExportScopeDialog(PeopleInView(total=10, shown=(3, 1, 2), selected=(2,)))
    qtbot.addWidget(dialog)
    assert set(dialog.radios) == {Scope.ALL, Scope.SHOWN, Scope.SELECTED}
    assert dialog.scope() is Scope.SELECTED
    dialog.radios[Scope.ALL].click()
    assert dialog.scope() is Scope.ALL


def test_an_export_that_cannot_be_written_says_why(
    open_and_wait: OpenAndWait,
    network_db: Database,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    target = tmp_path / "gibt-es-nicht" / "kontakte.csv"
    save_as(monkeypatch, target, "CSV (*.csv)")
    window.menu_actions["export-contacts"].trigger()
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "contactsWarning") is not None, timeout=WAIT_MS
    )
    warning = window.findChild(QMessageBox, "contactsWarning")
    assert warning is not None
    assert "gibt-es-nicht" in warning.text()
    assert not target.exists()
    warning.close()
