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
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "treffpunkt"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SUPPORTED_LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
# A language we have no catalogue for gets English: the window's fallback, too.
FALLBACK_LANGUAGE = "en"
# Each language in its own name (endonyms are not translated: a reader finds their own).
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
# Babel locales used for dates and numbers per UI language.
_BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}

# Two levels of "the current language":
# - the window's language (``set_language``), one per process, for everything the user sees;
# - a context-bound language (``language()``), for a document or mail in the language of its
#   reader. It lives in a ContextVar: each thread has its own context, so a worker thread
#   rendering a German PDF never flips the window's language, and the window switching to
#   English never changes a PDF half-way through.
_window_language = FALLBACK_LANGUAGE
_context_language: ContextVar[str | None] = ContextVar("treffpunkt_language", default=None)
_catalogues: dict[str, gettext.NullTranslations] = {}
_catalogues_lock = threading.Lock()


def _catalogue(language: str) -> gettext.NullTranslations:
    found = _catalogues.get(language)
    if found is None:
        with _catalogues_lock:
            found = _catalogues.get(language)
            if found is None:
                found = gettext.translation(
                    DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
                )
                _catalogues[language] = found
    return found


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _(message: str) -> str:
    return _catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalogue(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _catalogue(current_language()).pgettext(context, message)


def supported_language(code: str | None, default: str = FALLBACK_LANGUAGE) -> str:
    """``"de"`` or ``"en"`` for a language tag: "de-AT" → "de", "tr" → "en"; empty → *default*."""
    primary = (code or "").strip().lower().replace("_", "-").split("-")[0]
    if not primary:
        return default
    return primary if primary in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """Translate, and format dates and numbers, in *code* inside the block (this thread only).

    ``with i18n.language("de"): render_invitation(snapshot)`` makes a German PDF whatever the
    window speaks. ``None`` or "" keep the language that is current. Blocks nest.
    """
    chosen = supported_language(code, current_language())
    token = _context_language.set(chosen)
    try:
        yield chosen
    finally:
        _context_language.reset(token)


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
    if sys.platform != "win32":
        # Elsewhere the variables above are the locale. Python's own guess would turn the
        # neutral C.UTF-8 of a container or service into "en_US": unknown means German here.
        return DEFAULT_LANGUAGE
    try:  # Windows sets none of them: the user's regional setting, e.g. "German_Germany"
        language = language_from_locale_name(locale.getlocale()[0])
    except ValueError:
        language = None
    return language or DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Set the window's language (``None`` or "system": follow the system).

    Every ``_()`` outside a ``language()`` block, in any thread, uses it from now on.
    """
    global _window_language
    if not language or language == "system":
        language = system_language()
    if language not in SUPPORTED_LANGUAGES:
        language = FALLBACK_LANGUAGE
    _catalogue(language)
    _window_language = language
    return language


def window_language() -> str:
    """The window's language, whatever ``language()`` block is active."""
    return _window_language


def current_language() -> str:
    """The language of this context: the innermost ``language()`` block, else the window's."""
    return _context_language.get() or _window_language


def babel_locale() -> str:
    return _BABEL_LOCALES.get(current_language(), "en_GB")


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
    language = current_language()
    if language in _WEEKDAYS:
        if fmt == "medium":  # lists of 500 meetings, figure tables
            if language == "de":
                return f"{value.day:02d}.{value.month:02d}.{value.year}"
            return f"{value.day} {_SHORT_MONTHS_EN[value.month - 1]} {value.year}"
        if fmt == "short":  # "17.11.22" / "17/11/2022"
            if language == "de":
                return f"{value.day:02d}.{value.month:02d}.{value.year % 100:02d}"
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        if fmt == "EEE":
            return _SHORT_WEEKDAYS[language][value.weekday()]
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

    return babel_dates.get_timezone_name(value, "short", locale=_locale())


def format_time(value: time | datetime | None, fmt: str = "short") -> str:
    """The time of day; in the hour that occurs twice with the zone's name, "02:30 MEZ"."""
    if value is None:
        return ""
    if fmt == "short" and current_language() in _WEEKDAYS:  # "HH:mm" in de_DE and en_GB
        text = f"{value.hour:02d}:{value.minute:02d}"
        if isinstance(value, datetime) and occurs_twice(value):
            text = f"{text} {zone_name(value)}"
        return text
    from babel import dates as babel_dates

    text = babel_dates.format_time(value, format=fmt, locale=_locale())
    if isinstance(value, datetime) and occurs_twice(value):
        text = f"{text} {zone_name(value)}"
    return text


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if fmt == "medium":
        return f"{format_date(value, 'medium')}, {format_time(value)}"
    from babel import dates as babel_dates

    text = babel_dates.format_datetime(value, format=fmt, locale=_locale())
    if occurs_twice(value):
        text = f"{text} {zone_name(value)}"
    return text


def format_weekday_date(value: date | None) -> str:
    """ "Donnerstag, 24. November 2022" / "Thursday, 24 November 2022"."""
    if value is None:
        return ""
    language = current_language()
    if language in _WEEKDAYS:
        weekday, month = _WEEKDAYS[language][value.weekday()], _MONTHS[language][value.month - 1]
        day = f"{value.day}." if language == "de" else str(value.day)
        return f"{weekday}, {day} {month} {value.year}"
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format="full", locale=_locale())


# Thousands separators of the supported languages (Babel's de_DE and en_GB), for whole numbers.
_GROUP_SYMBOLS = {"de": ".", "en": ","}


def format_number(value: float | int) -> str:
    """ "10.085" / "10,085"; whole numbers without Babel (counts are formatted by the thousand:
    the status bar at start-up, figure tables)."""
    language = current_language()
    if isinstance(value, int) and not isinstance(value, bool) and language in _GROUP_SYMBOLS:
        return f"{value:,}".replace(",", _GROUP_SYMBOLS[language])
    from babel import numbers as babel_numbers

    return babel_numbers.format_decimal(value, locale=_locale())
