"""File ▸ Import contacts… as a user does it: choose a file, correct a column, import."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.contacts import Field, field_label
from app.db import Database
from app.models import Person
from app.services.directory import list_organisations, list_people
from ui.main_window import MainWindow
from ui.network import import_dialog
from ui.network.duplicates_dialog import DuplicatesDialog
from ui.network.import_dialog import ImportDialog
from ui.network.import_models import MappingModel

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000

# Excel "CSV UTF-8" with German headers; row 4 has a broken address, row 5 no person but the
# shelter's own address (imported as the organisation).
LIST = (
    "\ufeffEinrichtung;Ansprechperson;Funktion;E-Mail;Telefon;Quartier;"
    "Bemerkung zur bisherigen Zusammenarbeit im Netzwerk\r\n"
    "Quartiersbüro Lehmheide;Dr. Ayşe Yılmaz;Quartiersmanagerin;ayse.yilmaz@qb.example;"
    "030 555 0303;Lehmheide;Seit 2022 dabei\r\n"
    "Sportpark Mobil;Yılmaz, Emre;Trainer;emre@sportpark-mobil.example;;Gatherhof;\r\n"
    "Elternverein Gatherhof;Ольга Петрова;Vorsitzende;olga.petrova(at)example.org;;Gatherhof;"
    "Adresse falsch\r\n"
    "Gemeinschaftsunterkunft Wehrhahnweg;;Leitung;leitung@gu.example;;Stahldorf;Name fehlt\r\n"
    "VielFeld e.V.;Trần Văn Minh;Projektleitung;mai@vielfeld.example;0176 1112223;"
    "Schinkenplatz;Sprachmittlung Vietnamesisch\r\n"
)
NOTES_COLUMN = 6


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "Netzwerkliste.csv"
    path.write_text(LIST, encoding="utf-8", newline="")
    return path


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    def fake(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))


def open_import(window: MainWindow, qtbot: QtBot) -> ImportDialog:
    window.menu_actions["import-contacts"].trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        pass  # the file is read and checked in the background
    return dialog


def person_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def choose_field(qtbot: QtBot, dialog: ImportDialog, column: int, target: Field | None) -> None:
    """Click the "Import as" cell of a file column and pick the field in its combo box."""
    view = dialog.mapping_view
    index = dialog.mapping_model.index(column, MappingModel.FIELD)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    combo = view.findChild(QComboBox, "fieldChoice")
    assert combo is not None, "clicking the cell opens the field choice"
    if target is None:
        qtbot.keyClick(combo, Qt.Key.Key_Home)  # "(do not import)" is the first choice
    else:
        # Type-ahead selects and applies (a space would open the popup instead).
        assert " " not in field_label(target)
        qtbot.keyClicks(combo, field_label(target))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    runner = dialog._runner
    qtbot.waitUntil(
        lambda: dialog.mapping_model.mapping()[column] is target and not runner.is_busy(),
        timeout=WAIT_MS,
    )


def test_semicolon_csv_through_the_preview(
    open_and_wait: OpenAndWait,
    network_db: Database,
    csv_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    before = person_count(network_db)
    choose_file(monkeypatch, csv_file)
    dialog = open_import(window, qtbot)

    assert dialog.page() == ImportDialog.PREVIEW
    assert "CSV" in dialog.format_label.text()
    assert ";" in dialog.format_label.text()
    mapping = dialog.mapping_model.mapping()
    assert mapping[:4] == (Field.ORGANISATION, Field.FULL_NAME, Field.FUNCTION, Field.EMAIL)
    assert mapping[NOTES_COLUMN] is None  # the long header means nothing to the importer
    assert dialog.preview_model.rowCount() == 5

    choose_field(qtbot, dialog, NOTES_COLUMN, Field.NOTES)
    assert dialog.mapping_model.mapping()[NOTES_COLUMN] is Field.NOTES
    assert field_label(Field.NOTES) in dialog.preview_model.headerData(
        NOTES_COLUMN, Qt.Orientation.Horizontal
    )

    # The rows that cannot be imported are listed with their row number and reason.
    rejected = dialog.rejected_model.rows()
    assert [line.number for line in rejected] == [4]
    assert "olga.petrova(at)example.org" in rejected[0].reason
    assert dialog.valid_count() == 4
    forecast = dialog.forecast()  # the dry run: what importing would do
    assert forecast is not None
    assert (forecast.created, forecast.updated) == (2, 1)
    assert forecast.entity_outcome.organisations.updated == 1  # the shelter's own address
    assert "Organisationen: 0 neu, 1 aktualisiert" in dialog.summary_label.text()
    assert person_count(network_db) == before  # nothing written by the preview

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.page() == ImportDialog.RESULT
    outcome = dialog.outcome()
    assert outcome is not None
    assert outcome.result.created == 2  # Ayşe is matched by her address and updated
    assert outcome.result.updated == 1
    assert [r.row for r in outcome.result.rejected] == [4]
    assert dialog.result_rejected_model.rowCount() == 1
    shelter = {o.name: o for o in list_organisations(network_db)}[
        "Gemeinschaftsunterkunft Wehrhahnweg"
    ]
    assert shelter.email == "leitung@gu.example"

    people = {p.name: p for p in list_people(network_db)}
    assert person_count(network_db) == before + 2
    assert people["Emre Yılmaz"].organisation == "Sportpark Mobil"
    assert people["Trần Văn Minh"].phones == ("0176 1112223",)
    assert "Ольга Петрова" not in people
    with network_db.read() as session:
        notes = session.scalar(select(Person.notes).where(Person.last_name == "Minh"))
    assert notes == "Sprachmittlung Vietnamesisch"  # the corrected column was imported

    # The people list reloads with the new people.
    page = window.workspace().network  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.people_model().rowCount() == before + 2, timeout=WAIT_MS)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter closes the result
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is None, timeout=WAIT_MS)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kaputt.csv", b"\x00\x01\x02\xff\xfe binary junk \x00" * 50),
        ("leer.csv", b""),
        ("abgeschnitten.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna"),
        ("kaputt.xlsx", b"PK\x03\x04" + b"\x00" * 200),
    ],
)
def test_bad_files_say_why_in_the_dialog_and_change_nothing(
    open_and_wait: OpenAndWait,
    network_db: Database,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    window = open_and_wait(network_db.path)
    before = person_count(network_db)
    choose_file(monkeypatch, path)
    window.menu_actions["import-contacts"].trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS) as failed:
        pass
    assert dialog.page() == ImportDialog.MESSAGE
    message = failed.args[0]
    assert message
    assert "\n" not in message.strip()  # one line from the core, no traceback
    assert dialog.message_label.text() == message
    assert person_count(network_db) == before


def test_cancel_before_saving_writes_nothing(
    open_and_wait: OpenAndWait,
    network_db: Database,
    csv_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    before = person_count(network_db)
    choose_file(monkeypatch, csv_file)
    dialog = open_import(window, qtbot)

    planning, release = threading.Event(), threading.Event()
    real_plan = import_dialog.plan_import

    def slow_plan(*args: Any) -> Any:
        planning.set()
        release.wait(WAIT_MS / 1000)
        return real_plan(*args)

    monkeypatch.setattr(import_dialog, "plan_import", slow_plan)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.page() == ImportDialog.BUSY
    qtbot.waitUntil(planning.is_set, timeout=WAIT_MS)
    with qtbot.assertNotEmitted(dialog.imported):
        qtbot.mouseClick(dialog.busy_cancel, Qt.MouseButton.LeftButton)
        release.set()
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    assert dialog.page() == ImportDialog.PREVIEW
    assert dialog.preview_error.isVisible()
    assert person_count(network_db) == before


def test_strict_import_refuses_a_file_with_bad_rows(
    open_and_wait: OpenAndWait,
    network_db: Database,
    csv_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    before = person_count(network_db)
    choose_file(monkeypatch, csv_file)
    dialog = open_import(window, qtbot)
    qtbot.mouseClick(dialog.strict_box, Qt.MouseButton.LeftButton)
    assert dialog.strict_box.isChecked()
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS) as failed:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.page() == ImportDialog.PREVIEW
    assert dialog.preview_error.text() == failed.args[0]
    assert "olga.petrova(at)example.org" in failed.args[0]
    assert person_count(network_db) == before


def test_mapping_to_nothing_but_names_off_disables_import(
    open_and_wait: OpenAndWait,
    network_db: Database,
    csv_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    choose_file(monkeypatch, csv_file)
    dialog = open_import(window, qtbot)
    choose_field(qtbot, dialog, 0, None)  # "Einrichtung" not imported …
    choose_field(qtbot, dialog, 1, None)  # … nor "Ansprechperson": nothing to name an entry by
    assert dialog.valid_count() == 0
    assert dialog.forecast() is None
    assert not dialog.import_button.isEnabled()
    assert {line.number for line in dialog.rejected_model.rows()} == {2, 3, 4, 5, 6}


def test_preview_models_pass_the_model_tester(
    open_and_wait: OpenAndWait,
    network_db: Database,
    csv_file: Path,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(network_db.path)
    choose_file(monkeypatch, csv_file)
    dialog = open_import(window, qtbot)
    qtmodeltester.check(dialog.mapping_model)
    qtmodeltester.check(dialog.preview_model)
    qtmodeltester.check(dialog.rejected_model)
    # Editing through the model as the delegate does.
    index = dialog.mapping_model.index(NOTES_COLUMN, MappingModel.FIELD)
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        assert dialog.mapping_model.setData(index, 1 + list(Field).index(Field.NOTES))
    assert dialog.mapping_model.mapping()[NOTES_COLUMN] is Field.NOTES
    assert not dialog.mapping_model.setData(index, "nonsense")


def test_likely_duplicates_found_on_import_are_offered(
    open_and_wait: OpenAndWait,
    network_db: Database,
    csv_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A second record of Ayşe from an older list: same name, same organisation.
    with network_db.write() as session:
        ayse = session.scalars(select(Person).where(Person.first_name == "Ayşe")).one()
        twin = Person(first_name="Ayşe", last_name="Yılmaz", organisation_id=ayse.organisation_id)
        session.add(twin)
        session.flush()
        ids = {ayse.id, twin.id}
    window = open_and_wait(network_db.path)
    choose_file(monkeypatch, csv_file)
    dialog = open_import(window, qtbot)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    outcome = dialog.outcome()
    assert outcome is not None
    assert [set(group.person_ids) for group in outcome.duplicates] == [ids]
    assert dialog.duplicates_button.isVisibleTo(dialog)

    qtbot.mouseClick(dialog.duplicates_button, Qt.MouseButton.LeftButton)
    duplicates = dialog.findChild(DuplicatesDialog)
    assert duplicates is not None
    assert duplicates.groups_model.rowCount() == 1
    group = duplicates.current_group()
    assert group is not None
    assert set(group.person_ids) == ids
    assert duplicates.comparison_model.columnCount() == 2


def test_empty_columns_of_an_outlook_export_are_hidden_until_asked_for(
    open_and_wait: OpenAndWait,
    network_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outlook = Path(__file__).resolve().parents[2] / "core/contacts/files/outlook_de_cp1252.csv"
    window = open_and_wait(network_db.path)
    choose_file(monkeypatch, outlook)
    dialog = open_import(window, qtbot)
    model, view = dialog.mapping_model, dialog.mapping_view
    columns = model.rowCount()
    assert columns > 80
    hidden = [c for c in range(columns) if view.isRowHidden(c)]
    assert hidden
    assert all(model.is_empty(c) and model.mapping()[c] is None for c in hidden)
    assert all(dialog.preview_view.isColumnHidden(c) for c in hidden)
    assert not view.isRowHidden(model.mapping().index(Field.EMAIL))
    box = dialog.empty_columns_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    assert not any(view.isRowHidden(c) for c in range(columns))


def test_xlsx_sheet_can_be_chosen(
    open_and_wait: OpenAndWait,
    network_db: Database,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Übersicht"
    first.append(["Stand", "März 2025"])
    partners = workbook.create_sheet("Partner")
    partners.append(["Vorname", "Nachname", "Einrichtung", "E-Mail"])
    partners.append(["Şule", "Demir", "Stadtteilbibliothek", "sule.demir@bib.example"])
    path = tmp_path / "Partner.xlsx"
    workbook.save(path)

    window = open_and_wait(network_db.path)
    choose_file(monkeypatch, path)
    window.menu_actions["import-contacts"].trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None
    # The first sheet holds no people: the dialog says so and offers the other sheet.
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS):
        pass
    assert dialog.page() == ImportDialog.MESSAGE
    assert dialog.other_sheet_choice.isVisibleTo(dialog)
    assert dialog.other_sheet_choice.currentText() == "Partner"
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.read_sheet_button, Qt.MouseButton.LeftButton)
    assert dialog.page() == ImportDialog.PREVIEW
    assert "Partner" in dialog.format_label.text()
    assert dialog.mapping_model.mapping() == (
        Field.FIRST_NAME,
        Field.LAST_NAME,
        Field.ORGANISATION,
        Field.EMAIL,
    )
    assert dialog.valid_count() == 1
    # In the preview the sheets stay choosable.
    assert dialog.sheet_choice.isVisibleTo(dialog)
    assert [dialog.sheet_choice.itemText(i) for i in range(2)] == ["Übersicht", "Partner"]
    assert dialog.sheet_choice.currentText() == "Partner"


def test_a_read_only_database_refuses_before_asking_for_a_file(
    window: MainWindow,
    network_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.open_database(network_db.path, True)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)

    def no_file_dialog(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
        raise AssertionError("no file should be asked for")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(no_file_dialog))
    window.menu_actions["import-contacts"].trigger()
    warning = window.findChild(QMessageBox, "contactsWarning")
    assert warning is not None
    assert warning.isVisible()
    assert window.findChild(ImportDialog) is None
    warning.close()


def test_title_row_lost_zeros_and_a_broken_card_in_the_preview(
    open_and_wait: OpenAndWait,
    network_db: Database,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import openpyxl

    from ui.palette import Tone, colour

    path = tmp_path / "Kontakte Dresden.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Kontaktliste Quartier Dresden"])
    sheet.append([])
    sheet.append(["Vorname", "Nachname", "Einrichtung", "E-Mail", "PLZ", "Ort"])
    sheet.append(["Anna", "Arndt", "Quartiersbüro Dresden", "anna@dd.example", 1067, "Dresden"])
    sheet.append(["Ben", "Berg", "Sportverein", "ben@dd.example", 1069, "Dresden"])
    sheet["E5"].number_format = "00000"  # Ben's postcode cell keeps its zero
    workbook.save(path)

    window = open_and_wait(network_db.path)
    choose_file(monkeypatch, path)
    dialog = open_import(window, qtbot)
    assert "Spaltennamen in Zeile 3" in dialog.format_label.text()
    assert dialog.preview_model.rowCount() == 2  # the title is no contact
    assert dialog.warnings_label.isVisible()
    assert dialog.warnings_label.text() == (
        "Bitte prüfen:\nZeile 4: Postleitzahl 1067 war in Excel eine Zahl: Vielleicht fehlt "
        "eine führende Null (01067 → 1067); bitte prüfen"
    )
    anna = dialog.preview_model.index(0, 4)
    ben = dialog.preview_model.index(1, 4)
    # The palette's notice tone (a value to check), not the refusal tone of a rejected row.
    assert anna.data(Qt.ItemDataRole.BackgroundRole) == colour(Tone.NOTICE_BACKGROUND)
    assert anna.data(Qt.ItemDataRole.BackgroundRole) != colour(Tone.ERROR_BACKGROUND)
    assert "führende Null" in anna.data(Qt.ItemDataRole.ToolTipRole)
    assert ben.data() == "01069"
    assert ben.data(Qt.ItemDataRole.BackgroundRole) is None
    choose_field(qtbot, dialog, 4, None)  # not imported: nothing to check
    assert not dialog.warnings_label.isVisible()

    cards = tmp_path / "adressbuch.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Eins\r\nN:Eins;Anna\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Zwei\r\nN:Zwei;Ben\r\nEND:VCARD\r\n",
        encoding="utf-8",
        newline="",
    )
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        dialog.open_file(cards)
    assert dialog.preview_model.rowCount() == 1
    (line,) = dialog.rejected_model.rows()
    assert (line.label, line.reason[:11]) == ("Karte 1", "„Anna Eins“")
