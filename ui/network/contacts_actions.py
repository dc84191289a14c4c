"""The File menu's contacts actions: import, export. Wiring only.

Imported by the menu at start-up, so this module itself imports nothing heavy: the dialogs
(and with them SQLAlchemy through the services) load when an action is first used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.i18n import _

if TYPE_CHECKING:
    from ui.main_window import MainWindow

STATUS_MS = 10_000


def _open_database(window: MainWindow, *, write: bool) -> bool:
    opened = window.opened()
    if opened is None or window.workspace() is None:
        window.statusBar().showMessage(_("Open a database first."), STATUS_MS)
        return False
    if write and opened.read_only:
        _warn(window, _("Read-only"), _("The database is open read-only; nothing can be imported."))
        return False
    return True


def _warn(window: MainWindow, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, window)
    box.setObjectName("contactsWarning")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def _reload(window: MainWindow) -> None:
    opened, workspace = window.opened(), window.workspace()
    if opened is not None and workspace is not None:
        workspace.load(opened.database)


def import_contacts(window: MainWindow) -> None:
    """Choose a file, then the import dialog takes over (window-modal, not blocking)."""
    if not _open_database(window, write=True):
        return
    from ui.network.duplicates_dialog import open_duplicates_dialog
    from ui.network.import_dialog import ImportDialog, file_filter

    opened = window.opened()
    assert opened is not None
    name, _selected = QFileDialog.getOpenFileName(
        window, _("Import contacts"), _documents(), file_filter()
    )
    if not name:
        return
    dialog = ImportDialog(window.runner, opened.database, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.imported.connect(lambda _result: _reload(window))
    dialog.duplicates_requested.connect(
        lambda groups: open_duplicates_dialog(
            dialog,
            window.runner,
            opened.database,
            groups=list(groups),
            on_merged=lambda _result: _reload(window),
        )
    )
    dialog.open()
    dialog.open_file(Path(name))


def export_contacts(window: MainWindow) -> None:
    if not _open_database(window, write=False):
        return
    from app.contacts import export_people
    from ui.network.export import ask_scope, exported_message, file_filter, people_in_view
    from ui.network.export import export_path as with_suffix

    opened, workspace = window.opened(), window.workspace()
    assert opened is not None
    assert workspace is not None
    view = people_in_view(workspace.network)
    scope = ask_scope(window, view)
    if scope is None:
        return
    name, selected_filter = QFileDialog.getSaveFileName(
        window,
        _("Export contacts"),
        str(Path(_documents()) / (_("contacts") + ".csv")),
        file_filter(),
    )
    if not name:
        return
    path = with_suffix(name, selected_filter)
    window.statusBar().showMessage(_("Exporting to {name}…").format(name=path.name))
    window.runner.run(
        export_people,
        opened.database,
        path,
        view.ids(scope),
        key="contacts-export",
        on_done=lambda count: window.statusBar().showMessage(
            exported_message(count, path), STATUS_MS
        ),
        on_error=lambda error: _export_failed(window, error),
    )


def _export_failed(window: MainWindow, error: BaseException) -> None:
    from ui.widgets.error_box import error_text

    window.statusBar().clearMessage()
    _warn(window, _("Export failed"), error_text(error))


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
