"""Editing the network directory: people, organisations, groups, quarters, consent.

Every write takes the version the form was loaded with (lost-update guard,
``app.db.versioning``) and returns what its inverse needs, so the window can offer Undo:

* ``update_person`` returns a ``PersonChange`` (the previous values and the new version);
  ``revert_person_change`` puts the previous values back.
* ``remove_people`` deletes a person who never took part in a meeting and archives everyone
  else; each ``Removal`` carries a snapshot that ``undo_removals`` re-inserts with the same id.
* Group and quarter operations return the ids they actually changed or a snapshot.

Validation lives here too (``validate_person``, ``validate_organisation``): the dialogs show
the same messages inline that the services raise as ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.contacts.values import is_valid_email
from app.db import Database
from app.db.versioning import check_version
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import (
    ActionItem,
    AddressKind,
    AgendaItem,
    Attendance,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Group,
    Invitation,
    Meeting,
    Organisation,
    OrganisationKind,
    OutboxMessage,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
    organisation_quarters,
    person_groups,
    utcnow,
)
from app.services.directory import person_display_name
from app.services.directory_rows import Choice as Choice
from app.services.directory_rows import EditingChoices as EditingChoices
from app.services.postal import valid_postcode
from app.text import fold, nfc

LOCAL_ZONE = ZoneInfo("Europe/Berlin")

# ---------------------------------------------------------------------------------------------
# Plain data crossing into the window


@dataclass(frozen=True, slots=True)
class EmailInput:
    address: str
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class ConsentInput:
    """One statement: consent to *topic* given (or withdrawn) on *recorded_on* by *method*."""

    topic: ConsentTopic
    given: bool
    recorded_on: date
    method: ConsentMethod = ConsentMethod.OTHER
    note: str = ""


@dataclass(frozen=True, slots=True)
class PersonInput:
    last_name: str
    first_name: str = ""
    salutation: Salutation = Salutation.NONE
    title: str = ""
    emails: tuple[EmailInput, ...] = ()
    phones: tuple[str, ...] = ()
    organisation_id: int | None = None
    function: str = ""
    group_ids: tuple[int, ...] = ()
    preferred_language: str = "de"
    notes: str = ""
    # The person's own postal address (optional; letters prefer it to the organisation's).
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    address_private: bool = False  # a home address, not the workplace
    # Statements recorded together with this save (append-only, never edited).
    new_consents: tuple[ConsentInput, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentRow:
    id: int
    topic: ConsentTopic
    given: bool
    recorded_at: datetime
    method: ConsentMethod
    note: str


@dataclass(frozen=True, slots=True)
class PersonForm:
    """A person as a form loads it; ``version`` goes back with the save."""

    id: int
    version: int
    values: PersonInput
    archived: bool
    consents: tuple[ConsentRow, ...]
    # Took part in a meeting (invited, attended, a role, a task): archive, never delete.
    in_use: bool


@dataclass(frozen=True, slots=True)
class PersonChange:
    person_id: int
    previous: PersonInput
    version: int
    added_consent_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Saved:
    id: int
    version: int


@dataclass(frozen=True, slots=True)
class PersonSnapshot:
    """Everything needed to re-insert a deleted person with the same id."""

    id: int
    values: PersonInput
    archived: bool
    consents: tuple[ConsentRow, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Removal:
    """What ``remove_people`` did to one person: deleted (with snapshot) or archived."""

    person_id: int
    name: str
    archived: bool
    snapshot: PersonSnapshot | None
    version: int | None  # after archiving


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    person_id: int
    name: str
    archive: bool  # True: appears in meetings, so it is archived instead of deleted


@dataclass(frozen=True, slots=True)
class OrganisationInput:
    name: str
    kind: OrganisationKind = OrganisationKind.OTHER
    quarter_ids: tuple[int, ...] = ()
    street: str = ""
    postcode: str = ""
    city: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class OrganisationForm:
    id: int
    version: int
    values: OrganisationInput
    archived: bool
    people: tuple[str, ...]  # names of its people, German order


@dataclass(frozen=True, slots=True)
class OrganisationChange:
    organisation_id: int
    previous: OrganisationInput
    version: int


@dataclass(frozen=True, slots=True)
class LabelSnapshot:
    """A deleted group or quarter with its members (people or organisations)."""

    id: int
    name: str
    description: str
    member_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str  # "last_name", "emails", "email", "name", ...
    message: str
    index: int | None = None  # which e-mail row


@dataclass(frozen=True, slots=True)
class _Labels:
    """A group or a quarter: the model and its association table column."""

    model: Any  # Group or Quarter
    table: Any
    label_column: str
    member_column: str


_GROUPS = _Labels(Group, person_groups, "group_id", "person_id")
_QUARTERS = _Labels(Quarter, organisation_quarters, "quarter_id", "organisation_id")


# ---------------------------------------------------------------------------------------------
# Validation


def validate_person(values: PersonInput) -> list[FieldError]:
    """Problems the user must fix before saving, in form order; empty when all is well."""
    errors: list[FieldError] = []
    if not nfc(values.last_name):
        errors.append(FieldError("last_name", _("Please enter a last name.")))
    seen: set[str] = set()
    for number, email in enumerate(values.emails):
        address = nfc(email.address)
        if not address:
            continue
        if not is_valid_email(address):
            errors.append(
                FieldError(
                    "emails",
                    _("“{address}” is not a valid e-mail address.").format(address=address),
                    number,
                )
            )
        elif address.casefold() in seen:
            errors.append(FieldError("emails", _("This address is entered twice."), number))
        seen.add(address.casefold())
    postcode = nfc(values.postcode)
    if postcode and not valid_postcode(postcode, values.country):
        errors.append(FieldError("postcode", _("A German postcode has five digits, e.g. 47798.")))
    return errors


def validate_organisation(values: OrganisationInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if not nfc(values.name):
        errors.append(FieldError("name", _("Please enter a name.")))
    email = nfc(values.email)
    if email and not is_valid_email(email):
        errors.append(
            FieldError(
                "email", _("“{address}” is not a valid e-mail address.").format(address=email)
            )
        )
    return errors


def _raise_first(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors[0].message)


def _clean_emails(emails: Sequence[EmailInput]) -> list[EmailInput]:
    """Blank rows dropped; exactly one preferred address (the first when none is marked)."""
    cleaned = [EmailInput(nfc(e.address), e.preferred) for e in emails if nfc(e.address)]
    preferred = next((n for n, e in enumerate(cleaned) if e.preferred), 0)
    return [EmailInput(e.address, n == preferred) for n, e in enumerate(cleaned)]


# ---------------------------------------------------------------------------------------------
# Reading for forms


def editing_choices(db: Database) -> EditingChoices:
    """Organisations, groups and quarters to choose from, German order, with member counts."""
    with db.read() as session:
        organisations = tuple(
            Choice(o.id, o.name, o.archived)
            for o in session.scalars(select(Organisation).order_by(Organisation.name_key))
        )
        return EditingChoices(
            organisations, _label_choices(session, _GROUPS), _label_choices(session, _QUARTERS)
        )


def _label_choices(session: Session, labels: _Labels) -> tuple[Choice, ...]:
    label_id = getattr(labels.table.c, labels.label_column)
    counts: dict[int, int] = {
        label: count
        for label, count in session.execute(select(label_id, func.count()).group_by(label_id))
    }
    model = labels.model
    return tuple(
        Choice(row.id, row.name, members=counts.get(row.id, 0))
        for row in session.scalars(select(model).order_by(model.name_key, model.id))
    )


def _consent_rows(person: Person) -> tuple[ConsentRow, ...]:
    records = sorted(person.consents, key=lambda r: (r.recorded_at, r.id))
    return tuple(
        ConsentRow(r.id, r.topic, r.given, r.recorded_at, r.method, r.note) for r in records
    )


def _person_values(person: Person) -> PersonInput:
    return PersonInput(
        last_name=person.last_name,
        first_name=person.first_name,
        salutation=person.salutation,
        title=person.title,
        emails=tuple(EmailInput(e.address, e.is_preferred) for e in person.emails),
        phones=tuple(p.number for p in person.phones),
        organisation_id=person.organisation_id,
        function=person.function,
        group_ids=tuple(sorted(g.id for g in person.groups)),
        preferred_language=person.preferred_language,
        notes=person.notes,
        street=person.street,
        postcode=person.postcode,
        city=person.city,
        country=person.country,
        address_private=person.address_kind is AddressKind.PRIVATE,
    )


def _in_use(session: Session, person_id: int) -> bool:
    """Whether the person appears in any meeting: invited, attended, a role, a TOP, a task,
    a mail. Such people are archived, never deleted, so the records stay complete."""
    checks = (
        exists().where(Invitation.person_id == person_id),
        exists().where(Attendance.person_id == person_id),
        exists().where(
            or_(
                Meeting.organiser_id == person_id,
                Meeting.moderator_id == person_id,
                Meeting.minute_taker_id == person_id,
            )
        ),
        exists().where(AgendaItem.presenter_id == person_id),
        exists().where(ActionItem.owner_person_id == person_id),
        exists().where(OutboxMessage.person_id == person_id),
    )
    return any(session.scalar(select(check)) for check in checks)


def _get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(_("This person no longer exists."))
    return person


def load_person(db: Database, person_id: int) -> PersonForm:
    with db.read() as session:
        person = _get_person(session, person_id)
        return PersonForm(
            id=person.id,
            version=person.version,
            values=_person_values(person),
            archived=person.archived,
            consents=_consent_rows(person),
            in_use=_in_use(session, person.id),
        )


def list_consents(db: Database, person_id: int) -> tuple[ConsentRow, ...]:
    with db.read() as session:
        return _consent_rows(_get_person(session, person_id))


# ---------------------------------------------------------------------------------------------
# People


def _consent_time(day: date, now: datetime | None = None) -> datetime:
    """Today's statements carry the current time, so they outrank earlier ones of the same day;
    a statement dated in the past is placed at noon local time."""
    now = now or utcnow()
    if day == now.astimezone(LOCAL_ZONE).date():
        return now
    return datetime.combine(day, time(12), LOCAL_ZONE).astimezone(UTC)


def _apply_person(session: Session, person: Person, values: PersonInput) -> tuple[int, ...]:
    """Write *values* into *person*; returns the ids of the consent records added."""
    # No autoflush halfway: the version must rise once per save, not once per query.
    with session.no_autoflush:
        person.salutation = values.salutation
        person.title = nfc(values.title)
        person.first_name = nfc(values.first_name)
        person.last_name = nfc(values.last_name)
        person.function = nfc(values.function)
        person.preferred_language = values.preferred_language or "de"
        person.notes = nfc(values.notes)
        person.street = nfc(values.street)
        person.postcode = nfc(values.postcode)
        person.city = nfc(values.city)
        person.country = nfc(values.country)
        person.address_kind = AddressKind.PRIVATE if values.address_private else AddressKind.WORK
        if (
            values.organisation_id is not None
            and session.get(Organisation, values.organisation_id) is None
        ):
            raise ValidationError(_("The chosen organisation no longer exists."))
        person.organisation_id = values.organisation_id
        person.emails = [
            PersonEmail(address=e.address, is_preferred=e.preferred, position=n)
            for n, e in enumerate(_clean_emails(values.emails))
        ]
        person.phones = [
            PersonPhone(number=number, position=n)
            for n, number in enumerate(p for p in (nfc(p) for p in values.phones) if p)
        ]
        groups = session.scalars(select(Group).where(Group.id.in_(values.group_ids))).all()
        person.groups = sorted(groups, key=lambda g: g.id)
        # Child rows alone would not raise the version: the whole form counts as one change.
        person.updated_at = utcnow()
        added = [
            ConsentRecord(
                topic=c.topic,
                given=c.given,
                recorded_at=_consent_time(c.recorded_on),
                method=c.method,
                note=nfc(c.note),
            )
            for c in values.new_consents
        ]
        person.consents.extend(added)
    session.flush()
    return tuple(record.id for record in added)


def create_person(db: Database, values: PersonInput) -> Saved:
    _raise_first(validate_person(values))
    with db.write() as session:
        person = Person(last_name="")
        session.add(person)
        _apply_person(session, person, values)
        session.flush()
        return Saved(person.id, person.version)


def update_person(
    db: Database, person_id: int, values: PersonInput, expected_version: int
) -> PersonChange:
    """Save the form; ``ConflictError`` when someone saved the person since it was loaded."""
    _raise_first(validate_person(values))
    with db.write() as session:
        person = check_version(session, Person, person_id, expected_version)
        previous = _person_values(person)
        added = _apply_person(session, person, values)
        return PersonChange(person.id, previous, person.version, added)


def revert_person_change(db: Database, change: PersonChange) -> Saved:
    """Undo ``update_person``: the previous values back, the consent statements it added gone."""
    with db.write() as session:
        person = check_version(session, Person, change.person_id, change.version)
        person.consents = [c for c in person.consents if c.id not in change.added_consent_ids]
        _apply_person(session, person, change.previous)
        return Saved(person.id, person.version)


def plan_removal(db: Database, person_ids: Iterable[int]) -> list[RemovalPlan]:
    """Tells the window, before asking, who would be deleted and who archived."""
    with db.read() as session:
        plans = []
        for person_id in person_ids:
            person = _get_person(session, person_id)
            plans.append(
                RemovalPlan(
                    person.id,
                    person_display_name(person.title, person.first_name, person.last_name),
                    _in_use(session, person.id),
                )
            )
        return plans


def remove_people(
    db: Database, person_ids: Iterable[int], *, allow_archive: bool = True
) -> list[Removal]:
    """Delete people who never appeared in a meeting; archive the others (one transaction).

    With ``allow_archive=False`` (undoing a creation) a person in use raises instead.
    """
    removals: list[Removal] = []
    with db.write() as session:
        for person_id in person_ids:
            person = _get_person(session, person_id)
            name = person_display_name(person.title, person.first_name, person.last_name)
            if _in_use(session, person.id):
                if not allow_archive:
                    raise ValidationError(
                        _("{name} has been added to a meeting meanwhile.").format(name=name)
                    )
                was_archived = person.archived
                person.archived = True
                session.flush()
                removals.append(Removal(person.id, name, not was_archived, None, person.version))
                continue
            snapshot = PersonSnapshot(
                id=person.id,
                values=_person_values(person),
                archived=person.archived,
                consents=_consent_rows(person),
                created_at=person.created_at,
            )
            session.delete(person)
            session.flush()
            removals.append(Removal(person_id, name, False, snapshot, None))
    return removals


def undo_removals(db: Database, removals: Iterable[Removal]) -> None:
    """Re-insert deleted people with their ids and un-archive the archived ones."""
    with db.write() as session:
        for removal in removals:
            if removal.snapshot is not None:
                _restore_snapshot(session, removal.snapshot)
            elif removal.archived and removal.version is not None:
                person = check_version(session, Person, removal.person_id, removal.version)
                person.archived = False
        session.flush()


def _restore_snapshot(session: Session, snapshot: PersonSnapshot) -> None:
    if session.get(Person, snapshot.id) is not None:
        return  # already back (undo ran twice after a failure)
    values = snapshot.values
    if (
        values.organisation_id is not None
        and session.get(Organisation, values.organisation_id) is None
    ):
        values = _replace_values(values, organisation_id=None)
    person = Person(id=snapshot.id, last_name="", created_at=snapshot.created_at)
    session.add(person)
    _apply_person(session, person, values)
    person.archived = snapshot.archived
    person.consents = [
        ConsentRecord(
            id=c.id,
            topic=c.topic,
            given=c.given,
            recorded_at=c.recorded_at,
            method=c.method,
            note=c.note,
        )
        for c in snapshot.consents
    ]


def _replace_values(values: PersonInput, **changes: Any) -> PersonInput:
    from dataclasses import replace

    return replace(values, **changes)


def set_people_archived(db: Database, person_ids: Iterable[int], archived: bool) -> tuple[int, ...]:
    """Archive or restore people; returns the ids that changed (the inverse's input)."""
    changed = []
    with db.write() as session:
        for person_id in person_ids:
            person = _get_person(session, person_id)
            if person.archived != archived:
                person.archived = archived
                changed.append(person.id)
        session.flush()
    return tuple(changed)


# ---------------------------------------------------------------------------------------------
# Consent


def add_consent(db: Database, person_id: int, statement: ConsentInput) -> int:
    """Record one statement; returns its id (``delete_consent`` undoes it)."""
    with db.write() as session:
        person = _get_person(session, person_id)
        record = ConsentRecord(
            topic=statement.topic,
            given=statement.given,
            recorded_at=_consent_time(statement.recorded_on),
            method=statement.method,
            note=nfc(statement.note),
        )
        person.consents.append(record)
        session.flush()
        return record.id


def delete_consent(db: Database, record_id: int) -> None:
    with db.write() as session:
        session.execute(delete(ConsentRecord).where(ConsentRecord.id == record_id))


# ---------------------------------------------------------------------------------------------
# Organisations


def _organisation_values(organisation: Organisation) -> OrganisationInput:
    return OrganisationInput(
        name=organisation.name,
        kind=organisation.kind,
        quarter_ids=tuple(sorted(q.id for q in organisation.quarters)),
        street=organisation.street,
        postcode=organisation.postcode,
        city=organisation.city,
        website=organisation.website,
        email=organisation.email,
        phone=organisation.phone,
        notes=organisation.notes,
    )


def _apply_organisation(
    session: Session, organisation: Organisation, values: OrganisationInput
) -> None:
    organisation.name = nfc(values.name)
    organisation.kind = values.kind
    for name in ("street", "postcode", "city", "website", "email", "phone", "notes"):
        setattr(organisation, name, nfc(getattr(values, name)))
    quarters = session.scalars(select(Quarter).where(Quarter.id.in_(values.quarter_ids))).all()
    organisation.quarters = sorted(quarters, key=lambda q: q.id)
    organisation.updated_at = utcnow()
    session.flush()


def load_organisation(db: Database, organisation_id: int) -> OrganisationForm:
    with db.read() as session:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotFound(_("This organisation no longer exists."))
        people = session.scalars(
            select(Person)
            .where(Person.organisation_id == organisation_id, Person.archived.is_(False))
            .order_by(Person.name_key)
        ).all()
        return OrganisationForm(
            id=organisation.id,
            version=organisation.version,
            values=_organisation_values(organisation),
            archived=organisation.archived,
            people=tuple(person_display_name(p.title, p.first_name, p.last_name) for p in people),
        )


def create_organisation(db: Database, values: OrganisationInput) -> Saved:
    _raise_first(validate_organisation(values))
    with db.write() as session:
        organisation = Organisation(name="")
        session.add(organisation)
        _apply_organisation(session, organisation, values)
        return Saved(organisation.id, organisation.version)


def update_organisation(
    db: Database, organisation_id: int, values: OrganisationInput, expected_version: int
) -> OrganisationChange:
    _raise_first(validate_organisation(values))
    with db.write() as session:
        organisation = check_version(session, Organisation, organisation_id, expected_version)
        previous = _organisation_values(organisation)
        _apply_organisation(session, organisation, values)
        return OrganisationChange(organisation.id, previous, organisation.version)


def revert_organisation_change(db: Database, change: OrganisationChange) -> Saved:
    with db.write() as session:
        organisation = check_version(session, Organisation, change.organisation_id, change.version)
        _apply_organisation(session, organisation, change.previous)
        return Saved(organisation.id, organisation.version)


def delete_new_organisation(db: Database, organisation_id: int) -> None:
    """Undo of a creation: only while nobody refers to the organisation yet."""
    with db.write() as session:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            return
        if session.scalar(select(exists().where(Person.organisation_id == organisation_id))):
            raise ValidationError(
                _("{name} has people meanwhile and stays.").format(name=organisation.name)
            )
        if session.scalar(select(exists().where(Invitation.organisation_id == organisation_id))):
            raise ValidationError(
                _("{name} has been invited meanwhile and stays.").format(name=organisation.name)
            )
        session.delete(organisation)


def set_organisations_archived(
    db: Database, organisation_ids: Iterable[int], archived: bool
) -> tuple[int, ...]:
    changed = []
    with db.write() as session:
        for organisation_id in organisation_ids:
            organisation = session.get(Organisation, organisation_id)
            if organisation is None:
                raise NotFound(_("This organisation no longer exists."))
            if organisation.archived != archived:
                organisation.archived = archived
                changed.append(organisation.id)
        session.flush()
    return tuple(changed)


# ---------------------------------------------------------------------------------------------
# Groups and quarters


def _check_label_name(session: Session, labels: _Labels, name: str, own_id: int | None) -> str:
    name = nfc(name)
    if not name:
        raise ValidationError(_("Please enter a name."))
    model = labels.model
    clash = session.scalar(
        select(model.id).where(model.name_key == fold(name), model.id != (own_id or -1))
    )
    if clash is not None:
        raise ValidationError(_("“{name}” exists already.").format(name=name))
    return name


def _create_label(db: Database, labels: _Labels, name: str) -> int:
    with db.write() as session:
        row = labels.model(name=_check_label_name(session, labels, name, None))
        session.add(row)
        session.flush()
        return row.id


def _rename_label(db: Database, labels: _Labels, label_id: int, name: str) -> str:
    with db.write() as session:
        row = session.get(labels.model, label_id)
        if row is None:
            raise NotFound(_("This entry no longer exists."))
        previous = row.name
        row.name = _check_label_name(session, labels, name, label_id)
        session.flush()
        return previous


def _delete_label(db: Database, labels: _Labels, label_id: int) -> LabelSnapshot:
    with db.write() as session:
        row = session.get(labels.model, label_id)
        if row is None:
            raise NotFound(_("This entry no longer exists."))
        table = labels.table
        members = tuple(
            session.scalars(
                select(getattr(table.c, labels.member_column))
                .where(getattr(table.c, labels.label_column) == label_id)
                .order_by(getattr(table.c, labels.member_column))
            )
        )
        snapshot = LabelSnapshot(row.id, row.name, getattr(row, "description", ""), members)
        session.delete(row)
        session.flush()
        return snapshot


def _restore_label(db: Database, labels: _Labels, snapshot: LabelSnapshot) -> None:
    with db.write() as session:
        if session.get(labels.model, snapshot.id) is None:
            row = labels.model(
                id=snapshot.id, name=_check_label_name(session, labels, snapshot.name, None)
            )
            if isinstance(row, Group):
                row.description = snapshot.description
            session.add(row)
            session.flush()
        member_model = Person if labels is _GROUPS else Organisation
        existing = set(
            session.scalars(select(member_model.id).where(member_model.id.in_(snapshot.member_ids)))
        )
        label_column = labels.table.c[labels.label_column]
        linked = set(
            session.scalars(
                select(labels.table.c[labels.member_column]).where(label_column == snapshot.id)
            )
        )
        rows = [
            {labels.label_column: snapshot.id, labels.member_column: member}
            for member in snapshot.member_ids
            if member in existing and member not in linked
        ]
        if rows:
            session.execute(insert(labels.table), rows)


def create_group(db: Database, name: str) -> int:
    return _create_label(db, _GROUPS, name)


def rename_group(db: Database, group_id: int, name: str) -> str:
    """Returns the previous name (rename back to undo)."""
    return _rename_label(db, _GROUPS, group_id, name)


def delete_group(db: Database, group_id: int) -> LabelSnapshot:
    """Deletes the group and its memberships (the people stay); ``restore_group`` undoes it."""
    return _delete_label(db, _GROUPS, group_id)


def restore_group(db: Database, snapshot: LabelSnapshot) -> None:
    _restore_label(db, _GROUPS, snapshot)


def create_quarter(db: Database, name: str) -> int:
    return _create_label(db, _QUARTERS, name)


def rename_quarter(db: Database, quarter_id: int, name: str) -> str:
    return _rename_label(db, _QUARTERS, quarter_id, name)


def delete_quarter(db: Database, quarter_id: int) -> LabelSnapshot:
    return _delete_label(db, _QUARTERS, quarter_id)


def restore_quarter(db: Database, snapshot: LabelSnapshot) -> None:
    _restore_label(db, _QUARTERS, snapshot)


@dataclass(frozen=True, slots=True)
class Membership:
    """Result of a bulk assignment: which people actually changed (the inverse's input)."""

    group_id: int
    person_ids: tuple[int, ...] = field(default=())


def add_to_group(db: Database, person_ids: Iterable[int], group_id: int) -> Membership:
    """Put many people into a group at once; those already in it are left alone."""
    wanted = set(person_ids)
    with db.write() as session:
        if session.get(Group, group_id) is None:
            raise NotFound(_("This group no longer exists."))
        present = set(session.scalars(select(Person.id).where(Person.id.in_(wanted))))
        already = set(
            session.scalars(
                select(person_groups.c.person_id).where(
                    person_groups.c.group_id == group_id, person_groups.c.person_id.in_(present)
                )
            )
        )
        added = tuple(sorted(present - already))
        if added:
            session.execute(
                insert(person_groups), [{"person_id": p, "group_id": group_id} for p in added]
            )
            _touch_people(session, added)
        return Membership(group_id, added)


def remove_from_group(db: Database, person_ids: Iterable[int], group_id: int) -> Membership:
    wanted = set(person_ids)
    with db.write() as session:
        removed = tuple(
            sorted(
                session.scalars(
                    select(person_groups.c.person_id).where(
                        person_groups.c.group_id == group_id,
                        person_groups.c.person_id.in_(wanted),
                    )
                )
            )
        )
        if removed:
            session.execute(
                delete(person_groups).where(
                    person_groups.c.group_id == group_id, person_groups.c.person_id.in_(removed)
                )
            )
            _touch_people(session, removed)
        return Membership(group_id, removed)


def _touch_people(session: Session, person_ids: Sequence[int]) -> None:
    # A form opened before the bulk change would otherwise write the old groups back. One
    # UPDATE instead of loading thousands of rows: "add 3,000 people to a group" stays quick.
    now = utcnow()
    for start in range(0, len(person_ids), 500):
        session.execute(
            update(Person)
            .where(Person.id.in_(person_ids[start : start + 500]))
            .values(version=Person.version + 1, updated_at=now),
            execution_options={"synchronize_session": False},
        )
