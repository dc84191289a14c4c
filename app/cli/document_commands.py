"""``pdf {invitation,signin,minutes,letters} ID -o FILE``: the documents of a meeting as PDFs.

``pdf letters ID -o FILE [--all]``: paper invitations in DIN 5008 form B for window envelopes,
one per invitee who cannot be reached by e-mail (``--all``: one per invitee). Who has no
usable postal address is listed on stderr (the PDF is still written: those letters are handed
over); exit 0.

Beyond the plain ``pdf KIND ID -o FILE``:

- ``pdf invitation ID -o FILE --letters``: one letter per invitee who cannot be mailed (no
  address, consent withdrawn, …), with the address for a window envelope; ``--person ID``
  (repeatable) prints letters for exactly these people.
- ``pdf signin ID -o FILE [--order alphabetical|organisation|accepted_first]
  [--declined omit|excused]
  [--blank-rows N]``.

The letterhead comes from the settings. The file is written atomically: on any error (unknown
meeting, missing folder, no permission) the command exits 1 with one line and leaves no file.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import opened_database
from app.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from app.db import Database
    from app.services.letterhead import Letterhead


def _blank_rows(text: str) -> int:
    from app.services.snapshots.signin import SigninOptions

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= SigninOptions.MAX_BLANK_ROWS:
        raise argparse.ArgumentTypeError(
            _("the number of blank rows must be between 0 and {max}").format(
                max=SigninOptions.MAX_BLANK_ROWS
            )
        )
    return value


def register(commands: Any) -> None:
    pdf = commands.add_parser("pdf", help=_("write a document of a meeting as PDF"))
    kinds = pdf.add_subparsers(
        dest="document", metavar=pgettext("metavar", "DOCUMENT"), required=True
    )

    invitation = kinds.add_parser("invitation", help=_("the invitation with the agenda"))
    letters = invitation.add_mutually_exclusive_group()
    letters.add_argument(
        "--letters",
        action="store_true",
        help=_(
            "one letter per invitee who cannot be reached by e-mail, addressed for a "
            "window envelope"
        ),
    )
    letters.add_argument(
        "--person",
        dest="person_ids",
        type=int,
        action="append",
        metavar=pgettext("metavar", "PERSON_ID"),
        help=_("a letter for this person (repeatable)"),
    )

    signin = kinds.add_parser("signin", help=_("the sign-in sheet (attendance list)"))
    signin.add_argument(
        "--order",
        choices=("alphabetical", "organisation", "accepted_first"),
        default="alphabetical",
        help=_(
            "one alphabetical list (default), grouped by organisation, or accepted first; "
            "groups have headings"
        ),
    )
    signin.add_argument(
        "--declined",
        choices=("omit", "excused"),
        default="omit",
        help=_("leave out those who declined (default) or list them as excused"),
    )
    signin.add_argument(
        "--blank-rows",
        type=_blank_rows,
        default=10,
        metavar=pgettext("metavar", "N"),
        help=_("empty rows for people who come without an invitation (default: 10)"),
    )

    minutes = kinds.add_parser("minutes", help=_("the minutes (marked as draft until final)"))
    minutes.add_argument(
        "--signatures",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_(
            "lines to sign for minute-taker and moderation under final minutes "
            "(default: as set for the meeting, on)"
        ),
    )

    letters_parser = kinds.add_parser(
        "letters",
        help=_("paper invitations (DIN 5008, window envelope) for invitees without e-mail"),
    )
    letters_parser.add_argument(
        "--all",
        dest="all_invitees",
        action="store_true",
        help=_("a letter for every invitee, not only for those without e-mail"),
    )

    for parser in (invitation, signin, minutes, letters_parser):
        parser.add_argument("meeting_id", type=int, metavar=pgettext("metavar", "ID"))
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar=pgettext("metavar", "FILE"),
            help=_("the PDF file to write"),
        )
        parser.set_defaults(handler=run_pdf)


def run_pdf(args: argparse.Namespace) -> int:
    # Imported here: ReportLab and the documents load only when a PDF is made.
    from app.services.letterhead import load_letterhead

    path = Path(args.output)
    with opened_database(args) as database:
        letterhead = load_letterhead(database)
        if args.document == "invitation":
            message = _write_invitation(database, args, letterhead, path)
        elif args.document == "signin":
            message = _write_signin(database, args, letterhead, path)
        elif args.document == "letters":
            message = _write_letters(database, args, path)
        else:
            message = _write_minutes(database, args, letterhead, path)
    print(message)
    return 0


def _written(path: Path) -> str:
    return _("PDF written: {path}").format(path=path)


def _write_invitation(
    database: Database, args: argparse.Namespace, letterhead: Letterhead | None, path: Path
) -> str:
    from app.documents.invitation import write_invitation
    from app.services.snapshots.invitation import build_invitation_snapshot

    snapshot = build_invitation_snapshot(
        database,
        args.meeting_id,
        letterhead=letterhead,
        letters=args.letters,
        person_ids=args.person_ids,
    )
    write_invitation(snapshot, path)
    if not snapshot.letters:
        return _written(path)
    count = len(snapshot.letters)
    return ngettext(
        "PDF with {n} letter written: {path}", "PDF with {n} letters written: {path}", count
    ).format(n=count, path=path)


def _write_letters(database: Database, args: argparse.Namespace, path: Path) -> str:
    from app.documents.invitation import write_letters
    from app.services.letters import letters_snapshot, no_address, no_address_message

    snapshot = letters_snapshot(database, args.meeting_id, all_invitees=args.all_invitees)
    missing = no_address(snapshot)
    if missing:
        print(no_address_message(missing), file=sys.stderr)
    write_letters(snapshot, path)
    count = len(snapshot.letters)
    return ngettext(
        "PDF with {n} letter written: {path}", "PDF with {n} letters written: {path}", count
    ).format(n=count, path=path)


def _write_signin(
    database: Database, args: argparse.Namespace, letterhead: Letterhead | None, path: Path
) -> str:
    from app.documents.signin import write_signin
    from app.services.snapshots.signin import SigninOptions, build_signin_snapshot

    options = SigninOptions(order=args.order, declined=args.declined, blank_rows=args.blank_rows)
    snapshot = build_signin_snapshot(database, args.meeting_id, options, letterhead=letterhead)
    write_signin(snapshot, path)
    return _written(path)


def _write_minutes(
    database: Database, args: argparse.Namespace, letterhead: Letterhead | None, path: Path
) -> str:
    from app.documents.minutes import write_minutes
    from app.services.snapshots.minutes import build_minutes_snapshot

    snapshot = build_minutes_snapshot(database, args.meeting_id, letterhead=letterhead)
    if args.signatures is not None:  # for this file only; the meeting's option stays
        snapshot = dataclasses.replace(snapshot, signature_lines=args.signatures)
    write_minutes(snapshot, path)
    if snapshot.draft:
        # Translators: after writing the minutes PDF of a draft.
        return _("{written} (draft)").format(written=_written(path))
    return _written(path)
