"""Finding likely duplicates and merging them without losing a reference (issue 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ConsentRecord,
    ConsentTopic,
    Group,
    Invitation,
    InvitationState,
    Meeting,
    OutboxKind,
    OutboxMessage,
    Person,
    PersonEmail,
    PersonPhone,
    Salutation,
)
from app.services.backup import BackupKind, list_backups
from app.services.demo import fill_demo
from app.services.duplicates import (
    DuplicateReason,
    find_duplicates,
    merge_people,
)

STAMP = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Twins:
    original: int
    duplicate: int
    shared_meeting: int  # both invited and present/absent: combined on merge
    only_duplicate_meeting: int  # only the duplicate was invited and attended
    extra_group: str


@pytest.fixture
def twins(db: Database) -> Twins:
    """The demo network plus a second record of a well-connected person."""
    fill_demo(db)
    with db.write() as session:
        original_id = session.scalar(
            select(Invitation.person_id)
            .join(Person, Person.id == Invitation.person_id)
            .where(Person.organisation_id.is_not(None))
            .group_by(Invitation.person_id)
            .order_by(func.count().desc(), Invitation.person_id)
            .limit(1)
        )
        assert original_id is not None
        original = session.get_one(Person, original_id)
        address = original.preferred_email
        assert address is not None
        meetings = session.scalars(select(Meeting).order_by(Meeting.start)).all()
        shared, alone = meetings[0], meetings[1]
        # The original's invitation and attendance for "alone" go: only the twin has them.
        session.execute(
            text("DELETE FROM invitations WHERE person_id = :p AND meeting_id = :m"),
            {"p": original_id, "m": alone.id},
        )
        session.execute(
            text("DELETE FROM attendances WHERE person_id = :p AND meeting_id = :m"),
            {"p": original_id, "m": alone.id},
        )
        original_invitation = session.scalars(
            select(Invitation).where(
                Invitation.person_id == original_id, Invitation.meeting_id == shared.id
            )
        ).one()
        original_invitation.state = InvitationState.SENT
        original_invitation.answered_at = None
        original_invitation.sent_sequence = 0
        original_attendance = session.scalars(
            select(Attendance).where(
                Attendance.person_id == original_id, Attendance.meeting_id == shared.id
            )
        ).one_or_none()
        if original_attendance is None:
            session.add(
                Attendance(
                    meeting_id=shared.id, person_id=original_id, status=AttendanceStatus.ABSENT
                )
            )
        else:
            original_attendance.status = AttendanceStatus.ABSENT
        have = {g.name for g in original.groups}
        extra = session.scalars(select(Group).where(Group.name.not_in(have))).first()
        assert extra is not None
        extra_name = extra.name

        twin = Person(
            salutation=Salutation.NONE,
            first_name=original.first_name.upper(),
            last_name=original.last_name,
            organisation_id=original.organisation_id,
            function="Zweitfunktion",
            notes="Aus der Excel-Liste 2023",
            groups=[extra],
        )
        twin.emails.append(PersonEmail(address=address.upper(), is_preferred=True))
        twin.emails.append(PersonEmail(address="zweitadresse@example.org"))
        twin.phones.append(PersonPhone(number="+49 170 5550001"))
        session.add(twin)
        session.flush()
        session.add_all(
            [
                Invitation(
                    meeting_id=shared.id,
                    person_id=twin.id,
                    state=InvitationState.ACCEPTED,
                    sent_at=STAMP,
                    sent_sequence=2,
                    answered_at=STAMP,
                ),
                Invitation(meeting_id=alone.id, person_id=twin.id, state=InvitationState.DECLINED),
                Attendance(
                    meeting_id=shared.id,
                    person_id=twin.id,
                    status=AttendanceStatus.PRESENT,
                    photo_consent=True,
                    checked_in_at=STAMP,
                ),
                Attendance(meeting_id=alone.id, person_id=twin.id, status=AttendanceStatus.EXCUSED),
                ConsentRecord(
                    person_id=twin.id,
                    topic=ConsentTopic.PHOTOS,
                    given=True,
                    recorded_at=STAMP,
                ),
                ActionItem(meeting_id=shared.id, text="Flyer drucken", owner_person_id=twin.id),
                OutboxMessage(
                    kind=OutboxKind.INVITATION,
                    meeting_id=shared.id,
                    person_id=twin.id,
                    recipient=address.upper(),
                    subject="Einladung",
                    body="…",
                    message_id="<twin-1@treffpunkt>",
                ),
            ]
        )
        shared.minute_taker_id = twin.id
        item = session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == shared.id)).first()
        assert item is not None
        item.presenter_id = twin.id
        twin_id = twin.id
    return Twins(original_id, twin_id, shared.id, alone.id, extra_name)


def _count(db: Database, model: type, **where: object) -> int:
    with db.read() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalar(query) or 0


def test_the_twin_is_found_by_address_and_by_name(db: Database, twins: Twins) -> None:
    groups = find_duplicates(db)
    mine = [g for g in groups if twins.duplicate in g.person_ids]
    assert len(mine) == 1
    group = mine[0]
    assert set(group.person_ids) == {twins.original, twins.duplicate}
    assert group.reason is DuplicateReason.SAME_EMAIL
    assert set(group.reasons) == set(DuplicateReason)
    # No person shows in two groups.
    seen = [i for g in groups for i in g.person_ids]
    assert len(seen) == len(set(seen))
    # Restricted to the people an import touched.
    assert find_duplicates(db, [twins.duplicate]) == mine
    twin = next(p for p in group.people if p.id == twins.duplicate)
    assert twin.invitations == 2
    assert twin.attendances == 2


def test_demo_network_alone_has_no_duplicates(db: Database) -> None:
    fill_demo(db)
    assert find_duplicates(db) == []


def test_same_name_in_other_organisation_is_no_duplicate(db: Database) -> None:
    fill_demo(db)
    with db.write() as session:
        someone = session.scalars(select(Person).where(Person.organisation_id.is_not(None))).first()
        assert someone is not None
        other_org = session.scalar(
            text("SELECT id FROM organisations WHERE id != :o LIMIT 1"),
            {"o": someone.organisation_id},
        )
        session.add(
            Person(
                first_name=someone.first_name,
                last_name=someone.last_name,
                organisation_id=other_org,
            )
        )
        # Same name, same organisation, accents and case differ: a duplicate.
        session.add(
            Person(
                first_name=someone.first_name.lower(),
                last_name=someone.last_name.upper(),
                organisation_id=someone.organisation_id,
            )
        )
        someone_id = someone.id
    groups = find_duplicates(db)
    assert len(groups) == 1
    assert groups[0].reasons == (DuplicateReason.SAME_NAME_SAME_ORGANISATION,)
    assert someone_id in groups[0].person_ids
    assert len(groups[0].people) == 2


def test_merge_keeps_every_reference(db: Database, twins: Twins) -> None:
    before = {
        model: _count(db, model)
        for model in (ConsentRecord, ActionItem, OutboxMessage, AgendaItem, Meeting)
    }
    twin_consents = _count(db, ConsentRecord, person_id=twins.duplicate)
    original_invitations = _count(db, Invitation, person_id=twins.original)

    result = merge_people(db, twins.original, [twins.duplicate])

    assert result.merged_ids == (twins.duplicate,)
    assert _count(db, Person, id=twins.duplicate) == 0
    # Nothing points to the deleted person, nothing dangles.
    with db.read() as session:
        if not db.is_server:  # PostgreSQL checks every reference itself
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        original = session.get_one(Person, twins.original)
        addresses = [e.address_key for e in original.emails]
        assert len(addresses) == len(set(addresses))  # the shared address once
        assert "zweitadresse@example.org" in addresses
        assert sum(e.is_preferred for e in original.emails) == 1
        assert "+49 170 5550001" in [p.number for p in original.phones]
        assert twins.extra_group in [g.name for g in original.groups]
        assert "Aus der Excel-Liste 2023" in original.notes

        shared = session.scalars(
            select(Invitation).where(
                Invitation.person_id == twins.original,
                Invitation.meeting_id == twins.shared_meeting,
            )
        ).one()
        assert shared.state is InvitationState.ACCEPTED  # accepted beats sent
        assert shared.sent_sequence == 2
        assert shared.answered_at == STAMP
        alone = session.scalars(
            select(Invitation).where(
                Invitation.person_id == twins.original,
                Invitation.meeting_id == twins.only_duplicate_meeting,
            )
        ).one()
        assert alone.state is InvitationState.DECLINED

        present = session.scalars(
            select(Attendance).where(
                Attendance.person_id == twins.original,
                Attendance.meeting_id == twins.shared_meeting,
            )
        ).one()
        assert present.status is AttendanceStatus.PRESENT  # present beats absent
        assert present.photo_consent is True
        excused = session.scalars(
            select(Attendance).where(
                Attendance.person_id == twins.original,
                Attendance.meeting_id == twins.only_duplicate_meeting,
            )
        ).one()
        assert excused.status is AttendanceStatus.EXCUSED

        meeting = session.get_one(Meeting, twins.shared_meeting)
        assert meeting.minute_taker_id == twins.original
        assert session.scalar(
            select(func.count())
            .select_from(AgendaItem)
            .where(AgendaItem.presenter_id == twins.original)
        )
        assert (
            session.scalar(
                select(ActionItem.owner_person_id).where(ActionItem.text == "Flyer drucken")
            )
            == twins.original
        )
        assert (
            session.scalar(
                select(OutboxMessage.person_id).where(
                    OutboxMessage.message_id == "<twin-1@treffpunkt>"
                )
            )
            == twins.original
        )

    # Rows that only moved are all still there.
    for model in (ConsentRecord, ActionItem, OutboxMessage, AgendaItem, Meeting):
        assert _count(db, model) == before[model], model
    assert _count(db, ConsentRecord, person_id=twins.original) >= twin_consents
    assert _count(db, Invitation, person_id=twins.original) == original_invitations + 1
    assert result.invitations_combined == 1
    assert result.invitations_moved == 1
    assert result.attendances_combined == 1
    assert result.attendances_moved == 1
    assert result.consents_moved == twin_consents
    assert result.action_items >= 1
    assert result.agenda_items >= 1
    assert result.meeting_roles == 1
    assert result.outbox_messages == 1
    assert result.emails_moved == 1
    assert result.phones_moved == 1
    assert result.groups_added == 1
    assert find_duplicates(db, [twins.original]) == []


def test_merge_writes_a_manual_backup_first(db: Database, twins: Twins) -> None:
    result = merge_people(db, twins.original, [twins.duplicate])
    assert result.backup_path is not None
    assert result.backup_path.exists()
    kinds = [b.kind for b in list_backups(db.location)]
    assert BackupKind.MANUAL in kinds
    # The backup holds the state before the merge: the twin is still in it.
    import sqlite3

    with sqlite3.connect(result.backup_path) as copy:
        assert copy.execute(
            "SELECT count(*) FROM people WHERE id = ?", (twins.duplicate,)
        ).fetchone() == (1,)


def test_merge_fills_empty_fields_of_the_kept_person(db: Database, twins: Twins) -> None:
    # Keep the twin this time: it lacks the salutation the original has.
    with db.read() as session:
        original = session.get_one(Person, twins.original)
        salutation = original.salutation
    merge_people(db, twins.duplicate, [twins.original], backup=False)
    with db.read() as session:
        kept = session.get_one(Person, twins.duplicate)
        assert kept.function == "Zweitfunktion"  # not overwritten
        if salutation is not Salutation.NONE:
            assert kept.salutation is salutation
    assert _count(db, Person, id=twins.original) == 0


def test_merge_refuses_nonsense_and_changes_nothing(db: Database, twins: Twins) -> None:
    people = _count(db, Person)
    with pytest.raises(ValidationError):
        merge_people(db, twins.original, [], backup=False)
    with pytest.raises(ValidationError):
        merge_people(db, twins.original, [twins.original], backup=False)
    with pytest.raises(NotFound):
        merge_people(db, twins.original, [999_999], backup=False)
    assert _count(db, Person) == people


def test_the_record_with_the_meeting_history_is_offered_for_keeping(
    db: Database, twins: Twins
) -> None:
    from app.services.duplicates import suggested_keep

    with db.write() as session:
        # The twin is archived: the active original is offered even with less history.
        session.get_one(Person, twins.duplicate).archived = True
    group = find_duplicates(db, [twins.duplicate])[0]
    assert suggested_keep(group) == twins.original
    with db.write() as session:
        session.get_one(Person, twins.duplicate).archived = False
        session.execute(text("DELETE FROM invitations WHERE person_id = :p"), {"p": twins.original})
        session.execute(text("DELETE FROM attendances WHERE person_id = :p"), {"p": twins.original})
    group = find_duplicates(db, [twins.duplicate])[0]
    assert suggested_keep(group) == twins.duplicate


def test_merging_an_archived_record_into_an_active_one_keeps_it_active(
    db: Database, twins: Twins
) -> None:
    with db.write() as session:
        session.get_one(Person, twins.original).archived = True
    result = merge_people(db, twins.original, [twins.duplicate], backup=False)
    assert "archived" in result.fields_filled
    with db.read() as session:
        assert not session.get_one(Person, twins.original).archived
