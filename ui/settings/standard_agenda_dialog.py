"""Edit the standard TOPs offered for a new meeting, per document language.

One item per line in the form ``Title | minutes | kind`` (kind: information, discussion or
decision; a trailing ``| open items`` marks the TOP that lists the open action items). Plain
text keeps it keyboard-friendly; the service checks every entry when saving.

Signals:
    ready(): the stored items of the chosen language are shown.
    saved(str): the language whose items were stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError, ValidationError
from app.i18n import _
from app.models import AgendaItemKind
from app.services.standard_agenda import (
    StandardItem,
    reset_standard_agenda,
    set_standard_agenda,
    standard_agenda,
)
from ui.emitting import emit
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner
from ui.widgets.sizing import resize_within_screen

OPEN_ITEMS_MARK = "open items"
LANGUAGES = (("de", "Deutsch"), ("en", "English"))


def format_items(items: tuple[StandardItem, ...]) -> str:
    lines = []
    for item in items:
        parts = [item.title, str(item.minutes), item.kind.value]
        if item.lists_open_action_items:
            parts.append(OPEN_ITEMS_MARK)
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_items(text: str) -> list[StandardItem]:
    """Lines → items; a line that cannot be read raises ValidationError naming it."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        try:
            minutes = int(parts[1]) if len(parts) > 1 and parts[1] else 0
            kind = (
                AgendaItemKind(parts[2])
                if len(parts) > 2 and parts[2]
                else (AgendaItemKind.INFORMATION)
            )
        except ValueError:
            raise ValidationError(
                _("Line {number} is not “Title | minutes | kind”: {line}").format(
                    number=number, line=line
                )
            ) from None
        items.append(
            StandardItem(
                title=parts[0],
                minutes=minutes,
                kind=kind,
                lists_open_action_items=OPEN_ITEMS_MARK in parts[3:],
            )
        )
    return items


class StandardAgendaDialog(QDialog):
    ready = Signal()
    saved = Signal(str)

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standardAgendaDialog")
        self.setWindowTitle(_("Standard agenda items"))
        self._runner, self._db = runner, db
        self.language = QComboBox()
        self.language.setObjectName("standardLanguage")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(self._load)
        self.items = QPlainTextEdit()
        self.items.setObjectName("standardItems")
        self.items.setAccessibleName(_("Standard agenda items"))
        self.items.setTabChangesFocus(True)
        help_text = QLabel(
            _(
                "One item per line: Title | minutes | kind (information, discussion, decision). "
                "Add “| open items” to the item under which open action items are listed."
            )
        )
        help_text.setWordWrap(True)
        help_text.setEnabled(False)
        self.error = QLabel()
        self.error.setObjectName("standardError")
        set_tone(self.error, Tone.NEGATIVE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        reset = QPushButton(_("Back to the defaults"))
        reset.clicked.connect(self.reset)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("&Language of the documents:"), self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.items, 1)
        layout.addWidget(help_text)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 640, 420)
        self._load()

    def _code(self) -> str:
        return str(self.language.currentData())

    def _load(self, *_args: object) -> None:
        self._runner.run(
            standard_agenda, self._db, self._code(), on_done=self._show, on_error=self._failed
        )

    def _show(self, items: tuple[StandardItem, ...]) -> None:
        self.items.setPlainText(format_items(items))
        emit(self.ready)

    def save(self) -> None:
        self.error.hide()
        try:
            items = parse_items(self.items.toPlainText())
        except ValidationError as exc:
            self._failed(exc)
            return
        code = self._code()
        self._runner.run(
            set_standard_agenda,
            self._db,
            code,
            items,
            on_done=lambda _none: self._saved(code),
            on_error=self._failed,
        )

    def _saved(self, code: str) -> None:
        emit(self.saved, code)
        self.accept()

    def reset(self) -> None:
        self._runner.run(
            reset_standard_agenda,
            self._db,
            self._code(),
            on_done=lambda _none: self._load(),
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.error.setText(
            str(error) if isinstance(error, TreffpunktError) else _("That did not work.")
        )
        self.error.show()
