"""The directory as the importer sees it, and how one contact is matched and merged into it.

Records are applied one after another to this in-memory state, exactly as the database would
change: a later row of the same file finds the person an earlier row created or updated. So
duplicates within a file and against the database are one and the same rule:

1. same e-mail address (case-insensitive) → that person;
2. else same first + last name (folded) in the same organisation (folded; none = none);
3. else a new person.

Empty cells never erase anything; new e-mail addresses, phones, groups and quarters are added;
other changed values replace the old ones (notes are appended).

Postal addresses: a row's work address fills the gaps of the organisation's address (one
person's row never rewrites it); where it then differs from the organisation's (a branch
office), or the person has no organisation, it becomes the person's own work address. A row
without a work address but with a private one gives the person that private address. An
address is taken whole (street, postcode, city, country), never mixed from two rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.contacts.fields import Field
from app.contacts.records import ContactRecord
from app.contacts.values import email_key, phone_key
from app.models import (
    AddressKind,
    Group,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
    organisation_quarters,
    person_groups,
)
from app.services.postal import is_germany
from app.text import fold, sort_key

# Organisation, group and quarter names repeat on every row of a file: fold each only once.
cached_fold = lru_cache(maxsize=4096)(fold)


@dataclass
class OrganisationState:
    id: int | None  # None: created by this import
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    quarters: set[str] = field(default_factory=set)  # folded quarter names
    new_quarters: list[str] = field(default_factory=list)
    changed_address: bool = False


@dataclass
class NamedState:
    """A group or quarter: matched by folded name, created when missing."""

    id: int | None
    name: str


@dataclass
class PersonState:
    id: int  # negative: created by this import
    salutation: Salutation
    title: str
    first_name: str
    last_name: str
    organisation: str  # folded organisation name, "" for none
    name_key: str  # as Person.name_key: sort_key(last_name, first_name)
    function: str
    language: str
    notes: str
    # The person's own postal address (``app.services.postal``).
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    address_private: bool = False
    emails: list[str] = field(default_factory=list)
    email_keys: set[str] = field(default_factory=set)
    phone_keys: set[str] = field(default_factory=set)
    phone_count: int = 0
    groups: set[str] = field(default_factory=set)
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    changes: set[Field] = field(default_factory=set)
    rows: list[int] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.id < 0

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


@dataclass
class DirectoryState:
    people: dict[int, PersonState] = field(default_factory=dict)
    by_email: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[str, str], int] = field(default_factory=dict)
    organisations: dict[str, OrganisationState] = field(default_factory=dict)
    groups: dict[str, NamedState] = field(default_factory=dict)
    quarters: dict[str, NamedState] = field(default_factory=dict)
    touched: list[int] = field(default_factory=list)  # people in the order rows reached them
    touched_ids: set[int] = field(default_factory=set)
    merged_rows: int = 0  # rows that reached a person an earlier row had reached already
    _next_new_id: int = -1

    # -- loading ------------------------------------------------------------------------

    @classmethod
    def load(cls, session: Session) -> DirectoryState:
        """Everything matching needs, in a handful of plain queries (no ORM objects).

        Uses the folded keys the models keep (name_key, address_key); computes them only
        where a row lacks one (rows written around the ORM).
        """
        state = cls()
        org_keys: dict[int, str] = {}
        for row in session.execute(
            select(
                Organisation.id,
                Organisation.name,
                Organisation.name_key,
                Organisation.street,
                Organisation.postcode,
                Organisation.city,
            ).order_by(Organisation.id)
        ):
            key = row.name_key or cached_fold(row.name)
            org_keys[row.id] = key
            state.organisations.setdefault(
                key, OrganisationState(row.id, row.name, row.street, row.postcode, row.city)
            )
        group_keys: dict[int, str] = {}
        for group_id, name, key in session.execute(
            select(Group.id, Group.name, Group.name_key).order_by(Group.id)
        ):
            group_keys[group_id] = key or cached_fold(name)
            state.groups.setdefault(group_keys[group_id], NamedState(group_id, name))
        quarter_keys: dict[int, str] = {}
        for quarter_id, name, key in session.execute(
            select(Quarter.id, Quarter.name, Quarter.name_key).order_by(Quarter.id)
        ):
            quarter_keys[quarter_id] = key or cached_fold(name)
            state.quarters.setdefault(quarter_keys[quarter_id], NamedState(quarter_id, name))
        for org_id, quarter_id in session.execute(
            select(organisation_quarters.c.organisation_id, organisation_quarters.c.quarter_id)
        ):
            organisation = state.organisations[org_keys[org_id]]
            if organisation.id == org_id:
                organisation.quarters.add(quarter_keys[quarter_id])

        for person_row in session.execute(
            select(
                Person.id,
                Person.salutation,
                Person.title,
                Person.first_name,
                Person.last_name,
                Person.name_key,
                Person.organisation_id,
                Person.function,
                Person.preferred_language,
                Person.notes,
                Person.street,
                Person.postcode,
                Person.city,
                Person.country,
                Person.address_kind,
            ).order_by(Person.id)
        ):
            person = PersonState(
                id=person_row.id,
                salutation=person_row.salutation,
                title=person_row.title,
                first_name=person_row.first_name,
                last_name=person_row.last_name,
                organisation=org_keys.get(person_row.organisation_id or 0, ""),
                name_key=person_row.name_key
                or sort_key(person_row.last_name, person_row.first_name),
                function=person_row.function,
                language=person_row.preferred_language,
                notes=person_row.notes,
                street=person_row.street,
                postcode=person_row.postcode,
                city=person_row.city,
                country=person_row.country,
                address_private=person_row.address_kind is AddressKind.PRIVATE,
            )
            state.people[person_row.id] = person
            state.by_name.setdefault((person.name_key, person.organisation), person_row.id)
        for person_id, address, address_key in session.execute(
            select(PersonEmail.person_id, PersonEmail.address, PersonEmail.address_key).order_by(
                PersonEmail.person_id, PersonEmail.position, PersonEmail.id
            )
        ):
            key = address_key or email_key(address)
            person = state.people[person_id]
            person.emails.append(address)
            person.email_keys.add(key)
            state.by_email.setdefault(key, person_id)
        for person_id, number in session.execute(select(PersonPhone.person_id, PersonPhone.number)):
            state.people[person_id].phone_keys.add(phone_key(number))
            state.people[person_id].phone_count += 1
        for person_id, group_id in session.execute(
            select(person_groups.c.person_id, person_groups.c.group_id)
        ):
            state.people[person_id].groups.add(group_keys[group_id])
        return state

    # -- applying one record -------------------------------------------------------------

    def apply(self, record: ContactRecord) -> PersonState:
        organisation = cached_fold(record.organisation)
        name = (record.name_key, organisation)
        person_id = next((self.by_email[k] for k in record.email_keys if k in self.by_email), None)
        if person_id is None:
            person_id = self.by_name.get(name)
        if person_id is None:
            person = self._create(record, name[0])
        else:
            person = self.people[person_id]
            if person_id in self.touched_ids:
                self.merged_rows += 1
            self._merge(person, record)
        if person.id not in self.touched_ids:
            self.touched_ids.add(person.id)
            self.touched.append(person.id)
        person.rows.append(record.row)
        self._add_collections(person, record)
        self._organisation_extras(person, record)
        self._own_address(person, record)
        for key in person.email_keys:
            self.by_email.setdefault(key, person.id)
        if {Field.FIRST_NAME, Field.LAST_NAME} & person.changes:
            person.name_key = sort_key(person.last_name, person.first_name)
        self.by_name.setdefault((person.name_key, person.organisation), person.id)
        return person

    def _create(self, record: ContactRecord, name_key: str) -> PersonState:
        person = PersonState(
            id=self._next_new_id,
            salutation=record.salutation,
            title=record.title,
            first_name=record.first_name,
            last_name=record.last_name,
            organisation=self._organisation(record.organisation),
            name_key=name_key,
            function=record.function,
            language=record.language or "",
            notes=record.notes,
        )
        self._next_new_id -= 1
        self.people[person.id] = person
        return person

    def _merge(self, person: PersonState, record: ContactRecord) -> None:
        def update(target: Field, attribute: str, value: object) -> None:
            if value and getattr(person, attribute) != value:
                setattr(person, attribute, value)
                person.changes.add(target)

        if record.salutation is not Salutation.NONE:
            update(Field.SALUTATION, "salutation", record.salutation)
        update(Field.TITLE, "title", record.title)
        # A row with a single name ("Ayşe") must not overwrite a full name found by e-mail.
        if record.first_name:
            update(Field.FIRST_NAME, "first_name", record.first_name)
            update(Field.LAST_NAME, "last_name", record.last_name)
        if record.organisation and cached_fold(record.organisation) != person.organisation:
            person.organisation = self._organisation(record.organisation)
            person.changes.add(Field.ORGANISATION)
        update(Field.FUNCTION, "function", record.function)
        update(Field.LANGUAGE, "language", record.language)
        if record.notes and record.notes not in person.notes:
            person.notes = f"{person.notes}\n{record.notes}" if person.notes else record.notes
            person.changes.add(Field.NOTES)

    def _add_collections(self, person: PersonState, record: ContactRecord) -> None:
        for address, key in zip(record.emails, record.email_keys, strict=True):
            owner = self.by_email.get(key)
            if key in person.email_keys or (owner is not None and owner != person.id):
                continue  # the address belongs to someone else: never move it silently
            person.emails.append(address)
            person.email_keys.add(key)
            person.new_emails.append(address)
            if not person.is_new:
                person.changes.add(Field.EMAIL)
        for number in record.phones:
            key = phone_key(number)
            if key not in person.phone_keys:
                person.phone_keys.add(key)
                person.new_phones.append(number)
                if not person.is_new:
                    person.changes.add(Field.PHONE)
        for group in record.groups:
            key = cached_fold(group)
            self.groups.setdefault(key, NamedState(None, group))
            if key not in person.groups:
                person.groups.add(key)
                person.new_groups.append(key)
                if not person.is_new:
                    person.changes.add(Field.GROUPS)

    def _organisation(self, name: str) -> str:
        key = cached_fold(name)
        if key:
            self.organisations.setdefault(key, OrganisationState(None, name))
        return key

    def _organisation_extras(self, person: PersonState, record: ContactRecord) -> None:
        """Quarters and address belong to the organisation; without one they are dropped."""
        organisation = self.organisations.get(person.organisation)
        if organisation is None:
            return
        for quarter in record.quarters:
            key = cached_fold(quarter)
            self.quarters.setdefault(key, NamedState(None, quarter))
            if key not in organisation.quarters:
                organisation.quarters.add(key)
                organisation.new_quarters.append(key)
                if not person.is_new:
                    person.changes.add(Field.QUARTER)
        # The address only fills gaps: one person's row must not rewrite the organisation's.
        # The organisation's own columns (Treffpunkt's export) first, then the work address.
        for attribute in ("street", "postcode", "city"):
            value = getattr(record, f"org_{attribute}") or getattr(record, attribute)
            if value and not getattr(organisation, attribute):
                setattr(organisation, attribute, value)
                if organisation.id is not None:
                    organisation.changed_address = True
                    if not person.is_new:
                        person.changes.add(Field(attribute))

    def _own_address(self, person: PersonState, record: ContactRecord) -> None:
        """The person's own address from the row (module docstring: work before private)."""
        if record.has_work_address:
            parts = (record.street, record.postcode, record.city, record.country)
            organisation = self.organisations.get(person.organisation)
            if organisation is not None and is_germany(record.country):
                theirs = (organisation.street, organisation.postcode, organisation.city)
                if _same_address(parts[:3], theirs):
                    return  # the organisation's address: nothing of the person's own
            self._set_own_address(person, parts, private=False, change=Field.STREET)
        elif record.has_home_address:
            parts = (
                record.home_street,
                record.home_postcode,
                record.home_city,
                record.home_country,
            )
            self._set_own_address(person, parts, private=True, change=Field.HOME_STREET)

    @staticmethod
    def _set_own_address(
        person: PersonState, parts: tuple[str, str, str, str], *, private: bool, change: Field
    ) -> None:
        current = (person.street, person.postcode, person.city, person.country)
        if current == parts and person.address_private == private:
            return
        person.street, person.postcode, person.city, person.country = parts
        person.address_private = private
        if not person.is_new:
            person.changes.add(change)

    # -- results ------------------------------------------------------------------------

    def touched_people(self) -> Iterable[PersonState]:
        return (self.people[person_id] for person_id in self.touched)


def _same_address(ours: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Street, postcode and city alike, ignoring case, accents, spaces and "str."/"straße"."""

    def key(text: str) -> str:
        folded = cached_fold(text).replace("strasse", "str").replace("str.", "str")
        return "".join(ch for ch in folded if ch.isalnum())

    return all(key(a) == key(b) for a, b in zip(ours, theirs, strict=True))
