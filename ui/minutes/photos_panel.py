"""Photos of the minutes: thumbnails with caption and credit, added by file dialog or by
dropping image files onto the panel; a warning when people without photo consent attended
(while no photo is chosen).

Beside the list, "Who is pictured?" (``PicturedPanel``) for the chosen photo, and per photo
whether it may be published (offered for a press release, printed in a funding report).
Choosing another photo with unsaved ticks saves them first: nothing ticked is lost."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    Q_ARG,
    QAbstractTableModel,
    QMetaObject,
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
    QSplitter,
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
from app.services.press.photos import PhotoClearance
from ui.minutes import commands
from ui.minutes.attendance import consent_warning_text
from ui.minutes.pictured_panel import PicturedPanel

if TYPE_CHECKING:
    from ui.minutes.loading import MinutesBundle
    from ui.minutes.minutes_editor import MinutesEditor
from ui.palette import Tone, banner_style, colour

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


def publication(clearance: PhotoClearance | None) -> tuple[str, Tone]:
    """Whether a photo may be published, in a word or two, and its tone."""
    if clearance is None:
        return "", Tone.MUTED
    if not clearance.usable:
        # Translators: a photo someone pictured refused: it must not be published.
        return _("not allowed"), Tone.NEGATIVE
    if clearance.unknown:
        # Translators: a photo showing people nobody asked about photos yet.
        return _("ask first"), Tone.CAUTION
    return _("allowed"), Tone.POSITIVE


def publication_tooltip(clearance: PhotoClearance | None) -> str:
    if clearance is None:
        return ""
    lines = []
    if not clearance.subjects_recorded:
        lines.append(_("Not recorded who is on it: everyone present counts as pictured."))
    elif not clearance.pictured:
        lines.append(_("Nobody recognisable is on it."))
    else:
        lines.append(
            _("On the photo: {names}").format(names=", ".join(a.name for a in clearance.pictured))
        )
    if clearance.refused:
        lines.append(_("Refused: {names}").format(names=", ".join(clearance.refused)))
    if clearance.unknown:
        lines.append(_("Not asked: {names}").format(names=", ".join(clearance.unknown)))
    return "\n".join(lines)


class PhotoModel(QAbstractTableModel):
    """Signals: text_edited(int, object, object): photo id, new and loaded ``PhotoText``."""

    text_edited = Signal(int, object, object)
    headers = (
        N_("Photo"),
        N_("Caption"),
        N_("Credit (“Foto: …”)"),
        # Translators: column header: may the photo be published? Keep it short ("Freigabe").
        N_("Clearance"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PhotoRow] = []
        self._thumbs: dict[int, QPixmap] = {}
        self._clearances: dict[int, PhotoClearance] = {}
        self._locked = False

    def set_rows(
        self,
        rows: list[PhotoRow],
        *,
        locked: bool,
        clearances: tuple[PhotoClearance, ...] = (),
    ) -> None:
        self.beginResetModel()
        self._rows, self._locked = list(rows), locked
        self._clearances = {c.photo_id: c for c in clearances}
        self.endResetModel()

    def set_thumbnails(self, images: dict[int, QImage]) -> None:
        self._thumbs = {key: QPixmap.fromImage(image) for key, image in images.items()}
        if self._rows:
            # Not a reset: the chosen photo (and what is ticked for it) stays chosen.
            # PySide6 6.12 leaks a reference on ``dataChanged.emit()`` (ui.widgets.tables).
            QMetaObject.invokeMethod(
                self,
                "dataChanged",
                Qt.ConnectionType.DirectConnection,
                Q_ARG(QModelIndex, self.index(0, 0)),
                Q_ARG(QModelIndex, self.index(len(self._rows) - 1, 0)),
            )

    def row(self, number: int) -> PhotoRow:
        return self._rows[number]

    def row_of(self, photo_id: int) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row.id == photo_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.headers[section]) if 0 <= section < len(self.headers) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == 3:
            clearance = self._clearances.get(row.id)
            if role == Qt.ItemDataRole.DisplayRole:
                return publication(clearance)[0]
            if role == Qt.ItemDataRole.ForegroundRole:
                return colour(publication(clearance)[1])
            if role == Qt.ItemDataRole.ToolTipRole:
                return publication_tooltip(clearance)
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (row.filename, row.caption, row.credit)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._thumbs.get(row.id)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (1, 2) and not self._locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags | Qt.ItemFlag.ItemNeverHasChildren

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() not in (1, 2) or role != Qt.ItemDataRole.EditRole:
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
            banner_style(Tone.ERROR_BACKGROUND) + " font-weight: bold; padding: 6px;"
        )
        self.warning.hide()
        self.model = PhotoModel(self)
        self.view = QTableView()
        self.view.setObjectName("photoView")
        self.view.setAccessibleName(_("Photos"))
        self.view.setModel(self.model)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(THUMB + 8)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(0, THUMB + 90)
        self.view.setColumnWidth(2, 160)
        self.view.setColumnWidth(3, 100)
        self.view.setWordWrap(True)
        self.pictured = PicturedPanel()
        self.add_button = QPushButton(_("Add photos…"))
        self.add_button.setObjectName("addPhotos")
        self.remove_button = QPushButton(_("Remove photo"))
        self.remove_button.setObjectName("removePhoto")
        hint = QLabel(_("JPEG or PNG; you can also drop image files here."))
        hint.setEnabled(False)
        hint.setWordWrap(True)  # beside "Who is pictured?" the list may be narrow
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        photos = QWidget()
        photos_layout = QVBoxLayout(photos)
        photos_layout.setContentsMargins(0, 0, 0, 0)
        photos_layout.addWidget(self.view, 1)
        photos_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(photos)
        self.splitter.addWidget(self.pictured)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        # The caption keeps room to read; the people's list gets the rest (the user can drag).
        self.splitter.setSizes([620, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.splitter, 1)
        self._bundle: MinutesBundle | None = None
        self._reloading = False

        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.files_dropped.connect(self.add_paths)
        self.model.text_edited.connect(self._text_edited)
        self.view.selectionModel().currentRowChanged.connect(self._photo_chosen)
        self.pictured.save_requested.connect(self._save_pictured)

    def show_bundle(self, bundle: MinutesBundle) -> None:
        view = bundle.view
        chosen = self.current_photo_id()
        self._bundle = bundle
        self._reloading = True  # the reset below is no choice of the user's
        try:
            self.model.set_rows(
                list(view.photos), locked=view.locked, clearances=bundle.pictured.photos
            )
            row = self.model.row_of(chosen) if chosen is not None else None
            if row is None and self.model.rowCount():
                row = 0
            if row is not None:
                self.view.selectRow(row)
        finally:
            self._reloading = False
        self.pictured.show_photo(bundle.pictured, self.current_photo_id())
        text = consent_warning_text(bundle.consent_warnings, organisations=False)
        self.warning.setText(text)
        self._show_meeting_warning()
        ids = [photo.id for photo in view.photos]
        if ids:
            self._editor.runner().run(
                thumbnails,
                self._editor.database(),
                ids,
                key="minutes-thumbnails",
                on_done=partial(_show_thumbnails, self.model),
            )

    def current_photo_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.row(index.row()).id if index.isValid() else None

    def _photo_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reloading:
            return
        # Ticks not saved yet for the photo chosen before are saved, not dropped.
        self.pictured.save()
        photo_id = self.model.row(current.row()).id if current.isValid() else None
        self.pictured.show_photo(self._bundle.pictured if self._bundle else None, photo_id)
        self._show_meeting_warning()

    def _show_meeting_warning(self) -> None:
        """Who attended without photo consent, while no photo is chosen (e.g. before the
        first is added). With a photo chosen, its own verdict beside the list says what
        counts for it, and the list shows everyone's consent: the screen keeps its room."""
        self.warning.setVisible(bool(self.warning.text()) and self.current_photo_id() is None)

    def save_pending(self) -> None:
        """Save who is pictured if the user ticked without saving (the minutes close)."""
        self.pictured.save()

    def _save_pictured(self, photo_id: int, subjects: frozenset[int]) -> None:
        self._editor.undo_stack.push(commands.SetPictured(self._editor, photo_id, subjects))

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
