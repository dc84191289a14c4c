"""Undo commands of the Projekte page, on the network page's one-at-a-time writer.

Each command holds what the service returned; ``redo`` on push is skipped (the write has
happened), later undo/redo run the service's inverse on the task runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from app.services.projects import (
    MeetingLinks,
    ProjectInput,
    RemovedProject,
    delete_project,
    restore_project,
    set_meeting_links,
    update_project,
)
from ui.network.commands import DirectoryCommand, DirectoryWriter

__all__ = [
    "CreateProjectCommand",
    "DeleteProjectCommand",
    "DirectoryWriter",
    "EditProjectCommand",
    "LinksCommand",
    "ProjectEdit",
]


@dataclass(frozen=True)
class ProjectEdit:
    project_id: int
    other: ProjectInput  # the values the next step writes


class EditProjectCommand(DirectoryCommand):
    """State: the values undo writes back; each step stores the values it replaced."""

    def _swap(self, db: Database, state: ProjectEdit) -> ProjectEdit:
        change = update_project(db, state.project_id, state.other)
        return ProjectEdit(state.project_id, change.previous)

    _undo = _swap
    _redo = _swap


class CreateProjectCommand(DirectoryCommand):
    """State: the new id (before undo) or the removed project (after undo)."""

    def _undo(self, db: Database, state: int) -> RemovedProject:
        return delete_project(db, state)

    def _redo(self, db: Database, state: RemovedProject) -> int:
        return restore_project(db, state)


class DeleteProjectCommand(DirectoryCommand):
    """State: the removed project (before undo) or its id (after undo)."""

    def _undo(self, db: Database, state: RemovedProject) -> int:
        return restore_project(db, state)

    def _redo(self, db: Database, state: int) -> RemovedProject:
        return delete_project(db, state)


@dataclass(frozen=True)
class LinkStep:
    project_id: int
    links: MeetingLinks  # what the next step writes


class LinksCommand(DirectoryCommand):
    def _swap(self, db: Database, state: LinkStep) -> LinkStep:
        return LinkStep(state.project_id, set_meeting_links(db, state.project_id, state.links))

    _undo = _swap
    _redo = _swap
