"""The network directory as plain rows for lists, search and the command line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.i18n import N_, _
from app.models import (
    AddressKind,
    ConsentRecord,
    ConsentTopic,
    Group,
    Organisation,
    OrganisationKind,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
    organisation_quarters,
    person_groups,
)
from app.services.postal import AddressParts, PostalAddress, letter_address
from app.text import fold, sort_key

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


def list_people(
    db: Database, *, include_archived: bool = False, ids: Collection[int] | None = None
) -> list[PersonRow]:
    """Everyone in the directory, sorted the German way (Ä with A) by last, then first name.

    *ids*: only these people (team mode refreshes the rows a colleague changed); a person
    not returned is gone (deleted, or archived while archived people are hidden).
    """
    with db.read() as session:
        person_query = (
            select(
                Person,
                Organisation.name,
                Organisation.street,
                Organisation.postcode,
                Organisation.city,
            )
            .outerjoin(Organisation, Person.organisation_id == Organisation.id)
            .order_by(Person.name_key, Person.id)
        )
        if not include_archived:
            person_query = person_query.where(Person.archived.is_(False))
        if ids is not None:
            person_query = person_query.where(Person.id.in_(list(ids)))
        people = session.execute(person_query).all()

        def only(query: Any, column: Any) -> Any:
            return query if ids is None else query.where(column.in_(list(ids)))

        emails: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        for person_id, address, is_preferred in session.execute(
            only(
                select(PersonEmail.person_id, PersonEmail.address, PersonEmail.is_preferred),
                PersonEmail.person_id,
            ).order_by(PersonEmail.person_id, PersonEmail.position, PersonEmail.id)
        ):
            emails[person_id].append((address, is_preferred))
        phones: dict[int, list[str]] = defaultdict(list)
        for person_id, number in session.execute(
            only(select(PersonPhone.person_id, PersonPhone.number), PersonPhone.person_id).order_by(
                PersonPhone.person_id, PersonPhone.position, PersonPhone.id
            )
        ):
            phones[person_id].append(number)
        groups: dict[int, list[str]] = defaultdict(list)
        for person_id, group_name in session.execute(
            only(
                select(person_groups.c.person_id, Group.name).join(
                    Group, Group.id == person_groups.c.group_id
                ),
                person_groups.c.person_id,
            ).order_by(Group.name_key)
        ):
            groups[person_id].append(group_name)
        quarters: dict[int, list[str]] = defaultdict(list)
        for organisation_id, quarter_name in session.execute(
            select(organisation_quarters.c.organisation_id, Quarter.name)
            .join(Quarter, Quarter.id == organisation_quarters.c.quarter_id)
            .order_by(Quarter.name_key)
        ):
            quarters[organisation_id].append(quarter_name)
        consents = latest_consents(
            [
                (row.person_id, row.topic, row.given)
                for row in session.execute(
                    only(
                        select(ConsentRecord.person_id, ConsentRecord.topic, ConsentRecord.given),
                        ConsentRecord.person_id,
                    ).order_by(ConsentRecord.recorded_at, ConsentRecord.id)
                )
            ]
        )

        rows: list[PersonRow] = []
        for person, organisation_name, org_street, org_postcode, org_city in people:
            person_emails = emails.get(person.id, [])
            preferred: str | None = next(
                (address for address, is_preferred in person_emails if is_preferred),
                person_emails[0][0] if person_emails else None,
            )
            name = person_display_name(person.title, person.first_name, person.last_name)
            person_groups_ = tuple(groups.get(person.id, ()))
            person_quarters = tuple(quarters.get(person.organisation_id or -1, ()))
            consent = consents.get(person.id, {})
            search_key = fold(
                " ".join(
                    [name, organisation_name or "", person.function]
                    + [address for address, _preferred in person_emails]
                    + list(person_groups_)
                    + list(person_quarters)
                )
            )
            rows.append(
                PersonRow(
                    id=person.id,
                    salutation=person.salutation,
                    title=person.title,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    name=name,
                    emails=tuple(address for address, _preferred in person_emails),
                    preferred_email=preferred,
                    phones=tuple(phones.get(person.id, ())),
                    organisation_id=person.organisation_id,
                    organisation=organisation_name,
                    function=person.function,
                    groups=person_groups_,
                    quarters=person_quarters,
                    preferred_language=person.preferred_language,
                    archived=person.archived,
                    contact_consent=consent.get(ConsentTopic.CONTACT_DATA),
                    email_consent=consent.get(ConsentTopic.EMAIL_INVITATIONS),
                    photo_consent=consent.get(ConsentTopic.PHOTOS),
                    sort_key=person.name_key,
                    search_key=search_key,
                    address=person_letter_address(
                        person,
                        organisation_name or "",
                        AddressParts.of(org_street, org_postcode, org_city)
                        if organisation_name is not None
                        else None,
                    ),
                )
            )
        return rows


def person_letter_address(
    person: Person, organisation_name: str = "", organisation: AddressParts | None = None
) -> PostalAddress | None:
    """The address a letter to *person* uses (``app.services.postal.letter_address``)."""
    own = AddressParts.of(person.street, person.postcode, person.city, person.country)
    return letter_address(
        own, person.address_kind is AddressKind.PRIVATE, organisation_name, organisation
    )


def list_organisations(
    db: Database, *, include_archived: bool = False, ids: Collection[int] | None = None
) -> list[OrganisationRow]:
    """The organisations, sorted by name; *ids*: only these (as ``list_people``)."""
    with db.read() as session:
        query = select(Organisation).order_by(Organisation.name_key, Organisation.id)
        if not include_archived:
            query = query.where(Organisation.archived.is_(False))
        if ids is not None:
            query = query.where(Organisation.id.in_(list(ids)))
        organisations = session.scalars(query).all()
        quarters: dict[int, list[str]] = defaultdict(list)
        for organisation_id, quarter_name in session.execute(
            select(organisation_quarters.c.organisation_id, Quarter.name)
            .join(Quarter, Quarter.id == organisation_quarters.c.quarter_id)
            .order_by(Quarter.name_key)
        ):
            quarters[organisation_id].append(quarter_name)
        people_count: dict[int, int] = defaultdict(int)
        for (organisation_id,) in session.execute(
            select(Person.organisation_id).where(
                Person.organisation_id.is_not(None), Person.archived.is_(False)
            )
        ):
            if organisation_id is not None:
                people_count[organisation_id] += 1
        rows = []
        for organisation in organisations:
            org_quarters = tuple(quarters.get(organisation.id, ()))
            kind_label = organisation_kind_label(organisation.kind)
            rows.append(
                OrganisationRow(
                    id=organisation.id,
                    name=organisation.name,
                    kind=organisation.kind,
                    kind_label=kind_label,
                    quarters=org_quarters,
                    street=organisation.street,
                    postcode=organisation.postcode,
                    city=organisation.city,
                    website=organisation.website,
                    email=organisation.email,
                    phone=organisation.phone,
                    notes=organisation.notes,
                    people_count=people_count.get(organisation.id, 0),
                    archived=organisation.archived,
                    sort_key=organisation.name_key,
                    search_key=fold(
                        " ".join([organisation.name, kind_label, organisation.city, *org_quarters])
                    ),
                )
            )
        return rows


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
