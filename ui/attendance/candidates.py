"""The door mode's result list: the candidates matching the search, best first.

All candidates are loaded once (``checkin_candidates``); every keystroke ranks them in memory
with ``rank_candidates`` and shows at most ``SHOWN`` rows, so the model never holds more than
a screenful and a reset per keystroke is cheap also with 10,000 people.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _, format_time
from app.services.attendance import CheckinRow, rank_candidates
from app.services.attendance.ranking import query_words
from app.services.meetings import INVITATION_STATE_LABELS, label
from ui.meetings.models import invitation_colour
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_CENTER, Column, RowTableModel

SHOWN = 50


def invitation_text(row: CheckinRow) -> str:
    if row.guest:
        return _("Guest")
    if row.invitation_state is None:
        return _("not invited")
    return label(INVITATION_STATE_LABELS, row.invitation_state)


def checked_in_text(row: CheckinRow) -> str:
    if not row.present:
        return ""
    if row.checked_in_at is None:
        return "✓"
    return f"✓ {format_time(row.checked_in_at.astimezone())}"


def photo_text(row: CheckinRow) -> str:
    value = row.photo_consent if row.photo_consent is not None else row.photo_consent_on_file
    if value is None:
        return ""
    return _("yes") if value else _("no")


CANDIDATE_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=26, tooltip=lambda r: r.email),
    Column(
        N_("Organisation"),
        lambda r: r.organisation,
        width=30,
        stretch=True,
        tooltip=lambda r: r.organisation,
    ),
    Column(
        N_("Invitation"),
        invitation_text,
        width=15,
        foreground=lambda r: invitation_colour(r.invitation_state),
    ),
    Column(
        N_("Photos"),
        photo_text,
        width=8,
        align=ALIGN_CENTER,
        header_tooltip=N_("Photo consent: said here, else the latest on file"),
    ),
    Column(
        N_("Checked in"),
        checked_in_text,
        width=14,
        foreground=lambda r: colour(Tone.POSITIVE) if r.present else None,
    ),
)


class CandidateModel(RowTableModel):
    """Candidates matching the current search; checked-in people in bold green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(CANDIDATE_COLUMNS, parent)
        self._all: list[CheckinRow] = []
        self._position: dict[str, int] = {}
        self._query = ""
        # Typing on narrows the matches: a longer query matches a subset of the shorter one's
        # matches, so the next keystroke ranks only those (kept in candidate order, so ties
        # come out as ``rank_candidates`` over all rows would give them).
        self._pool: list[CheckinRow] = []
        self._pool_words: list[str] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- the full list ------------------------------------------------------------------------

    def set_candidates(self, rows: Sequence[CheckinRow]) -> None:
        self._all = list(rows)
        self._position = {row.key: number for number, row in enumerate(self._all)}
        self._pool_words = None
        self.filter(self._query)

    def candidates(self) -> list[CheckinRow]:
        return self._all

    def update_candidate(self, row: CheckinRow) -> None:
        """Put a refreshed row (after a check-in or its undo) in place, or add a new one."""
        number = self._position.get(row.key)
        if number is None:
            self._position[row.key] = len(self._all)
            self._all.append(row)
        else:
            self._all[number] = row
        self._pool_words = None
        self.filter(self._query)

    def remove_candidate(self, key: str) -> None:
        """Drop a row (an undone walk-in)."""
        if key not in self._position:
            return
        self._all = [row for row in self._all if row.key != key]
        self._position = {row.key: number for number, row in enumerate(self._all)}
        self._pool_words = None
        self.filter(self._query)

    def candidate(self, key: str) -> CheckinRow | None:
        number = self._position.get(key)
        return self._all[number] if number is not None else None

    # -- the shown rows -----------------------------------------------------------------------

    def filter(self, query: str) -> None:
        self._query = query
        words = query_words(query)
        narrowing = self._pool_words is not None and narrows(self._pool_words, words)
        ranked = rank_candidates(self._pool if narrowing else self._all, query)
        if words:
            position = self._position
            self._pool = sorted(ranked, key=lambda row: position[row.key])
            self._pool_words = words
        else:
            self._pool_words = None
        self.set_rows(ranked[:SHOWN])

    def query(self) -> str:
        return self._query

    def counts(self) -> tuple[int, int, int]:
        """(people present, invited, guests present) over all candidates."""
        present = invited = guests = 0
        for row in self._all:
            if row.guest:
                guests += row.present
            else:
                present += row.present
                invited += row.invitation_state is not None
        return present, invited, guests

    def row_font(self, row: CheckinRow) -> QFont | None:
        return self._bold if row.present else None

    def row_foreground(self, row: CheckinRow) -> QColor | None:
        return None


def narrows(before: list[str], after: list[str]) -> bool:
    """Does every row matching the words *after* also match *before*? True when *after*
    only goes on typing: the same words, the last one longer, maybe more words."""
    if not before or len(after) < len(before):
        return False
    *same, last = before
    return after[: len(same)] == same and after[len(same)].startswith(last)
