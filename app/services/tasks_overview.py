"""The cross-meeting task list ("Aufgaben"): every action item of every meeting, filterable.

Filters (all optional, combined with AND):

- ``status``: "open" (default), "done" or "all".
- ``person_id``: items owned by that person.
- ``organisation_id``: items owned by that organisation, or by a person who belongs to it
  (a task of the Quartiersbüro's manager is a task of the Quartiersbüro).
- ``due_before``: due ON or before that day (inclusive, like "fällig bis"); items without a
  due date are left out when this filter is set.

Sorted by due date (items without one last), then by owner the German way (Ä with A; a
person by last then first name), then by text. ``overdue``: open and due before *today*.
Closing an item here is ``app.services.minutes.actions.set_action_status`` (no meeting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.models import ActionItem, ActionItemStatus, Meeting, Person
from app.services.meetings import action_owner
from app.services.minutes.common import agenda_numbers
from app.text import fold, nfc, sort_key

STATUS_FILTERS = ("open", "done", "all")


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: int
    text: str
    owner: str  # as shown: "Jana Hoffmann", "Stadt Krefeld", "Jana Hoffmann / Stadt Krefeld"
    owner_person_id: int | None
    owner_organisation_id: int | None
    due: date | None
    status: ActionItemStatus
    overdue: bool
    meeting_id: int  # the meeting that set the task
    meeting_title: str
    meeting_start: datetime  # local time of that meeting
    agenda_number: str | None  # its TOP there
    done_at: datetime | None  # aware, UTC
    done_in_meeting_id: int | None
    owner_text: str = ""


def _owner_key(item: ActionItem) -> str:
    if item.owner_person is not None:
        return item.owner_person.name_key or sort_key(
            item.owner_person.last_name, item.owner_person.first_name
        )
    if item.owner_organisation is not None:
        return item.owner_organisation.name_key or sort_key(item.owner_organisation.name)
    # Nobody named sorts after everybody named.
    return sort_key(item.owner_text) if item.owner_text else "\U0010ffff"


def list_tasks(
    db: Database,
    *,
    status: ActionItemStatus | str = "open",
    person_id: int | None = None,
    organisation_id: int | None = None,
    due_before: date | None = None,
    today: date | None = None,
) -> list[TaskRow]:
    """Action items across all meetings (module docstring for filters and order)."""
    wanted = status.value if isinstance(status, ActionItemStatus) else str(status)
    if wanted not in STATUS_FILTERS:
        raise ValidationError(
            _("Unknown task filter “{status}”: use open, done or all.").format(status=wanted)
        )
    today = today or date.today()
    query = (
        select(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .options(
            selectinload(ActionItem.meeting),
            selectinload(ActionItem.owner_person),
            selectinload(ActionItem.owner_organisation),
        )
    )
    if wanted != "all":
        query = query.where(ActionItem.status == ActionItemStatus(wanted))
    if person_id is not None:
        query = query.where(ActionItem.owner_person_id == person_id)
    if organisation_id is not None:
        members = select(Person.id).where(Person.organisation_id == organisation_id)
        query = query.where(
            or_(
                ActionItem.owner_organisation_id == organisation_id,
                ActionItem.owner_person_id.in_(members),
            )
        )
    if due_before is not None:
        query = query.where(ActionItem.due.is_not(None), ActionItem.due <= due_before)
    with db.read() as session:
        items = session.scalars(query).all()
        numbers = agenda_numbers(session, {item.meeting_id for item in items})
        keyed = []
        for item in items:
            meeting = item.meeting
            row = TaskRow(
                id=item.id,
                text=nfc(item.text),
                owner=nfc(action_owner(item)),
                owner_person_id=item.owner_person_id,
                owner_organisation_id=item.owner_organisation_id,
                due=item.due,
                status=item.status,
                overdue=item.status is ActionItemStatus.OPEN
                and item.due is not None
                and item.due < today,
                meeting_id=meeting.id,
                meeting_title=nfc(meeting.title),
                meeting_start=meeting.start.astimezone(ZoneInfo(meeting.timezone)),
                agenda_number=numbers.get(item.agenda_item_id) if item.agenda_item_id else None,
                done_at=item.done_at,
                done_in_meeting_id=item.done_in_meeting_id,
                owner_text=nfc(item.owner_text),
            )
            keyed.append(
                (
                    (
                        row.due is None,
                        row.due or date.min,
                        _owner_key(item),
                        fold(row.text),
                        row.id,
                    ),
                    row,
                )
            )
    keyed.sort(key=lambda pair: pair[0])
    return [row for _key, row in keyed]
