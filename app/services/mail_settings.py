"""Mail settings (sender, how mail leaves, the SMTP server), stored as JSON under the ``smtp``
key of the settings table.

``mode`` says how mail leaves when nobody chooses otherwise (the command line without
``--smtp``/``--eml-dir``, the preselected way in the window): through the SMTP server, or as
``.eml`` drafts for Outlook in ``eml_dir`` (empty: ``default_drafts_dir()``).

The password is never part of these settings: it lives in the OS keyring only
(``app.mail.secrets``).
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy.orm import Session

from app.addresses import normalise_address, printable, single_line
from app.db import Database
from app.errors import MailError
from app.i18n import _
from app.services.settings import read_setting, write_setting

SETTINGS_KEY = "smtp"
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]")


class SmtpSecurity(enum.StrEnum):
    STARTTLS = "starttls"  # usually port 587
    SSL = "ssl"  # implicit TLS, usually port 465
    NONE = "none"  # only for a plain local relay; never carries a password


DEFAULT_PORTS = {SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465, SmtpSecurity.NONE: 25}
DEFAULT_RATE_PER_MINUTE = 20
MAX_RATE_PER_MINUTE = 600


class MailMode(enum.StrEnum):
    SMTP = "smtp"  # through the mail server
    EML = "eml"  # Outlook drafts (.eml files with X-Unsent: 1) in a folder


def default_drafts_dir() -> Path:
    """Where drafts go when no folder is set: "Treffpunkt-Entwürfe" in the documents folder."""
    return Path(platformdirs.user_documents_dir()) / "Treffpunkt-Entwürfe"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str = ""
    sender_name: str = ""
    sender_address: str = ""
    reply_to: str = ""
    timeout_seconds: float = 30.0
    mode: MailMode = MailMode.SMTP
    eml_dir: str = ""
    # At most this many messages per minute: providers throttle or block faster senders.
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE

    @property
    def drafts_dir(self) -> Path:
        """The folder for .eml drafts: the one set, else ``default_drafts_dir()``."""
        return Path(self.eml_dir).expanduser() if self.eml_dir else default_drafts_dir()

    @property
    def keyring_account(self) -> str:
        """The keyring user name: "user@host" (one password per account and server)."""
        return f"{self.username}@{self.host}"

    @property
    def has_server(self) -> bool:
        return bool(self.host)

    def validated(self) -> SmtpSettings:
        """Normalised copy; raises ``MailError`` with a clear sentence when a value is wrong."""
        host = self.host.strip()
        if host and not _HOST.fullmatch(host):
            raise MailError(_("“{host}” is not a valid server name.").format(host=printable(host)))
        if not 1 <= int(self.port) <= 65535:
            raise MailError(_("The port must be a number from 1 to 65535."))
        if not 1 <= int(self.rate_per_minute) <= MAX_RATE_PER_MINUTE:
            raise MailError(
                _("The sending rate must be from 1 to {most} messages per minute.").format(
                    most=MAX_RATE_PER_MINUTE
                )
            )
        security = SmtpSecurity(self.security)
        username = self.username.strip()
        if any(ch in username for ch in "\r\n\x00"):
            raise MailError(_("The user name must not contain line breaks."))
        if security is SmtpSecurity.NONE and username:
            raise MailError(
                _(
                    "A user name needs STARTTLS or SSL: Treffpunkt never sends a password "
                    "unencrypted."
                )
            )
        sender_address = (
            normalise_address(self.sender_address) if self.sender_address.strip() else ""
        )
        reply_to = normalise_address(self.reply_to) if self.reply_to.strip() else ""
        eml_dir = self.eml_dir.strip()
        if any(ch in eml_dir for ch in "\r\n\x00"):
            raise MailError(_("The folder for the drafts must not contain line breaks."))
        return replace(
            self,
            host=host.lower(),
            port=int(self.port),
            security=security,
            username=username,
            sender_name=single_line(self.sender_name),
            sender_address=sender_address,
            reply_to=reply_to,
            timeout_seconds=max(1.0, float(self.timeout_seconds)),
            mode=MailMode(self.mode),
            eml_dir=eml_dir,
            rate_per_minute=int(self.rate_per_minute),
        )


def _from_json(value: Any) -> SmtpSettings:
    if not isinstance(value, dict):
        return SmtpSettings()
    known = {name: value[name] for name in SmtpSettings.__dataclass_fields__ if name in value}
    try:
        settings = SmtpSettings(**known)
        return replace(
            settings,
            security=SmtpSecurity(settings.security),
            port=int(settings.port),
            mode=MailMode(settings.mode),
            rate_per_minute=min(max(1, int(settings.rate_per_minute)), MAX_RATE_PER_MINUTE),
        )
    except (TypeError, ValueError):
        return SmtpSettings()


def read_smtp_settings(session: Session) -> SmtpSettings:
    return _from_json(read_setting(session, SETTINGS_KEY, None))


def load_smtp_settings(db: Database) -> SmtpSettings:
    with db.read() as session:
        return read_smtp_settings(session)


def write_smtp_settings(session: Session, settings: SmtpSettings) -> SmtpSettings:
    """Validate and store inside an open write session; returns what was stored."""
    settings = settings.validated()
    value = asdict(settings)
    value["security"] = settings.security.value
    value["mode"] = settings.mode.value
    write_setting(session, SETTINGS_KEY, value)
    return settings


def save_smtp_settings(db: Database, settings: SmtpSettings) -> SmtpSettings:
    """Validate and store; returns what was stored. Never stores a password."""
    settings = settings.validated()
    with db.write() as session:
        return write_smtp_settings(session, settings)
