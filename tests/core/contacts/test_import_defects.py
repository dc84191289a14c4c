"""Imports that used to change data silently: leading zeros of Excel numbers, a title row above
the header, one broken card in a large vCard file. Real files, made here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.contacts import import_contacts, plan_import, preview_import, report_lines
from app.contacts.fields import Field
from app.contacts.reading import zero_padded
from app.db import Database
from app.services.directory import list_organisations
from tests.core.contacts.conftest import people_by_email

HEADER = ["Vorname", "Nachname", "Einrichtung", "E-Mail", "Telefon", "Straße", "PLZ", "Ort"]


def _workbook(path: Path, rows: list[list[object]], *, title: bool = False) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append(["Kontaktliste Netzwerk Impuls.Ag"])
        sheet.append(["Stand: 01.12.2026"])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _format(path: Path, cells: dict[str, str]) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    for reference, number_format in cells.items():
        sheet[reference].number_format = number_format
    workbook.save(path)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1067, "00000", "01067"),
        (47798, "00000", "47798"),
        (1067.0, "00000", "01067"),
        (211123456, "0000 000000", "0211 123456"),
        (211123456, "00000000000", "00211123456"),
        (5, "#00", "05"),
        (1067, "General", None),
        (1067, "0", None),
        (1067, "#,##0", None),
        (10.5, "00000", None),
        (1067, "0.00", None),
        (1067, "[$-407]00000", None),
    ],
)
def test_zero_padding_formats(value: float, number_format: str, shown: str | None) -> None:
    assert zero_padded(value, number_format) == shown


def test_postcodes_keep_their_zeros_by_number_format(db: Database, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "dresden.xlsx",
        [
            [
                "Anna",
                "Arndt",
                "Quartiersbüro Dresden",
                "anna@dresden.example",
                "0351 1234",
                "Altmarkt 1",
                1067,
                "Dresden",
            ],
            [
                "Ben",
                "Berg",
                "Sportverein Krefeld",
                "ben@krefeld.example",
                None,
                "Ostwall 2",
                47798,
                "Krefeld",
            ],
        ],
    )
    _format(path, {"G2": "00000", "G3": "00000"})
    preview = preview_import(path)
    postcode = preview.headers.index("PLZ")
    assert [row.cells[postcode] for row in preview.rows] == ["01067", "47798"]
    assert preview.warnings() == ()
    import_contacts(db, path)
    offices = {o.name: o for o in list_organisations(db)}
    assert offices["Quartiersbüro Dresden"].postcode == "01067"


def test_plain_numbers_that_lost_a_zero_are_flagged(db: Database, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "zahlen.xlsx",
        [
            [
                "Anna",
                "Arndt",
                "Quartiersbüro Dresden",
                "anna@dresden.example",
                351123456,
                "Altmarkt 1",
                1067,
                "Dresden",
            ],
            [
                "Ben",
                "Berg",
                "Sportverein Krefeld",
                "ben@krefeld.example",
                "02151 5550",
                "Ostwall 2",
                47798,
                "Krefeld",
            ],
            ["Cem", "Cakir", "Verein Wien", "cem@wien.example", None, "Ring 1", "1010", "Wien"],
        ],
    )
    preview = preview_import(path)
    warnings = preview.warnings()
    assert [(w.row, preview.headers[w.column], w.value) for w in warnings] == [
        (2, "Telefon", "351123456"),
        (2, "PLZ", "1067"),
    ]  # 47798 has five digits; "1010" was text, as typed
    assert "führende Null" in warnings[1].message
    # Mapped otherwise, the same cells are no postcode or phone: no warning.
    mapping = tuple(None if f in (Field.POSTCODE, Field.PHONE) else f for f in preview.mapping)
    assert preview.warnings(mapping) == ()
    result = import_contacts(db, path)
    assert result.created == 3
    lines = report_lines(result)
    assert any(line.startswith("Zeile 2: Postleitzahl 1067") for line in lines), lines
    assert plan_import(db, preview).warnings == warnings


def test_a_title_above_the_header_is_not_a_contact(db: Database, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "mit-titel.xlsx",
        [["Anna", "Arndt", "Quartiersbüro", "anna@example.org", "0351 1234", "", "", ""]],
        title=True,
    )
    preview = preview_import(path)
    assert preview.header_row == 4
    assert preview.headers[:4] == ("Vorname", "Nachname", "Einrichtung", "E-Mail")
    assert preview.mapping[:5] == (
        Field.FIRST_NAME,
        Field.LAST_NAME,
        Field.ORGANISATION,
        Field.EMAIL,
        Field.PHONE,
    )
    assert [row.number for row in preview.rows] == [5]
    result = import_contacts(db, path)
    assert (result.created, result.rejected) == (1, ())
    anna = people_by_email(db)["anna@example.org"]
    assert (anna.last_name, anna.phones) == ("Arndt", ("0351 1234",))


def test_a_title_line_above_a_csv_header(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(
        "Teilnehmende Netzwerktreffen\n\nVorname;Nachname;E-Mail\nAnna;Arndt;anna@example.org\n",
        encoding="utf-8",
    )
    preview = preview_import(path)
    assert (preview.header_row, preview.delimiter, preview.headers) == (
        3,
        ";",
        ("Vorname", "Nachname", "E-Mail"),
    )
    assert import_contacts(db, path).created == 1


def test_without_a_recognisable_header_the_first_row_stays_the_header(tmp_path: Path) -> None:
    path = tmp_path / "fremd.csv"
    path.write_text("Spalte A;Spalte B\nAnna;Arndt\n", encoding="utf-8")
    preview = preview_import(path)
    assert (preview.header_row, preview.headers) == (1, ("Spalte A", "Spalte B"))


def _card(number: int, *, end: bool = True) -> str:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"N:Nummer{number:03d};Person;;;\r\nFN:Person Nummer{number:03d}\r\n"
        f"EMAIL;TYPE=WORK:person{number:03d}@netzwerk.example\r\n"
    )
    return text + ("END:VCARD\r\n" if end else "")


def test_one_card_without_end_does_not_block_the_others(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "adressbuch.vcf"
    path.write_text(
        "".join(_card(n, end=n != 137) for n in range(1, 501)), encoding="utf-8", newline=""
    )
    preview = preview_import(path)
    assert len(preview.rows) == 499
    assert [row.number for row in preview.rows][135:137] == [136, 138]  # numbers as in the file
    (broken,) = preview.broken
    assert broken.row == 137
    assert "Person Nummer137" in broken.reason
    assert "END:VCARD" in broken.reason
    result = import_contacts(db, path)
    assert result.created == 499
    assert [item.row for item in result.rejected] == [137]
    assert "person136@netzwerk.example" in people_by_email(db)
    assert "person137@netzwerk.example" not in people_by_email(db)
    assert "person138@netzwerk.example" in people_by_email(db)
    assert any(line.startswith("Karte 137: „Person Nummer137“") for line in report_lines(result))


def test_a_cut_off_last_card_is_reported_the_rest_imported(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "abgeschnitten.vcf"
    path.write_text(_card(1) + _card(2) + _card(3, end=False)[:-20], encoding="utf-8")
    result = import_contacts(db, path)
    assert result.created == 2
    (item,) = result.rejected
    assert item.row == 3
    assert "abgeschnitten" in item.reason


def test_strict_import_refuses_a_file_with_a_broken_card(
    db: Database, db_arg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "adressbuch.vcf"
    path.write_text(_card(1) + _card(2, end=False) + _card(3), encoding="utf-8")
    code = main(["--db", db_arg, "contacts", "import", str(path), "--strict"])
    assert code == 1
    assert "Karte 2" in capsys.readouterr().err
    assert people_by_email(db) == {}
    assert main(["--db", db_arg, "contacts", "import", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("2 neu angelegt, 0 aktualisiert, 0 unverändert, 1 nicht importiert")
    assert "Karte 2: „Person Nummer002“" in err
    assert set(people_by_email(db)) == {"person001@netzwerk.example", "person003@netzwerk.example"}


def test_a_nested_agent_card_is_still_part_of_its_card(tmp_path: Path) -> None:
    path = tmp_path / "agent.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\nVERSION:2.1\nN:Eins;Anna\nFN:Anna Eins\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\n"
        b"FN:Agent\nEND:VCARD\nEMAIL:eins@example.org\nEND:VCARD\n"
    )
    preview = preview_import(path)
    assert (len(preview.rows), preview.broken) == (1, ())
