"""What the person and the organisation dialog share: Save, Cancel and the page's answer.

A form dialog never writes. Save shows every problem (``errors``) or, when there is none,
emits ``save_requested`` with ``values()`` and waits, busy, for the page's answer: ``saved()``
closes it, ``save_failed(message)`` keeps what was typed and says what went wrong. Cancel or
Escape asks before throwing away typed changes. ``ui.network.actions`` does the saving.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget

from app.i18n import _
from app.services.directory_editing import FieldError
from ui.network.contact_rows import error_label, show_error


class FormDialog(QDialog):
    """Signals:
    save_requested(object): the values (``PersonInput``, ``OrganisationInput``) to save.

    Subclasses build their fields and layout (placing ``form_error`` and ``buttons``) and
    implement ``values``, ``errors``, ``_validate`` and ``_error_keys``.
    """

    save_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form: Any = None  # the record as loaded (its id and version); None: a new one
        self._shown: set[str] = set()  # fields whose errors are visible (left once, or saved)
        self._loaded_values: object = None  # set by the subclass's load()
        self.form_error = error_label()
        self.form_error.setObjectName("formError")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

    # -- what a subclass provides ----------------------------------------------------------

    def load(self, form: Any) -> None:
        """Show *form* (None: a new, empty record); forgets what was typed."""
        raise NotImplementedError

    def values(self) -> object:
        raise NotImplementedError

    def errors(self) -> list[FieldError]:
        raise NotImplementedError

    def _validate(self) -> None:
        """Show the errors of the fields in ``_shown``; enable Save when there are none."""
        raise NotImplementedError

    def _error_keys(self) -> set[str]:
        """Every field key whose error a refused Save shows."""
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------

    def _show(self, key: str) -> None:
        self._shown.add(key)
        self._validate()

    def _busy(self) -> bool:
        return not self.buttons.isEnabled()

    def _save(self) -> None:
        if self.errors():
            self._shown.update(self._error_keys())
            self._validate()
            return
        self.buttons.setEnabled(False)
        show_error(self.form_error, "")
        self.save_requested.emit(self.values())

    def has_changes(self) -> bool:
        return self.values() != self._loaded_values

    def reject(self) -> None:
        """Cancel or Escape: ask before throwing away what was typed."""
        if not self._busy() and self.has_changes() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Tests replace this to answer without a modal loop."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            _("Discard your changes?"),
            parent=self,
        )
        discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def saved(self) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def save_failed(self, message: str) -> None:
        """Keep the dialog open with what was typed; say what went wrong."""
        self.buttons.setEnabled(True)
        show_error(self.form_error, message)
        self._validate()
