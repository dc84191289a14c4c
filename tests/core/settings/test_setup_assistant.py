"""The set-up assistant's service: due once on a new database, answers stored at once."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from app.db import Database
from app.errors import TreffpunktError
from app.models import Organisation, Setting
from app.services.demo import fill_demo
from app.services.letterhead import LetterheadFields, load_letterhead
from app.services.mail_settings import MailMode, SmtpSecurity, SmtpSettings, load_smtp_settings
from app.services.planning.defaults import load_meeting_defaults
from app.services.settings_registry import show_settings
from app.services.setup_assistant import (
    SenderAnswer,
    SetupAnswers,
    UsualMeeting,
    finish_setup,
    load_setup_answers,
    setup_due,
    skip_setup,
)
from app.services.venues import list_venues


def rows(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {row.key: row.value_json for row in session.query(Setting)}


def test_due_on_a_new_database_until_skipped(db: Database) -> None:
    assert setup_due(db)
    skip_setup(db)
    assert not setup_due(db)


def test_not_due_on_a_database_with_data(db: Database) -> None:
    with db.write() as session:
        session.add(Organisation(name="Quartiersbüro"))
    assert not setup_due(db)


def test_not_due_on_the_demo_network(tmp_path: Path) -> None:
    database = Database.create(tmp_path / "demo.db")
    try:
        fill_demo(database)
        assert not setup_due(database)
        values = show_settings(database)
        assert values["organisation.name"]
        assert values["sender.address"] == "sabine.krueger@krefeld.example"
        assert values["meetings.default_organiser"] == "sabine.krueger@krefeld.example"
        assert values["meetings.default_venue"] == "Museumscafé K+ (Kaiser-Wilhelm-Museum)"
        assert values["meetings.default_start"] == "15:00"
        assert values["mail.mode"] == "eml"
        assert values["press.contact"]
    finally:
        database.close()


def test_finish_stores_every_answer(db: Database) -> None:
    finish_setup(
        db,
        SetupAnswers(
            letterhead=LetterheadFields(
                "Quartiersmanagement Stahldorf", "Amt 50", "Hauptstraße 5", "47798", "Krefeld"
            ),
            sender=SenderAnswer("Anna Quartier", "anna@qm.example", "team@qm.example"),
            mail=SmtpSettings(
                host="smtp.qm.example",
                port=465,
                security=SmtpSecurity.SSL,
                username="anna",
                sender_name="ignored",
            ),
            meeting=UsualMeeting(
                "Museumscafé K+", "Joseph-Beuys-Platz 1", "47798", "Krefeld", time(15, 0), 90
            ),
        ),
    )
    assert not setup_due(db)
    letterhead = load_letterhead(db)
    assert letterhead is not None
    assert letterhead.address_lines == ("Amt 50", "Hauptstraße 5", "47798 Krefeld")
    mail = load_smtp_settings(db)
    assert (mail.sender_name, mail.sender_address, mail.reply_to) == (
        "Anna Quartier",
        "anna@qm.example",
        "team@qm.example",
    )
    assert (mail.host, mail.port, mail.security, mail.mode) == (
        "smtp.qm.example",
        465,
        SmtpSecurity.SSL,
        MailMode.SMTP,
    )
    defaults = load_meeting_defaults(db)
    venue = next(row for row in list_venues(db) if row.id == defaults.venue_id)
    assert (venue.name, venue.address) == ("Museumscafé K+", "Joseph-Beuys-Platz 1, 47798 Krefeld")
    assert (defaults.start, defaults.duration_minutes) == (time(15, 0), 90)
    again = load_setup_answers(db)
    assert again.meeting is not None
    assert again.meeting.venue_name == "Museumscafé K+"
    assert again.sender == SenderAnswer("Anna Quartier", "anna@qm.example", "team@qm.example")


def test_skipped_steps_keep_what_is_stored(db: Database) -> None:
    finish_setup(db, SetupAnswers(sender=SenderAnswer("A", "a@qm.example")))
    finish_setup(db, SetupAnswers(mail=SmtpSettings(mode=MailMode.EML, eml_dir="/tmp/x")))
    mail = load_smtp_settings(db)
    assert (mail.sender_address, mail.mode, mail.eml_dir) == (
        "a@qm.example",
        MailMode.EML,
        "/tmp/x",
    )
    assert load_letterhead(db) is None


def test_a_refused_answer_stores_nothing(db: Database) -> None:
    before = rows(db)
    with pytest.raises(TreffpunktError):
        finish_setup(
            db,
            SetupAnswers(
                letterhead=LetterheadFields("QM"),
                sender=SenderAnswer("A", "keine adresse"),
            ),
        )
    assert rows(db) == before
    assert setup_due(db)
    with pytest.raises(TreffpunktError, match="Namen"):
        finish_setup(db, SetupAnswers(letterhead=LetterheadFields(street="Hauptstraße 5")))
