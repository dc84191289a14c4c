"""Attendance figures for one meeting and for a period (a funding year), as frozen data.

Definitions (the same in the window, the exports and ``treffpunkt figures``):

- **invited** counts invitations; **no_answer** is everyone invited without a reply
  (not sent yet or sent without answer; ``not_sent`` tells the first part).
- **present / excused / absent** count people (from the directory, and the anonymised rows of
  erased people: they still count, without a name); **guests** count walk-in guests present.
  **participants** = present + guests. **not_recorded**: invitees without an entry.
- **Organisations represented**: the organisations of everyone present: a person's current
  organisation in the directory; a guest's organisation text, taken as the directory
  organisation of that name (case and accents ignored) when there is one. **Quarters
  represented**: the quarters of those directory organisations.
- A **period** counts only meetings *held* in it (states held, minutes draft, minutes
  final) by their local date, both ends included. Cancelled meetings never count; meetings
  still planned or invited are left out too and counted in ``meetings_not_held`` so the
  window can hint that they may need marking as held.
- **people_reached**: distinct people from the directory present at least once.
  Guests and erased people cannot be told apart across meetings, so they are counted as
  attendances (``guest_attendances``, ``anonymous_attendances``), not as people.
- Per organisation / quarter: **meetings** with at least one of them present,
  **attendances** (one per person or guest per meeting), **people** (distinct directory
  people plus distinct guest names). An organisation in several quarters counts in each.
  The row with ``None`` collects attendances without an organisation (or quarter).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.i18n import _, format_date
from app.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Organisation,
    Person,
    Quarter,
    organisation_quarters,
)
from app.services.languages import network_language
from app.services.planning.common import load_meeting
from app.services.planning.times import zone
from app.text import fold, sort_key

HELD_STATES = (MeetingState.HELD, MeetingState.MINUTES_DRAFT, MeetingState.MINUTES_FINAL)
NOT_HELD_STATES = (MeetingState.PLANNED, MeetingState.INVITED)


@dataclass(frozen=True, slots=True)
class MeetingFigures:
    meeting_id: int
    title: str
    start: datetime  # aware, in the meeting's time zone
    state: MeetingState
    invited: int
    accepted: int
    declined: int
    tentative: int
    no_answer: int
    not_sent: int
    present: int
    excused: int
    absent: int
    guests: int
    not_recorded: int
    organisation_names: tuple[str, ...]  # German order
    quarter_names: tuple[str, ...]
    # Of ``invited``/``accepted``: organisations invited by their own address. They count as
    # one invitation each, as the organisation, and never as a person (``not_recorded``).
    invited_organisations: int = 0
    accepted_organisations: int = 0

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def participants(self) -> int:
        return self.present + self.guests

    @property
    def organisations_represented(self) -> int:
        return len(self.organisation_names)

    @property
    def quarters_represented(self) -> int:
        return len(self.quarter_names)


@dataclass(frozen=True, slots=True)
class OrganisationFigures:
    organisation: str | None  # None: without organisation (also erased people)
    meetings: int
    attendances: int
    people: int
    guest_attendances: int
    quarters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuarterFigures:
    quarter: str | None  # None: no quarter (city-wide organisations, none, unknown)
    organisations: int
    meetings: int
    attendances: int
    people: int


@dataclass(frozen=True, slots=True)
class CalendarQuarterFigures:
    year: int
    quarter: int  # 1 … 4
    meetings_held: int
    attendances: int  # people and guests present
    guest_attendances: int
    people_reached: int

    @property
    def label(self) -> str:
        return calendar_quarter_label(self.year, self.quarter)


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    start: date
    end: date
    meetings_held: int
    meetings_not_held: int  # planned or invited in the period: not counted
    meetings_cancelled: int
    attendances: int  # person_attendances + guest_attendances
    person_attendances: int  # includes anonymous_attendances
    guest_attendances: int
    anonymous_attendances: int
    people_reached: int
    organisations_reached: int
    quarters_reached: int
    per_meeting: tuple[MeetingFigures, ...]  # held meetings, by date
    per_organisation: tuple[OrganisationFigures, ...]  # German order, None last
    per_quarter: tuple[QuarterFigures, ...]  # every quarter of the directory, None last
    per_calendar_quarter: tuple[CalendarQuarterFigures, ...]  # every one the period touches
    # The exported report's language: the network's document language (it goes to funders);
    # the window shows the same figures in its own language.
    language: str = "de"


def calendar_quarter_label(year: int, quarter: int) -> str:
    # Translators: a calendar quarter ("Quartal"), e.g. "Q1 2026" → "1. Quartal 2026".
    # Not a city quarter ("Quartier").
    return _("Q{quarter} {year}").format(quarter=quarter, year=year)


# -- collecting ----------------------------------------------------------------------------

_OrgKey = tuple[str, object]  # ("org", id) or ("text", folded guest organisation)


@dataclass(frozen=True, slots=True)
class _Present:
    """One person or guest present at a meeting, with what the figures need of them."""

    person_id: int | None
    guest_key: str | None  # folded guest name
    anonymised: bool
    organisation: _OrgKey | None


@dataclass
class _Directory:
    names: dict[_OrgKey, str]
    quarters: dict[_OrgKey, tuple[str, ...]]
    by_name_key: dict[str, int]
    all_quarters: tuple[str, ...]
    person_organisation: dict[int, int | None]

    sort_keys: dict[str, str] = field(default_factory=dict)
    guest_organisations: dict[str, _OrgKey | None] = field(default_factory=dict)

    def sort_key(self, name: str) -> str:
        """``app.text.sort_key``, once per name: the same names recur in every meeting."""
        key = self.sort_keys.get(name)
        if key is None:
            key = self.sort_keys[name] = sort_key(name)
        return key

    def organisation_of_guest(self, text: str) -> _OrgKey | None:
        if text in self.guest_organisations:
            return self.guest_organisations[text]
        self.guest_organisations[text] = found = self._organisation_of_guest(text)
        return found

    def _organisation_of_guest(self, text: str) -> _OrgKey | None:
        if not text.strip():
            return None
        org_id = self.by_name_key.get(sort_key(text))
        if org_id is not None:
            return ("org", org_id)
        key: _OrgKey = ("text", fold(text))
        self.names.setdefault(key, " ".join(text.split()))
        return key

    def name(self, key: _OrgKey) -> str:
        return self.names[key]

    def quarters_of(self, key: _OrgKey | None) -> tuple[str, ...]:
        return self.quarters.get(key, ()) if key is not None else ()


def _directory(session: Session) -> _Directory:
    names: dict[_OrgKey, str] = {}
    by_name_key: dict[str, int] = {}
    for org_id, name, name_key, _archived in session.execute(
        select(
            Organisation.id, Organisation.name, Organisation.name_key, Organisation.archived
        ).order_by(Organisation.archived, Organisation.id)
    ):
        names[("org", org_id)] = name
        by_name_key.setdefault(name_key, org_id)
    quarters: dict[_OrgKey, list[str]] = defaultdict(list)
    for org_id, quarter in session.execute(
        select(organisation_quarters.c.organisation_id, Quarter.name).join(
            Quarter, Quarter.id == organisation_quarters.c.quarter_id
        )
    ):
        quarters[("org", org_id)].append(quarter)
    all_quarters = tuple(sorted(session.scalars(select(Quarter.name)), key=sort_key))
    return _Directory(
        names=names,
        quarters={key: tuple(sorted(value, key=sort_key)) for key, value in quarters.items()},
        by_name_key=by_name_key,
        all_quarters=all_quarters,
        person_organisation={},  # filled by _load_organisations_of for the people present
    )


def _load_organisations_of(session: Session, directory: _Directory, people: set[int]) -> None:
    """The organisations of *people* only: a meeting's figures must not read a directory of
    100,000 people."""
    wanted = sorted(people - directory.person_organisation.keys())
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for person_id, organisation_id in session.execute(
            select(Person.id, Person.organisation_id).where(Person.id.in_(chunk))
        ):
            directory.person_organisation[person_id] = organisation_id


def _figures_of(
    session: Session, meetings: list[Meeting], directory: _Directory
) -> list[tuple[MeetingFigures, list[_Present]]]:
    """Each meeting's figures and who was present. Ten years hold 30,000 invitations and
    30,000 attendance rows: the database counts (replies, statuses, invitees without an
    entry); only the rows of those present come to Python, as plain tuples."""
    ids = [m.id for m in meetings]
    replies: dict[int, Counter[InvitationState]] = defaultdict(Counter)
    organisation_replies: dict[int, Counter[InvitationState]] = defaultdict(Counter)
    by_organisation = Invitation.organisation_id.is_not(None)
    # People invited in person (an erased person's invitation counts, but has no record)
    # without an entry of theirs. A person has one invitation and one entry per meeting:
    # the join keeps one row per invitation, and the groups' counts add up per meeting.
    without_entry = func.count(Invitation.person_id).filter(
        Invitation.organisation_id.is_(None), Attendance.id.is_(None)
    )
    not_recorded: Counter[int] = Counter()
    for meeting_id, state, for_organisation, count, unrecorded in session.execute(
        select(
            Invitation.meeting_id, Invitation.state, by_organisation, func.count(), without_entry
        )
        .outerjoin(
            Attendance,
            and_(
                Attendance.meeting_id == Invitation.meeting_id,
                Attendance.person_id == Invitation.person_id,
            ),
        )
        .where(Invitation.meeting_id.in_(ids))
        .group_by(Invitation.meeting_id, Invitation.state, by_organisation)
    ):
        replies[meeting_id][state] += count
        if for_organisation:
            organisation_replies[meeting_id][state] += count
        not_recorded[meeting_id] += unrecorded
    # Guests are rows without a person that are not anonymised (erased people).
    guest = and_(Attendance.person_id.is_(None), Attendance.anonymised.is_(False))
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for meeting_id, status, is_guest, count in session.execute(
        select(Attendance.meeting_id, Attendance.status, guest, func.count())
        .where(Attendance.meeting_id.in_(ids))
        .group_by(Attendance.meeting_id, Attendance.status, guest)
    ):
        if not is_guest:
            counts[meeting_id][status.value] += count
        elif status is AttendanceStatus.PRESENT:
            counts[meeting_id]["guests"] += count
    rows: dict[int, list[tuple[int | None, bool, str, str]]] = defaultdict(list)
    for meeting_id, person_id, anonymised, guest_name, guest_organisation in session.execute(
        select(
            Attendance.meeting_id,
            Attendance.person_id,
            Attendance.anonymised,
            Attendance.guest_name,
            Attendance.guest_organisation,
        ).where(Attendance.meeting_id.in_(ids), Attendance.status == AttendanceStatus.PRESENT)
    ):
        rows[meeting_id].append((person_id, anonymised, guest_name, guest_organisation))
    _load_organisations_of(
        session,
        directory,
        {row[0] for meeting_rows in rows.values() for row in meeting_rows if row[0] is not None},
    )
    # The same people and guests come to meeting after meeting: one (frozen) _Present each.
    known: dict[tuple[int | None, bool, str, str], _Present] = {}
    guest_keys: dict[str, str] = {}
    result = []
    for meeting in meetings:
        present: list[_Present] = []
        for row in rows[meeting.id]:
            one = known.get(row)
            if one is None:
                person_id, anonymised, guest_name, guest_organisation = row
                if person_id is None and not anonymised:  # a guest
                    organisation = directory.organisation_of_guest(guest_organisation)
                    guest_key = guest_keys.get(guest_name)
                    if guest_key is None:
                        guest_key = guest_keys[guest_name] = fold(guest_name)
                elif person_id is not None:
                    org_id = directory.person_organisation.get(person_id)
                    organisation = ("org", org_id) if org_id is not None else None
                    guest_key = None
                else:
                    organisation = guest_key = None
                one = known[row] = _Present(
                    person_id=person_id,
                    guest_key=guest_key,
                    anonymised=anonymised,
                    organisation=organisation,
                )
            present.append(one)
        organisations = {p.organisation for p in present if p.organisation is not None}
        quarter_names = {q for key in organisations for q in directory.quarters_of(key)}
        reply = replies[meeting.id]
        statuses = counts[meeting.id]
        answered = (
            reply[InvitationState.ACCEPTED]
            + reply[InvitationState.DECLINED]
            + reply[InvitationState.TENTATIVE]
        )
        figures = MeetingFigures(
            meeting_id=meeting.id,
            title=meeting.title,
            start=meeting.start.astimezone(zone(meeting.timezone)),
            state=meeting.state,
            invited=sum(reply.values()),
            accepted=reply[InvitationState.ACCEPTED],
            declined=reply[InvitationState.DECLINED],
            tentative=reply[InvitationState.TENTATIVE],
            no_answer=sum(reply.values()) - answered,
            not_sent=reply[InvitationState.NOT_SENT],
            present=statuses["present"],
            excused=statuses["excused"],
            absent=statuses["absent"],
            guests=statuses["guests"],
            not_recorded=not_recorded[meeting.id],
            organisation_names=tuple(
                sorted((directory.name(key) for key in organisations), key=directory.sort_key)
            ),
            quarter_names=tuple(sorted(quarter_names, key=directory.sort_key)),
            invited_organisations=sum(organisation_replies[meeting.id].values()),
            accepted_organisations=organisation_replies[meeting.id][InvitationState.ACCEPTED],
        )
        result.append((figures, present))
    return result


def meeting_figures(db: Database, meeting_id: int) -> MeetingFigures:
    """The figures of one meeting, whatever its state."""
    with db.read() as session:
        return figures_of_meeting(session, load_meeting(session, meeting_id))


def figures_of_meeting(session: Session, meeting: Meeting) -> MeetingFigures:
    """``meeting_figures`` within a read session the caller holds (one snapshot with what
    else it reads)."""
    return _figures_of(session, [meeting], _directory(session))[0][0]


# -- a period ------------------------------------------------------------------------------


def _local_date(meeting: Meeting) -> date:
    return meeting.start.astimezone(zone(meeting.timezone)).date()


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters_between(start: date, end: date) -> list[tuple[int, int]]:
    year, quarter = _quarter_of(start)
    last = _quarter_of(end)
    result = []
    while (year, quarter) <= last:
        result.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return result


@dataclass
class _Tally:
    meetings: set[int] = field(default_factory=set)
    attendances: int = 0
    guests: int = 0
    people: set[tuple[str, object]] = field(default_factory=set)  # ("person", id), ("guest", …)

    def add(self, meeting_id: int, present: _Present) -> None:
        self.meetings.add(meeting_id)
        self.attendances += 1
        if present.guest_key is not None:
            self.guests += 1
            self.people.add(("guest", present.guest_key))
        elif present.person_id is not None:
            self.people.add(("person", present.person_id))

    @property
    def people_count(self) -> int:
        return len(self.people)


def period_figures(
    db: Database, start: date, end: date, *, meeting_ids: Collection[int] | None = None
) -> PeriodFigures:
    """Figures of the meetings held from *start* to *end* (local dates, both included).

    *meeting_ids* narrows the count to these meetings (a project's, for the funding report),
    with every definition above unchanged, so the report and the figures page agree.
    """
    if end < start:
        raise ValidationError(_("The period ends before it begins."))
    # Meetings are stored in UTC: widen by a day each side, then filter by local date.
    low = datetime.combine(start - timedelta(days=1), time.min, tzinfo=UTC)
    high = datetime.combine(end + timedelta(days=2), time.min, tzinfo=UTC)
    wanted = set(meeting_ids) if meeting_ids is not None else None
    with db.read() as session:
        meetings = [
            meeting
            for meeting in session.scalars(
                select(Meeting)
                .where(Meeting.start >= low, Meeting.start < high)
                .order_by(Meeting.start, Meeting.id)
            )
            if start <= _local_date(meeting) <= end and (wanted is None or meeting.id in wanted)
        ]
        held = [m for m in meetings if m.state in HELD_STATES]
        directory = _directory(session)
        figures = _figures_of(session, held, directory)
        not_held = sum(1 for m in meetings if m.state in NOT_HELD_STATES)
        cancelled = sum(1 for m in meetings if m.state is MeetingState.CANCELLED)
        language = network_language(session)
    result = _aggregate(start, end, figures, directory, not_held=not_held, cancelled=cancelled)
    return replace(result, language=language)


def _aggregate(
    start: date,
    end: date,
    figures: list[tuple[MeetingFigures, list[_Present]]],
    directory: _Directory,
    *,
    not_held: int,
    cancelled: int,
) -> PeriodFigures:
    by_organisation: dict[_OrgKey | None, _Tally] = defaultdict(_Tally)
    by_quarter: dict[str | None, _Tally] = defaultdict(_Tally)
    quarter_organisations: dict[str | None, set[_OrgKey]] = defaultdict(set)
    by_calendar: dict[tuple[int, int], _Tally] = defaultdict(_Tally)
    calendar_meetings: Counter[tuple[int, int]] = Counter()
    people: set[int] = set()
    guests = anonymous = persons = 0
    for meeting, present in figures:
        calendar = _quarter_of(meeting.date)
        calendar_meetings[calendar] += 1
        for one in present:
            by_organisation[one.organisation].add(meeting.meeting_id, one)
            by_calendar[calendar].add(meeting.meeting_id, one)
            for city_quarter in directory.quarters_of(one.organisation) or (None,):
                by_quarter[city_quarter].add(meeting.meeting_id, one)
                if one.organisation is not None:
                    quarter_organisations[city_quarter].add(one.organisation)
            if one.guest_key is not None:
                guests += 1
                continue
            persons += 1
            if one.person_id is not None:
                people.add(one.person_id)
            else:
                anonymous += 1

    organisations = sorted(
        (key for key in by_organisation if key is not None),
        key=lambda key: (directory.sort_key(directory.name(key)), str(key[1])),
    )
    per_organisation = [
        OrganisationFigures(
            organisation=directory.name(key) if key is not None else None,
            meetings=len(by_organisation[key].meetings),
            attendances=by_organisation[key].attendances,
            people=by_organisation[key].people_count,
            guest_attendances=by_organisation[key].guests,
            quarters=directory.quarters_of(key),
        )
        for key in [*organisations, *([None] if None in by_organisation else [])]
    ]
    quarter_names: list[str | None] = list(directory.all_quarters)
    if None in by_quarter:
        quarter_names.append(None)
    per_quarter = [
        QuarterFigures(
            quarter=name,
            organisations=len(quarter_organisations.get(name, ())),
            meetings=len(by_quarter[name].meetings) if name in by_quarter else 0,
            attendances=by_quarter[name].attendances if name in by_quarter else 0,
            people=by_quarter[name].people_count if name in by_quarter else 0,
        )
        for name in quarter_names
    ]
    per_calendar = []
    for year, quarter in _quarters_between(start, end):
        tally = by_calendar.get((year, quarter), _Tally())
        per_calendar.append(
            CalendarQuarterFigures(
                year=year,
                quarter=quarter,
                meetings_held=calendar_meetings[(year, quarter)],
                attendances=tally.attendances,
                guest_attendances=tally.guests,
                people_reached=sum(1 for kind, _id in tally.people if kind == "person"),
            )
        )
    reached_quarters = {q for q in by_quarter if q is not None}
    return PeriodFigures(
        start=start,
        end=end,
        meetings_held=len(figures),
        meetings_not_held=not_held,
        meetings_cancelled=cancelled,
        attendances=persons + guests,
        person_attendances=persons,
        guest_attendances=guests,
        anonymous_attendances=anonymous,
        people_reached=len(people),
        organisations_reached=len(organisations),
        quarters_reached=len(reached_quarters),
        per_meeting=tuple(meeting for meeting, _present in figures),
        per_organisation=tuple(per_organisation),
        per_quarter=tuple(per_quarter),
        per_calendar_quarter=tuple(per_calendar),
    )


def figures_for_year(db: Database, year: int) -> PeriodFigures:
    """The funding year as a period: 1 January to 31 December."""
    return period_figures(db, date(year, 1, 1), date(year, 12, 31))


def period_text(figures: PeriodFigures) -> str:
    return f"{format_date(figures.start)} – {format_date(figures.end)}"
