"""Groups and quarters: create, rename and delete them (each undoable with Ctrl+Z)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, ngettext
from app.services.directory_editing import Choice, EditingChoices, editing_choices
from ui.network.actions import DirectoryActions
from ui.network.commands import GROUP_OPS, QUARTER_OPS, LabelOps
from ui.undo import UndoKeys
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import ALIGN_RIGHT, Column, RowTableModel, TableView


def _members(kind: str, count: int) -> str:
    if kind == "groups":
        return ngettext("{count} person", "{count} people", count).format(count=count)
    return ngettext("{count} organisation", "{count} organisations", count).format(count=count)


class LabelModel(RowTableModel):
    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(
            (
                Column(N_("Name"), lambda r: r.name, sort_key=lambda r: r.name, stretch=True),
                Column(
                    N_("Used by"),
                    lambda r: _members(kind, r.members),
                    sort_key=lambda r: r.members,
                    align=ALIGN_RIGHT,
                    width=14,
                ),
            ),
            parent,
        )


AskText = Callable[[QWidget, str, str, str], tuple[str, bool]]


def ask_text(parent: QWidget, title: str, label: str, text: str) -> tuple[str, bool]:
    """A one-line input (tests replace it to answer without a modal loop)."""
    return QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)


class _LabelTab(QWidget):
    def __init__(
        self,
        kind: str,
        ops: LabelOps,
        actions: DirectoryActions,
        dialog: GroupsDialog,
    ) -> None:
        super().__init__()
        self.kind = kind
        self._ops = ops
        self._actions = actions
        self._dialog = dialog
        self.model = LabelModel(kind, self)
        empty = _("No groups yet.") if kind == "groups" else _("No quarters yet.")
        self.view = TableView(self.model, f"{kind}View", empty_text=empty)
        self.view.setAccessibleName(_("Groups") if kind == "groups" else _("Quarters"))
        self.view.activated.connect(lambda _index: self.rename_label())
        self.new_button = QPushButton(_("New…"))
        self.new_button.setObjectName(f"new_{kind}")
        self.rename_button = QPushButton(_("Rename…"))
        self.rename_button.setObjectName(f"rename_{kind}")
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setObjectName(f"delete_{kind}")
        self.new_button.clicked.connect(self.create_label)
        self.rename_button.clicked.connect(self.rename_label)
        self.delete_button.clicked.connect(self.delete_label)
        QShortcut(QKeySequence.StandardKey.Delete, self.view, self.delete_label)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QVBoxLayout()
        for button in (self.new_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_rows(self, rows: tuple[Choice, ...]) -> None:
        selected: Choice | None = self.view.selected_row()
        self.model.set_rows(rows)
        if selected is not None:
            for number in range(self.model.rowCount()):
                if self.model.row(number).id == selected.id:
                    self.view.selectRow(number)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        has = self.view.selected_row() is not None
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _new_title(self) -> str:
        # Whole sentences: German needs "Neue Gruppe" but "Neues Quartier".
        return _("New group") if self.kind == "groups" else _("New quarter")

    def create_label(self) -> None:
        name, ok = self._dialog.ask_text(self, self._new_title(), _("Name:"), "")
        if ok and name.strip():
            self._actions.create_label(self._ops, name, self._dialog.show_error)

    def rename_label(self) -> None:
        row: Choice | None = self.view.selected_row()
        if row is None:
            return
        name, ok = self._dialog.ask_text(self, _("Rename"), _("New name:"), row.name)
        if ok and name.strip() and name.strip() != row.name:
            self._actions.rename_label(self._ops, row.id, name, self._dialog.show_error)

    def delete_label(self) -> None:
        row: Choice | None = self.view.selected_row()
        if row is None:
            return
        if row.members:
            question = _(
                "“{name}” is used by {members}. Delete it anyway? They stay in the directory; "
                "only the assignment goes. You can undo this with Ctrl+Z."
            ).format(name=row.name, members=_members(self.kind, row.members))
            if not self._dialog.ask_yes(_("Delete “{name}”").format(name=row.name), question):
                return
        self._actions.delete_label(self._ops, row.id, self._dialog.show_error)


class GroupsDialog(QDialog):
    """Lists groups and quarters with their use; every change goes through the page's actions
    (and its undo stack), and the lists reload after each one."""

    def __init__(self, actions: DirectoryActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsDialog")
        self.setWindowTitle(_("Groups and quarters"))
        self._actions = actions
        self.ask_text: AskText = ask_text
        self.groups = _LabelTab("groups", GROUP_OPS, actions, self)
        self.quarters = _LabelTab("quarters", QUARTER_OPS, actions, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.groups, _("Groups"))
        self.tabs.addTab(self.quarters, _("Quarters"))
        hint = QLabel(
            _(
                "Assign people to a group in the people list: select several rows, then "
                "“Add to group”."
            )
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        resize_within_screen(self, 520, 420)
        # The dialog blocks the window and its Edit menu: Ctrl+Z must work here too.
        UndoKeys(self, actions.stack)
        actions.changed.connect(self.reload)
        self.show_choices(actions.choices)
        self.reload()

    def reload(self) -> None:
        db: Database | None = self._actions.database()
        if db is not None:
            self._actions.runner.run(
                editing_choices, db, key="groups-dialog", on_done=self.show_choices
            )

    def show_choices(self, choices: EditingChoices) -> None:
        self.groups.set_rows(choices.groups)
        self.quarters.set_rows(choices.quarters)

    def show_error(self, error: BaseException) -> None:
        QMessageBox.warning(self, _("Groups and quarters"), error_text(error))

    def ask_yes(self, title: str, question: str) -> bool:
        """Tests replace this to answer without a modal loop."""
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes
