"""Extracting, merging and compiling the gettext catalogues (used by a script and a test)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n import DOMAIN, LOCALE_DIR

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = ("app", "ui")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHOD_MAP = [("**.py", "python")]


def extract_catalog() -> Catalog:
    """Every marked string in app/ and ui/."""
    catalog = Catalog(project="Treffpunkt", domain=DOMAIN, charset="utf-8")
    for package in SOURCE_PACKAGES:
        folder = PROJECT_ROOT / package
        for filename, lineno, message, comments, context in extract_from_dir(
            folder, method_map=METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def missing_translations(template: Catalog, translated: Catalog) -> list[str]:
    """Message ids of the template without a finished (non-empty, non-fuzzy) translation."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = translated.get(message.id, context=message.context)
        if found is None or found.fuzzy or not _has_string(found.string):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def _has_string(value: str | Iterable[str] | None) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value)
    return all(bool(part) for part in value)


def compiled_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def write_catalog(handle: BinaryIO, catalog: Catalog) -> None:
    """The one .po layout: sorted by message, file names without line numbers.

    Sorted entries without line numbers change only where a message changes, so two branches
    that add strings rarely touch the same lines (scripts/merge_po.py merges the rest).
    """
    write_po(
        handle,
        catalog,
        width=100,
        sort_output=True,
        include_previous=False,
        include_lineno=False,
        ignore_obsolete=True,
    )


def catalog_meaning(catalog: Catalog) -> dict[object, object]:
    """What a catalogue says, independent of the tool that wrote it.

    Maps (context, message id) to the translation of every finished entry, plus the plural
    rule; header lines such as ``Generated-By`` are left out on purpose.
    """
    meaning: dict[object, object] = {"plural-forms": catalog.plural_forms}
    for message in catalog:
        if not message.id or message.fuzzy or not _has_string(message.string):
            continue
        key = (message.context, message.id if isinstance(message.id, str) else tuple(message.id))
        value = message.string
        meaning[key] = value if isinstance(value, str) else tuple(value or ())
    return meaning


def read_compiled(language: str) -> Catalog:
    """The compiled ``.mo`` of *language* read back as a catalogue."""
    with mo_path(language).open("rb") as handle:
        return read_mo(handle)


def update(language: str) -> list[str]:
    """Merge new strings into the language's .po, compile the .mo; return what is missing."""
    template = extract_catalog()
    catalog = read_catalog(language)
    # Keep the header's creation date: a date that changes on every run makes every
    # branch touch the same line and turns merges into conflicts.
    created = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.creation_date = created
    catalog.fuzzy = False
    catalog.project = "Treffpunkt"
    catalog.version = "1"
    catalog.copyright_holder = "Treffpunkt"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Treffpunkt"
    catalog.language_team = "Deutsch"
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_catalog(handle, catalog)
    mo_path(language).write_bytes(compiled_mo(catalog))
    return missing_translations(template, catalog)
