"""Planning on the meetings page: the action bar, the agenda editor and quick replies.

The page stays a viewer; this controller adds what changes a meeting and opens the dialogs:
New / Edit / Copy / Reschedule / Cancel, Invite, Send invitations (the settings live in
Extras ▸ Settings, ``ui.settings``); it puts the agenda editor into the Agenda tab and reply
keys on the Invitations table. After each change
the page reloads (``MeetingsPage.load``), and the dialogs that follow a change are offered:
an update mail after a move, the cancellation mail after cancelling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import _, ngettext
from app.mail.secrets import SessionPasswords
from app.models import MeetingState, OutboxKind
from app.services.directory_listing import list_person_choices
from app.services.directory_rows import PersonChoice
from app.services.meetings import MeetingDetail
from app.services.planning import MeetingChange, allowed_transitions, cancel_meeting
from app.services.planning.lifecycle import RESCHEDULABLE
from ui.meetings.agenda_editor import AgendaEditor
from ui.meetings.invite_dialog import InviteDialog
from ui.meetings.letters_dialog import LettersDialog
from ui.meetings.mailing_dialog import MailingDialog
from ui.meetings.meeting_dialog import MeetingDialog, Mode, RescheduleDialog
from ui.meetings.replies import RepliesController
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ui.meetings.page import MeetingsPage

# Once the minutes are final the agenda is part of the record.
AGENDA_LOCKED = (MeetingState.CANCELLED, MeetingState.MINUTES_FINAL)


def _tab_layout(view: QWidget) -> QVBoxLayout:
    """The layout of the detail tab that holds *view* (``detail._table_tab``)."""
    tab = view.parentWidget()
    layout = tab.layout() if tab is not None else None
    assert isinstance(layout, QVBoxLayout)
    return layout


class MeetingPlanner(QWidget):
    """The action bar above the meetings list (this widget) plus the tab additions."""

    def __init__(self, runner: TaskRunner, page: MeetingsPage) -> None:
        super().__init__(page)
        self.setObjectName("meetingPlanner")
        self._runner = runner
        self._page = page
        self._db: Database | None = None
        self.meeting: MeetingDetail | None = None
        self.passwords = SessionPasswords()

        # Every meeting action is a QAction: the bar shows the frequent ones as buttons and
        # the rest in a drop-down; the menu bar's "Meetings" menu lists them all (one place
        # for the enabled state, the same mnemonics everywhere).
        self.named_actions: dict[str, QAction] = {}
        for name, text in (
            ("new", _("&New meeting…")),
            ("edit", _("&Edit…")),
            ("copy", _("&Copy…")),
            ("reschedule", _("Re&schedule…")),
            ("cancel", _("Cance&l meeting…")),
            ("invite", _("&Invite…")),
            ("send", _("Send in&vitations…")),
            ("remind", _("&Remind those who have not answered…")),
            ("door", _("Check-in (&door mode)…")),
            ("signin", _("Si&gn-in sheet…")),
        ):
            action = QAction(text, self)
            action.setObjectName(f"action_{name}")
            self.named_actions[name] = action
        for name, slot in (
            ("new", self.new_meeting),
            ("edit", self.edit_meeting),
            ("copy", self.copy_meeting),
            ("reschedule", self.reschedule),
            ("cancel", self.cancel_meeting),
            ("invite", self.invite),
            ("send", self.send),
            ("remind", self.remind),
            ("door", page.attendance.open_door_mode),
            ("signin", page.attendance.open_signin),
        ):
            self.named_actions[name].triggered.connect(lambda _checked=False, slot=slot: slot())

        self.buttons: dict[str, QAbstractButton] = {}
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        for name in ("new",):
            bar.addWidget(self._button_for(name))
        self.change_menu = QMenu(self)
        self.change_menu.setObjectName("meetingChangeMenu")
        for name in ("edit", "copy", "reschedule", "cancel"):
            self.change_menu.addAction(self.named_actions[name])
        change = QToolButton()
        change.setObjectName("planner_change")
        change.setText(_("Meeting"))
        change.setToolTip(_("Edit, copy, reschedule or cancel the selected meeting"))
        change.setMenu(self.change_menu)
        change.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        change.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # As tall as the push buttons beside it.
        change.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        bar.addWidget(change)
        self.buttons["change"] = change
        for name in ("invite", "send"):
            bar.addWidget(self._button_for(name))
        bar.addStretch(1)

        detail = page.detail
        self.agenda_editor = AgendaEditor(runner)
        agenda_layout = _tab_layout(detail.agenda_view)
        agenda_layout.addWidget(self.agenda_editor)  # the editor replaces the table
        detail.agenda_view.hide()
        agenda_layout.setContentsMargins(0, 0, 0, 0)

        self.replies = RepliesController(runner, detail.invitation_view, self)
        self.replies.changed.connect(lambda _changes: self.refresh())
        self.remind_button = QPushButton(self.named_actions["remind"].text())
        self.remind_button.setObjectName("planner_remind")
        self.remind_button.clicked.connect(self.named_actions["remind"].trigger)
        invite_here = QPushButton(_("Invite…"))
        invite_here.setObjectName("invitationsInvite")
        invite_here.clicked.connect(self.named_actions["invite"].trigger)
        # Translators: button: paper invitations (DIN 5008 letters) for the invitees.
        self.letters_button = QPushButton(_("Le&tters…"))
        self.letters_button.setObjectName("planner_letters")
        self.letters_button.setToolTip(
            _("Paper invitations for window envelopes, for invitees without e-mail")
        )
        self.letters_button.clicked.connect(self.letters)
        row = QHBoxLayout()
        row.addWidget(invite_here)
        row.addWidget(self.letters_button)
        row.addStretch(1)
        row.addWidget(self.remind_button)
        _tab_layout(detail.invitation_view).insertLayout(0, row)
        self._update()

    def _button_for(self, name: str) -> QPushButton:
        """A push button that mirrors the action *name* (text, enabled state)."""
        action = self.named_actions[name]
        button = QPushButton(action.text())
        button.setObjectName(f"planner_{name}")
        button.clicked.connect(action.trigger)

        def follow() -> None:
            button.setText(action.text())
            button.setEnabled(action.isEnabled())

        action.changed.connect(follow)
        self.buttons[name] = button
        return button

    def menu_actions(self) -> list[QAction | None]:
        """What the menu bar's "Meetings" menu lists (None: a separator)."""
        actions = self.named_actions
        return [
            actions["new"],
            None,
            actions["edit"],
            actions["copy"],
            actions["reschedule"],
            actions["cancel"],
            None,
            actions["invite"],
            actions["send"],
            actions["remind"],
            None,
            actions["door"],
            actions["signin"],
        ]

    # -- state ---------------------------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        if db is not self._db:
            self._db = db
            self._runner.run(list_person_choices, db, key="planner-people", on_done=self._people)
        self._update()

    def _people(self, people: list[PersonChoice]) -> None:
        self.agenda_editor.set_people(people)

    def show_meeting(self, meeting: MeetingDetail | None) -> None:
        self.meeting = meeting
        editable = meeting is not None and meeting.state not in AGENDA_LOCKED
        self.agenda_editor.show_meeting(
            self._db, meeting.id if meeting else None, editable=editable
        )
        self.replies.set_meeting(
            self._db,
            meeting.id if meeting else None,
            editable=meeting is not None and meeting.state is not MeetingState.CANCELLED,
        )
        self._update()

    def show_loading(self) -> None:
        """Another meeting is being loaded: no actions on the one shown before, its agenda
        gone from the editor."""
        self.meeting = None
        self.agenda_editor.show_loading()
        self.replies.set_meeting(self._db, None, editable=False)
        self._update()

    def _update(self) -> None:
        meeting, has_db = self.meeting, self._db is not None
        state = meeting.state if meeting else None
        open_ = state is not None and state is not MeetingState.CANCELLED
        actions = self.named_actions
        actions["new"].setEnabled(has_db)
        actions["edit"].setEnabled(open_)
        actions["copy"].setEnabled(meeting is not None)
        actions["reschedule"].setEnabled(state in RESCHEDULABLE)
        actions["cancel"].setEnabled(
            state is not None and MeetingState.CANCELLED in allowed_transitions(state)
        )
        actions["invite"].setEnabled(open_)
        actions["send"].setEnabled(meeting is not None and bool(meeting.invitations))
        actions["send"].setText(
            _("Send can&cellation…") if state is MeetingState.CANCELLED else _("Send in&vitations…")
        )
        self.letters_button.setEnabled(open_ and meeting is not None and bool(meeting.invitations))
        actions["remind"].setEnabled(
            open_
            and meeting is not None
            and any(row.state.value == "sent" for row in meeting.invitations)
        )
        actions["door"].setEnabled(open_)
        actions["signin"].setEnabled(open_)
        self.buttons["change"].setEnabled(
            any(actions[name].isEnabled() for name in ("edit", "copy", "reschedule", "cancel"))
        )
        self.remind_button.setEnabled(actions["remind"].isEnabled())

    def refresh(self, select: int | None = None) -> None:
        if self._db is None:
            return
        if select is not None:
            self._page.loaded.connect(self._selector(select))
        self._page.load(self._db)

    def _selector(self, meeting_id: int) -> Callable[[int], None]:
        def select(_count: int) -> None:
            self._page.loaded.disconnect(select)
            self._page.select_meeting(meeting_id)

        return select

    # -- actions -------------------------------------------------------------------------------

    def new_meeting(self) -> None:
        if self._db is not None:
            self._open_form(MeetingDialog(self._runner, self._db, Mode.NEW, parent=self))

    def edit_meeting(self) -> None:
        if self._db is not None and self.meeting is not None:
            self._open_form(
                MeetingDialog(self._runner, self._db, Mode.EDIT, self.meeting.id, parent=self)
            )

    def copy_meeting(self) -> None:
        if self._db is not None and self.meeting is not None:
            self._open_form(
                MeetingDialog(self._runner, self._db, Mode.COPY, self.meeting.id, parent=self)
            )

    def reschedule(self) -> None:
        if self._db is not None and self.meeting is not None:
            self._open_form(RescheduleDialog(self._runner, self._db, self.meeting.id, parent=self))

    def _open_form(self, dialog: MeetingDialog | RescheduleDialog) -> None:
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, meeting_id: int, change: MeetingChange | None) -> None:
        self.refresh(select=meeting_id)
        if change is not None and change.update_mail_due:
            self._offer_mail(meeting_id, change, OutboxKind.UPDATE)

    def cancel_meeting(self) -> None:
        meeting = self.meeting
        if self._db is None or meeting is None:
            return
        answer = QMessageBox.question(
            self,
            _("Cancel meeting"),
            _("Cancel “{title}”? This cannot be undone; copy it later to plan a new date.").format(
                title=meeting.title
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._runner.run(
            cancel_meeting,
            self._db,
            meeting.id,
            on_done=lambda change: self._cancelled(meeting.id, change),
            on_error=self._failed,
        )

    def _cancelled(self, meeting_id: int, change: MeetingChange) -> None:
        self.refresh(select=meeting_id)
        if change.update_mail_due:
            self._offer_mail(meeting_id, change, OutboxKind.CANCELLATION)

    def _offer_mail(self, meeting_id: int, change: MeetingChange, kind: OutboxKind) -> None:
        question = (
            ngettext(
                "{n} invitee received the invitation. Send the cancellation now?",
                "{n} invitees received the invitation. Send them the cancellation now?",
                change.update_mail_due,
            )
            if kind is OutboxKind.CANCELLATION
            else ngettext(
                "{n} invitee received the earlier version. Send an update now?",
                "{n} invitees received the earlier version. Send them an update now?",
                change.update_mail_due,
            )
        ).format(n=change.update_mail_due)
        if QMessageBox.question(self, _("Tell the invitees"), question) == (
            QMessageBox.StandardButton.Yes
        ):
            self._open_mailing(meeting_id, kind)

    def invite(self) -> None:
        if self._db is None or self.meeting is None:
            return
        dialog = InviteDialog(self._runner, self._db, self.meeting.id, parent=self)
        dialog.invited.connect(lambda _result: self.refresh())
        dialog.open()

    def letters(self) -> LettersDialog | None:
        if self._db is None or self.meeting is None:
            return None
        dialog = LettersDialog(
            self._runner, self._db, self.meeting.id, self.meeting.title, parent=self
        )
        dialog.open()
        return dialog

    def send(self) -> None:
        if self.meeting is None:
            return
        cancelled = self.meeting.state is MeetingState.CANCELLED
        self._open_mailing(
            self.meeting.id, OutboxKind.CANCELLATION if cancelled else OutboxKind.INVITATION
        )

    def remind(self) -> None:
        if self.meeting is not None:
            self._open_mailing(self.meeting.id, OutboxKind.REMINDER)

    def _open_mailing(self, meeting_id: int, kind: OutboxKind) -> MailingDialog | None:
        if self._db is None:
            return None
        dialog = MailingDialog(
            self._runner, self._db, meeting_id, kind, self.passwords, parent=self
        )
        dialog.sent.connect(lambda _report: self.refresh())
        dialog.open()
        return dialog

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(
            self,
            _("Meetings"),
            str(error) if isinstance(error, TreffpunktError) else _("That did not work."),
        )
