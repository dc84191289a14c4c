"""The network directory as plain rows for lists, search and the command line."""

from __future__ import annotations

from sqlalchemy import select

from app.db import Database
from app.models import AddressKind, Organisation, Person
from app.services.directory_listing import list_organisation_rows, list_people_rows
from app.services.directory_rows import ORGANISATION_KIND_LABELS as ORGANISATION_KIND_LABELS
from app.services.directory_rows import OrganisationRow as OrganisationRow
from app.services.directory_rows import PersonRow as PersonRow
from app.services.directory_rows import latest_consents as latest_consents
from app.services.directory_rows import organisation_kind_label as organisation_kind_label
from app.services.directory_rows import person_display_name as person_display_name
from app.services.directory_rows import person_name_key as person_name_key
from app.services.postal import AddressParts, PostalAddress, letter_address


def list_people(db: Database, *, include_archived: bool = False) -> list[PersonRow]:
    """Everyone in the directory, sorted the German way (Ä with A) by last, then first name.

    Plain SQL (``app.services.directory_listing``): 10,000 people in a few hundredths of a
    second, where ORM objects per person took seconds.
    """
    return list_people_rows(db, include_archived=include_archived)


def person_letter_address(
    person: Person, organisation_name: str = "", organisation: AddressParts | None = None
) -> PostalAddress | None:
    """The address a letter to *person* uses (``app.services.postal.letter_address``)."""
    own = AddressParts.of(person.street, person.postcode, person.city, person.country)
    return letter_address(
        own, person.address_kind is AddressKind.PRIVATE, organisation_name, organisation
    )


def list_organisations(db: Database, *, include_archived: bool = False) -> list[OrganisationRow]:
    return list_organisation_rows(db, include_archived=include_archived)


def count_rows(db: Database) -> dict[str, int]:
    """How much the database holds (people, organisations, meetings): for refusing demo data."""
    from sqlalchemy import func

    from app.models import Meeting

    with db.read() as session:
        return {
            "people": session.scalar(select(func.count()).select_from(Person)) or 0,
            "organisations": session.scalar(select(func.count()).select_from(Organisation)) or 0,
            "meetings": session.scalar(select(func.count()).select_from(Meeting)) or 0,
        }
