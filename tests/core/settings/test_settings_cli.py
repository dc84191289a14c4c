"""``treffpunkt settings show|set`` and a meeting made on the command line that can be sent."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from email import message_from_bytes
from pathlib import Path

import pytest
from icalendar import Calendar

from app.cli import main
from app.db import sqlite as database_module
from app.services.settings_registry import SETTINGS
from tests.helpers.settings import DESIGN_KEYS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # what fixtures printed
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def organizer(path: Path) -> str:
    calendar = Calendar.from_ical(path.read_bytes())
    return str(next(iter(calendar.walk("VEVENT")))["ORGANIZER"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "neu.db"
    assert main(["--db", str(path), "init"]) == 0
    return path


def test_show_json_has_every_key(capsys: pytest.CaptureFixture[str], empty_db: Path) -> None:
    code, out, err = run(capsys, "--db", str(empty_db), "settings", "show", "--json")
    assert (code, err) == (0, "")
    values = json.loads(out)
    assert set(DESIGN_KEYS) <= set(values)
    assert values["mail.smtp_port"] == 587
    assert values["sender.address"] is None


def test_show_as_a_table_in_german(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, _err = run(capsys, "--db", str(demo_db), "settings", "show")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Einstellung", "Wert", "Bedeutung"]
    assert len(lines) == 2 + len(SETTINGS)
    assert any(line.startswith("sender.address") and "Absenderadresse" in line for line in lines)


def test_set_then_show_again(capsys: pytest.CaptureFixture[str], empty_db: Path) -> None:
    code, out, err = run(
        capsys,
        "--db",
        str(empty_db),
        "settings",
        "set",
        "sender.address",
        "Quartier@Impuls.example",
    )
    assert (code, err) == (0, "")
    assert out.strip() == "sender.address = Quartier@impuls.example"
    code, out, _err = run(capsys, "--db", str(empty_db), "settings", "show", "--json")
    assert json.loads(out)["sender.address"] == "Quartier@impuls.example"
    code, out, _err = run(capsys, "--db", str(empty_db), "settings", "set", "sender.address", "")
    assert code == 0
    code, out, _err = run(capsys, "--db", str(empty_db), "settings", "show", "--json")
    assert json.loads(out)["sender.address"] is None


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("no.such", "x", "„no.such“ ist keine Einstellung"),
        ("mail.smtp_port", "abc", "„abc“ ist keine ganze Zahl."),
        ("mail.mode", "fax", "„fax“ ist keiner der Werte smtp, eml."),
        ("sender.address", "kein@", "kein@"),
        ("meetings.default_start", "18 Uhr", "„18 Uhr“ ist keine Uhrzeit wie 18:00."),
        ("meetings.default_organiser", "nobody@example.org", "nobody@example.org"),
    ],
)
def test_refused_set_exits_1_with_one_line_and_the_file_unchanged(
    capsys: pytest.CaptureFixture[str], demo_db: Path, key: str, value: str, expected: str
) -> None:
    before = digest(demo_db)
    code, out, err = run(capsys, "--db", str(demo_db), "settings", "set", key, value)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("treffpunkt: ")
    assert expected in err
    assert digest(demo_db) == before


def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str], empty_db: Path) -> None:
    assert run(capsys, "--db", str(empty_db), "settings", "set", "sender.address")[0] == 2
    assert run(capsys, "--db", str(empty_db), "settings")[0] == 2


def test_a_missing_database_is_not_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "fehlt.db"
    for argv in (["settings", "show"], ["settings", "set", "sender.name", "X"]):
        code, _out, err = run(capsys, "--db", str(path), *argv)
        assert code == 1
        assert len(err.strip().splitlines()) == 1
    assert not path.exists()


def test_set_waits_for_a_writer_and_then_says_the_database_is_busy(
    capsys: pytest.CaptureFixture[str], empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(empty_db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        before = digest(empty_db)
        code, _out, err = run(capsys, "--db", str(empty_db), "settings", "set", "sender.name", "X")
        assert code == 1
        assert "ist belegt" in err
        assert len(err.strip().splitlines()) == 1
        assert digest(empty_db) == before
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_meeting_made_on_the_command_line_can_be_sent_without_more_input(
    capsys: pytest.CaptureFixture[str], demo_db: Path, tmp_path: Path
) -> None:
    db = str(demo_db)
    drafts = tmp_path / "entwuerfe"
    assert run(capsys, "--db", db, "settings", "set", "mail.eml_dir", str(drafts))[0] == 0
    code, out, err = run(
        capsys,
        "--db",
        db,
        "meetings",
        "create",
        "--title",
        "Frühjahrstreffen",
        "--start",
        "2027-03-02T15:00",
    )
    assert (code, err) == (0, "")
    meeting_id = out.strip()
    code, out, _err = run(capsys, "--db", db, "meetings", "show", meeting_id, "--json")
    shown = json.loads(out)
    assert shown["organiser"]
    assert "Krüger" in shown["organiser"]
    assert shown["venue"] == "Museumscafé K+ (Kaiser-Wilhelm-Museum)"

    ics = tmp_path / "x.ics"
    code, _out, err = run(capsys, "--db", db, "ics", meeting_id, "-o", str(ics))
    assert (code, err) == (0, "")
    assert organizer(ics) == "mailto:sabine.krueger@krefeld.example"

    assert (
        run(capsys, "--db", db, "meetings", "invite", meeting_id, "--group", "Lenkungskreis")[0]
        == 0
    )
    code, out, err = run(capsys, "--db", db, "mail", "invitations", meeting_id)
    assert (code, err) == (0, ""), out
    files = sorted(drafts.glob("*.eml"))
    assert files
    message = message_from_bytes(files[0].read_bytes())
    assert message["X-Unsent"] == "1"
    assert "sabine.krueger@krefeld.example" in message["From"]


def test_organiser_by_address_and_an_unknown_one(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    db = str(demo_db)
    code, out, _err = run(
        capsys,
        "--db",
        db,
        "meetings",
        "create",
        "--title",
        "T",
        "--start",
        "2027-03-02T15:00",
        "--organiser",
        "JANA.hoffmann@krefeld.example",
    )
    assert code == 0
    shown = json.loads(run(capsys, "--db", db, "meetings", "show", out.strip(), "--json")[1])
    assert "Hoffmann" in shown["organiser"]
    before = digest(demo_db)
    code, out, err = run(
        capsys,
        "--db",
        db,
        "meetings",
        "create",
        "--title",
        "T",
        "--start",
        "2027-03-02T15:00",
        "--organiser",
        "niemand@example.org",
    )
    assert code == 1
    assert "niemand@example.org" in err
    assert len(err.strip().splitlines()) == 1
    assert digest(demo_db) == before


def test_on_a_new_database_the_sender_setting_is_enough_for_the_calendar_file(
    capsys: pytest.CaptureFixture[str], empty_db: Path, tmp_path: Path
) -> None:
    db = str(empty_db)
    meeting_id = run(
        capsys, "--db", db, "meetings", "create", "--title", "T", "--start", "2027-03-02T15:00"
    )[1].strip()
    ics = tmp_path / "x.ics"
    code, _out, err = run(capsys, "--db", db, "ics", meeting_id, "-o", str(ics))
    assert code == 1
    assert "settings set sender.address" in err  # says how to fix it
    assert not ics.exists()
    assert run(capsys, "--db", db, "settings", "set", "sender.address", "qm@stadt.example")[0] == 0
    assert run(capsys, "--db", db, "ics", meeting_id, "-o", str(ics))[0] == 0
    assert organizer(ics) == "mailto:qm@stadt.example"


def test_mail_without_a_way_uses_the_server_from_the_settings(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    db = str(demo_db)
    assert run(capsys, "--db", db, "settings", "set", "mail.mode", "smtp")[0] == 0
    code, _out, err = run(capsys, "--db", db, "mail", "invitations", "4")
    assert code == 1
    assert "settings set mail.smtp_host" in err
