"""Table columns of the Projekte page (rows are the services' frozen dataclasses)."""

from __future__ import annotations

from app.i18n import N_, _, format_date
from app.services.meetings import MEETING_STATE_LABELS, label
from app.services.projects import LinkedMeeting, MeetingChoice, ProjectRow, format_amount
from ui.widgets.tables import ALIGN_RIGHT, Column


def _period(row: ProjectRow) -> str:
    if row.start is None and row.end is None:
        return ""
    return f"{format_date(row.start)} – {format_date(row.end)}"


def project_columns() -> list[Column]:
    return [
        Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name, width=24, stretch=True),
        Column(
            N_("Amount"),
            lambda r: format_amount(r.amount),
            sort_key=lambda r: r.amount if r.amount is not None else -1,
            align=ALIGN_RIGHT,
            width=11,
        ),
        Column(
            N_("Period"),
            _period,
            sort_key=lambda r: (r.start.isoformat() if r.start else "", r.end or ""),
            width=20,  # "01.03.2022 – 31.12.2023" whole: the name gives way first
        ),
        Column(
            N_("Meetings"),
            lambda r: str(len(r.meeting_ids)),
            sort_key=lambda r: len(r.meeting_ids),
            align=ALIGN_RIGHT,
            width=7,
        ),
    ]


def link_text(row: LinkedMeeting) -> str:
    parts = [_("whole meeting")] if row.whole else []
    parts += [_("TOP {number} {title}").format(number=t.number, title=t.title) for t in row.tops]
    return "; ".join(parts)


def link_columns() -> list[Column]:
    return [
        Column(
            N_("Date"),
            lambda r: format_date(r.start.date()),
            sort_key=lambda r: r.start,
            width=11,
        ),
        Column(N_("Meeting"), lambda r: r.title, width=30),
        Column(N_("State"), lambda r: label(MEETING_STATE_LABELS, r.state), width=12),
        Column(N_("Concerns the project"), link_text, tooltip=link_text, stretch=True, width=30),
    ]


def meeting_choice_columns() -> list[Column]:
    return [
        Column(
            N_("Date"),
            lambda r: format_date(r.start.date()),
            sort_key=lambda r: r.start,
            width=11,
        ),
        Column(N_("Meeting"), lambda r: r.title, stretch=True, width=30),
        Column(N_("State"), lambda r: label(MEETING_STATE_LABELS, r.state), width=12),
    ]


def meeting_choice_label(row: MeetingChoice) -> str:
    return f"{format_date(row.start.date())} · {row.title}"
