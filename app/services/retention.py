"""Retention (Art. 5 (1) e DSGVO): people without activity for a while are listed for review.

A person's last activity is the latest of: created or edited, a consent statement recorded,
invited to / answered for / attended a meeting (the meeting's start, also when it lies in the
future), owning an action item (its meeting, or when it was done), presenting a TOP, a meeting
role (organiser, moderator, minute-taker) and an e-mail to them. Being pictured on a photo
is no activity of its own: the photo belongs to a meeting the person attended, which counts
already, and a press release using it later is the organiser's doing, not theirs. (Erasing
a person deletes the photos they are recorded on: ``privacy_photos``.) Nobody is erased
automatically: the list is for the user to decide (``privacy.erase_person``) or to keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ConsentRecord,
    Invitation,
    Meeting,
    Organisation,
    OutboxMessage,
    Person,
)
from app.services.directory import person_display_name
from app.services.settings import read_setting, write_setting

RETENTION_SETTING = "retention_months"
DEFAULT_RETENTION_MONTHS = 24
MIN_MONTHS, MAX_MONTHS = 1, 240


@dataclass(frozen=True, slots=True)
class ReviewRow:
    person_id: int
    name: str
    organisation: str | None
    archived: bool
    last_activity: datetime  # aware, UTC


def read_retention_months(session: Session) -> int:
    value = read_setting(session, RETENTION_SETTING, DEFAULT_RETENTION_MONTHS)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_MONTHS <= value <= MAX_MONTHS:
        return value
    return DEFAULT_RETENTION_MONTHS


def retention_months(db: Database) -> int:
    with db.read() as session:
        return read_retention_months(session)


def check_retention_months(months: int) -> int:
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValidationError(
            _("The retention period must be between {low} and {high} months.").format(
                low=MIN_MONTHS, high=MAX_MONTHS
            )
        )
    return months


def write_retention_months(session: Session, months: int) -> None:
    write_setting(session, RETENTION_SETTING, check_retention_months(months))


def set_retention_months(db: Database, months: int) -> None:
    check_retention_months(months)
    with db.write() as session:
        write_retention_months(session, months)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time *months* calendar months earlier (31 March − 1 → 28/29 Feb)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def _activity_queries() -> Iterable[Any]:
    """(person id, latest time) per kind of activity."""
    person = Person.id
    yield select(person, func.max(Person.updated_at)).group_by(person)
    yield select(person, func.max(Person.created_at)).group_by(person)
    yield select(ConsentRecord.person_id, func.max(ConsentRecord.recorded_at)).group_by(
        ConsentRecord.person_id
    )
    # People only: an organisation's own address is no personal data to review.
    yield (
        select(Invitation.person_id, func.max(Meeting.start))
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(Invitation.person_id.is_not(None))
        .group_by(Invitation.person_id)
    )
    for column in (Invitation.sent_at, Invitation.answered_at):
        yield (
            select(Invitation.person_id, func.max(column))
            .where(Invitation.person_id.is_not(None))
            .group_by(Invitation.person_id)
        )
    yield (
        select(Attendance.person_id, func.max(Meeting.start))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.person_id.is_not(None))
        .group_by(Attendance.person_id)
    )
    yield (
        select(ActionItem.owner_person_id, func.max(Meeting.start))
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(ActionItem.owner_person_id.is_not(None))
        .group_by(ActionItem.owner_person_id)
    )
    yield (
        select(ActionItem.owner_person_id, func.max(ActionItem.done_at))
        .where(ActionItem.owner_person_id.is_not(None))
        .group_by(ActionItem.owner_person_id)
    )
    yield (
        select(AgendaItem.presenter_id, func.max(Meeting.start))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.presenter_id.is_not(None))
        .group_by(AgendaItem.presenter_id)
    )
    for role in (Meeting.organiser_id, Meeting.moderator_id, Meeting.minute_taker_id):
        yield select(role, func.max(Meeting.start)).where(role.is_not(None)).group_by(role)
    for column in (OutboxMessage.created_at, OutboxMessage.sent_at):
        yield (
            select(OutboxMessage.person_id, func.max(column))
            .where(OutboxMessage.person_id.is_not(None))
            .group_by(OutboxMessage.person_id)
        )


def last_activities(db: Database) -> dict[int, datetime]:
    """Every person's latest activity (see the module docstring)."""
    latest: dict[int, datetime] = {}
    with db.read() as session:
        for query in _activity_queries():
            for person_id, moment in session.execute(query):
                if person_id is None or moment is None:
                    continue
                if moment.tzinfo is None:  # max() over a UTC column comes back naive
                    moment = moment.replace(tzinfo=UTC)
                if person_id not in latest or moment > latest[person_id]:
                    latest[person_id] = moment
    return latest


def people_due_for_review(
    db: Database, now: datetime | None = None, *, months: int | None = None
) -> list[ReviewRow]:
    """People whose last activity lies more than the retention period before *now*,
    longest inactive first."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    period = months if months is not None else retention_months(db)
    cutoff = months_before(moment, period)
    activity = last_activities(db)
    rows = []
    with db.read() as session:
        for person, organisation in session.execute(
            select(Person, Organisation.name).outerjoin(
                Organisation, Organisation.id == Person.organisation_id
            )
        ):
            last = activity.get(person.id, person.created_at)
            if last < cutoff:
                rows.append(
                    ReviewRow(
                        person_id=person.id,
                        name=person_display_name(person.title, person.first_name, person.last_name),
                        organisation=organisation,
                        archived=person.archived,
                        last_activity=last,
                    )
                )
    rows.sort(key=lambda row: (row.last_activity, row.person_id))
    return rows
