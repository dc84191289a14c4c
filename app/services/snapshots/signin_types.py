"""The sign-in sheet's frozen data (``SigninSnapshot``) and the choices it is made with.

Apart from ``app.services.snapshots.signin``, which builds the snapshot from the database, so
that rendering a snapshot (``app.documents.signin``) needs neither SQLAlchemy nor the models.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from app.i18n import _
from app.services.letterhead import Letterhead
from app.text import nfc


class SigninOrder(enum.StrEnum):
    ALPHABETICAL = "alphabetical"  # one run A–Z by last name: found at once at the door
    ORGANISATION = "organisation"  # grouped by organisation (a heading each), then by name
    ACCEPTED_FIRST = "accepted_first"  # "Accepted" then "Further invitees", headed, each A–Z


class DeclinedMode(enum.StrEnum):
    OMIT = "omit"
    EXCUSED = "excused"  # listed at the end, marked "excused", no signature expected


@dataclass(frozen=True, slots=True)
class SigninOptions:
    """What the user chooses when printing; plain strings ("organisation") are accepted."""

    order: SigninOrder = SigninOrder.ALPHABETICAL
    declined: DeclinedMode = DeclinedMode.OMIT
    blank_rows: int = 10
    # The Art. 13 GDPR notice; None: ``default_privacy_notice`` (the settings may replace it).
    privacy_notice: str | None = None

    MAX_BLANK_ROWS = 500

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", SigninOrder(self.order))
        object.__setattr__(self, "declined", DeclinedMode(self.declined))
        if not 0 <= self.blank_rows <= self.MAX_BLANK_ROWS:
            raise ValueError(f"blank_rows must be between 0 and {self.MAX_BLANK_ROWS}")


@dataclass(frozen=True, slots=True)
class SigninRow:
    """One numbered row: an invitee, or (``blank``) an empty row for a walk-in."""

    number: int
    name: str = ""
    organisation: str = ""
    function: str = ""
    person_id: int | None = None
    reply: str = ""  # the invitation state's English identifier, e.g. "accepted"
    excused: bool = False
    blank: bool = False
    group: str = ""  # the subheading the row stands under ("" in a plain alphabetical run)


@dataclass(frozen=True, slots=True)
class SigninSnapshot:
    """Everything the sign-in sheet shows, frozen before rendering."""

    meeting_id: int
    network: str
    title: str
    start: datetime  # aware, in the meeting's time zone
    end: datetime | None
    venue_name: str
    venue_address: str
    venue_room: str
    organiser: str
    privacy_notice: str
    rows: tuple[SigninRow, ...]  # invitees first, then the blank rows
    letterhead: Letterhead | None = None
    language: str = ""  # "de"/"en": every text and date of the PDF; "" the current language

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def invitee_rows(self) -> tuple[SigninRow, ...]:
        return tuple(row for row in self.rows if not row.blank)

    @property
    def blank_rows(self) -> tuple[SigninRow, ...]:
        return tuple(row for row in self.rows if row.blank)


def default_privacy_notice(controller: str) -> str:
    """The Art. 13 GDPR notice printed on every page unless the settings provide another."""
    # Translators: legal text (Art. 13 DSGVO); keep {controller}. Have the German checked.
    return _(
        "Data protection notice (Art. 13 GDPR): {controller} is responsible for this list. "
        "It records name, organisation, function, signature, photo consent and, for further "
        "participants, the e-mail address in order to document participation in this meeting "
        "for the body funding the project (Art. 6(1)(c) GDPR in connection with the funding "
        "conditions). Photo consent is voluntary and can be withdrawn at any time (Art. 6(1)(a) "
        "GDPR). The list is kept only as long as the funding conditions require and is then "
        "destroyed. You have the right of access, rectification, erasure, restriction of "
        "processing and objection, and the right to lodge a complaint with a data protection "
        "supervisory authority."
    ).format(controller=nfc(controller) or _("the organiser of this meeting"))
