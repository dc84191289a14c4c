"""The funding report's tables: one definition for the PDF and the workbook.

Cells are typed (int, str, date) like the figures' tables (``tables.Cell``); the PDF and the
XLSX format them their own way. Everything here is plain data: no ReportLab, no openpyxl.
"""

from __future__ import annotations

from app.i18n import _, format_time
from app.models import ActionItemStatus, PressReleaseChannel
from app.services.projects.queries import ProjectRow
from app.services.projects.values import format_amount
from app.services.reporting.funding import FundingReport
from app.services.reporting.tables import Cell, Column, FiguresTable, Kind, overview


def channel_label(channel: PressReleaseChannel) -> str:
    labels = {
        PressReleaseChannel.DOCX: _("Word document"),
        PressReleaseChannel.TEXT: _("Text file"),
        PressReleaseChannel.MAIL: _("E-mail to the press"),
    }
    return labels[channel]


def status_label(status: ActionItemStatus) -> str:
    return _("Open") if status is ActionItemStatus.OPEN else _("Done")


def project_facts(project: ProjectRow) -> list[tuple[str, Cell]]:
    partners = [o for o in project.organisations if o != project.lead_organisation]
    rows: list[tuple[str, Cell]] = [
        (_("Project"), project.name),
        (_("Funder"), project.funder),
        (_("Programme"), project.programme),
        (_("Reference number"), project.reference),
        (_("Amount"), format_amount(project.amount)),
    ]
    if project.start is not None:
        rows.append((_("Project start"), project.start))
    if project.end is not None:
        rows.append((_("Project end"), project.end))
    rows += [
        (_("Lead organisation"), project.lead_organisation or ""),
        (_("Partner organisations"), ", ".join(partners)),
        (_("City quarters"), ", ".join(project.quarters)),
    ]
    return rows


def target_group_rows(report: FundingReport) -> list[tuple[str, Cell]]:
    """The figures page's headline numbers, then first-time and returning people."""
    rows = overview(report.figures)
    position = next(
        (i for i, (label, _v) in enumerate(rows) if label.startswith(_("People reached"))),
        len(rows) - 1,
    )
    rows[position + 1 : position + 1] = [
        (_("of which for the first time at a meeting of the project"), report.first_time),
        (_("of which at a meeting of the project before this period"), report.returning),
    ]
    return rows


def projects_table(report: FundingReport) -> FiguresTable:
    return FiguresTable(
        key="projects",
        title=_("Projects"),
        columns=(
            Column(_("Project"), weight=3.0),
            Column(_("Funder"), weight=2.0),
            Column(_("Programme"), weight=2.0),
            Column(_("Reference number")),
            Column(_("Amount")),
            Column(_("Project start"), Kind.DATE),
            Column(_("Project end"), Kind.DATE),
            Column(_("Lead organisation"), weight=2.0),
            Column(_("Partner organisations"), weight=3.0),
        ),
        rows=tuple(
            (
                p.name,
                p.funder,
                p.programme,
                p.reference,
                format_amount(p.amount),
                p.start if p.start is not None else "",
                p.end if p.end is not None else "",
                p.lead_organisation or "",
                ", ".join(o for o in p.organisations if o != p.lead_organisation),
            )
            for p in report.projects
        ),
    )


def meetings_table(report: FundingReport) -> FiguresTable:
    return FiguresTable(
        key="activities",
        title=_("Activities carried out"),
        columns=(
            Column(_("Date"), Kind.DATE),
            Column(_("Time")),
            Column(_("Venue"), weight=2.5),
            Column(_("Title"), weight=3.0),
            Column(_("Projects"), weight=3.0),
        ),
        rows=tuple(
            (
                m.start.date(),
                format_time(m.start) + (f" – {format_time(m.end)}" if m.end else ""),
                m.venue,
                m.title,
                ", ".join(m.projects),
            )
            for m in report.meetings
        ),
    )


def participation_table(report: FundingReport, *, with_title: bool = True) -> FiguresTable:
    """Per meeting: the figures page's numbers plus first-time and returning people.

    Without the title (the PDF: portrait A4 has no room for it beside eight numbers; the
    activities table above names each meeting by its date).
    """
    rows: list[tuple[Cell, ...]] = [
        (
            m.start.date(),
            m.title,
            m.figures.present,
            m.first_time,
            m.returning,
            m.figures.guests,
            m.figures.participants,
            m.figures.organisations_represented,
            m.figures.quarters_represented,
        )
        for m in report.meetings
    ]
    figures = report.figures
    rows.append(
        (
            _("Total"),
            "",
            figures.person_attendances,
            # Sums of the column (attendances), unlike the overview's people reached.
            sum(m.first_time for m in report.meetings),
            sum(m.returning for m in report.meetings),
            figures.guest_attendances,
            figures.attendances,
            figures.organisations_reached,
            figures.quarters_reached,
        )
    )
    columns: tuple[Column, ...] = (
        Column(_("Date"), Kind.DATE, 1.2),
        Column(_("Title"), weight=4.0),
        Column(_("Present"), Kind.NUMBER),
        # Translators: people at a project's meeting for the first time ("erstmals").
        Column(_("First time"), Kind.NUMBER),
        # Translators: people who had come to a meeting of the project before.
        Column(_("Returning"), Kind.NUMBER),
        Column(_("Guests"), Kind.NUMBER),
        Column(_("Participations"), Kind.NUMBER),
        Column(_("Organisations"), Kind.NUMBER),
        Column(_("City quarters"), Kind.NUMBER),
    )
    if not with_title:
        columns = columns[:1] + columns[2:]
        rows = [row[:1] + row[2:] for row in rows]
    return FiguresTable(
        key="participation",
        title=_("Participation per meeting"),
        columns=columns,
        rows=tuple(rows),
        has_total=True,
    )


def tops_table(report: FundingReport) -> FiguresTable:
    return FiguresTable(
        key="tops",
        title=_("Agenda items concerning the project"),
        columns=(
            Column(_("Date"), Kind.DATE),
            Column(_("Meeting"), weight=2.5),
            Column(_("TOP")),
            Column(_("Title"), weight=3.0),
            Column(_("Presenter"), weight=2.0),
            Column(_("Projects"), weight=3.0),
        ),
        rows=tuple(
            (m.start.date(), m.title, top.number, top.title, top.presenter, ", ".join(top.projects))
            for m in report.meetings
            for top in m.tops
        ),
    )


def decisions_table(report: FundingReport) -> FiguresTable:
    titles = {m.meeting_id: m.title for m in report.meetings}
    return FiguresTable(
        key="decisions",
        title=_("Decisions"),
        columns=(
            Column(_("Date"), Kind.DATE),
            Column(_("Meeting"), weight=2.5),
            Column(_("TOP")),
            Column(_("Decision"), weight=5.0),
            Column(_("Votes (yes : no : abstentions)")),
        ),
        rows=tuple((d.day, titles[d.meeting_id], d.top, d.text, d.votes) for d in report.decisions),
    )


def actions_table(report: FundingReport) -> FiguresTable:
    titles = {m.meeting_id: m.title for m in report.meetings}
    return FiguresTable(
        key="actions",
        title=_("Action items and their status"),
        columns=(
            Column(_("Date"), Kind.DATE),
            Column(_("Meeting"), weight=2.5),
            Column(_("TOP")),
            Column(_("What"), weight=4.0),
            Column(_("Who"), weight=2.0),
            Column(_("Due"), Kind.DATE),
            Column(_("Status")),
            Column(_("Done on"), Kind.DATE),
        ),
        rows=tuple(
            (
                a.day,
                titles[a.meeting_id],
                a.top,
                a.text,
                a.owner,
                a.due if a.due is not None else "",
                status_label(a.status),
                a.done_on if a.done_on is not None else "",
            )
            for a in report.actions
        ),
    )


def press_table(report: FundingReport) -> FiguresTable:
    return FiguresTable(
        key="press",
        title=_("Public relations"),
        columns=(
            Column(_("Issued on"), Kind.DATE),
            Column(_("Headline"), weight=4.0),
            Column(_("Channel")),
            Column(_("Meeting"), weight=2.5),
        ),
        rows=tuple(
            (p.issued, p.headline, channel_label(p.channel), p.meeting_title) for p in report.press
        ),
    )


def photos_table(report: FundingReport) -> FiguresTable:
    return FiguresTable(
        key="photos",
        title=_("Photos"),
        columns=(
            Column(_("Date"), Kind.DATE),
            Column(_("Caption"), weight=4.0),
            Column(_("Photo credit"), weight=2.0),
        ),
        rows=tuple((p.day, p.caption, p.credit) for p in report.photos),
    )


def scans_table(report: FundingReport) -> FiguresTable:
    return FiguresTable(
        key="scans",
        title=_("Signed sign-in sheets"),
        columns=(
            Column(_("Date"), Kind.DATE),
            Column(_("Meeting"), weight=3.0),
            Column(_("File"), weight=2.0),
            Column(_("Pages"), Kind.NUMBER),
        ),
        rows=tuple((s.day, s.meeting_title, s.filename, s.pages) for s in report.scans),
    )
