"""One translation system for the window, the PDFs and the e-mails (gettext catalogues, Babel).

Source strings are English; ``app/locale/de`` holds the German catalogue, which must stay
complete (a test fails otherwise). Mark strings with ``_()`` where they are shown, with
``N_()`` where a constant is defined at import time and translated later.
"""

from __future__ import annotations

import functools
import gettext
import locale
import os
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "treffpunkt"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SUPPORTED_LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
# Babel locales used for dates and numbers per UI language.
_BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def language_from_locale_name(name: str | None) -> str | None:
    """``"de_DE.UTF-8"`` → ``"de"``; Windows' ``"German_Germany"`` → ``"de"``; unknown → None."""
    if not name:
        return None
    lowered = name.lower()
    if lowered.startswith(("de", "german")):
        return "de"
    if lowered in ("c", "posix") or lowered.startswith(("c.", "posix.")):
        return None
    return "en"


def system_language() -> str:
    """German when the system locale is German, English otherwise (German when unknown)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        language = language_from_locale_name(value.split(":")[0])
        if language:
            return language
    try:
        language = language_from_locale_name(locale.getlocale()[0])
    except ValueError:
        language = None
    return language or DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Switch every later ``_()`` call to *language* (``None`` or "system": follow the system)."""
    global _translations, _language
    if not language or language == "system":
        language = system_language()
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    _language = language
    _translations = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    return language


def current_language() -> str:
    return _language


def babel_locale() -> str:
    return _BABEL_LOCALES.get(_language, "en_GB")


# Babel is imported on first use: it costs ~0.1 s, and the window must show before that.


@functools.cache
def _babel_locale_object(name: str) -> Locale:
    # Parsing "de_DE" again on every call cost more than the formatting itself (issue 14: a
    # table of 5,000 figures spent half a second in Locale.parse).
    from babel import Locale

    return Locale.parse(name)


def _locale() -> Locale:
    return _babel_locale_object(babel_locale())


def format_date(value: date | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if _language in _WEEKDAYS:
        if fmt == "medium":  # lists of 500 meetings, figure tables
            if _language == "de":
                return f"{value.day:02d}.{value.month:02d}.{value.year}"
            return f"{value.day} {_SHORT_MONTHS_EN[value.month - 1]} {value.year}"
        if fmt == "short":  # "17.11.22" / "17/11/2022"
            if _language == "de":
                return f"{value.day:02d}.{value.month:02d}.{value.year % 100:02d}"
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        if fmt == "EEE":
            return _SHORT_WEEKDAYS[_language][value.weekday()]
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format=fmt, locale=_locale())


# CLDR's names for the two languages the window speaks, for the two formats every PDF prints
# (issue 14): with them, a sign-in sheet or an invitation never imports Babel and loads its
# locale data (15 ms of a 200 ms document). ``tests/core/test_i18n.py`` checks them against
# Babel for every day of two years, so they cannot drift apart.
_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


_SHORT_WEEKDAYS = {
    "de": ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
# en_GB's abbreviations ("Sept", not "Sep"); de_DE's medium date has numbers only.
_SHORT_MONTHS_EN = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)


def format_time(value: time | datetime | None, fmt: str = "short") -> str:
    if value is None:
        return ""
    if fmt == "short" and _language in _WEEKDAYS:  # "HH:mm" in de_DE and en_GB alike
        return f"{value.hour:02d}:{value.minute:02d}"
    from babel import dates as babel_dates

    return babel_dates.format_time(value, format=fmt, locale=_locale())


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if fmt == "medium":
        return f"{format_date(value, 'medium')}, {format_time(value)}"
    from babel import dates as babel_dates

    return babel_dates.format_datetime(value, format=fmt, locale=_locale())


def format_weekday_date(value: date | None) -> str:
    """ "Donnerstag, 24. November 2022" / "Thursday, 24 November 2022"."""
    if value is None:
        return ""
    if _language in _WEEKDAYS:
        weekday, month = _WEEKDAYS[_language][value.weekday()], _MONTHS[_language][value.month - 1]
        day = f"{value.day}." if _language == "de" else str(value.day)
        return f"{weekday}, {day} {month} {value.year}"
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format="full", locale=_locale())


# Thousands separators of the supported languages (Babel's de_DE and en_GB), for whole numbers.
_GROUP_SYMBOLS = {"de": ".", "en": ","}


def format_number(value: float | int) -> str:
    """ "10.085" / "10,085"; whole numbers without Babel (counts are formatted by the thousand:
    the status bar at start-up, figure tables)."""
    if isinstance(value, int) and not isinstance(value, bool) and _language in _GROUP_SYMBOLS:
        return f"{value:,}".replace(",", _GROUP_SYMBOLS[_language])
    from babel import numbers as babel_numbers

    return babel_numbers.format_decimal(value, locale=_locale())
