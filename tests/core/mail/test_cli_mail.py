"""``treffpunkt ics`` and ``treffpunkt mail …`` end to end against a local SMTP server."""

from __future__ import annotations

import email
import email.policy
import socket
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from app.cli import main
from app.db import Database
from app.mail.outbox import list_outbox
from app.models import OutboxState


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ics_writes_the_organiser_file(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, tmp_path: Path
) -> None:
    target = tmp_path / "treffen.ics"
    code, out, err = run(capsys, "--db", db_arg, "ics", str(network.meeting_id), "-o", str(target))
    assert (code, err) == (0, "")
    assert str(target) in out
    event = Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert len(event["ATTENDEE"]) == 5


def test_ics_of_a_missing_meeting_is_a_user_error(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, tmp_path: Path
) -> None:
    target = tmp_path / "x.ics"
    code, _out, err = run(capsys, "--db", db_arg, "ics", "999", "-o", str(target))
    assert code == 1
    assert err.count("\n") == 1
    assert not target.exists()


def test_mail_invitations_through_a_local_relay(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, smtp_server: Any
) -> None:
    relay = f"127.0.0.1:{smtp_server.port}"
    code, out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        relay,
    )
    assert (code, err) == (0, "")
    assert "a.yilmaz@quartier-lehmheide.example" in out
    assert "Klaus Ohnemail" in out
    assert len(smtp_server.handler.messages) == 4
    # Again: nothing new, nothing sent twice.
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        relay,
    )
    assert (code, err) == (0, "")
    assert len(smtp_server.handler.messages) == 4


def test_mail_failure_exits_1_and_retry_failed_resumes(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, smtp_server: Any
) -> None:
    relay = f"127.0.0.1:{smtp_server.port}"
    smtp_server.handler.reject["renee@vielfeld.example"] = "550 5.1.1 User unknown"
    code, out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        relay,
    )
    assert code == 1
    assert err.startswith("treffpunkt: ")
    assert err.count("\n") == 1
    assert "--retry-failed" in err
    assert "550 5.1.1 User unknown" in out
    smtp_server.handler.reject.clear()
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        relay,
        "--retry-failed",
    )
    assert (code, err) == (0, "")
    assert sorted(smtp_server.handler.recipients()).count("renee@vielfeld.example") == 1
    assert {row.state for row in list_outbox(db)} == {OutboxState.SENT}


def test_mail_to_an_unreachable_relay_leaves_the_outbox_ready(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, smtp_server: Any
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        f"127.0.0.1:{port}",
    )
    assert code == 1
    assert err.count("\n") == 1
    assert "127.0.0.1" in err
    assert {row.state for row in list_outbox(db)} == {OutboxState.QUEUED}
    code, _out, _err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        f"127.0.0.1:{smtp_server.port}",
    )
    assert code == 0
    assert len(smtp_server.handler.messages) == 4


def test_mail_drafts_into_a_folder(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "drafts"
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--eml-dir",
        str(folder),
    )
    assert (code, err) == (0, "")
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 4
    assert all(
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default)["X-Unsent"] == "1"
        for f in files
    )


@pytest.mark.parametrize("value", ["localhost", "localhost:0", "localhost:abc", ":25"])
def test_bad_relay_is_a_user_error(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, value: str
) -> None:
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        value,
    )
    assert code == 1
    assert err.count("\n") == 1
    assert list_outbox(db) == []


def test_settings_server_without_setup_is_a_user_error(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any
) -> None:
    code, _out, err = run(
        capsys, "--db", db_arg, "mail", "reminders", str(network.meeting_id), "--smtp"
    )
    assert code == 1
    assert err.count("\n") == 1


def test_without_a_way_out_the_settings_decide(
    capsys: pytest.CaptureFixture[str], db: Database, db_arg: str, network: Any, tmp_path: Path
) -> None:
    meeting = str(network.meeting_id)
    # mail.mode smtp (the default) without a server: one line saying how to set it up.
    code, _out, err = run(capsys, "--db", db_arg, "mail", "invitations", meeting)
    assert code == 1
    assert err.count("\n") == 1
    assert "mail.smtp_host" in err
    folder = tmp_path / "entwuerfe"
    assert run(capsys, "--db", db_arg, "settings", "set", "mail.mode", "eml")[0] == 0
    assert run(capsys, "--db", db_arg, "settings", "set", "mail.eml_dir", str(folder))[0] == 0
    code, _out, err = run(capsys, "--db", db_arg, "mail", "invitations", meeting)
    assert (code, err) == (0, "")
    assert len(list(folder.glob("*.eml"))) == 4
