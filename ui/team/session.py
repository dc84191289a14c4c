"""A window working on a server database: colleagues' changes applied to the open pages.

Created by the main window for a server database only (it imports SQLAlchemy through
``app.db.notifications``); stopped when another database is opened or the window closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.db.notifications import ChangeNotice, ListenerState
from app.i18n import _
from ui.team.live_updates import LiveUpdates, change_text

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.opening import OpenedDatabase

STATUS_MS = 15000


class TeamSession(QObject):
    """Signals:
    change_shown(str): a colleague's change was handed to the pages; the status bar text.
    connection_changed(bool): the listening connection is up (True) or broken (False).
    """

    change_shown = Signal(str)
    connection_changed = Signal(bool)

    def __init__(self, window: MainWindow, opened: OpenedDatabase) -> None:
        super().__init__(window)
        assert opened.server is not None
        self._window = window
        self.connected: bool | None = None
        self.last_change = ""
        self.live = LiveUpdates(opened.server, opened.database.client_id, self)
        self.live.notice.connect(self._apply)
        self.live.state_changed.connect(self._state)

    def start(self) -> None:
        self.live.start()

    def stop(self) -> None:
        self.live.stop()

    def _apply(self, notice: ChangeNotice) -> None:
        workspace = self._window.workspace()
        if workspace is None:
            return
        people, organisations = notice.people, notice.organisations
        if people is None or organisations is None or people or organisations:
            workspace.network.refresh_rows(people, organisations)
        if notice.meetings is None or notice.meetings:
            workspace.meetings.refresh_meetings(notice.meetings)
        self.last_change = change_text(notice)
        self._window.statusBar().showMessage(self.last_change, STATUS_MS)
        self.change_shown.emit(self.last_change)

    def _state(self, state: ListenerState, reason: str) -> None:
        was = self.connected
        self.connected = state is ListenerState.CONNECTED
        bar = self._window.statusBar()
        if not self.connected:
            bar.showMessage(
                _(
                    "The connection to the server is interrupted ({reason}); Treffpunkt keeps "
                    "trying. Colleagues' changes show again once it is back."
                ).format(reason=reason)
            )
        elif was is False:
            bar.showMessage(
                _("Connected to the server again; the lists were read anew."), STATUS_MS
            )
            workspace = self._window.workspace()
            if workspace is not None:  # notices sent while it was down are lost
                workspace.network.refresh_rows(None, None)
                workspace.meetings.refresh_meetings(None)
        self.connection_changed.emit(self.connected)
