"""What every page of the settings dialog does, and small widgets the pages share.

A page shows its part of the ``SettingsSnapshot`` (``show_snapshot``), says what is wrong with
its input right now (``problem``: one sentence from the services' own checks, or None) and
adds what the user changed to the ``SettingsChanges`` being built (``add_changes``). Pages do
no database work: the dialog loads and saves everything at once through the task runner.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.services.settings_form import SettingsSnapshot
from ui.emitting import emit
from ui.palette import Tone, set_tone


def message_label(name: str) -> QLabel:
    """A wrapped plain-text label for a page's message (hidden while empty)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def say(label: QLabel, text: str | None, *, ok: bool = False) -> None:
    """Show *text* in *label* (the palette's refusal tone, or its positive one with *ok*);
    None or "" hides it."""
    set_tone(label, Tone.POSITIVE if ok else Tone.NEGATIVE)
    label.setText(text or "")
    label.setVisible(bool(text))


def hint_label(text: str) -> QLabel:
    """A grey explanation under a form."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)
    return label


class SettingsPage(QWidget):
    """Base of the pages. Signals: edited(): the user changed something."""

    edited = Signal()

    #: Short name for the dialog's list of pages (translated).
    title = ""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.error = message_label(f"{name}Error")

    def show_snapshot(self, snapshot: SettingsSnapshot) -> None:
        raise NotImplementedError

    def problem(self) -> str | None:
        """What must be corrected before saving (one sentence), or None."""
        return None

    def add_changes(self, changes: dict[str, Any]) -> None:
        """Put this page's changed values into *changes* (``SettingsChanges`` fields)."""
        raise NotImplementedError

    def check(self) -> str | None:
        """Run ``problem`` and show it on the page."""
        text = self.problem()
        say(self.error, text)
        return text

    def _edited(self, *_args: object) -> None:
        emit(self.edited)
