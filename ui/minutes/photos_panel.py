"""Photos of the minutes: thumbnails with caption and credit, added by file dialog or by
dropping image files onto the panel; a warning when people without photo consent attended."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _
from app.services.minutes import (
    PhotoRow,
    PhotoText,
    photo_data,
)
from ui.minutes import commands
from ui.minutes.attendance import consent_warning_text

if TYPE_CHECKING:
    from ui.minutes.loading import MinutesBundle
    from ui.minutes.minutes_editor import MinutesEditor

Index = QModelIndex | QPersistentModelIndex
THUMB = 96
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def thumbnails(db: Database, photo_ids: list[int]) -> dict[int, QImage]:
    """Small images for the list (worker thread: QImage, unlike QPixmap, may be made there)."""
    result = {}
    for photo_id in photo_ids:
        image = QImage.fromData(photo_data(db, photo_id).data)
        if not image.isNull():
            result[photo_id] = image.scaled(
                THUMB,
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
    return result


class PhotoModel(QAbstractTableModel):
    """Signals: text_edited(int, object, object): photo id, new and loaded ``PhotoText``."""

    text_edited = Signal(int, object, object)
    headers = (N_("Photo"), N_("Caption"), N_("Credit (“Foto: …”)"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PhotoRow] = []
        self._thumbs: dict[int, QPixmap] = {}
        self._locked = False

    def set_rows(self, rows: list[PhotoRow], *, locked: bool) -> None:
        self.beginResetModel()
        self._rows, self._locked = list(rows), locked
        self.endResetModel()

    def set_thumbnails(self, images: dict[int, QImage]) -> None:
        self.beginResetModel()
        self._thumbs = {key: QPixmap.fromImage(image) for key, image in images.items()}
        self.endResetModel()

    def row(self, number: int) -> PhotoRow:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.headers[section]) if 0 <= section < 3 else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (row.filename, row.caption, row.credit)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._thumbs.get(row.id)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() > 0 and not self._locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags | Qt.ItemFlag.ItemNeverHasChildren

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() == 0 or role != Qt.ItemDataRole.EditRole:
            return False
        row = self._rows[index.row()]
        old = PhotoText(row.caption, row.credit)
        text = str(value or "")
        new = PhotoText(text, row.credit) if index.column() == 1 else PhotoText(row.caption, text)
        if new == old:
            return False
        self.text_edited.emit(row.id, new, old)
        return True


def _show_thumbnails(model: PhotoModel, images: dict[int, QImage]) -> None:
    """The thumbnails arrive after the editor may be gone (closed, or a crash test deleting
    it): a deleted model takes nothing (issue 15's demo photos made this visible)."""
    if shiboken6.isValid(model):
        model.set_thumbnails(images)


class PhotosPanel(QWidget):
    """Signals: files_dropped(list): paths of image files dropped onto the panel."""

    files_dropped = Signal(list)

    def __init__(self, editor: MinutesEditor) -> None:
        super().__init__()
        self.setObjectName("photosPanel")
        self._editor = editor
        self.setAcceptDrops(True)
        self.warning = QLabel()
        self.warning.setObjectName("photoConsentWarning")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setStyleSheet(
            "background: #fde8e8; color: #8a0000; padding: 6px; font-weight: bold;"
        )
        self.warning.hide()
        self.model = PhotoModel(self)
        self.view = QTableView()
        self.view.setObjectName("photoView")
        self.view.setModel(self.model)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(THUMB + 8)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(0, THUMB + 160)
        self.view.setColumnWidth(2, 200)
        self.add_button = QPushButton(_("Add photos…"))
        self.add_button.setObjectName("addPhotos")
        self.remove_button = QPushButton(_("Remove photo"))
        self.remove_button.setObjectName("removePhoto")
        hint = QLabel(_("JPEG or PNG; you can also drop image files here."))
        hint.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.files_dropped.connect(self.add_paths)
        self.model.text_edited.connect(self._text_edited)

    def show_bundle(self, bundle: MinutesBundle) -> None:
        view = bundle.view
        self.model.set_rows(list(view.photos), locked=view.locked)
        text = consent_warning_text(bundle.consent_warnings)
        self.warning.setText(text)
        self.warning.setVisible(bool(text))
        ids = [photo.id for photo in view.photos]
        if ids:
            self._editor.runner().run(
                thumbnails,
                self._editor.database(),
                ids,
                key="minutes-thumbnails",
                on_done=partial(_show_thumbnails, self.model),
            )

    def set_locked(self, locked: bool) -> None:
        self.add_button.setEnabled(not locked)
        self.remove_button.setEnabled(not locked)
        self.setAcceptDrops(not locked)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Add photos"), "", _("Images (*.jpg *.jpeg *.png)")
        )
        self.add_paths([Path(name) for name in names])

    def add_paths(self, paths: list[Path]) -> None:
        view = self._editor.view()
        if view is None or not paths or view.locked:
            return
        self._editor.undo_stack.push(commands.AddPhotos(self._editor, view.meeting_id, paths))

    def remove_selected(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        photo_id = self.model.row(index.row()).id
        self._editor.undo_stack.push(commands.RemovePhoto(self._editor, photo_id))

    def _text_edited(self, photo_id: int, new: PhotoText, old: PhotoText) -> None:
        self._editor.undo_stack.push(commands.UpdatePhotoText(self._editor, photo_id, new, old))

    # -- drag and drop --------------------------------------------------------------------------

    @staticmethod
    def _image_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        return [path for path in paths if path.suffix.lower() in IMAGE_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._image_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._image_paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
