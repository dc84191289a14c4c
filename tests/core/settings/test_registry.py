"""The settings registry: every CLI key, mapped onto the stored value its feature reads."""

from __future__ import annotations

import json
from datetime import time

import pytest

from app.db import Database
from app.errors import TreffpunktError, ValidationError
from app.models import Person, PersonEmail, Setting, Venue
from app.services.letterhead import (
    LETTERHEAD_KEY,
    LetterheadFields,
    fields_from_lines,
    load_letterhead,
    load_letterhead_fields,
)
from app.services.mail_settings import MailMode, SmtpSecurity, load_smtp_settings
from app.services.planning.defaults import load_meeting_defaults
from app.services.retention import retention_months
from app.services.settings import set_setting
from app.services.settings_registry import (
    SETTINGS,
    change_setting,
    setting_spec,
    show_settings,
)
from tests.helpers.settings import DESIGN_KEYS


def add_person(db: Database, email: str, first: str = "Sabine", last: str = "Krüger") -> int:
    with db.write() as session:
        person = Person(first_name=first, last_name=last)
        person.emails.append(PersonEmail(address=email, is_preferred=True))
        session.add(person)
        session.flush()
        return person.id


def stored_rows(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {row.key: row.value_json for row in session.query(Setting)}


def test_every_design_key_is_declared_once_with_a_label() -> None:
    keys = [spec.key for spec in SETTINGS]
    assert len(keys) == len(set(keys))
    assert set(DESIGN_KEYS) <= set(keys)
    assert all(spec.label for spec in SETTINGS)


def test_an_empty_database_shows_the_defaults(db: Database) -> None:
    values = show_settings(db)
    assert list(values) == [spec.key for spec in SETTINGS]
    assert values["mail.mode"] == "smtp"
    assert values["mail.smtp_port"] == 587
    assert values["mail.smtp_security"] == "starttls"
    assert values["meetings.default_start"] == "18:00"
    assert values["privacy.retention_months"] == 24
    assert values["organisation.name"] is None
    assert values["meetings.default_organiser"] is None


def test_organisation_keys_are_the_letterhead(db: Database) -> None:
    # Any order: the address may come before the name (no letterhead until then).
    change_setting(db, "organisation.city", "Krefeld")
    change_setting(db, "organisation.postcode", "47798")
    assert load_letterhead(db) is None
    change_setting(db, "organisation.name", " Quartiersmanagement  Stahldorf ")
    change_setting(db, "organisation.department", "Fachbereich Soziales")
    change_setting(db, "organisation.street", "Hauptstraße 5")
    letterhead = load_letterhead(db)
    assert letterhead is not None
    assert letterhead.name == "Quartiersmanagement Stahldorf"
    assert letterhead.address_lines == ("Fachbereich Soziales", "Hauptstraße 5", "47798 Krefeld")
    # Older versions read address_lines: they are written beside the fields.
    stored = json.loads(stored_rows(db)[LETTERHEAD_KEY])
    assert stored["address_lines"] == list(letterhead.address_lines)


def test_a_letterhead_stored_as_lines_is_read_into_fields(db: Database) -> None:
    set_setting(
        db,
        LETTERHEAD_KEY,
        {"name": "Stadt Krefeld", "address_lines": ["Fachbereich Soziales", "47798 Krefeld"]},
    )
    assert show_settings(db)["organisation.department"] == "Fachbereich Soziales"
    assert show_settings(db)["organisation.postcode"] == "47798"
    # Changing one field keeps every line that was printed before.
    change_setting(db, "organisation.street", "Von-der-Leyen-Platz 1")
    letterhead = load_letterhead(db)
    assert letterhead is not None
    assert letterhead.address_lines == (
        "Fachbereich Soziales",
        "Von-der-Leyen-Platz 1",
        "47798 Krefeld",
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ("Amt 50", "Hauptstraße 5", "47798 Krefeld", "Tel. 0221 1"),
            LetterheadFields("X", "Amt 50", "Hauptstraße 5", "47798", "Krefeld", ("Tel. 0221 1",)),
        ),
        (
            ("Hauptstraße 5", "D-47798 Krefeld"),
            LetterheadFields("X", "", "Hauptstraße 5", "47798", "Krefeld"),
        ),
        (("irgendwo", "am Rhein"), LetterheadFields("X", extra_lines=("irgendwo", "am Rhein"))),
    ],
)
def test_reading_free_lines_loses_nothing(
    lines: tuple[str, ...], expected: LetterheadFields
) -> None:
    fields = fields_from_lines("X", lines, None)
    assert fields == expected
    assert [line.replace("D-", "") for line in lines] == list(fields.address_lines())


def test_sender_and_mail_keys_are_the_mail_settings(db: Database) -> None:
    change_setting(db, "sender.name", "Sabine Krüger")
    change_setting(db, "sender.address", "Sabine.Krueger@Krefeld.example")
    change_setting(db, "sender.reply_to", "quartier@krefeld.example")
    change_setting(db, "mail.smtp_host", "SMTP.Krefeld.example")
    change_setting(db, "mail.smtp_security", "ssl")
    change_setting(db, "mail.smtp_user", "skrueger")
    change_setting(db, "mail.mode", "eml")
    change_setting(db, "mail.eml_dir", "/tmp/entwuerfe")
    settings = load_smtp_settings(db)
    assert settings.sender_name == "Sabine Krüger"
    assert settings.sender_address == "Sabine.Krueger@krefeld.example"
    assert settings.reply_to == "quartier@krefeld.example"
    assert settings.host == "smtp.krefeld.example"
    assert settings.security is SmtpSecurity.SSL
    assert settings.port == 465  # followed the scheme: the port was still the usual one
    assert settings.username == "skrueger"
    assert settings.mode is MailMode.EML
    assert str(settings.drafts_dir) == "/tmp/entwuerfe"
    change_setting(db, "mail.smtp_port", "2525")
    change_setting(db, "mail.smtp_security", "starttls")
    assert load_smtp_settings(db).port == 2525  # a port chosen by hand stays


def test_meeting_keys_resolve_people_and_venues(db: Database) -> None:
    person_id = add_person(db, "sabine.krueger@krefeld.example")
    assert change_setting(db, "meetings.default_organiser", "SABINE.krueger@krefeld.example") == (
        "sabine.krueger@krefeld.example"
    )
    assert change_setting(db, "meetings.default_venue", "Museumscafé K+") == "Museumscafé K+"
    assert change_setting(db, "meetings.default_venue", "museumscafe k+") == "Museumscafé K+"
    change_setting(db, "meetings.default_start", "9:30")
    change_setting(db, "meetings.default_duration", "90")
    defaults = load_meeting_defaults(db)
    assert defaults.organiser_id == person_id
    assert defaults.start == time(9, 30)
    assert defaults.duration_minutes == 90
    with db.read() as session:
        assert session.query(Venue).count() == 1  # found again, not added twice
    assert show_settings(db)["meetings.default_start"] == "09:30"
    change_setting(db, "meetings.default_organiser", "")
    assert show_settings(db)["meetings.default_organiser"] is None


def test_press_and_retention(db: Database) -> None:
    change_setting(db, "press.contact", "Nicole Heinen, Telefon 0221 4710-999")
    change_setting(db, "privacy.retention_months", "36")
    assert retention_months(db) == 36
    assert show_settings(db)["press.contact"] == "Nicole Heinen, Telefon 0221 4710-999"
    change_setting(db, "privacy.retention_months", "")
    assert retention_months(db) == 24


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("sender.address", "keine adresse", "adresse"),
        ("sender.reply_to", "a@b.de, c@d.de", ""),
        ("mail.smtp_port", "abc", "ganze Zahl"),
        ("mail.smtp_port", "70000", "65535"),
        ("mail.mode", "brieftaube", "smtp, eml"),
        ("mail.smtp_security", "tls", "starttls, ssl, none"),
        ("mail.smtp_host", "smtp host mit leerzeichen", ""),
        ("meetings.default_start", "25:00", "18:00"),
        ("meetings.default_organiser", "niemand@example.org", "niemand@example.org"),
        ("meetings.default_duration", "5", "15"),
        ("privacy.retention_months", "0", "240"),
        ("organisation.postcode", "47798 Krefeld", "keine Postleitzahl"),
        ("no.such.key", "x", "no.such.key"),
    ],
)
def test_refused_values_say_why_in_one_line_and_change_nothing(
    db: Database, key: str, value: str, words: str
) -> None:
    change_setting(db, "sender.address", "quartier@krefeld.example")
    before = stored_rows(db)
    with pytest.raises(TreffpunktError) as raised:
        change_setting(db, key, value)
    message = str(raised.value)
    assert message
    assert "\n" not in message
    assert words in message
    assert stored_rows(db) == before


def test_a_user_name_without_encryption_is_refused(db: Database) -> None:
    change_setting(db, "mail.smtp_user", "anna")
    with pytest.raises(TreffpunktError, match="STARTTLS"):
        change_setting(db, "mail.smtp_security", "none")


def test_unknown_key_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        setting_spec("sender")


def test_a_shared_address_cannot_be_the_default_organiser(db: Database) -> None:
    add_person(db, "info@verein.example", "Anna", "A")
    add_person(db, "info@verein.example", "Bernd", "B")
    with pytest.raises(ValidationError, match="Mehrere"):
        change_setting(db, "meetings.default_organiser", "info@verein.example")


def test_settings_form_values_survive_a_person_being_deleted(db: Database) -> None:
    person_id = add_person(db, "sabine.krueger@krefeld.example")
    change_setting(db, "meetings.default_organiser", "sabine.krueger@krefeld.example")
    with db.write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        session.delete(person)
    assert show_settings(db)["meetings.default_organiser"] is None
    assert load_letterhead_fields(db) == LetterheadFields()
