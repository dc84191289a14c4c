"""``treffpunkt attendance`` and ``treffpunkt figures``: exit codes 0/1/2, nothing changed on
error, output and exports."""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.cli import attendance_commands
from app.db import Database
from app.i18n import _
from app.models import (
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
)
from app.services.demo import fill_demo
from app.services.reporting import figures_for_year

cli_main = importlib.import_module("app.cli.main")  # the package exports the function
TODAY = date(2026, 11, 25)
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead wires ``register`` into ``app.cli.main``; until then the tests add it."""
    original: Callable[[], argparse.ArgumentParser] = cli_main.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "attendance" not in commands.choices:
            attendance_commands.register(commands)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database.create(path)
    fill_demo(database, today=TODAY)
    with database.write() as session:
        # A fresh past meeting with replies and no attendance yet, and one far ahead.
        meeting = Meeting(
            title="Frisches Treffen",
            start=datetime(2024, 5, 7, 13, tzinfo=UTC),
            state=MeetingState.INVITED,
        )
        future = Meeting(title="Zukunft", start=datetime(2099, 5, 7, 13, tzinfo=UTC))
        session.add_all([meeting, future])
        session.flush()
        auftakt = session.scalar(select(Meeting).where(Meeting.title == AUFTAKT))
        assert auftakt is not None
        for invitation in auftakt.invitations:
            session.add(
                Invitation(
                    meeting_id=meeting.id, person_id=invitation.person_id, state=invitation.state
                )
            )
    database.close()
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    return path


def meeting_id(path: Path, title: str) -> int:
    with Database.open(path) as database, database.read() as session:
        found = session.scalar(select(Meeting.id).where(Meeting.title == title))
        assert found is not None
        return found


def statuses(path: Path, meeting: int) -> dict[int | str | None, AttendanceStatus]:
    with Database.open(path) as database, database.read() as session:
        return {
            a.person_id if a.person_id is not None else a.guest_name: a.status
            for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting))
        }


def replies(path: Path, meeting: int) -> dict[int, InvitationState]:
    with Database.open(path) as database, database.read() as session:
        return {
            i.person_id: i.state
            for i in session.scalars(select(Invitation).where(Invitation.meeting_id == meeting))
        }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def emails_of(path: Path, meeting: int, state: InvitationState, count: int) -> list[str]:
    from app.models import Person

    with Database.open(path) as database, database.read() as session:
        result = []
        for invitation in session.scalars(
            select(Invitation)
            .where(Invitation.meeting_id == meeting, Invitation.state == state)
            .order_by(Invitation.id)
        ):
            person = session.get(Person, invitation.person_id)
            assert person is not None
            if person.preferred_email:
                result.append(person.preferred_email)
            if len(result) == count:
                return result
    raise AssertionError("not enough invitees with an address")


# -- attendance --------------------------------------------------------------------------


def test_present_by_email_ignoring_case(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    meeting = meeting_id(demo, "Frisches Treffen")
    addresses = emails_of(demo, meeting, InvitationState.ACCEPTED, 3)
    code, out, err = run(
        capsys,
        "--db",
        str(demo),
        "attendance",
        str(meeting),
        "--present",
        addresses[0].upper(),
        *addresses[1:],
    )
    assert (code, err) == (0, "")
    assert len(statuses(demo, meeting)) == 3
    assert set(statuses(demo, meeting).values()) == {AttendanceStatus.PRESENT}
    assert "3" in out.splitlines()[-1]


def test_accepted(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    meeting = meeting_id(demo, "Frisches Treffen")
    code, out, _err = run(capsys, "--db", str(demo), "attendance", str(meeting), "--accepted")
    assert code == 0
    recorded = statuses(demo, meeting)
    answers = replies(demo, meeting)
    assert recorded.keys() == answers.keys()
    for person, state in answers.items():
        expected = {
            InvitationState.ACCEPTED: AttendanceStatus.PRESENT,
            InvitationState.DECLINED: AttendanceStatus.EXCUSED,
        }.get(state, AttendanceStatus.ABSENT)
        assert recorded[person] is expected
    present = sum(s is AttendanceStatus.PRESENT for s in recorded.values())
    assert str(present) in out


def test_corrections_guests_and_held(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    meeting = meeting_id(demo, "Frisches Treffen")
    [absent] = emails_of(demo, meeting, InvitationState.ACCEPTED, 1)
    [excused] = emails_of(demo, meeting, InvitationState.TENTATIVE, 1)
    code, out, _err = run(
        capsys,
        "--db",
        str(demo),
        "attendance",
        str(meeting),
        "--accepted",
        "--absent",
        absent,
        "--excused",
        excused,
        "--guest",
        "Tamara Schulz",
        "--guest-organisation",
        "Westdeutsche Zeitung",
        "--guest",
        "Yusuf Demirci",
        "--held",
    )
    assert code == 0
    recorded = statuses(demo, meeting)
    assert recorded["Tamara Schulz"] is AttendanceStatus.PRESENT
    assert recorded["Yusuf Demirci"] is AttendanceStatus.PRESENT
    assert AttendanceStatus.ABSENT in recorded.values()
    with Database.open(demo) as database, database.read() as session:
        stored = session.get(Meeting, meeting)
        assert stored is not None
        assert stored.state is MeetingState.HELD
        guest = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting, Attendance.guest_name == "Tamara Schulz"
            )
        )
        assert guest is not None
        assert guest.guest_organisation == "Westdeutsche Zeitung"
    assert _("The meeting is now marked as held.") in out
    # Repeating the command changes nothing (guests are not added twice).
    before = statuses(demo, meeting)
    assert (
        run(
            capsys,
            "--db",
            str(demo),
            "attendance",
            str(meeting),
            "--guest",
            "Tamara Schulz",
            "--guest-organisation",
            "Westdeutsche Zeitung",
        )[0]
        == 0
    )
    assert statuses(demo, meeting) == before


@pytest.mark.parametrize(
    "arguments",
    [
        ["--present", "{good}", "nobody@nowhere.example"],  # unknown address
        ["--present", "{good}", "--absent", "{good}"],  # contradiction
        ["--accepted", "--held", "--excused", "nobody@nowhere.example"],
        ["--present", "not an address"],
    ],
)
def test_user_errors_exit_1_and_change_nothing(
    capsys: pytest.CaptureFixture[str], demo: Path, arguments: list[str]
) -> None:
    meeting = meeting_id(demo, "Frisches Treffen")
    [good] = emails_of(demo, meeting, InvitationState.ACCEPTED, 1)
    before = digest(demo)
    code, out, err = run(
        capsys,
        "--db",
        str(demo),
        "attendance",
        str(meeting),
        *[a.format(good=good) for a in arguments],
    )
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert digest(demo) == before


def test_unknown_cancelled_and_future_meetings_exit_1(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    before = digest(demo)
    assert run(capsys, "--db", str(demo), "attendance", "9999", "--accepted")[0] == 1
    future = meeting_id(demo, "Zukunft")
    code, _out, err = run(capsys, "--db", str(demo), "attendance", str(future), "--accepted")
    assert code == 1
    assert "Zukunft" in err
    assert digest(demo) == before


@pytest.mark.parametrize(
    "arguments",
    [
        ["1"],  # nothing to record
        ["1", "--present", "a@b.de", "--accepted"],  # the two starts exclude each other
        ["1", "--guest-organisation", "Presse"],  # no guest before it
        ["1", "--present"],  # no address
        ["first", "--accepted"],  # not a meeting number
        ["--accepted"],  # no meeting at all
    ],
)
def test_wrong_usage_exits_2(
    capsys: pytest.CaptureFixture[str], demo: Path, arguments: list[str]
) -> None:
    before = digest(demo)
    code, out, err = run(capsys, "--db", str(demo), "attendance", *arguments)
    assert code == 2
    assert out == ""
    assert "Aufruf:" in err
    assert digest(demo) == before


def test_missing_database_exits_1_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "missing.db"
    for command in (["attendance", "1", "--accepted"], ["figures", "--year", "2023"]):
        code, _out, err = run(capsys, "--db", str(path), *command)
        assert code == 1
        assert err
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


# -- figures -----------------------------------------------------------------------------


def test_figures_table(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, out, err = run(
        capsys, "--db", str(demo), "figures", "--from", "2023-01-01", "--to", "2023-12-31"
    )
    assert (code, err) == (0, "")
    assert "Netzwerktreffen Impuls.Ag – Frühjahr 2023" in out
    assert _("Per organisation") in out
    assert "Projekt VielFeld" in out


def test_figures_json_matches_the_service(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, out, _err = run(capsys, "--db", str(demo), "figures", "--year", "2023", "--json")
    assert code == 0
    data = json.loads(out)
    with Database.open(demo) as database:
        figures = figures_for_year(database, 2023)
    assert data["from"] == "2023-01-01"
    assert data["to"] == "2023-12-31"
    assert data["meetings_held"] == figures.meetings_held == 2
    assert data["people_reached"] == figures.people_reached
    assert data["attendances"] == figures.attendances
    assert [m["title"] for m in data["per_meeting"]] == [m.title for m in figures.per_meeting]
    assert {m["state"] for m in data["per_meeting"]} == {"minutes_final"}
    assert sum(o["attendances"] for o in data["per_organisation"]) == figures.attendances
    assert [q["quarter"] for q in data["per_calendar_quarter"]] == [1, 2, 3, 4]
    assert data["per_quarter"][-1]["quarter"] is None


def test_figures_exports(capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path) -> None:
    xlsx, pdf = tmp_path / "zahlen.xlsx", tmp_path / "zahlen.PDF"
    assert run(capsys, "--db", str(demo), "figures", "--year", "2023", "-o", str(xlsx))[0] == 0
    assert run(capsys, "--db", str(demo), "figures", "--year", "2023", "-o", str(pdf))[0] == 0
    workbook = load_workbook(xlsx)
    assert len(workbook.sheetnames) == 4
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Netzwerktreffen Impuls.Ag – Herbst 2023" in " ".join(text.split())


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--from", "2023-01-01"], 2),  # no end
        (["--from", "2023-13-01", "--to", "2023-12-31"], 2),  # not a date
        (["--year", "2023", "--from", "2023-01-01"], 2),
        ([], 2),
        (["--from", "2023-12-31", "--to", "2023-01-01"], 1),  # reversed
        (["--year", "2023", "-o", "{tmp}/zahlen.docx"], 1),  # unknown format
        (["--year", "2023", "-o", "{tmp}/missing/zahlen.xlsx"], 1),  # no such folder
    ],
)
def test_figures_errors(
    capsys: pytest.CaptureFixture[str],
    demo: Path,
    tmp_path: Path,
    arguments: list[str],
    code: int,
) -> None:
    before = digest(demo)
    result, out, err = run(
        capsys, "--db", str(demo), "figures", *[a.format(tmp=tmp_path) for a in arguments]
    )
    assert result == code
    assert out == ""
    assert err
    if code == 1:
        assert len(err.strip().splitlines()) == 1
    assert digest(demo) == before
    assert not (tmp_path / "zahlen.docx").exists()
