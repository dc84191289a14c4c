"""Update the German catalogue after changing marked strings, then compile it.

Usage: .venv/bin/python scripts/update_translations.py
Prints the strings that still need a German translation (the tests fail while any is missing).
"""

from __future__ import annotations

from app.i18n_catalog import update


def main() -> None:
    missing = update("de")
    for message in missing:
        print(f"missing: {message!r}")
    print(f"{len(missing)} string(s) without German translation")


if __name__ == "__main__":
    main()
