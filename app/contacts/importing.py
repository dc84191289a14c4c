"""Planning and applying a contacts import: validate rows, match people, write in ONE transaction.

Typical use (window or command line)::

    preview = preview_import(path)                      # may raise ImportFileError
    plan = plan_import(db, preview, corrected_mapping)  # may raise ImportMappingError
    result = apply_import(db, plan, strict=..., dry_run=...)

``apply_import`` matches again inside its write transaction, so a change made between planning
and applying is respected; the plan's counts are the forecast shown to the user.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session, selectinload

from app.contacts.cell_warnings import CellWarning
from app.contacts.directory_state import DirectoryState, PersonState
from app.contacts.entities import CardRef, EntityOutcome, apply_entities, cards_by_uid
from app.contacts.entity_records import EntityRecord
from app.contacts.errors import ImportMappingError, ImportRejectedError, RejectedRow
from app.contacts.fields import NAME_FIELDS, Field
from app.contacts.preview import ImportPreview, preview_import
from app.contacts.reading import SourceFormat
from app.contacts.records import ContactRecord, build_record
from app.contacts.values import email_key, split_emails
from app.db import Database
from app.i18n import _, ngettext
from app.models import (
    AddressKind,
    Base,
    Group,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    organisation_quarters,
    person_groups,
    utcnow,
)

# Person.preferred_language's default ("de"); bulk inserts state every value explicitly.
DEFAULT_LANGUAGE: str = Person.__table__.c.preferred_language.default.arg

_CHUNK = 500  # ids per IN (...) query, well below SQLite's variable limit
_MAX_LISTED_PROBLEMS = 10


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class PlannedContact:
    action: Action
    person_id: int | None  # None for a person the import creates
    name: str
    rows: tuple[int, ...]  # every row of the file that went into this person
    changes: tuple[Field, ...]  # for UPDATE: what changes


@dataclass(frozen=True, slots=True)
class ImportPlan:
    path: Path
    format: SourceFormat
    records: tuple[ContactRecord, ...]  # the valid rows, in file order
    rejected: tuple[RejectedRow, ...]  # rows refused and entries that could not be read
    contacts: tuple[PlannedContact, ...]
    merged: int  # rows that reached a person an earlier row of the file reached already
    new_organisations: tuple[str, ...]
    new_groups: tuple[str, ...]
    new_quarters: tuple[str, ...]
    warnings: tuple[CellWarning, ...] = ()  # imported, but worth a look (lost zeros)
    # Rows that are an organisation, group or venue, and what they would do.
    entities: tuple[EntityRecord, ...] = ()
    entity_outcome: EntityOutcome = field(default_factory=EntityOutcome)
    member_uids: tuple[CardRef, ...] = ()  # cards a group's MEMBER may name

    @property
    def importable(self) -> int:
        """Rows that can be imported: people and organisations, groups, venues."""
        return len(self.records) + len(self.entities)

    @property
    def created(self) -> int:
        return sum(1 for c in self.contacts if c.action is Action.CREATE)

    @property
    def updated(self) -> int:
        return sum(1 for c in self.contacts if c.action is Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return sum(1 for c in self.contacts if c.action is Action.UNCHANGED)


@dataclass(frozen=True, slots=True)
class ImportResult:
    format: SourceFormat
    created: int
    updated: int
    unchanged: int
    merged: int
    rejected: tuple[RejectedRow, ...]
    created_ids: tuple[int, ...]  # empty for a dry run
    updated_ids: tuple[int, ...]
    new_organisations: tuple[str, ...]
    new_groups: tuple[str, ...]
    new_quarters: tuple[str, ...]
    dry_run: bool
    warnings: tuple[CellWarning, ...] = ()
    entities: EntityOutcome = field(default_factory=EntityOutcome)  # organisations, groups …


@dataclass(frozen=True, slots=True)
class CheckedRows:
    people: tuple[ContactRecord, ...]
    entities: tuple[EntityRecord, ...]  # organisations, groups, venues
    rejected: tuple[RejectedRow, ...]


def sort_rows(preview: ImportPreview, mapping: Sequence[Field | None]) -> CheckedRows:
    """Validate and normalise every row without the database: people, the rows that are an
    organisation, group or venue, and the rejected rows with the file's unreadable entries
    (e.g. a vCard without END:VCARD) among them by position."""
    records: list[ContactRecord] = []
    entities: list[EntityRecord] = []
    rejected: list[RejectedRow] = list(preview.broken)
    for row in preview.rows:
        outcome = build_record(row, mapping)
        if isinstance(outcome, RejectedRow):
            rejected.append(outcome)
        elif isinstance(outcome, EntityRecord):
            entities.append(outcome)
        else:
            records.append(outcome)
    return CheckedRows(tuple(records), tuple(entities), tuple(sorted(rejected)))


def check_rows(
    preview: ImportPreview, mapping: Sequence[Field | None]
) -> tuple[tuple[ContactRecord, ...], tuple[RejectedRow, ...]]:
    """The valid people and the rejected rows (``sort_rows`` without the entity rows), e.g. to
    mark bad rows in a preview while the user edits the mapping."""
    checked = sort_rows(preview, mapping)
    return checked.people, checked.rejected


def plan_import(
    db: Database, preview: ImportPreview, mapping: Sequence[Field | None] | None = None
) -> ImportPlan:
    """Validate every row under *mapping* (default: the preview's) and forecast the changes."""
    mapping = tuple(preview.mapping if mapping is None else mapping)
    if len(mapping) != len(preview.headers):
        raise ValueError(f"mapping has {len(mapping)} entries for {len(preview.headers)} columns")
    if not (NAME_FIELDS | {Field.ORGANISATION}) & set(mapping):
        raise ImportMappingError(
            _(
                "No column is imported as a name. Choose the column with first name, last name "
                "or full name, or with the organisation."
            )
        )
    checked = sort_rows(preview, mapping)
    records, rejected = checked.people, checked.rejected
    member_uids = _member_uids(preview, mapping)
    with db.read() as session:
        state = _resolve(session, records)
        entity_outcome = apply_entities(
            session, state, checked.entities, cards_by_uid(member_uids), write=False
        )
    return ImportPlan(
        path=preview.path,
        format=preview.format,
        records=records,
        rejected=rejected,
        warnings=preview.warnings(mapping),
        entities=checked.entities,
        entity_outcome=entity_outcome,
        member_uids=member_uids,
        contacts=tuple(_planned(person) for person in state.touched_people()),
        merged=state.merged_rows,
        **_new_names(state),
    )


def apply_import(
    db: Database, plan: ImportPlan, *, strict: bool = False, dry_run: bool = False
) -> ImportResult:
    """Import the plan's valid rows in one transaction (or nothing, on any error).

    ``strict``: when any row was rejected, raise ImportRejectedError and write nothing.
    ``dry_run``: compute the result against the current database, write nothing.
    """
    if strict and plan.rejected:
        raise ImportRejectedError(_strict_message(plan), plan.rejected)
    members = cards_by_uid(plan.member_uids)
    if dry_run:
        with db.read() as session:
            state = _resolve(session, plan.records)
            outcome = apply_entities(session, state, plan.entities, members, write=False)
        return _result(plan, state, {}, dry_run=True, entities=outcome)
    with db.write() as session:
        state = _resolve(session, plan.records)
        new_ids = _write(session, state)
        session.flush()
        outcome = apply_entities(
            session, state, plan.entities, members, new_ids=new_ids, write=True
        )
    return _result(plan, state, new_ids, dry_run=False, entities=outcome)


def _member_uids(preview: ImportPreview, mapping: Sequence[Field | None]) -> tuple[CardRef, ...]:
    """Every card with a UID, with its row and addresses: a group's MEMBER may name it."""
    uid_columns = [i for i, target in enumerate(mapping) if target is Field.UID]
    email_columns = [i for i, target in enumerate(mapping) if target is Field.EMAIL]
    if not uid_columns:
        return ()
    found = []
    for row in preview.rows:
        uid = " ".join(row.cells[i] for i in uid_columns if i < len(row.cells)).strip()
        addresses = tuple(
            address
            for i in email_columns
            if i < len(row.cells)
            for address in split_emails(row.cells[i])
        )
        if uid:
            found.append(CardRef(uid, row.number, addresses))
    return tuple(found)


def import_contacts(
    db: Database,
    path: Path | str,
    *,
    sheet: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """The whole import with the proposed mapping: for the command line."""
    preview = preview_import(path, sheet=sheet)
    return apply_import(db, plan_import(db, preview), strict=strict, dry_run=dry_run)


def row_label(source_format: SourceFormat, number: int) -> str:
    """ "row 4" for tables, "card 4" for vCard files."""
    if source_format is SourceFormat.VCARD:
        return _("card {number}").format(number=number)
    return _("row {number}").format(number=number)


def report_lines(result: ImportResult) -> list[str]:
    """A short report for the user: one summary line, then one line per rejected row."""
    summary = _(
        "{created} created, {updated} updated, {unchanged} unchanged, {rejected} not imported"
    ).format(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=len(result.rejected),
    )
    if result.dry_run:
        summary = _("Dry run, nothing was saved: {summary}").format(summary=summary)
    lines = [summary]
    if result.entities.total:
        lines.append(entity_summary(result.entities))
    notes = (*result.rejected, *result.entities.notes)
    lines += [f"{row_label(result.format, item.row)}: {item.reason}" for item in notes]
    lines += [f"{row_label(result.format, item.row)}: {item.message}" for item in result.warnings]
    return lines


def entity_summary(outcome: EntityOutcome) -> str:
    """ "Organisationen: 2 neu, 1 aktualisiert; Gruppen: 1 neu" (only what occurs)."""
    parts = []
    for label, counts in (
        (_("Organisations"), outcome.organisations),
        (_("Groups"), outcome.groups),
        (_("Venues"), outcome.venues),
    ):
        if counts.created or counts.updated or counts.unchanged:
            parts.append(
                _("{label}: {created} new, {updated} updated, {unchanged} unchanged").format(
                    label=label,
                    created=counts.created,
                    updated=counts.updated,
                    unchanged=counts.unchanged,
                )
            )
    return "; ".join(parts)


# -- internals ----------------------------------------------------------------------------


def _resolve(session: Session, records: Sequence[ContactRecord]) -> DirectoryState:
    state = DirectoryState.load(session)
    for record in records:
        state.apply(record)
    return state


def _action(person: PersonState) -> Action:
    if person.is_new:
        return Action.CREATE
    return Action.UPDATE if person.changes else Action.UNCHANGED


def _planned(person: PersonState) -> PlannedContact:
    return PlannedContact(
        action=_action(person),
        person_id=None if person.is_new else person.id,
        name=person.name,
        rows=tuple(person.rows),
        changes=tuple(f for f in Field if f in person.changes),
    )


def _new_names(state: DirectoryState) -> dict[str, tuple[str, ...]]:
    return {
        "new_organisations": tuple(o.name for o in state.organisations.values() if o.id is None),
        "new_groups": tuple(g.name for g in state.groups.values() if g.id is None),
        "new_quarters": tuple(q.name for q in state.quarters.values() if q.id is None),
    }


def _result(
    plan: ImportPlan,
    state: DirectoryState,
    new_ids: dict[int, int],
    *,
    dry_run: bool,
    entities: EntityOutcome,
) -> ImportResult:
    people = list(state.touched_people())
    return ImportResult(
        format=plan.format,
        created=sum(1 for p in people if p.is_new),
        updated=sum(1 for p in people if _action(p) is Action.UPDATE),
        unchanged=sum(1 for p in people if _action(p) is Action.UNCHANGED),
        merged=state.merged_rows,
        rejected=plan.rejected,
        warnings=plan.warnings,
        entities=entities,
        created_ids=tuple(new_ids[p.id] for p in people if p.is_new and p.id in new_ids),
        updated_ids=tuple(p.id for p in people if _action(p) is Action.UPDATE),
        dry_run=dry_run,
        **_new_names(state),
    )


def _strict_message(plan: ImportPlan) -> str:
    listed = "; ".join(
        f"{row_label(plan.format, item.row)}: {item.reason}"
        for item in plan.rejected[:_MAX_LISTED_PROBLEMS]
    )
    if len(plan.rejected) > _MAX_LISTED_PROBLEMS:
        listed += "; …"
    return ngettext(
        "Nothing was imported because {count} entry cannot be imported ({problems}).",
        "Nothing was imported because {count} entries cannot be imported ({problems}).",
        len(plan.rejected),
    ).format(count=len(plan.rejected), problems=listed)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _write(session: Session, state: DirectoryState) -> dict[int, int]:
    """Carry the resolved state into the database; returns temporary id → new person id."""
    # Groups, quarters and organisations first: people and links refer to their ids.
    new_groups = {key: Group(name=g.name) for key, g in state.groups.items() if g.id is None}
    new_quarters = {key: Quarter(name=q.name) for key, q in state.quarters.items() if q.id is None}
    new_orgs = {
        key: Organisation(name=o.name, street=o.street, postcode=o.postcode, city=o.city)
        for key, o in state.organisations.items()
        if o.id is None
    }
    session.add_all([*new_groups.values(), *new_quarters.values(), *new_orgs.values()])
    session.flush()
    group_ids = {k: g.id if g.id is not None else new_groups[k].id for k, g in state.groups.items()}
    quarter_ids = {
        k: q.id if q.id is not None else new_quarters[k].id for k, q in state.quarters.items()
    }
    org_ids = {
        k: o.id if o.id is not None else new_orgs[k].id for k, o in state.organisations.items()
    }

    changed_orgs = {
        o.id: o for o in state.organisations.values() if o.id is not None and o.changed_address
    }
    for organisation in session.scalars(
        select(Organisation).where(Organisation.id.in_(list(changed_orgs)))
    ).all():
        source = changed_orgs[organisation.id]
        organisation.street = source.street
        organisation.postcode = source.postcode
        organisation.city = source.city
    quarter_links = [
        {"organisation_id": org_ids[key], "quarter_id": quarter_ids[quarter]}
        for key, o in state.organisations.items()
        for quarter in o.new_quarters
    ]

    people = list(state.touched_people())
    created = [p for p in people if p.is_new]
    new_ids = _insert_people(session, created, org_ids)
    _update_people(session, [p for p in people if not p.is_new and p.changes], org_ids)
    session.flush()

    group_links = [
        {"person_id": new_ids.get(p.id, p.id), "group_id": group_ids[key]}
        for p in people
        for key in p.new_groups
    ]
    if group_links:
        session.execute(insert(person_groups), group_links)
    if quarter_links:
        session.execute(insert(organisation_quarters), quarter_links)
    return new_ids


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _insert_people(
    session: Session, created: Sequence[PersonState], org_ids: dict[str, int]
) -> dict[int, int]:
    """Bulk INSERT … RETURNING: thousands of new people without a unit-of-work per object.

    Bulk inserts bypass the models' before_insert hooks, so the derived keys are set here
    exactly as app.models does (names are NFC already: see values.clean_line).
    """
    if not created:
        return {}
    now = utcnow()
    people = _table(Person)
    ids = session.scalars(
        # Core, not ORM bulk: same SQL, a third of the Python work per row.
        insert(people).returning(people.c.id, sort_by_parameter_order=True),
        [
            {
                "salutation": p.salutation,
                "title": p.title,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "name_key": p.name_key,
                "organisation_id": org_ids.get(p.organisation) if p.organisation else None,
                "function": p.function,
                "preferred_language": p.language or DEFAULT_LANGUAGE,
                "notes": p.notes,
                "street": p.street,
                "postcode": p.postcode,
                "city": p.city,
                "country": p.country,
                "address_kind": AddressKind.PRIVATE if p.address_private else AddressKind.WORK,
                "created_at": now,
                "updated_at": now,
            }
            for p in created
        ],
    ).all()
    new_ids = {p.id: new_id for p, new_id in zip(created, ids, strict=True)}
    emails = [
        {
            "person_id": new_ids[p.id],
            "address": address,
            "address_key": email_key(address),
            "is_preferred": index == 0,
            "position": index,
        }
        for p in created
        for index, address in enumerate(p.new_emails)
    ]
    if emails:
        session.execute(insert(_table(PersonEmail)), emails)
    phones = [
        {"person_id": new_ids[p.id], "number": number, "position": index}
        for p in created
        for index, number in enumerate(p.new_phones)
    ]
    if phones:
        session.execute(insert(_table(PersonPhone)), phones)
    return new_ids


def _update_people(
    session: Session, people: Sequence[PersonState], org_ids: dict[str, int]
) -> None:
    by_id = {p.id: p for p in people}
    for chunk in _chunks(list(by_id)):
        rows = session.scalars(
            select(Person)
            .where(Person.id.in_(chunk))
            .options(selectinload(Person.emails), selectinload(Person.phones))
        ).all()
        for row in rows:
            person = by_id[row.id]
            for attribute in (
                "salutation",
                "title",
                "first_name",
                "last_name",
                "function",
                "notes",
                "street",
                "postcode",
                "city",
                "country",
            ):
                if getattr(row, attribute) != getattr(person, attribute):
                    setattr(row, attribute, getattr(person, attribute))
            kind = AddressKind.PRIVATE if person.address_private else AddressKind.WORK
            if row.address_kind is not kind:
                row.address_kind = kind
            if person.language and row.preferred_language != person.language:
                row.preferred_language = person.language
            if Field.ORGANISATION in person.changes:
                row.organisation_id = org_ids[person.organisation]
            position = max((e.position for e in row.emails), default=-1) + 1
            has_preferred = any(e.is_preferred for e in row.emails)
            for offset, address in enumerate(person.new_emails):
                row.emails.append(
                    PersonEmail(
                        address=address,
                        position=position + offset,
                        is_preferred=not has_preferred and offset == 0,
                    )
                )
            position = max((p.position for p in row.phones), default=-1) + 1
            for offset, number in enumerate(person.new_phones):
                row.phones.append(PersonPhone(number=number, position=position + offset))
