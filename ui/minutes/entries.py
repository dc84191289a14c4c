"""Decisions and action items of the editor: adding, removing, editing, closing, each as an
undo command (``commands``); and who "who" is (a person, an organisation or free text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from app.services.minutes import ActionDraft, DecisionDraft
from app.text import fold
from ui.minutes import commands
from ui.minutes.delegates import due_value, votes_value
from ui.minutes.loading import Owner
from ui.minutes.models import ActionModel

if TYPE_CHECKING:
    from ui.minutes.minutes_editor import MinutesEditor


class EntryActions(QObject):
    """Wires the TOP page's entry widgets to undo commands."""

    def __init__(self, editor: MinutesEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.owners: dict[str, Owner] = {}
        self._owner_names: dict[str, Owner] = {}
        page = editor.page
        page.add_decision_requested.connect(self.add_decision)
        page.add_action_requested.connect(self.add_action)
        page.remove_decision_button.clicked.connect(self.remove_decision)
        page.remove_action_button.clicked.connect(self.remove_action)
        page.decision_model.edit_requested.connect(self._decision_edited)
        page.action_model.edit_requested.connect(self._action_edited)
        page.action_model.status_requested.connect(self._status_requested)
        page.carried_model.status_requested.connect(self._status_requested)
        editor.unassigned.action_model.status_requested.connect(self._status_requested)
        for view, slot in (
            (page.decision_view, self.remove_decision),
            (page.action_view, self.remove_action),
        ):
            delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), view)
            delete.setContext(Qt.ShortcutContext.WidgetShortcut)
            delete.activated.connect(slot)

    def set_owners(self, owners: Sequence[Owner]) -> None:
        self.owners = {owner.label: owner for owner in owners}
        # A name typed without the organisation still finds a person, if only one has it.
        names: dict[str, list[Owner]] = {}
        for owner in owners:
            names.setdefault(fold(owner.name), []).append(owner)
        self._owner_names = {key: found[0] for key, found in names.items() if len(found) == 1}
        self._editor.page.set_owner_labels(list(self.owners))

    def _push(self, command: commands.ServiceCommand) -> None:
        self._editor.undo_stack.push(command)

    def add_decision(self) -> None:
        editor, page = self._editor, self._editor.page
        top = editor.current_top_id()
        text = page.decision_input.text().strip()
        if top is None or not text or editor.is_read_only():
            return
        draft = DecisionDraft(
            text,
            votes_value(page.votes_yes),
            votes_value(page.votes_no),
            votes_value(page.votes_abstain),
        )
        self._push(commands.AddDecision(editor, top, draft))
        page.clear_decision_input()
        page.decision_input.setFocus()

    def remove_decision(self) -> None:
        page = self._editor.page
        row = self._selected(page.decision_view)
        if row is not None and not self._editor.is_read_only():
            self._push(commands.RemoveDecision(self._editor, page.decision_model.row(row).id))

    def _decision_edited(
        self, decision_id: int, draft: DecisionDraft, expected: DecisionDraft
    ) -> None:
        self._push(commands.UpdateDecision(self._editor, decision_id, draft, expected))

    def owner_draft(self, text: str) -> tuple[int | None, int | None, str]:
        """(person, organisation, free text) for what was typed into "who"."""
        owner = self.owners.get(text.strip()) or self._owner_names.get(fold(text))
        if owner is not None:
            return owner.person_id, owner.organisation_id, ""
        return None, None, text.strip()

    def add_action(self) -> None:
        editor, page = self._editor, self._editor.page
        top = editor.current_top_id()
        text = page.action_input.text().strip()
        if top is None or not text or editor.is_read_only():
            return
        person, organisation, free = self.owner_draft(page.owner_input.text())
        draft = ActionDraft(text, person, organisation, free, due_value(page.due_input))
        self._push(commands.AddAction(editor, top, draft))
        page.clear_action_input()
        page.action_input.setFocus()

    def remove_action(self) -> None:
        page = self._editor.page
        row = self._selected(page.action_view)
        if row is not None and not self._editor.is_read_only():
            self._push(commands.RemoveAction(self._editor, page.action_model.row(row).id))

    def _action_edited(self, action_id: int, column: int, value: object) -> None:
        rows = self._editor.page.action_model.rows()
        row = next((r for r in rows if r.id == action_id), None)
        if row is None:
            return
        old = row.draft
        if column == ActionModel.TEXT:
            draft = ActionDraft(
                str(value), old.owner_person_id, old.owner_organisation_id, old.owner_text, old.due
            )
        elif column == ActionModel.OWNER:
            person, organisation, free = self.owner_draft(str(value))
            draft = ActionDraft(old.text, person, organisation, free, old.due)
        else:
            draft = ActionDraft(
                old.text,
                old.owner_person_id,
                old.owner_organisation_id,
                old.owner_text,
                value,  # type: ignore[arg-type]
            )
        self._push(commands.UpdateAction(self._editor, action_id, draft, old))

    def _status_requested(self, action_id: int, done: bool) -> None:
        self._push(
            commands.SetActionStatus(self._editor, action_id, done, self._editor.meeting_id())
        )

    @staticmethod
    def _selected(view: Any) -> int | None:
        index = view.currentIndex()
        return index.row() if index.isValid() else None
