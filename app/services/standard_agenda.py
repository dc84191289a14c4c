"""Standard TOPs for a new meeting, and the open action items that come back under one of them.

The defaults are *data* in the document language (German or English), not UI strings: the
invitation PDF of a German network says "Begrüßung" whatever language the window speaks.
They are editable per language and stored in the setting ``standard_agenda`` as
``{"de": [{"title": …, "minutes": …, "kind": …, "lists_open_action_items": …}, …], "en": …}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import ValidationError
from app.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, _
from app.models import ActionItem, ActionItemStatus, AgendaItemKind, Meeting
from app.services import languages
from app.services.agenda import AgendaItemDraft, insert_item
from app.services.meetings import action_owner
from app.services.planning.common import load_meeting
from app.services.planning.times import zone
from app.services.settings import get_setting, read_setting, write_setting
from app.text import nfc

STANDARD_AGENDA_KEY = "standard_agenda"
# Which language the documents of new meetings are written in (see services.languages).
DOCUMENT_LANGUAGE_KEY = languages.DOCUMENT_LANGUAGE_KEY


@dataclass(frozen=True, slots=True)
class StandardItem:
    title: str
    minutes: int
    kind: AgendaItemKind = AgendaItemKind.INFORMATION
    lists_open_action_items: bool = False
    description: str = ""

    def draft(self) -> AgendaItemDraft:
        return AgendaItemDraft(
            title=self.title,
            planned_minutes=self.minutes,
            kind=self.kind,
            description=self.description,
            lists_open_action_items=self.lists_open_action_items,
        )


DEFAULT_STANDARD_AGENDA: dict[str, tuple[StandardItem, ...]] = {
    "de": (
        StandardItem("Begrüßung", 10),
        StandardItem(
            "Genehmigung der Tagesordnung und des letzten Protokolls",
            5,
            AgendaItemKind.DECISION,
        ),
        StandardItem(
            "Offene Aufgaben aus dem letzten Treffen",
            15,
            AgendaItemKind.DISCUSSION,
            lists_open_action_items=True,
        ),
        StandardItem("Verschiedenes", 10, AgendaItemKind.DISCUSSION),
        StandardItem("Nächster Termin", 5, AgendaItemKind.DECISION),
    ),
    "en": (
        StandardItem("Welcome", 10),
        StandardItem("Approval of the agenda and of the last minutes", 5, AgendaItemKind.DECISION),
        StandardItem(
            "Open action items from the last meeting",
            15,
            AgendaItemKind.DISCUSSION,
            lists_open_action_items=True,
        ),
        StandardItem("Any other business", 10, AgendaItemKind.DISCUSSION),
        StandardItem("Next meeting", 5, AgendaItemKind.DECISION),
    ),
}


@dataclass(frozen=True, slots=True)
class OpenActionItem:
    """An open task from an earlier meeting, for the "Offene Aufgaben" TOP."""

    id: int
    text: str
    owner: str
    due: date | None
    overdue: bool  # due before the day of the meeting it is listed for
    meeting_id: int
    meeting_title: str
    meeting_start: datetime  # local time of the meeting it came from


def _language(language: str | None) -> str:
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def document_language(db: Database) -> str:
    """The language of the documents of new meetings ("de" unless set otherwise)."""
    with db.read() as session:
        return languages.network_language(session)


def _parse(raw: Any) -> tuple[StandardItem, ...] | None:
    """Items from the stored JSON; entries a hand-edited value broke are skipped."""
    if not isinstance(raw, list):
        return None
    items = []
    for entry in raw:
        if not isinstance(entry, dict) or not nfc(str(entry.get("title", ""))):
            continue
        try:
            minutes = int(entry.get("minutes", 0))
            kind = AgendaItemKind(entry.get("kind", AgendaItemKind.INFORMATION.value))
        except (TypeError, ValueError):
            continue
        items.append(
            StandardItem(
                title=nfc(str(entry["title"])),
                minutes=max(0, minutes),
                kind=kind,
                lists_open_action_items=bool(entry.get("lists_open_action_items", False)),
                description=nfc(str(entry.get("description", ""))),
            )
        )
    return tuple(items)


def _stored(value: Any, language: str) -> tuple[StandardItem, ...]:
    parsed = _parse(value.get(language)) if isinstance(value, dict) else None
    return parsed if parsed is not None else DEFAULT_STANDARD_AGENDA[language]


def standard_agenda(db: Database, language: str | None = None) -> tuple[StandardItem, ...]:
    """The standard TOPs in *language* (default: the document language)."""
    language = _language(language or document_language(db))
    return _stored(get_setting(db, STANDARD_AGENDA_KEY, {}), language)


def write_standard_agenda(
    session: Session, language: str, items: list[StandardItem] | None
) -> None:
    """Store the standard TOPs of one language inside an open write session; ``None`` goes
    back to the built-in defaults, an empty list means none."""
    language = _language(language)
    current = read_setting(session, STANDARD_AGENDA_KEY, {})
    value = dict(current) if isinstance(current, dict) else {}
    if items is None:
        value.pop(language, None)
    else:
        value[language] = _checked(items)
    write_setting(session, STANDARD_AGENDA_KEY, value)


OPEN_ITEMS_MARK = "open items"


def format_standard_items(items: tuple[StandardItem, ...]) -> str:
    """The items as the settings edit them: one line "Title | minutes | kind [| open items]"."""
    lines = []
    for item in items:
        parts = [item.title, str(item.minutes), item.kind.value]
        if item.lists_open_action_items:
            parts.append(OPEN_ITEMS_MARK)
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_standard_items(text: str) -> tuple[StandardItem, ...]:
    """Lines → checked items; a line that cannot be read raises ValidationError naming it."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        try:
            minutes = int(parts[1]) if len(parts) > 1 and parts[1] else 0
            kind = (
                AgendaItemKind(parts[2])
                if len(parts) > 2 and parts[2]
                else AgendaItemKind.INFORMATION
            )
        except ValueError:
            raise ValidationError(
                _("Line {number} is not “Title | minutes | kind”: {line}").format(
                    number=number, line=line
                )
            ) from None
        items.append(
            StandardItem(
                title=parts[0],
                minutes=minutes,
                kind=kind,
                lists_open_action_items=OPEN_ITEMS_MARK in parts[3:],
            )
        )
    _checked(items)
    return tuple(items)


def _checked(items: list[StandardItem]) -> list[dict[str, Any]]:
    cleaned = []
    for item in items:
        title = nfc(item.title)
        if not title:
            raise ValidationError(_("An agenda item needs a title."))
        if item.minutes < 0:
            raise ValidationError(_("The planned minutes must not be negative."))
        cleaned.append(
            {
                **asdict(item),
                "title": title,
                "description": nfc(item.description),
                "kind": AgendaItemKind(item.kind).value,
            }
        )
    return cleaned


def read_standard_agenda(session: Session, language: str) -> tuple[StandardItem, ...]:
    return _stored(read_setting(session, STANDARD_AGENDA_KEY, {}), _language(language))


def set_standard_agenda(db: Database, language: str, items: list[StandardItem]) -> None:
    """Store the edited standard TOPs of one language (an empty list means none)."""
    _checked(items)  # refuse before opening the write transaction
    with db.write() as session:
        write_standard_agenda(session, language, items)


def reset_standard_agenda(db: Database, language: str) -> None:
    """Back to the built-in defaults for *language*."""
    with db.write() as session:
        write_standard_agenda(session, language, None)


def add_standard_agenda(
    db: Database, meeting_id: int, language: str | None = None
) -> tuple[int, ...]:
    """Append the standard TOPs to a meeting's agenda; returns the new item ids in order.

    Inverse: ``remove_item`` for each id.
    """
    with db.write() as session:
        meeting = load_meeting(session, meeting_id)
        return insert_standard_items(session, meeting, language)


def insert_standard_items(
    session: Session, meeting: Meeting, language: str | None
) -> tuple[int, ...]:
    """``add_standard_agenda`` inside an open write session; *language* ``None``: the
    meeting's language."""
    if language is None:
        language = meeting.language
    items = _stored(read_setting(session, STANDARD_AGENDA_KEY, {}), _language(language))
    return tuple(insert_item(session, meeting, item.draft()) for item in items)


def open_action_items(db: Database, before_meeting_id: int) -> list[OpenActionItem]:
    """Open action items of meetings that started before this one (oldest meeting first)."""
    with db.read() as session:
        meeting = load_meeting(session, before_meeting_id)
        meeting_day = meeting.start.astimezone(zone(meeting.timezone)).date()
        rows = session.scalars(
            select(ActionItem)
            .join(Meeting, Meeting.id == ActionItem.meeting_id)
            .where(
                ActionItem.status == ActionItemStatus.OPEN,
                Meeting.start < meeting.start,
                Meeting.id != meeting.id,
            )
            .order_by(Meeting.start, ActionItem.position, ActionItem.id)
            .options(
                selectinload(ActionItem.meeting),
                selectinload(ActionItem.owner_person),
                selectinload(ActionItem.owner_organisation),
            )
        ).all()
        return [
            OpenActionItem(
                id=item.id,
                text=item.text,
                owner=action_owner(item),
                due=item.due,
                overdue=item.due is not None and item.due < meeting_day,
                meeting_id=item.meeting_id,
                meeting_title=item.meeting.title,
                meeting_start=item.meeting.start.astimezone(zone(item.meeting.timezone)),
            )
            for item in rows
        ]
