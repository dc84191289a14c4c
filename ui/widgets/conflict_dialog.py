"""The lost-update dialog: someone else saved the record this form was loaded from.

For every form that saves with ``expected_version`` (``app.db.versioning.check_version``):
on ``ConflictError`` call ``ask_conflict`` and act on the answer::

    choice = ask_conflict(self, _("this meeting"), can_overwrite=False)
    if choice is ConflictChoice.RELOAD:
        self.reload()            # load the current row and version; the user's edits are gone
    elif choice is ConflictChoice.OVERWRITE:
        self.save(force=True)    # only where the service offers it
    # KEEP_EDITING: nothing saved; the form keeps the user's text so it can be copied

Tests monkeypatch ``ask_conflict`` (or ``ConflictDialog.exec``) to answer without a modal loop.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from app.i18n import _


class ConflictChoice(enum.Enum):
    RELOAD = "reload"  # discard my changes, show the other version
    KEEP_EDITING = "keep"  # nothing saved; my changes stay in the form
    OVERWRITE = "overwrite"  # save mine over the other change (only if the service allows)


class ConflictDialog(QMessageBox):
    """Asks what to do after a ``ConflictError``; ``choice()`` after ``exec()``."""

    def __init__(
        self, what: str, parent: QWidget | None = None, *, can_overwrite: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(_("Changed elsewhere"))
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(_("Someone else changed {what} since you opened it.").format(what=what))
        self.setInformativeText(
            _(
                "Your changes have not been saved. Reload to see the other version (your "
                "changes are discarded), or keep editing and copy what you need first."
            )
        )
        self._buttons: dict[QAbstractButton, ConflictChoice] = {}
        reload_button = self.addButton(
            _("Reload (discard my changes)"), QMessageBox.ButtonRole.AcceptRole
        )
        reload_button.setObjectName("reload")
        self._buttons[reload_button] = ConflictChoice.RELOAD
        if can_overwrite:
            overwrite = self.addButton(
                _("Save mine anyway"), QMessageBox.ButtonRole.DestructiveRole
            )
            overwrite.setObjectName("overwrite")
            self._buttons[overwrite] = ConflictChoice.OVERWRITE
        keep = self.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepEditing")
        self._buttons[keep] = ConflictChoice.KEEP_EDITING
        self.setDefaultButton(keep)  # Enter never discards anything
        self.setEscapeButton(keep)

    def choice(self) -> ConflictChoice:
        clicked = self.clickedButton()
        return self._buttons.get(clicked, ConflictChoice.KEEP_EDITING)


def ask_conflict(
    parent: QWidget | None, what: str, *, can_overwrite: bool = False
) -> ConflictChoice:
    """Show the dialog modally and return the user's choice (Escape: keep editing)."""
    dialog = ConflictDialog(what, parent, can_overwrite=can_overwrite)
    dialog.exec()
    choice = dialog.choice()
    dialog.deleteLater()
    return choice
