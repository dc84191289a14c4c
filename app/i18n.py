"""One translation system for the window, the PDFs and the e-mails (gettext catalogues, Babel).

Source strings are English; ``app/locale/de`` holds the German catalogue, which must stay
complete (a test fails otherwise). Mark strings with ``_()`` where they are shown, with
``N_()`` where a constant is defined at import time and translated later.
"""

from __future__ import annotations

import gettext
import locale
import os
from datetime import date, datetime, time
from pathlib import Path

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


def format_date(value: date | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format=fmt, locale=babel_locale())


def occurs_twice(value: time | datetime | None) -> bool:
    """Whether the wall-clock time of an aware *value* exists twice in its zone (the hour the
    clocks are put back, e.g. 02:30 on 31 Oct 2027 in Berlin): then "02:30" alone is not
    enough to say when, and the zone's name (MESZ / MEZ) must go with it."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        return False
    naive = value.replace(tzinfo=None)
    first = naive.replace(tzinfo=value.tzinfo, fold=0)
    second = naive.replace(tzinfo=value.tzinfo, fold=1)
    return first.utcoffset() != second.utcoffset() and value.utcoffset() in (
        first.utcoffset(),
        second.utcoffset(),
    )


def zone_name(value: datetime) -> str:
    """The short name of *value*'s zone at that moment: "MESZ", "MEZ" (German), "+0100"."""
    from babel import dates as babel_dates

    return babel_dates.get_timezone_name(value, "short", locale=babel_locale())


def format_time(value: time | datetime | None, fmt: str = "short") -> str:
    """The time of day; in the hour that occurs twice with the zone's name, "02:30 MEZ"."""
    if value is None:
        return ""
    from babel import dates as babel_dates

    text = babel_dates.format_time(value, format=fmt, locale=babel_locale())
    if isinstance(value, datetime) and occurs_twice(value):
        text = f"{text} {zone_name(value)}"
    return text


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if fmt == "medium":
        return f"{format_date(value, 'medium')}, {format_time(value)}"
    from babel import dates as babel_dates

    text = babel_dates.format_datetime(value, format=fmt, locale=babel_locale())
    if occurs_twice(value):
        text = f"{text} {zone_name(value)}"
    return text


def format_weekday_date(value: date | None) -> str:
    """ "Donnerstag, 24. November 2022" / "Thursday, 24 November 2022"."""
    if value is None:
        return ""
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format="full", locale=babel_locale())


def format_number(value: float | int) -> str:
    from babel import numbers as babel_numbers

    return babel_numbers.format_decimal(value, locale=babel_locale())
