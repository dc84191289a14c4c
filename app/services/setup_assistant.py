"""The set-up assistant of a new database: when it is due, and storing its answers at once.

It is offered once per database: on the first opening of a database that holds nothing yet
(no people, organisations or meetings) and where it was neither completed nor skipped
(setting ``setup_assistant``: ``{"outcome": "completed"|"skipped", "at": ISO time}``). The
demo network counts as set up. Every step may be skipped: an answer left as ``None`` keeps
what is stored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Meeting, Organisation, Person, Venue
from app.services.letterhead import (
    LetterheadFields,
    read_letterhead_fields,
    write_letterhead_fields,
)
from app.services.mail_settings import SmtpSettings, read_smtp_settings, write_smtp_settings
from app.services.planning.defaults import (
    MeetingDefaults,
    read_meeting_defaults,
    write_meeting_defaults,
)
from app.services.settings import read_setting, write_setting
from app.services.venues import find_or_create_venue
from app.text import nfc

SETUP_KEY = "setup_assistant"


class SetupOutcome(enum.StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SenderAnswer:
    name: str
    address: str
    reply_to: str = ""


@dataclass(frozen=True, slots=True)
class UsualMeeting:
    """The usual venue (found by name or added, with its address) and time."""

    venue_name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    start: time = time(18, 0)
    duration_minutes: int = 120


@dataclass(frozen=True, slots=True)
class SetupAnswers:
    """What the assistant asks; ``None``: the step was skipped (the stored value stays).

    ``mail`` carries the way out (``mode``, ``eml_dir``) and the server; its sender fields
    are ignored (``sender`` sets them).
    """

    letterhead: LetterheadFields | None = None
    sender: SenderAnswer | None = None
    mail: SmtpSettings | None = None
    meeting: UsualMeeting | None = None


def read_setup_outcome(session: Session) -> SetupOutcome | None:
    value = read_setting(session, SETUP_KEY, None)
    if isinstance(value, dict):
        try:
            return SetupOutcome(str(value.get("outcome")))
        except ValueError:
            return None
    return None


def mark_setup(session: Session, outcome: SetupOutcome, now: datetime | None = None) -> None:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    write_setting(session, SETUP_KEY, {"outcome": outcome.value, "at": moment.isoformat()})


def _is_empty(session: Session) -> bool:
    return not any(
        session.scalar(select(func.count()).select_from(model))
        for model in (Person, Organisation, Meeting)
    )


def setup_due(db: Database) -> bool:
    """True on a database nobody has set up or filled yet (see the module docstring)."""
    with db.read() as session:
        return read_setup_outcome(session) is None and _is_empty(session)


def skip_setup(db: Database) -> None:
    """The user closed the assistant: do not offer it again for this database."""
    with db.write() as session:
        mark_setup(session, SetupOutcome.SKIPPED)


def load_setup_answers(db: Database) -> SetupAnswers:
    """What is stored now, to prefill the assistant when it is opened again."""
    with db.read() as session:
        smtp = read_smtp_settings(session)
        defaults = read_meeting_defaults(session)
        venue = session.get(Venue, defaults.venue_id) if defaults.venue_id else None
        return SetupAnswers(
            letterhead=read_letterhead_fields(session),
            sender=SenderAnswer(smtp.sender_name, smtp.sender_address, smtp.reply_to),
            mail=smtp,
            meeting=UsualMeeting(
                venue_name=venue.name if venue else "",
                street=venue.street if venue else "",
                postcode=venue.postcode if venue else "",
                city=venue.city if venue else "",
                start=defaults.start,
                duration_minutes=defaults.duration_minutes,
            ),
        )


def _write_meeting(session: Session, meeting: UsualMeeting) -> None:
    stored = read_meeting_defaults(session)
    venue_id = stored.venue_id
    if nfc(meeting.venue_name):
        venue = find_or_create_venue(session, meeting.venue_name)
        # An address typed here fills in the venue; empty fields keep what it has.
        for field in ("street", "postcode", "city"):
            typed = nfc(getattr(meeting, field))
            if typed:
                setattr(venue, field, typed)
        venue_id = venue.id
    write_meeting_defaults(
        session,
        MeetingDefaults(
            organiser_id=stored.organiser_id,
            venue_id=venue_id,
            start=meeting.start,
            duration_minutes=meeting.duration_minutes,
        ),
    )


def finish_setup(db: Database, answers: SetupAnswers) -> None:
    """Store every answered step and mark the assistant completed, in one transaction.

    A refused value (``TreffpunktError``) leaves everything as it was.
    """
    with db.write() as session:
        if answers.letterhead is not None:
            write_letterhead_fields(session, answers.letterhead, name_required=True)
        if answers.sender is not None or answers.mail is not None:
            smtp = read_smtp_settings(session)
            if answers.mail is not None:
                mail = answers.mail
                smtp = replace(
                    mail,
                    sender_name=smtp.sender_name,
                    sender_address=smtp.sender_address,
                    reply_to=smtp.reply_to,
                )
            if answers.sender is not None:
                smtp = replace(
                    smtp,
                    sender_name=answers.sender.name,
                    sender_address=answers.sender.address,
                    reply_to=answers.sender.reply_to,
                )
            write_smtp_settings(session, smtp)
        if answers.meeting is not None:
            _write_meeting(session, answers.meeting)
        mark_setup(session, SetupOutcome.COMPLETED)
