"""Funded projects (no Qt): their data, their links to meetings, TOPs and partners.

- ``values`` — amounts and dates as users type them ("700.000,00 €", "01.12.2026").
- ``editing`` — create, update, delete/restore, link (each returns what undo needs).
- ``queries`` — frozen rows for the window, the command line and the funding report.
- ``scans`` — the scanned, signed sign-in sheets of meetings (checked like photos).
"""

from app.services.projects.editing import (
    MeetingLinks,
    ProjectChange,
    ProjectInput,
    RemovedProject,
    create_project,
    delete_project,
    link_meeting,
    link_organisation,
    restore_project,
    set_meeting_links,
    update_project,
)
from app.services.projects.queries import (
    LinkedMeeting,
    LinkedTop,
    MeetingChoice,
    ProjectChoices,
    ProjectDetail,
    ProjectRow,
    TopChoice,
    list_projects,
    meeting_choices,
    project_choices,
    project_detail,
)
from app.services.projects.values import format_amount, parse_amount, parse_day

__all__ = [
    "LinkedMeeting",
    "LinkedTop",
    "MeetingChoice",
    "MeetingLinks",
    "ProjectChange",
    "ProjectChoices",
    "ProjectDetail",
    "ProjectInput",
    "ProjectRow",
    "RemovedProject",
    "TopChoice",
    "create_project",
    "delete_project",
    "format_amount",
    "link_meeting",
    "link_organisation",
    "list_projects",
    "meeting_choices",
    "parse_amount",
    "parse_day",
    "project_choices",
    "project_detail",
    "restore_project",
    "set_meeting_links",
    "update_project",
]
