"""Git merge driver for the gettext catalogues: merge translations, not lines.

Two branches that each add strings to ``treffpunkt.po`` usually touch neighbouring lines of a
sorted file, which a line merge reports as a conflict. This driver reads the three versions
(common ancestor, ours, theirs) as catalogues and keeps every translation either side added or
changed; where both changed the same message differently, theirs wins and the message is
marked fuzzy so the German test points at it. ``scripts/update_translations.py`` afterwards
drops strings no longer in the code and recompiles the ``.mo``.

Set up once per clone (the .gitattributes line is committed, the driver is local config):

    git config merge.gettext-po.name "gettext catalogue merge"
    git config merge.gettext-po.driver ".venv/bin/python scripts/merge_po.py %O %A %B"
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.i18n_catalog import write_catalog


def _read(path: str) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle)


def _key(message: object) -> tuple[object, object]:
    return (message.context, message.id)  # type: ignore[attr-defined]


def merge(base: Catalog, ours: Catalog, theirs: Catalog) -> Catalog:
    base_strings = {_key(m): m.string for m in base if m.id}
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, context=message.context)
        if mine is None:
            ours[message.id] = message
            continue
        if mine.string == message.string:
            continue
        original = base_strings.get(_key(message))
        if mine.string == original:
            mine.string = message.string  # only theirs changed it
            mine.flags = set(message.flags)
        elif message.string != original:
            mine.string = message.string
            mine.flags.add("fuzzy")
        for location in message.locations:
            if location not in mine.locations:
                mine.locations.append(location)
    return ours


def main(argv: list[str]) -> int:
    base_path, ours_path, theirs_path = argv[1:4]
    merged = merge(_read(base_path), _read(ours_path), _read(theirs_path))
    with open(ours_path, "wb") as handle:
        write_catalog(handle, merged)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
