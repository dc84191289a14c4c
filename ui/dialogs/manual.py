"""Help ▸ User guide: the German manual shipped with the program, read offline.

The guide is HTML under ``resources/manual`` (built from ``docs/handbuch`` by
``scripts/build_manual.py``): ``contents.json`` lists the chapters in order. The window shows
the chapters on the left and the text on the right (``QTextBrowser`` follows the links between
chapters and shows the screenshots); "Open in browser" hands the same file to the system's
browser, e.g. to print it.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.i18n import _
from ui.widgets.sizing import resize_within_screen

WINDOW_SIZE = (1240, 720)  # fits a 1366×768 screen; pictures are at most 860 px wide


def chapters(folder: Path) -> list[tuple[str, str]]:
    """(file name, title) of every chapter, in order; [] when the guide is missing."""
    try:
        entries = json.loads((folder / "contents.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [(str(entry["file"]), str(entry["title"])) for entry in entries]


class ManualWindow(QDialog):
    """A window beside the main window (not modal), to read while working."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualWindow")
        self.setWindowTitle(_("Treffpunkt user guide"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.folder = folder or paths.manual_dir()
        self._chapters = chapters(self.folder)
        self.contents = QListView()
        self.contents.setObjectName("manualContents")
        self.contents.setAccessibleName(_("Contents"))
        self.contents.setModel(QStringListModel([title for _file, title in self._chapters], self))
        self.contents.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.contents.clicked.connect(lambda index: self.open_chapter(index.row()))
        self.contents.activated.connect(lambda index: self.open_chapter(index.row()))
        self.browser = QTextBrowser()
        self.browser.setObjectName("manualText")
        self.browser.setAccessibleName(_("Chapter"))
        self.browser.setOpenExternalLinks(True)
        self.browser.sourceChanged.connect(self._source_changed)
        back = QPushButton(_("Back"))
        back.setObjectName("manualBack")
        back.setShortcut(QKeySequence.StandardKey.Back)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        home = QPushButton(_("Contents"))
        home.setObjectName("manualHome")
        home.clicked.connect(lambda: self.open_chapter(0))
        outside = QPushButton(_("Open in browser"))
        outside.setObjectName("manualBrowser")
        outside.clicked.connect(self.open_in_browser)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addWidget(home)
        buttons.addStretch(1)
        buttons.addWidget(outside)
        buttons.addWidget(close)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, WINDOW_SIZE[0] - 230])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        resize_within_screen(self, *WINDOW_SIZE)
        if self._chapters:
            self.open_chapter(0)
        else:
            missing = QLabel(_("The user guide is missing from this installation."))
            missing.setObjectName("manualMissing")
            layout.insertWidget(0, missing)

    def open_chapter(self, row: int) -> None:
        if 0 <= row < len(self._chapters):
            self.browser.setSource(QUrl.fromLocalFile(str(self.folder / self._chapters[row][0])))

    def _source_changed(self, url: QUrl) -> None:
        name = Path(url.toLocalFile()).name
        for row, (file, _title) in enumerate(self._chapters):
            if file == name:
                self.contents.setCurrentIndex(self.contents.model().index(row, 0))
                return

    def open_in_browser(self) -> bool:
        url = self.browser.source()
        if url.isEmpty():
            url = QUrl.fromLocalFile(str(self.folder / "index.html"))
        return QDesktopServices.openUrl(url)
