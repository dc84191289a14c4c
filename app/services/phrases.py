"""The reader's language for mail and calendar text.

A mail speaks the language of the person who receives it (``Person.preferred_language``, else
the meeting's language: ``services.languages``), not the language of the window, and several
recipients with different languages are composed in one run. The fixed phrases of mail and
calendar content come from the one gettext catalogue, read inside ``i18n.language(code)``
(context-bound: the window's language is never touched); dates are formatted with Babel for
that language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app import i18n
from app.addresses import single_line
from app.i18n import _, pgettext
from app.models import Salutation

MAIL_LANGUAGES = i18n.SUPPORTED_LANGUAGES
# A language we have no templates for gets English: the same fallback as the window.
FALLBACK_LANGUAGE = i18n.FALLBACK_LANGUAGE


def mail_language(preferred: str | None, meeting: str = i18n.DEFAULT_LANGUAGE) -> str:
    """``"de"`` or ``"en"`` for a person's preferred language ("de-AT" → "de", "tr" → "en");
    without one, the meeting's language *meeting*."""
    return i18n.supported_language(preferred, i18n.supported_language(meeting))


def format_long_date(value: date | None, language: str) -> str:
    """ "Donnerstag, 17. November 2022" / "Thursday, 17 November 2022"."""
    with i18n.language(language):
        return i18n.format_weekday_date(value)


def format_short_date(value: date | None, language: str) -> str:
    """ "17.11.2022" / "17 Nov 2022"."""
    with i18n.language(language):
        return i18n.format_date(value)


def format_clock(value: datetime | None, language: str) -> str:
    """ "15:00" in both languages (en_GB uses the 24-hour clock as well); in the hour that
    occurs twice when the clocks go back with the zone's name, "02:30 MEZ"."""
    with i18n.language(language):
        return i18n.format_time(value)


@dataclass(frozen=True, slots=True)
class Phrases:
    item: str  # "TOP {number}" / "Item {number}"
    agenda: str
    rsvp_by: str  # with {date}
    accessibility: str  # with {notes}
    cancelled: str
    no_agenda: str


def phrases(language: str) -> Phrases:
    """The fixed phrases of mails and calendar entries in *language*."""
    with i18n.language(language):
        return Phrases(
            # Translators: an agenda item in a mail or calendar entry ("TOP 3").
            item=_("Item {number}"),
            agenda=_("Agenda"),
            rsvp_by=_("Please let us know by {date} whether you will attend."),
            accessibility=_("Accessibility: {notes}"),
            cancelled=_("This meeting has been cancelled."),
            no_agenda=_("The agenda will follow."),
        )


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
    said = phrases(language)
    lines = []
    for line in agenda:
        title = " ".join(line.title.split())
        text = f"{'   ' * line.depth}{said.item.format(number=line.number)}  "
        text += f"{format_clock(line.start, language)}  {title}"
        presenter = " ".join(line.presenter.split())
        if presenter:
            text += f" – {presenter}"
        lines.append(text)
    return "\n".join(lines) if lines else said.no_agenda


# -- salutations ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Addressee:
    """What a mail needs to know about its recipient."""

    salutation: Salutation
    title: str
    first_name: str
    last_name: str
    organisation: str = ""
    language: str = "de"
    # An organisation's own address (info@verein.de): nobody by name, "Sehr geehrte Damen
    # und Herren,"; the organisation's name stands in ``organisation`` and ``last_name``.
    is_organisation: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


def salutation_line(person: Addressee, language: str) -> str:
    """ "Sehr geehrte Frau Yılmaz," / "Sehr geehrter Herr Dr. Müller," / "Guten Tag Renée
    Öztürk-Weiß,"; English "Dear Ms Yılmaz," / "Dear Dr. Müller," / "Dear Renée Öztürk-Weiß,";
    an organisation's address "Sehr geehrte Damen und Herren," / "Dear Sir or Madam,".

    German keeps the academic title after Frau/Herr; English uses the title instead of Ms/Mr.
    """
    last = single_line(person.last_name)
    title = single_line(person.title)
    full = single_line(person.full_name)
    with i18n.language(language):
        if person.is_organisation:
            # Translators: salutation of a mail to an organisation's own address.
            return pgettext("salutation of an organisation", "Dear Sir or Madam,")
        if last and person.salutation is Salutation.FRAU:
            if title:
                # Translators: a woman with an academic title; German keeps "Frau".
                return pgettext("salutation of a woman", "Dear {title} {last_name},").format(
                    title=title, last_name=last
                )
            return _("Dear Ms {last_name},").format(last_name=last)
        if last and person.salutation is Salutation.HERR:
            if title:
                # Translators: a man with an academic title; German keeps "Herr".
                return pgettext("salutation of a man", "Dear {title} {last_name},").format(
                    title=title, last_name=last
                )
            return _("Dear Mr {last_name},").format(last_name=last)
        if full:
            # Translators: salutation without Frau/Herr ("Guten Tag Renée Öztürk-Weiß,").
            return _("Dear {name},").format(name=full)
        # Translators: salutation when no name is known ("Guten Tag,").
        return pgettext("salutation without a name", "Dear Sir or Madam,")
