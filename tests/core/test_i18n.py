"""German is complete, the compiled catalogue is current, languages follow the system."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.mofile import read_mo

from app import i18n
from app.i18n_catalog import (
    catalog_meaning,
    compiled_mo,
    extract_catalog,
    missing_translations,
    read_catalog,
    read_compiled,
)


def test_every_marked_string_has_a_german_translation() -> None:
    missing = missing_translations(extract_catalog(), read_catalog("de"))
    assert missing == [], (
        f"{len(missing)} string(s) lack German: run scripts/update_translations.py "
        f"and translate them in app/locale/de/LC_MESSAGES/treffpunkt.po: {missing[:20]}"
    )


def test_compiled_catalogue_says_what_the_po_file_says() -> None:
    # Compared by meaning, not bytes: the .mo header names the Babel version that wrote it.
    assert catalog_meaning(read_compiled("de")) == catalog_meaning(read_catalog("de")), (
        "run scripts/update_translations.py to recompile the .mo"
    )


def test_meaning_ignores_the_tool_version_but_not_a_changed_translation() -> None:
    catalog = read_catalog("de")
    compiled = read_mo(io.BytesIO(compiled_mo(catalog)))
    compiled.mime_headers = [
        (name, "Babel 99.0" if name == "Generated-By" else value)
        for name, value in compiled.mime_headers
    ]
    assert catalog_meaning(compiled) == catalog_meaning(catalog)
    compiled["Agenda"].string = "Programm"
    assert catalog_meaning(compiled) != catalog_meaning(catalog)


def test_switching_language_changes_translations() -> None:
    i18n.set_language("de")
    assert i18n._("Agenda") == "Tagesordnung"
    i18n.set_language("en")
    assert i18n._("Agenda") == "Agenda"


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("de_DE.UTF-8", "de"),
        ("de_AT", "de"),
        ("German_Germany", "de"),
        ("en_US.UTF-8", "en"),
        ("tr_TR", "en"),
        ("C", None),
        ("", None),
    ],
)
def test_language_from_locale_name(name: str, language: str | None) -> None:
    assert i18n.language_from_locale_name(name) == language


def test_system_language_follows_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.system_language() == "de"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.system_language() == "en"
    assert i18n.set_language("system") == "en"


def test_a_neutral_c_locale_means_german(monkeypatch: pytest.MonkeyPatch) -> None:
    """A container or service runs with LANG=C.UTF-8, which Python's locale module reports
    as en_US: the program must still speak German there, as on any system it cannot read."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr(i18n.sys, "platform", "linux")
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *_: ("en_US", "UTF-8"))
    assert i18n.system_language() == "de"
    monkeypatch.setattr(i18n.sys, "platform", "win32")
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *_: ("German_Germany", "1252"))
    monkeypatch.delenv("LANG")
    assert i18n.system_language() == "de"
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *_: ("English_United Kingdom", "1252"))
    assert i18n.system_language() == "en"


def test_dates_and_numbers_follow_the_language() -> None:
    moment = datetime(2022, 11, 17, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    i18n.set_language("de")
    assert i18n.format_date(date(2022, 11, 17)) == "17.11.2022"
    assert i18n.format_time(moment) == "15:00"
    assert i18n.format_weekday_date(date(2022, 11, 17)) == "Donnerstag, 17. November 2022"
    assert i18n.format_number(700000) == "700.000"
    i18n.set_language("en")
    assert i18n.format_weekday_date(date(2022, 11, 17)) == "Thursday, 17 November 2022"
    assert i18n.format_number(700000) == "700,000"


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_fast_formats_say_what_babel_says(language: str) -> None:
    """Whole numbers, weekday dates and short times are formatted without Babel (issue 14:
    a PDF or the first page then never loads it); they must match Babel exactly."""
    from datetime import time, timedelta

    from babel import dates as babel_dates
    from babel import numbers as babel_numbers

    i18n.set_language(language)
    locale = i18n.babel_locale()
    day = date(2025, 1, 1)
    while day < date(2027, 1, 1):
        expected = babel_dates.format_date(day, format="full", locale=locale)
        assert i18n.format_weekday_date(day) == expected
        late = datetime.combine(day, time(23, 30), tzinfo=ZoneInfo("Europe/Berlin"))
        for fmt in ("medium", "short", "EEE"):
            for value in (day, late):
                expected = babel_dates.format_date(value, format=fmt, locale=locale)
                assert i18n.format_date(value, fmt) == expected
        day += timedelta(days=1)
    berlin = ZoneInfo("Europe/Berlin")
    for hour in range(24):
        for minute in (0, 5, 30, 59):
            for value in (
                time(hour, minute),
                datetime(2026, 3, 29, hour, minute, tzinfo=berlin),  # spring forward
                datetime(2026, 10, 25, hour, minute, tzinfo=berlin),  # the hour twice
                datetime(2026, 10, 25, hour, minute, fold=1, tzinfo=berlin),
            ):
                expected = babel_dates.format_time(value, format="short", locale=locale)
                if isinstance(value, datetime) and i18n.occurs_twice(value):
                    expected = f"{expected} {i18n.zone_name(value)}"  # "02:30 MESZ"
                assert i18n.format_time(value) == expected
    for number in (0, 7, 999, 1000, 12345, 700000, 1234567890, -1, -4321):
        assert i18n.format_number(number) == babel_numbers.format_decimal(number, locale=locale)
