"""The command line contract: commands, JSON keys, exit codes, no stray files."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors and --version
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--version")
    assert code == 0
    assert out.startswith("Treffpunkt ")


def test_init_creates_and_then_refuses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _out, err = run(capsys, "--db", str(path), "init")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_environment_variable_names_the_database(
    capsys: pytest.CaptureFixture[str], demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TREFFPUNKT_DB", str(demo_db))
    code, out, _err = run(capsys, "contacts", "list", "--json")
    assert code == 0
    assert len(json.loads(out)) > 50


@pytest.mark.parametrize(
    "command",
    [
        ["contacts", "list"],
        ["contacts", "list", "--json"],
        ["meetings", "list", "--json"],
        ["meetings", "show", "1", "--json"],
        ["check"],
    ],
)
def test_commands_on_a_missing_database_exit_1_and_create_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "missing.db"
    code, out, err = run(capsys, "--db", str(path), *command)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert str(path) in err
    assert not path.exists()


def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    assert run(capsys, "--db", str(demo_db), "meetings", "show")[0] == 2
    assert run(capsys, "--db", str(demo_db), "frobnicate")[0] == 2


def test_demo_refuses_a_database_with_data(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    code, _out, err = run(capsys, "--db", str(demo_db), "demo")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_demo_fills_an_empty_existing_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "empty.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    assert run(capsys, "--db", str(path), "demo")[0] == 0
    code, out, _err = run(capsys, "--db", str(path), "meetings", "list", "--json")
    assert code == 0
    assert len(json.loads(out)) >= 2


def test_contacts_list_json_keys(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, _err = run(capsys, "--db", str(demo_db), "contacts", "list", "--json")
    assert code == 0
    people = json.loads(out)
    assert 60 <= len(people) <= 120
    for person in people:
        assert {"id", "first_name", "last_name", "name", "emails", "organisation", "groups"} <= set(
            person
        )
        assert isinstance(person["emails"], list)
        assert isinstance(person["groups"], list)
    names = {person["name"] for person in people}
    assert any("ş" in name or "ı" in name for name in names)  # Turkish letters survive JSON


def test_contacts_list_json_address(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    """``address``: the postal address letters use (own, else the organisation's), or null."""
    code, out, _err = run(capsys, "--db", str(demo_db), "contacts", "list", "--json")
    assert code == 0
    people = {person["last_name"]: person for person in json.loads(out)}
    assert all("address" in person for person in people.values())
    breuer = people["Breuer"]["address"]  # no organisation: her own, private address
    assert {"street", "postcode", "city"} <= set(breuer)
    assert (breuer["street"], breuer["postcode"], breuer["city"]) == (
        "Dionysiusstraße 14",
        "47798",
        "Krefeld",
    )
    assert breuer["source"] == "private"
    dahmen = people["Dahmen"]["address"]  # an office of his own, not the city hall's
    assert (dahmen["street"], dahmen["source"]) == ("Westwall 102", "work")
    venlo = people["Morgenstern"]["address"]
    assert (venlo["city"], venlo["country"]) == ("Venlo", "Niederlande")
    with_organisation = [
        p["address"] for p in people.values() if p["organisation"] and p["address"] is not None
    ]
    assert any(a["source"] == "organisation" for a in with_organisation)
    assert people["Janßen"]["address"] is None  # neither his own nor an organisation's


def test_contacts_list_table(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, _err = run(capsys, "--db", str(demo_db), "contacts", "list")
    assert code == 0
    assert len(out.splitlines()) > 60


def _auftakt_id(capsys: pytest.CaptureFixture[str], path: Path) -> int:
    _code, out, _err = run(capsys, "--db", str(path), "meetings", "list", "--json")
    return next(
        m["id"] for m in json.loads(out) if m["title"].startswith("Auftakt-Netzwerktreffen")
    )


def test_meetings_list_json_upcoming_first(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    code, out, _err = run(capsys, "--db", str(demo_db), "meetings", "list", "--json")
    assert code == 0
    meetings = json.loads(out)
    states = {"planned", "invited", "held", "minutes_draft", "minutes_final", "cancelled"}
    for meeting in meetings:
        assert {"id", "title", "start", "end", "venue", "state"} <= set(meeting)
        assert meeting["state"] in states
        assert datetime.fromisoformat(meeting["start"]).utcoffset() is not None
    assert meetings[0]["upcoming"] is True
    assert datetime.fromisoformat(meetings[0]["start"]) > datetime.now().astimezone()


def test_meetings_show_json(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    meeting_id = _auftakt_id(capsys, demo_db)
    code, out, _err = run(
        capsys, "--db", str(demo_db), "meetings", "show", str(meeting_id), "--json"
    )
    assert code == 0
    meeting = json.loads(out)
    assert {
        "id",
        "title",
        "start",
        "end",
        "venue",
        "state",
        "agenda",
        "invitations",
        "attendance",
        "decisions",
        "action_items",
    } <= set(meeting)
    assert meeting["state"] == "minutes_draft"
    assert meeting["start"] == "2022-11-17T15:00:00+01:00"
    top_level = [item for item in meeting["agenda"] if "." not in item["number"]]
    assert [item["position"] for item in top_level] == [1, 2, 3, 4, 5]
    for item in meeting["agenda"]:
        assert {"position", "title", "minutes", "presenter", "start"} <= set(item)
    assert meeting["agenda"][1]["start"] == "2022-11-17T15:10:00+01:00"
    for invitation in meeting["invitations"]:
        assert {"person_id", "name", "email", "organisation", "state"} <= set(invitation)
        assert invitation["state"] in {"not_sent", "sent", "accepted", "declined", "tentative"}
    assert {"accepted", "declined"} <= {i["state"] for i in meeting["invitations"]}
    for row in meeting["attendance"]:
        assert {"person_id", "name", "organisation", "status"} <= set(row)
        assert row["status"] in {"present", "excused", "absent"}
    assert any(row["person_id"] is None for row in meeting["attendance"])  # walk-in guests
    assert meeting["decisions"]
    for decision in meeting["decisions"]:
        assert {"agenda_position", "text"} <= set(decision)
    assert meeting["action_items"]
    for item in meeting["action_items"]:
        assert {"text", "owner", "due", "status"} <= set(item)
        assert item["status"] in {"open", "done"}


def test_meetings_show_human_readable(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    meeting_id = _auftakt_id(capsys, demo_db)
    code, out, _err = run(capsys, "--db", str(demo_db), "meetings", "show", str(meeting_id))
    assert code == 0
    assert "Auftakt-Netzwerktreffen der Impuls.Ag" in out
    assert "Donnerstag, 17. November 2022" in out
    assert "Begrüßung" in out


def test_meetings_show_unknown_id(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "meetings", "show", "9999")
    assert code == 1
    assert out == ""
    assert "9999" in err


def test_check_reports_ok(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, _err = run(capsys, "--db", str(demo_db), "check", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert report["integrity"] == "ok"
    assert report["schema_status"] == "current"


@pytest.mark.parametrize("damage", ["text", "foreign", "newer", "truncated"])
def test_check_refuses_bad_files_and_leaves_them_identical(
    capsys: pytest.CaptureFixture[str], demo_db: Path, tmp_path: Path, damage: str
) -> None:
    path = demo_db
    if damage == "text":
        path = tmp_path / "letter.db"
        path.write_text("Sehr geehrte Damen und Herren", encoding="utf-8")
    elif damage == "foreign":
        path = tmp_path / "foreign.db"
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        connection.close()
    elif damage == "newer":
        connection = sqlite3.connect(path)
        connection.execute("UPDATE alembic_version SET version_num='29990101_01'")
        connection.commit()
        connection.close()
    else:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _out, err = run(capsys, "--db", str(path), "check")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_console_entry_point_runs_without_loading_qt(demo_db: Path) -> None:
    script = (
        "import sys; from ui.launcher import main;"
        "code = main(['--db', sys.argv[1], 'meetings', 'list']);"
        "assert not any(m.startswith('PySide6') for m in sys.modules); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(demo_db)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Auftakt" in result.stdout


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False)),
        (["--db", "x.db"], ("x.db", True)),
        (["--db=y.db"], ("y.db", True)),
    ],
)
def test_plain_invocation_opens_the_window(
    argv: list[str], expected: tuple[str | None, bool]
) -> None:
    calls: list[tuple[Path | None, bool]] = []

    def fake_window(path: Path | None, explicit: bool) -> int:
        calls.append((path, explicit))
        return 0

    assert main(argv, open_window=fake_window) == 0
    path, explicit = calls[0]
    assert (path.name if path else None, explicit) == expected


def test_a_server_url_opens_the_window_on_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Team mode: ``treffpunkt --db postgresql://…`` connects in the window (the URL as is)."""
    calls: list[tuple[object, bool]] = []
    url = "postgresql://anna@db.example:5432/netz?sslmode=verify-full"
    assert main(["--db", url], open_window=lambda p, e: calls.append((p, e)) or 0) == 0
    monkeypatch.setenv("TREFFPUNKT_DB", url)
    assert main([], open_window=lambda p, e: calls.append((p, e)) or 0) == 0
    assert calls == [(url, True), (url, True)]


def test_opening_the_window_loads_no_database_layer_first() -> None:
    """The window must appear before SQLAlchemy is imported (start-up time)."""
    script = (
        "import sys; from app.cli import main;"
        "main(['--db', 'x.db'], open_window=lambda p, e: 0);"
        "heavy = ('sqlalchemy', 'alembic', 'babel');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_contacts_export_import_round_trip(
    capsys: pytest.CaptureFixture[str], demo_db: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "kontakte.csv"
    assert run(capsys, "--db", str(demo_db), "contacts", "export", str(exported))[0] == 0
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for German Excel
    target = tmp_path / "new.db"
    assert run(capsys, "--db", str(target), "init")[0] == 0
    code, out, err = run(capsys, "--db", str(target), "contacts", "import", str(exported))
    assert code == 0
    assert out == ""
    assert "85" in err
    code, out, err = run(capsys, "--db", str(target), "contacts", "import", str(exported))
    assert code == 0
    _code, listing, _err = run(capsys, "--db", str(target), "contacts", "list", "--json")
    assert len(json.loads(listing)) == 85  # importing twice creates no duplicates


def test_contacts_import_of_a_bad_file_changes_nothing(
    capsys: pytest.CaptureFixture[str], demo_db: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "adressen.csv"
    junk.write_bytes(bytes(range(256)) * 40)
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    code, _out, err = run(capsys, "--db", str(demo_db), "contacts", "import", str(junk))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_contacts_import_strict_and_dry_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(
        "Einrichtung;Ansprechperson;E-Mail\n"
        "Quartiersbüro Gatherhof;Ayşe Yılmaz;ayse@example.org\n"
        "Jugendhaus;Kai Brandt;kai.brandt@\n",  # an invalid address: the row cannot be imported
        encoding="utf-8-sig",
    )
    target = tmp_path / "t.db"
    assert run(capsys, "--db", str(target), "init")[0] == 0
    assert run(capsys, "--db", str(target), "contacts", "import", str(source), "--strict")[0] == 1
    assert run(capsys, "--db", str(target), "contacts", "import", str(source), "--dry-run")[0] == 0
    _code, listing, _err = run(capsys, "--db", str(target), "contacts", "list", "--json")
    assert json.loads(listing) == []
    assert run(capsys, "--db", str(target), "contacts", "import", str(source))[0] == 0
    _code, listing, _err = run(capsys, "--db", str(target), "contacts", "list", "--json")
    assert [p["name"] for p in json.loads(listing)] == ["Ayşe Yılmaz"]
