"""Settings page "Standard agenda": the TOPs offered for a new meeting, per document language.

One item per line, ``Title | minutes | kind`` (kind: information, discussion or decision; a
trailing ``| open items`` marks the TOP that lists the open action items): plain text keeps it
keyboard-friendly. Each language is edited in memory and stored with the dialog's Save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import TreffpunktError
from app.i18n import _
from app.services.settings_form import SettingsSnapshot
from app.services.standard_agenda import (
    StandardItem,
    format_standard_items,
    parse_standard_items,
)
from ui.settings.page import SettingsPage, hint_label

LANGUAGES = (("de", "Deutsch"), ("en", "English"))


class StandardAgendaPage(SettingsPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("standardAgendaPage", parent)
        self.title = _("Standard agenda")
        self._loaded: dict[str, tuple[StandardItem, ...]] = {}
        self._defaults: dict[str, tuple[StandardItem, ...]] = {}
        self._texts: dict[str, str] = {}
        self._shown: str | None = None
        self.language = QComboBox()
        self.language.setObjectName("standardLanguage")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(self._choose)
        self.items = QPlainTextEdit()
        self.items.setObjectName("standardItems")
        self.items.setAccessibleName(_("Items of the standard agenda"))
        self.items.setTabChangesFocus(True)
        self.items.textChanged.connect(self._typed)
        self.reset_button = QPushButton(_("Back to the defaults"))
        self.reset_button.setObjectName("standardReset")
        self.reset_button.clicked.connect(self.reset)
        form = QFormLayout()
        form.addRow(_("&Language of the documents:"), self.language)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.items, 1)
        layout.addWidget(
            hint_label(
                _(
                    "One item per line: Title | minutes | kind (information, discussion, "
                    "decision). Add “| open items” to the item under which open action items "
                    "are listed."
                )
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.error)

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        self._loaded = dict(snapshot.standard_agenda)
        self._defaults = {code: snapshot.default_standard_agenda(code) for code in self._loaded}
        self._texts = {code: format_standard_items(items) for code, items in self._loaded.items()}
        self._choose()

    def _code(self) -> str:
        return str(self.language.currentData())

    def _choose(self, *_args: object) -> None:
        code = self._code()
        if code not in self._texts:
            return
        self._shown = None
        self.items.setPlainText(self._texts[code])
        self._shown = code

    def _typed(self) -> None:
        if self._shown is not None:
            self._texts[self._shown] = self.items.toPlainText()
            self._edited()

    def reset(self) -> None:
        code = self._code()
        if code in self._defaults:
            self.items.setPlainText(format_standard_items(self._defaults[code]))

    def problem(self) -> str | None:
        for code, text in self._texts.items():
            try:
                parse_standard_items(text)
            except TreffpunktError as error:
                return f"{dict(LANGUAGES)[code]}: {error}"
        return None

    def add_changes(self, changes: dict[str, Any]) -> None:
        edited: dict[str, tuple[StandardItem, ...] | None] = {}
        for code, text in self._texts.items():
            # Compared as text: the text form has no descriptions, so an untouched language
            # must not be stored again from it.
            if text == format_standard_items(self._loaded.get(code, ())):
                continue
            items = parse_standard_items(text)
            edited[code] = None if items == self._defaults.get(code) else items
        if edited:
            changes["standard_agenda"] = edited
