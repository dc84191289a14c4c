"""The plain frozen rows that cross from the attendance services into the window."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.i18n import N_, _, format_date
from app.models import AttendanceStatus, ConsentMethod, InvitationState

# How a stored consent was given, as the door mode says it: "laut Einwilligung vom
# 12.03.2025 (schriftlich)".
CONSENT_SOURCE_WAYS = {
    ConsentMethod.FORM: N_("in writing"),
    ConsentMethod.SIGNIN_SHEET: N_("on a sign-in sheet"),
    ConsentMethod.EMAIL: N_("by e-mail"),
    ConsentMethod.VERBAL: N_("verbally"),
    ConsentMethod.IMPORT: N_("imported"),
    ConsentMethod.OTHER: N_("other"),
}


@dataclass(frozen=True, slots=True)
class ConsentOnFile:
    """The latest stored statement of a person on one consent topic: what, when, how."""

    given: bool
    recorded_on: date  # in the meeting's time zone
    method: ConsentMethod

    def source_text(self) -> str:
        """Where a preselected answer comes from, e.g. "according to the consent of
        12.03.2025 (in writing)"."""
        return _("according to the consent of {date} ({way})").format(
            date=format_date(self.recorded_on), way=_(CONSENT_SOURCE_WAYS[self.method])
        )


@dataclass(frozen=True, slots=True)
class CheckinRow:
    """One person (or walk-in guest) the door mode can find and check in.

    ``key`` is stable and unique within one meeting ("person:12", "guest:7"): use it as the
    row identity in a Qt model. ``photo_consent`` is what was said at *this* meeting (None:
    not asked yet); ``photo_consent_on_file`` is the latest consent record of the person, and
    ``photo_consent_record`` says when and how it was given (the door mode shows the stored
    answer with its source, to be confirmed or changed). The ``*_index`` strings hold folded
    words, each preceded by a space (" yilmaz"), so ``rank_candidates`` finds a word prefix
    with one substring test.
    """

    key: str
    person_id: int | None
    attendance_id: int | None
    name: str
    organisation: str
    function: str
    email: str
    invitation_state: InvitationState | None  # None: not invited
    status: AttendanceStatus | None  # None: nothing recorded yet
    checked_in_at: datetime | None
    photo_consent: bool | None
    photo_consent_on_file: bool | None
    guest: bool
    sort_key: str
    search_key: str  # folded name, organisation, function, e-mail addresses
    name_key: str  # folded display name ("ayse yilmaz")
    last_index: str  # words of the last name
    first_index: str  # words of the first name (and title)
    other_index: str  # words of organisation, function and e-mail addresses
    photo_consent_record: ConsentOnFile | None = None

    @property
    def invited(self) -> bool:
        return self.invitation_state is not None

    @property
    def present(self) -> bool:
        return self.status is AttendanceStatus.PRESENT


@dataclass(frozen=True, slots=True)
class MarkRow:
    """One row of the after-the-meeting list: an invitee, anyone else recorded, a guest, or
    the anonymised row of an erased person (``anonymised``; no name, cannot be changed)."""

    person_id: int | None
    attendance_id: int | None
    name: str
    organisation: str
    function: str
    email: str
    invitation_state: InvitationState | None
    status: AttendanceStatus | None  # None: not recorded
    photo_consent: bool | None
    checked_in_at: datetime | None
    arrived_at_item_id: int | None
    left_after_item_id: int | None
    arrived_at_number: str | None  # TOP number as shown, e.g. "2"
    left_after_number: str | None
    guest: bool
    anonymised: bool
    sort_key: str

    @property
    def partial(self) -> bool:
        return self.arrived_at_item_id is not None or self.left_after_item_id is not None


@dataclass(frozen=True, slots=True)
class AttendanceState:
    """The changeable fields of one attendance row (what undo puts back)."""

    status: AttendanceStatus
    photo_consent: bool | None = None
    checked_in_at: datetime | None = None
    arrived_at_item_id: int | None = None
    left_after_item_id: int | None = None


@dataclass(frozen=True, slots=True)
class GuestInfo:
    """A walk-in guest who is not in the directory."""

    name: str
    organisation: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class AttendanceChange:
    """One row changed by an operation; ``restore_attendance([change])`` undoes it.

    ``previous``/``current`` None mean "no row" (before a first mark, after removing one).
    ``consent_record_id`` names a ConsentRecord the operation wrote (undo deletes it).
    For guests, ``guest`` holds the data needed to bring back a removed row.
    """

    meeting_id: int
    person_id: int | None
    attendance_id: int | None
    previous: AttendanceState | None
    current: AttendanceState | None
    consent_record_id: int | None = None
    guest: GuestInfo | None = None

    @property
    def changed(self) -> bool:
        return self.previous != self.current or self.consent_record_id is not None


@dataclass(frozen=True, slots=True)
class WalkInResult:
    """A walk-in added at the door. Inverse: ``remove_walk_in(db, result)``."""

    row: CheckinRow
    change: AttendanceChange
    person_id: int | None  # set when added to the directory
    created_person: bool
    organisation_id: int | None
    created_organisation: bool


@dataclass(frozen=True, slots=True)
class AttendanceSummary:
    """Counts of one meeting's list. ``present``/``excused``/``absent`` count people from the
    directory (and erased people's anonymised rows); guests are counted apart.
    ``not_recorded`` counts invitees with no entry yet."""

    present: int = 0
    excused: int = 0
    absent: int = 0
    guests: int = 0
    not_recorded: int = 0

    @property
    def participants(self) -> int:
        return self.present + self.guests


def summarise(rows: Iterable[MarkRow]) -> AttendanceSummary:
    """Counts of ``attendance_sheet`` rows (a guest counts when present)."""
    counts: Counter[str] = Counter()
    for row in rows:
        if row.status is None:
            counts["not_recorded"] += 1
        elif row.guest:
            if row.status is AttendanceStatus.PRESENT:
                counts["guests"] += 1
        else:
            counts[row.status.value] += 1
    return AttendanceSummary(
        present=counts["present"],
        excused=counts["excused"],
        absent=counts["absent"],
        guests=counts["guests"],
        not_recorded=counts["not_recorded"],
    )
