"""Update the German catalogue after changing marked strings, then compile it.

Usage: .venv/bin/python scripts/update_translations.py [--check]
Prints the strings that still need a German translation (the tests fail while any is missing).
With ``--check`` nothing is written: exit 1 when a string lacks German or the .mo is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a file, Python puts scripts/ first on sys.path; the checkout's app/ must win over
# whatever "app" an installed Treffpunkt provides.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.i18n_catalog import (
    catalog_meaning,
    extract_catalog,
    missing_translations,
    read_catalog,
    read_compiled,
    update,
)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        missing = missing_translations(extract_catalog(), read_catalog("de"))
        stale = catalog_meaning(read_compiled("de")) != catalog_meaning(read_catalog("de"))
        if stale:
            print("the .mo is stale: run scripts/update_translations.py")
    else:
        missing = update("de")
        stale = False
    for message in missing:
        print(f"missing: {message!r}")
    print(f"{len(missing)} string(s) without German translation")
    return 1 if (missing or stale) and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
