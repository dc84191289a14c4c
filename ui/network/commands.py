"""Undo commands of the network page and the queue that runs directory writes in order.

A write runs on the task runner first; once it succeeded, the page pushes a command holding
what the service returned (previous values, a snapshot, the new version). QUndoStack calls
``redo()`` on push: that first call is skipped, the write has happened already. Later undo
and redo calls submit the service's inverse to the ``DirectoryWriter``, which runs one write
at a time, so Ctrl+Z pressed three times quickly undoes three changes in the right order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from app.services import directory_editing as edit
from ui.network.writer import DirectoryWriter as DirectoryWriter
from ui.network.writer import Work as Work

if TYPE_CHECKING:
    from app.db import Database


class DirectoryCommand(QUndoCommand):
    """A directory change already written; undo/redo run the services' inverses.

    Subclasses implement ``_undo(db)`` and ``_redo(db)`` (worker thread) returning the new
    state, which ``_store`` keeps (GUI thread) for the next step.
    """

    def __init__(self, writer: DirectoryWriter, text: str, state: Any) -> None:
        super().__init__(text)
        self._writer = writer
        self.state = state
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # the push itself: the write is done already
            self._pushed = True
            return
        self._writer.submit(lambda db: self._redo(db, self.state), on_done=self._store)

    def undo(self) -> None:
        self._writer.submit(lambda db: self._undo(db, self.state), on_done=self._store)

    def _store(self, state: Any) -> None:
        self.state = state

    def _undo(self, db: Database, state: Any) -> Any:
        raise NotImplementedError

    def _redo(self, db: Database, state: Any) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class PersonEdit:
    values: edit.PersonInput
    step: edit.PersonChange | edit.Saved  # Change after redo, Saved after undo


class EditPersonCommand(DirectoryCommand):
    def _undo(self, db: Database, state: PersonEdit) -> PersonEdit:
        assert isinstance(state.step, edit.PersonChange)
        return PersonEdit(state.values, edit.revert_person_change(db, state.step))

    def _redo(self, db: Database, state: PersonEdit) -> PersonEdit:
        saved = state.step
        assert isinstance(saved, edit.Saved)
        return PersonEdit(
            state.values, edit.update_person(db, saved.id, state.values, saved.version)
        )


class CreatePersonCommand(DirectoryCommand):
    """State: the new person's id (int) while it exists, its removal after an undo."""

    def _undo(self, db: Database, state: int) -> list[edit.Removal]:
        return edit.remove_people(db, [state], allow_archive=False)

    def _redo(self, db: Database, state: list[edit.Removal]) -> int:
        edit.undo_removals(db, state)
        return state[0].person_id


class RemovePeopleCommand(DirectoryCommand):
    """State: the removals (deleted with snapshot or archived)."""

    def _undo(self, db: Database, state: list[edit.Removal]) -> list[int]:
        edit.undo_removals(db, state)
        return [removal.person_id for removal in state]

    def _redo(self, db: Database, state: list[int]) -> list[edit.Removal]:
        return edit.remove_people(db, state)


class ArchivePeopleCommand(DirectoryCommand):
    """State: the ids that changed; ``archived`` is what the command did."""

    def __init__(
        self, writer: DirectoryWriter, text: str, state: tuple[int, ...], archived: bool
    ) -> None:
        super().__init__(writer, text, state)
        self._archived = archived

    def _undo(self, db: Database, state: tuple[int, ...]) -> tuple[int, ...]:
        edit.set_people_archived(db, state, not self._archived)
        return state

    def _redo(self, db: Database, state: tuple[int, ...]) -> tuple[int, ...]:
        edit.set_people_archived(db, state, self._archived)
        return state


class GroupMembershipCommand(DirectoryCommand):
    """State: the ``Membership`` that changed; ``added`` says in which direction."""

    def __init__(
        self, writer: DirectoryWriter, text: str, state: edit.Membership, added: bool
    ) -> None:
        super().__init__(writer, text, state)
        self._added = added

    def _undo(self, db: Database, state: edit.Membership) -> edit.Membership:
        if self._added:
            edit.remove_from_group(db, state.person_ids, state.group_id)
        else:
            edit.add_to_group(db, state.person_ids, state.group_id)
        return state

    def _redo(self, db: Database, state: edit.Membership) -> edit.Membership:
        if self._added:
            edit.add_to_group(db, state.person_ids, state.group_id)
        else:
            edit.remove_from_group(db, state.person_ids, state.group_id)
        return state


@dataclass(frozen=True)
class OrganisationEdit:
    values: edit.OrganisationInput
    step: edit.OrganisationChange | edit.Saved


class EditOrganisationCommand(DirectoryCommand):
    def _undo(self, db: Database, state: OrganisationEdit) -> OrganisationEdit:
        assert isinstance(state.step, edit.OrganisationChange)
        return OrganisationEdit(state.values, edit.revert_organisation_change(db, state.step))

    def _redo(self, db: Database, state: OrganisationEdit) -> OrganisationEdit:
        saved = state.step
        assert isinstance(saved, edit.Saved)
        change = edit.update_organisation(db, saved.id, state.values, saved.version)
        return OrganisationEdit(state.values, change)


@dataclass(frozen=True)
class OrganisationCreation:
    values: edit.OrganisationInput
    organisation_id: int | None  # None while undone


class CreateOrganisationCommand(DirectoryCommand):
    def _undo(self, db: Database, state: OrganisationCreation) -> OrganisationCreation:
        assert state.organisation_id is not None
        edit.delete_new_organisation(db, state.organisation_id)
        return OrganisationCreation(state.values, None)

    def _redo(self, db: Database, state: OrganisationCreation) -> OrganisationCreation:
        return OrganisationCreation(state.values, edit.create_organisation(db, state.values).id)


class ArchiveOrganisationsCommand(DirectoryCommand):
    def __init__(
        self, writer: DirectoryWriter, text: str, state: tuple[int, ...], archived: bool
    ) -> None:
        super().__init__(writer, text, state)
        self._archived = archived

    def _undo(self, db: Database, state: tuple[int, ...]) -> tuple[int, ...]:
        edit.set_organisations_archived(db, state, not self._archived)
        return state

    def _redo(self, db: Database, state: tuple[int, ...]) -> tuple[int, ...]:
        edit.set_organisations_archived(db, state, self._archived)
        return state


@dataclass(frozen=True)
class LabelOps:
    """The four operations on groups or on quarters."""

    create: Callable[[Database, str], int]
    rename: Callable[[Database, int, str], str]
    delete: Callable[[Database, int], edit.LabelSnapshot]
    restore: Callable[[Database, edit.LabelSnapshot], None]


GROUP_OPS = LabelOps(edit.create_group, edit.rename_group, edit.delete_group, edit.restore_group)
QUARTER_OPS = LabelOps(
    edit.create_quarter, edit.rename_quarter, edit.delete_quarter, edit.restore_quarter
)


class CreateLabelCommand(DirectoryCommand):
    """State: the new id while it exists, its snapshot after an undo."""

    def __init__(self, writer: DirectoryWriter, text: str, state: int, ops: LabelOps) -> None:
        super().__init__(writer, text, state)
        self._ops = ops

    def _undo(self, db: Database, state: int) -> edit.LabelSnapshot:
        return self._ops.delete(db, state)

    def _redo(self, db: Database, state: edit.LabelSnapshot) -> int:
        self._ops.restore(db, state)
        return state.id


class RenameLabelCommand(DirectoryCommand):
    """State: (id, the name to set on the next undo or redo)."""

    def __init__(
        self, writer: DirectoryWriter, text: str, state: tuple[int, str], ops: LabelOps
    ) -> None:
        super().__init__(writer, text, state)
        self._ops = ops

    def _swap(self, db: Database, state: tuple[int, str]) -> tuple[int, str]:
        label_id, name = state
        return label_id, self._ops.rename(db, label_id, name)

    _undo = _swap
    _redo = _swap


class DeleteLabelCommand(DirectoryCommand):
    """State: the snapshot while deleted, the id after an undo."""

    def __init__(
        self, writer: DirectoryWriter, text: str, state: edit.LabelSnapshot, ops: LabelOps
    ) -> None:
        super().__init__(writer, text, state)
        self._ops = ops

    def _undo(self, db: Database, state: edit.LabelSnapshot) -> int:
        self._ops.restore(db, state)
        return state.id

    def _redo(self, db: Database, state: int) -> edit.LabelSnapshot:
        return self._ops.delete(db, state)
