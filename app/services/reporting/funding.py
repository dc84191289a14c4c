"""The funding report (Sachbericht for a Verwendungsnachweis) of one project or all, as data.

``funding_report`` reads everything once into a frozen ``FundingReport``; the PDF
(``app.documents.funding_report``) and the workbook (``funding_xlsx``) only render it.
Its shape follows what funders ask for in a Sachbericht:

1. the project(s): funder, programme, reference number, amount, period, partners, quarters;
2. **activities carried out**: the meetings held (date, time, venue, title);
3. **target groups reached**: participation per meeting and in total, from
   ``period_figures`` narrowed to the project's meetings, so every number equals the
   figures page for the same meetings; plus first-time and returning participants;
4. the TOPs, decisions and action items that concern the project (see ``queries.concerns``);
5. **public relations**: the press releases issued about these meetings, with dates;
6. photos with caption and credit, only those no one pictured refused;
7. the attached sign-in scans (appended to the PDF on request).

**First-time / returning** (people from the directory only: guests and erased people cannot
be recognised again): at each meeting, a person is *first-time* when this is the first
meeting of the project(s) they attended (earlier ones before the period count too),
*returning* otherwise. In total, ``first_time`` counts the people reached whose first meeting
lies in the period, ``returning`` the others: the two add up to ``people_reached``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import TreffpunktError, ValidationError
from app.i18n import _, format_date
from app.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    Photo,
    PressRelease,
    PressReleaseChannel,
    SigninScan,
)
from app.services.directory import person_display_name
from app.services.letterhead import Letterhead, read_letterhead
from app.services.meetings import agenda_rows
from app.services.planning.times import zone
from app.services.press.photos import clearances
from app.services.projects.queries import ProjectRow, concerns, project_meeting_ids, read_projects
from app.services.reporting.figures import (
    HELD_STATES,
    MeetingFigures,
    PeriodFigures,
    period_figures,
)


class NothingToReport(TreffpunktError):
    """No meeting of the project(s) was held in the period: no report with empty tables."""


@dataclass(frozen=True, slots=True)
class ReportTop:
    number: str
    title: str
    presenter: str
    projects: tuple[str, ...]  # names of the reported projects this TOP concerns


@dataclass(frozen=True, slots=True)
class ReportDecision:
    meeting_id: int
    day: date
    top: str  # "2.3" or ""
    text: str
    votes: str  # "31 : 0 : 2" or ""


@dataclass(frozen=True, slots=True)
class ReportAction:
    meeting_id: int
    day: date
    top: str
    text: str
    owner: str
    due: date | None
    status: ActionItemStatus
    done_on: date | None


@dataclass(frozen=True, slots=True)
class ReportMeeting:
    meeting_id: int
    title: str
    start: datetime  # local
    end: datetime | None  # local
    venue: str
    figures: MeetingFigures
    first_time: int
    returning: int
    projects: tuple[str, ...]
    tops: tuple[ReportTop, ...]
    scans: int


@dataclass(frozen=True, slots=True)
class ReportPress:
    meeting_id: int | None
    issued: date
    headline: str
    channel: PressReleaseChannel
    meeting_title: str


@dataclass(frozen=True, slots=True)
class ReportPhoto:
    photo_id: int
    meeting_id: int
    day: date
    caption: str
    credit: str
    mime_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ReportScan:
    scan_id: int
    meeting_id: int
    day: date
    meeting_title: str
    filename: str
    mime_type: str
    pages: int


@dataclass(frozen=True, slots=True)
class FundingReport:
    projects: tuple[ProjectRow, ...]
    all_projects: bool
    start: date
    end: date
    figures: PeriodFigures
    meetings: tuple[ReportMeeting, ...]
    first_time: int
    returning: int
    decisions: tuple[ReportDecision, ...]
    actions: tuple[ReportAction, ...]
    press: tuple[ReportPress, ...]
    photos: tuple[ReportPhoto, ...]
    photos_withheld: int
    scans: tuple[ReportScan, ...]
    letterhead: Letterhead | None
    created: date

    @property
    def title(self) -> str:
        if self.all_projects or len(self.projects) != 1:
            return _("All projects")
        return self.projects[0].name


def _period(
    projects: list[ProjectRow], meeting_days: list[date], start: date | None, end: date | None
) -> tuple[date, date]:
    """The period asked for; else the project's own; else from its first to its last meeting."""
    if start is not None and end is not None:
        return start, end
    starts = [p.start for p in projects if p.start is not None]
    ends = [p.end for p in projects if p.end is not None]
    chosen_start = start or (min(starts) if starts and len(starts) == len(projects) else None)
    chosen_end = end or (max(ends) if ends and len(ends) == len(projects) else None)
    if chosen_start is None:
        chosen_start = min(meeting_days) if meeting_days else None
    if chosen_end is None:
        chosen_end = max(meeting_days) if meeting_days else None
    if chosen_start is None or chosen_end is None:
        raise NothingToReport(_("No meeting is linked to the project(s) yet; nothing to report."))
    return chosen_start, chosen_end


def _local(meeting: Meeting) -> datetime:
    return meeting.start.astimezone(zone(meeting.timezone))


def _venue(meeting: Meeting) -> str:
    venue = meeting.venue
    if venue is None:
        return ""
    parts = [venue.name, venue.room, " ".join(p for p in (venue.postcode, venue.city) if p)]
    return ", ".join(p for p in parts if p)


def _owner(item: ActionItem) -> str:
    parts = []
    if item.owner_person is not None:
        person = item.owner_person
        parts.append(person_display_name(person.title, person.first_name, person.last_name))
    if item.owner_organisation is not None:
        parts.append(item.owner_organisation.name)
    if item.owner_text:
        parts.append(item.owner_text)
    return ", ".join(dict.fromkeys(parts))


def _votes(decision: Decision) -> str:
    if decision.votes_yes is None and decision.votes_no is None and decision.votes_abstain is None:
        return ""
    return " : ".join(
        str(v or 0) for v in (decision.votes_yes, decision.votes_no, decision.votes_abstain)
    )


def _first_meetings(session: Session, meeting_ids: set[int]) -> dict[int, int]:
    """Per person: the first of these meetings they were present at (by start)."""
    first: dict[int, tuple[datetime, int]] = {}
    for person_id, meeting_id, start in session.execute(
        select(Attendance.person_id, Attendance.meeting_id, Meeting.start)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Attendance.meeting_id.in_(meeting_ids),
            Attendance.status == AttendanceStatus.PRESENT,
            Attendance.person_id.is_not(None),
        )
    ):
        key = (start, meeting_id)
        if person_id is None:  # pragma: no cover - excluded by the query
            continue
        if person_id not in first or key < first[person_id]:
            first[person_id] = key
    return {person_id: meeting_id for person_id, (_start, meeting_id) in first.items()}


def funding_report(
    db: Database,
    project_ids: Collection[int] | None,
    start: date | None = None,
    end: date | None = None,
    *,
    today: date | None = None,
) -> FundingReport:
    """The report of these projects (all when None) for the period (see ``_period``).

    Raises ``NothingToReport`` when no meeting of the project(s) was held in the period,
    ``ValidationError`` for a period that ends before it begins, ``NotFound`` for a project.
    """
    if start is not None and end is not None and end < start:
        raise ValidationError(_("The period ends before it begins."))
    with db.read() as session:
        projects = read_projects(session, project_ids)
        if not projects:
            raise NothingToReport(_("There are no projects yet; nothing to report."))
        selected = [p.id for p in projects]
        by_project = project_meeting_ids(session, selected)
        linked = set().union(*by_project.values()) if by_project else set()
        linked_meetings = {
            m.id: m
            for m in session.scalars(
                select(Meeting).where(Meeting.id.in_(linked)).options(selectinload(Meeting.venue))
            )
        }
        held_ids = {m.id for m in linked_meetings.values() if m.state in HELD_STATES}
        days = [_local(linked_meetings[m]).date() for m in held_ids]
        first_day, last_day = _period(projects, days, start, end)
        if last_day < first_day:
            raise ValidationError(_("The period ends before it begins."))
        letterhead = read_letterhead(session)
    figures = period_figures(db, first_day, last_day, meeting_ids=linked)
    names = {p.id: p.name for p in projects}
    period_text = f"{format_date(first_day)} – {format_date(last_day)}"
    if not figures.meetings_held:
        subject = names[selected[0]] if len(selected) == 1 and project_ids is not None else None
        if subject is not None:
            message = _(
                "No meeting of the project “{project}” was held in the period {period}; "
                "there is nothing to report."
            ).format(project=subject, period=period_text)
        else:
            message = _(
                "No meeting of any project was held in the period {period}; there is "
                "nothing to report."
            ).format(period=period_text)
        raise NothingToReport(message)
    ids = [m.meeting_id for m in figures.per_meeting]
    with db.read() as session:
        return _collect(
            session,
            projects=projects,
            all_projects=project_ids is None,
            names=names,
            figures=figures,
            ids=ids,
            held_ids=held_ids,
            letterhead=letterhead,
            today=today or date.today(),
        )


def _collect(
    session: Session,
    *,
    projects: list[ProjectRow],
    all_projects: bool,
    names: dict[int, str],
    figures: PeriodFigures,
    ids: list[int],
    held_ids: set[int],
    letterhead: Letterhead | None,
    today: date,
) -> FundingReport:
    meetings = {
        m.id: m
        for m in session.scalars(
            select(Meeting)
            .where(Meeting.id.in_(ids))
            .options(selectinload(Meeting.venue), selectinload(Meeting.agenda_items))
        )
    }
    concern = concerns(session, ids, list(names))
    first = _first_meetings(session, held_ids)
    present: dict[int, list[int]] = defaultdict(list)
    for meeting_id, person_id in session.execute(
        select(Attendance.meeting_id, Attendance.person_id).where(
            Attendance.meeting_id.in_(ids),
            Attendance.status == AttendanceStatus.PRESENT,
            Attendance.person_id.is_not(None),
        )
    ):
        if person_id is not None:
            present[meeting_id].append(person_id)
    scans_by_meeting: dict[int, list[tuple[int, str, str, int]]] = defaultdict(list)
    for scan_id, meeting_id, filename, mime_type, pages in session.execute(
        select(
            SigninScan.id,
            SigninScan.meeting_id,
            SigninScan.filename,
            SigninScan.mime_type,
            SigninScan.pages,
        )
        .where(SigninScan.meeting_id.in_(ids))
        .order_by(SigninScan.id)
    ):
        scans_by_meeting[meeting_id].append((scan_id, filename, mime_type, pages))

    def project_names(project_ids: frozenset[int]) -> tuple[str, ...]:
        return tuple(sorted((names[p] for p in project_ids), key=str.casefold))

    report_meetings = []
    numbers: dict[int, str] = {}
    scans: list[ReportScan] = []
    for figure in figures.per_meeting:
        meeting = meetings[figure.meeting_id]
        local = _local(meeting)
        rows = agenda_rows(list(meeting.agenda_items), local)
        numbers.update({row.id: row.number for row in rows})
        meeting_concern = concern[meeting.id]
        tops = tuple(
            ReportTop(
                row.number,
                row.title,
                row.presenter,
                project_names(meeting_concern.projects_of_item(row.id)),
            )
            for row in rows
            if meeting_concern.projects_of_item(row.id)
        )
        concerned = set(meeting_concern.whole) | {
            p for item_projects in meeting_concern.items.values() for p in item_projects
        }
        people = present.get(meeting.id, [])
        first_time = sum(1 for person_id in people if first.get(person_id) == meeting.id)
        for scan_id, filename, mime_type, pages in scans_by_meeting.get(meeting.id, []):
            scans.append(
                ReportScan(
                    scan_id, meeting.id, local.date(), meeting.title, filename, mime_type, pages
                )
            )
        report_meetings.append(
            ReportMeeting(
                meeting_id=meeting.id,
                title=meeting.title,
                start=local,
                end=meeting.end.astimezone(local.tzinfo) if meeting.end else None,
                venue=_venue(meeting),
                figures=figure,
                first_time=first_time,
                returning=len(people) - first_time,
                projects=project_names(frozenset(concerned)),
                tops=tops,
                scans=len(scans_by_meeting.get(meeting.id, [])),
            )
        )
    day_of = {m.meeting_id: m.start.date() for m in report_meetings}

    decisions = []
    for decision in session.scalars(
        select(Decision)
        .where(Decision.meeting_id.in_(ids))
        .order_by(Decision.meeting_id, Decision.position, Decision.id)
    ):
        if concern[decision.meeting_id].projects_of_item(decision.agenda_item_id):
            decisions.append(
                ReportDecision(
                    decision.meeting_id,
                    day_of[decision.meeting_id],
                    numbers.get(decision.agenda_item_id or -1, ""),
                    decision.text,
                    _votes(decision),
                )
            )
    decisions.sort(key=lambda d: (d.day, d.meeting_id))

    actions = []
    for item in session.scalars(
        select(ActionItem)
        .where(ActionItem.meeting_id.in_(ids))
        .options(selectinload(ActionItem.owner_person), selectinload(ActionItem.owner_organisation))
        .order_by(ActionItem.meeting_id, ActionItem.position, ActionItem.id)
    ):
        if concern[item.meeting_id].projects_of_item(item.agenda_item_id):
            done = item.done_at.astimezone(zone("Europe/Berlin")).date() if item.done_at else None
            actions.append(
                ReportAction(
                    item.meeting_id,
                    day_of[item.meeting_id],
                    numbers.get(item.agenda_item_id or -1, ""),
                    item.text,
                    _owner(item),
                    item.due,
                    item.status,
                    done,
                )
            )
    actions.sort(key=lambda a: (a.day, a.meeting_id))

    press = [
        ReportPress(
            row.meeting_id,
            row.issued_at.astimezone(zone("Europe/Berlin")).date(),
            row.headline,
            row.channel,
            meetings[row.meeting_id].title if row.meeting_id in meetings else "",
        )
        for row in session.scalars(
            select(PressRelease)
            .where(PressRelease.meeting_id.in_(ids))
            .order_by(PressRelease.issued_at, PressRelease.id)
        )
    ]

    photos = []
    withheld = 0
    cleared = clearances(session, ids)
    usable_ids = [c.photo_id for m in ids for c in cleared.get(m, []) if c.usable]
    withheld = sum(1 for m in ids for c in cleared.get(m, []) if not c.usable)
    data = dict(session.execute(select(Photo.id, Photo.data).where(Photo.id.in_(usable_ids))).all())
    for meeting_id in ids:
        for clearance in cleared.get(meeting_id, []):
            if clearance.usable:
                photos.append(
                    ReportPhoto(
                        clearance.photo_id,
                        meeting_id,
                        day_of[meeting_id],
                        clearance.caption,
                        clearance.credit,
                        clearance.mime_type,
                        data[clearance.photo_id],
                    )
                )
    reached = {p for m in ids for p in present.get(m, [])}
    first_time_total = sum(1 for p in reached if first.get(p) in day_of)
    return FundingReport(
        projects=tuple(projects),
        all_projects=all_projects,
        start=figures.start,
        end=figures.end,
        figures=figures,
        meetings=tuple(report_meetings),
        first_time=first_time_total,
        returning=len(reached) - first_time_total,
        decisions=tuple(decisions),
        actions=tuple(actions),
        press=tuple(press),
        photos=tuple(photos),
        photos_withheld=withheld,
        scans=tuple(scans),
        letterhead=letterhead,
        created=today,
    )


def report_kind() -> str:
    # Translators: the kind of document, above its title ("Sachbericht").
    return _("Funding report (activity report)")
