"""Building one personal e-mail (stdlib ``email``, policy SMTP) from plain data.

Exactly one recipient per message. Header values pass through ``app.addresses``: the
recipient and sender are strict single addresses, names and the subject are squeezed onto one
line, and the ``email`` package encodes non-ASCII (RFC 2047/2231), so nothing a user typed can
add a header or a recipient. The body is UTF-8 quoted-printable and attachments base64, so the
whole message is 7-bit and needs no SMTP extensions.
"""

from __future__ import annotations

import email.policy
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from app.addresses import (
    address_domain,
    normalise_address,
    printable,
    safe_filename,
    single_line,
)
from app.i18n import _
from app.mail.errors import MailError

# CRLF line ends as SMTP wants them; 78-column folding.
POLICY = email.policy.SMTP
CALENDAR_MIME = "text/calendar"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file for a mail: ``mime_type`` may carry parameters ("text/calendar; method=REQUEST")."""

    filename: str
    mime_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Sender:
    name: str
    address: str
    reply_to: str = ""


@dataclass(frozen=True, slots=True)
class MailDraft:
    """Everything of one message except the sender, as stored in the outbox."""

    recipient: str
    recipient_name: str
    subject: str
    body: str
    message_id: str
    attachments: tuple[Attachment, ...] = ()


def new_message_id(sender_address: str) -> str:
    """A fresh ``<…@domain>`` Message-ID in the sender's domain; generated once per outbox row."""
    return make_msgid(domain=address_domain(normalise_address(sender_address)))


def _split_mime(mime_type: str) -> tuple[str, str, dict[str, str]]:
    head, *param_parts = single_line(mime_type).split(";")
    maintype, slash, subtype = head.strip().lower().partition("/")
    if (
        not slash
        or not maintype
        or not subtype
        or not (maintype + subtype).replace("-", "").replace(".", "").replace("+", "").isalnum()
    ):
        raise MailError(_("“{mime}” is not a valid file type.").format(mime=printable(mime_type)))
    params: dict[str, str] = {}
    for part in param_parts:
        name, eq, value = part.partition("=")
        if eq and name.strip():
            params[name.strip().lower()] = value.strip().strip('"')
    return maintype, subtype, params


def _address(name: str, address: str) -> Address:
    return Address(display_name=single_line(name), addr_spec=normalise_address(address))


def build_message(
    draft: MailDraft,
    sender: Sender,
    *,
    date: datetime | None = None,
    unsent_draft: bool = False,
) -> EmailMessage:
    """The complete message; ``unsent_draft`` adds ``X-Unsent: 1`` (Outlook opens a draft)."""
    message = EmailMessage(policy=POLICY)
    message["From"] = _address(sender.name, sender.address)
    message["To"] = _address(draft.recipient_name, draft.recipient)
    if sender.reply_to:
        message["Reply-To"] = _address(sender.name, sender.reply_to)
    message["Subject"] = single_line(draft.subject)
    message["Date"] = format_datetime((date or datetime.now(UTC)).astimezone())
    message_id = single_line(draft.message_id)
    if not (message_id.startswith("<") and message_id.endswith(">") and "@" in message_id):
        raise MailError(_("The message has an invalid Message-ID."))
    message["Message-ID"] = message_id
    if unsent_draft:
        message["X-Unsent"] = "1"
    body = draft.body.replace("\r\n", "\n").replace("\r", "\n")
    message.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    for attachment in draft.attachments:
        maintype, subtype, params = _split_mime(attachment.mime_type)
        if (maintype, subtype) == ("text", "calendar"):
            params.setdefault("charset", "utf-8")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=safe_filename(attachment.filename, "attachment"),
            params=params,
        )
    return message


# The stdlib folder sometimes emits "Subject:" CRLF SP value when the value alone fits a line
# (a subject of about 70-78 characters); readers then show a leading blank.
_EMPTY_FIRST_LINE = re.compile(rb"(?m)^([A-Za-z][A-Za-z0-9-]*):\r\n[ \t]+")


def message_bytes(message: EmailMessage) -> bytes:
    """The message as SMTP wants it (CRLF, folded headers, 7-bit)."""
    data = message.as_bytes(policy=POLICY)
    head, sep, rest = data.partition(b"\r\n\r\n")
    # Joining "Name:" CRLF SP value into "Name: value" is exactly RFC 5322 unfolding.
    return _EMPTY_FIRST_LINE.sub(rb"\1: ", head) + sep + rest
