"""Dialogs of the minutes editor that show two texts side by side: crash recovery and the
lost-update conflict of the notes. Tests answer them by monkeypatching ``exec``."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_datetime
from app.services.minutes_recovery import RecoveryOffer


def _text_view(text: str, name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setPlainText(text)
    view.setReadOnly(True)
    view.setMinimumSize(280, 200)
    return view


def _side_by_side(
    intro: str, left_title: str, left: str, right_title: str, right: str
) -> tuple[QLabel, QGridLayout, QPlainTextEdit, QPlainTextEdit]:
    label = QLabel(intro)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    grid = QGridLayout()
    left_view = _text_view(left, "leftText")
    right_view = _text_view(right, "rightText")
    for column, (title, view) in enumerate(((left_title, left_view), (right_title, right_view))):
        caption = QLabel(title)
        caption.setBuddy(view)  # the caption names the text for a screen reader
        grid.addWidget(caption, 0, column)
    grid.addWidget(left_view, 1, 0)
    grid.addWidget(right_view, 1, 1)
    return label, grid, left_view, right_view


class RecoveryDialog(QDialog):
    """Offers unsaved notes left by a crash. Accepted: restore them; rejected: discard."""

    def __init__(self, offer: RecoveryOffer, top: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(_("Restore unsaved notes?"))
        intro = _(
            "Treffpunkt was closed before the notes of {top} were saved. The text typed last "
            "(at {time}) differs from the stored notes. Restore it?"
        ).format(top=top, time=format_datetime(offer.entry.written.astimezone()))
        if offer.stored_changed_since:
            intro += "\n" + _("The stored notes were changed after that text was typed.")
        label, grid, _left, _right = _side_by_side(
            intro, _("Unsaved text"), offer.entry.text, _("Stored notes"), offer.stored_text
        )
        buttons = QDialogButtonBox()
        restore = buttons.addButton(
            _("Restore unsaved text"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        restore.setObjectName("restore")
        restore.setDefault(True)
        discard = buttons.addButton(_("Keep stored notes"), QDialogButtonBox.ButtonRole.RejectRole)
        discard.setObjectName("discard")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(grid)
        layout.addWidget(buttons)


class ConflictChoice(enum.Enum):
    KEEP_MINE = "mine"
    TAKE_THEIRS = "theirs"


class NotesConflictDialog(QDialog):
    """The notes of a TOP were saved elsewhere; the user keeps hers or takes the stored ones.

    Escape does not close it: either way one text wins, and that must be a choice.
    """

    def __init__(self, top: str, mine: str, theirs: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesConflictDialog")
        self.setWindowTitle(_("Notes changed elsewhere"))
        self.choice = ConflictChoice.KEEP_MINE
        label, grid, _left, _right = _side_by_side(
            _(
                "The notes of {top} were changed in another window or by someone else while "
                "you were typing. Your text is not saved yet. Which text shall the minutes keep?"
            ).format(top=top),
            _("Your text"),
            mine,
            _("Stored text"),
            theirs,
        )
        keep = QPushButton(_("Keep my text"))
        keep.setObjectName("keepMine")
        keep.setDefault(True)
        keep.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_MINE))
        take = QPushButton(_("Take the stored text"))
        take.setObjectName("takeTheirs")
        take.clicked.connect(lambda: self._choose(ConflictChoice.TAKE_THEIRS))
        buttons = QDialogButtonBox()
        buttons.addButton(keep, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(take, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:  # Escape: a choice is required
        return
