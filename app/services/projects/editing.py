"""Creating, changing and deleting projects, and linking them to meetings, TOPs and partners.

One user action is one call and one transaction. Every change returns what undo needs:
``update_project`` the previous values, ``delete_project`` a ``RemovedProject`` that
``restore_project`` puts back (same id when still free), ``set_meeting_links`` the previous
links of that meeting.

What is linked explicitly and what follows (see also ``queries``): a project is linked to
*meetings as a whole* (a steering meeting: all its TOPs concern the project) or to *single
TOPs* (TOP 2.3 "Sport im Park" of a network meeting); a TOP may concern several projects.
Decisions and action items are not linked on their own: they follow their TOP, so moving a
decision to another TOP in the minutes moves it between projects too, and nobody keeps two
lists in step. Photos follow their meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.versioning import conflict
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import (
    AgendaItem,
    Meeting,
    Organisation,
    Project,
    Quarter,
    project_agenda_items,
    project_meetings,
)
from app.services.meetings import agenda_rows
from app.services.planning.common import load_meeting
from app.services.projects.values import amount_to_cents, cents_to_amount, check_period
from app.text import nfc, sort_key

MAX_NAME = 300
MAX_SHORT = 300
MAX_REFERENCE = 120


@dataclass(frozen=True, slots=True)
class ProjectInput:
    """What the form edits; the amount in euros (exact), the period as local dates."""

    name: str
    description: str = ""
    funder: str = ""
    programme: str = ""
    reference: str = ""
    amount: Decimal | None = None
    start: date | None = None
    end: date | None = None
    lead_organisation_id: int | None = None
    partner_ids: tuple[int, ...] = ()
    quarter_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingLinks:
    """How one meeting concerns a project: as a whole, and/or through these TOPs."""

    meeting_id: int
    whole: bool = False
    item_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.whole and not self.item_ids


@dataclass(frozen=True, slots=True)
class ProjectChange:
    previous: ProjectInput
    version: int  # the version after the change


@dataclass(frozen=True, slots=True)
class RemovedProject:
    id: int
    values: ProjectInput
    links: tuple[MeetingLinks, ...]


def _load(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(_("There is no project with the number {id}.").format(id=project_id))
    return project


def load_project(session: Session, project_id: int) -> Project:
    return _load(session, project_id)


def _text(value: str, limit: int, field: str) -> str:
    text = nfc(value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            _("{field} may be at most {max} characters long.").format(field=field, max=limit)
        )
    return text


def clean_input(values: ProjectInput) -> ProjectInput:
    """Trimmed, NFC, checked (name given, lengths, amount, period); raises ValidationError."""
    name = " ".join(_text(values.name, MAX_NAME, _("The project name")).split())
    if not name:
        raise ValidationError(_("A project needs a name."))
    if values.amount is not None:
        if values.amount < 0:
            raise ValidationError(_("The amount cannot be negative."))
        if values.amount != values.amount.quantize(Decimal("0.01")):
            raise ValidationError(_("The amount has more than two decimal places."))
    check_period(values.start, values.end)
    partners = tuple(
        dict.fromkeys(p for p in values.partner_ids if p != values.lead_organisation_id)
    )
    return replace(
        values,
        name=name,
        description=nfc(values.description or "").strip(),
        funder=_text(values.funder, MAX_SHORT, _("The funder")),
        programme=_text(values.programme, MAX_SHORT, _("The programme")),
        reference=_text(values.reference, MAX_REFERENCE, _("The reference number")),
        partner_ids=partners,
        quarter_ids=tuple(dict.fromkeys(values.quarter_ids)),
    )


def _organisations(session: Session, ids: tuple[int, ...]) -> list[Organisation]:
    found = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(_("There is no organisation with the number {id}.").format(id=missing[0]))
    return [found[i] for i in ids]


def _quarters(session: Session, ids: tuple[int, ...]) -> list[Quarter]:
    found = {q.id: q for q in session.scalars(select(Quarter).where(Quarter.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(_("There is no quarter with the number {id}.").format(id=missing[0]))
    return [found[i] for i in ids]


def _apply(session: Session, project: Project, values: ProjectInput) -> None:
    project.name = values.name
    project.description = values.description
    project.funder = values.funder
    project.programme = values.programme
    project.reference = values.reference
    project.amount_cents = amount_to_cents(values.amount)
    project.start_date = values.start
    project.end_date = values.end
    if values.lead_organisation_id is not None:
        _organisations(session, (values.lead_organisation_id,))
    project.lead_organisation_id = values.lead_organisation_id
    project.partners = _organisations(session, values.partner_ids)
    project.quarters = _quarters(session, values.quarter_ids)


def project_input(project: Project) -> ProjectInput:
    return ProjectInput(
        name=project.name,
        description=project.description,
        funder=project.funder,
        programme=project.programme,
        reference=project.reference,
        amount=cents_to_amount(project.amount_cents),
        start=project.start_date,
        end=project.end_date,
        lead_organisation_id=project.lead_organisation_id,
        partner_ids=tuple(o.id for o in sorted(project.partners, key=lambda o: o.name_key)),
        quarter_ids=tuple(q.id for q in sorted(project.quarters, key=lambda q: q.name_key)),
    )


def create_project(db: Database, values: ProjectInput) -> int:
    """A new project; returns its id."""
    cleaned = clean_input(values)
    with db.write() as session:
        project = Project(name=cleaned.name)
        session.add(project)
        _apply(session, project, cleaned)
        session.flush()
        return project.id


def update_project(
    db: Database, project_id: int, values: ProjectInput, *, expected_version: int | None = None
) -> ProjectChange:
    """Save the form; refuses when someone else saved the project since it was loaded."""
    cleaned = clean_input(values)
    with db.write() as session:
        project = _load(session, project_id)
        if expected_version is not None and project.version != expected_version:
            raise conflict(
                project,
                _(
                    "This project was changed elsewhere after you opened it; nothing was "
                    "saved. Reload it and make your change again."
                ),
            )
        previous = project_input(project)
        _apply(session, project, cleaned)
        session.flush()
        return ProjectChange(previous, project.version)


def _links_of(session: Session, project_id: int) -> tuple[MeetingLinks, ...]:
    whole = set(
        session.scalars(
            select(project_meetings.c.meeting_id).where(project_meetings.c.project_id == project_id)
        )
    )
    items: dict[int, list[int]] = {}
    for item_id, meeting_id in session.execute(
        select(AgendaItem.id, AgendaItem.meeting_id)
        .join(project_agenda_items, project_agenda_items.c.agenda_item_id == AgendaItem.id)
        .where(project_agenda_items.c.project_id == project_id)
        .order_by(AgendaItem.id)
    ):
        items.setdefault(meeting_id, []).append(item_id)
    return tuple(
        MeetingLinks(meeting_id, meeting_id in whole, tuple(items.get(meeting_id, ())))
        for meeting_id in sorted(whole | set(items))
    )


def delete_project(db: Database, project_id: int) -> RemovedProject:
    """Delete a project and its links (meetings, TOPs and minutes stay as they are)."""
    with db.write() as session:
        project = _load(session, project_id)
        removed = RemovedProject(project.id, project_input(project), _links_of(session, project.id))
        session.delete(project)
        return removed


def restore_project(db: Database, removed: RemovedProject) -> int:
    """Undo of ``delete_project``: the project and the links whose meetings still exist."""
    with db.write() as session:
        project_id: int | None = removed.id if session.get(Project, removed.id) is None else None
        project = Project(id=project_id, name=removed.values.name)
        session.add(project)
        _apply(session, project, clean_input(removed.values))
        session.flush()
        for links in removed.links:
            if session.get(Meeting, links.meeting_id) is not None:
                _write_links(session, project.id, links)
        return project.id


# -- links ---------------------------------------------------------------------------------


def meeting_links(session: Session, project_id: int, meeting_id: int) -> MeetingLinks:
    whole = (
        session.execute(
            select(project_meetings.c.meeting_id).where(
                project_meetings.c.project_id == project_id,
                project_meetings.c.meeting_id == meeting_id,
            )
        ).first()
        is not None
    )
    item_ids = tuple(
        session.scalars(
            select(AgendaItem.id)
            .join(project_agenda_items, project_agenda_items.c.agenda_item_id == AgendaItem.id)
            .where(
                project_agenda_items.c.project_id == project_id,
                AgendaItem.meeting_id == meeting_id,
            )
            .order_by(AgendaItem.id)
        )
    )
    return MeetingLinks(meeting_id, whole, item_ids)


def _write_links(session: Session, project_id: int, links: MeetingLinks) -> None:
    meeting_items = set(
        session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == links.meeting_id))
    )
    foreign = [i for i in links.item_ids if i not in meeting_items]
    if foreign:
        raise NotFound(
            _("The meeting {meeting} has no agenda item with the number {id}.").format(
                meeting=links.meeting_id, id=foreign[0]
            )
        )
    session.execute(
        delete(project_meetings).where(
            project_meetings.c.project_id == project_id,
            project_meetings.c.meeting_id == links.meeting_id,
        )
    )
    if meeting_items:
        session.execute(
            delete(project_agenda_items).where(
                project_agenda_items.c.project_id == project_id,
                project_agenda_items.c.agenda_item_id.in_(meeting_items),
            )
        )
    if links.whole:
        session.execute(
            insert(project_meetings).values(project_id=project_id, meeting_id=links.meeting_id)
        )
    for item_id in dict.fromkeys(links.item_ids):
        session.execute(
            insert(project_agenda_items).values(project_id=project_id, agenda_item_id=item_id)
        )


def set_meeting_links(db: Database, project_id: int, links: MeetingLinks) -> MeetingLinks:
    """Replace how *links.meeting_id* concerns the project; returns the previous links."""
    with db.write() as session:
        _load(session, project_id)
        load_meeting(session, links.meeting_id)
        previous = meeting_links(session, project_id, links.meeting_id)
        _write_links(session, project_id, links)
        return previous


def find_top(session: Session, meeting: Meeting, number: str) -> AgendaItem:
    """The TOP shown as *number* ("2" or "2.3") in the meeting's agenda."""
    wanted = number.strip().removeprefix("TOP").strip().rstrip(".")
    items = list(session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)))
    for row in agenda_rows(items, meeting.start):
        if row.number == wanted:
            return next(item for item in items if item.id == row.id)
    raise NotFound(
        _("The meeting {meeting} has no TOP {number}.").format(meeting=meeting.id, number=number)
    )


def link_meeting(db: Database, project_id: int, meeting_id: int, top: str | None = None) -> bool:
    """Link a meeting as a whole, or one of its TOPs by number; False if already linked."""
    with db.write() as session:
        _load(session, project_id)
        meeting = load_meeting(session, meeting_id)
        current = meeting_links(session, project_id, meeting_id)
        if top is None:
            if current.whole:
                return False
            _write_links(session, project_id, replace(current, whole=True))
            return True
        item = find_top(session, meeting, top)
        if item.id in current.item_ids:
            return False
        _write_links(session, project_id, replace(current, item_ids=(*current.item_ids, item.id)))
        return True


def find_organisation(session: Session, name: str) -> Organisation:
    """The organisation of this name (case and accents ignored); refuses unknown or twice."""
    key = sort_key(nfc(name).strip())
    found = list(
        session.scalars(
            select(Organisation).where(Organisation.name_key == key).order_by(Organisation.id)
        )
    )
    if not found:
        raise NotFound(_("There is no organisation called “{name}”.").format(name=name))
    active = [o for o in found if not o.archived] or found
    if len(active) > 1:
        raise ValidationError(
            _("There are {count} organisations called “{name}”.").format(
                count=len(active), name=name
            )
        )
    return active[0]


def link_organisation(db: Database, project_id: int, name: str) -> bool:
    """Add a partner organisation by name; False if it is the lead or a partner already."""
    with db.write() as session:
        project = _load(session, project_id)
        organisation = find_organisation(session, name)
        if organisation.id == project.lead_organisation_id or organisation in project.partners:
            return False
        project.partners.append(organisation)
        return True
