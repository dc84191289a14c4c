"""``treffpunkt pdf {invitation,signin,minutes} ID -o FILE``: files, options and exit codes."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import document_commands, main
from app.db import Database
from app.i18n import _
from app.services.letterhead import Letterhead, save_letterhead
from app.services.minutes import DecisionDraft, add_decision
from tests.core.documents.conftest import page_texts
from tests.core.documents.test_invitation_snapshot import Plan, build_plan

cli_main = importlib.import_module("app.cli.main")


@pytest.fixture(autouse=True)
def pdf_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the command should main.py not (yet) do it itself."""
    original = cli_main.build_parser

    def build() -> object:
        parser = original()
        commands = next(a for a in parser._actions if a.dest == "command")
        if "pdf" not in commands.choices:
            document_commands.register(commands)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def plan(db: Database) -> Plan:
    plan = build_plan(db)
    save_letterhead(db, Letterhead("Quartiersmanagement Impuls.Ag", ("Von-der-Leyen-Platz 1",)))
    return plan


def pdf_text(path: Path) -> str:
    return " ".join(page_texts(path.read_bytes()))


def test_invitation(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "einladung.pdf"
    code, out, err = run(
        capsys, "--db", db_arg, "pdf", "invitation", str(plan.meeting_id), "-o", str(target)
    )
    assert (code, err) == (0, "")
    assert str(target) in out
    text = pdf_text(target)
    assert "Netzwerktreffen Winter" in text
    assert "Quartiersmanagement Impuls.Ag" in text  # the letterhead from the settings
    assert "Begrüßung" in text


def test_invitation_letters(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "briefe.pdf"
    code, out, err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "invitation",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--letters",
    )
    assert (code, err) == (0, "")
    assert "5" in out
    assert "Sehr geehrter Herr Ohnemail," in pdf_text(target)
    target2 = tmp_path / "brief.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "invitation",
        str(plan.meeting_id),
        "-o",
        str(target2),
        "--person",
        str(plan.people["yilmaz"]),
    )
    assert (code, err) == (0, "")
    assert "Sehr geehrte Frau Dr. Yılmaz," in pdf_text(target2)


def test_letters_and_person_exclude_each_other(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "x.pdf"
    code, _out, _err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "invitation",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--letters",
        "--person",
        "1",
    )
    assert code == 2
    assert not target.exists()


def test_signin_with_options(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "liste.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "signin",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--order",
        "organisation",
        "--declined",
        "excused",
        "--blank-rows",
        "0",
    )
    assert (code, err) == (0, "")
    text = pdf_text(target)
    assert "Ayşe Yılmaz" in text
    assert _("Further participants") not in text  # no blank rows asked for
    target = tmp_path / "liste2.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "signin",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--blank-rows",
        "3",
    )
    assert (code, err) == (0, "")
    assert _("Further participants") in pdf_text(target)


@pytest.mark.parametrize("value", ["-1", "501", "viele"])
def test_signin_refuses_wrong_blank_rows(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path, value: str
) -> None:
    target = tmp_path / "liste.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "signin",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--blank-rows",
        value,
    )
    assert code == 2
    assert "--blank-rows" in err
    assert not target.exists()


def test_minutes_draft_and_final(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    with db.read() as session:
        from app.models import AgendaItem

        top = session.query(AgendaItem).filter_by(meeting_id=plan.earlier_id).first()
        assert top is not None
        top_id = top.id
    add_decision(db, top_id, DecisionDraft("Sommerfest am 5. Juli", 12, 0, 1))
    target = tmp_path / "protokoll.pdf"
    code, out, err = run(
        capsys, "--db", db_arg, "pdf", "minutes", str(plan.earlier_id), "-o", str(target)
    )
    assert (code, err) == (0, "")
    assert str(target) in out
    text = pdf_text(target)
    assert "Sommerfest am 5. Juli" in text
    assert _("DRAFT") in text
    reader = PdfReader(target)
    assert reader.metadata is not None
    assert "Netzwerktreffen Herbst" in str(reader.metadata.title)

    from app.services.minutes import finalise_minutes, get_minutes_info

    info = get_minutes_info(db, plan.earlier_id)
    assert info is not None
    finalise_minutes(db, plan.earlier_id, expected_version=info.version)
    code, _out, err = run(
        capsys, "--db", db_arg, "pdf", "minutes", str(plan.earlier_id), "-o", str(target)
    )
    assert (code, err) == (0, "")
    assert _("DRAFT") not in pdf_text(target)


@pytest.mark.parametrize("document", ["invitation", "signin", "minutes"])
def test_unknown_meeting_is_a_user_error(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path, document: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "x.pdf"
    code, out, err = run(capsys, "--db", db_arg, "pdf", document, "9999", "-o", str(target))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "9999" in err
    assert list(folder.iterdir()) == []


def test_unwritable_path_is_a_user_error(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    missing = folder / "fehlt" / "x.pdf"
    code, _out, err = run(
        capsys, "--db", db_arg, "pdf", "invitation", str(plan.meeting_id), "-o", str(missing)
    )
    assert code == 1
    assert err.count("\n") == 1
    assert str(missing) in err
    code, _out, err = run(
        capsys, "--db", db_arg, "pdf", "invitation", str(plan.meeting_id), "-o", str(folder)
    )
    assert code == 1
    assert err.count("\n") == 1
    assert list(folder.iterdir()) == []  # no temporary file left behind


def test_no_letters_needed_is_a_user_error(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, tmp_path: Path
) -> None:
    plan = build_plan(db, letters_needed=False)
    target = tmp_path / "x.pdf"
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "invitation",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--letters",
    )
    assert code == 1
    assert err.count("\n") == 1
    assert not target.exists()


def test_missing_database_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = tmp_path / "fehlt.db"
    target = tmp_path / "x.pdf"
    code, _out, _err = run(
        capsys, "--db", str(database), "pdf", "invitation", "1", "-o", str(target)
    )
    assert code == 1
    assert not database.exists()
    assert not target.exists()


def test_usage_errors(capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan) -> None:
    assert run(capsys, "--db", db_arg, "pdf")[0] == 2
    assert run(capsys, "--db", db_arg, "pdf", "invitation", "1")[0] == 2  # no -o
    assert run(capsys, "--db", db_arg, "pdf", "agenda", "1", "-o", "x.pdf")[0] == 2
