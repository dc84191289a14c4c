"""The minutes as the window edits them: per TOP the notes with their version, decisions and
action items with ids and editable values, the carried-over items, the photos (without bytes)
and the minutes row. Read in one session; plain frozen data.

The PDF's view of the same meeting is ``app.services.snapshots.minutes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.db import Database
from app.errors import NotFound
from app.i18n import _
from app.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingState,
    Photo,
)
from app.services.meetings import action_owner, agenda_rows
from app.services.minutes.actions import ActionDraft, ActionStatusState
from app.services.minutes.carry_over import CarriedItem, carried_host, carried_in_session
from app.services.minutes.common import (
    MinutesInfo,
    MinutesStatus,
    find_minutes,
    minutes_info,
    minutes_status,
    zone_of,
)
from app.services.minutes.decisions import DecisionDraft
from app.services.minutes.photos import PhotoRow


@dataclass(frozen=True, slots=True)
class DecisionView:
    id: int
    agenda_item_id: int | None
    index: int  # 0-based within its TOP
    draft: DecisionDraft  # text and votes: pass back as ``expected`` when saving


@dataclass(frozen=True, slots=True)
class ActionView:
    id: int
    agenda_item_id: int | None
    index: int
    draft: ActionDraft  # pass back as ``expected`` when saving
    owner: str  # as shown
    status: ActionStatusState
    overdue: bool  # open and due before the meeting day


@dataclass(frozen=True, slots=True)
class TopView:
    id: int
    number: str
    depth: int
    title: str
    presenter: str
    notes: str
    notes_version: int  # pass to ``save_notes`` as expected_version
    lists_open_action_items: bool
    decisions: tuple[DecisionView, ...]
    actions: tuple[ActionView, ...]


@dataclass(frozen=True, slots=True)
class MinutesView:
    meeting_id: int
    title: str
    start: datetime  # planned, local
    end: datetime | None
    meeting_state: MeetingState
    minutes: MinutesInfo | None  # None until the minutes are started (``ensure_minutes``)
    tops: tuple[TopView, ...]
    unassigned_decisions: tuple[DecisionView, ...]  # their TOP was removed
    unassigned_actions: tuple[ActionView, ...]
    carried: tuple[CarriedItem, ...]
    carried_agenda_item_id: int | None  # the TOP that shows them; None: a section of its own
    photos: tuple[PhotoRow, ...]
    language: str = "de"  # the meeting's: the minutes PDF and its file name speak it

    @property
    def locked(self) -> bool:
        return self.minutes is not None and self.minutes.locked

    @property
    def status(self) -> MinutesStatus:
        """Whether the minutes can be edited now and which steps are open."""
        return minutes_status(self.meeting_state, self.minutes)


def load_minutes(db: Database, meeting_id: int) -> MinutesView:
    """Everything the minutes window shows and edits, in one read session."""
    with db.read() as session:
        meeting = session.get(
            Meeting,
            meeting_id,
            options=[selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenter)],
        )
        if meeting is None:
            raise NotFound(_("There is no meeting with the number {id}.").format(id=meeting_id))
        zone = zone_of(meeting)
        start = meeting.start.astimezone(zone)
        meeting_day: date = start.date()
        items = list(meeting.agenda_items)
        rows = agenda_rows(items, start)
        versions = {item.id: item.version for item in items}

        decisions: dict[int | None, list[DecisionView]] = {}
        for decision in session.scalars(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .order_by(Decision.position, Decision.id)
        ):
            group = decisions.setdefault(decision.agenda_item_id, [])
            group.append(
                DecisionView(
                    decision.id,
                    decision.agenda_item_id,
                    len(group),
                    DecisionDraft(
                        decision.text,
                        decision.votes_yes,
                        decision.votes_no,
                        decision.votes_abstain,
                    ),
                )
            )
        actions: dict[int | None, list[ActionView]] = {}
        for item in session.scalars(
            select(ActionItem)
            .where(ActionItem.meeting_id == meeting_id)
            .order_by(ActionItem.position, ActionItem.id)
            .options(
                selectinload(ActionItem.owner_person),
                selectinload(ActionItem.owner_organisation),
            )
        ):
            group_actions = actions.setdefault(item.agenda_item_id, [])
            group_actions.append(
                ActionView(
                    id=item.id,
                    agenda_item_id=item.agenda_item_id,
                    index=len(group_actions),
                    draft=ActionDraft(
                        item.text,
                        item.owner_person_id,
                        item.owner_organisation_id,
                        item.owner_text,
                        item.due,
                    ),
                    owner=action_owner(item),
                    status=ActionStatusState(item.status, item.done_at, item.done_in_meeting_id),
                    overdue=item.status is ActionItemStatus.OPEN
                    and item.due is not None
                    and item.due < meeting_day,
                )
            )
        photos = tuple(
            PhotoRow(*row)
            for row in session.execute(
                select(
                    Photo.id,
                    Photo.meeting_id,
                    Photo.position,
                    Photo.filename,
                    Photo.mime_type,
                    func.length(Photo.data),
                    Photo.caption,
                    Photo.credit,
                )
                .where(Photo.meeting_id == meeting_id)
                .order_by(Photo.position, Photo.id)
            )
        )
        minutes = find_minutes(session, meeting_id)
        tops = tuple(
            TopView(
                id=row.id,
                number=row.number,
                depth=row.depth,
                title=row.title,
                presenter=row.presenter,
                notes=row.notes,
                notes_version=versions[row.id],
                lists_open_action_items=row.lists_open_action_items,
                decisions=tuple(decisions.pop(row.id, ())),
                actions=tuple(actions.pop(row.id, ())),
            )
            for row in rows
        )
        return MinutesView(
            meeting_id=meeting.id,
            title=meeting.title,
            start=start,
            end=meeting.end.astimezone(zone) if meeting.end else None,
            meeting_state=meeting.state,
            minutes=minutes_info(meeting, minutes) if minutes is not None else None,
            tops=tops,
            # Whatever is left points at no TOP of this agenda any more.
            unassigned_decisions=tuple(d for group in decisions.values() for d in group),
            unassigned_actions=tuple(a for group in actions.values() for a in group),
            carried=tuple(carried_in_session(session, meeting)),
            carried_agenda_item_id=carried_host(session, meeting_id),
            photos=photos,
            language=meeting.language,
        )
