"""Who receives the minutes ("Verteiler"): attendees present, the excused, and "informed only".

Informed only (``Minutes.informed_only``): one entry per line (or separated by ";"),
"Name <address>", a bare address, or just a name (someone who gets a printed copy).

Each recipient appears at most once: a person once (present wins over excused over informed
only), an address once (compared ignoring case), and an informed-only name without address not
again if a listed recipient has that name. People erased from the directory (anonymised
attendance) are not recipients.

``email`` serves the mailing; the PDF prints names only, so partners do not see each other's
addresses. An informed-only entry that is only an address has that address as its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.models import Attendance, AttendanceStatus, Meeting, Person
from app.services.directory import person_display_name
from app.services.minutes.common import find_minutes
from app.services.planning.common import load_meeting
from app.text import fold, nfc, sort_key


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    organisation: str = ""
    email: str | None = None
    person_id: int | None = None
    guest: bool = False


@dataclass(frozen=True, slots=True)
class Distribution:
    attendees: tuple[Recipient, ...]  # present, directory people and guests
    excused: tuple[Recipient, ...]
    informed_only: tuple[Recipient, ...]

    @property
    def everyone(self) -> tuple[Recipient, ...]:
        return self.attendees + self.excused + self.informed_only


_ANGLE = re.compile(r"^(?P<name>.*?)<(?P<address>[^<>\s]+@[^<>\s]+)>\s*$")


def _entry(line: str) -> Recipient:
    angle = _ANGLE.match(line)
    if angle is not None:
        name = nfc(angle.group("name").strip().strip('"').strip())
        address = angle.group("address")
        return Recipient(name or address, email=address)
    if "@" in line:
        # A bare address, or one with a comment: "foerderung@krefeld.example (Fördermittel)".
        name, address = parseaddr(line)
        if address and "@" in address and " " not in address:
            return Recipient(nfc(name) or address, email=address)
    return Recipient(line)  # a name only: gets a printed copy


def parse_informed_only(text: str) -> list[Recipient]:
    """The "informed only" entries as recipients: one per line (or separated by ";"),
    "Name <address>" (the name may contain commas), a bare address, or a name only."""
    return [
        _entry(line) for raw in (text or "").replace(";", "\n").splitlines() if (line := nfc(raw))
    ]


class _Seen:
    def __init__(self) -> None:
        self.people: set[int] = set()
        self.addresses: set[str] = set()
        self.names: set[str] = set()

    def admit(self, recipient: Recipient, *, by_name: bool = False) -> bool:
        """True the first time a recipient comes; remembers it."""
        address = recipient.email.casefold() if recipient.email else None
        if recipient.person_id is not None and recipient.person_id in self.people:
            return False
        if address is not None and address in self.addresses:
            return False
        if by_name and fold(recipient.name) in self.names:
            return False
        if recipient.person_id is not None:
            self.people.add(recipient.person_id)
        if address is not None:
            self.addresses.add(address)
        self.names.add(fold(recipient.name))
        return True


def _recipient(attendance: Attendance) -> tuple[str, Recipient]:
    person = attendance.person
    if person is not None:
        name = person_display_name(person.title, person.first_name, person.last_name)
        organisation = person.organisation.name if person.organisation else ""
        return person.name_key, Recipient(
            nfc(name), nfc(organisation), person.preferred_email, person.id
        )
    name = nfc(attendance.guest_name)
    return sort_key(name), Recipient(
        name,
        nfc(attendance.guest_organisation),
        nfc(attendance.guest_email) or None,
        None,
        guest=True,
    )


def distribution_in_session(session: Session, meeting: Meeting) -> Distribution:
    attendances = session.scalars(
        select(Attendance)
        .where(
            Attendance.meeting_id == meeting.id,
            Attendance.status.in_((AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED)),
            Attendance.anonymised.is_(False),
        )
        .options(
            selectinload(Attendance.person).selectinload(Person.organisation),
            selectinload(Attendance.person).selectinload(Person.emails),
        )
    ).all()
    seen = _Seen()
    groups: dict[AttendanceStatus, list[Recipient]] = {
        AttendanceStatus.PRESENT: [],
        AttendanceStatus.EXCUSED: [],
    }
    keyed = []
    for attendance in attendances:
        if attendance.person is None and not nfc(attendance.guest_name):
            continue
        key, recipient = _recipient(attendance)
        keyed.append((attendance.status is not AttendanceStatus.PRESENT, key, recipient))
    # Present before excused, so someone entered twice counts as present.
    for _excused, _key, recipient in sorted(keyed, key=lambda t: (t[0], t[1], t[2].name)):
        status = AttendanceStatus.EXCUSED if _excused else AttendanceStatus.PRESENT
        if seen.admit(recipient):
            groups[status].append(recipient)
    minutes = find_minutes(session, meeting.id)
    informed = [
        recipient
        for recipient in parse_informed_only(minutes.informed_only if minutes else "")
        if seen.admit(recipient, by_name=recipient.email is None)
    ]
    return Distribution(
        tuple(groups[AttendanceStatus.PRESENT]),
        tuple(groups[AttendanceStatus.EXCUSED]),
        tuple(informed),
    )


def distribution_list(db: Database, meeting_id: int) -> Distribution:
    """The minutes' recipients, each at most once (module docstring)."""
    with db.read() as session:
        return distribution_in_session(session, load_meeting(session, meeting_id))
