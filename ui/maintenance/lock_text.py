"""What the window says about a database that another Treffpunkt holds (``DatabaseLocked``)."""

from __future__ import annotations

from app.db.lock import DatabaseLocked, HolderState, LockHolder
from app.i18n import _, format_datetime


def holder_lines(holder: LockHolder) -> str:
    """Computer, process, user and since when, one per line (unknown parts as "?")."""
    since = format_datetime(holder.since.astimezone()) if holder.since else "?"
    return "\n".join(
        (
            _("Computer: {host}").format(host=holder.host or "?"),
            _("Process: {pid}").format(pid=holder.pid or "?"),
            _("User: {user}").format(user=holder.user or "?"),
            _("Open since: {since}").format(since=since),
        )
    )


def lock_holder_text(error: DatabaseLocked) -> str:
    """The message page's text: who holds the database, and what the user can do."""
    holder = error.holder
    parts = [
        _("Another Treffpunkt has {name} open:").format(name=error.path.name),
        holder_lines(holder),
        "",
    ]
    if holder.state is HolderState.ALIVE:
        parts.append(
            _(
                "You can open it read-only to look things up, or try again once it has been "
                "closed there."
            )
        )
    else:
        parts.append(
            _(
                "Treffpunkt cannot check from here whether that program still runs. If it "
                "does not (for example the other computer crashed), you may take the database "
                "over; otherwise open it read-only."
            )
        )
    return "\n".join(parts)


def taken_over_text(holder: LockHolder) -> str:
    """For the status bar after a stale lock was replaced."""
    return _(
        "Treffpunkt had not been closed properly on {host} (process {pid}); its lock was "
        "taken over."
    ).format(host=holder.host or "?", pid=holder.pid or "?")
