"""Form rows for a person's e-mail addresses (one preferred) and phone numbers.

A person has one to three of each, so these are form rows, not a list model: every row is a
line edit with its own inline error text below it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.directory_editing import EmailInput
from ui.palette import Tone, set_tone


def error_label() -> QLabel:
    """A red message under a field; hidden while empty."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_tone(label, Tone.NEGATIVE)
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


class _Row:
    def __init__(self, edit: QLineEdit, remove: QToolButton, error: QLabel) -> None:
        self.edit = edit
        self.remove = remove
        self.error = error
        self.preferred: QRadioButton | None = None


class _RowsEditor(QWidget):
    """Rows of line edits with a remove button each and an add button below.

    Signals:
        changed(): any row was typed in, added or removed.
        row_finished(int): the user left the row with this number (show its errors now).
    """

    changed = Signal()
    row_finished = Signal(int)

    def __init__(
        self,
        add_text: str,
        placeholder: str,
        remove_tip: str,
        parent: QWidget | None = None,
        *,
        field_name: str = "",
    ) -> None:
        super().__init__(parent)
        self._field_name = field_name
        self._placeholder = placeholder
        self._remove_tip = remove_tip
        self.rows: list[_Row] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _new_row(self, text: str) -> _Row:
        edit = QLineEdit(text)
        edit.setAccessibleName(self._field_name)
        edit.setPlaceholderText(self._placeholder)
        edit.textChanged.connect(self.changed)
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip(self._remove_tip)
        remove.setAccessibleName(self._remove_tip)
        row = _Row(edit, remove, error_label())
        remove.clicked.connect(lambda: self.remove_row(row))
        edit.editingFinished.connect(lambda: self._finished(row))
        return row

    def _finished(self, row: _Row) -> None:
        if row in self.rows:
            self.row_finished.emit(self.rows.index(row))

    def add_row(self, text: str = "", *, focus: bool = False) -> _Row:
        row = self._new_row(text)
        self.rows.append(row)
        self._place_rows()
        if self.isVisible():
            # The layout would show them only later; focus needs a visible widget now.
            for widget in self._row_widgets(row):
                if widget is not row.error:
                    widget.show()
        if focus:
            row.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()
        return row

    def remove_row(self, row: _Row) -> None:
        self.rows.remove(row)
        for widget in self._row_widgets(row):
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self._place_rows()
        self.changed.emit()

    def _row_widgets(self, row: _Row) -> list[QWidget]:
        widgets: list[QWidget] = [row.edit, row.remove, row.error]
        if row.preferred is not None:
            widgets.append(row.preferred)
        return widgets

    def _place_rows(self) -> None:
        for number, row in enumerate(self.rows):
            self._grid.addWidget(row.edit, 2 * number, 0)
            if row.preferred is not None:
                self._grid.addWidget(row.preferred, 2 * number, 1)
            self._grid.addWidget(row.remove, 2 * number, 2)
            self._grid.addWidget(row.error, 2 * number + 1, 0, 1, 3)
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        widgets = [w for row in self.rows for w in self._row_widgets(row)[:2]]
        for before, after in zip(widgets, [*widgets[1:], self.add_button], strict=False):
            QWidget.setTabOrder(before, after)

    def texts(self) -> list[str]:
        return [row.edit.text() for row in self.rows]

    def set_errors(self, errors: dict[int, str]) -> None:
        for number, row in enumerate(self.rows):
            show_error(row.error, errors.get(number, ""))


class PhoneEditor(_RowsEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Add phone number"),
            _("e.g. 02151 86-0"),
            _("Remove this phone number"),
            parent,
            field_name=_("Phone number"),
        )
        self.add_button.setObjectName("addPhone")

    def set_numbers(self, numbers: Sequence[str]) -> None:
        for row in list(self.rows):
            self.remove_row(row)
        for number in numbers:
            self.add_row(number)
        if not self.rows:
            self.add_row()

    def numbers(self) -> tuple[str, ...]:
        return tuple(text for text in self.texts() if text.strip())


class EmailEditor(_RowsEditor):
    """E-mail rows with a "preferred" radio button each; exactly one is preferred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Add e-mail address"),
            _("name@example.org"),
            _("Remove this e-mail address"),
            parent,
            field_name=_("E-mail address"),
        )
        self.add_button.setObjectName("addEmail")
        self._preferred = QButtonGroup(self)
        self._preferred.setExclusive(True)
        self._preferred.buttonToggled.connect(lambda *_args: self.changed.emit())

    def _new_row(self, text: str) -> _Row:
        row = super()._new_row(text)
        row.preferred = QRadioButton(_("preferred"))
        row.preferred.setToolTip(_("Invitations and minutes go to the preferred address."))
        self._preferred.addButton(row.preferred)
        return row

    def add_row(self, text: str = "", *, focus: bool = False, preferred: bool = False) -> _Row:
        row = super().add_row(text, focus=focus)
        if row.preferred is not None and (preferred or self._preferred.checkedButton() is None):
            row.preferred.setChecked(True)
        return row

    def remove_row(self, row: _Row) -> None:
        was_preferred = row.preferred is not None and row.preferred.isChecked()
        if row.preferred is not None:
            self._preferred.removeButton(row.preferred)
        super().remove_row(row)
        if was_preferred and self.rows and self.rows[0].preferred is not None:
            self.rows[0].preferred.setChecked(True)

    def set_emails(self, emails: Sequence[EmailInput]) -> None:
        for row in list(self.rows):
            self.remove_row(row)
        for email in emails:
            self.add_row(email.address, preferred=email.preferred)
        if not self.rows:
            self.add_row()

    def emails(self) -> tuple[EmailInput, ...]:
        return tuple(
            EmailInput(row.edit.text(), row.preferred is not None and row.preferred.isChecked())
            for row in self.rows
        )

    def set_preferred(self, number: int) -> None:
        radio = self.rows[number].preferred
        if radio is not None:
            radio.setChecked(True)
