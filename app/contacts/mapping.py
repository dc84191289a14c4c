"""Which column holds what: known header layouts and German/English synonyms → person fields.

Headers are compared by ``header_key``: folded (case and accents ignored, ß → ss) and with
everything but letters and digits removed, so "E-Mail-Adresse", "E-mail Address" and
"e mail adresse" meet their synonyms whatever the spelling.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from app.contacts.fields import Field
from app.i18n import N_, _
from app.text import fold


class Layout(enum.StrEnum):
    OUTLOOK_DE = "outlook_de"
    OUTLOOK_EN = "outlook_en"
    GOOGLE = "google"
    GOOGLE_OLD = "google_old"
    TREFFPUNKT = "treffpunkt"
    VCARD = "vcard"
    OTHER = "other"


LAYOUT_LABELS: dict[Layout, str] = {
    Layout.OUTLOOK_DE: N_("Outlook export (German)"),
    Layout.OUTLOOK_EN: N_("Outlook export (English)"),
    Layout.GOOGLE: N_("Google Contacts"),
    Layout.GOOGLE_OLD: N_("Google Contacts (older format)"),
    Layout.TREFFPUNKT: N_("Treffpunkt export"),
    Layout.VCARD: N_("vCard"),
    Layout.OTHER: N_("Table (columns recognised by their names)"),
}


def layout_label(layout: Layout) -> str:
    return _(LAYOUT_LABELS[layout])


def header_key(header: str) -> str:
    return "".join(ch for ch in fold(header) if ch.isalnum())


# Headers of Treffpunkt's own export, English source strings (also shown translated).
EXPORT_HEADERS: tuple[tuple[str, Field | None], ...] = (
    (N_("Salutation"), Field.SALUTATION),
    (N_("Title"), Field.TITLE),
    (N_("First name"), Field.FIRST_NAME),
    (N_("Last name"), Field.LAST_NAME),
    (N_("Organisation"), Field.ORGANISATION),
    (N_("Function"), Field.FUNCTION),
    (N_("E-mail"), Field.EMAIL),
    (N_("Other e-mails"), Field.EMAIL),
    (N_("Phone"), Field.PHONE),
    (N_("Groups"), Field.GROUPS),
    (N_("Quarters"), Field.QUARTER),
    (N_("Language"), Field.LANGUAGE),
    (N_("Notes"), Field.NOTES),
)
# The address columns of the export (after the others; an older export without them is
# still recognised as Treffpunkt's): the person's own work address, their private address
# and their organisation's address, each in columns of its own so that importing the file
# again puts each where it came from, whatever the order of the rows.
EXPORT_ADDRESS_HEADERS: tuple[tuple[str, Field], ...] = (
    (N_("Street"), Field.STREET),
    (N_("Postcode"), Field.POSTCODE),
    (N_("City"), Field.CITY),
    (N_("Country"), Field.COUNTRY),
    (N_("Private street"), Field.HOME_STREET),
    (N_("Private postcode"), Field.HOME_POSTCODE),
    (N_("Private city"), Field.HOME_CITY),
    (N_("Private country"), Field.HOME_COUNTRY),
    (N_("Organisation's street"), Field.ORG_STREET),
    (N_("Organisation's postcode"), Field.ORG_POSTCODE),
    (N_("Organisation's city"), Field.ORG_CITY),
)
# The same headers in German, so a German export imports under any UI language.
_EXPORT_HEADERS_DE = (
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Organisation",
    "Funktion",
    "E-Mail",
    "Weitere E-Mails",
    "Telefon",
    "Gruppen",
    "Quartiere",
    "Sprache",
    "Notizen",
)

_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.SALUTATION: ("Anrede", "Salutation", "Name Prefix", "Prefix", "Briefanrede"),
    Field.TITLE: ("Titel", "Title", "Akademischer Titel", "Academic title"),
    Field.FIRST_NAME: (
        "Vorname",
        "First Name",
        "Given Name",
        "Weitere Vornamen",
        "Middle Name",
        "Additional Name",
        "Rufname",
        "Forename",
        "Vornamen",
        "Prénom",
    ),
    Field.LAST_NAME: (
        "Nachname",
        "Last Name",
        "Family Name",
        "Surname",
        "Familienname",
        "Zuname",
    ),
    Field.FULL_NAME: (
        "Name",
        "Full Name",
        "Vollständiger Name",
        "Ansprechperson",
        "Ansprechpartner",
        "Ansprechpartnerin",
        "Ansprechpartner*in",
        "Kontaktperson",
        "Kontakt",
        "Contact",
        "Contact Person",
        "Display Name",
        "Anzeigename",
        "Person",
    ),
    Field.ORGANISATION: (
        "Firma",
        "Company",
        "Organisation",
        "Organization",
        "Organization Name",
        "Organization 1 - Name",
        "Einrichtung",
        "Institution",
        "Träger",
        "Verein",
        "Unternehmen",
        "Organisationsname",
        "Org",
    ),
    Field.FUNCTION: (
        "Position",
        "Funktion",
        "Job Title",
        "Organization Title",
        "Organization 1 - Title",
        "Rolle",
        "Role",
        "Function",
        "Aufgabe",
        "Berufsbezeichnung",
    ),
    Field.EMAIL: (
        "E-Mail",
        "Email",
        "Mail",
        "E-Mail-Adresse",
        "E-Mail Adresse",
        "Emailadresse",
        "E-mail Address",
        "Weitere E-Mails",
        "Other e-mails",
        "E-Mails",
        "E-Mail-Adressen",
    ),
    Field.PHONE: (
        "Telefon",
        "Telefon geschäftlich",
        "Telefon geschäftlich 2",
        "Mobiltelefon",
        "Haupttelefon",
        "Handy",
        "Mobil",
        "Mobilnummer",
        "Tel",
        "Tel.",
        "Telefonnummer",
        "Festnetz",
        "Phone",
        "Telephone",
        "Business Phone",
        "Business Phone 2",
        "Mobile Phone",
        "Mobile",
        "Primary Phone",
        "Phone Number",
    ),
    Field.STREET: (
        "Straße geschäftlich",
        "Business Street",
        "Straße",
        "Strasse",
        "Street",
        "Address 1 - Street",
        "Anschrift",
        "Straße und Hausnummer",
        "Straße, Hausnummer",
        "Hausnummer",  # "Straße" + "Hausnummer" columns: joined with a space
        "Hausnr.",
        "Adresse",
        "Dienstanschrift",
        "Geschäftsadresse",
        "Work Street",
    ),
    Field.POSTCODE: (
        "Postleitzahl geschäftlich",
        "Business Postal Code",
        "PLZ",
        "Postleitzahl",
        "Postcode",
        "Postal Code",
        "ZIP",
        "Zip Code",
        "Address 1 - Postal Code",
        "Work Postal Code",
    ),
    Field.CITY: (
        "Ort geschäftlich",
        "Business City",
        "Ort",
        "Stadt",
        "City",
        "Town",
        "Address 1 - City",
        "Work City",
    ),
    Field.COUNTRY: (
        "Land/Region geschäftlich",
        "Land geschäftlich",
        "Business Country/Region",
        "Business Country",
        "Land",
        "Country",
        "Staat",
        "Address 1 - Country",
        "Work Country",
    ),
    Field.HOME_STREET: (
        "Straße privat",
        "Home Street",
        "Privatadresse",
        "Privatanschrift",
        "Private street",
        "Straße (privat)",
        "Wohnadresse",
    ),
    Field.HOME_POSTCODE: (
        "Postleitzahl privat",
        "PLZ privat",
        "PLZ (privat)",
        "Home Postal Code",
        "Private postcode",
    ),
    Field.HOME_CITY: (
        "Ort privat",
        "Ort (privat)",
        "Wohnort",
        "Home City",
        "Private city",
    ),
    Field.HOME_COUNTRY: (
        "Land/Region privat",
        "Land privat",
        "Home Country/Region",
        "Home Country",
        "Private country",
    ),
    Field.ADDRESS_TYPE: ("Address 1 - Type", "Address 1 - Label"),
    Field.GROUPS: (
        "Kategorien",
        "Categories",
        "Labels",
        "Group Membership",
        "Gruppe",
        "Gruppen",
        "Group",
        "Groups",
        "Verteiler",
        "Verteilerliste",
        "Tags",
        "Netzwerk",
    ),
    Field.QUARTER: (
        "Quartier",
        "Quartiere",
        "Quarter",
        "Quarters",
        "Stadtteil",
        "Sozialraum",
        "Kiez",
        "Neighbourhood",
        "Neighborhood",
        "District",
    ),
    Field.NOTES: (
        "Notizen",
        "Notes",
        "Notiz",
        "Note",
        "Bemerkung",
        "Bemerkungen",
        "Anmerkung",
        "Anmerkungen",
        "Kommentar",
        "Comment",
        "Comments",
        "Hinweis",
        "Hinweise",
    ),
    Field.LANGUAGE: ("Sprache", "Language", "Bevorzugte Sprache", "Preferred language"),
}

# Numbered columns: Outlook's "E-Mail 2: Adresse" / "E-mail 3 Address", Google's
# "E-mail 1 - Value" / "Phone 2 - Value"; their "… Type/Label/Display Name" stay unmapped.
_PATTERNS: tuple[tuple[re.Pattern[str], Field], ...] = (
    (re.compile(r"^e?mail\d+(adresse|address|value)?$"), Field.EMAIL),
    (re.compile(r"^phone\d+value$"), Field.PHONE),
    (re.compile(r"^telefon\d+$"), Field.PHONE),
)

# Signature headers per layout: the layout whose signature the file covers best is named.
_SIGNATURES: dict[Layout, frozenset[str]] = {
    Layout.OUTLOOK_DE: frozenset(
        header_key(h)
        for h in (
            "Anrede",
            "Vorname",
            "Weitere Vornamen",
            "Nachname",
            "Suffix",
            "Firma",
            "Abteilung",
            "Position",
            "Straße geschäftlich",
            "E-Mail-Adresse",
            "E-Mail 2: Adresse",
            "Telefon geschäftlich",
            "Mobiltelefon",
            "Notizen",
            "Kategorien",
        )
    ),
    Layout.OUTLOOK_EN: frozenset(
        header_key(h)
        for h in (
            "Title",
            "First Name",
            "Middle Name",
            "Last Name",
            "Suffix",
            "Company",
            "Department",
            "Job Title",
            "Business Street",
            "E-mail Address",
            "E-mail 2 Address",
            "Business Phone",
            "Mobile Phone",
            "Notes",
            "Categories",
        )
    ),
    Layout.GOOGLE: frozenset(
        header_key(h)
        for h in (
            "First Name",
            "Middle Name",
            "Last Name",
            "Name Prefix",
            "Organization Name",
            "Organization Title",
            "Labels",
            "E-mail 1 - Label",
            "E-mail 1 - Value",
            "Phone 1 - Label",
            "Phone 1 - Value",
        )
    ),
    Layout.GOOGLE_OLD: frozenset(
        header_key(h)
        for h in (
            "Name",
            "Given Name",
            "Additional Name",
            "Family Name",
            "Name Prefix",
            "Group Membership",
            "E-mail 1 - Type",
            "E-mail 1 - Value",
            "Organization 1 - Name",
            "Organization 1 - Title",
        )
    ),
}
_MIN_SIGNATURE_SHARE = 0.6
# Where a layout gives a common header another meaning: Outlook's "Ort" is an appointment-style
# location, not the city; its "Title" is "Mr."/"Dr.", parsed as salutation (+ title).
_LAYOUT_OVERRIDES: dict[Layout, dict[str, Field | None]] = {
    Layout.OUTLOOK_DE: {"ort": None},
    Layout.OUTLOOK_EN: {"title": Field.SALUTATION},
}


def _synonym_table() -> dict[str, Field | None]:
    table: dict[str, Field | None] = {}
    for target, names in _SYNONYMS.items():
        for name in names:
            table.setdefault(header_key(name), target)
    for english, export_target in (*EXPORT_HEADERS, *EXPORT_ADDRESS_HEADERS):
        table.setdefault(header_key(english), export_target)
        table.setdefault(header_key(_(english)), export_target)  # the export in the UI language
    return table


def guess_field(header: str, synonyms: dict[str, Field | None] | None = None) -> Field | None:
    """The field a column probably holds, or None (not imported)."""
    key = header_key(header)
    if not key:
        return None
    table = synonyms if synonyms is not None else _synonym_table()
    if key in table:
        return table[key]
    for pattern, target in _PATTERNS:
        if pattern.match(key):
            return target
    return None


def detect_layout(headers: Sequence[str]) -> Layout:
    keys = {header_key(h) for h in headers}
    export_keys = [
        {header_key(h) for h, _target in EXPORT_HEADERS},
        {header_key(h) for h in _EXPORT_HEADERS_DE},
        {header_key(_(h)) for h, _target in EXPORT_HEADERS},
    ]
    if any(signature <= keys for signature in export_keys):
        return Layout.TREFFPUNKT
    best, best_share = Layout.OTHER, 0.0
    for layout, signature in _SIGNATURES.items():
        share = len(signature & keys) / len(signature)
        if share > best_share:
            best, best_share = layout, share
    return best if best_share >= _MIN_SIGNATURE_SHARE else Layout.OTHER


def propose_mapping(headers: Sequence[str]) -> tuple[Layout, tuple[Field | None, ...]]:
    """The recognised layout and a field (or None) for every column, in column order."""
    layout = detect_layout(headers)
    synonyms = _synonym_table() | _LAYOUT_OVERRIDES.get(layout, {})
    mapping = [guess_field(header, synonyms) for header in headers]
    # German lists often have "Vorname" + "Name": "Name" then is the family name.
    if Field.FIRST_NAME in mapping and Field.LAST_NAME not in mapping:
        mapping = [
            Field.LAST_NAME if target is Field.FULL_NAME and header_key(h) == "name" else target
            for h, target in zip(headers, mapping, strict=True)
        ]
    return layout, tuple(mapping)
