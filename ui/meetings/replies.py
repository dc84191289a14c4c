"""Quick reply entry in the Invitations tab: select rows, press a key.

A = accepted, D = declined, T = tentative, N = no answer (back to sent / not sent); the same
and "Edit note…" in the context menu. One ``set_replies`` call per key press, for all selected
rows (people, and organisations invited by their own address). The tab's table and its counts
come from the meetings page, which reloads afterwards; the selection is restored by invitee.

Signals:
    changed(object): the ``ReplyChange`` tuple of a stored change.
    failed(object): the service refused (shown to the user already).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu, QMessageBox, QWidget

from app.db import Database
from app.i18n import _
from app.models import InvitationState
from app.services.invitations import set_replies
from app.services.meetings import INVITATION_STATE_LABELS, InvitationRow, label
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.tables import TableView

# Key → reply; None means "no answer (yet)".
REPLY_KEYS: dict[int, InvitationState | None] = {
    Qt.Key.Key_A: InvitationState.ACCEPTED,
    Qt.Key.Key_D: InvitationState.DECLINED,
    Qt.Key.Key_T: InvitationState.TENTATIVE,
    Qt.Key.Key_N: None,
}


class RepliesController(QObject):
    """Turns keys and the context menu of the invitation table into ``set_replies`` calls."""

    changed = Signal(object)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, view: TableView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._view = view
        self._db: Database | None = None
        self._meeting_id: int | None = None
        self._editable = False
        self._reselect: list[tuple[int | None, int | None]] = []
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu)
        view.installEventFilter(self)
        view.setToolTip(
            _(
                "Select people and press A (accepted), D (declined), T (tentative) or "
                "N (no answer); right-click for the note."
            )
        )

    def set_meeting(self, db: Database | None, meeting_id: int | None, *, editable: bool) -> None:
        self._db, self._meeting_id, self._editable = db, meeting_id, editable
        if self._reselect:
            self._select(self._reselect)
            self._reselect = []

    def selected_rows(self) -> list[InvitationRow]:
        """The selected invitations of people and organisations; an erased person's
        (anonymous) one has no reply to set."""
        model = self._view.model()
        rows = [model.row(index.row()) for index in self._view.selectionModel().selectedRows()]  # type: ignore[attr-defined]
        return [row for row in rows if row.person_id is not None or row.organisation_id is not None]

    def _select(self, invitees: list[tuple[int | None, int | None]]) -> None:
        model = self._view.model()
        selection = self._view.selectionModel()
        for number, row in enumerate(model.rows()):  # type: ignore[attr-defined]
            if _key(row) in invitees:
                selection.select(
                    model.index(number, 0),
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and event.key() in REPLY_KEYS
        ):
            self.set_state(REPLY_KEYS[event.key()])
            return True
        return super().eventFilter(watched, event)

    def _menu(self, point: QPoint) -> None:
        if not self.selected_rows() or not self._editable:
            return
        menu = QMenu(self._view)
        for key, state in REPLY_KEYS.items():
            text = label(INVITATION_STATE_LABELS, state) if state else _("No answer")
            action = menu.addAction(f"{text}\t{chr(key)}")
            action.triggered.connect(lambda _checked=False, s=state: self.set_state(s))
        menu.addSeparator()
        menu.addAction(_("Edit note…"), self.edit_note)
        menu.popup(self._view.viewport().mapToGlobal(point))

    def set_state(self, state: InvitationState | None, note: str | None = None) -> None:
        rows = self.selected_rows()
        if not rows or self._db is None or self._meeting_id is None or not self._editable:
            return
        self._reselect = [_key(row) for row in rows]
        person_ids, organisation_ids = _split(rows)
        self._runner.run(
            partial(set_replies, organisation_ids=organisation_ids),
            self._db,
            self._meeting_id,
            person_ids,
            state,
            note,
            on_done=lambda changes: self.changed.emit(changes),
            on_error=self._failed,
            owner=self,
        )

    def edit_note(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        note, ok = QInputDialog.getText(
            self._view,
            _("Note"),
            _("Note (e.g. “comes later”, “brings a colleague”):"),
            text=rows[0].note,
        )
        if not ok or self._db is None or self._meeting_id is None or not self._editable:
            return
        # The note changes, each invitee's reply stays: one call per reply state.
        groups: dict[InvitationState | None, list[InvitationRow]] = {}
        for row in rows:
            state = row.state if row.state in REPLY_KEYS.values() else None
            groups.setdefault(state, []).append(row)
        self._reselect = [_key(row) for row in rows]
        for state, group in groups.items():
            person_ids, organisation_ids = _split(group)
            self._runner.run(
                partial(set_replies, organisation_ids=organisation_ids),
                self._db,
                self._meeting_id,
                person_ids,
                state,
                note,
                on_done=lambda changes: self.changed.emit(changes),
                on_error=self._failed,
                owner=self,
            )

    def _failed(self, error: BaseException) -> None:
        self._reselect = []
        parent: QWidget = self._view
        QMessageBox.warning(
            parent,
            _("Replies"),
            error_text(error),
        )
        self.failed.emit(error)


def _key(row: InvitationRow) -> tuple[int | None, int | None]:
    return (row.person_id, row.organisation_id)


def _split(rows: list[InvitationRow]) -> tuple[list[int], list[int]]:
    """(person ids, organisation ids) of the selected invitation rows."""
    people = [row.person_id for row in rows if row.person_id is not None]
    organisations = [
        row.organisation_id
        for row in rows
        if row.person_id is None and row.organisation_id is not None
    ]
    return people, organisations
