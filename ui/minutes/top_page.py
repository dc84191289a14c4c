"""The right-hand side for one TOP: notes, decisions, action items, carried-over items.

Only widgets and their layout; the editor (``minutes_editor``) wires them to the services.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.minutes.delegates import (
    DueDelegate,
    OwnerDelegate,
    VotesDelegate,
    due_edit,
    owner_completer,
    votes_box,
)
from ui.minutes.models import ActionModel, CarriedModel, DecisionModel
from ui.minutes.notes_editor import NotesEditor
from ui.widgets.column_fitter import ColumnFitter, ElidedTextDelegate
from ui.window_state import remember_splitter


def entry_table(model: object, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)  # type: ignore[arg-type]
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.setMinimumHeight(64)
    return view


def _widths(view: QTableView, widths: dict[int, int]) -> None:
    """Comfortable column widths in characters; the first column takes spare room, and the
    columns share a narrow table's width (``ColumnFitter``)."""
    comfortable = [widths.get(column, 24) for column in range(max(widths) + 1)]
    view.setItemDelegate(ElidedTextDelegate(view))
    ColumnFitter(view, comfortable=comfortable, stretch=[0])


def _submit_keys(widget: QWidget, slot: object) -> None:
    """Ctrl+Enter (both Enter keys) inside *widget* and its children adds the entry."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)


class TopPage(QWidget):
    """Signals:
    add_decision_requested(): the decision input row asks to add its entry.
    add_action_requested(): likewise for the action item row.
    """

    add_decision_requested = Signal()
    add_action_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("topHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.notes = NotesEditor()

        # Decisions
        self.decision_model = DecisionModel(self)
        self.decision_view = entry_table(self.decision_model, "decisionView")
        votes = VotesDelegate(self.decision_view)
        for column in (DecisionModel.YES, DecisionModel.NO, DecisionModel.ABSTAIN):
            self.decision_view.setItemDelegateForColumn(column, votes)
        _widths(self.decision_view, {1: 8, 2: 8, 3: 12})
        self.decision_input = QLineEdit()
        self.decision_input.setObjectName("decisionInput")
        self.decision_input.setAccessibleName(_("New decision"))
        self.decision_input.setPlaceholderText(_("New decision (Ctrl+Enter adds it)"))
        self.votes_yes = votes_box()
        self.votes_no = votes_box()
        self.votes_abstain = votes_box()
        for box, tip in (
            (self.votes_yes, _("Yes")),
            (self.votes_no, _("No")),
            (self.votes_abstain, _("Abstentions")),
        ):
            box.setToolTip(tip)
            box.setAccessibleName(tip)
        self.add_decision_button = QPushButton(_("Add"))
        self.add_decision_button.setToolTip(_("Add decision (Ctrl+Enter)"))
        self.add_decision_button.setObjectName("addDecision")
        self.remove_decision_button = QPushButton(_("Delete"))
        self.remove_decision_button.setObjectName("removeDecision")
        # Two lines (text; votes and buttons), so the box fits beside the notes.
        decision_row = QWidget()
        rows = QVBoxLayout(decision_row)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(self.decision_input)
        row = QHBoxLayout()
        rows.addLayout(row)
        for text, box in (
            (_("Yes"), self.votes_yes),
            (_("No"), self.votes_no),
            (_("Abst."), self.votes_abstain),
        ):
            caption = QLabel(text)
            caption.setBuddy(box)
            row.addWidget(caption)
            row.addWidget(box)
        row.addStretch(1)
        row.addWidget(self.add_decision_button)
        row.addWidget(self.remove_decision_button)
        _submit_keys(decision_row, self.add_decision_requested.emit)
        self.decision_input.returnPressed.connect(self.add_decision_requested.emit)
        self.add_decision_button.clicked.connect(self.add_decision_requested.emit)
        self.decision_box = QGroupBox(_("Decisions"))
        self.decision_box.setObjectName("decisionBox")
        box_layout = QVBoxLayout(self.decision_box)
        box_layout.setContentsMargins(6, 4, 6, 6)
        box_layout.addWidget(self.decision_view)
        box_layout.addWidget(decision_row)

        # Action items
        self.action_model = ActionModel(self)
        self.action_view = entry_table(self.action_model, "actionView")
        self.owner_delegate = OwnerDelegate(self.action_view)
        self.action_view.setItemDelegateForColumn(ActionModel.OWNER, self.owner_delegate)
        self.action_view.setItemDelegateForColumn(ActionModel.DUE, DueDelegate(self.action_view))
        _widths(self.action_view, {1: 20, 2: 10, 3: 8})
        self.action_input = QLineEdit()
        self.action_input.setObjectName("actionInput")
        self.action_input.setAccessibleName(_("New action item: what"))
        self.action_input.setPlaceholderText(_("What is to be done?"))
        self.owner_input = QLineEdit()
        self.owner_input.setObjectName("ownerInput")
        self.owner_input.setAccessibleName(_("New action item: who"))
        self.owner_input.setPlaceholderText(_("Who? (person, organisation or any text)"))
        self.due_input = due_edit()
        self.due_input.setObjectName("dueInput")
        self.due_input.setAccessibleName(_("New action item: due date"))
        self.due_input.setToolTip(_("Due date"))
        self.add_action_button = QPushButton(_("Add"))
        self.add_action_button.setToolTip(_("Add action item (Ctrl+Enter)"))
        self.add_action_button.setObjectName("addAction")
        self.remove_action_button = QPushButton(_("Delete"))
        self.remove_action_button.setObjectName("removeAction")
        action_row = QWidget()
        rows = QVBoxLayout(action_row)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(self.action_input)
        row = QHBoxLayout()
        rows.addLayout(row)
        row.addWidget(self.owner_input, 1)
        row.addWidget(self.due_input)
        row.addWidget(self.add_action_button)
        row.addWidget(self.remove_action_button)
        _submit_keys(action_row, self.add_action_requested.emit)
        self.action_input.returnPressed.connect(self.add_action_requested.emit)
        self.add_action_button.clicked.connect(self.add_action_requested.emit)
        self.action_box = QGroupBox(_("Action items"))
        self.action_box.setObjectName("actionBox")
        box_layout = QVBoxLayout(self.action_box)
        box_layout.setContentsMargins(6, 4, 6, 6)
        box_layout.addWidget(self.action_view)
        box_layout.addWidget(action_row)

        # Carried over
        self.carried_model = CarriedModel(self)
        self.carried_view = entry_table(self.carried_model, "carriedView")
        _widths(self.carried_view, {1: 18, 2: 10, 3: 14, 4: 8})
        self.carried_box = QGroupBox(_("Open action items from the last meeting"))
        self.carried_box.setObjectName("carriedBox")
        # Said as a tooltip: a line of text here would cost the notes their height.
        hint = _("Ticking “Done” closes the item everywhere, recorded in this meeting.")
        self.carried_box.setToolTip(hint)
        self.carried_view.setToolTip(hint)
        box_layout = QVBoxLayout(self.carried_box)
        box_layout.setContentsMargins(6, 4, 6, 6)
        box_layout.addWidget(self.carried_view)

        # The notes take the height on the left (they are what is typed during the meeting),
        # under the TOP that reviews them with the open items of the last meeting below;
        # decisions and action items stand beside them.
        self.entries = QSplitter(Qt.Orientation.Vertical)
        self.entries.setObjectName("minutesEntriesSplitter")
        self.entries.setChildrenCollapsible(False)
        self.entries.addWidget(self.decision_box)
        self.entries.addWidget(self.action_box)
        self.entries.setStretchFactor(0, 2)
        self.entries.setStretchFactor(1, 3)
        remember_splitter(self.entries, "minutes-entries")
        notes_column = QSplitter(Qt.Orientation.Vertical)
        notes_column.setObjectName("minutesNotesSplitter")
        notes_column.setChildrenCollapsible(False)
        notes_column.addWidget(self.notes)
        notes_column.addWidget(self.carried_box)
        notes_column.setStretchFactor(0, 3)
        notes_column.setStretchFactor(1, 2)
        self.carried_box.hide()
        remember_splitter(notes_column, "minutes-notes")
        self.notes.tools.insertWidget(0, self.heading, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("minutesTopSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(notes_column)
        splitter.addWidget(self.entries)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([500, 400])
        remember_splitter(splitter, "minutes-top")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)

        self.setTabOrder(self.notes.text, self.decision_input)
        self.setTabOrder(self.decision_input, self.votes_yes)
        self.setTabOrder(self.votes_yes, self.votes_no)
        self.setTabOrder(self.votes_no, self.votes_abstain)
        self.setTabOrder(self.votes_abstain, self.add_decision_button)
        self.setTabOrder(self.add_decision_button, self.action_input)
        self.setTabOrder(self.action_input, self.owner_input)
        self.setTabOrder(self.owner_input, self.due_input)
        self.setTabOrder(self.due_input, self.add_action_button)

    def show_carried(self, shown: bool) -> None:
        """The open action items of earlier meetings (under their TOP only)."""
        self.carried_box.setVisible(shown)

    def carried_shown(self) -> bool:
        return not self.carried_box.isHidden()

    def set_owner_labels(self, labels: list[str]) -> None:
        self.owner_input.setCompleter(owner_completer(labels, self.owner_input))
        self.owner_delegate.set_labels(labels)

    def clear_decision_input(self) -> None:
        self.decision_input.clear()
        for box in (self.votes_yes, self.votes_no, self.votes_abstain):
            box.setValue(-1)

    def clear_action_input(self) -> None:
        self.action_input.clear()
        self.owner_input.clear()
        self.due_input.setDate(self.due_input.minimumDate())

    def set_locked(self, locked: bool) -> None:
        self.notes.set_read_only(locked)
        for widget in (
            self.decision_input,
            self.votes_yes,
            self.votes_no,
            self.votes_abstain,
            self.add_decision_button,
            self.remove_decision_button,
            self.action_input,
            self.owner_input,
            self.due_input,
            self.add_action_button,
            self.remove_action_button,
        ):
            widget.setEnabled(not locked)
