"""Salutations, the safe placeholder syntax and user-edited templates per language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.db import Database
from app.documents.calendar import CalendarMeeting, CalendarPerson
from app.mail.errors import TemplateError
from app.mail.templates import compose_text, template_values
from app.models import OutboxKind, Salutation
from app.services.mail_templates import (
    MailTemplate,
    default_template,
    load_template,
    render,
    save_template,
)
from app.services.phrases import Addressee, AgendaLine, mail_language, salutation_line

BERLIN = ZoneInfo("Europe/Berlin")
YILMAZ = Addressee(Salutation.FRAU, "", "Ayşe", "Yılmaz")
MUELLER = Addressee(Salutation.HERR, "Dr.", "Jens", "Müller")
MUELLER_PLAIN = Addressee(Salutation.HERR, "", "Jens", "Müller")
OEZTUERK = Addressee(Salutation.NONE, "", "Renée", "Öztürk-Weiß")


@pytest.mark.parametrize(
    ("person", "german", "english"),
    [
        (YILMAZ, "Sehr geehrte Frau Yılmaz,", "Dear Ms Yılmaz,"),
        (MUELLER, "Sehr geehrter Herr Dr. Müller,", "Dear Dr. Müller,"),
        (MUELLER_PLAIN, "Sehr geehrter Herr Müller,", "Dear Mr Müller,"),
        (OEZTUERK, "Guten Tag Renée Öztürk-Weiß,", "Dear Renée Öztürk-Weiß,"),
        (
            Addressee(Salutation.NONE, "Prof.", "Lan", "Nguyễn"),
            "Guten Tag Prof. Lan Nguyễn,",
            "Dear Prof. Lan Nguyễn,",
        ),
        (
            Addressee(Salutation.FRAU, "", "", "Yılmaz\r\nBcc: x"),
            "Sehr geehrte Frau Yılmaz Bcc: x,",
            "Dear Ms Yılmaz Bcc: x,",
        ),
        (Addressee(Salutation.NONE, "", "", ""), "Guten Tag,", "Dear Sir or Madam,"),
    ],
)
def test_salutations(person: Addressee, german: str, english: str) -> None:
    assert salutation_line(person, "de") == german
    assert salutation_line(person, "en") == english


@pytest.mark.parametrize(
    ("preferred", "language"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("DE_ch", "de"),
        ("en", "en"),
        ("en-GB", "en"),
        ("tr", "en"),
        ("", "de"),
    ],
)
def test_mail_language(preferred: str, language: str) -> None:
    assert mail_language(preferred) == language


def test_render_plain_placeholders() -> None:
    assert render(
        "{salutation} {{literal}} {meeting_title}", {"salutation": "Hallo", "meeting_title": "T"}
    ) == ("Hallo {literal} T")


@pytest.mark.parametrize(
    "text",
    [
        "{unknown}",
        "{meeting_title.__class__}",
        "{meeting_title[0]}",
        "{}",
        "{0}",
        "{meeting_title!r}",
        "{meeting_title:>40}",
        "{meeting_title",
        "meeting_title}",
        "{salutation.__init__.__globals__}",
    ],
)
def test_forbidden_template_syntax(text: str) -> None:
    with pytest.raises(TemplateError):
        render(text, {"meeting_title": "T", "salutation": "S"})


def test_unknown_placeholder_error_names_the_allowed_ones() -> None:
    with pytest.raises(TemplateError) as info:
        render("{titel}", {})
    assert "{titel}" in str(info.value)
    assert "{meeting_title}" in str(info.value)


def meeting(rsvp: date | None = date(2026, 11, 26)) -> CalendarMeeting:
    start = datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("UTC"))  # 15:00 in Berlin
    return CalendarMeeting(
        uid="u@treffpunkt",
        sequence=0,
        title="Auftakt\r\nBcc: x@y.example",
        start=start,
        end=start + timedelta(hours=2),
        timezone="Europe/Berlin",
        organiser=CalendarPerson("Q", "q@example.de"),
        venue_name="Museumscafé K+",
        agenda=(AgendaLine("1", start.astimezone(BERLIN), "Begrüßung"),),
        rsvp_by=rsvp,
    )


def test_default_templates_render_in_both_languages() -> None:
    for language, expected in (
        ("de", "Donnerstag, 3. Dezember 2026"),
        ("en", "Thursday, 3 December 2026"),
    ):
        # Press releases carry their own edited text, no template.
        for kind in (k for k in OutboxKind if k is not OutboxKind.PRESS):
            template = default_template(language, kind)
            subject, body = compose_text(
                template, template_values(meeting(), YILMAZ, language, "Quartiersmanagement")
            )
            assert "\n" not in subject
            assert "\r" not in subject
            assert expected in subject
            assert body.startswith(salutation_line(YILMAZ, language))
            assert body.endswith("Quartiersmanagement\n")
            assert "{" not in body
            assert "}" not in body
            assert "\n\n\n" not in body
    subject, body = compose_text(
        default_template("de", OutboxKind.INVITATION),
        template_values(meeting(), YILMAZ, "de", "Quartiersmanagement"),
    )
    assert subject == "Einladung: Auftakt Bcc: x@y.example am Donnerstag, 3. Dezember 2026"
    assert "Donnerstag, 3. Dezember 2026, 15:00 Uhr" in body
    assert "TOP 1  15:00  Begrüßung" in body
    assert "Bitte geben Sie uns bis Donnerstag, 26. November 2026 Bescheid" in body


def test_no_rsvp_date_leaves_no_hole() -> None:
    _, body = compose_text(
        default_template("de", OutboxKind.UPDATE),
        template_values(meeting(rsvp=None), YILMAZ, "de", "Q"),
    )
    assert "bis ," not in body
    assert "\n\n\n" not in body


def test_user_templates_are_stored_per_language(db: Database) -> None:
    custom = MailTemplate("Hallo {name}", "{salutation}\n\nkurz: {meeting_title}\n")
    save_template(db, "de", OutboxKind.INVITATION, custom)
    assert load_template(db, "de", OutboxKind.INVITATION) == custom
    assert load_template(db, "en", OutboxKind.INVITATION) == default_template(
        "en", OutboxKind.INVITATION
    )
    assert load_template(db, "de", OutboxKind.UPDATE) == default_template("de", OutboxKind.UPDATE)
    with pytest.raises(TemplateError):
        save_template(db, "de", OutboxKind.REMINDER, MailTemplate("{meeting_title.__dict__}", "x"))
    assert load_template(db, "de", OutboxKind.REMINDER) == default_template(
        "de", OutboxKind.REMINDER
    )
    save_template(db, "de", OutboxKind.INVITATION, None)
    assert load_template(db, "de", OutboxKind.INVITATION) == default_template(
        "de", OutboxKind.INVITATION
    )


def test_unmatched_brace_error_explains_the_escape() -> None:
    with pytest.raises(TemplateError) as info:
        render("Treffen {meeting_title", {})
    assert "{{" in str(info.value)
    assert "}}" in str(info.value)
