"""Datensicherung: the backups of one database, "Back up now" and "Restore…".

The dialog only lists and asks; restoring itself is the window's job (it must close the
database first): the dialog emits ``restore_requested`` with the chosen file and closes.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_datetime, format_number
from app.services.backup import (
    BackupInfo,
    BackupKind,
    backup_dir_for,
    list_backups,
    make_backup,
    parse_backup_name,
)
from ui.tasks import TaskRunner
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import ALIGN_RIGHT, Column, RowTableModel, TableView

KIND_LABELS = {
    BackupKind.AUTO: N_("automatic"),
    BackupKind.MANUAL: N_("manual"),
    BackupKind.BEFORE_UPGRADE: N_("before an upgrade"),
    BackupKind.BEFORE_RESTORE: N_("before a restore"),
    BackupKind.DAMAGED: N_("copy of a damaged file"),
}


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return _("{size} KB").format(size=format_number(max(1, round(size / 1024))))
    return _("{size} MB").format(size=format_number(round(size / (1024 * 1024), 1)))


def contents_text(info: BackupInfo) -> str:
    if info.counts is None:
        return ""
    return _("{people} people, {organisations} organisations, {meetings} meetings").format(
        people=format_number(info.counts.get("people", 0)),
        organisations=format_number(info.counts.get("organisations", 0)),
        meetings=format_number(info.counts.get("meetings", 0)),
    )


BACKUP_COLUMNS = (
    Column(
        N_("Date"),
        lambda b: format_datetime(b.created_at.astimezone()),
        sort_key=lambda b: b.created_at,
        width=20,
    ),
    Column(N_("Kind"), lambda b: _(KIND_LABELS[b.kind]), width=24),
    Column(
        N_("Size"),
        lambda b: size_text(b.size),
        sort_key=lambda b: b.size,
        align=ALIGN_RIGHT,
        width=8,
    ),
    Column(N_("Contents"), contents_text, width=30, stretch=True),
)


class BackupModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BACKUP_COLUMNS, parent)


def choose_backup_file(parent: QWidget, directory: Path) -> Path | None:
    """A backup file from anywhere (a USB stick, the office's file server); tests patch this."""
    name, _selected = QFileDialog.getOpenFileName(
        parent,
        _("Restore from file"),
        str(directory),
        "{databases} (*.db);;{all} (*)".format(
            databases=_("Treffpunkt databases"), all=_("All files")
        ),
    )
    return Path(name) if name else None


def confirm_restore(parent: QWidget, backup_file: Path, database_path: Path) -> bool:
    """Ask before replacing the database (tests monkeypatch this)."""
    parsed = parse_backup_name(backup_file)
    if parsed is not None:
        question = _("Restore {name} to the state of {date}?").format(
            name=database_path.name, date=format_datetime(parsed[1].astimezone())
        )
    else:
        question = _("Replace {name} by the database in {file}?").format(
            name=database_path.name, file=backup_file
        )
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Restore backup"),
        question,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(
        _(
            "Everything changed since then is replaced. The current state is backed up first, "
            "so this step can be undone by restoring that backup. People erased in the "
            "meantime stay erased."
        )
    )
    restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is restore


class BackupDialog(QDialog):
    """Signals:
    restore_requested(object): the ``Path`` of the backup to restore (the dialog has closed).
    backup_made(object): the ``BackupInfo`` of a backup made with "Back up now".
    """

    restore_requested = Signal(object)
    backup_made = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        database_path: Path,
        *,
        can_back_up: bool = True,
        can_restore: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(_("Backups of {name}").format(name=database_path.name))
        self._runner = runner
        self._path = database_path
        self._can_restore = can_restore
        self.model = BackupModel(self)
        self.view = TableView(
            self.model, "backupView", empty_text=_("No backups of this database yet.")
        )
        self.view.setAccessibleName(_("Backups"))
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())

        intro = QLabel(
            _(
                "Treffpunkt backs up this database automatically once a day, when it is "
                "opened or closed, and before every upgrade and restore. Older backups are "
                "thinned out: one per day for a week, one per week for a month, one per "
                "month for a year."
            )
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.folder_label.setText(_("Folder: {path}").format(path=backup_dir_for(database_path)))

        self.status_label = QLabel()
        self.status_label.setObjectName("backupStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()

        self.back_up_button = QPushButton(_("Back up now"))
        self.back_up_button.setObjectName("backUpNow")
        self.back_up_button.setEnabled(can_back_up)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(_("Restore…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_("Restore from file…"))
        self.restore_file_button.setObjectName("restoreFromFile")
        self.restore_file_button.setEnabled(can_restore)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        if not can_restore:
            self.restore_button.setToolTip(
                _("The database is open read-only here; restore it where it is open.")
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.back_up_button)
        actions.addWidget(self.restore_button)
        actions.addWidget(self.restore_file_button)
        actions.addWidget(self.busy)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.status_label)
        layout.addLayout(actions)
        resize_within_screen(self, 760, 440)
        self.refresh()

    # -- list ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._set_busy(True)
        self._runner.run(
            partial(list_backups, with_counts=True),
            self._path,
            key="backup-list",
            on_done=self._show,
            on_error=self._failed,
        )

    def _show(self, backups: list[BackupInfo]) -> None:
        self._set_busy(False)
        self.model.set_rows(backups)
        if backups and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)
        self._selection_changed()

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        self.restore_button.setEnabled(self._can_restore and self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        row: BackupInfo | None = self.view.selected_row()
        return row

    # -- actions -------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        self._set_busy(True)
        self.back_up_button.setEnabled(False)
        self.status_label.setText(_("Backing up…"))
        self._runner.run(
            make_backup,
            self._path,
            BackupKind.MANUAL,
            key="backup-now",
            on_done=self._backed_up,
            on_error=self._failed,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self.back_up_button.setEnabled(True)
        self.status_label.setText(
            _("Backup made: {date}").format(date=format_datetime(info.created_at.astimezone()))
        )
        self.backup_made.emit(info)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        from ui.widgets.error_box import error_text

        self._set_busy(False)
        self.back_up_button.setEnabled(True)
        self.status_label.setText(error_text(error))

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not self._can_restore:
            return
        self._restore(info.path)

    def restore_from_file(self) -> None:
        if not self._can_restore:
            return
        chosen = choose_backup_file(self, backup_dir_for(self._path))
        if chosen is not None:
            self._restore(chosen)

    def _restore(self, backup_file: Path) -> None:
        if not confirm_restore(self, backup_file, self._path):
            return
        self.accept()
        self.restore_requested.emit(backup_file)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
