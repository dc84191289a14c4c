"""The minutes of a meeting as HTML for a read-only ``QTextBrowser``.

Every user string goes through ``html.escape`` first: a note "<img src=...>" or "a<b" must
show as typed, never be interpreted by Qt's rich-text engine.
"""

from __future__ import annotations

import re
from html import escape

from app.i18n import _, format_date
from app.services.meetings import (
    ACTION_STATUS_LABELS,
    MINUTES_STATE_LABELS,
    ActionItemRow,
    DecisionRow,
    MeetingDetail,
    label,
)

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    # Escape first; "**" survives escaping, so the bold markup cannot smuggle in tags.
    return _BOLD.sub(r"<b>\1</b>", escape(text))


def notes_html(notes: str) -> str:
    """The notes' simple markup: blank lines part paragraphs, lines starting "- " are bullets."""
    parts: list[str] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            parts.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if bullets:
            parts.append("<ul>" + "".join(f"<li>{_inline(b)}</li>" for b in bullets) + "</ul>")
            bullets.clear()

    for line in notes.strip().splitlines():
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("- "):
            if paragraph:
                flush()
            bullets.append(line[2:])
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return "".join(parts)


def _decision_html(decision: DecisionRow) -> str:
    votes = ""
    if decision.votes_yes is not None or decision.votes_no is not None:
        votes = " " + escape(
            _("(yes {yes}, no {no}, abstentions {abstain})").format(
                yes=decision.votes_yes or 0,
                no=decision.votes_no or 0,
                abstain=decision.votes_abstain or 0,
            )
        )
    title = escape(_("Decision:"))
    return f"<p><b>{title}</b> {escape(decision.text)}{votes}</p>"


def _action_table(items: tuple[ActionItemRow, ...]) -> str:
    header = "".join(
        f"<th align='left'>{escape(title)}</th>"
        for title in (_("TOP"), _("What"), _("Who"), _("Due"), _("Status"))
    )
    rows = "".join(
        "<tr>"
        f"<td>{escape(item.agenda_number or '')}</td>"
        f"<td>{escape(item.text)}</td>"
        f"<td>{escape(item.owner)}</td>"
        f"<td>{escape(format_date(item.due))}</td>"
        f"<td>{escape(label(ACTION_STATUS_LABELS, item.status))}</td>"
        "</tr>"
        for item in items
    )
    return (
        "<table width='100%' border='1' cellspacing='0' cellpadding='4' "
        "style='border-collapse: collapse; border-color: #bbb;'>"
        f"<tr style='background-color: #eee;'>{header}</tr>{rows}</table>"
    )


def has_minutes(meeting: MeetingDetail) -> bool:
    return bool(
        meeting.minutes_state is not None
        or meeting.decisions
        or meeting.action_items
        or any(item.notes.strip() for item in meeting.agenda)
    )


def minutes_html(meeting: MeetingDetail) -> str:
    """ "" when the meeting has no minutes yet (the view then shows its empty text)."""
    if not has_minutes(meeting):
        return ""
    parts: list[str] = []
    if meeting.minutes_state is not None:
        state = label(MINUTES_STATE_LABELS, meeting.minutes_state)
        said = _("State of the minutes: {state}").format(state=state)
        parts.append(f"<p><i>{escape(said)}</i></p>")
    decisions_by_top: dict[str | None, list[DecisionRow]] = {}
    for decision in meeting.decisions:
        decisions_by_top.setdefault(decision.agenda_number, []).append(decision)
    for item in meeting.agenda:
        decisions = decisions_by_top.pop(item.number, [])
        if not item.notes.strip() and not decisions:
            continue
        heading = _("TOP {number}: {title}").format(number=item.number, title=item.title)
        tag = "h3" if item.depth == 0 else "h4"
        parts.append(f"<{tag}>{escape(heading)}</{tag}>")
        parts.append(notes_html(item.notes))
        parts.extend(_decision_html(decision) for decision in decisions)
    leftover = [d for decisions in decisions_by_top.values() for d in decisions]
    if leftover:
        heading = _("Further decisions")
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.extend(_decision_html(decision) for decision in leftover)
    if meeting.action_items:
        heading = _("Action items")
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.append(_action_table(meeting.action_items))
    return "".join(parts)
