"""The attendance part of the minutes as the editor shows it (read-only, from the snapshot)."""

from __future__ import annotations

import html

from app.i18n import _, ngettext
from app.services.minutes import ConsentWarning
from app.services.snapshots.minutes import Attendee, MinutesSnapshot


def _person(attendee: Attendee) -> str:
    text = html.escape(attendee.name)
    if attendee.function:
        text += f" <i>({html.escape(attendee.function)})</i>"
    notes = []
    if attendee.arrived_at:
        notes.append(_("from TOP {number}").format(number=attendee.arrived_at))
    if attendee.left_after:
        notes.append(_("until TOP {number}").format(number=attendee.left_after))
    if notes:
        text += " – " + html.escape(", ".join(notes))
    return text


def attendance_html(snapshot: MinutesSnapshot) -> str:
    """Moderator, minute-taker, present by organisation, guests and excused; text escaped."""
    parts: list[str] = []
    roles = (
        (_("Moderation"), snapshot.moderator),
        (_("Minute-taker"), snapshot.minute_taker),
    )
    role_lines = [
        f"<b>{html.escape(title)}:</b> {html.escape(name)}" for title, name in roles if name
    ]
    if role_lines:
        parts.append("<p>" + "<br>".join(role_lines) + "</p>")
    count = snapshot.present_count
    parts.append("<h3>" + html.escape(_("Present ({count})").format(count=count)) + "</h3>")
    if not snapshot.present and not snapshot.guests:
        parts.append("<p><i>" + html.escape(_("No attendance recorded yet.")) + "</i></p>")
    for group in snapshot.present:
        title = group.organisation or _("Without organisation")
        people = "".join(f'<li dir="ltr">{_person(a)}</li>' for a in group.attendees)
        parts.append(f"<p><b>{html.escape(title)}</b></p><ul>{people}</ul>")
    if snapshot.guests:
        guests = "".join(
            f'<li dir="ltr">{_person(a)}'
            + (f" – {html.escape(a.organisation)}" if a.organisation else "")
            + "</li>"
            for a in snapshot.guests
        )
        heading = _("Guests")
        parts.append(f"<p><b>{html.escape(heading)}</b></p><ul>{guests}</ul>")
    if snapshot.excused:
        excused = "".join(f'<li dir="ltr">{html.escape(a.label)}</li>' for a in snapshot.excused)
        heading = _("Excused")
        parts.append(f"<h3>{html.escape(heading)}</h3><ul>{excused}</ul>")
    return "".join(parts)


def consent_warning_text(
    warnings: tuple[ConsentWarning, ...], *, organisations: bool = True
) -> str:
    """One line naming who attended without photo consent; "" when everybody consented.
    *organisations*: with each one's organisation (the photo tab, narrower, leaves it out)."""
    if not warnings:
        return ""
    names = ", ".join(
        f"{w.name} ({w.organisation})" if w.organisation and organisations else w.name
        for w in warnings
    )
    return ngettext(
        "Without photo consent: {names}. Do not publish photos showing this person.",
        "Without photo consent ({count}): {names}. Do not publish photos showing these people.",
        len(warnings),
    ).format(names=names, count=len(warnings))
