"""``ics ID -o FILE`` and ``mail {invitations,reminders,minutes} ID [--smtp [HOST:PORT] |
--eml-dir DIR]``.

``--smtp HOST:PORT`` is a plain local relay (no encryption, no login); ``--smtp`` alone uses
the server from the mail settings with the password from the keyring (asked for on a terminal
when the keyring has none). Without either, the settings decide (``mail.mode``: the server,
or drafts in ``mail.eml_dir``). Each run queues what is missing, then sends everything queued for
the meeting; failed messages stay in the outbox (``--retry-failed`` sends them again), and
messages whose delivery is uncertain after a crash wait for ``--uncertain sent|resend``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.addresses import printable
from app.cli.common import opened_database
from app.db import Database
from app.errors import TreffpunktError
from app.i18n import _, ngettext, pgettext
from app.mail.documents import attachments_for
from app.mail.errors import KeyringUnavailableError, MailError
from app.mail.mailings import (
    QueueReport,
    organiser_calendar,
    queue_invitations,
    queue_minutes,
)
from app.mail.outbox import (
    SendReport,
    list_outbox,
    resolve_uncertain,
    retry_failed,
    send_outbox,
)
from app.mail.secrets import load_password
from app.mail.transports import EmlTransport, SmtpTransport, Transport, drafts_folder
from app.models import MeetingState, OutboxKind, OutboxState
from app.services.mail_settings import MailMode, SmtpSecurity, SmtpSettings, load_smtp_settings
from app.services.meetings import get_meeting

_SETTINGS = "settings"


def register(commands: Any) -> None:
    ics = commands.add_parser("ics", help=_("write the organiser's calendar file of a meeting"))
    ics.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
    ics.add_argument(
        "-o",
        "--output",
        required=True,
        metavar=pgettext("metavar", "FILE"),
        help=_("the .ics file"),
    )
    ics.set_defaults(handler=run_ics)

    mail = commands.add_parser("mail", help=_("send invitations, reminders or minutes"))
    actions = mail.add_subparsers(
        dest="action", metavar=pgettext("metavar", "ACTION"), required=True
    )
    for name, help_text in (
        ("invitations", _("invitations, updates or the cancellation of a meeting")),
        ("reminders", _("remind invitees who have not answered")),
        ("minutes", _("the minutes to the attendees and the informed-only list")),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
        way = action.add_mutually_exclusive_group()
        way.add_argument(
            "--smtp",
            nargs="?",
            const=_SETTINGS,
            metavar=pgettext("metavar", "HOST:PORT"),
            help=_(
                "send through a plain local relay HOST:PORT; without a value through the "
                "server in the mail settings"
            ),
        )
        way.add_argument(
            "--eml-dir",
            metavar=pgettext("metavar", "DIR"),
            help=_(
                "write .eml drafts for Outlook into DIR (without --smtp or --eml-dir: as "
                "mail.mode in the settings says)"
            ),
        )
        action.add_argument(
            "--retry-failed", action="store_true", help=_("send failed messages again")
        )
        action.add_argument(
            "--uncertain",
            choices=("sent", "resend"),
            help=_(
                "decide about messages whose delivery is uncertain after a crash: count "
                "them as sent, or send them again"
            ),
        )
        if name == "minutes":
            action.add_argument(
                "--informed",
                action="append",
                default=None,
                metavar=pgettext("metavar", "ADDRESS"),
                help=_("an informed-only recipient (repeatable; default: the minutes' list)"),
            )
        action.set_defaults(handler=run_mail, mail_kind=name)


# -- ics -------------------------------------------------------------------------------------


def write_file_atomically(path: Path, data: bytes) -> None:
    folder = path.resolve().parent
    if not folder.is_dir():
        raise TreffpunktError(_("The folder {folder} does not exist.").format(folder=folder))
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False)  # noqa: SIM115
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def run_ics(args: argparse.Namespace) -> int:
    with opened_database(args) as database:
        data = organiser_calendar(database, args.meeting_id)
    try:
        write_file_atomically(Path(args.output), data)
    except OSError as exc:
        raise TreffpunktError(
            _("{path} cannot be written: {reason}").format(
                path=args.output, reason=exc.strerror or exc
            )
        ) from None
    print(_("Calendar file written: {path}").format(path=args.output))
    return 0


# -- mail ------------------------------------------------------------------------------------


def parse_relay(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise TreffpunktError(
            _("“{value}” is not HOST:PORT, e.g. localhost:25.").format(value=printable(value))
        )
    return host, int(port)


def make_transport(database: Database, args: argparse.Namespace) -> Transport:
    if args.eml_dir:
        return EmlTransport(drafts_folder(args.eml_dir, allow_relative=True))
    if args.smtp is not None and args.smtp != _SETTINGS:
        host, port = parse_relay(args.smtp)
        return SmtpTransport(SmtpSettings(host=host, port=port, security=SmtpSecurity.NONE))
    settings = load_smtp_settings(database)
    if args.smtp is None and settings.mode is MailMode.EML:
        return EmlTransport(settings.drafts_dir)
    if not settings.host:
        raise MailError(
            _(
                "No mail server is set up. Enter it under Extras ▸ Settings ▸ Sender & "
                "delivery, or with “treffpunkt settings set mail.smtp_host HOST”."
            )
        )
    password = None
    if settings.username:
        try:
            password = load_password(settings)
        except KeyringUnavailableError:
            password = None
        if password is None:
            if not sys.stdin or not sys.stdin.isatty():
                raise MailError(
                    _("No password for {account} is saved in the keyring.").format(
                        account=settings.keyring_account
                    )
                )
            try:
                password = getpass.getpass(
                    _("Password for {account}: ").format(account=settings.keyring_account)
                )
            except EOFError:  # Ctrl+D (Ctrl+Z on Windows) instead of a password
                print(file=sys.stderr)  # the prompt left the cursor on its line
                raise MailError(_("No password was entered; nothing was sent.")) from None
    return SmtpTransport(settings, password)


_KINDS = {
    "invitations": (OutboxKind.INVITATION, OutboxKind.UPDATE, OutboxKind.CANCELLATION),
    "reminders": (OutboxKind.REMINDER,),
    "minutes": (OutboxKind.MINUTES,),
}


def _queue(database: Database, args: argparse.Namespace) -> QueueReport:
    meeting_id = args.meeting_id
    if args.mail_kind == "minutes":
        return queue_minutes(
            database,
            meeting_id,
            informed_only=args.informed,
            attachments_for=attachments_for(database, "minutes", meeting_id),
        )
    if args.mail_kind == "reminders":
        kind = OutboxKind.REMINDER
    elif get_meeting(database, meeting_id).state is MeetingState.CANCELLED:
        kind = OutboxKind.CANCELLATION
    else:
        kind = OutboxKind.INVITATION
    return queue_invitations(
        database,
        meeting_id,
        kind=kind,
        attachments_for=attachments_for(database, args.mail_kind, meeting_id),
    )


def _print_queue(report: QueueReport) -> None:
    print(
        ngettext("{n} new message queued.", "{n} new messages queued.", len(report.queued)).format(
            n=len(report.queued)
        )
    )
    for skipped in report.skipped:
        who = skipped.name or skipped.address or "?"
        print(_("  skipped: {who} ({reason})").format(who=who, reason=skipped.reason_text))
    if report.for_letter:
        print(
            ngettext(
                "{n} person needs a letter instead.",
                "{n} people need a letter instead.",
                len(report.for_letter),
            ).format(n=len(report.for_letter))
        )


def _print_send(report: SendReport) -> None:
    for result in report.results:
        who = (
            f"{result.recipient_name} <{result.recipient}>"
            if result.recipient_name
            else (result.recipient)
        )
        if result.state is OutboxState.SENT:
            status = _("draft written") if report.drafts else _("sent")
        else:
            status = _("failed: {error}").format(error=result.error)
        print(f"  {who}: {status}")
    for result in report.uncertain:
        who = result.recipient_name or result.recipient
        print(
            _("  {who}: uncertain, may have been sent (message {id})").format(
                who=who, id=result.outbox_id
            )
        )
    print(report.summary())


def run_mail(args: argparse.Namespace) -> int:
    kinds = _KINDS[args.mail_kind]
    with opened_database(args) as database:
        transport = make_transport(database, args)
        if args.uncertain:
            pending = [
                row.id
                for row in list_outbox(
                    database,
                    meeting_id=args.meeting_id,
                    kinds=kinds,
                    states=(OutboxState.SENDING,),
                )
            ]
            resolve_uncertain(database, pending, delivered=args.uncertain == "sent")
        if args.retry_failed:
            retry_failed(database, meeting_id=args.meeting_id, kinds=kinds)
        _print_queue(_queue(database, args))
        report = send_outbox(database, transport, meeting_id=args.meeting_id, kinds=kinds)
    _print_send(report)
    if report.ok:
        return 0
    if report.interrupted:
        line = _(
            "sending stopped ({reason}); the rest stays in the outbox, run the command "
            "again to resume."
        ).format(reason=report.interrupted)
    elif report.uncertain:
        line = ngettext(
            "{n} message may or may not have been sent; check and run again with "
            "--uncertain sent or --uncertain resend.",
            "{n} messages may or may not have been sent; check and run again with "
            "--uncertain sent or --uncertain resend.",
            len(report.uncertain),
        ).format(n=len(report.uncertain))
    else:
        line = ngettext(
            "{n} message could not be sent; it stays in the outbox (run again with "
            "--retry-failed).",
            "{n} messages could not be sent; they stay in the outbox (run again with "
            "--retry-failed).",
            len(report.failed),
        ).format(n=len(report.failed))
    print(_("treffpunkt: {message}").format(message=line), file=sys.stderr)
    return 1
