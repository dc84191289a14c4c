"""Importing: what lands in the database from each format, matching, strict and dry runs."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from app.contacts import (
    Action,
    Field,
    ImportMappingError,
    ImportRejectedError,
    RejectedRow,
    apply_import,
    check_rows,
    import_contacts,
    importing,
    plan_import,
    preview_import,
    report_lines,
)
from app.db import Database
from app.i18n import _
from app.models import Salutation
from app.services.directory import list_organisations, list_people
from tests.helpers.contacts import people_by_email, person_named, table_counts

ALL_FILES = [
    "outlook_de_cp1252.csv",
    "outlook_en_utf8_bom.csv",
    "excel_semicolon_de.csv",
    "google_contacts.csv",
    "google_contacts_old.csv",
    "outlook_vcard21.vcf",
    "apple_vcard30.vcf",
    "multi_vcard40.vcf",
]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_outlook_german(db: Database, files: Path) -> None:
    result = import_contacts(db, files / "outlook_de_cp1252.csv")
    assert (result.created, result.updated, result.rejected) == (4, 0, ())
    renee = person_named(db, "Öztürk-Weiß")
    assert (renee.salutation, renee.first_name, renee.function) == (
        Salutation.FRAU,
        "Renée",
        "Quartiersmanagerin",
    )
    assert renee.emails == ("renee.oeztuerk@quartier-bleichpfad.de", "r.weiss@example.org")
    assert renee.preferred_email == "renee.oeztuerk@quartier-bleichpfad.de"
    assert renee.phones == ("+49 30 555-0101", "0171 5550101")  # not the private number
    assert renee.groups == ("Impuls.Ag", "Quartiersbüros")
    (office,) = [o for o in list_organisations(db) if o.id == renee.organisation_id]
    assert (office.name, office.street, office.postcode, office.city) == (
        "Quartiersbüro Bleichpfad/Hardenberg",
        "Bleichpfad 12",
        "12345",
        "Musterstadt",
    )
    assert person_named(db, "Weiß").first_name == "Jürgen Karl"
    gross = person_named(db, "Groß")
    assert (gross.salutation, gross.title, gross.organisation) == (
        Salutation.FRAU,
        "Dr.",
        "Museumscafé K+",
    )
    mueller = person_named(db, "Müller")  # Exchange-internal address: no e-mail, still imported
    assert mueller.emails == ()
    assert mueller.organisation == "Stadtverwaltung, Amt für Soziales"


def test_outlook_english_scripts_and_nfc(db: Database, files: Path) -> None:
    result = import_contacts(db, files / "outlook_en_utf8_bom.csv")
    assert result.created == 4
    assert result.rejected == (
        RejectedRow(
            6,
            _('invalid e-mail address "{address}"').format(
                address="lukas.schmidt(at)stadtbibliothek.de"
            ),
        ),
    )
    people = people_by_email(db)
    ayse = people["ayse.yilmaz@gu-stahldorf.de"]
    assert (ayse.salutation, ayse.first_name, ayse.last_name) == (Salutation.FRAU, "Ayşe", "Yılmaz")
    olga = people["olga.petrova@example.org"]
    assert (olga.first_name, olga.last_name, olga.preferred_language) == ("Ольга", "Петрова", "ru")
    assert olga.groups == ("Eltern", "Impuls.Ag")
    arabic = people["m.alahmad@example.org"]
    assert (arabic.salutation, arabic.first_name, arabic.last_name, arabic.preferred_language) == (
        Salutation.HERR,
        "محمد",
        "الأحمد",
        "ar",
    )
    hoa = people["hoa.nguyen@vielfeld.de"]  # the file has it decomposed (NFD)
    assert (hoa.first_name, hoa.last_name) == ("Thị Hoa", "Nguyễn")
    assert unicodedata.is_normalized("NFC", hoa.last_name + hoa.first_name)
    assert hoa.organisation == "VielFeld e.V."


def test_excel_list_with_full_names_duplicates_and_bad_rows(db: Database, files: Path) -> None:
    plan = plan_import(db, preview_import(files / "excel_semicolon_de.csv"))
    assert [(r.row, r.reason) for r in plan.rejected] == [
        (7, _('invalid e-mail address "{address}"').format(address="kai.brandt@")),
    ]
    # Row 6 names nobody but has the library's own address: the organisation itself.
    (library,) = plan.entities
    assert (library.row, library.name, library.email) == (
        6,
        "Stadtbibliothek",
        "bibliothek@example.org",
    )
    assert plan.entity_outcome.organisations.created == 1
    assert (plan.created, plan.updated, plan.merged) == (4, 0, 1)
    (ayse_plan,) = [c for c in plan.contacts if c.name == "Dr. Ayşe Yılmaz"]
    assert ayse_plan.rows == (2, 5)
    assert ayse_plan.action is Action.CREATE
    result = apply_import(db, plan)
    assert (result.created, result.merged, len(result.created_ids)) == (4, 1, 4)
    people = people_by_email(db)
    ayse = people["ayse.yilmaz@qb-lehmheide.de"]
    assert (ayse.title, ayse.first_name, ayse.last_name, ayse.function) == (
        "Dr.",
        "Ayşe",
        "Yılmaz",
        "Quartiersmanagerin",
    )
    assert ayse.emails == ("ayse.yilmaz@qb-lehmheide.de",)  # the same address in capitals
    assert ayse.phones == ("030 555 0303", "0171 2223334")
    assert ayse.groups == ("Impuls.Ag", "Quartiersbüros")
    assert ayse.quarters == ("Lehmheide",)
    emre = people["emre@sportpark-mobil.de"]
    assert (emre.first_name, emre.last_name, emre.groups) == (
        "Emre",
        "Yılmaz",
        ("Impuls.Ag", "Sport"),
    )
    renee = people["renee@vielfeld.de"]
    assert (renee.salutation, renee.first_name) == (Salutation.FRAU, "Renée")
    heide = people["hp.vonderheide@gu-stahldorf.de"]
    assert (heide.salutation, heide.title, heide.first_name, heide.last_name) == (
        Salutation.HERR,
        "Prof. Dr.",
        "Hans-Peter",
        "von der Heide",
    )
    assert heide.quarters == ("Gatherhof", "Stahldorf")
    assert len(list_people(db)) == 4


def test_google_contacts(db: Database, files: Path) -> None:
    result = import_contacts(db, files / "google_contacts.csv")
    assert result.created == 3
    people = people_by_email(db)
    ayse = people["ayse@example.org"]
    assert ayse.emails == ("ayse.yilmaz@qb-lehmheide.de", "ayse@example.org")
    assert ayse.phones == ("+49 30 5550303", "+49 171 2223334")
    assert ayse.groups == ("Impuls.Ag",)  # "* myContacts" is Google's, not the network's
    assert people["olga.petrova@example.org"].groups == ("Eltern", "Impuls.Ag")
    minh = people["minh.tran@sportpark-mobil.de"]
    assert (minh.salutation, minh.last_name, minh.groups) == (Salutation.HERR, "Trần", ("Sport",))
    (office,) = [o for o in list_organisations(db) if o.name == "Quartiersbüro Lehmheide"]
    assert (office.street, office.postcode, office.city) == (
        "Lehmheider Str. 3",
        "12345",
        "Musterstadt",
    )


def test_google_contacts_old_format(db: Database, files: Path) -> None:
    result = import_contacts(db, files / "google_contacts_old.csv")
    assert result.created == 2
    emre = people_by_email(db)["emre@sportpark-mobil.de"]
    assert (emre.first_name, emre.last_name, emre.organisation, emre.phones) == (
        "Emre",
        "Yılmaz",
        "Sportpark Mobil",
        ("0176 1112223",),
    )
    assert emre.groups == ("Impuls.Ag", "Sport")


def test_vcards(db: Database, files: Path) -> None:
    result = import_contacts(db, files / "outlook_vcard21.vcf")
    assert result.created == 2
    result = import_contacts(db, files / "apple_vcard30.vcf")
    assert result.created == 2
    result = import_contacts(db, files / "multi_vcard40.vcf")
    assert result.created == 3
    assert result.rejected == ()
    # KIND:org is no person: the office is imported as an organisation with its address.
    assert result.entities.organisations.created == 1
    assert report_lines(result)[1] == "Organisationen: 1 neu, 0 aktualisiert, 0 unverändert"
    (office,) = [o for o in list_organisations(db) if o.name == "Quartiersbüro Schinkenplatz"]
    assert office.email == "info@qb-schinkenplatz.de"
    people = people_by_email(db)
    ayse = people["ayse.yilmaz@gu-stahldorf.de"]
    assert (ayse.title, ayse.first_name, ayse.last_name, ayse.organisation) == (
        "Dr.",
        "Ayşe",
        "Yılmaz",
        "Gemeinschaftsunterkunft Stahldorf",
    )
    renee = people["renee.oeztuerk@quartier-bleichpfad.de"]
    assert renee.groups == ("Impuls.Ag", "Quartiersbüros")
    assert renee.phones == ("+49 30 555-0101",)
    olga = people["olga@example.org"]
    assert olga.emails == ("olga.petrova@elternverein-gatherhof.de", "olga@example.org")
    assert olga.organisation == "Elternverein Gatherhof, Kita & Schule"
    assert olga.groups == ("Eltern, Kinder & Familie", "Impuls.Ag")
    assert people["taras@example.org"].organisation == "Українська громада Стальдорф"
    hoa = people["hoa.nguyen@vielfeld.de"]
    assert (hoa.preferred_language, hoa.phones) == ("vi", ("+49-30-555-0505",))
    juergen = people["juergen@example.org"]
    assert juergen.salutation is Salutation.HERR
    assert juergen.preferred_email == ("juergen.weiss@sport-im-park.de")


@pytest.mark.parametrize("name", ALL_FILES)
def test_importing_the_same_file_twice_creates_no_duplicates(
    db: Database, files: Path, name: str
) -> None:
    first = import_contacts(db, files / name)
    after_first = table_counts(db)
    second = import_contacts(db, files / name)
    assert table_counts(db) == after_first
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert second.rejected == first.rejected


def test_changed_fields_update_and_empty_cells_erase_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    _write(
        path,
        "Vorname;Nachname;Einrichtung;Funktion;E-Mail;Telefon;Gruppe\n"
        "Anna;Muster;Verein A;Kassiererin;anna@example.org;030 1;Impuls.Ag\n",
    )
    import_contacts(db, path)
    _write(
        path,
        "Vorname;Nachname;Einrichtung;Funktion;E-Mail;Telefon;Gruppe\n"
        "Anna;Muster;Verein A;Vorsitzende;anna.neu@example.org, ANNA@example.org;;Sport\n",
    )
    plan = plan_import(db, preview_import(path))
    (contact,) = plan.contacts
    assert contact.action is Action.UPDATE
    assert set(contact.changes) == {Field.FUNCTION, Field.EMAIL, Field.GROUPS}
    result = apply_import(db, plan)
    assert (result.created, result.updated, result.updated_ids) == (0, 1, (contact.person_id,))
    (anna,) = list_people(db)
    assert anna.function == "Vorsitzende"
    assert anna.emails == ("anna@example.org", "anna.neu@example.org")  # added, not replaced
    assert anna.preferred_email == "anna@example.org"
    assert anna.phones == ("030 1",)  # the empty cell erased nothing
    assert anna.groups == ("Impuls.Ag", "Sport")


def test_match_on_name_within_the_same_organisation(db: Database, tmp_path: Path) -> None:
    _write(
        tmp_path / "a.csv",
        "Name;Einrichtung;E-Mail\nAyşe Yılmaz;Quartiersbüro Lehmheide;"
        "ayse@example.org\nAyşe Yılmaz;Sport im Park;\n",
    )
    result = import_contacts(db, tmp_path / "a.csv")
    assert result.created == 2  # same name, other organisation: another person
    _write(
        tmp_path / "b.csv", "Name;Einrichtung;Telefon\nAYSE YILMAZ;quartiersburo lehmheide;030 7\n"
    )
    result = import_contacts(db, tmp_path / "b.csv")
    assert (result.created, result.updated) == (0, 1)
    ayse = people_by_email(db)["ayse@example.org"]
    assert ayse.phones == ("030 7",)
    assert (ayse.first_name, ayse.organisation) == ("AYSE", "Quartiersbüro Lehmheide")
    assert len(list_organisations(db)) == 2  # matched by folded name, none created


def test_address_of_another_person_is_never_moved(db: Database, tmp_path: Path) -> None:
    _write(
        tmp_path / "a.csv", "Name;E-Mail\nAnna Muster;anna@example.org\nBen Berg;ben@example.org\n"
    )
    import_contacts(db, tmp_path / "a.csv")
    _write(tmp_path / "b.csv", "Name;E-Mail\nAnna Muster;anna@example.org; ben@example.org\n")
    result = import_contacts(db, tmp_path / "b.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert people_by_email(db)["ben@example.org"].last_name == "Berg"


def test_single_name_row_does_not_overwrite_a_full_name(db: Database, tmp_path: Path) -> None:
    _write(tmp_path / "a.csv", "Vorname;Nachname;E-Mail\nAyşe;Yılmaz;ayse@example.org\n")
    import_contacts(db, tmp_path / "a.csv")
    _write(tmp_path / "b.csv", "Vorname;E-Mail\nAyşe;ayse@example.org\nMadonna;m@example.org\n")
    result = import_contacts(db, tmp_path / "b.csv")
    assert (result.created, result.unchanged) == (1, 1)
    people = people_by_email(db)
    assert (people["ayse@example.org"].first_name, people["ayse@example.org"].last_name) == (
        "Ayşe",
        "Yılmaz",
    )
    madonna = people["m@example.org"]
    assert (madonna.first_name, madonna.last_name) == ("", "Madonna")


def test_strict_imports_nothing_when_a_row_is_bad(db: Database, files: Path) -> None:
    import_contacts(db, files / "google_contacts.csv")
    before = table_counts(db)
    with pytest.raises(ImportRejectedError) as caught:
        import_contacts(db, files / "excel_semicolon_de.csv", strict=True)
    assert [r.row for r in caught.value.rejected] == [7]
    message = str(caught.value)
    assert _("row {number}").format(number=7) in message
    assert "kai.brandt@" in message
    assert table_counts(db) == before
    result = import_contacts(db, files / "google_contacts_old.csv", strict=True)  # all rows good
    assert result.created == 2


def test_dry_run_writes_nothing_and_predicts_the_result(db: Database, files: Path) -> None:
    import_contacts(db, files / "google_contacts.csv")
    before = table_counts(db)
    dry = import_contacts(db, files / "excel_semicolon_de.csv", dry_run=True)
    assert dry.dry_run
    assert dry.created_ids == ()
    assert table_counts(db) == before
    real = import_contacts(db, files / "excel_semicolon_de.csv")
    assert (dry.created, dry.updated, dry.unchanged, dry.merged, dry.rejected) == (
        real.created,
        real.updated,
        real.unchanged,
        real.merged,
        real.rejected,
    )
    assert (real.created, real.updated) == (3, 1)  # Ayşe came from Google already
    assert dry.new_organisations == real.new_organisations
    assert _("Dry run, nothing was saved: {summary}").split("{")[0] in report_lines(dry)[0]


def test_the_user_corrects_the_mapping(db: Database, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "liste.csv", "Wer;Kontakt;Bemerkung\nAnna Muster;anna@example.org;VIP\n"
    )
    preview = preview_import(path)
    # "Kontakt" sounds like a person, but the column holds addresses.
    assert preview.mapping == (None, Field.EMAIL, Field.NOTES)
    with pytest.raises(ImportMappingError):
        plan_import(db, preview)  # no column holds a name
    records, rejected = check_rows(preview, (Field.FULL_NAME, None, None))  # no database
    assert rejected == ()
    assert (records[0].first_name, records[0].last_name) == ("Anna", "Muster")
    with pytest.raises(ValueError, match="mapping"):
        plan_import(db, preview, (Field.FULL_NAME,))
    result = apply_import(db, plan_import(db, preview, (Field.FULL_NAME, Field.EMAIL, None)))
    assert result.created == 1
    (anna,) = list_people(db)
    assert (anna.last_name, anna.emails) == ("Muster", ("anna@example.org",))


def test_row_numbers_follow_records_with_line_breaks(db: Database, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "notizen.csv",
        'Name,E-Mail,Notizen\n"Anna Muster",anna@example.org,"Zeile 1\nZeile 2\nZeile 3"\n'
        '"",b@example.org,\n"Ben Berg",ben@,\n',
    )
    result = import_contacts(db, path)
    assert [r.row for r in result.rejected] == [3, 4]
    assert list_people(db)[0].name == "Anna Muster"


def test_all_or_nothing_when_writing_fails(
    db: Database, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_contacts(db, files / "google_contacts_old.csv")
    before = table_counts(db)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    # People, organisations and groups are already added when this step fails.
    monkeypatch.setattr(importing, "_update_people", broken)
    with pytest.raises(RuntimeError):
        import_contacts(db, files / "excel_semicolon_de.csv")
    assert table_counts(db) == before


def test_too_long_values_are_rejected_not_cut(db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "lang.csv", f"Vorname;Nachname\nAnna;{'x' * 121}\n")
    result = import_contacts(db, path)
    assert result.created == 0
    assert result.rejected[0].row == 2
    assert "120" in result.rejected[0].reason


def test_match_on_email_first_even_when_name_and_organisation_changed(
    db: Database, tmp_path: Path
) -> None:
    _write(
        tmp_path / "a.csv",
        "Vorname;Nachname;Einrichtung;E-Mail\nAnna;Muster;Verein A;anna@example.org\n",
    )
    import_contacts(db, tmp_path / "a.csv")
    _write(
        tmp_path / "b.csv",
        "Vorname;Nachname;Einrichtung;E-Mail\nAnna;Schmidt;Verein B;ANNA@Example.org\n",
    )
    plan = plan_import(db, preview_import(tmp_path / "b.csv"))
    (contact,) = plan.contacts
    assert contact.action is Action.UPDATE
    assert set(contact.changes) == {Field.LAST_NAME, Field.ORGANISATION}
    assert plan.new_organisations == ("Verein B",)
    apply_import(db, plan)
    (anna,) = list_people(db)
    assert (anna.last_name, anna.organisation, anna.emails) == (
        "Schmidt",
        "Verein B",
        ("anna@example.org",),
    )


def test_bulk_inserted_people_carry_the_same_keys_as_the_models_compute(
    db: Database, files: Path
) -> None:
    from sqlalchemy import select

    from app.models import Person, PersonEmail
    from app.text import sort_key

    import_contacts(db, files / "outlook_en_utf8_bom.csv")
    with db.read() as session:
        people = session.scalars(select(Person)).all()
        assert len(people) == 4
        for person in people:
            assert person.name_key == sort_key(person.last_name, person.first_name)
            assert person.version == 1
            assert person.created_at is not None
        emails = session.scalars(select(PersonEmail)).all()
        assert emails
        assert all(e.address_key == e.address.casefold() for e in emails)
        assert {p.preferred_language for p in people} == {"de", "ru", "ar"}


def test_address_and_quarters_fill_an_existing_organisation(db: Database, tmp_path: Path) -> None:
    _write(
        tmp_path / "a.csv",
        "Name;Einrichtung;E-Mail;Straße;PLZ;Ort\n"
        "Anna Muster;Verein A;anna@example.org;;;Musterstadt\n",
    )
    import_contacts(db, tmp_path / "a.csv")
    _write(
        tmp_path / "b.csv",
        "Name;Einrichtung;E-Mail;Straße;PLZ;Ort;Quartier\n"
        "Anna Muster;Verein A;anna@example.org;Hauptstr. 1;12345;Anderswo;"
        "Lehmheide\n",
    )
    plan = plan_import(db, preview_import(tmp_path / "b.csv"))
    (contact,) = plan.contacts
    assert set(contact.changes) == {Field.STREET, Field.POSTCODE, Field.QUARTER}
    assert plan.new_quarters == ("Lehmheide",)
    apply_import(db, plan)
    (verein,) = list_organisations(db)
    # Gaps are filled; the city the organisation already had stays.
    assert (verein.street, verein.postcode, verein.city) == ("Hauptstr. 1", "12345", "Musterstadt")
    assert verein.quarters == ("Lehmheide",)
    assert import_contacts(db, tmp_path / "b.csv").unchanged == 1
