"""The folder for .eml drafts: no bare names or relative paths in the window, no hidden
bidirectional controls anywhere, and the report says where the drafts went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.mail.errors import MailError
from app.mail.mailings import queue_invitations
from app.mail.outbox import send_outbox
from app.mail.transports import EmlTransport, drafts_folder


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "Entwürfe",
        "drafts/invitations",
        "./drafts",
        "..\\drafts",
        "/home/anna/\u202efdp.exe",  # right-to-left override
        "/home/anna/Ent\u200fwürfe",  # right-to-left mark
        "/home/anna/\u2066x\u2069",  # isolates
        "/home/anna/a\x07b",  # a control character
    ],
)
def test_refused_in_the_window(typed: str) -> None:
    with pytest.raises(MailError):
        drafts_folder(typed)


def test_accepted(tmp_path: Path) -> None:
    assert drafts_folder(f"  {tmp_path}  ") == tmp_path
    assert drafts_folder("~/Entwürfe") == Path.home() / "Entwürfe"
    # The command line may name a folder relative to where it runs, but never a hidden one.
    assert drafts_folder("drafts", allow_relative=True) == Path("drafts").absolute()
    with pytest.raises(MailError):
        drafts_folder("dra\u202efts", allow_relative=True)


def test_the_report_says_where_the_drafts_went(db: Database, network: Any, tmp_path: Path) -> None:
    queue_invitations(db, network.meeting_id)
    folder = tmp_path / "Entwürfe"
    report = send_outbox(db, EmlTransport(folder))
    assert report.drafts_folder == folder
    assert str(folder) in report.summary()
