"""Printing for the command line: JSON for scripts, aligned columns for people."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601; datetimes always with their offset."""
    return value.isoformat() if value is not None else None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def display_width(text: str) -> int:
    """Terminal columns: combining marks take none, East Asian wide characters two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    columns = len(headers)
    widths = [display_width(h) for h in headers]
    for row in rows:
        for index in range(columns):
            widths[index] = min(max(widths[index], display_width(row[index])), 60)

    def line(cells: Sequence[str]) -> str:
        parts = []
        for index, cell in enumerate(cells):
            if display_width(cell) > widths[index]:
                cell = cell[: widths[index] - 1] + "…"
            parts.append(cell + " " * max(0, widths[index] - display_width(cell)))
        return "  ".join(parts).rstrip()

    print(line(headers))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(line(row))
