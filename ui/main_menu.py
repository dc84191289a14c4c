"""The menu bar: File, Edit, View (language), Privacy, Tools ("Extras": settings, set-up
assistant), Help (user guide). Actions only call methods of the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from app.i18n import _
from ui.network import contacts_actions
from ui.undo import redo_keys, undo_group, undo_keys

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# Language names stay in their own language, so everyone finds theirs.
LANGUAGE_NAMES = (("de", "Deutsch"), ("en", "English"))


def build_menu_bar(window: MainWindow, menu_bar: QMenuBar) -> dict[str, QAction]:
    """Fill *menu_bar* (cleared first); returns the actions by name for tests and shortcuts."""
    menu_bar.clear()
    actions: dict[str, QAction] = {}

    file_menu = menu_bar.addMenu(_("&File"))
    actions["new"] = file_menu.addAction(_("&New database…"), window.new_database)
    actions["new"].setShortcut(QKeySequence.StandardKey.New)
    actions["open"] = file_menu.addAction(_("&Open database…"), window.choose_database)
    actions["open"].setShortcut(QKeySequence.StandardKey.Open)
    # Team mode: a shared database on a PostgreSQL server ("Mit Server verbinden…").
    actions["connect-server"] = file_menu.addAction(
        _("&Connect to server…"), window.connect_to_server
    )
    recent = file_menu.addMenu(_("Recent databases"))
    recent.setObjectName("recentMenu")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    _fill_recent(window, recent)
    file_menu.addSeparator()
    actions["import-contacts"] = file_menu.addAction(
        _("&Import contacts…"), lambda: contacts_actions.import_contacts(window)
    )
    actions["import-contacts"].setShortcut(QKeySequence("Ctrl+I"))
    actions["export-contacts"] = file_menu.addAction(
        _("E&xport contacts…"), lambda: contacts_actions.export_contacts(window)
    )
    file_menu.addSeparator()
    # Both open the backup dialog; "Restore…" is a button there.
    actions["backups"] = file_menu.addAction(
        _("&Backups…"), lambda: window.maintenance.show_backups()
    )
    actions["restore"] = file_menu.addAction(
        _("&Restore…"), lambda: window.maintenance.show_backups()
    )
    file_menu.addSeparator()
    actions["quit"] = file_menu.addAction(_("&Quit"), window.close)
    actions["quit"].setShortcut(QKeySequence("Ctrl+Q"))
    actions["quit"].setMenuRole(QAction.MenuRole.QuitRole)

    edit_menu = menu_bar.addMenu(_("&Edit"))
    undo = undo_group(window)
    actions["undo"] = undo.createUndoAction(edit_menu, _("&Undo"))
    actions["undo"].setShortcuts(undo_keys())
    actions["redo"] = undo.createRedoAction(edit_menu, _("&Redo"))
    actions["redo"].setShortcuts(redo_keys())
    edit_menu.addActions([actions["undo"], actions["redo"]])

    # The meeting actions of the Meetings page (ui.meetings.planner), filled when opened:
    # the page exists only once a database is open, and is rebuilt on a language switch.
    meetings_menu = menu_bar.addMenu(_("&Meetings"))
    meetings_menu.setObjectName("meetingsMenu")
    meetings_menu.aboutToShow.connect(lambda: _fill_meetings(window, meetings_menu))
    meetings_menu.triggered.connect(lambda _action: window.show_meetings_page())
    _fill_meetings(window, meetings_menu)

    view_menu = menu_bar.addMenu(_("&View"))
    language_menu = view_menu.addMenu(_("&Language"))
    group = QActionGroup(language_menu)
    group.setExclusive(True)
    current = window.language_preference()
    choices = (("system", _("System language")), *LANGUAGE_NAMES)
    for code, name in choices:
        action = language_menu.addAction(name)
        action.setCheckable(True)
        action.setChecked(code == current)
        action.setData(code)
        group.addAction(action)
        actions[f"language-{code}"] = action
    group.triggered.connect(lambda action: window.set_language(str(action.data())))

    privacy_menu = menu_bar.addMenu(_("&Privacy"))  # "Datenschutz"
    privacy_menu.setObjectName("privacyMenu")
    actions["privacy-access"] = privacy_menu.addAction(
        _("&Access request (Art. 15)…"), lambda: window.maintenance.show_access_request()
    )
    actions["privacy-erase"] = privacy_menu.addAction(
        _("&Erase a person (Art. 17)…"), lambda: window.maintenance.show_erasure()
    )
    privacy_menu.addSeparator()
    actions["privacy-retention"] = privacy_menu.addAction(
        _("&Retention review…"), lambda: window.maintenance.show_retention_review()
    )

    # Translators: the menu with the settings and the set-up assistant ("Extras").
    tools_menu = menu_bar.addMenu(_("&Tools"))
    tools_menu.setObjectName("toolsMenu")
    actions["settings"] = tools_menu.addAction(_("&Settings…"), window.show_settings)
    actions["settings"].setShortcut(QKeySequence("Ctrl+,"))
    actions["settings"].setMenuRole(QAction.MenuRole.PreferencesRole)
    actions["setup-assistant"] = tools_menu.addAction(
        _("Set-up &assistant…"), window.show_setup_assistant
    )
    for name in ("settings", "setup-assistant"):
        actions[name].setEnabled(window.can_change_settings())

    help_menu = menu_bar.addMenu(_("&Help"))
    actions["manual"] = help_menu.addAction(_("&User guide"), window.show_manual)
    actions["manual"].setShortcut(QKeySequence.StandardKey.HelpContents)
    help_menu.addSeparator()
    actions["about"] = help_menu.addAction(_("&About Treffpunkt"), window.show_about)
    actions["about"].setMenuRole(QAction.MenuRole.AboutRole)
    return actions


def _fill_meetings(window: MainWindow, menu: QMenu) -> None:
    """The planner's actions (shared, so their enabled state is the page's); choosing one
    shows the Meetings page, where the dialog belongs."""
    menu.clear()
    workspace = window.workspace()
    if workspace is None:
        placeholder = menu.addAction(_("No database open"))
        placeholder.setEnabled(False)
        return
    for action in workspace.meetings.planner.menu_actions():
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def _opener(window: MainWindow, path: Path) -> Callable[[], None]:
    # A closure without parameters: Qt would pass "checked" into a defaulted lambda argument.
    return lambda: window.open_database(path)


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    """Rebuilt each time it opens: files may have moved since the last start."""
    menu.clear()
    paths = [Path(p) for p in window.recent_databases()]
    for path in paths:
        action = menu.addAction(path.name, _opener(window, path))
        action.setToolTip(str(path))
        action.setStatusTip(str(path))
        action.setEnabled(path.exists())
    menu.setToolTipsVisible(True)
    if not paths:
        placeholder = menu.addAction(_("No databases opened yet"))
        placeholder.setEnabled(False)
