"""The outbox: resumable after a crash without sending anyone twice, cancel, progress, drafts."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.db import Database
from app.mail.compose import Attachment
from app.mail.errors import InvalidAddressError, TransportError
from app.mail.mailings import queue_invitations
from app.mail.outbox import (
    OutgoingMessage,
    discard_messages,
    list_outbox,
    queue_messages,
    resolve_uncertain,
    send_outbox,
)
from app.mail.transports import EmlTransport, Envelope, SmtpTransport
from app.models import Invitation, InvitationState, OutboxKind, OutboxMessage, OutboxState


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it on the way."""


class CrashingTransport(SmtpTransport):
    """Delivers for real, then "dies" right after the server accepted message number *after*."""

    def __init__(self, *args: Any, after: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.after = after
        self.delivered = 0

    def deliver(self, envelope: Envelope) -> None:
        super().deliver(envelope)
        self.delivered += 1
        if self.delivered == self.after:
            raise Crash


def states(db: Database) -> Counter[OutboxState]:
    return Counter(row.state for row in list_outbox(db))


def invitation_state(db: Database, person_id: int) -> InvitationState:
    with db.read() as session:
        return session.scalars(
            select(Invitation.state).where(Invitation.person_id == person_id)
        ).one()


def test_crash_between_delivery_and_bookkeeping_sends_nobody_twice(
    db: Database, network_factory: Any, smtp_server: Any
) -> None:
    network = network_factory(extra_people=6)  # 10 recipients with valid addresses
    queue_invitations(db, network.meeting_id)
    with pytest.raises(Crash):
        send_outbox(db, CrashingTransport(smtp_server.settings(), after=3))
    assert states(db) == {OutboxState.SENT: 2, OutboxState.SENDING: 1, OutboxState.QUEUED: 7}
    assert len(smtp_server.handler.messages) == 3
    in_doubt = [row for row in list_outbox(db) if row.state is OutboxState.SENDING]

    # Resume: the uncertain one is reported and left alone, the rest goes out.
    report = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert [r.outbox_id for r in report.uncertain] == [in_doubt[0].id]
    assert len(report.sent) == 7
    assert not report.ok
    counts = Counter(smtp_server.handler.recipients())
    assert len(counts) == 10
    assert set(counts.values()) == {1}

    # The user confirms it arrived: the bookkeeping catches up, nobody gets a second copy.
    assert resolve_uncertain(db, [in_doubt[0].id], delivered=True) == 1
    assert states(db) == {OutboxState.SENT: 10}
    assert invitation_state(db, in_doubt[0].person_id) is InvitationState.SENT  # type: ignore[arg-type]
    final = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert final.ok
    assert final.results == ()
    assert queue_invitations(db, network.meeting_id).queued == ()
    assert len(smtp_server.handler.messages) == 10


def test_uncertain_message_can_be_sent_again_on_request(
    db: Database, network: Any, smtp_server: Any
) -> None:
    queue_invitations(db, network.meeting_id)
    with pytest.raises(Crash):
        send_outbox(db, CrashingTransport(smtp_server.settings(), after=1))
    [in_doubt] = [row for row in list_outbox(db) if row.state is OutboxState.SENDING]
    assert resolve_uncertain(db, [in_doubt.id], delivered=False) == 1
    report = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert report.ok
    assert len(report.sent) == 4
    assert Counter(smtp_server.handler.recipients())[in_doubt.recipient] == 2  # the user's choice


KILLED_SENDER = r"""
import os, sys
from pathlib import Path
from app.db import Database
from app.mail.outbox import send_outbox
from app.services.mail_settings import SmtpSecurity, SmtpSettings
from app.mail.transports import SmtpTransport

class Dying(SmtpTransport):
    delivered = 0
    def deliver(self, envelope):
        super().deliver(envelope)
        Dying.delivered += 1
        if Dying.delivered == int(sys.argv[3]):
            os._exit(9)  # the process is gone: no cleanup, no commit

database = Database.open(sys.argv[1])
send_outbox(database, Dying(SmtpSettings(host="127.0.0.1", port=int(sys.argv[2]),
                                         security=SmtpSecurity.NONE)))
"""


def test_killed_process_mid_mailing_then_resume(
    db: Database, db_arg: str, network_factory: Any, smtp_server: Any
) -> None:
    network = network_factory(extra_people=6)
    queue_invitations(db, network.meeting_id)
    process = subprocess.run(
        [sys.executable, "-c", KILLED_SENDER, db_arg, str(smtp_server.port), "4"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 9, process.stderr
    assert states(db) == {OutboxState.SENT: 3, OutboxState.SENDING: 1, OutboxState.QUEUED: 6}
    report = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert len(report.uncertain) == 1
    assert len(report.sent) == 6
    counts = Counter(smtp_server.handler.recipients())
    assert len(counts) == 10
    assert set(counts.values()) == {1}


def test_cancel_and_progress(db: Database, network_factory: Any, smtp_server: Any) -> None:
    network = network_factory(extra_people=6)
    queue_invitations(db, network.meeting_id)
    calls: list[tuple[int, int]] = []
    report = send_outbox(
        db,
        SmtpTransport(smtp_server.settings()),
        progress=lambda done, total: calls.append((done, total)),
        cancelled=lambda: len(calls) > 3,
    )
    assert calls == [(0, 10), (1, 10), (2, 10), (3, 10)]
    assert report.cancelled
    assert len(report.sent) == 3
    assert report.still_queued == 7
    assert not report.ok
    assert states(db) == {OutboxState.SENT: 3, OutboxState.QUEUED: 7}
    rest = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert len(rest.sent) == 7
    assert rest.ok


def test_row_taken_by_another_process_is_not_sent(
    db: Database, network: Any, smtp_server: Any
) -> None:
    report = queue_invitations(db, network.meeting_id)
    taken = report.outbox_ids[0]
    with db.write() as session:  # another instance claimed it a moment ago
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == taken).values(state=OutboxState.SENDING)
        )
    result = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert taken not in {r.outbox_id for r in result.sent}
    assert len(smtp_server.handler.messages) == 3


def test_eml_drafts(db: Database, network: Any, tmp_path: Path) -> None:
    folder = tmp_path / "Entwürfe"
    queue_invitations(
        db,
        network.meeting_id,
        attachments_for=lambda meeting, person: [
            Attachment("Einladung.pdf", "application/pdf", b"%PDF-1.4 x")
        ],
    )
    transport = EmlTransport(folder)
    report = send_outbox(db, transport)
    assert report.drafts
    assert len(report.sent) == 4
    assert report.ok
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".eml"] * 4
    assert sorted(transport.written) == files
    assert {f.name.split(" ", 1)[1] for f in files} == {
        "Ayşe Yılmaz.eml",
        "Dr. Jens Müller.eml",
        "Renée Öztürk-Weiß.eml",
        "Sarah Connolly.eml",
    }
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert message["X-Unsent"] == "1"
        assert len(message["To"].addresses) == 1
        english = message["To"].addresses[0].addr_spec.startswith("sarah")
        assert [p.get_filename() for p in message.iter_attachments()] == [
            "Einladung.pdf",
            "invitation.ics" if english else "einladung.ics",
        ]
    # Drafts count as mailed: running again writes nothing new.
    assert invitation_state(db, network.id("yilmaz")) is InvitationState.SENT
    assert queue_invitations(db, network.meeting_id).queued == ()
    assert send_outbox(db, EmlTransport(folder)).results == ()
    assert len(list(folder.iterdir())) == 4


def test_eml_names_are_safe_and_unique(db: Database, network: Any, tmp_path: Path) -> None:
    messages = [
        OutgoingMessage(OutboxKind.MINUTES, "a@example.de", f"Protokoll {i}", "Text\n")
        for i in range(3)
    ]
    ids = queue_messages(db, messages)
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / f"{ids[0]:04d} a@example.de.eml").write_bytes(b"existing draft")
    send_outbox(db, EmlTransport(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert f"{ids[0]:04d} a@example.de (2).eml" in names
    assert (folder / f"{ids[0]:04d} a@example.de.eml").read_bytes() == b"existing draft"
    assert not [n for n in names if n.endswith(".tmp")]


def test_eml_folder_that_cannot_be_made_is_a_clear_error(
    db: Database, network: Any, tmp_path: Path
) -> None:
    queue_invitations(db, network.meeting_id)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(TransportError):
        send_outbox(db, EmlTransport(blocker / "drafts"))
    assert states(db) == {OutboxState.QUEUED: 4}


def test_queue_messages_is_all_or_nothing(db: Database, network: Any) -> None:
    good = OutgoingMessage(OutboxKind.MINUTES, "a@example.de", "Protokoll", "Text\n")
    bad = OutgoingMessage(
        OutboxKind.MINUTES, "a@example.de\r\nBcc: b@example.de", "Protokoll", "Text\n"
    )
    with pytest.raises(InvalidAddressError):
        queue_messages(db, [good, bad])
    assert list_outbox(db) == []
    [row_id] = queue_messages(db, [good])
    [row] = list_outbox(db)
    assert row.id == row_id
    assert row.state is OutboxState.QUEUED
    assert row.message_id.startswith("<")
    assert row.message_id.endswith("@impuls-ag.example>")
    assert discard_messages(db, [row_id]) == 1
    assert list_outbox(db) == []


def test_filters_send_only_the_selection(db: Database, network: Any, smtp_server: Any) -> None:
    queue_invitations(db, network.meeting_id)
    queue_messages(db, [OutgoingMessage(OutboxKind.MINUTES, "x@example.de", "Protokoll", "Text\n")])
    report = send_outbox(db, SmtpTransport(smtp_server.settings()), kinds=[OutboxKind.MINUTES])
    assert [r.recipient for r in report.sent] == ["x@example.de"]
    assert states(db) == {OutboxState.QUEUED: 4, OutboxState.SENT: 1}
    rows = list_outbox(db, kinds=[OutboxKind.INVITATION], states=[OutboxState.QUEUED])
    report = send_outbox(db, SmtpTransport(smtp_server.settings()), ids=[rows[0].id])
    assert [r.outbox_id for r in report.sent] == [rows[0].id]
