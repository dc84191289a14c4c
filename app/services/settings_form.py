"""The settings dialog's data: everything it shows, loaded at once, and its changes, stored in
one transaction (all pages or nothing).

Each page sends only what the user changed (``SettingsChanges``: ``None`` or an absent key
means unchanged), so a value nobody touched is neither rewritten nor checked again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.db import Database
from app.models import OutboxKind
from app.services.directory import PersonRow, list_people
from app.services.letterhead import (
    LetterheadFields,
    read_letterhead_fields,
    write_letterhead_fields,
)
from app.services.mail_settings import SmtpSettings, read_smtp_settings, write_smtp_settings
from app.services.mail_templates import (
    DEFAULT_TEMPLATES,
    MailTemplate,
    read_template,
    write_template,
)
from app.services.phrases import MAIL_LANGUAGES
from app.services.planning.defaults import (
    MeetingDefaults,
    read_meeting_defaults,
    write_meeting_defaults,
)
from app.services.retention import read_retention_months, write_retention_months
from app.services.settings_registry import read_press_contact, write_press_contact
from app.services.signin_sheet import (
    general_privacy_notice,
    read_saved_privacy_notice,
    write_privacy_notice,
)
from app.services.standard_agenda import (
    DEFAULT_STANDARD_AGENDA,
    StandardItem,
    read_standard_agenda,
    write_standard_agenda,
)
from app.services.venues import VenueRow, list_venues

TemplateKey = tuple[str, OutboxKind]  # (language, kind)
TEMPLATE_KINDS = (
    OutboxKind.INVITATION,
    OutboxKind.UPDATE,
    OutboxKind.CANCELLATION,
    OutboxKind.REMINDER,
    OutboxKind.MINUTES,
)


@dataclass(frozen=True)
class SettingsSnapshot:
    """What the settings dialog shows (templates and agendas: stored, else the defaults)."""

    letterhead: LetterheadFields
    mail: SmtpSettings
    meetings: MeetingDefaults
    press_contact: str
    templates: Mapping[TemplateKey, MailTemplate]
    standard_agenda: Mapping[str, tuple[StandardItem, ...]]
    privacy_notice: str  # the saved notice, else the default
    default_privacy_notice: str
    retention_months: int
    people: tuple[PersonRow, ...]
    venues: tuple[VenueRow, ...]

    @staticmethod
    def default_template(key: TemplateKey) -> MailTemplate:
        return DEFAULT_TEMPLATES[key[0]][key[1]]

    @staticmethod
    def default_standard_agenda(language: str) -> tuple[StandardItem, ...]:
        return DEFAULT_STANDARD_AGENDA[language]


@dataclass(frozen=True)
class NoticeChange:
    """The sign-in sheet's notice as edited; equal to *default* or blank: the default."""

    text: str
    default: str


@dataclass(frozen=True)
class SettingsChanges:
    """What to store; ``None`` / absent keys stay as they are.

    ``templates`` and ``standard_agenda`` map to ``None`` to go back to the built-in default.
    """

    letterhead: LetterheadFields | None = None
    mail: SmtpSettings | None = None
    meetings: MeetingDefaults | None = None
    press_contact: str | None = None
    templates: Mapping[TemplateKey, MailTemplate | None] = field(default_factory=dict)
    standard_agenda: Mapping[str, tuple[StandardItem, ...] | None] = field(default_factory=dict)
    privacy_notice: NoticeChange | None = None
    retention_months: int | None = None

    @property
    def empty(self) -> bool:
        return self == SettingsChanges()


def load_settings_snapshot(db: Database) -> SettingsSnapshot:
    people = tuple(list_people(db))
    venues = tuple(list_venues(db))
    with db.read() as session:
        letterhead = read_letterhead_fields(session)
        default_notice = general_privacy_notice(letterhead.letterhead())
        return SettingsSnapshot(
            letterhead=letterhead,
            mail=read_smtp_settings(session),
            meetings=read_meeting_defaults(session),
            press_contact=read_press_contact(session),
            templates={
                (language, kind): read_template(session, language, kind)
                for language in MAIL_LANGUAGES
                for kind in TEMPLATE_KINDS
            },
            standard_agenda={
                language: read_standard_agenda(session, language)
                for language in DEFAULT_STANDARD_AGENDA
            },
            privacy_notice=read_saved_privacy_notice(session) or default_notice,
            default_privacy_notice=default_notice,
            retention_months=read_retention_months(session),
            people=people,
            venues=venues,
        )


def save_settings(db: Database, changes: SettingsChanges) -> None:
    """Store every change in one transaction; a refused value (``TreffpunktError``, one
    sentence) leaves all settings as they were."""
    if changes.empty:
        return
    with db.write() as session:
        if changes.letterhead is not None:
            write_letterhead_fields(session, changes.letterhead, name_required=True)
        if changes.mail is not None:
            write_smtp_settings(session, changes.mail)
        if changes.meetings is not None:
            write_meeting_defaults(session, changes.meetings)
        if changes.press_contact is not None:
            write_press_contact(session, changes.press_contact)
        for (language, kind), template in changes.templates.items():
            write_template(session, language, kind, template)
        for language, items in changes.standard_agenda.items():
            write_standard_agenda(session, language, list(items) if items is not None else None)
        if changes.privacy_notice is not None:
            notice = changes.privacy_notice
            write_privacy_notice(session, notice.text, default=notice.default)
        if changes.retention_months is not None:
            write_retention_months(session, changes.retention_months)
