"""The recipient's language for mail and calendar text.

A mail speaks the language of the person who receives it (``Person.preferred_language``), not
the language of the window, and several recipients with different languages are composed in
one run. So the few fixed phrases of mail and calendar content live here as plain per-language
constants (like the editable default templates), and dates are formatted with Babel for that
language, without touching the global gettext state the window uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from babel import dates as babel_dates

from app.i18n import occurs_twice

MAIL_LANGUAGES = ("de", "en")
# A language we have no templates for gets English: the same fallback as the window.
FALLBACK_LANGUAGE = "en"
_LOCALES = {"de": "de_DE", "en": "en_GB"}


def mail_language(preferred: str | None) -> str:
    """``"de"`` or ``"en"`` for a person's preferred language ("de-AT" → "de", "tr" → "en")."""
    code = (preferred or "de").strip().lower().replace("_", "-").split("-")[0]
    return code if code in MAIL_LANGUAGES else FALLBACK_LANGUAGE


def format_long_date(value: date | None, language: str) -> str:
    """ "Donnerstag, 17. November 2022" / "Thursday, 17 November 2022"."""
    if value is None:
        return ""
    return babel_dates.format_date(value, format="full", locale=_LOCALES[language])


def format_short_date(value: date | None, language: str) -> str:
    """ "17.11.2022" / "17 Nov 2022"."""
    if value is None:
        return ""
    return babel_dates.format_date(value, format="medium", locale=_LOCALES[language])


def format_clock(value: datetime | None, language: str) -> str:
    """ "15:00" in both languages (en_GB uses the 24-hour clock as well); in the hour that
    occurs twice when the clocks go back with the zone's name, "02:30 MEZ"."""
    if value is None:
        return ""
    text = babel_dates.format_time(value, format="short", locale=_LOCALES[language])
    if occurs_twice(value):
        text += " " + babel_dates.get_timezone_name(value, "short", locale=_LOCALES[language])
    return text


@dataclass(frozen=True, slots=True)
class Phrases:
    item: str  # "TOP 3" / "Item 3"
    agenda: str
    rsvp_by: str
    accessibility: str
    cancelled: str
    no_agenda: str


PHRASES = {
    "de": Phrases(
        item="TOP {number}",
        agenda="Tagesordnung",
        rsvp_by="Bitte geben Sie uns bis {date} Bescheid, ob Sie teilnehmen.",
        accessibility="Barrierefreiheit: {notes}",
        cancelled="Dieses Treffen wurde abgesagt.",
        no_agenda="Die Tagesordnung folgt.",
    ),
    "en": Phrases(
        item="Item {number}",
        agenda="Agenda",
        rsvp_by="Please let us know by {date} whether you will attend.",
        accessibility="Accessibility: {notes}",
        cancelled="This meeting has been cancelled.",
        no_agenda="The agenda will follow.",
    ),
}


@dataclass(frozen=True, slots=True)
class AgendaLine:
    """One TOP as the mail and the calendar show it."""

    number: str  # "3" or "3.1"
    start: datetime
    title: str
    presenter: str = ""
    depth: int = 0


def agenda_text(agenda: Iterable[AgendaLine], language: str) -> str:
    """The agenda as plain text lines: "TOP 2  15:10  Vorstellung der Projekte – Anna Schmidt"."""
    phrases = PHRASES[language]
    lines = []
    for line in agenda:
        title = " ".join(line.title.split())
        text = f"{'   ' * line.depth}{phrases.item.format(number=line.number)}  "
        text += f"{format_clock(line.start, language)}  {title}"
        presenter = " ".join(line.presenter.split())
        if presenter:
            text += f" – {presenter}"
        lines.append(text)
    return "\n".join(lines) if lines else phrases.no_agenda
