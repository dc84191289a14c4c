"""Composing one mail from a template: the values for one recipient, the final text.

The templates themselves (defaults, the user's versions in the settings, validation) are
``app.services.mail_templates``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from app.addresses import single_line
from app.documents.calendar import CalendarMeeting
from app.services.mail_templates import MailTemplate, render
from app.services.phrases import (
    Addressee,
    agenda_text,
    format_clock,
    format_long_date,
    phrases,
    salutation_line,
)


def template_values(
    meeting: CalendarMeeting, person: Addressee, language: str, organiser: str
) -> dict[str, str]:
    zone = ZoneInfo(meeting.timezone)
    zone_start = meeting.start.astimezone(zone)
    rsvp = format_long_date(meeting.rsvp_by, language) if meeting.rsvp_by else ""
    return {
        "salutation": salutation_line(person, language),
        "name": single_line(person.full_name),
        "first_name": single_line(person.first_name),
        "last_name": single_line(person.last_name),
        "organisation": single_line(person.organisation),
        "meeting_title": single_line(meeting.title),
        "date": format_long_date(zone_start.date(), language),
        "time": format_clock(zone_start, language),
        "end_time": format_clock(meeting.effective_end.astimezone(zone), language),
        "venue": meeting.location,
        "accessibility": meeting.accessibility_notes.strip(),
        "description": meeting.description.strip(),
        "agenda": agenda_text(meeting.agenda, language),
        "rsvp_by": rsvp,
        "rsvp_request": phrases(language).rsvp_by.format(date=rsvp) if rsvp else "",
        "organiser": single_line(organiser),
    }


_BLANK_RUNS = re.compile(r"\n{3,}")


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")


def compose_text(template: MailTemplate, values: Mapping[str, str]) -> tuple[str, str]:
    """(subject on one line, body) for one recipient; empty placeholders leave no holes."""
    subject = single_line(render(template.subject, values))
    body = render(template.body, values).replace("\r\n", "\n").replace("\r", "\n")
    body = _TRAILING_BLANKS.sub("\n", body)
    body = _BLANK_RUNS.sub("\n\n", body).strip("\n") + "\n"
    return subject, unicodedata.normalize("NFC", body)
