"""Every setting a user can change, declared once: key, German label, type, default, and where
it is stored.

The keys are the command line's (``treffpunkt settings show|set``); they are part of its contract,
so they are extended, never renamed. Each one maps onto the stored value its feature already reads;
there is no second copy:

===========================  ===========================================================
``organisation.*``           the letterhead (``app.services.letterhead``, key ``letterhead``)
``sender.*``, ``mail.*``     the mail settings (``app.services.mail_settings``, key ``smtp``)
``meetings.*``               the meeting defaults (``app.services.planning.defaults``)
``press.contact``            the press contact (key ``press_contact``)
``privacy.retention_months`` the retention period (``app.services.retention``)
``team.user_name``           the user's name in ``changed_by`` (per user: preferences.json)
===========================  ===========================================================

A value is changed by reading its whole group, replacing the one field and writing the group
back through the group's own checks, so the command line and the settings dialog refuse the
same values with the same sentence. Passwords are never settings (keyring).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.i18n import N_, _
from app.models import Person, PersonEmail, Venue
from app.services.letterhead import (
    LetterheadFields,
    read_letterhead_fields,
    write_letterhead_fields,
)
from app.services.mail_settings import (
    DEFAULT_PORTS,
    DEFAULT_RATE_PER_MINUTE,
    MailMode,
    SmtpSecurity,
    SmtpSettings,
    read_smtp_settings,
    write_smtp_settings,
)
from app.services.planning.defaults import (
    DEFAULT_DURATION_MINUTES,
    DEFAULT_START,
    MeetingDefaults,
    parse_time,
    read_meeting_defaults,
    write_meeting_defaults,
)
from app.services.retention import (
    DEFAULT_RETENTION_MONTHS,
    read_retention_months,
    write_retention_months,
)
from app.services.settings import read_setting, write_setting
from app.services.team import USER_NAME_KEY, save_user_name, saved_user_name
from app.services.venues import find_or_create_venue
from app.text import nfc

PRESS_CONTACT_KEY = "press_contact"
MAX_PRESS_CONTACT = 500

Value = str | int | None


class ValueKind(enum.StrEnum):
    TEXT = "text"
    EMAIL = "email"
    CHOICE = "choice"
    INTEGER = "integer"
    TIME = "time"  # HH:MM
    FOLDER = "folder"
    PERSON = "person"  # shown and set as the person's e-mail address
    VENUE = "venue"  # shown and set as the venue's name (a new name adds a venue)


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One setting. ``label`` is marked with ``N_``: translate it with ``_()`` when shown.

    ``read(session)`` gives the value as shown (``None``: not set); ``write(session, value)``
    stores an already parsed value (``None``: back to the default) and raises
    ``TreffpunktError`` with one sentence when it is refused.
    """

    key: str
    label: str
    kind: ValueKind
    default: Value
    read: Callable[[Session], Value]
    write: Callable[[Session, Value], None]
    choices: tuple[str, ...] = ()

    def parse(self, text: str) -> Value:
        """The typed value of *text* ("" means back to the default); raises ValidationError."""
        cleaned = nfc(text)
        if not cleaned:
            return None
        if self.kind is ValueKind.INTEGER:
            try:
                return int(cleaned)
            except ValueError:
                raise ValidationError(
                    _("“{value}” is not a whole number.").format(value=cleaned)
                ) from None
        if self.kind is ValueKind.CHOICE and cleaned not in self.choices:
            raise ValidationError(
                _("“{value}” is not one of: {choices}.").format(
                    value=cleaned, choices=", ".join(self.choices)
                )
            )
        if self.kind is ValueKind.TIME:
            return parse_time(cleaned).strftime("%H:%M")
        return cleaned


# -- groups ------------------------------------------------------------------------------------


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _shown(text: str) -> str | None:
    return text or None


def _organisation(
    field: str,
) -> tuple[Callable[[Session], Value], Callable[[Session, Value], None]]:
    def read(session: Session) -> Value:
        return _shown(getattr(read_letterhead_fields(session), field))

    def write(session: Session, value: Value) -> None:
        fields: LetterheadFields = read_letterhead_fields(session)
        changes: dict[str, Any] = {field: _text(value)}
        write_letterhead_fields(session, replace(fields, **changes))

    return read, write


def _mail(
    field: str, *, to_stored: Callable[[Value], Any] = _text, default: Any = ""
) -> tuple[Callable[[Session], Value], Callable[[Session, Value], None]]:
    def read(session: Session) -> Value:
        value = getattr(read_smtp_settings(session), field)
        if isinstance(value, enum.Enum):
            return str(value.value)
        return value if isinstance(value, int) else _shown(str(value))

    def write(session: Session, value: Value) -> None:
        settings = read_smtp_settings(session)
        stored = default if value is None else to_stored(value)
        changed = replace(settings, **{field: stored})
        if field == "security" and settings.port == DEFAULT_PORTS[settings.security]:
            # Follow the usual port of the new scheme unless another port was chosen.
            changed = replace(changed, port=DEFAULT_PORTS[SmtpSecurity(stored)])
        write_smtp_settings(session, changed)

    return read, write


def _port(value: Value) -> int:
    return int(value) if value is not None else SmtpSettings().port


def _meetings(
    field: str,
) -> tuple[Callable[[Session], Value], Callable[[Session, Value], None]]:
    def read(session: Session) -> Value:
        defaults = read_meeting_defaults(session)
        if field == "organiser_id":
            person = session.get(Person, defaults.organiser_id) if defaults.organiser_id else None
            return person.preferred_email if person is not None else None
        if field == "venue_id":
            venue = session.get(Venue, defaults.venue_id) if defaults.venue_id else None
            return venue.name if venue is not None else None
        if field == "start":
            return defaults.start.strftime("%H:%M")
        return defaults.duration_minutes

    def write(session: Session, value: Value) -> None:
        defaults = read_meeting_defaults(session)
        changed: MeetingDefaults
        if field == "organiser_id":
            changed = replace(
                defaults, organiser_id=person_by_email(session, _text(value)) if value else None
            )
        elif field == "venue_id":
            venue_id = find_or_create_venue(session, _text(value)).id if value else None
            changed = replace(defaults, venue_id=venue_id)
        elif field == "start":
            changed = replace(defaults, start=parse_time(_text(value)) if value else DEFAULT_START)
        else:
            minutes = int(value) if value is not None else DEFAULT_DURATION_MINUTES
            changed = replace(defaults, duration_minutes=minutes)
        write_meeting_defaults(session, changed)

    return read, write


def person_by_email(session: Session, address: str) -> int:
    """The id of the one person with this e-mail address; ValidationError otherwise."""
    key = nfc(address).casefold()
    found = sorted(
        set(session.scalars(select(PersonEmail.person_id).where(PersonEmail.address_key == key)))
    )
    if not found:
        raise ValidationError(
            _("Nobody in the directory has the e-mail address “{address}”.").format(
                address=nfc(address)
            )
        )
    if len(found) > 1:
        raise ValidationError(
            _("Several people have the e-mail address “{address}”; give each their own.").format(
                address=nfc(address)
            )
        )
    return found[0]


def read_press_contact(session: Session) -> str:
    """Who answers the press (name, telephone, e-mail), as printed under a press release."""
    value = read_setting(session, PRESS_CONTACT_KEY, "")
    return value if isinstance(value, str) else ""


def write_press_contact(session: Session, text: str) -> str:
    cleaned = "\n".join(line.strip() for line in nfc(text).strip().splitlines())
    if len(cleaned) > MAX_PRESS_CONTACT:
        raise ValidationError(
            _("The press contact may be at most {max} characters long.").format(
                max=MAX_PRESS_CONTACT
            )
        )
    write_setting(session, PRESS_CONTACT_KEY, cleaned or None)
    return cleaned


def _press_read(session: Session) -> Value:
    return _shown(read_press_contact(session))


def _press_write(session: Session, value: Value) -> None:
    write_press_contact(session, _text(value))


def _retention_read(session: Session) -> Value:
    return read_retention_months(session)


def _retention_write(session: Session, value: Value) -> None:
    write_retention_months(session, int(value) if value is not None else DEFAULT_RETENTION_MONTHS)


def _user_name_read(session: Session) -> Value:
    return saved_user_name()


def _user_name_write(session: Session, value: Value) -> None:
    # Per user, not per database (preferences.json): on a shared server database each
    # colleague has their own name. The session is not used.
    save_user_name(None if value is None else str(value))


def _spec(
    key: str,
    label: str,
    kind: ValueKind,
    default: Value,
    access: tuple[Callable[[Session], Value], Callable[[Session, Value], None]],
    choices: tuple[str, ...] = (),
) -> SettingSpec:
    return SettingSpec(key, label, kind, default, access[0], access[1], choices)


_T, _E = ValueKind.TEXT, ValueKind.EMAIL

SETTINGS: tuple[SettingSpec, ...] = (
    _spec("organisation.name", N_("Organisation"), _T, None, _organisation("name")),
    _spec("organisation.department", N_("Department"), _T, None, _organisation("department")),
    _spec("organisation.street", N_("Street and number"), _T, None, _organisation("street")),
    _spec("organisation.postcode", N_("Postcode"), _T, None, _organisation("postcode")),
    _spec("organisation.city", N_("Town"), _T, None, _organisation("city")),
    _spec("sender.name", N_("Sender name"), _T, None, _mail("sender_name")),
    _spec("sender.address", N_("Sender address"), _E, None, _mail("sender_address")),
    _spec("sender.reply_to", N_("Replies to"), _E, None, _mail("reply_to")),
    _spec(
        "mail.mode",
        N_("How mail leaves (smtp: mail server, eml: Outlook drafts)"),
        ValueKind.CHOICE,
        MailMode.SMTP.value,
        _mail("mode", to_stored=lambda value: MailMode(str(value)), default=MailMode.SMTP),
        tuple(mode.value for mode in MailMode),
    ),
    _spec(
        "mail.eml_dir", N_("Folder for Outlook drafts"), ValueKind.FOLDER, None, _mail("eml_dir")
    ),
    _spec("mail.smtp_host", N_("Mail server"), _T, None, _mail("host")),
    _spec(
        "mail.smtp_port",
        N_("Port of the mail server"),
        ValueKind.INTEGER,
        SmtpSettings().port,
        _mail("port", to_stored=_port, default=SmtpSettings().port),
    ),
    _spec(
        "mail.smtp_security",
        N_("Encryption (starttls, ssl or none)"),
        ValueKind.CHOICE,
        SmtpSecurity.STARTTLS.value,
        _mail(
            "security",
            to_stored=lambda value: SmtpSecurity(str(value)),
            default=SmtpSecurity.STARTTLS,
        ),
        tuple(security.value for security in SmtpSecurity),
    ),
    _spec("mail.smtp_user", N_("User name at the mail server"), _T, None, _mail("username")),
    _spec(
        "mail.rate_per_minute",
        N_("At most this many mails per minute (SMTP)"),
        ValueKind.INTEGER,
        DEFAULT_RATE_PER_MINUTE,
        _mail(
            "rate_per_minute",
            to_stored=lambda value: int(value) if value is not None else DEFAULT_RATE_PER_MINUTE,
            default=DEFAULT_RATE_PER_MINUTE,
        ),
    ),
    _spec(
        "meetings.default_organiser",
        N_("Default organiser (e-mail address of a person in the directory)"),
        ValueKind.PERSON,
        None,
        _meetings("organiser_id"),
    ),
    _spec(
        "meetings.default_venue", N_("Usual venue"), ValueKind.VENUE, None, _meetings("venue_id")
    ),
    _spec(
        "meetings.default_start",
        N_("Usual start time (HH:MM)"),
        ValueKind.TIME,
        DEFAULT_START.strftime("%H:%M"),
        _meetings("start"),
    ),
    _spec(
        "meetings.default_duration",
        N_("Usual length in minutes"),
        ValueKind.INTEGER,
        DEFAULT_DURATION_MINUTES,
        _meetings("duration_minutes"),
    ),
    _spec("press.contact", N_("Press contact"), _T, None, (_press_read, _press_write)),
    _spec(
        "privacy.retention_months",
        N_("Retention period in months"),
        ValueKind.INTEGER,
        DEFAULT_RETENTION_MONTHS,
        (_retention_read, _retention_write),
    ),
    _spec(
        USER_NAME_KEY,
        N_("Your name in the change records (default: your login name)"),
        _T,
        None,
        (_user_name_read, _user_name_write),
    ),
)

_BY_KEY = {spec.key: spec for spec in SETTINGS}


def setting_spec(key: str) -> SettingSpec:
    spec = _BY_KEY.get(key.strip())
    if spec is None:
        raise ValidationError(
            _("“{key}” is not a setting; “treffpunkt settings show” lists them.").format(
                key=key.strip()
            )
        )
    return spec


def read_all_settings(session: Session) -> dict[str, Value]:
    return {spec.key: spec.read(session) for spec in SETTINGS}


def show_settings(db: Database) -> dict[str, Value]:
    """Every setting by key, as shown (``None``: not set), in the order of ``SETTINGS``."""
    with db.read() as session:
        return read_all_settings(session)


def change_setting(db: Database, key: str, text: str) -> Value:
    """Set one setting from its text form in one transaction; returns the value now shown.

    An unknown key or a refused value raises ``TreffpunktError`` (ValidationError or the
    group's own error) before anything is written.
    """
    spec = setting_spec(key)
    value = spec.parse(text)
    with db.write() as session:
        spec.write(session, value)
        session.flush()
        return spec.read(session)
