"""Postal addresses from every import format, and back out through every export format.

The rule (``app.contacts.directory_state``): a work address fills the organisation's address
where it has none and becomes the person's own work address where it differs (or without an
organisation); a private address is the person's own when the row has no work address.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.contacts import Field, export_people, import_contacts, plan_import, preview_import
from app.db import Database
from app.services.directory import list_organisations
from app.services.postal import AddressSource
from tests.helpers.contacts import FILES, person_named

OUTLOOK_DE_HEADERS = (FILES / "outlook_de_cp1252.csv").read_bytes().decode("cp1252").splitlines()[0]
OUTLOOK_EN_HEADERS = (
    (FILES / "outlook_en_utf8_bom.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
)


def _table(path: Path, header_line: str, rows: list[dict[str, str]], **options: str) -> Path:
    """A CSV with the real header line of an export and the named cells filled."""
    delimiter = options.get("delimiter", ",")
    headers = next(csv.reader(io.StringIO(header_line), delimiter=delimiter))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(headers)
    for row in rows:
        assert set(row) <= set(headers), set(row) - set(headers)
        writer.writerow([row.get(header, "") for header in headers])
    path.write_bytes(buffer.getvalue().encode(options.get("encoding", "utf-8")))
    return path


def _own(db: Database, last_name: str) -> tuple[str, str, str, str, AddressSource] | None:
    row = person_named(db, last_name)
    if row.address is None:
        return None
    a = row.address
    return (a.street, a.postcode, a.city, a.country, a.source)


def test_outlook_german_business_and_private_addresses(db: Database, tmp_path: Path) -> None:
    path = _table(
        tmp_path / "outlook.csv",
        OUTLOOK_DE_HEADERS,
        [
            {  # the organisation's address: fills the new organisation, nothing of her own
                "Vorname": "Renée",
                "Nachname": "Öztürk-Weiß",
                "Firma": "Quartiersbüro Bleichpfad",
                "Straße geschäftlich": "Bleichpfad 12",
                "Postleitzahl geschäftlich": "47799",
                "Ort geschäftlich": "Krefeld",
                "Land/Region geschäftlich": "Deutschland",
                "Straße privat": "Am Kaiserpark 3",  # a work address wins: letters go to work
                "Postleitzahl privat": "47800",
                "Ort privat": "Krefeld",
            },
            {  # same organisation, another business address: a branch office of her own
                "Vorname": "Jana",
                "Nachname": "Kessler",
                "Firma": "Quartiersbüro Bleichpfad",
                "Straße geschäftlich": "Hardenbergstraße 40",
                "Postleitzahl geschäftlich": "47799",
                "Ort geschäftlich": "Krefeld",
            },
            {  # no organisation, only a private address
                "Anrede": "Frau",
                "Vorname": "Gisela",
                "Nachname": "Breuer",
                "Straße privat": "Dionysiusstraße 14",
                "Postleitzahl privat": "47798",
                "Ort privat": "Krefeld",
                "E-Mail-Adresse": "",
            },
        ],
        encoding="cp1252",
    )
    result = import_contacts(db, path)
    assert (result.created, result.rejected) == (3, ())
    (office,) = list_organisations(db)
    assert (office.street, office.postcode, office.city) == ("Bleichpfad 12", "47799", "Krefeld")
    assert _own(db, "Öztürk-Weiß") == (
        "Bleichpfad 12",
        "47799",
        "Krefeld",
        "",
        AddressSource.ORGANISATION,
    )
    assert _own(db, "Kessler") == (
        "Hardenbergstraße 40",
        "47799",
        "Krefeld",
        "",
        AddressSource.WORK,
    )
    assert _own(db, "Breuer") == (
        "Dionysiusstraße 14",
        "47798",
        "Krefeld",
        "",
        AddressSource.PRIVATE,
    )
    # Importing the same file again changes nothing.
    assert import_contacts(db, path).unchanged == 3


def test_outlook_english_home_address_abroad(db: Database, tmp_path: Path) -> None:
    path = _table(
        tmp_path / "outlook.csv",
        OUTLOOK_EN_HEADERS,
        [
            {
                "First Name": "Alex",
                "Last Name": "Morgenstern",
                "Home Street": "Van-der-Valk-Straat 8",
                "Home Postal Code": "5911 AB",
                "Home City": "Venlo",
                "Home Country/Region": "Niederlande",
            },
            {
                "First Name": "Sam",
                "Last Name": "Carter",
                "Company": "Sportpark Mobil",
                "Business Street": "Westwall 102",
                "Business Postal Code": "47798",
                "Business City": "Krefeld",
            },
        ],
        encoding="utf-8-sig",
    )
    assert import_contacts(db, path).created == 2
    assert _own(db, "Morgenstern") == (
        "Van-der-Valk-Straat 8",
        "5911 AB",
        "Venlo",
        "Niederlande",
        AddressSource.PRIVATE,
    )
    assert _own(db, "Carter") == (
        "Westwall 102",
        "47798",
        "Krefeld",
        "",
        AddressSource.ORGANISATION,
    )


def test_google_csv_address_with_its_type(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    path.write_text(
        "First Name,Last Name,Organization Name,Address 1 - Label,Address 1 - Street,"
        "Address 1 - City,Address 1 - Postal Code,Address 1 - Country\n"
        "Ayşe,Yılmaz,Quartiersbüro Lehmheide,Work,Lehmheider Str. 3,Krefeld,47805,\n"
        "Nadia,Benali,,Home,Stahldorfer Straße 3,Krefeld,47805,Deutschland\n",
        encoding="utf-8",
    )
    preview = preview_import(path)
    assert Field.ADDRESS_TYPE in preview.mapping
    assert Field.STREET in preview.mapping
    assert import_contacts(db, path).created == 2
    (office,) = list_organisations(db)
    assert (office.street, office.postcode, office.city) == (
        "Lehmheider Str. 3",
        "47805",
        "Krefeld",
    )
    assert _own(db, "Benali") == (
        "Stahldorfer Straße 3",
        "47805",
        "Krefeld",
        "",  # Germany is the default country: not printed, not stored as foreign
        AddressSource.PRIVATE,
    )


def test_excel_with_german_headers_street_and_house_number(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(
        "Nachname;Vorname;Einrichtung;Straße;Hausnummer;PLZ;Ort;Land\n"
        "Klein;Dieter;;Uerdinger Straße;17;47799;Krefeld;\n"
        "Meyer;Ruth;VfR Krefeld e. V.;Hauptstraße;5;47800;Krefeld;\n",
        encoding="utf-8",
    )
    _layout, mapping = preview_import(path).layout, preview_import(path).mapping
    assert mapping[3:8] == (Field.STREET, Field.STREET, Field.POSTCODE, Field.CITY, Field.COUNTRY)
    assert import_contacts(db, path).created == 2
    assert _own(db, "Klein") == ("Uerdinger Straße 17", "47799", "Krefeld", "", AddressSource.WORK)
    assert _own(db, "Meyer") == (
        "Hauptstraße 5",
        "47800",
        "Krefeld",
        "",
        AddressSource.ORGANISATION,
    )


def test_vcard_work_and_home_addresses(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "cards.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Emine Koç\r\nN:Koç;Emine;;;\r\n"
        "ADR;TYPE=HOME:;;Moerser Str. 20;Krefeld;;47798;\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Quang Huy Phạm\r\nN:Phạm;Quang Huy;;;\r\n"
        "ORG:Vietnamesischer Kulturverein\r\n"
        "ADR;TYPE=home:;;Ostwall 1;Krefeld;;47798;\r\n"
        "ADR;TYPE=work:;;Rue de la Loi 16;Bruxelles;;1000;Belgien\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert import_contacts(db, path).created == 2
    assert _own(db, "Koç") == ("Moerser Str. 20", "47798", "Krefeld", "", AddressSource.PRIVATE)
    # A foreign work address cannot be the organisation's (it has no country): the person's.
    assert _own(db, "Phạm") == (
        "Rue de la Loi 16",
        "1000",
        "Bruxelles",
        "Belgien",
        AddressSource.WORK,
    )


def test_changed_address_is_reported_and_empty_cells_erase_nothing(
    db: Database, tmp_path: Path
) -> None:
    first = tmp_path / "a.csv"
    first.write_text(
        "Name;E-Mail;Straße privat;PLZ privat;Ort privat\n"
        "Gisela Breuer;g@example.org;Dionysiusstraße 14;47798;Krefeld\n",
        encoding="utf-8",
    )
    import_contacts(db, first)
    moved = tmp_path / "b.csv"
    moved.write_text(
        "Name;E-Mail;Straße privat;PLZ privat;Ort privat\n"
        "Gisela Breuer;g@example.org;Neue Linner Straße 2;47798;Krefeld\n"
        "Gisela Breuer;g@example.org;;;\n",
        encoding="utf-8",
    )
    (contact,) = plan_import(db, preview_import(moved)).contacts
    assert Field.HOME_STREET in contact.changes
    import_contacts(db, moved)
    assert _own(db, "Breuer") == (
        "Neue Linner Straße 2",
        "47798",
        "Krefeld",
        "",
        AddressSource.PRIVATE,
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".vcf"])
def test_addresses_survive_export_and_import(
    db: Database, tmp_path: Path, suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    source = _table(
        tmp_path / "outlook.csv",
        OUTLOOK_DE_HEADERS,
        [
            {
                "Vorname": "Renée",
                "Nachname": "Öztürk-Weiß",
                "E-Mail-Adresse": "renee@example.org",
                "Firma": "Quartiersbüro Bleichpfad",
                "Straße geschäftlich": "Bleichpfad 12",
                "Postleitzahl geschäftlich": "47799",
                "Ort geschäftlich": "Krefeld",
            },
            {
                "Vorname": "Jana",
                "Nachname": "Kessler",
                "E-Mail-Adresse": "jana@example.org",
                "Firma": "Quartiersbüro Bleichpfad",
                "Straße geschäftlich": "Hardenbergstraße 40",
                "Postleitzahl geschäftlich": "47799",
                "Ort geschäftlich": "Krefeld",
            },
            {
                "Vorname": "Alex",
                "Nachname": "Morgenstern",
                "E-Mail-Adresse": "alex@example.org",
                "Straße privat": "Van-der-Valk-Straat 8",
                "Postleitzahl privat": "5911 AB",
                "Ort privat": "Venlo",
                "Land/Region privat": "Niederlande",
            },
        ],
        encoding="cp1252",
    )
    import_contacts(db, source)
    exported = tmp_path / f"export{suffix}"
    assert export_people(db, exported) == 3

    other = Database.create(tmp_path_factory.mktemp("other") / "other.db")
    try:
        assert import_contacts(other, exported).created == 3
        for name in ("Öztürk-Weiß", "Kessler", "Morgenstern"):
            assert _own(other, name) == _own(db, name), name
    finally:
        other.close()
