"""Editing on the network page: the toolbar, keys, context-menu entries and reloads.

Kept apart from ``ui.network.page`` so the page stays a list viewer: this object adds the
buttons (New person, New organisation, Edit, Add to group, …, Show archived), reacts to
double-click / Enter (edit), Delete (delete or archive) and Ctrl+N (new person), and keeps
the selection and scroll position when the lists reload after a change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QItemSelectionRange,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from app.i18n import _
from app.services.directory_rows import EditingChoices, OrganisationRow
from ui.network.actions import DirectoryActions
from ui.undo import follow_visibility
from ui.widgets.tables import ROW_ROLE, TableView

if TYPE_CHECKING:
    from app.db import Database
    from ui.network.groups_dialog import GroupsDialog
    from ui.network.page import NetworkPage

NEW_PERSON_KEY = QKeySequence("Ctrl+N")


def _ranges(selection: QItemSelection) -> list[QItemSelectionRange]:
    return [selection.at(number) for number in range(selection.size())]


def _selected_numbers(view: TableView) -> list[int]:
    selection_model = view.selectionModel()
    if selection_model is None:
        return []
    # From the ranges, not selectedRows(): that asks flags() for every selected cell.
    return sorted(
        {
            row
            for part in _ranges(selection_model.selection())
            for row in range(part.top(), part.bottom() + 1)
        }
    )


def selected_rows(view: TableView) -> list[Any]:
    """The frozen rows of every selected line, in the order shown."""
    model = view.model()
    return [model.index(row, 0).data(ROW_ROLE) for row in _selected_numbers(view)]


def selected_ids(view: TableView) -> list[int]:
    """The ids of every selected line, in the order shown; from the lazy people list without
    fetching a single row (10,000 selected people are 10,000 ints)."""
    model: Any = view.model()
    if hasattr(model, "id_at"):
        return [model.id_at(row) for row in _selected_numbers(view)]
    return [row.id for row in selected_rows(view)]


def _current_id(view: TableView) -> int | None:
    current = view.currentIndex()
    if not current.isValid():
        return None
    model: Any = view.model()
    if hasattr(model, "id_at"):
        return int(model.id_at(current.row()))
    row = current.data(ROW_ROLE)
    return row.id if row is not None else None


def _shown_positions(view: TableView, ids: set[int]) -> dict[int, int]:
    """``{id: row shown}`` of those *ids* that are in view."""
    shown: Any = view.model()
    if hasattr(shown, "row_numbers"):
        return dict(shown.row_numbers(ids))
    proxy = shown if isinstance(shown, QSortFilterProxyModel) else None
    source: Any = proxy.sourceModel() if proxy is not None else shown
    positions: dict[int, int] = {}
    for source_row, row in enumerate(source.rows()):
        if row.id in ids:
            shown_row = (
                proxy.mapFromSource(source.index(source_row, 0)).row()
                if proxy is not None
                else source_row
            )
            if shown_row >= 0:  # not filtered out of view
                positions[row.id] = shown_row
    return positions


def select_ids(view: TableView, ids: set[int], current: int | None) -> None:
    """Select the rows whose ``id`` is in *ids* with one selection change.

    Neighbouring rows become one range: 10,000 selected people are one range, not 10,000
    (Qt's selection gets slow with many ranges).
    """
    shown = view.model()
    positions = _shown_positions(view, ids | ({current} if current is not None else set()))
    wanted = sorted(row for person, row in positions.items() if person in ids)
    current_row = positions.get(current, -1) if current is not None else -1
    selection = QItemSelection()
    last_column = shown.columnCount() - 1
    start = 0
    for number in range(1, len(wanted) + 1):
        if number == len(wanted) or wanted[number] != wanted[number - 1] + 1:
            selection.append(
                QItemSelectionRange(
                    shown.index(wanted[start], 0), shown.index(wanted[number - 1], last_column)
                )
            )
            start = number
    selection_model = view.selectionModel()
    selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    if current_row >= 0:
        selection_model.setCurrentIndex(
            shown.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
        )


class PageEditing(QObject):
    """Everything that changes the directory from the network page."""

    def __init__(self, page: NetworkPage, runner: Any) -> None:
        super().__init__(page)
        self.page = page
        self.actions = DirectoryActions(runner, page)
        self.actions.changed.connect(self._reload)
        follow_visibility(page, self.actions.stack)
        self.choices = EditingChoices((), (), ())
        self._kept: tuple[set[int], int | None, set[int], int, int] | None = None
        self.groups_dialog: GroupsDialog | None = None

        people = page.people_view
        people.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        people.activated.connect(lambda _index: self.edit_person())
        page.organisation_view.activated.connect(lambda _index: self.edit_organisation())
        self._add_view_action(
            people, _("Delete or archive"), QKeySequence.StandardKey.Delete, self.remove_selected
        )
        self._add_view_action(
            page.organisation_view,
            _("Archive organisation"),
            QKeySequence.StandardKey.Delete,
            lambda: self.archive_organisations(True),
        )
        page.installEventFilter(self)

        self.toolbar = self._build_toolbar()
        people.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- building --------------------------------------------------------------------------

    def _add_view_action(
        self,
        view: QWidget,
        text: str,
        key: QKeySequence | QKeySequence.StandardKey,
        slot: Callable[[], None],
    ) -> None:
        action = QAction(text, view)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        view.addAction(action)

    def _button(self, text: str, name: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        if tip:
            button.setToolTip(tip)
        return button

    def _build_toolbar(self) -> QWidget:
        self.new_person_button = self._button(
            _("New person…"),
            "newPerson",
            lambda: self.actions.open_person(None),
            _("Add a person to the directory (Ctrl+N)"),
        )
        self.new_organisation_button = self._button(
            _("New organisation…"),
            "newOrganisation",
            lambda: self.actions.open_organisation(None),
        )
        self.edit_button = self._button(
            _("Edit…"),
            "editPerson",
            self.edit_person,
            _("Edit the selected person (Enter or double-click)"),
        )
        self.add_group_button = QToolButton()
        self.add_group_button.setObjectName("addToGroup")
        self.add_group_button.setText(_("Add to group"))
        self.add_group_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_group_menu = QMenu(self.add_group_button)
        self.add_group_menu.aboutToShow.connect(
            lambda: self._fill_group_menu(self.add_group_menu, add=True)
        )
        self.add_group_button.setMenu(self.add_group_menu)
        self.remove_group_button = QToolButton()
        self.remove_group_button.setObjectName("removeFromGroup")
        self.remove_group_button.setText(_("Remove from group"))
        self.remove_group_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.remove_group_menu = QMenu(self.remove_group_button)
        self.remove_group_menu.aboutToShow.connect(
            lambda: self._fill_group_menu(self.remove_group_menu, add=False)
        )
        self.remove_group_button.setMenu(self.remove_group_menu)
        self.delete_button = self._button(
            _("Delete…"),
            "deletePerson",
            self.remove_selected,
            _("Delete the selected people; people from meetings are archived instead (Del)"),
        )
        self.groups_button = self._button(
            _("Groups and quarters…"), "manageGroups", self.manage_groups
        )
        self.show_archived = QCheckBox(_("Show archived"))
        self.show_archived.setObjectName("showArchived")
        self.show_archived.toggled.connect(lambda _checked: self._reload())

        bar = QWidget()
        bar.setObjectName("networkToolbar")
        bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.new_person_button,
            self.new_organisation_button,
            self.edit_button,
            self.add_group_button,
            self.remove_group_button,
            self.delete_button,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.show_archived)
        layout.addWidget(self.groups_button)
        return bar

    def _fill_group_menu(self, menu: QMenu, *, add: bool) -> None:
        menu.clear()
        for group in self.choices.groups:
            action = menu.addAction(group.name)
            action.setObjectName(f"group_{group.id}")
            action.triggered.connect(
                lambda _checked=False, g=group.id: self.change_group(g, add=add)
            )
        if not self.choices.groups:
            placeholder = menu.addAction(_("No groups yet"))
            placeholder.setEnabled(False)
        menu.addSeparator()
        menu.addAction(_("Groups and quarters…"), self.manage_groups)

    def _update_buttons(self, *_args: object) -> None:
        selection_model = self.page.people_view.selectionModel()
        count = sum(part.height() for part in _ranges(selection_model.selection()))
        has_db = self.actions.database() is not None
        for button in (self.new_person_button, self.new_organisation_button, self.groups_button):
            button.setEnabled(has_db)
        self.edit_button.setEnabled(count == 1)
        for tool in (self.add_group_button, self.remove_group_button, self.delete_button):
            tool.setEnabled(count > 0)

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+N is also File ▸ New database: inside the page, a new person wins. Accepting
        # the override turns the shortcut into a key press that reaches the page.
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            key_event = event
            assert isinstance(key_event, QKeyEvent)
            if QKeySequence(key_event.keyCombination()) == NEW_PERSON_KEY:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.actions.open_person(None)
                return True
        return False

    # -- actions ---------------------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        self.actions.set_database(db)
        self._update_buttons()

    def include_archived(self) -> bool:
        return self.show_archived.isChecked()

    def set_choices(self, choices: EditingChoices) -> None:
        self.choices = choices
        self.actions.choices = choices
        if self.groups_dialog is not None:
            self.groups_dialog.show_choices(choices)

    def edit_person(self) -> None:
        ids = selected_ids(self.page.people_view)
        if len(ids) == 1:
            self.actions.open_person(ids[0])

    def edit_organisation(self) -> None:
        row: OrganisationRow | None = self.page.organisation_view.selected_row()
        if row is not None:
            self.actions.open_organisation(row.id)

    def remove_selected(self) -> None:
        self.actions.remove_people(selected_ids(self.page.people_view))

    def archive_people(self, archived: bool) -> None:
        ids = selected_ids(self.page.people_view)
        if ids:
            self.actions.set_people_archived(ids, archived)

    def archive_organisations(self, archived: bool) -> None:
        row: OrganisationRow | None = self.page.organisation_view.selected_row()
        if row is not None:
            self.actions.set_organisations_archived([row.id], archived)

    def change_group(self, group_id: int, *, add: bool) -> None:
        ids = selected_ids(self.page.people_view)
        if ids:
            self.actions.change_group(ids, group_id, add)

    def manage_groups(self) -> None:
        if self.groups_dialog is None:
            from ui.network.groups_dialog import GroupsDialog

            self.groups_dialog = GroupsDialog(self.actions, self.page)
            self.groups_dialog.finished.connect(self._groups_dialog_closed)
        self.groups_dialog.open()
        self.groups_dialog.raise_()

    def _groups_dialog_closed(self) -> None:
        if self.groups_dialog is not None:
            self.groups_dialog.deleteLater()
            self.groups_dialog = None

    def add_people_menu_entries(self, menu: QMenu) -> None:
        """Entries for the selected people, below the page's own (data protection)."""
        ids = selected_ids(self.page.people_view)
        if not ids:
            return
        if menu.actions():
            menu.addSeparator()
        edit = menu.addAction(_("Edit…"), self.edit_person)
        edit.setEnabled(len(ids) == 1)
        self._fill_group_menu(menu.addMenu(_("Add to group")), add=True)
        self._fill_group_menu(menu.addMenu(_("Remove from group")), add=False)
        menu.addSeparator()
        # One query for the archived among them, not a row per selected person.
        archived = self.page.people_model().archived_among(ids)
        if len(archived) < len(ids):
            menu.addAction(_("Archive"), lambda: self.archive_people(True))
        if archived:
            menu.addAction(_("Restore from archive"), lambda: self.archive_people(False))
        menu.addAction(_("Delete…"), self.remove_selected)

    def organisation_menu(self) -> QMenu:
        row: OrganisationRow | None = self.page.organisation_view.selected_row()
        menu = QMenu(self.page.organisation_view)
        menu.addAction(_("New organisation…"), lambda: self.actions.open_organisation(None))
        if row is not None:
            menu.addAction(_("Edit…"), self.edit_organisation)
            if row.archived:
                menu.addAction(_("Restore from archive"), lambda: self.archive_organisations(False))
            else:
                menu.addAction(_("Archive"), lambda: self.archive_organisations(True))
        return menu

    # -- reloading -------------------------------------------------------------------------

    def _reload(self) -> None:
        db = self.actions.database()
        if db is None:
            return
        self.keep_view_state()
        self.page.load(db)

    def keep_view_state(self) -> None:
        """Remember selection and scroll position, for ``restore_view_state`` after a load."""
        people = self.page.people_view
        organisation: OrganisationRow | None = self.page.organisation_view.selected_row()
        self._kept = (
            set(selected_ids(people)),
            _current_id(people),
            {organisation.id} if organisation else set(),
            people.verticalScrollBar().value(),
            self.page.organisation_view.verticalScrollBar().value(),
        )

    def restore_view_state(self) -> None:
        kept, self._kept = self._kept, None
        if kept is None:
            self._update_buttons()
            return
        people_ids, current, organisation_ids, people_scroll, organisation_scroll = kept
        if organisation_ids:
            select_ids(self.page.organisation_view, organisation_ids, None)
        select_ids(self.page.people_view, people_ids, current)
        self.page.people_view.verticalScrollBar().setValue(people_scroll)
        self.page.organisation_view.verticalScrollBar().setValue(organisation_scroll)
        self._update_buttons()
