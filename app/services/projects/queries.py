"""Reading projects as frozen rows for the window, the command line and the reports.

The meetings of a project are those linked as a whole and those with a linked TOP
(``project_meeting_ids``); ``concerns`` says per meeting which TOPs concern which projects
(all TOPs of a meeting linked as a whole).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.models import (
    AgendaItem,
    Meeting,
    MeetingState,
    Organisation,
    Project,
    Quarter,
    project_agenda_items,
    project_meetings,
)
from app.services.directory_editing import Choice
from app.services.meetings import agenda_rows
from app.services.planning.times import zone
from app.services.projects.editing import MeetingLinks, _load
from app.services.projects.values import cents_to_amount


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: int
    name: str
    funder: str
    programme: str
    reference: str
    amount: Decimal | None
    start: date | None
    end: date | None
    lead_organisation: str | None
    organisations: tuple[str, ...]  # the lead first, then the partners (German order)
    quarters: tuple[str, ...]
    meeting_ids: tuple[int, ...]  # by date
    version: int


@dataclass(frozen=True, slots=True)
class LinkedTop:
    id: int
    number: str  # "2.3"
    title: str


@dataclass(frozen=True, slots=True)
class LinkedMeeting:
    """A meeting of the project: linked as a whole, or through the TOPs listed."""

    meeting_id: int
    title: str
    start: datetime  # local
    state: MeetingState
    whole: bool
    tops: tuple[LinkedTop, ...]

    def links(self) -> MeetingLinks:
        return MeetingLinks(self.meeting_id, self.whole, tuple(t.id for t in self.tops))


@dataclass(frozen=True, slots=True)
class ProjectDetail:
    row: ProjectRow
    description: str
    lead_organisation_id: int | None
    partners: tuple[Choice, ...]
    quarters: tuple[Choice, ...]
    meetings: tuple[LinkedMeeting, ...]  # by date


@dataclass(frozen=True, slots=True)
class TopChoice:
    id: int
    number: str
    title: str
    depth: int


@dataclass(frozen=True, slots=True)
class MeetingChoice:
    id: int
    title: str
    start: datetime  # local
    state: MeetingState
    tops: tuple[TopChoice, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ProjectChoices:
    organisations: tuple[Choice, ...]
    quarters: tuple[Choice, ...]


def project_meeting_ids(
    session: Session, project_ids: Collection[int] | None = None
) -> dict[int, set[int]]:
    """Per project (all when None): the ids of its meetings, whole or through a TOP."""
    result: dict[int, set[int]] = defaultdict(set)
    whole = select(project_meetings.c.project_id, project_meetings.c.meeting_id)
    tops = select(project_agenda_items.c.project_id, AgendaItem.meeting_id).join(
        AgendaItem, AgendaItem.id == project_agenda_items.c.agenda_item_id
    )
    if project_ids is not None:
        whole = whole.where(project_meetings.c.project_id.in_(list(project_ids)))
        tops = tops.where(project_agenda_items.c.project_id.in_(list(project_ids)))
    for project_id, meeting_id in [*session.execute(whole), *session.execute(tops)]:
        result[project_id].add(meeting_id)
    return result


@dataclass(frozen=True, slots=True)
class Concern:
    """Which projects a meeting concerns as a whole, and which each of its TOPs concerns."""

    whole: frozenset[int]  # project ids
    items: dict[int, frozenset[int]]  # item id → project ids (whole-meeting projects included)

    def projects_of_item(self, item_id: int | None) -> frozenset[int]:
        if item_id is None:
            return self.whole
        return self.items.get(item_id, self.whole)


def concerns(
    session: Session, meeting_ids: Collection[int], project_ids: Collection[int] | None = None
) -> dict[int, Concern]:
    """Per meeting: the projects (among *project_ids*, all when None) each TOP concerns."""
    ids = list(meeting_ids)
    whole: dict[int, set[int]] = defaultdict(set)
    query = select(project_meetings.c.meeting_id, project_meetings.c.project_id).where(
        project_meetings.c.meeting_id.in_(ids)
    )
    if project_ids is not None:
        query = query.where(project_meetings.c.project_id.in_(list(project_ids)))
    for meeting_id, project_id in session.execute(query):
        whole[meeting_id].add(project_id)
    direct: dict[int, set[int]] = defaultdict(set)
    item_query = (
        select(AgendaItem.id, project_agenda_items.c.project_id)
        .join(project_agenda_items, project_agenda_items.c.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id.in_(ids))
    )
    if project_ids is not None:
        item_query = item_query.where(project_agenda_items.c.project_id.in_(list(project_ids)))
    for item_id, project_id in session.execute(item_query):
        direct[item_id].add(project_id)
    items_of: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for item_id, meeting_id, parent_id in session.execute(
        select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.parent_id).where(
            AgendaItem.meeting_id.in_(ids)
        )
    ):
        items_of[meeting_id].append((item_id, parent_id))
    result = {}
    for meeting_id in ids:
        meeting_whole = frozenset(whole.get(meeting_id, ()))
        parents = dict(items_of.get(meeting_id, ()))
        items: dict[int, frozenset[int]] = {}
        for item_id in parents:
            # A sub-item concerns what its parent TOP concerns ("2 Projects" → "2.3 VielFeld").
            found: set[int] = set(meeting_whole)
            current: int | None = item_id
            while current is not None:
                found |= direct.get(current, set())
                current = parents.get(current)
            items[item_id] = frozenset(found)
        result[meeting_id] = Concern(meeting_whole, items)
    return result


def _local(meeting: Meeting) -> datetime:
    return meeting.start.astimezone(zone(meeting.timezone))


def _rows(session: Session, projects: list[Project]) -> list[ProjectRow]:
    meetings = project_meeting_ids(session, [p.id for p in projects])
    all_ids = {m for ids in meetings.values() for m in ids}
    starts = dict(
        session.execute(select(Meeting.id, Meeting.start).where(Meeting.id.in_(all_ids))).all()
    )
    rows = []
    for project in projects:
        lead = project.lead_organisation
        partners = sorted(project.partners, key=lambda o: o.name_key)
        rows.append(
            ProjectRow(
                id=project.id,
                name=project.name,
                funder=project.funder,
                programme=project.programme,
                reference=project.reference,
                amount=cents_to_amount(project.amount_cents),
                start=project.start_date,
                end=project.end_date,
                lead_organisation=lead.name if lead is not None else None,
                organisations=tuple(
                    o.name for o in ([lead] if lead is not None else []) + partners
                ),
                quarters=tuple(q.name for q in sorted(project.quarters, key=lambda q: q.name_key)),
                meeting_ids=tuple(
                    sorted(meetings.get(project.id, ()), key=lambda m: (starts[m], m))
                ),
                version=project.version,
            )
        )
    return rows


def _project_query() -> Select[Project]:
    return select(Project).options(
        selectinload(Project.lead_organisation),
        selectinload(Project.partners),
        selectinload(Project.quarters),
    )


def list_projects(db: Database) -> list[ProjectRow]:
    """Every project, in German order of their names."""
    with db.read() as session:
        projects = list(session.scalars(_project_query().order_by(Project.name_key, Project.id)))
        return _rows(session, projects)


def read_projects(session: Session, project_ids: Collection[int] | None) -> list[ProjectRow]:
    query = _project_query().order_by(Project.name_key, Project.id)
    if project_ids is not None:
        for project_id in project_ids:
            _load(session, project_id)
        query = query.where(Project.id.in_(list(project_ids)))
    return _rows(session, list(session.scalars(query)))


def project_detail(db: Database, project_id: int) -> ProjectDetail:
    with db.read() as session:
        project = _load(session, project_id)
        row = _rows(session, [project])[0]
        whole = set(
            session.scalars(
                select(project_meetings.c.meeting_id).where(
                    project_meetings.c.project_id == project_id
                )
            )
        )
        linked_items = set(
            session.scalars(
                select(project_agenda_items.c.agenda_item_id).where(
                    project_agenda_items.c.project_id == project_id
                )
            )
        )
        meetings = []
        for meeting in session.scalars(
            select(Meeting)
            .where(Meeting.id.in_(row.meeting_ids))
            .options(selectinload(Meeting.agenda_items))
            .order_by(Meeting.start, Meeting.id)
        ):
            local = _local(meeting)
            tops = tuple(
                LinkedTop(r.id, r.number, r.title)
                for r in agenda_rows(list(meeting.agenda_items), local)
                if r.id in linked_items
            )
            meetings.append(
                LinkedMeeting(
                    meeting.id, meeting.title, local, meeting.state, meeting.id in whole, tops
                )
            )
        return ProjectDetail(
            row=row,
            description=project.description,
            lead_organisation_id=project.lead_organisation_id,
            partners=tuple(
                Choice(o.id, o.name, o.archived)
                for o in sorted(project.partners, key=lambda o: o.name_key)
            ),
            quarters=tuple(
                Choice(q.id, q.name) for q in sorted(project.quarters, key=lambda q: q.name_key)
            ),
            meetings=tuple(meetings),
        )


def project_choices(db: Database) -> ProjectChoices:
    """Organisations (not archived first) and quarters for the form."""
    with db.read() as session:
        organisations = tuple(
            Choice(id_, name, archived)
            for id_, name, archived in session.execute(
                select(Organisation.id, Organisation.name, Organisation.archived).order_by(
                    Organisation.archived, Organisation.name_key, Organisation.id
                )
            )
        )
        quarters = tuple(
            Choice(id_, name)
            for id_, name in session.execute(
                select(Quarter.id, Quarter.name).order_by(Quarter.name_key, Quarter.id)
            )
        )
        return ProjectChoices(organisations, quarters)


def meeting_choices(db: Database) -> tuple[MeetingChoice, ...]:
    """Every meeting with its TOPs (numbered), newest first, for the link dialog."""
    with db.read() as session:
        items: dict[int, list[AgendaItem]] = defaultdict(list)
        for item in session.scalars(select(AgendaItem)):
            items[item.meeting_id].append(item)
        result = []
        for meeting in session.scalars(select(Meeting).order_by(Meeting.start.desc(), Meeting.id)):
            local = _local(meeting)
            tops = tuple(
                TopChoice(r.id, r.number, r.title, r.depth)
                for r in agenda_rows(items.get(meeting.id, []), local)
            )
            result.append(MeetingChoice(meeting.id, meeting.title, local, meeting.state, tops))
        return tuple(result)
