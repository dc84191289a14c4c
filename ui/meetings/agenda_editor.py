"""The agenda editor of the Agenda tab: a tree of TOPs with drag and drop, keys and undo.

Keys on the list: Ins add, Shift+Ins add sub-item, Del remove, Tab / Ctrl+→ indent,
Shift+Tab / Ctrl+← outdent, Ctrl+↑ / Ctrl+↓ move, F2 edit; Ctrl+Z undo, Ctrl+Shift+Z redo.
Every change is one service call through ``agenda_commands`` (undoable); afterwards the agenda
is loaded again, so numbers, start times and the planned end always come from the services.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import TreffpunktError
from app.i18n import N_, _, format_date, format_time
from app.services import agenda
from app.services.agenda import AgendaEntry, AgendaItemDraft, AgendaView
from app.services.directory_rows import PersonChoice, PersonRow
from app.services.standard_agenda import OpenActionItem, open_action_items
from ui.emitting import emit
from ui.meetings.agenda_commands import (
    AddItemCommand,
    AgendaCommand,
    MoveItemCommand,
    RemoveItemCommand,
    SerialRunner,
    UpdateItemCommand,
    move_to,
)
from ui.meetings.agenda_model import COL_TITLE, AgendaTreeModel
from ui.meetings.agenda_view import AgendaDelegate, AgendaTreeView
from ui.meetings.person_picker import PersonCombo
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner
from ui.widgets.tables import Column, RowTableModel, TableView

NEW_ITEM_MINUTES = 10


OPEN_ITEM_COLUMNS = (
    Column(N_("Task"), lambda r: r.text, width=30, tooltip=lambda r: r.text, stretch=True),
    Column(N_("Who"), lambda r: r.owner, width=16),
    Column(N_("Due"), lambda r: format_date(r.due) if r.due else "", width=10),
    Column(N_("From meeting"), lambda r: r.meeting_title, width=20),
)


class AgendaEditor(QWidget):
    """Edits the agenda of one meeting (see the module docstring).

    Signals:
        loaded(object): the ``AgendaView`` now shown (after each change, too).
        failed(object): a service refused a change (the exception), already shown to the user.
    """

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaEditor")
        self._runner = runner
        self._db: Database | None = None
        self._meeting_id: int | None = None
        self._editable = False
        self._focus_id: int | None = None
        self._edit_after_load = False
        self._open_items: list[OpenActionItem] = []
        self.serial = SerialRunner(runner, self)
        self.serial.failed.connect(self._history_broken)
        self.serial.idle.connect(self.reload)
        self.undo_stack = QUndoStack(self)

        self.model = AgendaTreeModel(self)
        self.model.edit_requested.connect(self.update_item)
        self.model.move_requested.connect(self.move_item)
        self.view = AgendaTreeView()
        self.view.setObjectName("agendaTree")
        self.view.setAccessibleName(_("Agenda"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(AgendaDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # DragDrop, not InternalMove: the model accepts only its own MIME type anyway, and
        # InternalMove would ignore drops whose source is not this view (synthetic test drops).
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDragDropOverwriteMode(False)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.view.header()
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        for column, chars in enumerate((5, 6, 36, 18, 11, 11)):
            self.view.setColumnWidth(column, metrics.horizontalAdvance("n" * chars) + 16)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.view.key_action.connect(self.key_action)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for name, text, tip in (
            ("add", _("&Add"), _("Add an item below the selected one (Ins)")),
            ("add_child", _("Add s&ub-item"), _("Add a sub-item to the selected item (Shift+Ins)")),
            ("remove", _("&Remove"), _("Remove the selected item and its sub-items (Del)")),
            ("indent", _("Indent"), _("Make it a sub-item of the item above (Tab, Ctrl+→)")),
            ("outdent", _("Outdent"), _("Lift it one level (Shift+Tab, Ctrl+←)")),
            ("up", _("Up"), _("Move up (Ctrl+↑)")),
            ("down", _("Down"), _("Move down (Ctrl+↓)")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"agenda_{name}")
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, n=name: self.key_action(n))
            bar.addWidget(button)
            self.buttons[name] = button
        bar.addStretch(1)
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.setToolTip(_("Undo (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton(_("Redo"))
        self.redo_button.setToolTip(_("Redo (Ctrl+Shift+Z)"))
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self._update_buttons)
        self.undo_stack.canRedoChanged.connect(self._update_buttons)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        for keys, slot in (
            (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            ("Ctrl+Shift+Z", self.undo_stack.redo),
            (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.summary = QLabel()
        self.summary.setObjectName("agendaSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.read_only_note = QLabel()
        self.read_only_note.setEnabled(False)
        self.read_only_note.setWordWrap(True)

        self.side = self._side_pane()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([640, 360])  # the list first: titles are the long column

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.read_only_note)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        self._update_buttons()

    # -- side pane -----------------------------------------------------------------------------

    def _side_pane(self) -> QWidget:
        pane = QWidget()
        form = QFormLayout()
        self.presenter_person = PersonCombo("agendaPresenterPerson")
        self.presenter_text = QLineEdit()
        self.presenter_text.setObjectName("agendaPresenterText")
        self.presenter_text.setPlaceholderText(_("e.g. “Sport im Park” team"))
        self.description = QPlainTextEdit()
        self.description.setObjectName("agendaDescription")
        self.description.setTabChangesFocus(True)
        self.save_details = QPushButton(_("Save details"))
        self.save_details.setObjectName("agendaSaveDetails")
        self.save_details.clicked.connect(self._save_details)
        form.addRow(_("Presenter (person):"), self.presenter_person)
        form.addRow(_("Presenter (text):"), self.presenter_text)
        form.addRow(_("Description:"), self.description)
        self.open_items_label = QLabel(_("Open action items of earlier meetings:"))
        self.open_items_model = RowTableModel(OPEN_ITEM_COLUMNS, self)
        self.open_items_view = TableView(
            self.open_items_model,
            "openActionItems",
            empty_text=_("No open action items from earlier meetings."),
            sortable=False,
        )
        self.open_items_view.setAccessibleName(_("Open action items from earlier meetings"))
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.save_details, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.open_items_label)
        layout.addWidget(self.open_items_view, 1)
        self._show_details(None)
        return pane

    def set_people(self, people: Sequence[PersonRow | PersonChoice]) -> None:
        self.presenter_person.set_people(people)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_details(self.model.entry(current))
        self._update_buttons()

    def _show_details(self, entry: AgendaEntry | None) -> None:
        enabled = entry is not None and self._editable
        for widget in (self.presenter_person, self.presenter_text, self.description):
            widget.setEnabled(enabled)
        self.save_details.setEnabled(enabled)
        self.presenter_person.set_person_id(entry.presenter_id if entry else None)
        self.presenter_text.setText(entry.presenter_text if entry else "")
        self.description.setPlainText(entry.row.description if entry else "")
        lists = entry is not None and entry.row.lists_open_action_items
        self.open_items_label.setVisible(lists)
        self.open_items_view.setVisible(lists)

    def _save_details(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        draft = dataclasses.replace(
            entry.draft(),
            presenter_id=self.presenter_person.person_id(),
            presenter_text=self.presenter_text.text(),
            description=self.description.toPlainText(),
        )
        if draft != entry.draft():
            self.update_item(entry.id, draft)

    # -- loading -------------------------------------------------------------------------------

    def show_meeting(self, db: Database | None, meeting_id: int | None, *, editable: bool) -> None:
        """Show (and load) the agenda of a meeting; the undo history belongs to one meeting."""
        if db is not self._db or meeting_id != self._meeting_id:
            self.undo_stack.clear()
        self._db, self._meeting_id, self._editable = db, meeting_id, editable
        self.read_only_note.setText(
            ""
            if editable
            else _("This meeting can no longer be changed; the agenda is shown read-only.")
        )
        self.read_only_note.setVisible(not editable and meeting_id is not None)
        if db is None or meeting_id is None:
            self.model.set_agenda(None, editable=False)
            self._update_buttons()
            return
        self.reload()

    def show_loading(self) -> None:
        """Empty, saying "Loading…", until ``show_meeting`` names the next meeting (a late
        agenda of the meeting shown before is dropped: its id is no longer ours)."""
        self.show_meeting(self._db, None, editable=False)
        set_tone(self.summary, None)
        self.summary.setText(_("Loading…"))

    def reload(self) -> None:
        if self._db is None or self._meeting_id is None or self.serial.is_busy():
            return
        db, meeting_id = self._db, self._meeting_id

        def load() -> tuple[AgendaView, list[OpenActionItem]]:
            view = agenda.get_agenda(db, meeting_id)
            lists = any(e.row.lists_open_action_items for e in view.entries)
            return view, open_action_items(db, meeting_id) if lists else []

        self._runner.run(
            load, key=f"agenda-editor-{id(self)}", on_done=self._loaded, on_error=self._refused
        )

    def _loaded(self, result: tuple[AgendaView, list[OpenActionItem]]) -> None:
        view, open_items = result
        if view.meeting_id != self._meeting_id:
            return
        keep = self._focus_id
        if keep is None:
            current = self.current_entry()
            keep = current.id if current is not None else None
        self._open_items = open_items
        self.open_items_model.set_rows(open_items)
        self.model.set_agenda(view, editable=self._editable)
        self.view.expandAll()
        self._focus_id = None
        if keep is not None and self.model.entry_by_id(keep) is not None:
            self.select_item(keep)
            if self._edit_after_load:
                self.view.edit(self.model.index_of(keep, COL_TITLE))
        self._edit_after_load = False
        self._show_summary(view)
        self._show_details(self.current_entry())
        self._update_buttons()
        emit(self.loaded, view)

    def _show_summary(self, view: AgendaView) -> None:
        end = view.end
        text = _("{count} items, {minutes} minutes planned; planned end {end}").format(
            count=len(view.entries), minutes=view.total_minutes, end=format_time(view.planned_end)
        )
        if end is not None:
            text += _(" (meeting ends {end})").format(end=format_time(end))
        if view.overruns and end is not None:
            over = int((view.planned_end - end).total_seconds() // 60)
            text += " — " + _("the agenda runs {minutes} minutes past the meeting end!").format(
                minutes=over
            )
            set_tone(self.summary, Tone.NEGATIVE, bold=True)
        else:
            set_tone(self.summary, None)
        self.summary.setText(text)
        self.summary.setProperty("overruns", view.overruns)

    # -- selection -----------------------------------------------------------------------------

    def current_entry(self) -> AgendaEntry | None:
        index = self.view.selectionModel().currentIndex()
        return self.model.entry(index) if index.isValid() else None

    def select_item(self, item_id: int) -> None:
        index = self.model.index_of(item_id)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        has_agenda = self._editable and self._meeting_id is not None
        for name, button in self.buttons.items():
            button.setEnabled(has_agenda and (name == "add" or entry is not None))
        self.undo_button.setEnabled(self._editable and self.undo_stack.canUndo())
        self.redo_button.setEnabled(self._editable and self.undo_stack.canRedo())

    # -- actions -------------------------------------------------------------------------------

    def key_action(self, name: str) -> None:
        if not self._editable or self._db is None or self._meeting_id is None:
            return
        entry = self.current_entry()
        if name == "add":
            self.add_item(
                entry.row.parent_id if entry else None, entry.index + 1 if entry else None
            )
            return
        if entry is None:
            return
        if name == "add_child":
            self.add_item(entry.id, None)
        elif name == "remove":
            self._execute(RemoveItemCommand(self._db, self.serial, entry.id, entry.row.title))
        elif name == "indent":
            self._move(entry, _("Indent “{title}”"), agenda.indent_item)
        elif name == "outdent":
            self._move(entry, _("Outdent “{title}”"), agenda.outdent_item)
        elif name == "up" and entry.index > 0:
            self._move(entry, _("Move “{title}”"), move_to(entry.row.parent_id, entry.index - 1))
        elif name == "down":
            self._move(entry, _("Move “{title}”"), move_to(entry.row.parent_id, entry.index + 1))

    def add_item(self, parent_id: int | None, index: int | None) -> None:
        assert self._db is not None
        assert self._meeting_id is not None
        draft = AgendaItemDraft(title=_("New item"), planned_minutes=NEW_ITEM_MINUTES)
        self._edit_after_load = True
        self._execute(
            AddItemCommand(self._db, self.serial, self._meeting_id, draft, parent_id, index)
        )

    def update_item(self, item_id: int, draft: AgendaItemDraft) -> None:
        if self._db is not None and self._editable:
            self._execute(UpdateItemCommand(self._db, self.serial, item_id, draft))

    def move_item(self, item_id: int, new_parent_id: int | None, new_index: int) -> None:
        """What a drop asks for (see ``AgendaTreeModel.move_requested``)."""
        entry = self.model.entry_by_id(item_id)
        if self._db is None or entry is None:
            return
        self._move(entry, _("Move “{title}”"), move_to(new_parent_id, new_index))

    def _move(
        self, entry: AgendaEntry, text: str, operation: Callable[[Database, int], Any]
    ) -> None:
        assert self._db is not None
        self._execute(
            MoveItemCommand(
                self._db, self.serial, entry.id, text.format(title=entry.row.title), operation
            )
        )

    def _execute(self, command: AgendaCommand) -> None:
        def succeeded(done: AgendaCommand) -> None:
            self._focus_id = done.focus_id
            self.undo_stack.push(done)
            done.mark_pushed()

        command.start(succeeded, self._refused)

    def _history_broken(self, error: BaseException) -> None:
        """An undo or redo failed (the agenda changed elsewhere): that history is void."""
        self.undo_stack.clear()
        self._refused(error)

    def _refused(self, error: BaseException) -> None:
        self._edit_after_load = False
        if isinstance(error, TreffpunktError):
            QMessageBox.warning(self, _("Agenda"), str(error))
        else:
            QMessageBox.critical(self, _("Agenda"), _("The agenda could not be changed."))
        emit(self.failed, error)
