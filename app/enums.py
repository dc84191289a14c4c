"""Enumerations of the directory, importable without SQLAlchemy.

The window's first page builds its rows (``app.services.directory_rows``) before the ORM is
loaded, so these live apart from ``app.models`` (which re-exports them). Values are the
English identifiers of the CLI's JSON (DESIGN.md) and what the database stores.
"""

from __future__ import annotations

import enum


class Salutation(enum.StrEnum):
    NONE = "none"
    FRAU = "frau"
    HERR = "herr"


class AddressKind(enum.StrEnum):
    """Whose postal address a person's own address is: their workplace's or their home."""

    WORK = "work"
    PRIVATE = "private"


class OrganisationKind(enum.StrEnum):
    NEIGHBOURHOOD_OFFICE = "neighbourhood_office"
    SPORTS_CLUB = "sports_club"
    SHELTER = "shelter"
    WELFARE = "welfare"
    MUNICIPALITY = "municipality"
    VENUE = "venue"
    INITIATIVE = "initiative"
    EDUCATION = "education"
    RELIGIOUS = "religious"
    FUNDER = "funder"
    OTHER = "other"


class ConsentTopic(enum.StrEnum):
    CONTACT_DATA = "contact_data"
    EMAIL_INVITATIONS = "email_invitations"
    PHOTOS = "photos"


class ConsentMethod(enum.StrEnum):
    FORM = "form"
    SIGNIN_SHEET = "signin_sheet"
    EMAIL = "email"
    VERBAL = "verbal"
    IMPORT = "import"
    OTHER = "other"
