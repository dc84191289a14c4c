"""Reading files: format, encoding, delimiter and layout detection; every bad file refused."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.contacts import (
    Field,
    ImportFileError,
    Layout,
    SourceFormat,
    import_contacts,
    preview_import,
    reading,
)
from app.db import Database
from tests.helpers.contacts import table_counts


def test_outlook_german_windows_1252(files: Path) -> None:
    preview = preview_import(files / "outlook_de_cp1252.csv")
    assert (preview.format, preview.encoding, preview.delimiter) == (
        SourceFormat.CSV,
        "cp1252",
        ",",
    )
    assert preview.layout is Layout.OUTLOOK_DE
    mapping = dict(zip(preview.headers, preview.mapping, strict=True))
    assert mapping["Anrede"] is Field.SALUTATION
    assert mapping["Weitere Vornamen"] is Field.FIRST_NAME
    assert mapping["Straße geschäftlich"] is Field.STREET
    assert mapping["E-Mail 2: Adresse"] is Field.EMAIL
    assert mapping["E-Mail: Angezeigter Name"] is None
    assert mapping["Telefon privat"] is None  # private numbers stay private
    assert mapping["Ort"] is None  # Outlook's "Ort" is not the city
    assert mapping["Kategorien"] is Field.GROUPS
    assert [row.number for row in preview.rows] == [2, 3, 4, 5]
    first = dict(zip(preview.headers, preview.rows[0].cells, strict=True))
    assert first["Nachname"] == "Öztürk-Weiß"
    assert first["Notizen"] == "Ansprechpartnerin für das Ladenlokal.\r\nMontags nicht erreichbar."


def test_outlook_english_utf8_with_bom(files: Path) -> None:
    preview = preview_import(files / "outlook_en_utf8_bom.csv")
    assert (preview.encoding, preview.delimiter, preview.layout) == (
        "utf-8-sig",
        ",",
        Layout.OUTLOOK_EN,
    )
    assert preview.headers[0] == "Title"  # no BOM glued to the first header
    assert preview.mapping[0] is Field.SALUTATION
    assert preview.mapping[preview.headers.index("E-mail Address")] is Field.EMAIL
    assert preview.mapping[preview.headers.index("E-mail Display Name")] is None


def test_excel_semicolon_german(files: Path) -> None:
    preview = preview_import(files / "excel_semicolon_de.csv")
    assert (preview.encoding, preview.delimiter, preview.layout) == (
        "utf-8-sig",
        ";",
        Layout.OTHER,
    )
    assert preview.mapping == (
        Field.ORGANISATION,
        Field.FULL_NAME,
        Field.FUNCTION,
        Field.EMAIL,
        Field.PHONE,
        Field.QUARTER,
        Field.GROUPS,
    )
    assert preview.rows[0].number == 2
    assert preview.rows[-1].number == 8


def test_google_layouts(files: Path) -> None:
    new = preview_import(files / "google_contacts.csv")
    assert new.layout is Layout.GOOGLE
    assert new.mapping[new.headers.index("E-mail 1 - Value")] is Field.EMAIL
    assert new.mapping[new.headers.index("E-mail 1 - Label")] is None
    assert new.mapping[new.headers.index("Labels")] is Field.GROUPS
    old = preview_import(files / "google_contacts_old.csv")
    assert old.layout is Layout.GOOGLE_OLD
    assert old.mapping[old.headers.index("Group Membership")] is Field.GROUPS
    assert old.mapping[old.headers.index("Organization 1 - Name")] is Field.ORGANISATION


@pytest.mark.parametrize(
    ("name", "version", "cards"),
    [
        ("outlook_vcard21.vcf", "2.1", 2),
        ("apple_vcard30.vcf", "3.0", 2),
        ("multi_vcard40.vcf", "4.0", 4),
    ],
)
def test_vcard_files(files: Path, name: str, version: str, cards: int) -> None:
    preview = preview_import(files / name)
    assert (preview.format, preview.layout, preview.version) == (
        SourceFormat.VCARD,
        Layout.VCARD,
        version,
    )
    assert [row.number for row in preview.rows] == list(range(1, cards + 1))
    assert preview.format_label == f"vCard {version}"


def test_vcard_21_values_decoded_per_property(files: Path) -> None:
    preview = preview_import(files / "outlook_vcard21.vcf")
    first = dict(zip(preview.headers, preview.rows[0].cells, strict=True))
    second = dict(zip(preview.headers, preview.rows[1].cells, strict=True))
    assert first["N: family name"] == "Öztürk-Weiß"  # CHARSET=Windows-1252
    assert first["NOTE"].startswith("Ansprechpartnerin für das Ladenlokal in Stahldorf. ")
    assert "bitte per E-Mail melden." in first["NOTE"]  # soft line break joined
    assert first["CATEGORIES"] == "Impuls.Ag, Quartiersbüros"  # no CHARSET: cp1252 bytes
    assert first["TEL 1"] == "+49 30 555-0101"
    assert "TEL 2" not in first
    assert second["FN"] == "Dr. Ayşe Yılmaz"  # CHARSET=UTF-8 quoted-printable
    assert second["ORG"] == "Gemeinschaftsunterkunft Stahldorf"
    assert second["ADR: street"] == "Straße der Einheit 5"  # work address, not the home one


def test_tab_separated_utf16_and_sep_hint(tmp_path: Path) -> None:
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes(
        "Vorname\tName\tE-Mail\r\nOlga\tPetrova\tolga@example.org\r\n".encode("utf-16")
    )
    preview = preview_import(utf16)
    assert (preview.encoding, preview.delimiter) == ("utf-16", "\t")
    # "Vorname" + "Name": in German lists "Name" then is the family name.
    assert preview.mapping == (Field.FIRST_NAME, Field.LAST_NAME, Field.EMAIL)
    hinted = tmp_path / "hinted.csv"
    hinted.write_text("sep=;\nName;E-Mail\n\nAnna Muster;anna@example.org\n", encoding="utf-8")
    preview = preview_import(hinted)
    assert preview.delimiter == ";"
    assert preview.mapping == (Field.FULL_NAME, Field.EMAIL)
    assert [row.number for row in preview.rows] == [4]  # "sep=" line 1, header 2, blank 3


def test_short_and_long_rows_fit_the_header(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("Vorname,Nachname,E-Mail\nAnna\nBen,Berg,ben@example.org,extra\n", "utf-8")
    preview = preview_import(path)
    assert [row.cells for row in preview.rows] == [
        ("Anna", "", ""),
        ("Ben", "Berg", "ben@example.org"),
    ]


def _workbook(path: Path, *, cover_first: bool = True) -> None:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "Übersicht"
    cover.append(["Netzwerk Impuls.Ag", None])
    sheet = workbook.create_sheet("Kontakte", index=1 if cover_first else 0)
    sheet.append([])
    sheet.append(["Anrede", "Vorname", "Nachname", "Einrichtung", "E-Mail", "Telefon", "Gruppe"])
    sheet.append(
        [
            "Frau",
            "Ayşe",
            "Yılmaz",
            "Quartiersbüro Lehmheide",
            "ayse@example.org",
            4930555303,
            "Impuls.Ag",
        ]
    )
    sheet.append([None] * 7)
    sheet.append(
        [
            "Herr",
            "Тарас",
            "Шевченко",
            "Українська громада",
            "taras@example.org",
            None,
            "Impuls.Ag, Sport",
        ]
    )
    workbook.save(path)


def test_xlsx_first_or_chosen_sheet(tmp_path: Path) -> None:
    path = tmp_path / "kontakte.xlsx"
    _workbook(path, cover_first=False)
    first = preview_import(path)
    assert (first.format, first.sheet, first.sheets) == (
        SourceFormat.XLSX,
        "Kontakte",
        ("Kontakte", "Übersicht"),
    )
    assert first.mapping[:4] == (
        Field.SALUTATION,
        Field.FIRST_NAME,
        Field.LAST_NAME,
        Field.ORGANISATION,
    )
    _workbook(path)  # now a cover sheet comes first
    with pytest.raises(ImportFileError, match="Übersicht, Kontakte"):
        preview_import(path)
    chosen = preview_import(path, sheet="kontakte")
    assert chosen.sheet == "Kontakte"
    assert chosen.headers[:3] == ("Anrede", "Vorname", "Nachname")
    assert [row.number for row in chosen.rows] == [3, 5]  # as Excel numbers them
    assert chosen.rows[0].cells[5] == "4930555303"  # a number typed into a phone cell
    with pytest.raises(ImportFileError, match="Übersicht, Kontakte"):
        preview_import(path, sheet="Adressen")


# -- bad files: one clear ImportFileError, and the database stays as it was -----------------


def _junk(size: int = 4096) -> bytes:
    return random.Random(1).randbytes(size)


def _bomb(path: Path) -> None:
    """A real-looking xlsx whose sheet unpacks to 30 MB from a few kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * (30 * 1024 * 1024))


BAD_FILES = {
    "binary junk as .csv": ("junk.csv", lambda p: p.write_bytes(_junk())),
    "binary junk as .vcf": ("junk.vcf", lambda p: p.write_bytes(_junk())),
    "a PNG named .csv": ("bild.csv", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + _junk(200))),
    "empty .csv": ("leer.csv", lambda p: p.write_bytes(b"")),
    "empty .vcf": ("leer.vcf", lambda p: p.write_bytes(b"")),
    "empty .xlsx": ("leer.xlsx", lambda p: p.write_bytes(b"")),
    "only white space": ("leer2.csv", lambda p: p.write_bytes(b"\xef\xbb\xbf \r\n\r\n")),
    "header without rows": ("kopf.csv", lambda p: p.write_text("Vorname;Nachname\n", "utf-8")),
    # Not one complete card (with good cards around it, the good ones are imported).
    "truncated vCard": (
        "kaputt.vcf",
        lambda p: p.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ben Berg\nEMAIL:ben@exa", "utf-8"),
    ),
    "text that is no vCard": ("text.vcf", lambda p: p.write_text("Hallo Welt\n", "utf-8")),
    "xlsx that is no zip": ("falsch.xlsx", lambda p: p.write_text("Vorname;Nachname\n", "utf-8")),
    "zip that is no workbook": (
        "archiv.xlsx",
        lambda p: zipfile.ZipFile(p, "w").writestr("hallo.txt", "Hallo"),
    ),
    "damaged workbook": (
        "defekt.xlsx",
        lambda p: _damaged_workbook(p),
    ),
    "xlsx bomb": ("bombe.xlsx", _bomb),
    "BOM but not UTF-8": ("bom.csv", lambda p: p.write_bytes(b"\xef\xbb\xbfName\n\xff\xfe\xfa\n")),
    "unknown extension": ("kontakte.json", lambda p: p.write_text("[]", "utf-8")),
    "old Excel": ("kontakte.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + _junk(100))),
    "missing file": ("fehlt.csv", lambda p: None),
    "folder": ("ordner.csv", lambda p: p.mkdir()),
}


def _damaged_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "<<<not xml")


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_gives_one_clear_error_and_changes_nothing(
    case: str, tmp_path: Path, files: Path, db: Database
) -> None:
    import_contacts(db, files / "excel_semicolon_de.csv")  # something to keep intact
    before = table_counts(db)
    name, make = BAD_FILES[case]
    path = tmp_path / name
    make(path)
    with pytest.raises(ImportFileError) as caught:
        preview_import(path)
    message = str(caught.value)
    assert name in message or str(path) in message
    assert "\n" not in message
    assert "Traceback" not in message
    with pytest.raises(ImportFileError):
        import_contacts(db, path)
    assert table_counts(db) == before


def test_truncated_vcard_message_names_the_card(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.vcf"
    BAD_FILES["truncated vCard"][1](path)
    with pytest.raises(ImportFileError, match=r"Karte 1"):
        preview_import(path)


def test_huge_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "riesig.csv"
    with path.open("wb") as handle:
        handle.truncate(reading.MAX_FILE_BYTES + 1)  # sparse: no 50 MB written

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", never)
    with pytest.raises(ImportFileError, match="50 MB"):
        preview_import(path)


def test_xlsx_bomb_refused_before_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bombe.xlsx"
    _bomb(path)
    assert path.stat().st_size < 200_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to parse the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ImportFileError, match="30 MB"):
        preview_import(path)


def test_xlsx_unpacked_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kontakte.xlsx"
    _workbook(path, cover_first=False)
    preview_import(path)  # fine with the real limit
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED_BYTES", 1000)
    with pytest.raises(ImportFileError):
        preview_import(path)
