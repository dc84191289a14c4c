"""Amounts and dates as users type them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import ValidationError
from app.services.projects.values import format_amount, parse_amount, parse_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("700.000,00 €", Decimal("700000.00")),
        ("700.000", Decimal("700000.00")),
        ("700000", Decimal("700000.00")),
        ("700 000,50 EUR", Decimal("700000.50")),
        ("€700,000.00", Decimal("700000.00")),
        ("1.234,5", Decimal("1234.50")),
        ("12,5", Decimal("12.50")),
        ("10.123", Decimal("10123.00")),
        ("12.5", Decimal("12.50")),
        ("700.000,- Euro", Decimal("700000.00")),
        ("", None),
        ("   ", None),
    ],
)
def test_amounts_are_read_the_german_way_first(text: str, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["7,000", "-5", "12,345", "abc", "1.2.3,4", "1,234,5", "1e6", "99999999999999"]
)
def test_unreadable_or_ambiguous_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_amount(text)


def test_amount_format_follows_the_language() -> None:
    assert format_amount(Decimal("700000")) == "700.000,00\xa0€"
    assert format_amount(Decimal("700000"), locale="en_GB") == "€700,000.00"
    assert format_amount(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("01.12.2026", date(2026, 12, 1)),
        ("1.2.2027", date(2027, 2, 1)),
    ],
)
def test_dates_iso_or_german(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["31.02.2026", "2026-13-01", "12/01/2026", "01.12.26", "morgen"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_day(text)
