"""The notes editor of one TOP: plain text with the minutes' simple markup, a small toolbar
(bold, bullet list, preview) and one ``QTextDocument`` per TOP, so that each TOP keeps its own
typing undo history while the minute-taker switches back and forth."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.minutes import BulletList, Paragraph, Run, parse_notes

BULLET = "- "


def notes_html(text: str) -> str:
    """The notes as Qt rich text for the preview; user text escaped."""

    def runs(items: tuple[Run, ...]) -> str:
        out = []
        for run in items:
            escaped = html.escape(run.text).replace("\n", "<br>")
            out.append(f"<b>{escaped}</b>" if run.bold else escaped)
        return "".join(out)

    parts = []
    for block in parse_notes(text):
        if isinstance(block, Paragraph):
            parts.append(f"<p>{runs(block.runs)}</p>")
        elif isinstance(block, BulletList):
            items = "".join(f"<li>{runs(item)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


class _PlainEdit(QPlainTextEdit):
    """Signals: focus_lost(): the editor lost the keyboard focus (autosave flushes)."""

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class NotesEditor(QWidget):
    """Signals:
    edited(int, str): agenda item id and the full text after a change by the user.
    focus_lost(): the text field lost the focus.
    """

    edited = Signal(int, str)
    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._documents: dict[int, QTextDocument] = {}
        self._current: int | None = None
        self._empty = self._new_document()

        self.text = _PlainEdit()
        self.text.setObjectName("notesEdit")
        self.text.setAccessibleName(_("Notes"))
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(
            _("Notes on this item. **bold**, lines starting with “- ” become a bullet list.")
        )
        self.text.setDocument(self._empty)
        self.text.focus_lost.connect(self.focus_lost)

        self.bold_button = self._tool(_("Bold"), "B", QKeySequence.StandardKey.Bold, self.bold)
        bold_font = self.bold_button.font()
        bold_font.setBold(True)
        self.bold_button.setFont(bold_font)
        self.bullet_button = self._tool(
            _("Bullet list"), "•", QKeySequence("Ctrl+Shift+L"), self.toggle_bullets
        )
        self.preview_button = QToolButton()
        self.preview_button.setText(_("Preview"))
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip(_("Show the notes as the minutes print them"))
        self.preview_button.toggled.connect(self._toggle_preview)

        self.preview = QTextBrowser()
        self.preview.setObjectName("notesPreview")
        self.preview.setAccessibleName(_("Notes as printed"))
        self.preview.setOpenLinks(False)
        self.preview.hide()

        # The minutes editor puts the TOP's heading in front (``tools.insertWidget(0, …)``).
        self.tools = QHBoxLayout()
        self.tools.setContentsMargins(0, 0, 0, 0)
        self.tools.addWidget(self.bold_button)
        self.tools.addWidget(self.bullet_button)
        self.tools.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.tools)
        layout.addWidget(self.text, 3)
        layout.addWidget(self.preview, 2)

    def _tool(
        self, tip: str, text: str, keys: QKeySequence | QKeySequence.StandardKey, slot: object
    ) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        sequence = QKeySequence(keys)
        button.setToolTip(f"{tip} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the text
        button.clicked.connect(slot)
        # The key works only while the text has the focus, like a word processor's.
        shortcut = QShortcut(sequence, self.text)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)
        return button

    def _new_document(self) -> QTextDocument:
        document = QTextDocument(self)
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        return document

    # -- content --------------------------------------------------------------------------------

    def set_notes(self, agenda_item_id: int, text: str) -> None:
        """Load the stored text of a TOP (its undo history starts afresh)."""
        document = self._documents.get(agenda_item_id)
        if document is None:
            document = self._new_document()
            self._documents[agenda_item_id] = document
            document.contentsChanged.connect(lambda: self._changed(agenda_item_id))
        document.blockSignals(True)
        document.setPlainText(text)
        document.clearUndoRedoStacks()
        document.setModified(False)
        document.blockSignals(False)
        if agenda_item_id == self._current:
            self.preview.setHtml(notes_html(text))

    def replace_notes(self, agenda_item_id: int, text: str) -> None:
        """Replace the text as an undoable edit (e.g. after choosing the stored version)."""
        document = self._documents.get(agenda_item_id)
        if document is None:
            self.set_notes(agenda_item_id, text)
            return
        document.blockSignals(True)
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        document.blockSignals(False)

    def notes(self, agenda_item_id: int) -> str | None:
        document = self._documents.get(agenda_item_id)
        return document.toPlainText() if document is not None else None

    def show_item(self, agenda_item_id: int | None) -> None:
        self._current = agenda_item_id
        document = self._documents.get(agenda_item_id) if agenda_item_id is not None else None
        self.text.setDocument(document or self._empty)
        self.text.moveCursor(QTextCursor.MoveOperation.End)
        self.text.setEnabled(document is not None)
        self._refresh_preview()

    def current_item(self) -> int | None:
        return self._current

    def set_read_only(self, read_only: bool) -> None:
        self.text.setReadOnly(read_only)
        self.bold_button.setEnabled(not read_only)
        self.bullet_button.setEnabled(not read_only)

    def _changed(self, agenda_item_id: int) -> None:
        document = self._documents[agenda_item_id]
        text = document.toPlainText()
        self.edited.emit(agenda_item_id, text)
        if agenda_item_id == self._current:
            self._refresh_preview()

    # -- formatting -----------------------------------------------------------------------------

    def bold(self) -> None:
        """Wrap the selection in ** (or insert **|** at the cursor)."""
        if self.text.isReadOnly():
            return
        cursor = self.text.textCursor()
        selected = cursor.selectedText()
        cursor.beginEditBlock()
        if selected:
            cursor.insertText(f"**{selected}**")
        else:
            cursor.insertText("****")
            cursor.movePosition(QTextCursor.MoveOperation.Left, n=2)
        cursor.endEditBlock()
        self.text.setTextCursor(cursor)

    def toggle_bullets(self) -> None:
        """Add "- " to the selected lines, or remove it when every line has it."""
        if self.text.isReadOnly():
            return
        cursor = self.text.textCursor()
        document = self.text.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        blocks = [first]
        while blocks[-1] != last and blocks[-1].next().isValid():
            blocks.append(blocks[-1].next())
        remove = all(block.text().startswith(BULLET) for block in blocks)
        edit = QTextCursor(document)
        edit.beginEditBlock()
        for block in blocks:
            edit.setPosition(block.position())
            if remove:
                edit.movePosition(
                    QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, len(BULLET)
                )
                edit.removeSelectedText()
            else:
                edit.insertText(BULLET)
        edit.endEditBlock()

    def _toggle_preview(self, on: bool) -> None:
        self.preview.setVisible(on)
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        if self.preview.isVisible():
            self.preview.setHtml(notes_html(self.text.toPlainText()))
