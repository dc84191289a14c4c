"""A colleague's change shown within moments: the server's notices (``app.db.notifications``)
are received on a thread of their own and applied on the GUI thread, to the changed rows only.

``LiveUpdates`` owns the listening thread (never the GUI thread: it waits on a socket);
``ChangeApplier`` turns each notice into refreshes of the pages it touches and a status bar
line naming who changed what. After a broken connection is up again everything is read anew
(notices sent meanwhile were lost).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from app.db.location import ServerAddress
from app.db.notifications import ChangeListener, ChangeNotice
from app.i18n import _, format_number, ngettext

JOIN_SECONDS = 2.0


class LiveUpdates(QObject):
    """Signals (delivered on the GUI thread):
    notice(object): a ``ChangeNotice`` of another window or program.
    state_changed(object, str): ``ListenerState`` and, when lost, why.
    """

    notice = Signal(object)
    state_changed = Signal(object, str)

    def __init__(
        self,
        address: ServerAddress,
        own_client: str,
        parent: QObject | None = None,
        *,
        retry_seconds: float = 2.0,
    ) -> None:
        super().__init__(parent)
        self._listener = ChangeListener(address, own_client=own_client, retry_seconds=retry_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        # A plain thread, not the task runner: it waits for as long as the window is open.
        # Signals emitted there are queued to this object's (the GUI) thread.
        self._thread = threading.Thread(
            target=self._listener.run,
            args=(self.notice.emit, self.state_changed.emit, self._stop),
            name="treffpunkt-live-updates",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: a wait for notices ends at once; a connect in progress ends at its
        own timeout (the wait for it is bounded)."""
        self._stop.set()
        self._listener.wake()
        if self._thread is not None:
            self._thread.join(JOIN_SECONDS)
            self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def change_text(notice: ChangeNotice) -> str:
    """ "Jonas Weber changed 2 people." for the status bar."""
    parts: list[str] = []
    if notice.people is None:
        parts.append(_("people"))
    elif notice.people:
        count = len(notice.people)
        parts.append(
            ngettext("{count} person", "{count} people", count).format(count=format_number(count))
        )
    if notice.organisations is None:
        parts.append(_("organisations"))
    elif notice.organisations and not notice.people:  # a person's move counts as the person
        count = len(notice.organisations)
        parts.append(
            ngettext("{count} organisation", "{count} organisations", count).format(
                count=format_number(count)
            )
        )
    if notice.meetings is None:
        parts.append(_("meetings"))
    elif notice.meetings:
        count = len(notice.meetings)
        parts.append(
            ngettext("{count} meeting", "{count} meetings", count).format(
                count=format_number(count)
            )
        )
    who = notice.by or _("A colleague")
    if not parts:
        return _("{name} saved a change.").format(name=who)
    return _("{name} changed {what}.").format(name=who, what=", ".join(parts))
