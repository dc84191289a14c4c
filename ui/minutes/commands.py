"""Undo commands for decisions and action items: each calls a service through the editor's
write queue, and its inverse as the service's docstring names it.

The queue runs writes in order, so an undo that follows its redo at once still finds the id
the redo returned. A command whose service call failed marks itself obsolete: Qt then drops it
instead of undoing what never happened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from app.db import Database
from app.i18n import _
from app.models import ActionItemStatus
from app.services.minutes import (
    ActionDraft,
    ActionStatusState,
    DecisionDraft,
    PhotoText,
    RemovedAction,
    RemovedDecision,
    RemovedPhoto,
    add_action,
    add_decision,
    add_photo,
    remove_action,
    remove_decision,
    remove_photo,
    restore_action,
    restore_action_status,
    restore_decision,
    restore_photo,
    set_action_status,
    update_action,
    update_decision,
    update_photo,
)
from app.services.press.photos import set_pictured


class CommandHost(Protocol):
    """What a command needs from the editor."""

    def database(self) -> Database: ...

    def run_write(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Queue *call*; on success *on_done* runs, then the minutes reload; on failure the
        error is shown, then *on_failed* runs."""
        ...


class ServiceCommand(QUndoCommand):
    def __init__(self, host: CommandHost, text: str) -> None:
        super().__init__(text)
        self._host = host
        self.failed = False

    def _write(self, call: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._host.run_write(call, on_done, self._failed)

    def _failed(self, _error: BaseException) -> None:
        self.failed = True
        self.setObsolete(True)


class AddDecision(ServiceCommand):
    def __init__(self, host: CommandHost, agenda_item_id: int, draft: DecisionDraft) -> None:
        super().__init__(host, _("Add decision"))
        self.agenda_item_id, self.draft = agenda_item_id, draft
        self.decision_id: int | None = None
        self.removed: RemovedDecision | None = None

    def redo(self) -> None:
        db = self._host.database()
        removed = self.removed

        def call() -> int:
            if removed is None:
                return add_decision(db, self.agenda_item_id, self.draft)
            return restore_decision(db, removed)

        self._write(call, self._set_id)

    def _set_id(self, decision_id: int) -> None:
        self.decision_id = decision_id

    def undo(self) -> None:
        db = self._host.database()

        def call() -> RemovedDecision:
            assert self.decision_id is not None
            return remove_decision(db, self.decision_id)

        self._write(call, self._set_removed)

    def _set_removed(self, removed: RemovedDecision) -> None:
        self.removed = removed


class UpdateDecision(ServiceCommand):
    def __init__(
        self, host: CommandHost, decision_id: int, draft: DecisionDraft, expected: DecisionDraft
    ) -> None:
        super().__init__(host, _("Change decision"))
        self.decision_id, self.draft, self.expected = decision_id, draft, expected

    def redo(self) -> None:
        db = self._host.database()
        self._write(
            lambda: update_decision(db, self.decision_id, self.draft, expected=self.expected),
            self._set_previous,
        )

    def _set_previous(self, previous: DecisionDraft) -> None:
        self.expected = previous

    def undo(self) -> None:
        db = self._host.database()
        self._write(lambda: update_decision(db, self.decision_id, self.expected), lambda _r: None)


class RemoveDecision(ServiceCommand):
    def __init__(self, host: CommandHost, decision_id: int) -> None:
        super().__init__(host, _("Delete decision"))
        self.decision_id = decision_id
        self.removed: RemovedDecision | None = None

    def redo(self) -> None:
        db = self._host.database()
        self._write(lambda: remove_decision(db, self.decision_id), self._set_removed)

    def _set_removed(self, removed: RemovedDecision) -> None:
        self.removed = removed

    def undo(self) -> None:
        db = self._host.database()

        def call() -> int:
            assert self.removed is not None
            return restore_decision(db, self.removed)

        self._write(call, self._set_id)

    def _set_id(self, decision_id: int) -> None:
        self.decision_id = decision_id


class AddAction(ServiceCommand):
    def __init__(self, host: CommandHost, agenda_item_id: int, draft: ActionDraft) -> None:
        super().__init__(host, _("Add action item"))
        self.agenda_item_id, self.draft = agenda_item_id, draft
        self.action_id: int | None = None
        self.removed: RemovedAction | None = None

    def redo(self) -> None:
        db = self._host.database()
        removed = self.removed

        def call() -> int:
            if removed is None:
                return add_action(db, self.agenda_item_id, self.draft)
            return restore_action(db, removed)

        self._write(call, self._set_id)

    def _set_id(self, action_id: int) -> None:
        self.action_id = action_id

    def undo(self) -> None:
        db = self._host.database()

        def call() -> RemovedAction:
            assert self.action_id is not None
            return remove_action(db, self.action_id)

        self._write(call, self._set_removed)

    def _set_removed(self, removed: RemovedAction) -> None:
        self.removed = removed


class UpdateAction(ServiceCommand):
    def __init__(
        self, host: CommandHost, action_id: int, draft: ActionDraft, expected: ActionDraft
    ) -> None:
        super().__init__(host, _("Change action item"))
        self.action_id, self.draft, self.expected = action_id, draft, expected

    def redo(self) -> None:
        db = self._host.database()
        self._write(
            lambda: update_action(db, self.action_id, self.draft, expected=self.expected),
            self._set_previous,
        )

    def _set_previous(self, previous: ActionDraft) -> None:
        self.expected = previous

    def undo(self) -> None:
        db = self._host.database()
        self._write(lambda: update_action(db, self.action_id, self.expected), lambda _r: None)


class RemoveAction(ServiceCommand):
    def __init__(self, host: CommandHost, action_id: int) -> None:
        super().__init__(host, _("Delete action item"))
        self.action_id = action_id
        self.removed: RemovedAction | None = None

    def redo(self) -> None:
        db = self._host.database()
        self._write(lambda: remove_action(db, self.action_id), self._set_removed)

    def _set_removed(self, removed: RemovedAction) -> None:
        self.removed = removed

    def undo(self) -> None:
        db = self._host.database()

        def call() -> int:
            assert self.removed is not None
            return restore_action(db, self.removed)

        self._write(call, self._set_id)

    def _set_id(self, action_id: int) -> None:
        self.action_id = action_id


class SetActionStatus(ServiceCommand):
    """Done / open again; *in_meeting_id*: the meeting whose minutes closed it."""

    def __init__(
        self, host: CommandHost, action_id: int, done: bool, in_meeting_id: int | None
    ) -> None:
        super().__init__(host, _("Close action item") if done else _("Reopen action item"))
        self.action_id, self.done, self.in_meeting_id = action_id, done, in_meeting_id
        self.previous: ActionStatusState | None = None

    def redo(self) -> None:
        db = self._host.database()
        status = ActionItemStatus.DONE if self.done else ActionItemStatus.OPEN
        self._write(
            lambda: set_action_status(db, self.action_id, status, in_meeting_id=self.in_meeting_id),
            self._set_previous,
        )

    def _set_previous(self, previous: ActionStatusState) -> None:
        self.previous = previous

    def undo(self) -> None:
        db = self._host.database()

        def call() -> ActionStatusState:
            assert self.previous is not None
            return restore_action_status(db, self.action_id, self.previous)

        self._write(call, lambda _r: None)


class AddPhotos(ServiceCommand):
    """Attach image files; undo removes them, redo puts the same images back."""

    def __init__(self, host: CommandHost, meeting_id: int, paths: list[Path]) -> None:
        super().__init__(host, _("Add photos"))
        self.meeting_id, self.paths = meeting_id, list(paths)
        self.photo_ids: list[int] = []
        self.removed: list[RemovedPhoto] = []

    def redo(self) -> None:
        db = self._host.database()
        removed = list(self.removed)

        def call() -> list[int]:
            if removed:
                return [restore_photo(db, photo) for photo in removed]
            return [
                add_photo(db, self.meeting_id, path.name, path.read_bytes()) for path in self.paths
            ]

        self._write(call, self._set_ids)

    def _set_ids(self, photo_ids: list[int]) -> None:
        self.photo_ids = photo_ids

    def undo(self) -> None:
        db = self._host.database()

        def call() -> list[RemovedPhoto]:
            # Last first, so that restoring puts every photo back at its index.
            return [remove_photo(db, photo_id) for photo_id in reversed(self.photo_ids)][::-1]

        self._write(call, self._set_removed)

    def _set_removed(self, removed: list[RemovedPhoto]) -> None:
        self.removed = removed


class RemovePhoto(ServiceCommand):
    def __init__(self, host: CommandHost, photo_id: int) -> None:
        super().__init__(host, _("Remove photo"))
        self.photo_id = photo_id
        self.removed: RemovedPhoto | None = None

    def redo(self) -> None:
        db = self._host.database()
        self._write(lambda: remove_photo(db, self.photo_id), self._set_removed)

    def _set_removed(self, removed: RemovedPhoto) -> None:
        self.removed = removed

    def undo(self) -> None:
        db = self._host.database()

        def call() -> int:
            assert self.removed is not None
            return restore_photo(db, self.removed)

        self._write(call, self._set_id)

    def _set_id(self, photo_id: int) -> None:
        self.photo_id = photo_id


class UpdatePhotoText(ServiceCommand):
    def __init__(
        self, host: CommandHost, photo_id: int, text: PhotoText, expected: PhotoText
    ) -> None:
        super().__init__(host, _("Change caption"))
        self.photo_id, self.photo_text, self.expected = photo_id, text, expected

    def redo(self) -> None:
        db = self._host.database()
        self._write(
            lambda: update_photo(db, self.photo_id, self.photo_text, expected=self.expected),
            self._set_previous,
        )

    def _set_previous(self, previous: PhotoText) -> None:
        self.expected = previous

    def undo(self) -> None:
        db = self._host.database()
        self._write(lambda: update_photo(db, self.photo_id, self.expected), lambda _r: None)


class SetPictured(ServiceCommand):
    """Record who is on a photo (a frozenset of attendance ids; empty: nobody recognisable);
    undo puts back the previous record, "not recorded" included."""

    def __init__(self, host: CommandHost, photo_id: int, subjects: frozenset[int]) -> None:
        super().__init__(host, _("Change who is pictured"))
        self.photo_id, self.subjects = photo_id, subjects
        self.previous: tuple[int, ...] | None = None

    def redo(self) -> None:
        db = self._host.database()
        self._write(lambda: set_pictured(db, self.photo_id, self.subjects), self._set_previous)

    def _set_previous(self, previous: tuple[int, ...] | None) -> None:
        self.previous = previous

    def undo(self) -> None:
        db = self._host.database()
        # Read when the undo runs (after the redo's write in the queue), not when queued.
        self._write(lambda: set_pictured(db, self.photo_id, self.previous), lambda _r: None)
