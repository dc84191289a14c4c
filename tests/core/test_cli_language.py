"""The command line speaks German completely: our help texts, argparse's own words and its
error messages, and the placeholders of the usage line."""

from __future__ import annotations

import argparse
import ast
import inspect
from pathlib import Path

import pytest

from app.cli import main
from app.cli.argparse_catalogue import ARGPARSE_MESSAGES, ARGPARSE_PLURALS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith("Aufruf: treffpunkt [-h] [--version] [--db PFAD] BEFEHL ...")
    assert "\nArgumente:\n" in out
    assert "\nOptionen:\n" in out
    assert "diese Hilfe anzeigen und beenden" in out
    assert "die Versionsnummer anzeigen und beenden" in out
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out


def test_sub_command_help_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "pdf", "invitation", "--help")
    assert code == 0
    assert out.startswith("Aufruf: treffpunkt pdf invitation [-h]")
    assert "-o DATEI, --output DATEI" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("meetings", "invite"), "treffpunkt meetings invite: Fehler: diese Argumente fehlen: ID"),
        (("pdf", "brief"), "Fehler: Argument DOKUMENT: ungültige Auswahl: 'brief'"),
        (("meetings", "show", "drei"), "Argument ID: ungültiger Wert (int): 'drei'"),
        (("--frobnicate",), "Fehler: unbekannte Argumente: --frobnicate"),
        (("pdf", "signin", "1", "-o"), "Argument -o/--output: erwartet einen Wert"),
    ],
)
def test_usage_errors_are_german(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], expected: str
) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert expected in err
    assert "Aufruf: " in err
    assert "error:" not in err
    assert "usage:" not in err


def test_a_command_reporting_usage_later_is_german_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # ``meetings invite`` without a choice of invitees: the handler calls parser.error.
    database = tmp_path / "t.db"
    assert run(capsys, "--db", str(database), "init")[0] == 0
    code, _out, err = run(capsys, "--db", str(database), "meetings", "invite", "1")
    assert code == 2
    assert "Fehler: " in err


def test_english_when_the_user_asks_for_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: treffpunkt [-h] [--version] [--db PATH] COMMAND ...")


def test_argparse_is_left_as_it_was() -> None:
    before = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["--help"])
    assert (argparse._, argparse.ngettext) == before  # type: ignore[attr-defined]


def test_every_argparse_message_of_this_python_is_in_the_catalogue() -> None:
    """A newer Python with new argparse messages fails here until they are listed."""
    tree = ast.parse(inspect.getsource(argparse))
    singular, plural = set(), set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_" and literals:
            singular.add(literals[0])
        elif node.func.id == "ngettext" and len(literals) >= 2:
            plural.add((literals[0], literals[1]))
    assert singular - set(ARGPARSE_MESSAGES) == set()
    assert plural - set(ARGPARSE_PLURALS) == set()
