"""The command line in a pipe and at a prompt: a reader that goes away (``| head``) or the end
of input at the password question ends the command cleanly, without a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.db import Database
from app.services.demo import fill_demo
from app.services.mail_settings import SmtpSecurity, SmtpSettings, save_smtp_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Database.create(path) as database:
        fill_demo(database)
    return path


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        HOME=str(home),
        LANG="de_DE.UTF-8",
        PYTHONPATH=str(ROOT),
        # No keyring: the password has to be typed.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    env.pop("TREFFPUNKT_DB", None)
    return env


@pytest.mark.parametrize(
    "command",
    [
        ["contacts", "list"],
        ["contacts", "list", "--json"],
        ["meetings", "list"],
        ["meetings", "show", "4", "--json"],
        ["privacy", "export", "77"],
        ["figures", "--year", "2023"],
        ["check"],
        ["--help"],
    ],
    ids=" ".join,
)
def test_output_into_a_closed_pipe_ends_cleanly(
    command: list[str], demo_file: Path, tmp_path: Path, private_user_dirs: Path
) -> None:
    database = tmp_path / "demo.db"
    shutil.copyfile(demo_file, database)
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "--db", str(database), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(private_user_dirs),
        cwd=ROOT,
    )
    assert process.stdout is not None
    process.stdout.close()  # like `| head` that has read enough: every write fails now
    _out, err = process.communicate(timeout=120)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text
    assert "Exception ignored" not in text
    assert process.returncode == (0 if command == ["--help"] else 1)  # help: argparse's own


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")
def test_end_of_input_at_the_password_prompt(
    demo_file: Path, tmp_path: Path, private_user_dirs: Path
) -> None:
    database = tmp_path / "demo.db"
    shutil.copyfile(demo_file, database)
    with Database.open(database) as db:
        save_smtp_settings(
            db,
            SmtpSettings(
                host="127.0.0.1",
                port=2525,
                security=SmtpSecurity.STARTTLS,
                username="netzwerk",
                sender_address="netzwerk@example.org",
            ),
        )
    controller, terminal = os.openpty()
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ui.launcher",
                "--db",
                str(database),
                "mail",
                "reminders",
                "4",
                "--smtp",
            ],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(private_user_dirs),
            cwd=ROOT,
            start_new_session=True,  # no controlling terminal but this one
        )
        deadline = time.monotonic() + 60
        seen = b""
        while b"Passwort" not in seen and time.monotonic() < deadline:  # the prompt is up
            assert process.stderr is not None
            seen += os.read(process.stderr.fileno(), 4096)
        os.write(controller, b"\x04")  # Ctrl+D: end of input
        _out, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    text = (seen + err).decode("utf-8", "replace")
    assert "Traceback" not in text
    assert process.returncode == 1
    assert "Es wurde kein Passwort eingegeben" in text
