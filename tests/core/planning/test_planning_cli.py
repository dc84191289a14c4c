"""``meetings create|invite|cancel|reschedule`` and ``agenda add``: the DESIGN.md contract."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.cli import meeting_commands, planning_commands
from app.db import Database
from app.models import InvitationState, MeetingState
from app.services.meetings import get_meeting

# The module, not the ``main`` function that app.cli re-exports under the same name.
cli_main = importlib.import_module("app.cli.main")

TABLES = ("meetings", "venues", "agenda_items", "invitations", "settings")


def _registered(parser: argparse.ArgumentParser) -> bool:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return "agenda" in action.choices
    return False


@pytest.fixture(autouse=True)
def planning_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the planning commands unless app.cli.main already does."""
    if _registered(cli_main.build_parser()):
        return
    original = meeting_commands.register

    def register(commands: Any) -> None:
        original(commands)
        planning_commands.register(commands)

    monkeypatch.setattr(meeting_commands, "register", register)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def counts(where: str) -> dict[str, int]:
    with Database.open(where, read_only=True) as database, database.read() as session:
        return {
            table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in TABLES
        }


@pytest.fixture
def existing(db: Database, db_arg: str, network: Any) -> str:
    """The test network in a database (``--db``), one meeting (ID 1) planned."""
    return db_arg


def create(capsys: pytest.CaptureFixture[str], path: str, *extra: str) -> int:
    code, out, err = run(
        capsys,
        "--db",
        path,
        "meetings",
        "create",
        "--title",
        "Netzwerktreffen",
        "--start",
        "2026-05-04T18:00",
        *extra,
    )
    assert code == 0, err
    return int(out.strip())


# -- meetings create ------------------------------------------------------------------------


def test_create_prints_only_the_id(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str
) -> None:
    code, out, err = run(
        capsys,
        "--db",
        existing,
        "meetings",
        "create",
        "--title",
        "Auftakt",
        "--start",
        "2026-05-04T18:00",
        "--end",
        "2026-05-04T20:00+02:00",
        "--venue",
        "Café K+",
    )
    assert (code, err) == (0, "")
    assert out == "1\n"
    meeting = get_meeting(db, 1)
    assert meeting.title == "Auftakt"
    assert meeting.start.isoformat() == "2026-05-04T18:00:00+02:00"
    assert meeting.end is not None
    assert meeting.end.isoformat() == "2026-05-04T20:00:00+02:00"
    assert meeting.venue is not None
    assert meeting.venue.name == "Café K+"
    assert meeting.state is MeetingState.PLANNED
    # A second meeting at the same venue (any spelling) reuses it.
    second = create(capsys, existing, "--venue", "cafe k+")
    assert second == 2
    assert counts(existing)["venues"] == 1


def test_create_with_standard_agenda(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str
) -> None:
    meeting_id = create(capsys, existing, "--standard-agenda")
    assert get_meeting(db, meeting_id).agenda[0].title == "Begrüßung"


def test_create_in_another_language(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str
) -> None:
    meeting_id = create(capsys, existing, "--standard-agenda", "--language", "en")
    detail = get_meeting(db, meeting_id)
    assert (detail.language, detail.agenda[0].title) == ("en", "Welcome")
    assert get_meeting(db, create(capsys, existing)).language == "de"


@pytest.mark.parametrize(
    "times",
    [
        ["--start", "2026-03-29T02:30"],  # DST gap
        ["--start", "2026-05-04T18:00", "--end", "2026-05-04T17:00"],
        ["--start", "2026-05-04T18:00", "--end", "2026-05-04T18:00"],
        ["--start", "morgen"],
        ["--start", "2026-05-04"],
        ["--start", "2026-05-04T18:00", "--end", "2026-05-04T25:00"],
    ],
)
def test_create_refuses_bad_times(
    capsys: pytest.CaptureFixture[str], existing: str, times: list[str]
) -> None:
    before = counts(existing)
    code, out, err = run(
        capsys,
        "--db",
        existing,
        "meetings",
        "create",
        "--title",
        "T",
        "--venue",
        "Neu",
        *times,
    )
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert counts(existing) == before


def test_create_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], existing: str) -> None:
    before = counts(existing)
    assert run(capsys, "--db", existing, "meetings", "create", "--title", "T")[0] == 2
    assert run(capsys, "--db", existing, "meetings", "create", "--start", "x")[0] == 2
    assert counts(existing) == before


def test_commands_on_a_missing_database_create_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "missing.db"
    for argv in (
        ["meetings", "create", "--title", "T", "--start", "2026-05-04T18:00"],
        ["meetings", "invite", "1", "--all"],
        ["meetings", "cancel", "1"],
        ["meetings", "reschedule", "1", "--start", "2026-05-04T18:00"],
        ["agenda", "add", "1", "TOP"],
    ):
        code, _out, err = run(capsys, "--db", str(path), *argv)
        assert code == 1
        assert len(err.strip().splitlines()) == 1
    assert not path.exists()


# -- meetings invite -------------------------------------------------------------------------


def test_invite_by_group_and_person(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str, network: Any
) -> None:
    meeting_id = create(capsys, existing)
    code, out, err = run(
        capsys,
        "--db",
        existing,
        "meetings",
        "invite",
        str(meeting_id),
        "--group",
        "sport",
        "--person",
        "AYSE@example.org",
    )
    assert (code, err) == (0, "")
    assert "2" in out.splitlines()[0]
    invited = {row.person_id for row in get_meeting(db, meeting_id).invitations}
    assert invited == {network.jan, network.ayse}

    # Repeating and combining: Impuls.Ag adds Renée (no consent) and Olga (no e-mail).
    code, out, _err = run(
        capsys,
        "--db",
        existing,
        "meetings",
        "invite",
        str(meeting_id),
        "--group",
        "Impuls.Ag",
        "--organisation",
        "SV Gatherhof",
    )
    assert code == 0
    lines = out.splitlines()
    assert "2" in lines[0]  # two more
    assert "2" in lines[1]  # two already invited
    assert any("Renée Öztürk-Weiß" in line for line in lines[2:])
    assert any("Olga Łukasik" in line for line in lines[2:])
    assert not any("Jan Müller" in line for line in lines[2:])
    states = {row.state for row in get_meeting(db, meeting_id).invitations}
    assert states == {InvitationState.NOT_SENT}


def test_invite_all_and_quarter(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str, network: Any
) -> None:
    first = create(capsys, existing)
    assert run(capsys, "--db", existing, "meetings", "invite", str(first), "--all")[0] == 0
    assert {r.person_id for r in get_meeting(db, first).invitations} == {
        network.ayse,
        network.rene,
        network.jan,
        network.olga,
    }
    second = create(capsys, existing)
    code, _out, _err = run(
        capsys, "--db", existing, "meetings", "invite", str(second), "--quarter", "Lehmheide"
    )
    assert code == 0
    assert {r.person_id for r in get_meeting(db, second).invitations} == {
        network.ayse,
        network.olga,
    }


def test_invite_archived_person_is_skipped(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str
) -> None:
    meeting_id = create(capsys, existing)
    code, out, _err = run(
        capsys,
        "--db",
        existing,
        "meetings",
        "invite",
        str(meeting_id),
        "--person",
        "klaus@example.org",
    )
    assert code == 0
    assert "Klaus Zimmer" in out
    assert get_meeting(db, meeting_id).invitations == ()


@pytest.mark.parametrize(
    "selector",
    [
        ["--group", "Chor"],
        ["--organisation", "Unbekannt e.V."],
        ["--quarter", "Mitte"],
        ["--person", "nobody@example.org"],
        ["--group", "Sport", "--person", "nobody@example.org"],  # one bad: nobody added
    ],
)
def test_invite_unknown_names_exit_1_and_change_nothing(
    capsys: pytest.CaptureFixture[str], existing: str, selector: list[str]
) -> None:
    meeting_id = create(capsys, existing)
    before = counts(existing)
    code, out, err = run(capsys, "--db", existing, "meetings", "invite", str(meeting_id), *selector)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert counts(existing) == before


def test_invite_usage_and_unknown_meeting(
    capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    meeting_id = create(capsys, existing)
    before = counts(existing)
    assert run(capsys, "--db", existing, "meetings", "invite", str(meeting_id))[0] == 2
    assert run(capsys, "--db", existing, "meetings", "invite", "x", "--all")[0] == 2
    code, _out, err = run(capsys, "--db", existing, "meetings", "invite", "99", "--all")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert counts(existing) == before


# -- agenda add --------------------------------------------------------------------------------


def test_agenda_add_prints_the_top_number(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str
) -> None:
    meeting_id = create(capsys, existing)
    base = ["--db", existing, "agenda", "add", str(meeting_id)]
    assert run(capsys, *base, "Begrüßung", "--minutes", "10") == (0, "1\n", "")
    assert run(
        capsys,
        *base,
        "Sport im Park",
        "--minutes",
        "20",
        "--presenter",
        "SV Gatherhof",
        "--kind",
        "discussion",
    ) == (0, "2\n", "")
    agenda = get_meeting(db, meeting_id).agenda
    assert [(r.number, r.title, r.planned_minutes, r.presenter) for r in agenda] == [
        ("1", "Begrüßung", 10, ""),
        ("2", "Sport im Park", 20, "SV Gatherhof"),
    ]
    assert agenda[1].start.strftime("%H:%M") == "18:10"


def test_agenda_add_errors(capsys: pytest.CaptureFixture[str], existing: str) -> None:
    meeting_id = create(capsys, existing)
    before = counts(existing)
    base = ["--db", existing, "agenda", "add"]
    assert run(capsys, *base, str(meeting_id), "TOP", "--minutes", "viele")[0] == 2
    assert run(capsys, *base, str(meeting_id))[0] == 2
    assert run(capsys, *base, str(meeting_id), "TOP", "--kind", "party")[0] == 2
    for argv in (
        [str(meeting_id), "TOP", "--minutes", "-5"],
        [str(meeting_id), "  "],
        ["99", "TOP"],
    ):
        code, out, err = run(capsys, *base, *argv)
        assert code == 1
        assert out == ""
        assert len(err.strip().splitlines()) == 1
    assert counts(existing) == before


def test_agenda_standard(capsys: pytest.CaptureFixture[str], db: Database, existing: str) -> None:
    meeting_id = create(capsys, existing)
    code, out, _err = run(
        capsys, "--db", existing, "agenda", "standard", str(meeting_id), "--language", "en"
    )
    assert code == 0
    assert "1, 2, 3, 4, 5" in out
    assert get_meeting(db, meeting_id).agenda[0].title == "Welcome"


# -- cancel and reschedule ------------------------------------------------------------------


def test_reschedule(capsys: pytest.CaptureFixture[str], db: Database, existing: str) -> None:
    meeting_id = create(capsys, existing, "--end", "2026-05-04T20:00")
    code, out, err = run(
        capsys,
        "--db",
        existing,
        "meetings",
        "reschedule",
        str(meeting_id),
        "--start",
        "2026-05-11T17:00",
    )
    assert (code, err) == (0, "")
    assert out.strip()
    meeting = get_meeting(db, meeting_id)
    assert meeting.start.isoformat() == "2026-05-11T17:00:00+02:00"
    assert meeting.end is not None
    assert meeting.end.isoformat() == "2026-05-11T19:00:00+02:00"
    assert meeting.sequence == 1


def test_reschedule_errors_change_nothing(
    capsys: pytest.CaptureFixture[str], db: Database, existing: str
) -> None:
    meeting_id = create(capsys, existing, "--end", "2026-05-04T20:00")
    before = get_meeting(db, meeting_id)
    for times in (
        ["--start", "2026-03-29T02:15"],
        ["--start", "2026-05-04T18:00", "--end", "2026-05-04T10:00"],
        ["--start", "bald"],
    ):
        code, out, err = run(
            capsys, "--db", existing, "meetings", "reschedule", str(meeting_id), *times
        )
        assert code == 1
        assert out == ""
        assert len(err.strip().splitlines()) == 1
    assert get_meeting(db, meeting_id) == before
    assert run(capsys, "--db", existing, "meetings", "reschedule", str(meeting_id))[0] == 2


def test_cancel(capsys: pytest.CaptureFixture[str], db: Database, existing: str) -> None:
    meeting_id = create(capsys, existing)
    code, out, err = run(capsys, "--db", existing, "meetings", "cancel", str(meeting_id))
    assert (code, err) == (0, "")
    assert "Netzwerktreffen" in out
    meeting = get_meeting(db, meeting_id)
    assert meeting.state is MeetingState.CANCELLED
    assert meeting.sequence == 1
    code, _out, err = run(capsys, "--db", existing, "meetings", "cancel", str(meeting_id))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert get_meeting(db, meeting_id).sequence == 1
    code, _out, _err = run(capsys, "--db", existing, "meetings", "invite", str(meeting_id), "--all")
    assert code == 1
    assert counts(existing)["invitations"] == 0


def test_existing_meeting_commands_still_work(
    capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    meeting_id = create(capsys, existing)
    code, out, _err = run(capsys, "--db", existing, "meetings", "show", str(meeting_id))
    assert code == 0
    assert "Netzwerktreffen" in out
    assert run(capsys, "--db", existing, "meetings", "list", "--json")[0] == 0
