"""The main window: which database opens, what happens when it cannot, menus, language."""

from __future__ import annotations

import gettext
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

import app
from app import i18n, paths
from app.db import Database
from app.errors import NotADatabase, NotTreffpunktDatabase
from app.i18n import _
from app.preferences import Preferences, load_preferences
from ui.main_window import MainWindow
from ui.opening import StartPlan, demo_database_path, plan_start
from ui.tasks import TaskRunner

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


def wait_until_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def page_button(window: MainWindow, name: str) -> object:
    button = window.message_page.button(name)
    assert button is not None, f"no button {name!r} on the message page"
    return button


# -- which database at start ------------------------------------------------------------------


def test_plan_takes_an_explicit_path_literally_even_when_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    remembered = tmp_path / "remembered.db"
    remembered.touch()
    plan = plan_start(
        missing, explicit=True, preferences=Preferences(last_database=str(remembered))
    )
    assert plan == StartPlan(missing)


def test_plan_prefers_the_last_database_then_the_default_then_the_demo(tmp_path: Path) -> None:
    last = tmp_path / "last.db"
    assert plan_start(None, explicit=False, preferences=Preferences(last_database=str(last))) == (
        StartPlan(demo_database_path(), demo=True)
    )
    default = paths.default_database_path()
    default.parent.mkdir(parents=True, exist_ok=True)
    default.touch()
    assert plan_start(None, explicit=False, preferences=Preferences(last_database=str(last))) == (
        StartPlan(default)
    )
    last.touch()
    assert plan_start(None, explicit=False, preferences=Preferences(last_database=str(last))) == (
        StartPlan(last)
    )


def test_first_start_creates_and_opens_the_demo_network(window: MainWindow, qtbot: QtBot) -> None:
    demo = demo_database_path()
    assert not demo.exists()
    with qtbot.waitSignal(window.ready, timeout=60_000):
        window.start(plan_start(None, explicit=False, preferences=Preferences()))
    assert demo.is_file()
    assert window.status_text() == _("Demo network – File ▸ New database… starts your own")
    assert window.windowTitle() == "Treffpunkt – demo.db"
    # The demo is not remembered as the user's own database.
    assert load_preferences().last_database is None
    wait_until_idle(qtbot, window)


# -- a database that cannot be opened ---------------------------------------------------------


def test_missing_explicit_database_shows_a_page_and_creates_nothing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    missing = tmp_path / "typo.db"
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
        window.start(plan_start(missing, explicit=True, preferences=Preferences()))
    assert not missing.exists()
    assert window.current_page() is window.message_page
    assert window.message_page.title() == _("There is no database here")
    assert str(missing) in window.message_page.text()
    page_button(window, "openAnother")
    assert window.workspace() is None

    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        qtbot.mouseClick(page_button(window, "createHere"), Qt.MouseButton.LeftButton)
    assert missing.is_file()
    assert window.windowTitle() == "Treffpunkt – typo.db"
    assert window.status_text() == str(missing)
    wait_until_idle(qtbot, window)


def test_a_file_that_is_no_database_shows_its_error(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    letter = tmp_path / "letter.db"
    letter.write_text("Sehr geehrte Frau Yılmaz,", encoding="utf-8")
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS) as blocker:
        window.open_database(letter)
    error = blocker.args[0]
    assert isinstance(error, NotADatabase)
    assert window.message_page.text() == str(error)
    assert window.message_page.title() == _("This is not a Treffpunkt database")
    page_button(window, "openAnother")
    page_button(window, "new")
    assert letter.read_text(encoding="utf-8") == "Sehr geehrte Frau Yılmaz,"


def test_an_sqlite_file_of_another_program_is_refused(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text)")
    connection.close()
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS) as blocker:
        window.open_database(other)
    assert isinstance(blocker.args[0], NotTreffpunktDatabase)
    assert str(other) in window.message_page.text()


def test_a_failed_open_offers_the_way_back_to_the_open_database(
    open_and_wait: OpenAndWait, network_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_and_wait(network_db.path)
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
        window.open_database(tmp_path / "gone.db")
    qtbot.mouseClick(page_button(window, "back"), Qt.MouseButton.LeftButton)
    assert window.current_page() is window.workspace()
    assert window.windowTitle() == f"Treffpunkt – {network_db.path.name}"


def test_a_read_only_database_can_be_opened_read_only(
    window: MainWindow, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anywhere, so the file system cannot make it read-only here.
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        if mode == os.W_OK and Path(str(path)) == db.path:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
        window.open_database(db.path)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        qtbot.mouseClick(page_button(window, "readOnly"), Qt.MouseButton.LeftButton)
    opened = window.opened()
    assert opened is not None
    assert opened.read_only
    assert window.status_text() == _("{path} (read-only)").format(path=db.path)
    wait_until_idle(qtbot, window)


# -- the File menu ----------------------------------------------------------------------------


def test_new_database_creates_the_file_and_opens_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "Netzwerk Süd"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.menu_actions["new"].trigger()
    created = tmp_path / "Netzwerk Süd.db"
    assert created.is_file()
    assert window.windowTitle() == "Treffpunkt – Netzwerk Süd.db"
    workspace = window.workspace()
    assert workspace is not None
    assert workspace.network.people_model().rowCount() == 0
    assert load_preferences().last_database == str(created.resolve())
    wait_until_idle(qtbot, window)


def test_new_database_refuses_an_existing_file(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "wichtig.db"
    existing.write_bytes(b"do not touch")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(existing), ""))
    window.menu_actions["new"].trigger()
    box = window.findChild(QMessageBox, "warningBox")
    assert box is not None
    assert box.isVisible()
    assert str(existing) in box.text()
    assert existing.read_bytes() == b"do not touch"
    assert not window.runner.is_busy()
    box.close()


def test_open_database_from_the_menu_and_recent_list(
    window: MainWindow, qtbot: QtBot, network_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(network_db.path), ""))
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.menu_actions["open"].trigger()
    qtbot.waitUntil(lambda: "8" in window.counts_text(), timeout=WAIT_MS)
    assert window.recent_databases() == [str(network_db.path.resolve())]
    wait_until_idle(qtbot, window)


def test_status_bar_counts_people_organisations_and_meetings(
    open_and_wait: OpenAndWait, network_db: Database
) -> None:
    window = open_and_wait(network_db.path)
    counts = window.counts_text()
    assert i18n.ngettext("{count} person", "{count} people", 8).format(count=8) in counts
    organisations = i18n.ngettext("{count} organisation", "{count} organisations", 3)
    assert organisations.format(count=3) in counts
    assert i18n.ngettext("{count} meeting", "{count} meetings", 0).format(count=0) in counts


def test_about_names_version_database_and_schema(
    open_and_wait: OpenAndWait, network_db: Database
) -> None:
    window = open_and_wait(network_db.path)
    window.menu_actions["about"].trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    assert app.__version__ in box.text()
    assert str(network_db.path) in box.text()
    revision = network_db.schema_revision()
    assert revision
    assert revision in box.text()
    box.close()


def test_quit_closes_the_window_and_the_database(
    open_and_wait: OpenAndWait, network_db: Database
) -> None:
    window = open_and_wait(network_db.path)
    assert window.menu_actions["quit"].shortcut().toString() == "Ctrl+Q"
    window.menu_actions["quit"].trigger()
    assert not window.isVisible()
    with pytest.raises(RuntimeError):
        window.runner.run(lambda: None)


# -- language ---------------------------------------------------------------------------------


class _FakeGerman(gettext.NullTranslations):
    """Stands in for the German catalogue, which the lead fills later."""

    WORDS: ClassVar[dict[str, str]] = {
        "Network": "Netzwerk",
        "Meetings": "Treffen",
        "&File": "&Datei",
    }

    def gettext(self, message: str) -> str:
        return self.WORDS.get(message, message)


@pytest.fixture
def fake_german(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = gettext.translation

    def translation(
        domain: str,
        localedir: str | None = None,
        languages: list[str] | None = None,
        fallback: bool = False,
    ) -> gettext.NullTranslations:
        if languages == ["de"]:
            return _FakeGerman()
        return real(domain, localedir, languages, fallback=fallback)

    monkeypatch.setattr(gettext, "translation", translation)
    i18n.set_language("de")
    yield
    monkeypatch.undo()
    i18n.set_language("de")


def test_switching_to_english_rebuilds_the_window_in_english(
    fake_german: None, qtbot: QtBot, network_db: Database
) -> None:
    window = MainWindow(TaskRunner(), Preferences(language="de"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        window.open_database(network_db.path)
    old = window.workspace()
    assert old is not None
    assert old.tabText(0) == "Netzwerk"
    assert window.menuBar().actions()[0].text() == "&Datei"

    window.menu_actions["language-en"].trigger()
    new = window.workspace()
    assert new is not None
    assert new is not old
    assert [new.tabText(0), new.tabText(1)] == ["Network", "Meetings"]
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.menu_actions["language-en"].isChecked()
    assert load_preferences().language == "en"
    # The data comes back in the rebuilt pages.
    qtbot.waitUntil(lambda: new.network.people_model().rowCount() == 8, timeout=WAIT_MS)
    wait_until_idle(qtbot, window)
    window.shutdown()


def test_the_window_fits_a_small_laptop_screen(open_and_wait: OpenAndWait, demo_path: Path) -> None:
    """A 1366×768 laptop (the door-mode laptop) must show the whole window, status bar too."""
    window = open_and_wait(demo_path)
    workspace = window.workspace()
    assert workspace is not None
    workspace.setCurrentIndex(1)  # the meetings page with all its detail tabs
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366
    assert hint.height() <= 700


def test_a_retired_workspace_builds_no_page_when_its_tab_changes(
    qtbot: QtBot, network_db: Database
) -> None:
    """Replaced by a rebuild (language switch), a workspace is torn down by Qt, which changes
    its current tab on the way; that must not build a page into the dying widget."""
    from ui.workspace import Workspace

    workspace = Workspace(TaskRunner())
    qtbot.addWidget(workspace)
    assert workspace.built_pages() == []
    workspace.retire()
    workspace.setCurrentIndex(1)  # the meetings tab
    workspace.setCurrentIndex(2)
    assert workspace.built_pages() == []
