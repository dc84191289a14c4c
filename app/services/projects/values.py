"""Amounts and dates as users type them: German first ("700.000,00 €", "01.12.2026").

An amount is exact (``Decimal`` with two places, stored as euro cents); separators are read
the German way when both kinds appear, and a lone group of thousands ("700.000") is read as
thousands. What cannot be read without guessing ("700,000": German decimals or English
thousands?) is refused with a sentence that says why.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.errors import ValidationError
from app.i18n import _, babel_locale

MAX_AMOUNT = Decimal("100000000000")  # 100 billion euros: anything above is a typing slip
_CURRENCY = re.compile(r"(€|\bEUR\b|\bEuro\b)", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_amount(text: str | None) -> Decimal | None:
    """ "700.000,00 €", "700000", "700,000.00", "1.234,5 EUR" → Decimal; "" → None."""
    raw = (text or "").strip()
    if not raw:
        return None
    cleaned = _SPACES.sub("", _CURRENCY.sub("", raw))
    if cleaned.endswith((",-", ".-", ",–")):  # "700.000,-"
        cleaned = cleaned[:-2]
    if cleaned.startswith("-"):
        raise ValidationError(_("The amount “{text}” is negative.").format(text=raw))
    if "." in cleaned and "," in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _mark, fraction = cleaned.rpartition(decimal_mark)
        if not re.fullmatch(r"\d{1,3}(" + re.escape(group_mark) + r"\d{3})*", whole):
            raise _unreadable(raw)
        number = whole.replace(group_mark, "") + "." + fraction
    elif _THOUSANDS_DOT.match(cleaned):
        number = cleaned.replace(".", "")
    elif _THOUSANDS_COMMA.match(cleaned):
        raise ValidationError(
            _(
                "The amount “{text}” is ambiguous: write 700.000 or 700.000,00 for seven "
                "hundred thousand euros."
            ).format(text=raw)
        )
    elif _PLAIN.match(cleaned):
        number = cleaned.replace(",", ".")
    else:
        raise _unreadable(raw)
    if not re.fullmatch(r"\d+(\.\d{1,2})?", number):
        raise ValidationError(
            _("The amount “{text}” has more than two decimal places.").format(text=raw)
        )
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise _unreadable(raw) from exc
    if value >= MAX_AMOUNT:
        raise ValidationError(_("The amount “{text}” is too large.").format(text=raw))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _unreadable(raw: str) -> ValidationError:
    return ValidationError(
        _("“{text}” is not an amount in euros, e.g. 700.000,00 €.").format(text=raw)
    )


def amount_to_cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def cents_to_amount(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_amount(value: Decimal | None, *, locale: str | None = None) -> str:
    """ "700.000,00 €" (German) or "€700,000.00" (English); "" for no amount."""
    if value is None:
        return ""
    from babel import numbers as babel_numbers

    return babel_numbers.format_currency(value, "EUR", locale=locale or babel_locale())


def parse_day(text: str | None) -> date | None:
    """ "2026-12-01" or "01.12.2026" (also "1.12.2026") → date; "" → None."""
    raw = (text or "").strip()
    if not raw:
        return None
    german = _GERMAN_DATE.match(raw)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            return date(year, month, day)
        if _ISO_DATE.match(raw):
            return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(_("“{text}” is not a valid date.").format(text=raw)) from exc
    raise ValidationError(
        _("“{text}” is not a date like 01.12.2026 or 2026-12-01.").format(text=raw)
    )


def check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(_("The period ends before it begins."))
