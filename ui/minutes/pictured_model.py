"""The people present at a meeting as a checkable table: who is on a photo, with each one's
photo consent (given / refused / not asked) in words and in the palette's tone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    Q_ARG,
    QAbstractTableModel,
    QMetaObject,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QWidget

from app.i18n import N_, _
from app.services.press.photos import Attendee
from app.text import fold
from ui.palette import Tone, colour

Index = QModelIndex | QPersistentModelIndex
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
CONSENT_LABELS = {
    # Translators: photo consent of someone present, in the "who is pictured" list.
    True: N_("given"),
    False: N_("refused"),
    None: N_("not asked"),
}
CONSENT_TONES = {True: Tone.POSITIVE, False: Tone.NEGATIVE, None: Tone.MUTED}


def consent_label(consent: bool | None) -> str:
    return _(CONSENT_LABELS[consent])


def consent_source(attendee: Attendee) -> str:
    """Where the consent comes from, for the tooltip: a "no" in either place counts."""
    sheet = {True: _("yes"), False: _("no"), None: _("not asked")}[attendee.at_meeting]
    lines = [_("On the sign-in sheet: {answer}").format(answer=sheet)]
    if not attendee.guest:
        record = {True: _("given"), False: _("refused or withdrawn"), None: _("none")}[
            attendee.on_record
        ]
        lines.append(_("In the directory: {answer}").format(answer=record))
    return "\n".join(lines)


def attendee_label(attendee: Attendee) -> str:
    if attendee.guest:
        # Translators: a walk-in guest in the "who is pictured" list.
        return _("{name} (guest)").format(name=attendee.name)
    return attendee.name


class PicturedModel(QAbstractTableModel):
    """Everyone present (``Attendee`` rows), the first column checkable: pictured or not.

    Signals:
        checks_changed(): the user ticked or unticked someone.
    """

    checks_changed = Signal()
    headers = (N_("Name"), N_("Organisation"), N_("Photo consent"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Attendee] = []
        self._checked: set[int] = set()
        self._checkable = True

    def set_people(self, people: Sequence[Attendee], checked: Iterable[int]) -> None:
        self.beginResetModel()
        self._rows = list(people)
        known = {a.attendance_id for a in self._rows}
        self._checked = {i for i in checked if i in known}
        self.endResetModel()

    def set_checkable(self, checkable: bool) -> None:
        """Off while "nobody recognisable" is ticked (and when no photo is chosen)."""
        if checkable == self._checkable:
            return
        self.beginResetModel()  # flags change for every row
        self._checkable = checkable
        self.endResetModel()

    def row(self, number: int) -> Attendee:
        return self._rows[number]

    def people(self) -> tuple[Attendee, ...]:
        return tuple(self._rows)

    def checked_ids(self) -> frozenset[int]:
        return frozenset(self._checked)

    def set_checked(self, attendance_ids: Iterable[int], checked: bool) -> None:
        """Tick or untick several people at once (one ``checks_changed``)."""
        wanted = set(attendance_ids)
        changed = False
        for number, attendee in enumerate(self._rows):
            if attendee.attendance_id not in wanted:
                continue
            if checked != (attendee.attendance_id in self._checked):
                (self._checked.add if checked else self._checked.discard)(attendee.attendance_id)
                self._changed(number)
                changed = True
        if changed:
            self.checks_changed.emit()

    def _changed(self, number: int) -> None:
        # PySide6 6.12 leaks a reference to True on ``dataChanged.emit()`` (ui.widgets.tables).
        target = self.index(number, 0)
        QMetaObject.invokeMethod(
            self,
            "dataChanged",
            Qt.ConnectionType.DirectConnection,
            Q_ARG(QModelIndex, target),
            Q_ARG(QModelIndex, target),
        )

    # -- Qt ---------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.headers[section]) if 0 <= section < len(self.headers) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        attendee = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return attendee_label(attendee)
            if column == 1:
                return attendee.organisation
            return consent_label(attendee.consent)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            checked = attendee.attendance_id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return colour(CONSENT_TONES[attendee.consent])
        if role == Qt.ItemDataRole.ToolTipRole:
            # The columns are narrow beside the photos: the whole text on hover.
            if column == 2:
                return consent_source(attendee)
            return attendee_label(attendee) if column == 0 else attendee.organisation or None
        if role == SEARCH_ROLE:
            return fold(f"{attendee.name} {attendee.organisation}")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != 0
            or role != Qt.ItemDataRole.CheckStateRole
            or not self._checkable
        ):
            return False
        attendee = self._rows[index.row()]
        self.set_checked([attendee.attendance_id], Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if self._checkable:
            flags |= Qt.ItemFlag.ItemIsEnabled
            if index.column() == 0:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags


class PeopleFilter(QSortFilterProxyModel):
    """Rows whose name or organisation contains every typed word (case and accents aside)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._terms = tuple(fold(text).split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._terms:
            return True
        text = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE) or ""
        return all(term in text for term in self._terms)

    def shown_ids(self) -> list[int]:
        """Attendance ids of the rows the filter lets through."""
        source = self.sourceModel()
        assert isinstance(source, PicturedModel)
        return [
            source.row(self.mapToSource(self.index(number, 0)).row()).attendance_id
            for number in range(self.rowCount())
        ]
