"""Network ▸ Find duplicates…: likely duplicates side by side, choose whom to keep, merge.

Finding and merging run on the task runner. A merge cannot be undone in the window: the
confirmation says so, and ``merge_people`` writes a manual backup before it changes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _, format_number, ngettext
from app.services.duplicates import (
    DuplicateGroup,
    MergeResult,
    find_duplicates,
    merge_people,
    suggested_keep,
)
from ui.network.duplicates_models import ComparisonModel, GroupModel
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import TableView


def _bold(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class DuplicatesDialog(QDialog):
    """Groups of likely duplicates, all of them or those touching *person_ids*.

    Signals:
        loaded(int): the groups are shown (how many).
        merged(object): a ``MergeResult``; the directory changed.
        failed(str): a message shown about a failed search or merge.
    """

    loaded = Signal(int)
    merged = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        *,
        person_ids: Collection[int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle(_("Likely duplicates"))
        resize_within_screen(self, 1000, 620)
        self._runner = runner
        self._db = db
        self._person_ids = tuple(person_ids) if person_ids is not None else None
        self._busy = False

        self.groups_model = GroupModel(self)
        self.comparison_model = ComparisonModel(self)
        self.group_view = TableView(
            self.groups_model, "duplicateGroups", empty_text=_("Searching…"), sortable=False
        )
        self.group_view.setAccessibleName(_("Possible duplicates"))
        self.group_view.selectionModel().selectionChanged.connect(self._group_selected)

        self.comparison_view = QTableView()
        self.comparison_view.setObjectName("comparisonView")
        self.comparison_view.setAccessibleName(_("Comparison"))
        self.comparison_view.setModel(self.comparison_model)
        self.comparison_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison_view.setWordWrap(True)
        # The people share the width: addresses are long and do not wrap.
        self.comparison_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.keep_choice = QComboBox()
        self.keep_choice.setObjectName("keepChoice")
        self.keep_choice.currentIndexChanged.connect(self._keep_changed)
        keep_label = QLabel(_("&Keep:"))
        keep_label.setBuddy(self.keep_choice)
        self.merge_button = QPushButton(_("&Merge…"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.confirm_merge)
        self.status = QLabel()
        self.status.setObjectName("duplicatesStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.count_label = _bold(_("Likely duplicates"))
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.group_view)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_bold(_("Side by side (differences are marked)")))
        right_layout.addWidget(self.comparison_view, 1)
        keep_row = QHBoxLayout()
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep_choice, 1)
        keep_row.addWidget(self.merge_button)
        right_layout.addLayout(keep_row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([360, 640])
        split.setChildrenCollapsible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        self._set_busy(True)
        self._runner.run(
            find_duplicates,
            self._db,
            self._person_ids,
            key="duplicates",
            on_done=self.show_groups,
            on_error=self._failed,
        )

    def show_groups(self, groups: list[DuplicateGroup]) -> None:
        self._set_busy(False)
        self.groups_model.set_rows(groups)
        self.group_view.set_empty_text(_("No likely duplicates found."))
        self.count_label.setText(
            ngettext(
                "{count} group of likely duplicates",
                "{count} groups of likely duplicates",
                len(groups),
            ).format(count=format_number(len(groups)))
        )
        if groups:
            self.group_view.selectRow(0)
        else:
            self._show_group(None)
        self.loaded.emit(len(groups))

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        message = error_text(error)
        self.status.setText(message)
        self.failed.emit(message)

    # -- one group -----------------------------------------------------------------------------

    def current_group(self) -> DuplicateGroup | None:
        group: DuplicateGroup | None = self.group_view.selected_row()
        return group

    def _group_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_group(self.current_group())

    def _show_group(self, group: DuplicateGroup | None) -> None:
        keep = suggested_keep(group) if group else None
        self.keep_choice.blockSignals(True)
        self.keep_choice.clear()
        if group:
            for person in group.people:
                where = f", {person.organisation}" if person.organisation else ""
                self.keep_choice.addItem(f"{person.name}{where} (#{person.id})", person.id)
            self.keep_choice.setCurrentIndex(self.keep_choice.findData(keep))
        self.keep_choice.blockSignals(False)
        self.comparison_model.set_group(group, keep)
        self.comparison_view.resizeRowsToContents()
        self._update_buttons()

    def _keep_changed(self, _index: int) -> None:
        self.comparison_model.set_keep(self.keep_id())
        self.comparison_view.resizeRowsToContents()

    def keep_id(self) -> int | None:
        data = self.keep_choice.currentData()
        return int(data) if data is not None else None

    # -- merging -------------------------------------------------------------------------------

    def confirm_merge(self) -> None:
        group, keep = self.current_group(), self.keep_id()
        if group is None or keep is None or self._busy:
            return
        kept = next(p for p in group.people if p.id == keep)
        others = [p for p in group.people if p.id != keep]
        text = _(
            "Merge {others} into {kept}?\n\n"
            "E-mail addresses, phones, groups, consents, invitations, attendance, tasks and "
            "meeting roles move to {kept}; empty fields are filled in. Then {others} "
            "are deleted.\n\n"
            "A backup of the database is made first. The merge cannot be undone in "
            "Treffpunkt; to go back, restore that backup."
        ).format(others=", ".join(p.name for p in others), kept=kept.name)
        answer = QMessageBox.question(
            self,
            _("Merge people"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.merge(keep, [p.id for p in others])

    def merge(self, keep: int, others: list[int]) -> None:
        self._set_busy(True)
        self.status.setText(_("Making a backup and merging…"))
        self._runner.run(
            merge_people,
            self._db,
            keep,
            others,
            key="duplicates-merge",
            on_done=self._merged,
            on_error=self._failed,
        )

    def _merged(self, result: MergeResult) -> None:
        self._set_busy(False)
        text = _("{merged} merged into {kept}.").format(
            merged=", ".join(result.merged_names), kept=result.kept_name
        )
        if result.backup_path is not None:
            text += " " + _("Backup: {path}").format(path=result.backup_path)
        self.status.setText(text)
        self.merged.emit(result)
        self.load()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_group = self.current_group() is not None
        self.merge_button.setEnabled(has_group and not self._busy)
        self.keep_choice.setEnabled(has_group and not self._busy)


def open_duplicates_dialog(
    parent: QWidget,
    runner: TaskRunner,
    db: Database,
    *,
    groups: list[DuplicateGroup] | None = None,
    on_merged: Callable[[MergeResult], None] | None = None,
) -> DuplicatesDialog:
    """Open the dialog window-modal (not blocking); with *groups* it starts from those and
    later refreshes only groups touching their people."""
    person_ids = [i for g in groups for i in g.person_ids] if groups is not None else None
    dialog = DuplicatesDialog(runner, db, person_ids=person_ids, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_merged is not None:
        dialog.merged.connect(on_merged)
    dialog.open()
    if groups is not None:
        dialog.show_groups(groups)
    else:
        dialog.load()
    return dialog
