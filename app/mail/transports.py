"""Ways out for finished messages: an SMTP server, or ``.eml`` drafts in a folder.

A transport is used as ``with transport: transport.deliver(envelope)`` for a whole batch.
What ``deliver`` raises tells the outbox what happened to the message:

- returns: the server accepted it (250 after DATA) or the draft file is in place;
- ``DeliveryRefusedError``: the server answered with an error for this message; not delivered;
- ``TransportError`` (and ``TlsError``, ``LoginRefusedError``): the server cannot be used at all
  (unreachable, TLS or login failed, connection lost before the message was handed over);
  not delivered, and the batch stops;
- ``DeliveryUncertainError``: the connection broke after the message body went out and before the
  server's final answer; it may have been delivered.

SMTP is spoken step by step (MAIL, RCPT, DATA) rather than through ``sendmail``: with one
recipient a refused RCPT is a refusal of the whole message (``sendmail`` would return partial
refusals as a dict instead of raising), and only this way can a broken connection before DATA
(safe to retry on a new connection) be told from one during DATA (uncertain).
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
import tempfile
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Protocol

from app.addresses import BIDI_CONTROLS, printable, safe_filename, single_line
from app.i18n import _
from app.mail.compose import message_bytes
from app.mail.errors import (
    DeliveryRefusedError,
    DeliveryUncertainError,
    LoginRefusedError,
    MailError,
    TlsError,
    TransportError,
)
from app.services.mail_settings import SmtpSecurity, SmtpSettings


@dataclass(frozen=True, slots=True)
class Envelope:
    """One message and its SMTP envelope; ``outbox_id`` names draft files."""

    outbox_id: int
    sender: str
    recipient: str
    message: EmailMessage
    label: str = ""  # a readable hint for file names: the recipient's name


class Transport(Protocol):
    #: True when delivering only writes drafts the user still has to send.
    writes_drafts: bool
    #: At most this many deliveries per minute (``send_outbox`` waits); 0: no limit.
    rate_per_minute: int

    def __enter__(self) -> Transport: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def open(self) -> None:
        """Connect / check the target; raises ``TransportError`` before anything is sent."""

    def deliver(self, envelope: Envelope) -> None: ...

    def close(self) -> None: ...


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return single_line(f"{code} {text}")


_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


class SmtpTransport:
    """SMTP with certificates always verified; one connection reused for the batch.

    ``security`` STARTTLS or SSL use ``ssl.create_default_context()`` (a bare ``starttls()``
    would not verify the certificate); a server without STARTTLS is refused, never used in
    plain text. ``NONE`` is for a plain local relay and never logs in.
    ``ssl_context`` exists for tests that trust their own test CA.
    """

    writes_drafts = False

    def __init__(
        self,
        settings: SmtpSettings,
        password: str | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = settings
        self.rate_per_minute = settings.rate_per_minute
        self._password = password
        self._context = ssl_context
        self._connection: smtplib.SMTP | None = None

    def __repr__(self) -> str:  # never shows the password
        s = self.settings
        return f"<SmtpTransport {s.host}:{s.port} {s.security.value} user={s.username!r}>"

    def __enter__(self) -> SmtpTransport:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- connecting --------------------------------------------------------------------------

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _tls_context(self) -> ssl.SSLContext:
        return self._context or ssl.create_default_context()

    def open(self) -> None:
        if self._connection is not None:
            return
        settings = self.settings
        if not settings.host:
            raise TransportError(
                _(
                    "No mail server is set up. Enter it under Extras ▸ Settings ▸ Sender & "
                    "delivery, or with “treffpunkt settings set mail.smtp_host HOST”."
                )
            )
        if settings.security is SmtpSecurity.NONE and (settings.username or self._password):
            raise TransportError(
                _("Treffpunkt never sends a password unencrypted: choose STARTTLS or SSL.")
            )
        connection: smtplib.SMTP | None = None
        try:
            if settings.security is SmtpSecurity.SSL:
                connection = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=settings.timeout_seconds,
                    context=self._tls_context(),
                )
            else:
                connection = smtplib.SMTP(
                    settings.host, settings.port, timeout=settings.timeout_seconds
                )
            connection.ehlo()
            if settings.security is SmtpSecurity.STARTTLS:
                if not connection.has_extn("starttls"):
                    raise TlsError(
                        _(
                            "The mail server {server} does not offer STARTTLS; nothing was sent."
                        ).format(server=self._where())
                    )
                connection.starttls(context=self._tls_context())
                connection.ehlo()
            if settings.username:
                self._login(connection)
        except TransportError:
            self._drop(connection)
            raise
        except ssl.SSLCertVerificationError as exc:
            self._drop(connection)
            raise TlsError(
                _(
                    "The certificate of the mail server {server} could not be verified "
                    "({reason}); nothing was sent."
                ).format(
                    server=self._where(), reason=printable(exc.verify_message or str(exc), 200)
                )
            ) from None
        except ssl.SSLError as exc:
            self._drop(connection)
            raise TlsError(
                _(
                    "The encrypted connection to the mail server {server} failed ({reason}); "
                    "nothing was sent."
                ).format(server=self._where(), reason=printable(exc.reason or str(exc), 200))
            ) from None
        except smtplib.SMTPResponseException as exc:
            self._drop(connection)
            raise TransportError(
                _("The mail server {server} refused the connection: {answer}").format(
                    server=self._where(), answer=printable(_answer(exc.smtp_code, exc.smtp_error))
                )
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._drop(connection)
            raise TransportError(
                _(
                    "The mail server {server} cannot be reached ({reason}). Check the server "
                    "name, the port and the network."
                ).format(
                    server=self._where(), reason=printable(str(exc) or type(exc).__name__, 200)
                )
            ) from None
        self._connection = connection

    def _login(self, connection: smtplib.SMTP) -> None:
        if self._password is None:
            raise LoginRefusedError(_("The password for the mail server is missing."))
        try:
            connection.login(self.settings.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            raise LoginRefusedError(
                _("The mail server {server} refused the login for {user}: {answer}").format(
                    server=self._where(),
                    user=printable(self.settings.username),
                    answer=printable(_answer(exc.smtp_code, exc.smtp_error)),
                )
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise LoginRefusedError(
                _("The mail server {server} does not accept a login.").format(server=self._where())
            ) from None

    @staticmethod
    def _drop(connection: smtplib.SMTP | None) -> None:
        if connection is None:
            return
        with contextlib.suppress(Exception):
            connection.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except Exception:
            self._drop(connection)

    # -- sending -----------------------------------------------------------------------------

    def deliver(self, envelope: Envelope) -> None:
        data = message_bytes(envelope.message)
        for attempt in (1, 2):
            self.open()
            assert self._connection is not None
            try:
                self._send(self._connection, envelope, data)
                return
            except smtplib.SMTPServerDisconnected:
                # Lost before DATA: the server has nothing of this message; try a new connection.
                self._drop(self._connection)
                self._connection = None
                if attempt == 2:
                    raise TransportError(
                        _("The mail server {server} closed the connection.").format(
                            server=self._where()
                        )
                    ) from None
            except OSError as exc:  # a socket error or timeout before DATA
                self._drop(self._connection)
                self._connection = None
                if attempt == 2:
                    raise TransportError(
                        _("The connection to the mail server {server} failed ({reason}).").format(
                            server=self._where(), reason=printable(str(exc) or type(exc).__name__)
                        )
                    ) from None

    def _refused(
        self, connection: smtplib.SMTP, code: int, text: bytes | str
    ) -> DeliveryRefusedError:
        if code == 421:  # the server closes the connection: the next try needs a new one
            self._drop(connection)
            self._connection = None
        else:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.rset()
        return DeliveryRefusedError(_answer(code, text))

    def _send(self, connection: smtplib.SMTP, envelope: Envelope, data: bytes) -> None:
        connection.ehlo_or_helo_if_needed()
        code, text = connection.mail(envelope.sender)
        if code != 250:
            raise self._refused(connection, code, text)
        code, text = connection.rcpt(envelope.recipient)
        if code not in (250, 251):
            raise self._refused(connection, code, text)
        connection.putcmd("data")
        code, text = connection.getreply()
        if code != 354:
            raise self._refused(connection, code, text)
        # From here on the server may hold the message: a broken line is no longer "not sent".
        payload = _DOT_AT_LINE_START.sub(b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        try:
            connection.send(payload + b".\r\n")
            code, text = connection.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop(connection)
            self._connection = None
            raise DeliveryUncertainError(
                _(
                    "The connection broke while the message was being handed over ({reason}); "
                    "it may or may not have been delivered."
                ).format(reason=printable(str(exc) or type(exc).__name__))
            ) from None
        if code != 250:
            raise self._refused(connection, code, text)


# -- .eml drafts -------------------------------------------------------------------------------


def drafts_folder(text: str, *, allow_relative: bool = False) -> Path:
    """The folder typed for ``.eml`` drafts, checked: a ``MailError`` says what is wrong.

    Refused: nothing typed; control characters and bidirectional controls (a right-to-left
    override makes a path read differently from where it leads); in the window a bare name
    or a relative path, which would land in whatever the working folder happens to be
    (*allow_relative* is for the command line, where that folder is the user's choice).
    ``~`` means the home folder.
    """
    cleaned = text.strip()
    if not cleaned:
        raise MailError(_("Choose a folder for the drafts first."))
    if any(ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise MailError(
            _(
                "The folder name contains invisible control characters (e.g. a "
                "right-to-left mark); type it again or choose it with “Choose…”."
            )
        )
    folder = Path(cleaned).expanduser()
    if not folder.is_absolute():
        if not allow_relative:
            raise MailError(
                _(
                    "“{folder}” is not a complete folder path; choose the folder with "
                    "“Choose…” or type its whole path (e.g. {example})."
                ).format(folder=cleaned, example=Path.home() / "Entwürfe")
            )
        folder = folder.absolute()
    return folder


class EmlTransport:
    """One ``.eml`` per message in a folder, with ``X-Unsent: 1`` so Outlook opens a draft.

    File names: "0042 Ayşe Yılmaz.eml" (outbox number + recipient), safe on Windows, never
    overwriting: a taken name gets " (2)", " (3)" … Each file is written to a temporary file in
    the same folder, flushed to disk and then renamed, so a crash never leaves half a draft.
    The messages must already carry ``X-Unsent`` (``build_message(..., unsent_draft=True)``).
    """

    writes_drafts = True
    rate_per_minute = 0  # files in a folder: no provider to throttle

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.written: list[Path] = []

    def __repr__(self) -> str:
        return f"<EmlTransport {self.folder}>"

    def __enter__(self) -> EmlTransport:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.folder, suffix=".tmp", delete=False)  # noqa: SIM115
            probe.close()
            Path(probe.name).unlink()
        except OSError as exc:
            raise TransportError(
                _("The drafts cannot be written to {folder} ({reason}).").format(
                    folder=self.folder, reason=printable(exc.strerror or str(exc))
                )
            ) from None

    def close(self) -> None:
        pass

    def _target(self, envelope: Envelope) -> Path:
        label = safe_filename(envelope.label or envelope.recipient, "message")[:80].rstrip(" .")
        stem = f"{envelope.outbox_id:04d} {label}"
        candidate = self.folder / f"{stem}.eml"
        counter = 2
        while candidate.exists():
            candidate = self.folder / f"{stem} ({counter}).eml"
            counter += 1
        return candidate

    def deliver(self, envelope: Envelope) -> None:
        if envelope.message.get("X-Unsent") != "1":
            envelope.message["X-Unsent"] = "1"
        data = message_bytes(envelope.message)
        try:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
                dir=self.folder, prefix=".draft-", suffix=".tmp", delete=False
            )
            temporary = Path(handle.name)
            try:
                with handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                target = self._target(envelope)
                os.replace(temporary, target)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TransportError(
                _("The draft could not be written to {folder} ({reason}).").format(
                    folder=self.folder, reason=printable(exc.strerror or str(exc))
                )
            ) from None
        self.written.append(target)
