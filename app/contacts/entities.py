"""Importing organisations, groups and venues (``entity_records``) beside the people.

Runs in the import's own session after the people are resolved (and, when writing, after they
are written), so a file that holds both an organisation's own row and its people creates the
organisation once, and a group card finds the people of the same file:

- **organisation**: matched by name (case and accents ignored) or created; the values the row
  gives (address, e-mail, phone, website) replace the stored ones, quarters are added, notes
  appended. Further e-mail addresses of the row go into the notes (an organisation has one).
- **group**: matched by name or created; its ``MEMBER``s ("mailto:…" or the UID of a card in
  the same file) are looked up by e-mail address and added; members found nowhere are
  reported, never invented.
- **venue**: matched by name or created; its address replaced, notes appended.

With ``write=False`` nothing is changed: the counts are the forecast of the preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.contacts.directory_state import DirectoryState, cached_fold
from app.contacts.entity_records import EntityKind, EntityRecord
from app.contacts.errors import RejectedRow
from app.contacts.values import email_key
from app.i18n import _, ngettext
from app.models import Group, Organisation, Quarter, Venue, organisation_quarters, person_groups
from app.text import fold


@dataclass(frozen=True, slots=True)
class EntityCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class EntityOutcome:
    """What the organisation, group and venue rows do (or would do)."""

    organisations: EntityCounts = EntityCounts()
    groups: EntityCounts = EntityCounts()
    venues: EntityCounts = EntityCounts()
    members_added: int = 0
    # Group members that were found nowhere (row, which ones), for the report.
    notes: tuple[RejectedRow, ...] = ()

    @property
    def total(self) -> int:
        return sum(
            c.created + c.updated + c.unchanged
            for c in (self.organisations, self.groups, self.venues)
        )


@dataclass
class _Tally:
    counts: dict[EntityKind, list[int]] = field(
        default_factory=lambda: {kind: [0, 0, 0] for kind in EntityKind}
    )
    seen: dict[tuple[EntityKind, str], str] = field(default_factory=dict)
    members_added: int = 0
    notes: list[RejectedRow] = field(default_factory=list)

    def count(self, kind: EntityKind, key: str, outcome: str) -> None:
        """Count each entity once: the first row decides created/updated/unchanged, a later
        row may only turn "unchanged" into "updated"."""
        earlier = self.seen.get((kind, key))
        index = {"created": 0, "updated": 1, "unchanged": 2}
        if earlier is None:
            self.counts[kind][index[outcome]] += 1
            self.seen[(kind, key)] = outcome
        elif earlier == "unchanged" and outcome == "updated":
            self.counts[kind][2] -= 1
            self.counts[kind][1] += 1
            self.seen[(kind, key)] = outcome

    def outcome(self) -> EntityOutcome:
        def counts(kind: EntityKind) -> EntityCounts:
            return EntityCounts(*self.counts[kind])

        return EntityOutcome(
            counts(EntityKind.ORGANISATION),
            counts(EntityKind.GROUP),
            counts(EntityKind.VENUE),
            self.members_added,
            tuple(self.notes),
        )


def apply_entities(
    session: Session,
    state: DirectoryState,
    entities: Sequence[EntityRecord],
    member_cards: dict[str, CardRef],
    *,
    new_ids: dict[int, int] | None = None,
    write: bool,
) -> EntityOutcome:
    """Apply (or, without *write*, forecast) the entity rows; see the module docstring.

    *member_cards* maps a card's UID to its row and e-mail addresses (group members by UID);
    *new_ids* maps the importer's temporary ids of new people to their database ids.
    """
    tally = _Tally()
    for record in entities:
        if record.kind is EntityKind.ORGANISATION:
            key, outcome = _organisation(session, state, record, write=write)
        elif record.kind is EntityKind.GROUP:
            key, outcome = _group(session, state, record, member_cards, new_ids, tally, write)
        else:
            key, outcome = _venue(session, record, write=write)
        tally.count(record.kind, key, outcome)
    return tally.outcome()


# -- organisations -----------------------------------------------------------------------


def _organisation(
    session: Session, state: DirectoryState, record: EntityRecord, *, write: bool
) -> tuple[str, str]:
    key = cached_fold(record.name)
    known = state.organisations.get(key)
    row = None
    if known is not None and known.id is not None:
        row = session.get(Organisation, known.id)
    elif write:
        # Created a moment ago for the people of this file (or by an earlier row).
        row = session.scalars(
            select(Organisation).where(Organisation.name_key == fold(record.name))
        ).first()
    created = known is None or known.id is None
    if row is None:
        if write:
            row = Organisation(name=record.name)
            session.add(row)
        else:
            return key, "created"
    notes = record.notes
    if record.extra_emails:
        more = _("Further e-mail addresses: {addresses}").format(
            addresses=", ".join(record.extra_emails)
        )
        notes = f"{notes}\n{more}" if notes else more
    changes = {
        name: value
        for name, value in (
            ("email", record.email),
            ("phone", record.phone),
            ("website", record.website),
            ("street", record.street),
            ("postcode", record.postcode),
            ("city", record.city),
        )
        if value and getattr(row, name) != value
    }
    new_notes = _appended(row.notes or "", notes)
    if new_notes != (row.notes or ""):
        changes["notes"] = new_notes
    quarters = _new_quarters(session, state, row, record, write=write)
    if write:
        for name, value in changes.items():
            setattr(row, name, value)
        if row.archived:
            row.archived = False
    if created:
        return key, "created"
    return key, "updated" if changes or quarters else "unchanged"


def _new_quarters(
    session: Session, state: DirectoryState, row: Organisation, record: EntityRecord, *, write: bool
) -> list[str]:
    have = {cached_fold(q.name) for q in row.quarters} if row.id is not None else set()
    missing = [q for q in record.quarters if cached_fold(q) not in have]
    if not write or not missing:
        return missing
    session.flush()  # the organisation's id
    for name in missing:
        quarter = session.scalars(select(Quarter).where(Quarter.name_key == fold(name))).first()
        if quarter is None:
            quarter = Quarter(name=name)
            session.add(quarter)
            session.flush()
        session.execute(
            insert(organisation_quarters),
            [{"organisation_id": row.id, "quarter_id": quarter.id}],
        )
    session.expire(row, ["quarters"])
    return missing


# -- groups -------------------------------------------------------------------------------


def _group(
    session: Session,
    state: DirectoryState,
    record: EntityRecord,
    member_cards: dict[str, CardRef],
    new_ids: dict[int, int] | None,
    tally: _Tally,
    write: bool,
) -> tuple[str, str]:
    key = cached_fold(record.name)
    row = session.scalars(select(Group).where(Group.name_key == fold(record.name))).first()
    created = row is None and (key not in state.groups or state.groups[key].id is None)
    if row is None and write:
        row = Group(name=record.name, description=record.notes)
        session.add(row)
        session.flush()
    changed = False
    if row is not None and not created:
        description = _appended(row.description or "", record.notes)
        if description != (row.description or ""):
            changed = True
            if write:
                row.description = description
    people, missing = _members(state, record.members, member_cards)
    added = 0
    for person_id in people:
        person = state.people[person_id]
        if key in person.groups:
            continue
        added += 1
        if write:
            assert row is not None
            real = new_ids.get(person_id, person_id) if new_ids else person_id
            session.execute(insert(person_groups), [{"person_id": real, "group_id": row.id}])
        person.groups.add(key)
    tally.members_added += added
    if missing:
        tally.notes.append(
            RejectedRow(
                record.row,
                ngettext(
                    "group “{name}”: {count} member not found ({members})",
                    "group “{name}”: {count} members not found ({members})",
                    len(missing),
                ).format(name=record.name, count=len(missing), members=", ".join(missing)),
            )
        )
    if created:
        return key, "created"
    return key, "updated" if changed or added else "unchanged"


def _members(
    state: DirectoryState, members: Sequence[str], member_cards: dict[str, CardRef]
) -> tuple[list[int], list[str]]:
    """(person ids found, members found nowhere) for a group card's MEMBER values: a card of
    the same file (by UID: the person made from it, else its addresses) or an address."""
    found: list[int] = []
    missing: list[str] = []
    by_row = {row: person.id for person in state.touched_people() for row in person.rows}
    for member in members:
        addresses: tuple[str, ...] = ()
        person_id = None
        if member.lower().startswith("mailto:"):
            addresses = (member[7:],)
        else:
            card = member_cards.get(member) or member_cards.get(_bare_uid(member))
            if card is not None:
                person_id = by_row.get(card.row)
                addresses = card.emails
        if person_id is None:
            person_id = next(
                (state.by_email[k] for k in map(email_key, addresses) if k in state.by_email),
                None,
            )
        if person_id is None:
            missing.append(member)
        elif person_id not in found:
            found.append(person_id)
    return found, missing


def _bare_uid(value: str) -> str:
    return value[9:] if value.lower().startswith("urn:uuid:") else value


# -- venues -------------------------------------------------------------------------------


def _venue(session: Session, record: EntityRecord, *, write: bool) -> tuple[str, str]:
    key = fold(record.name)
    row = next(
        (v for v in session.scalars(select(Venue).order_by(Venue.id)) if fold(v.name) == key),
        None,
    )
    if row is None:
        if write:
            session.add(
                Venue(
                    name=record.name,
                    street=record.street,
                    postcode=record.postcode,
                    city=record.city,
                    notes=record.notes,
                )
            )
        return key, "created"
    changes = {
        name: value
        for name, value in (
            ("street", record.street),
            ("postcode", record.postcode),
            ("city", record.city),
        )
        if value and getattr(row, name) != value
    }
    notes = _appended(row.notes or "", record.notes)
    if notes != (row.notes or ""):
        changes["notes"] = notes
    if write:
        for name, value in changes.items():
            setattr(row, name, value)
    return key, "updated" if changes else "unchanged"


def _appended(old: str, new: str) -> str:
    if not new or new in old:
        return old
    return f"{old}\n{new}" if old else new


@dataclass(frozen=True, slots=True)
class CardRef:
    """A card of the imported file as a group's MEMBER may name it (by its UID)."""

    uid: str
    row: int
    emails: tuple[str, ...]


def cards_by_uid(cards: Sequence[CardRef]) -> dict[str, CardRef]:
    """UID → card, under the UID as written and without "urn:uuid:"."""
    table: dict[str, CardRef] = {}
    for card in cards:
        if card.uid:
            table.setdefault(card.uid, card)
            table.setdefault(_bare_uid(card.uid), card)
    return table
