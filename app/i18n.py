"""One translation system for the window, the PDFs and the e-mails (gettext catalogues, Babel).

Source strings are English; ``app/locale/de`` holds the German catalogue, which must stay
complete (a test fails otherwise). Mark strings with ``_()`` where they are shown, with
``N_()`` where a constant is defined at import time and translated later.
"""

from __future__ import annotations

import gettext
import locale
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from pathlib import Path

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
    try:
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
