"""Team mode in the window, against a real PostgreSQL server: connecting through File ▸
Connect to server…, a colleague's change shown within 2 seconds (only the changed rows), and
what the window does when the server refuses, is away, or drops the connection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.db import Database
from app.db.location import parse_server_url
from app.i18n import _
from app.services.directory import list_people
from app.services.directory_editing import (
    PersonInput,
    create_person,
    load_person,
    update_person,
)
from tests.core.mail.conftest import MemoryKeyring
from tests.gui.conftest import WAIT_MS
from tests.postgres import PASSWORD, PASSWORD_USER, ThrowawayCluster
from tests.team_server import start_server, stop_server, terminate_clients
from ui.main_window import MainWindow
from ui.team.connect_dialog import ConnectDialog

WITHIN_MS = 2000  # the promise: a colleague's change shows within 2 seconds


def people_names(window: MainWindow) -> list[str]:
    """The names the window shows (its cached rows: what the user sees, not the database)."""
    workspace = window.workspace()
    assert workspace is not None
    model = workspace.network.people_model()
    return [str(model.index(row, 1).data()) for row in range(model.rowCount())]


def fill_in(
    qtbot: QtBot, dialog: ConnectDialog, url: str, *, user: str = "", password: str = ""
) -> None:
    address = parse_server_url(url)
    for field, text in (
        (dialog.host, address.host),
        (dialog.dbname, address.dbname),
        (dialog.user, user or address.user),
        (dialog.password, password),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.port.setValue(address.port)


def click(qtbot: QtBot, button: QPushButton | None) -> None:
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_connect_dialog_opens_the_server_database_and_remembers_it_without_password(
    window: MainWindow, qtbot: QtBot, server_url: str
) -> None:
    window.menu_actions["connect-server"].trigger()
    dialog = window.connect_dialog
    assert dialog is not None
    fill_in(qtbot, dialog, server_url)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        click(qtbot, dialog.connect_button)
    assert window.connect_dialog is None  # closed on success
    opened = window.opened()
    assert opened is not None
    assert opened.server is not None
    assert "Lehmheide" not in window.status_text()  # the address, not some file
    assert opened.server.account in window.status_text()
    assert len(people_names(window)) == 8
    remembered = window._preferences.last_server
    assert remembered == parse_server_url(server_url).url()
    assert window._preferences.start_with_server
    assert window.team is not None
    qtbot.waitUntil(lambda: window.team is not None and window.team.connected is True)


def test_a_colleagues_change_shows_within_two_seconds_in_the_changed_row_only(
    on_server: MainWindow, qtbot: QtBot, colleague: Database
) -> None:
    workspace = on_server.workspace()
    assert workspace is not None
    people = workspace.network.people_model()
    resets: list[int] = []
    people.modelReset.connect(lambda: resets.append(1))
    target = next(row for row in list_people(colleague) if row.emails)
    form = load_person(colleague, target.id)
    changed = PersonInput(**{**_values(form.values), "last_name": "Umbenannt"})
    update_person(colleague, target.id, changed, form.version)
    qtbot.waitUntil(
        lambda: any("Umbenannt" in name for name in people_names(on_server)), timeout=WITHIN_MS
    )
    assert resets == []  # the row was replaced, the list not reloaded
    assert len(people_names(on_server)) == 8
    assert on_server.team is not None
    assert "Jonas Weber" in on_server.team.last_change
    assert "Jonas Weber" in on_server.statusBar().currentMessage()

    # a new person appears, in German order, again without a reload
    create_person(colleague, PersonInput(first_name="Ärne", last_name="Aaberg"))
    qtbot.waitUntil(lambda: len(people_names(on_server)) == 9, timeout=WITHIN_MS)
    assert people_names(on_server)[0] == "Ärne Aaberg"
    assert resets == []


def _values(values: PersonInput) -> dict[str, object]:
    return {name: getattr(values, name) for name in PersonInput.__slots__}


def test_own_changes_are_not_announced_back(on_server: MainWindow, qtbot: QtBot) -> None:
    opened = on_server.opened()
    assert opened is not None
    team = on_server.team
    assert team is not None
    heard: list[object] = []
    team.live.notice.connect(heard.append)
    create_person(opened.database, PersonInput(last_name="Selbst"))
    other = Database.open(str(opened.database.location))
    other.user_name = "Zweite Person"
    try:
        create_person(other, PersonInput(last_name="Andere"))  # committed after ours
    finally:
        other.close()
    # Notices arrive in commit order: when the other's is here, ours would have been first.
    qtbot.waitUntil(lambda: len(heard) >= 1, timeout=WITHIN_MS)
    assert [notice.by for notice in heard] == ["Zweite Person"]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "Andere" in " ".join(people_names(on_server)), timeout=WITHIN_MS)


def test_wrong_password_keeps_what_was_typed_and_try_again_connects(
    window: MainWindow,
    qtbot: QtBot,
    server_url: str,
    cluster: ThrowawayCluster,
    memory_keyring: MemoryKeyring,
) -> None:
    cluster.execute(f"GRANT ALL ON DATABASE {parse_server_url(server_url).dbname} TO PUBLIC")
    name = parse_server_url(server_url).dbname
    cluster.execute(
        f"GRANT ALL ON SCHEMA public TO {PASSWORD_USER}",
        f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PASSWORD_USER}",
        f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PASSWORD_USER}",
        dbname=name,
    )
    dialog = window.connect_to_server()
    fill_in(qtbot, dialog, server_url, user=PASSWORD_USER, password="falsch")
    dialog.save_password.setChecked(True)
    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.isVisible()
    assert PASSWORD_USER in dialog.problem.text()  # "refused the login of secretive"
    assert dialog.connect_button.text() == _("Try again")
    assert (dialog.host.text(), dialog.user.text()) == ("127.0.0.1", PASSWORD_USER)
    assert dialog.password.text() == "falsch"  # kept, to be corrected
    assert memory_keyring.store == {}  # a wrong password is never saved
    assert window.opened() is None

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        click(qtbot, dialog.connect_button)
    account = f"{PASSWORD_USER}@127.0.0.1:{parse_server_url(server_url).port}/{name}"
    assert memory_keyring.store == {("Treffpunkt PostgreSQL", account): PASSWORD}
    assert PASSWORD not in (window._preferences.last_server or "")


def test_incomplete_form_says_what_is_missing(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.connect_to_server()
    dialog.host.clear()
    click(qtbot, dialog.connect_button)
    assert dialog.problem.isVisible()
    assert _("server") in dialog.problem.text()
    assert not window.runner.is_busy()


def test_server_away_at_start_then_try_again(
    window: MainWindow, qtbot: QtBot, server_url: str, cluster: ThrowawayCluster
) -> None:
    stop_server(cluster)
    try:
        with qtbot.waitSignal(window.open_failed, timeout=WAIT_MS):
            window.open_server(server_url)
        assert window.message_page.title() == _("The database server cannot be reached")
        assert window.message_page.button("connectServer") is not None
    finally:
        start_server(cluster)
    with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
        click(qtbot, window.message_page.button("retry"))
    assert len(people_names(window)) == 8


def test_a_dropped_connection_is_reported_and_the_lists_read_again(
    on_server: MainWindow,
    qtbot: QtBot,
    server_url: str,
    cluster: ThrowawayCluster,
    colleague: Database,
) -> None:
    team = on_server.team
    assert team is not None
    states: list[bool] = []
    team.connection_changed.connect(states.append)
    stop_server(cluster)
    try:
        qtbot.waitUntil(lambda: team.connected is False, timeout=WAIT_MS)
        assert _("interrupted").split()[0] in on_server.statusBar().currentMessage() or (
            "unterbrochen" in on_server.statusBar().currentMessage()
        )
    finally:
        start_server(cluster)
    # meanwhile (no notice can reach the window) a colleague changes something …
    create_person(colleague, PersonInput(last_name="Währenddessen"))
    qtbot.waitUntil(lambda: team.connected is True, timeout=WAIT_MS)
    # … and the window reads the lists anew once it is back
    qtbot.waitUntil(lambda: "Währenddessen" in " ".join(people_names(on_server)), timeout=WAIT_MS)
    assert states[:2] == [False, True]


def test_edit_after_the_server_ended_the_windows_connections(
    on_server: MainWindow, qtbot: QtBot, server_url: str, cluster: ThrowawayCluster
) -> None:
    """The pool notices dead connections: the next action works without a restart."""
    assert terminate_clients(cluster, server_url) >= 1
    opened = on_server.opened()
    assert opened is not None
    saved = create_person(opened.database, PersonInput(last_name="Danach"))
    assert saved.id > 0
    QApplication.processEvents()


def test_a_conflicting_edit_names_the_colleague_and_keeps_what_was_typed(
    on_server: MainWindow, qtbot: QtBot, colleague: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from tests.gui.network.test_editing import _open_person_dialog, _select
    from ui.network.actions import ConflictChoice

    workspace = on_server.workspace()
    assert workspace is not None
    page = workspace.network
    _select(page, "Peter Adler")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    assert dialog.form is not None
    form = load_person(colleague, dialog.form.id)
    update_person(colleague, form.id, replace(form.values, function="Platzwart"), form.version)
    asked: list[str] = []
    monkeypatch.setattr(
        "ui.network.actions.ask_conflict",
        lambda _parent, message: asked.append(message) or ConflictChoice.CANCEL,
    )
    qtbot.keyClicks(dialog.function, "Trainer")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "Jonas Weber" in asked[0]  # who saved it; pg's message adds when
    assert dialog.isVisible()
    assert dialog.function.text().endswith("Trainer")  # what the user typed stays
    monkeypatch.setattr(dialog, "confirm_discard", lambda: True)
    dialog.reject()


def test_saving_while_the_server_is_away_keeps_the_form_and_saves_when_tried_again(
    on_server: MainWindow,
    qtbot: QtBot,
    cluster: ThrowawayCluster,
    colleague: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.gui.network.test_editing import _open_person_dialog, _select

    workspace = on_server.workspace()
    assert workspace is not None
    page = workspace.network
    _select(page, "Peter Adler")
    dialog = _open_person_dialog(qtbot, page, page.editing.edit_person)
    qtbot.keyClicks(dialog.function, "Kassenwart")
    stop_server(cluster)
    try:
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: dialog.form_error.isVisible(), timeout=WAIT_MS)
        assert dialog.isVisible()
        assert dialog.function.text().endswith("Kassenwart")  # nothing typed is lost
        assert "127.0.0.1" in dialog.form_error.text()  # names the server it cannot reach
    finally:
        start_server(cluster)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(qtbot, dialog.save_button)  # "try again" is saving again
    qtbot.waitUntil(lambda: not on_server.runner.is_busy(), timeout=WAIT_MS)
    peter = next(row for row in list_people(colleague) if row.name == "Peter Adler")
    assert peter.function.endswith("Kassenwart")
