"""The person fields a column of an imported file can be mapped to."""

from __future__ import annotations

import enum

from app.i18n import N_, _


class Field(enum.StrEnum):
    SALUTATION = "salutation"
    TITLE = "title"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"  # "Dr. Ayşe Yılmaz" or "Yılmaz, Ayşe": split on import
    ORGANISATION = "organisation"
    FUNCTION = "function"
    EMAIL = "email"  # several per cell and several columns allowed
    PHONE = "phone"  # several per cell and several columns allowed
    # The work address: fills the organisation's address where it has none; kept as the
    # person's own work address when it differs (or without an organisation).
    STREET = "street"
    POSTCODE = "postcode"
    CITY = "city"
    COUNTRY = "country"
    # The private address: the person's own address when the row has no work address.
    HOME_STREET = "home_street"
    HOME_POSTCODE = "home_postcode"
    HOME_CITY = "home_city"
    HOME_COUNTRY = "home_country"
    # Google's "Address 1 - Type": "Home" makes the row's address a private one.
    ADDRESS_TYPE = "address_type"
    # The organisation's address as Treffpunkt exports it (fills the organisation's gaps).
    ORG_STREET = "org_street"
    ORG_POSTCODE = "org_postcode"
    ORG_CITY = "org_city"
    GROUPS = "groups"
    QUARTER = "quarter"  # quarters belong to the person's organisation
    NOTES = "notes"
    LANGUAGE = "language"
    # vCard only (RFC 6350): what the card describes and how cards refer to each other.
    KIND = "kind"  # individual (default), org, group, location
    UID = "uid"  # the card's identifier, which a group's MEMBER may name
    MEMBER = "member"  # a group's members: "mailto:…" or another card's UID
    WEBSITE = "website"  # URL: an organisation's website


# Fields whose cells hold lists ("a@x.de ::: b@y.de", "Impuls.Ag, Sport").
MULTI_VALUE_FIELDS = frozenset({Field.EMAIL, Field.PHONE, Field.GROUPS, Field.QUARTER})
NAME_FIELDS = frozenset({Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME})
WORK_ADDRESS_FIELDS = (Field.STREET, Field.POSTCODE, Field.CITY, Field.COUNTRY)
HOME_ADDRESS_FIELDS = (Field.HOME_STREET, Field.HOME_POSTCODE, Field.HOME_CITY, Field.HOME_COUNTRY)
# Fields a vCard's own structure fills; a table column is never mapped to them by hand.
VCARD_ONLY_FIELDS = frozenset({Field.KIND, Field.UID, Field.MEMBER, Field.WEBSITE})

FIELD_LABELS: dict[Field, str] = {
    Field.SALUTATION: N_("Salutation"),
    Field.TITLE: N_("Title"),
    Field.FIRST_NAME: N_("First name"),
    Field.LAST_NAME: N_("Last name"),
    Field.FULL_NAME: N_("Full name"),
    Field.ORGANISATION: N_("Organisation"),
    Field.FUNCTION: N_("Function"),
    Field.EMAIL: N_("E-mail"),
    Field.PHONE: N_("Phone"),
    Field.STREET: N_("Street"),
    Field.POSTCODE: N_("Postcode"),
    Field.CITY: N_("City"),
    Field.COUNTRY: N_("Country"),
    Field.HOME_STREET: N_("Private street"),
    Field.HOME_POSTCODE: N_("Private postcode"),
    Field.HOME_CITY: N_("Private city"),
    Field.HOME_COUNTRY: N_("Private country"),
    Field.ADDRESS_TYPE: N_("Address type (work/home)"),
    Field.ORG_STREET: N_("Organisation's street"),
    Field.ORG_POSTCODE: N_("Organisation's postcode"),
    Field.ORG_CITY: N_("Organisation's city"),
    Field.GROUPS: N_("Groups"),
    Field.QUARTER: N_("Quarter"),
    Field.NOTES: N_("Notes"),
    Field.LANGUAGE: N_("Language"),
    Field.KIND: N_("Kind of card"),
    Field.UID: N_("Card identifier"),
    Field.MEMBER: N_("Group members"),
    Field.WEBSITE: N_("Website"),
}


def field_label(field: Field | None) -> str:
    """The field's name in the current language; ``None`` means the column is not imported."""
    if field is None:
        return _("(do not import)")
    return _(FIELD_LABELS[field])
