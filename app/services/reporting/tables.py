"""The figures as titled tables: one definition of what the XLSX, the PDF and the command
line show, so the three never disagree. Cells are typed (int, date, str); each output
formats them its own way. Titles are English source strings, translated when called."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from app.i18n import _
from app.services.meetings import MEETING_STATE_LABELS, label
from app.services.reporting.figures import PeriodFigures

Cell = int | str | date


class Kind(enum.StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    # Relative width for the PDF (the XLSX measures its content).
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class FiguresTable:
    key: str  # stable English identifier: "calendar_quarters", "meetings", …
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # The last row is a total (printed bold).
    has_total: bool = False


def report_title() -> str:
    # Translators: title of the figures report for the funder ("Teilnahmestatistik").
    return _("Attendance figures")


def organisation_label(name: str | None) -> str:
    return name if name is not None else _("Without organisation")


def quarter_label(name: str | None) -> str:
    # Translators: a row of the figures per city quarter ("ohne Quartier").
    return name if name is not None else _("No quarter")


def overview(figures: PeriodFigures) -> list[tuple[str, Cell]]:
    """The headline numbers as (label, value) pairs."""
    rows: list[tuple[str, Cell]] = [
        (_("Period from"), figures.start),
        (_("Period until"), figures.end),
        (_("Meetings held"), figures.meetings_held),
        (_("Participations (people and guests present)"), figures.attendances),
        (_("of which people from the directory"), figures.person_attendances),
        (_("of which guests"), figures.guest_attendances),
        (_("People reached (distinct, from the directory)"), figures.people_reached),
        (_("Organisations represented"), figures.organisations_reached),
        (_("City quarters represented"), figures.quarters_reached),
    ]
    if figures.anonymous_attendances:
        rows.insert(
            5,
            (_("of which erased people (counted without names)"), figures.anonymous_attendances),
        )
    if figures.meetings_not_held:
        rows.append((_("Meetings not marked as held (not counted)"), figures.meetings_not_held))
    if figures.meetings_cancelled:
        rows.append((_("Cancelled meetings (not counted)"), figures.meetings_cancelled))
    return rows


def calendar_quarters_table(figures: PeriodFigures) -> FiguresTable:
    rows: list[tuple[Cell, ...]] = [
        (q.label, q.meetings_held, q.attendances, q.guest_attendances, q.people_reached)
        for q in figures.per_calendar_quarter
    ]
    if len(rows) > 1:
        rows.append(
            (
                _("Total"),
                figures.meetings_held,
                figures.attendances,
                figures.guest_attendances,
                figures.people_reached,
            )
        )
    return FiguresTable(
        key="calendar_quarters",
        # Translators: calendar quarters of the year ("Quartale"), not city quarters.
        title=_("Per calendar quarter"),
        columns=(
            Column(_("Calendar quarter"), weight=1.6),
            Column(_("Meetings held"), Kind.NUMBER),
            Column(_("Participations"), Kind.NUMBER),
            Column(_("of which guests"), Kind.NUMBER),
            Column(_("People reached"), Kind.NUMBER),
        ),
        rows=tuple(rows),
        has_total=len(rows) > 1,
    )


def meetings_table(figures: PeriodFigures) -> FiguresTable:
    return FiguresTable(
        key="meetings",
        title=_("Per meeting"),
        columns=(
            Column(_("Date"), Kind.DATE, 1.3),
            Column(_("Title"), weight=4.0),
            Column(_("State"), weight=1.5),
            Column(_("Invited"), Kind.NUMBER),
            Column(_("Accepted"), Kind.NUMBER),
            Column(_("Present"), Kind.NUMBER),
            Column(_("Excused"), Kind.NUMBER),
            Column(_("Guests"), Kind.NUMBER),
            Column(_("Organisations"), Kind.NUMBER, 1.2),
            Column(_("City quarters"), Kind.NUMBER, 1.2),
        ),
        rows=tuple(
            (
                m.date,
                m.title,
                label(MEETING_STATE_LABELS, m.state),
                m.invited,
                m.accepted,
                m.present,
                m.excused,
                m.guests,
                m.organisations_represented,
                m.quarters_represented,
            )
            for m in figures.per_meeting
        ),
    )


def organisations_table(figures: PeriodFigures) -> FiguresTable:
    return FiguresTable(
        key="organisations",
        title=_("Per organisation"),
        columns=(
            Column(_("Organisation"), weight=4.0),
            Column(_("City quarters"), weight=2.2),
            Column(_("Meetings"), Kind.NUMBER),
            Column(_("Participations"), Kind.NUMBER),
            Column(_("of which guests"), Kind.NUMBER),
            Column(_("People"), Kind.NUMBER),
        ),
        rows=tuple(
            (
                organisation_label(o.organisation),
                ", ".join(o.quarters),
                o.meetings,
                o.attendances,
                o.guest_attendances,
                o.people,
            )
            for o in figures.per_organisation
        ),
    )


def quarters_table(figures: PeriodFigures) -> FiguresTable:
    return FiguresTable(
        key="quarters",
        # Translators: city quarters ("Quartiere"), not calendar quarters.
        title=_("Per city quarter"),
        columns=(
            Column(_("City quarter"), weight=2.5),
            Column(_("Organisations"), Kind.NUMBER),
            Column(_("Meetings"), Kind.NUMBER),
            Column(_("Participations"), Kind.NUMBER),
            Column(_("People"), Kind.NUMBER),
        ),
        rows=tuple(
            (quarter_label(q.quarter), q.organisations, q.meetings, q.attendances, q.people)
            for q in figures.per_quarter
        ),
    )


def all_tables(figures: PeriodFigures) -> list[FiguresTable]:
    return [
        calendar_quarters_table(figures),
        meetings_table(figures),
        organisations_table(figures),
        quarters_table(figures),
    ]
