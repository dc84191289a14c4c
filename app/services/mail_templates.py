"""Editable mail templates (German and English) with a safe placeholder syntax.

The template text is the user's content, not program text: defaults are plain constants per
language (not gettext), the user's edits are stored in the settings table under
``mail_templates`` as ``{"de": {"invitation": {"subject": …, "body": …}}, …}``, and the template
is chosen by the recipient's preferred language.

Placeholders use ``str.format`` braces, but only plain names from ``PLACEHOLDERS``: no
attribute or index access, no positional fields, no conversions or format specs. Rendering
never calls ``str.format`` on user text; it walks the parsed pieces and substitutes strings,
so a template cannot reach into Python objects.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.addresses import single_line
from app.db import Database
from app.errors import TemplateError
from app.i18n import N_, _
from app.models import OutboxKind
from app.services.phrases import (
    MAIL_LANGUAGES,
)
from app.services.settings import read_setting, write_setting
from app.text import nfc

SETTINGS_KEY = "mail_templates"

# Every placeholder a template may use, with its description for the template editor.
PLACEHOLDERS: dict[str, str] = {
    "salutation": N_("Salutation line, e.g. “Sehr geehrte Frau Yılmaz,”"),
    "name": N_("Full name of the recipient"),
    "first_name": N_("First name of the recipient"),
    "last_name": N_("Last name of the recipient"),
    "organisation": N_("Organisation of the recipient"),
    "meeting_title": N_("Title of the meeting"),
    "date": N_("Date of the meeting, e.g. “Donnerstag, 17. November 2022”"),
    "time": N_("Start time, e.g. “15:00”"),
    "end_time": N_("End time"),
    "venue": N_("Venue: name, room and address"),
    "accessibility": N_("Accessibility notes of the venue"),
    "description": N_("Description of the meeting"),
    "agenda": N_("Agenda with numbers, start times and presenters"),
    "rsvp_by": N_("Reply-by date"),
    "rsvp_request": N_("A sentence asking for a reply by the reply-by date (empty without one)"),
    "organiser": N_("Sender name from the mail settings"),
}


@dataclass(frozen=True, slots=True)
class MailTemplate:
    subject: str
    body: str


def _t(subject: str, body: str) -> MailTemplate:
    return MailTemplate(subject, body)


_DE_SIGNATURE = "\n\nMit freundlichen Grüßen\n{organiser}\n"
_EN_SIGNATURE = "\n\nKind regards\n{organiser}\n"

DEFAULT_TEMPLATES: dict[str, dict[OutboxKind, MailTemplate]] = {
    "de": {
        OutboxKind.INVITATION: _t(
            "Einladung: {meeting_title} am {date}",
            "{salutation}\n\n"
            "hiermit laden wir Sie herzlich ein:\n\n"
            "{meeting_title}\n"
            "{date}, {time} Uhr\n"
            "{venue}\n\n"
            "Tagesordnung:\n{agenda}\n\n"
            "{rsvp_request} Eine Antwort auf diese E-Mail genügt, oder Sie nehmen den "
            "beigefügten Kalendereintrag an.\n\n"
            "Die Einladung mit allen Einzelheiten finden Sie im Anhang." + _DE_SIGNATURE,
        ),
        OutboxKind.UPDATE: _t(
            "Geändert: {meeting_title} am {date}",
            "{salutation}\n\n"
            "beim Treffen „{meeting_title}“ hat sich etwas geändert. Die aktuellen Angaben:\n\n"
            "{date}, {time} Uhr\n"
            "{venue}\n\n"
            "Tagesordnung:\n{agenda}\n\n"
            "{rsvp_request}\n\n"
            "Der beigefügte Kalendereintrag aktualisiert den Termin in Ihrem Kalender."
            + _DE_SIGNATURE,
        ),
        OutboxKind.CANCELLATION: _t(
            "Abgesagt: {meeting_title} am {date}",
            "{salutation}\n\n"
            "leider müssen wir das Treffen „{meeting_title}“ am {date} um {time} Uhr absagen.\n\n"
            "Der beigefügte Kalendereintrag entfernt den Termin aus Ihrem Kalender."
            + _DE_SIGNATURE,
        ),
        OutboxKind.REMINDER: _t(
            "Erinnerung: {meeting_title} am {date}",
            "{salutation}\n\n"
            "wir möchten Sie an unsere Einladung zum Treffen „{meeting_title}“ am {date} um "
            "{time} Uhr erinnern ({venue}).\n\n"
            "Wir haben noch keine Rückmeldung von Ihnen. {rsvp_request} Eine kurze Antwort auf "
            "diese E-Mail genügt." + _DE_SIGNATURE,
        ),
        OutboxKind.MINUTES: _t(
            "Protokoll: {meeting_title} vom {date}",
            "{salutation}\n\n"
            "anbei erhalten Sie das Protokoll des Treffens „{meeting_title}“ vom {date}."
            + _DE_SIGNATURE,
        ),
    },
    "en": {
        OutboxKind.INVITATION: _t(
            "Invitation: {meeting_title} on {date}",
            "{salutation}\n\n"
            "We would like to invite you to:\n\n"
            "{meeting_title}\n"
            "{date}, {time}\n"
            "{venue}\n\n"
            "Agenda:\n{agenda}\n\n"
            "{rsvp_request} Simply reply to this e-mail or accept the attached calendar "
            "entry.\n\n"
            "The attached invitation has all the details." + _EN_SIGNATURE,
        ),
        OutboxKind.UPDATE: _t(
            "Changed: {meeting_title} on {date}",
            "{salutation}\n\n"
            "The meeting “{meeting_title}” has changed. The current details:\n\n"
            "{date}, {time}\n"
            "{venue}\n\n"
            "Agenda:\n{agenda}\n\n"
            "{rsvp_request}\n\n"
            "The attached calendar entry updates the meeting in your calendar." + _EN_SIGNATURE,
        ),
        OutboxKind.CANCELLATION: _t(
            "Cancelled: {meeting_title} on {date}",
            "{salutation}\n\n"
            "Unfortunately we have to cancel the meeting “{meeting_title}” on {date} at "
            "{time}.\n\n"
            "The attached calendar entry removes the meeting from your calendar." + _EN_SIGNATURE,
        ),
        OutboxKind.REMINDER: _t(
            "Reminder: {meeting_title} on {date}",
            "{salutation}\n\n"
            "This is a reminder of our invitation to the meeting “{meeting_title}” on {date} "
            "at {time} ({venue}).\n\n"
            "We have not heard from you yet. {rsvp_request} A short reply to this e-mail is "
            "enough." + _EN_SIGNATURE,
        ),
        OutboxKind.MINUTES: _t(
            "Minutes: {meeting_title} of {date}",
            "{salutation}\n\n"
            "Please find attached the minutes of the meeting “{meeting_title}” of {date}."
            + _EN_SIGNATURE,
        ),
    },
}


# -- the placeholder syntax ------------------------------------------------------------------

_FORMATTER = string.Formatter()


def _pieces(text: str) -> list[tuple[str, str | None]]:
    """(literal, placeholder or None) pairs; ``TemplateError`` for anything but plain names."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise TemplateError(
            _(
                "The template has an unmatched brace: write {open} and {close} for literal braces."
            ).format(open="{{", close="}}")
        ) from exc
    pieces: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parsed:
        if field is None:
            pieces.append((literal, None))
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            shown = "{" + field + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise TemplateError(
                _("Unknown placeholder {placeholder}. Allowed are: {allowed}.").format(
                    placeholder=single_line(shown)[:60],
                    allowed=", ".join("{" + name + "}" for name in PLACEHOLDERS),
                )
            )
        pieces.append((literal, field))
    return pieces


def validate_template(template: MailTemplate) -> None:
    _pieces(template.subject)
    _pieces(template.body)


def render(text: str, values: Mapping[str, str]) -> str:
    """Substitute placeholders; every value is a plain string."""
    out = []
    for literal, field in _pieces(text):
        out.append(literal)
        if field is not None:
            out.append(values.get(field, ""))
    return "".join(out)


# -- stored templates ------------------------------------------------------------------------


def default_template(language: str, kind: OutboxKind) -> MailTemplate:
    return DEFAULT_TEMPLATES[language][OutboxKind(kind)]


def read_template(session: Session, language: str, kind: OutboxKind) -> MailTemplate:
    """The user's template for (language, kind), else the default."""
    stored = read_setting(session, SETTINGS_KEY, {})
    entry: Any = (
        stored.get(language, {}).get(OutboxKind(kind).value)
        if isinstance(stored, dict) and isinstance(stored.get(language), dict)
        else None
    )
    if (
        isinstance(entry, dict)
        and isinstance(entry.get("subject"), str)
        and isinstance(entry.get("body"), str)
    ):
        return MailTemplate(entry["subject"], entry["body"])
    return default_template(language, kind)


def load_template(db: Database, language: str, kind: OutboxKind) -> MailTemplate:
    with db.read() as session:
        return read_template(session, language, kind)


def write_template(
    session: Session, language: str, kind: OutboxKind, template: MailTemplate | None
) -> None:
    """``save_template`` inside an open write session."""
    if language not in MAIL_LANGUAGES:
        raise TemplateError(_("Templates exist in German and English only."))
    if template is not None:
        body = unicodedata.normalize("NFC", template.body).replace("\r\n", "\n")
        template = MailTemplate(nfc(template.subject), body)
        validate_template(template)
    stored = read_setting(session, SETTINGS_KEY, {})
    if not isinstance(stored, dict):
        stored = {}
    current = stored.get(language)
    per_language: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    if template is None:
        per_language.pop(OutboxKind(kind).value, None)
    else:
        per_language[OutboxKind(kind).value] = {
            "subject": template.subject,
            "body": template.body,
        }
    stored[language] = per_language
    write_setting(session, SETTINGS_KEY, stored)


def save_template(
    db: Database, language: str, kind: OutboxKind, template: MailTemplate | None
) -> None:
    """Store the user's template (validated first); ``None`` restores the default."""
    if template is not None:
        validate_template(template)
    with db.write() as session:
        write_template(session, language, kind, template)


# -- values for one recipient ----------------------------------------------------------------
