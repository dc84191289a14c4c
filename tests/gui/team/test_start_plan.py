"""Which database the window opens at start, in team mode: the server URL given, or the
server last connected to; a file opened afterwards wins again."""

from __future__ import annotations

from pathlib import Path

from app.db.server_form import ServerForm, form_of, server_address
from app.preferences import Preferences
from ui.opening import plan_start

URL = "postgresql://anna@db.example:5433/netz?sslmode=verify-full"


def test_a_server_url_given_is_connected_to() -> None:
    plan = plan_start(URL, explicit=True, preferences=Preferences())
    assert plan.server == URL


def test_the_server_last_connected_to_is_connected_to_again(tmp_path: Path) -> None:
    preferences = Preferences()
    preferences.remember_server(URL)
    assert plan_start(None, explicit=False, preferences=preferences).server == URL
    file = tmp_path / "netz.db"
    file.write_bytes(b"")
    preferences.remember_database(file)  # then a file was opened: that one next time
    plan = plan_start(None, explicit=False, preferences=preferences)
    assert plan.server is None
    assert plan.path == file.resolve()
    assert preferences.last_server == URL  # still fills the connect form


def test_the_connect_form_round_trips_through_the_remembered_url() -> None:
    form = form_of(URL)
    assert form == ServerForm("db.example", 5433, "netz", "anna", "verify-full")
    assert server_address(form).url() == URL
    assert form_of(None) is None
    assert form_of("postgresql://nur-host") is None
