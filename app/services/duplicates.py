"""Likely duplicates in the directory, and merging them without losing a single reference.

Two people are likely the same when they share an e-mail address (compared as
``PersonEmail.address_key``) or have the same folded name in the same organisation. People
linked by either rule form one group (transitively), so a person never shows in two groups.

``merge_people`` keeps one person and folds the others into it in ONE write transaction:
addresses, phones, groups, consent records, invitations, attendance, action items, agenda
presenters, meeting roles and outbox messages all move to the kept person; where both were
invited to (or attended) the same meeting the better answer wins. A merge cannot be undone
in the window, so it first writes a manual backup (``backup=True``).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.contacts.values import phone_key
from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import N_, _
from app.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ConsentRecord,
    Invitation,
    InvitationState,
    Meeting,
    OutboxMessage,
    Person,
    PersonEmail,
    PersonPhone,
    Salutation,
    person_groups,
)
from app.services.directory import person_display_name
from app.text import fold, sort_key


class DuplicateReason(enum.StrEnum):
    SAME_EMAIL = "same_email"
    SAME_NAME_SAME_ORGANISATION = "same_name_same_organisation"


REASON_LABELS: dict[DuplicateReason, str] = {
    DuplicateReason.SAME_EMAIL: N_("Same e-mail address"),
    DuplicateReason.SAME_NAME_SAME_ORGANISATION: N_("Same name in the same organisation"),
}


def reason_label(reason: DuplicateReason) -> str:
    return _(REASON_LABELS[reason])


# Which answer counts when two merged people both have one for the same meeting.
INVITATION_RANK: dict[InvitationState, int] = {
    InvitationState.ACCEPTED: 4,
    InvitationState.TENTATIVE: 3,
    InvitationState.DECLINED: 2,
    InvitationState.SENT: 1,
    InvitationState.NOT_SENT: 0,
}
ATTENDANCE_RANK: dict[AttendanceStatus, int] = {
    AttendanceStatus.PRESENT: 2,
    AttendanceStatus.EXCUSED: 1,
    AttendanceStatus.ABSENT: 0,
}


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """One person of a duplicate group, with what the user needs to choose whom to keep."""

    id: int
    name: str
    salutation: Salutation
    title: str
    first_name: str
    last_name: str
    organisation: str | None
    function: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    groups: tuple[str, ...]
    notes: str
    archived: bool
    invitations: int
    attendances: int


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """People who are likely one; ``reasons`` holds every rule that linked them."""

    reasons: tuple[DuplicateReason, ...]
    people: tuple[DuplicateCandidate, ...]

    @property
    def reason(self) -> DuplicateReason:
        """The strongest rule: a shared address says more than a shared name."""
        return self.reasons[0]

    @property
    def person_ids(self) -> tuple[int, ...]:
        return tuple(p.id for p in self.people)


@dataclass(frozen=True, slots=True)
class MergeResult:
    kept_id: int
    kept_name: str
    merged_ids: tuple[int, ...]
    merged_names: tuple[str, ...]
    emails_moved: int
    phones_moved: int
    groups_added: int
    consents_moved: int
    invitations_moved: int
    invitations_combined: int  # both were invited: one invitation, the better answer
    attendances_moved: int
    attendances_combined: int
    action_items: int
    agenda_items: int
    meeting_roles: int
    outbox_messages: int
    fields_filled: tuple[str, ...]  # Person attribute names taken from a merged person
    backup_path: Path | None


# -- finding ----------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, items: Sequence[int]) -> None:
        first = self.find(items[0])
        for other in items[1:]:
            root = self.find(other)
            if root != first:
                self.parent[root] = first


def find_duplicates(
    db: Database, person_ids: Collection[int] | None = None
) -> list[DuplicateGroup]:
    """Every group of likely duplicates; with *person_ids* only groups touching one of them
    (e.g. the people an import just created or updated)."""
    with db.read() as session:
        by_email: dict[str, set[int]] = defaultdict(set)
        for person_id, key in session.execute(
            select(PersonEmail.person_id, PersonEmail.address_key)
        ):
            if key:
                by_email[key].add(person_id)
        by_name: dict[tuple[str, int | None], set[int]] = defaultdict(set)
        for person_id, first, last, organisation_id in session.execute(
            select(Person.id, Person.first_name, Person.last_name, Person.organisation_id).where(
                Person.organisation_id.is_not(None)
            )
        ):
            # fold() of the whole name: "Müller, Jürgen" and "Mueller Jurgen" stay apart,
            # but case, accents and spacing do not matter.
            by_name[(fold(f"{first} {last}"), organisation_id)].add(person_id)

        links = _UnionFind()
        reasons: dict[int, set[DuplicateReason]] = defaultdict(set)  # by any member id
        linked: list[tuple[DuplicateReason, list[int]]] = [
            (DuplicateReason.SAME_EMAIL, sorted(ids)) for ids in by_email.values() if len(ids) > 1
        ] + [
            (DuplicateReason.SAME_NAME_SAME_ORGANISATION, sorted(ids))
            for ids in by_name.values()
            if len(ids) > 1
        ]
        for reason, ids in linked:
            links.union(ids)
            reasons[ids[0]].add(reason)
        members: dict[int, list[int]] = defaultdict(list)
        for person_id in links.parent:
            members[links.find(person_id)].append(person_id)
        group_reasons: dict[int, set[DuplicateReason]] = defaultdict(set)
        for first_id, found in reasons.items():
            group_reasons[links.find(first_id)] |= found

        wanted = set(person_ids) if person_ids is not None else None
        groups = [
            (root, sorted(ids))
            for root, ids in members.items()
            if wanted is None or wanted & set(ids)
        ]
        candidates = _candidates(session, [i for _root, ids in groups for i in ids])

    result = []
    for root, ids in groups:
        people = tuple(candidates[i] for i in ids)
        ordered = tuple(r for r in DuplicateReason if r in group_reasons[root])
        result.append(DuplicateGroup(ordered, people))
    result.sort(
        key=lambda g: (sort_key(g.people[0].last_name, g.people[0].first_name), g.person_ids)
    )
    return result


def _candidates(session: Session, ids: Iterable[int]) -> dict[int, DuplicateCandidate]:
    ids = list(ids)
    if not ids:
        return {}
    people = session.scalars(
        select(Person)
        .where(Person.id.in_(ids))
        .options(
            selectinload(Person.emails),
            selectinload(Person.phones),
            selectinload(Person.groups),
            selectinload(Person.organisation),
        )
    ).all()
    invitations: dict[int, int] = defaultdict(int)
    for person_id in session.scalars(
        select(Invitation.person_id).where(Invitation.person_id.in_(ids))
    ):
        if person_id is not None:
            invitations[person_id] += 1
    attendances: dict[int, int] = defaultdict(int)
    for (attendee,) in session.execute(
        select(Attendance.person_id).where(Attendance.person_id.in_(ids))
    ):
        if attendee is not None:
            attendances[attendee] += 1
    return {
        p.id: DuplicateCandidate(
            id=p.id,
            name=person_display_name(p.title, p.first_name, p.last_name),
            salutation=p.salutation,
            title=p.title,
            first_name=p.first_name,
            last_name=p.last_name,
            organisation=p.organisation.name if p.organisation else None,
            function=p.function,
            emails=tuple(e.address for e in p.emails),
            phones=tuple(ph.number for ph in p.phones),
            groups=tuple(sorted((g.name for g in p.groups), key=fold)),
            notes=p.notes,
            archived=p.archived,
            invitations=invitations.get(p.id, 0),
            attendances=attendances.get(p.id, 0),
        )
        for p in people
    }


# -- merging ----------------------------------------------------------------------------------

# Text fields of the kept person that a merged person fills when they are empty.
_FILLED_TEXTS = ("title", "first_name", "function")
_ROLE_COLUMNS = ("organiser_id", "moderator_id", "minute_taker_id")


def merge_people(
    db: Database,
    keep_id: int,
    merge_ids: Sequence[int],
    *,
    backup: bool = True,
) -> MergeResult:
    """Fold the people *merge_ids* into *keep_id* and delete them, in one transaction.

    With *backup* (the window's default) a manual backup is written first; if it fails,
    nothing is merged (``BackupFailed``).
    """
    merge_ids = tuple(dict.fromkeys(merge_ids))
    if not merge_ids:
        raise ValidationError(_("Choose at least one person to merge."))
    if keep_id in merge_ids:
        raise ValidationError(_("The person to keep cannot be merged into themselves."))
    with db.read() as session:
        found = set(session.scalars(select(Person.id).where(Person.id.in_((keep_id, *merge_ids)))))
    missing = [i for i in (keep_id, *merge_ids) if i not in found]
    if missing:
        raise NotFound(_("Person {id} no longer exists; reload the list.").format(id=missing[0]))
    backup_path = None
    if backup:
        from app.services.backup import BackupKind, make_backup  # late: not needed otherwise

        backup_path = make_backup(db.location, BackupKind.MANUAL).path
    with db.write() as session:
        result = _merge_in_session(session, keep_id, merge_ids)
    return replace(result, backup_path=backup_path)


def _merge_in_session(session: Session, keep_id: int, merge_ids: tuple[int, ...]) -> MergeResult:
    load = (
        selectinload(Person.emails),
        selectinload(Person.phones),
        selectinload(Person.groups),
    )
    kept = session.scalars(select(Person).where(Person.id == keep_id).options(*load)).one()
    merged = session.scalars(select(Person).where(Person.id.in_(merge_ids)).options(*load)).all()
    merged = sorted(merged, key=lambda p: merge_ids.index(p.id))
    if len(merged) != len(merge_ids):
        raise NotFound(_("A person to merge no longer exists; reload the list."))
    merged_names = tuple(person_display_name(p.title, p.first_name, p.last_name) for p in merged)

    fields_filled = _fill_fields(kept, merged)
    emails_moved = _move_emails(session, kept, merged)
    phones_moved = _move_phones(session, kept, merged)
    groups_added = _add_groups(session, kept, merged)
    session.flush()

    ids = list(merge_ids)
    consents_moved = _rowcount(
        session.execute(
            update(ConsentRecord).where(ConsentRecord.person_id.in_(ids)).values(person_id=keep_id)
        )
    )
    invitations_moved, invitations_combined = _move_invitations(session, keep_id, ids)
    attendances_moved, attendances_combined = _move_attendances(session, keep_id, ids)
    action_items = _rowcount(
        session.execute(
            update(ActionItem)
            .where(ActionItem.owner_person_id.in_(ids))
            .values(owner_person_id=keep_id)
        )
    )
    agenda_items = _rowcount(
        session.execute(
            update(AgendaItem)
            .where(AgendaItem.presenter_id.in_(ids))
            # Version raised: an open form must not write the deleted person back.
            .values(presenter_id=keep_id, version=AgendaItem.version + 1)
            .execution_options(synchronize_session=False)
        )
    )
    meeting_roles = 0
    for column in _ROLE_COLUMNS:
        meeting_roles += _rowcount(
            session.execute(
                update(Meeting)
                .where(getattr(Meeting, column).in_(ids))
                .values({column: keep_id, "version": Meeting.version + 1})
                .execution_options(synchronize_session=False)
            )
        )
    outbox_messages = _rowcount(
        session.execute(
            update(OutboxMessage).where(OutboxMessage.person_id.in_(ids)).values(person_id=keep_id)
        )
    )

    for person in merged:
        session.expunge(person)
    session.execute(delete(Person).where(Person.id.in_(ids)))  # cascades what is left
    session.flush()
    return MergeResult(
        kept_id=keep_id,
        kept_name=person_display_name(kept.title, kept.first_name, kept.last_name),
        merged_ids=merge_ids,
        merged_names=merged_names,
        emails_moved=emails_moved,
        phones_moved=phones_moved,
        groups_added=groups_added,
        consents_moved=consents_moved,
        invitations_moved=invitations_moved,
        invitations_combined=invitations_combined,
        attendances_moved=attendances_moved,
        attendances_combined=attendances_combined,
        action_items=action_items,
        agenda_items=agenda_items,
        meeting_roles=meeting_roles,
        outbox_messages=outbox_messages,
        fields_filled=fields_filled,
        backup_path=None,
    )


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _fill_fields(kept: Person, merged: Sequence[Person]) -> tuple[str, ...]:
    filled: list[str] = []
    for person in merged:
        if kept.salutation is Salutation.NONE and person.salutation is not Salutation.NONE:
            kept.salutation = person.salutation
            filled.append("salutation")
        for attribute in _FILLED_TEXTS:
            if not getattr(kept, attribute) and getattr(person, attribute):
                setattr(kept, attribute, getattr(person, attribute))
                filled.append(attribute)
        if kept.organisation_id is None and person.organisation_id is not None:
            kept.organisation_id = person.organisation_id
            filled.append("organisation")
        # Notes are free text the user wrote: never dropped, added below the kept ones.
        notes = person.notes.strip()
        if notes and notes not in kept.notes:
            kept.notes = f"{kept.notes.rstrip()}\n\n{notes}" if kept.notes.strip() else notes
            filled.append("notes")
        if kept.archived and not person.archived:
            kept.archived = False  # one of them is active: so is the person
            filled.append("archived")
    return tuple(dict.fromkeys(filled))


def _move_emails(session: Session, kept: Person, merged: Sequence[Person]) -> int:
    keys = {e.address_key or e.address.casefold() for e in kept.emails}
    position = max((e.position for e in kept.emails), default=-1) + 1
    has_preferred = any(e.is_preferred for e in kept.emails)
    moved = 0
    for person in merged:
        # The merged person's preferred address first: it becomes preferred if kept has none.
        ordered = sorted(person.emails, key=lambda e: (not e.is_preferred, e.position))
        for email in ordered:
            key = email.address_key or email.address.casefold()
            if key in keys:
                continue
            keys.add(key)
            session.add(
                PersonEmail(
                    person_id=kept.id,
                    address=email.address,
                    label=email.label,
                    is_preferred=not has_preferred,
                    position=position,
                )
            )
            has_preferred = True
            position += 1
            moved += 1
    return moved


def _move_phones(session: Session, kept: Person, merged: Sequence[Person]) -> int:
    keys = {phone_key(p.number) or p.number for p in kept.phones}
    position = max((p.position for p in kept.phones), default=-1) + 1
    moved = 0
    for person in merged:
        for phone in person.phones:
            key = phone_key(phone.number) or phone.number
            if key in keys:
                continue
            keys.add(key)
            session.add(
                PersonPhone(
                    person_id=kept.id, number=phone.number, label=phone.label, position=position
                )
            )
            position += 1
            moved += 1
    return moved


def _add_groups(session: Session, kept: Person, merged: Sequence[Person]) -> int:
    have = {g.id for g in kept.groups}
    new = [g.id for person in merged for g in person.groups if g.id not in have]
    new = list(dict.fromkeys(new))
    if new:
        session.execute(insert(person_groups), [{"person_id": kept.id, "group_id": g} for g in new])
    return len(new)


def _later(a: object, b: object) -> object:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)  # type: ignore[call-overload]


def _move_invitations(session: Session, keep_id: int, ids: list[int]) -> tuple[int, int]:
    """Invitations of merged people move; where the kept person has one for the same meeting
    the two become one with the better answer and the latest sending data."""
    kept = {
        inv.meeting_id: inv
        for inv in session.scalars(select(Invitation).where(Invitation.person_id == keep_id))
    }
    combined = moved = 0
    for inv in session.scalars(
        select(Invitation).where(Invitation.person_id.in_(ids)).order_by(Invitation.id)
    ).all():
        target = kept.get(inv.meeting_id)
        if target is None:
            inv.person_id = keep_id
            kept[inv.meeting_id] = inv
            moved += 1
            continue
        if INVITATION_RANK[inv.state] > INVITATION_RANK[target.state]:
            target.state = inv.state
            target.answered_at = inv.answered_at
        target.sent_at = _later(target.sent_at, inv.sent_at)  # type: ignore[assignment]
        target.sent_sequence = _later(target.sent_sequence, inv.sent_sequence)  # type: ignore[assignment]
        if inv.note.strip() and inv.note.strip() not in target.note:
            target.note = f"{target.note.rstrip()}\n{inv.note.strip()}".strip()
        session.delete(inv)
        combined += 1
        # The delete must reach the database before the (meeting, person) pair is reused.
        session.flush()
    session.flush()
    return moved, combined


def _move_attendances(session: Session, keep_id: int, ids: list[int]) -> tuple[int, int]:
    kept = {
        row.meeting_id: row
        for row in session.scalars(select(Attendance).where(Attendance.person_id == keep_id))
    }
    combined = moved = 0
    for row in session.scalars(
        select(Attendance).where(Attendance.person_id.in_(ids)).order_by(Attendance.id)
    ).all():
        target = kept.get(row.meeting_id)
        if target is None:
            row.person_id = keep_id
            kept[row.meeting_id] = row
            moved += 1
            continue
        if ATTENDANCE_RANK[row.status] > ATTENDANCE_RANK[target.status]:
            target.status = row.status
            target.checked_in_at = row.checked_in_at or target.checked_in_at
            target.arrived_at_item_id = row.arrived_at_item_id
            target.left_after_item_id = row.left_after_item_id
            if row.photo_consent is not None:
                target.photo_consent = row.photo_consent
        else:
            target.checked_in_at = target.checked_in_at or row.checked_in_at
            if target.photo_consent is None:
                target.photo_consent = row.photo_consent
        session.delete(row)
        combined += 1
        session.flush()
    session.flush()
    return moved, combined


def suggested_keep(group: DuplicateGroup) -> int:
    """The person offered for keeping: active before archived, then the one with the most
    meeting history (fewest references to move), then the oldest record."""
    best = min(
        group.people,
        key=lambda p: (p.archived, -(p.invitations + p.attendances), -len(p.emails), p.id),
    )
    return best.id
