"""The directory's plain rows and labels, importable without SQLAlchemy.

``app.services.directory`` (the ORM services) and ``app.services.directory_listing`` (the fast
listings of the window's first page) both hand these frozen rows to the window.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.enums import ConsentTopic, OrganisationKind, Salutation
from app.i18n import N_, _
from app.services.postal import PostalAddress
from app.text import sort_key

ORGANISATION_KIND_LABELS: dict[OrganisationKind, str] = {
    OrganisationKind.NEIGHBOURHOOD_OFFICE: N_("Neighbourhood office"),
    OrganisationKind.SPORTS_CLUB: N_("Sports club"),
    OrganisationKind.SHELTER: N_("Refugee shelter"),
    OrganisationKind.WELFARE: N_("Welfare organisation"),
    OrganisationKind.MUNICIPALITY: N_("Municipality"),
    OrganisationKind.VENUE: N_("Venue"),
    OrganisationKind.INITIATIVE: N_("Initiative"),
    OrganisationKind.EDUCATION: N_("Education"),
    OrganisationKind.RELIGIOUS: N_("Religious community"),
    OrganisationKind.FUNDER: N_("Funder"),
    OrganisationKind.OTHER: N_("Other"),
}


def organisation_kind_label(kind: OrganisationKind) -> str:
    return _(ORGANISATION_KIND_LABELS[kind])


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    salutation: Salutation
    title: str
    first_name: str
    last_name: str
    name: str
    emails: tuple[str, ...]
    preferred_email: str | None
    phones: tuple[str, ...]
    organisation_id: int | None
    organisation: str | None
    function: str
    groups: tuple[str, ...]
    quarters: tuple[str, ...]
    preferred_language: str
    archived: bool
    # Latest consent per topic: True given, False withdrawn, None never asked.
    contact_consent: bool | None
    email_consent: bool | None
    photo_consent: bool | None
    sort_key: str
    search_key: str
    # The postal address letters use (own, else the organisation's); None: no usable one.
    address: PostalAddress | None = None


@dataclass(frozen=True, slots=True)
class PersonChoice:
    """A person to pick (organiser, presenter): what a picker shows and keeps."""

    id: int
    name: str
    organisation: str | None
    archived: bool


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    id: int
    name: str
    kind: OrganisationKind
    kind_label: str
    quarters: tuple[str, ...]
    street: str
    postcode: str
    city: str
    website: str
    email: str
    phone: str
    notes: str
    people_count: int
    archived: bool
    sort_key: str
    search_key: str


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str
    archived: bool = False
    members: int = 0  # people in a group, organisations in a quarter


@dataclass(frozen=True, slots=True)
class EditingChoices:
    organisations: tuple[Choice, ...]
    groups: tuple[Choice, ...]
    quarters: tuple[Choice, ...]


def person_display_name(title: str, first_name: str, last_name: str) -> str:
    """ "Dr. Ayşe Yılmaz"; the title is kept, the salutation is for letters only."""
    return " ".join(part for part in (title, first_name, last_name) if part)


def person_name_key(first_name: str, last_name: str) -> str:
    return sort_key(last_name, first_name)


def latest_consents(
    records: list[tuple[int, ConsentTopic, bool]],
) -> dict[int, dict[ConsentTopic, bool]]:
    """Records must come in recording order; the last statement per person and topic counts."""
    result: dict[int, dict[ConsentTopic, bool]] = defaultdict(dict)
    for person_id, topic, given in records:
        result[person_id][topic] = given
    return result
