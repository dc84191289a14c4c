"""Rows and cards that describe no person: organisations (company-only rows, KIND:org), groups
(KIND:group with MEMBERs) and venues (KIND:location). Real files, made here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import select

from app.contacts import import_contacts, plan_import, preview_import, report_lines
from app.db import Database
from app.models import Group, Organisation, Venue
from app.services.directory import list_organisations
from tests.helpers.contacts import people_by_email

# The group and org examples of RFC 6350 (6.1.4, 6.6.5), with addresses added.
RFC_CARDS = """BEGIN:VCARD
VERSION:4.0
KIND:group
FN:The Doe family
MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af
MEMBER:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519
MEMBER:mailto:ayse@quartier.example
MEMBER:mailto:niemand@nirgends.example
NOTE:Familie aus der Nachbarschaft
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:John Doe
UID:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Jane Doe
UID:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519
EMAIL:jane@doe.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:org
FN:ABC Marketing
ORG:ABC\\, Inc.;North American Division;Marketing
EMAIL;TYPE=work:info@abc.example
TEL;VALUE=uri;TYPE=work:tel:+49-30-555-0100
ADR;TYPE=work:;;Marktstraße 5;Berlin;;10115;Germany
URL:https://abc.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:location
FN:Museumscafé K+
ADR:;;Karlsplatz 1;Krefeld;;47798;
NOTE:Stufenloser Zugang über den Hof
END:VCARD
"""


def test_a_company_row_without_a_person_becomes_the_organisation(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "partner.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Firma", "Vorname", "Nachname", "E-Mail", "Telefon", "Straße", "PLZ", "Ort"])
    sheet.append(
        [
            "Tafel Krefeld e. V.",
            None,
            None,
            "info@tafel.example",
            "02151 123456",
            "Hauptstraße 3",
            "47799",
            "Krefeld",
        ]
    )
    sheet.append(
        ["Tafel Krefeld e. V.", "Jens", "Ott", "jens@tafel.example", None, None, None, None]
    )
    sheet.append(["Nur ein Name e. V.", None, None, None, None, None, None, None])
    workbook.save(path)
    preview = preview_import(path)
    plan = plan_import(db, preview)
    assert plan.importable == 2
    assert [(r.row, r.reason) for r in plan.rejected] == [(4, "kein Name")]  # nothing to reach
    result = import_contacts(db, path)
    assert (result.created, result.entities.organisations.created) == (1, 1)
    (tafel,) = [o for o in list_organisations(db) if o.name == "Tafel Krefeld e. V."]
    assert (tafel.email, tafel.phone, tafel.street, tafel.postcode, tafel.city) == (
        "info@tafel.example",
        "02151 123456",
        "Hauptstraße 3",
        "47799",
        "Krefeld",
    )
    assert people_by_email(db)["jens@tafel.example"].organisation == "Tafel Krefeld e. V."
    again = import_contacts(db, path)
    assert again.entities.organisations.unchanged == 1
    assert len([o for o in list_organisations(db) if o.name == "Tafel Krefeld e. V."]) == 1


def test_vcard_kinds_become_organisation_group_and_venue(db: Database, tmp_path: Path) -> None:
    # Ayşe is in the directory already: the group finds her by her address.
    existing = tmp_path / "ayse.csv"
    existing.write_text("Vorname;Nachname;E-Mail\nAyşe;Yılmaz;ayse@quartier.example\n", "utf-8")
    import_contacts(db, existing)
    path = tmp_path / "rfc.vcf"
    path.write_text(RFC_CARDS.replace("\n", "\r\n"), encoding="utf-8", newline="")
    plan = plan_import(db, preview_import(path))
    assert (plan.created, len(plan.entities), plan.rejected) == (2, 3, ())
    result = import_contacts(db, path)
    entities = result.entities
    assert (entities.organisations.created, entities.groups.created, entities.venues.created) == (
        1,
        1,
        1,
    )
    assert entities.members_added == 3
    lines = report_lines(result)
    assert "Organisationen: 1 neu, 0 aktualisiert, 0 unverändert" in lines[1]
    assert "Gruppen: 1 neu" in lines[1]
    assert "Orte: 1 neu" in lines[1]
    assert lines[2] == (
        "Karte 1: Gruppe „The Doe family“: 1 Mitglied nicht gefunden "
        "(mailto:niemand@nirgends.example)"
    )
    with db.read() as session:
        abc = session.scalars(select(Organisation).where(Organisation.name == "ABC, Inc.")).one()
        assert (abc.email, abc.phone, abc.website) == (
            "info@abc.example",
            "+49-30-555-0100",
            "https://abc.example",
        )
        assert (abc.street, abc.postcode, abc.city) == ("Marktstraße 5", "10115", "Berlin")
        family = session.scalars(select(Group).where(Group.name == "The Doe family")).one()
        assert family.description == "Familie aus der Nachbarschaft"
        assert sorted(p.last_name for p in family.people) == ["Doe", "Doe", "Yılmaz"]
        cafe = session.scalars(select(Venue).where(Venue.name == "Museumscafé K+")).one()
        assert (cafe.street, cafe.postcode, cafe.city, cafe.notes) == (
            "Karlsplatz 1",
            "47798",
            "Krefeld",
            "Stufenloser Zugang über den Hof",
        )
    assert "info@abc.example" not in people_by_email(db)  # no person made of the company
    again = import_contacts(db, path)
    assert again.entities.groups.unchanged == 1
    assert again.entities.members_added == 0
