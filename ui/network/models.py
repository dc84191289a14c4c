"""Qt models of the network page: organisations, people, and the people filter."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _
from app.services.directory_rows import PersonRow
from app.text import fold
from ui.palette import Tone, colour
from ui.widgets.tables import ALIGN_CENTER, ALIGN_RIGHT, Column, RowTableModel, SourceSortProxy


@functools.cache
def archived_font() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


CONSENT_SYMBOLS = {True: "✔", False: "✘", None: "–"}
# Withdrawn first when sorting ascending: those are the people not to write to.
CONSENT_SORT = {False: 0, None: 1, True: 2}


def consent_text(given: bool | None) -> str:
    if given is None:
        return _("not recorded")
    return _("given") if given else _("withdrawn")


def consent_tone(given: bool | None) -> Tone:
    if given is None:
        return Tone.MUTED
    return Tone.POSITIVE if given else Tone.NEGATIVE


def consent_colour(given: bool | None) -> QColor:
    return colour(consent_tone(given))


def _email_consent_tooltip(row: PersonRow) -> str:
    return _("Consent to e-mail invitations: {state}").format(state=consent_text(row.email_consent))


def _long_text_tooltip(text: str) -> str:
    # Only cut-off texts need a tooltip; short ones would just repeat the cell.
    return text if len(text) > 30 else ""


ORGANISATION_COLUMNS = (
    Column(
        N_("Organisation"),
        lambda r: r.name,
        sort_key=lambda r: r.sort_key,
        width=30,
        tooltip=lambda r: _long_text_tooltip(r.name),
        stretch=True,
    ),
    Column(N_("Kind"), lambda r: r.kind_label, width=13),
    Column(
        N_("Quarters"),
        lambda r: ", ".join(r.quarters),
        width=10,
        tooltip=lambda r: _long_text_tooltip(", ".join(r.quarters)),
    ),
    Column(
        N_("People"),
        lambda r: str(r.people_count),
        sort_key=lambda r: r.people_count,
        align=ALIGN_RIGHT,
        width=5,
    ),
)

PEOPLE_COLUMNS = (
    Column(
        "✉",
        lambda r: CONSENT_SYMBOLS[r.email_consent],
        sort_key=lambda r: CONSENT_SORT[r.email_consent],
        align=ALIGN_CENTER,
        tooltip=_email_consent_tooltip,
        foreground=lambda r: consent_colour(r.email_consent),
        header_tooltip=N_("Consent to e-mail invitations"),
        width=1,
    ),
    Column(
        N_("Name"),
        lambda r: r.name,
        sort_key=lambda r: r.sort_key,
        width=20,
        tooltip=lambda r: _long_text_tooltip(r.name),
    ),
    Column(
        N_("Organisation"),
        lambda r: r.organisation or "",
        sort_key=lambda r: (r.organisation is None, fold(r.organisation)),
        width=20,
        tooltip=lambda r: _long_text_tooltip(r.organisation or ""),
    ),
    Column(
        N_("Function"),
        lambda r: r.function,
        width=13,
        tooltip=lambda r: _long_text_tooltip(r.function),
    ),
    Column(
        N_("E-mail"),
        lambda r: r.preferred_email or "",
        sort_key=lambda r: (r.preferred_email or "~").casefold(),
        width=21,
    ),
    Column(
        N_("Groups"),
        lambda r: ", ".join(r.groups),
        width=10,
        tooltip=lambda r: _long_text_tooltip(", ".join(r.groups)),
    ),
)


class _ArchivedGrey(RowTableModel):
    """Archived rows (shown with "Show archived") in grey italics."""

    def row_foreground(self, row: Any) -> QColor | None:
        return colour(Tone.MUTED) if row.archived else None

    def row_font(self, row: Any) -> QFont | None:
        return archived_font() if row.archived else None


class OrganisationModel(_ArchivedGrey):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ORGANISATION_COLUMNS, parent)


class PeopleModel(_ArchivedGrey):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(PEOPLE_COLUMNS, parent)


class PeopleFilter(SourceSortProxy):
    """Search-as-you-type and the organisation filter over a ``PeopleModel``.

    Every whitespace-separated term of the query must occur in the person's folded search key
    (name, organisation, function, e-mails, groups, quarters): "muller" finds "Müller".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self._organisation_id: int | None = None
        # Which source rows pass, worked out in one Python pass per keystroke: Qt then calls
        # filterAcceptsRow 10,000 times and each call only looks its answer up. None while
        # unknown (after the source rows changed) or when nothing is filtered.
        self._accepted: bytearray | None = None

    def setSourceModel(self, model: Any) -> None:
        old = self.sourceModel()
        if old is not None:
            for signal in self._row_change_signals(old):
                signal.disconnect(self._forget_accepted)
        super().setSourceModel(model)
        if model is not None:
            # The "about to" signals come before the rows change, so the answers are
            # worked out again from the new rows when Qt filters them.
            for signal in self._row_change_signals(model):
                signal.connect(self._forget_accepted)

    @staticmethod
    def _row_change_signals(model: Any) -> tuple[Any, ...]:
        return (
            model.modelAboutToBeReset,
            model.layoutAboutToBeChanged,
            model.rowsAboutToBeInserted,
            model.rowsAboutToBeRemoved,
            model.rowsAboutToBeMoved,
        )

    def _forget_accepted(self, *_args: object) -> None:
        self._accepted = None

    def set_query(self, text: str) -> None:
        terms = tuple(fold(text).split())
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self._accepted = None
            self.endFilterChange(SourceSortProxy.Direction.Rows)

    def set_organisation(self, organisation_id: int | None) -> None:
        if organisation_id != self._organisation_id:
            self.beginFilterChange()
            self._organisation_id = organisation_id
            self._accepted = None
            self.endFilterChange(SourceSortProxy.Direction.Rows)

    def _work_out_accepted(self) -> bytearray:
        model: Any = self.sourceModel()
        terms, organisation_id = self._terms, self._organisation_id
        return bytearray(
            (organisation_id is None or person.organisation_id == organisation_id)
            and all(term in person.search_key for term in terms)
            for person in model.rows()
        )

    def organisation_id(self) -> int | None:
        return self._organisation_id

    def is_filtering(self) -> bool:
        return bool(self._terms) or self._organisation_id is not None

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._terms and self._organisation_id is None:
            return True
        accepted = self._accepted
        if accepted is None or source_row >= len(accepted):
            accepted = self._accepted = self._work_out_accepted()
        return bool(accepted[source_row])
