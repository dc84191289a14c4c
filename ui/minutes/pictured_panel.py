"""“Who is pictured?” for the photo chosen in the minutes' photo tab.

The people present (walk-in guests too) in a checkable table with a search field, each with
their photo consent; "nobody recognisable" for a photo of the room or a poster. While the user
ticks, a banner says at once whether the photo may be published (a refusal forbids it) and
whom to ask first (consent not asked). "Save" hands the choice to the photo tab, which stores
it with one undoable service call (``commands.SetPictured``); "Discard" goes back to what is
stored. Until the first save it is not recorded who is pictured, and everyone present counts
as pictured (``app.services.press.photos``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.services.press.photos import (
    Attendee,
    PhotoClearance,
    PicturedOverview,
    counted_as_pictured,
    refused_names,
    unknown_names,
)
from ui.minutes.pictured_model import PeopleFilter, PicturedModel
from ui.palette import Tone, banner_style, set_tone

Subjects = frozenset[int] | None  # None: not recorded


def refusal_text(refused: tuple[str, ...], *, recorded: bool) -> str:
    """The banner for a photo that must not be published ("" when nobody refused)."""
    if not refused:
        return ""
    names = ", ".join(refused)
    if not recorded:
        return ngettext(
            "This photo must not be published: it is not recorded who is on it, and {names} "
            "did not agree to publication.",
            "This photo must not be published: it is not recorded who is on it, and {names} "
            "did not agree to publication.",
            len(refused),
        ).format(names=names)
    return ngettext(
        "This photo must not be published: {names} did not agree to publication.",
        "This photo must not be published: {names} did not agree to publication.",
        len(refused),
    ).format(names=names)


def unknown_text(unknown: tuple[str, ...]) -> str:
    if not unknown:
        return ""
    return _("Photo consent not asked: {names}. Ask before publishing.").format(
        names=", ".join(unknown)
    )


def status_text(stored: Subjects, present: int) -> str:
    if stored is None:
        return _("Not recorded yet: everyone present counts as pictured.")
    if not stored:
        return _("Recorded: nobody recognisable is on this photo.")
    return ngettext(
        "Recorded: {count} of {present} people present is on it.",
        "Recorded: {count} of {present} people present are on it.",
        len(stored),
    ).format(count=len(stored), present=present)


class PicturedPanel(QGroupBox):
    """Signals:
    save_requested(int, object): photo id and the chosen subjects (a frozenset of
        attendance ids; empty: nobody recognisable).
    """

    save_requested = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Who is pictured?"), parent)
        self.setObjectName("picturedPanel")
        self._photo: PhotoClearance | None = None
        self._present: tuple[Attendee, ...] = ()
        self._stored: Subjects = None

        self.status = QLabel()
        self.status.setObjectName("picturedStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.search = QLineEdit()
        self.search.setObjectName("picturedSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search by name or organisation"))
        self.search.setAccessibleName(_("Search the people present"))
        self.model = PicturedModel(self)
        self.filter = PeopleFilter(self)
        self.filter.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setObjectName("picturedView")
        self.view.setAccessibleName(_("People present: tick who is on the photo"))
        self.view.setModel(self.filter)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        # Compact rows: a group photo means choosing among 30 or 40 people.
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.all_button = QPushButton(_("Tick all"))
        self.all_button.setObjectName("picturedAll")
        self.all_button.setToolTip(_("Ticks everyone the search shows."))
        self.none_button = QPushButton(_("Untick all"))
        self.none_button.setObjectName("picturedNone")
        self.nobody = QCheckBox(_("Nobody recognisable"))
        self.nobody.setObjectName("picturedNobody")
        self.nobody.setToolTip(
            _("Nobody recognisable is on it: for example the room, a poster or hands at work.")
        )
        self.warning = QLabel()
        self.warning.setObjectName("picturedWarning")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setStyleSheet(banner_style(Tone.ERROR_BACKGROUND) + " font-weight: bold;")
        self.warning.hide()
        self.unknown = QLabel()
        self.unknown.setObjectName("picturedUnknown")
        self.unknown.setWordWrap(True)
        self.unknown.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.unknown, Tone.CAUTION)
        self.unknown.hide()
        # Always in the layout (empty when saved), so that the buttons keep their place.
        self.unsaved = QLabel()
        self.unsaved.setObjectName("picturedUnsaved")
        self.unsaved.setWordWrap(True)
        set_tone(self.unsaved, Tone.CAUTION)
        self.discard_button = QPushButton(_("Discard"))
        self.discard_button.setObjectName("discardPictured")
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("savePictured")
        self.save_button.setAccessibleName(_("Save who is pictured"))
        self.discard_button.setAccessibleName(_("Discard the ticks not saved"))

        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)
        ticks.addWidget(self.nobody)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unsaved, 1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addLayout(ticks)
        layout.addWidget(self.warning)
        layout.addWidget(self.unknown)
        layout.addLayout(buttons)

        self.search.textChanged.connect(self.filter.set_query)
        self.model.checks_changed.connect(self._update)
        self.nobody.toggled.connect(self._nobody_toggled)
        self.all_button.clicked.connect(self._tick_shown)
        self.none_button.clicked.connect(self._untick_all)
        self.discard_button.clicked.connect(self.discard)
        self.save_button.clicked.connect(self.save)
        self._show_choice(None)

    # -- what is shown -------------------------------------------------------------------------

    def show_photo(self, overview: PicturedOverview | None, photo_id: int | None) -> None:
        """Show *photo_id* of *overview* (None: no photo chosen). The same photo again (after
        a reload) keeps what the user ticked but did not save yet."""
        photo = None
        if overview is not None and photo_id is not None:
            photo = overview.photo(photo_id)
        current = self.photo_id()
        pending = photo is not None and photo.photo_id == current and self.is_dirty()
        keep, nobody = (self.choice(), self.nobody.isChecked()) if pending else (None, False)
        self._photo = photo
        self._stored = photo.subject_ids if photo is not None else None
        present = overview.attendees if overview is not None and photo else ()
        # Those on the photo first (as stored), then everyone else, each in name order.
        stored = self._stored or frozenset()
        self._present = tuple(
            sorted(present, key=lambda a: a.attendance_id not in stored)  # stable sort
        )
        if keep is not None:
            self._show_choice(keep, nobody=nobody)
        else:
            self._show_choice(self._stored)

    def _show_choice(self, subjects: Subjects, *, nobody: bool | None = None) -> None:
        self.model.set_people(self._present, subjects or ())
        self.nobody.blockSignals(True)
        self.nobody.setChecked(subjects == frozenset() if nobody is None else nobody)
        self.nobody.blockSignals(False)
        self._update()

    def photo_id(self) -> int | None:
        return self._photo.photo_id if self._photo is not None else None

    def choice(self) -> Subjects:
        """What the user chose: ticked people, empty for "nobody", None for no choice yet."""
        if self.nobody.isChecked():
            return frozenset()
        ticked = self.model.checked_ids()
        return ticked or None

    def is_dirty(self) -> bool:
        """A choice that differs from what is stored (an empty tick list is no choice)."""
        choice = self.choice()
        return self._photo is not None and choice is not None and choice != self._stored

    def _update(self) -> None:
        has_photo = self._photo is not None
        nobody = self.nobody.isChecked()
        self.model.set_checkable(has_photo and not nobody)
        for widget in (self.search, self.view, self.nobody):
            widget.setEnabled(has_photo)
        for button in (self.all_button, self.none_button):
            button.setEnabled(has_photo and not nobody)
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.discard_button.setEnabled(has_photo and self._differs_from_stored())
        if not has_photo:
            self.status.setText(_("Choose a photo on the left."))
            set_tone(self.status, Tone.MUTED)
            self.warning.hide()
            self.unknown.hide()
            self.unsaved.setText("")
            return
        self.unsaved.setText(_("Changed, not saved yet.") if dirty else "")
        self.status.setText(status_text(self._stored, len(self._present)))
        set_tone(self.status, Tone.CAUTION if self._stored is None else None)
        # The verdict follows the ticks at once; without a choice, what is stored counts.
        choice = self.choice()
        subjects = choice if choice is not None else self._stored
        pictured = counted_as_pictured(subjects, self._present)
        warning = refusal_text(refused_names(pictured), recorded=subjects is not None)
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        unknown = unknown_text(unknown_names(pictured)) if subjects is not None else ""
        self.unknown.setText(unknown)
        self.unknown.setVisible(bool(unknown))

    def _differs_from_stored(self) -> bool:
        ticked = self.model.checked_ids()
        stored = self._stored or frozenset()
        return ticked != stored or self.nobody.isChecked() != (self._stored == frozenset())

    # -- user actions --------------------------------------------------------------------------

    def _nobody_toggled(self, checked: bool) -> None:
        if checked:
            self.model.set_checked([a.attendance_id for a in self._present], False)
        self._update()

    def _tick_shown(self) -> None:
        self.model.set_checked(self.filter.shown_ids(), True)

    def _untick_all(self) -> None:
        self.model.set_checked([a.attendance_id for a in self._present], False)

    def discard(self) -> None:
        self._show_choice(self._stored)

    def save(self) -> None:
        """Ask for the choice to be stored (nothing happens without a change)."""
        choice = self.choice()
        if self._photo is None or choice is None or not self.is_dirty():
            return
        self.save_requested.emit(self._photo.photo_id, choice)
