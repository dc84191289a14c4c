"""Settings page "Sign-in sheet": the data-protection notice (Art. 13 GDPR) on every sheet.

The notice is stored only when it differs from the default text (which names the letterhead's
organisation as responsible), so a better default later reaches everyone who never edited it.
The sign-in sheet's print dialog edits the same stored text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from app.services.settings_form import NoticeChange, SettingsSnapshot
from ui.settings.page import SettingsPage, hint_label


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


class SigninPage(SettingsPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("signinPage", parent)
        self.title = _("Sign-in sheet")
        self._loaded = ""
        self._default = ""
        self.notice = QPlainTextEdit()
        self.notice.setObjectName("signinNoticeSetting")
        self.notice.setAccessibleName(_("Data-protection notice on the sign-in sheet"))
        self.notice.setTabChangesFocus(True)
        self.notice.textChanged.connect(self._edited)
        self.reset_button = QPushButton(_("Restore the default text"))
        self.reset_button.setObjectName("signinNoticeReset")
        self.reset_button.clicked.connect(lambda: self.notice.setPlainText(self._default))
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                _(
                    "The data-protection notice printed on the sign-in sheet (Art. 13 GDPR). "
                    "Leave it empty to print the default text."
                )
            )
        )
        layout.addWidget(self.notice, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        self._loaded = snapshot.privacy_notice
        self._default = snapshot.default_privacy_notice
        self.notice.setPlainText(snapshot.privacy_notice)

    def add_changes(self, changes: dict[str, Any]) -> None:
        text = self.notice.toPlainText()
        if _clean(text) != _clean(self._loaded):
            changes["privacy_notice"] = NoticeChange(text, self._default)
