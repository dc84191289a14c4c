"""Mailing against a real local SMTP server (aiosmtpd): content, one recipient per message,
partial refusal, TLS verification, login, unreachable servers, broken connections."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.db import Database
from app.mail.compose import Attachment
from app.mail.errors import LoginRefusedError, TlsError, TransportError
from app.mail.mailings import MailRecipient, queue_invitations
from app.mail.outbox import list_outbox, resolve_uncertain, retry_failed, send_outbox
from app.mail.transports import SmtpTransport
from app.models import Invitation, InvitationState, Meeting, MeetingState, OutboxState
from app.services.mail_settings import SmtpSecurity
from app.services.meetings import MeetingDetail

FAKE_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def pdf_for(detail: MeetingDetail, recipient: MailRecipient) -> list[Attachment]:
    return [Attachment("Einladung.pdf", "application/pdf", FAKE_PDF)]


def parsed(content: bytes) -> EmailMessage:
    return email.message_from_bytes(content, policy=email.policy.default)  # type: ignore[return-value]


@dataclass(frozen=True)
class InvitationState_:
    state: InvitationState
    sent_sequence: int | None
    sent_at: datetime | None


def invitations(db: Database, meeting_id: int) -> dict[int, InvitationState_]:
    with db.read() as session:
        rows = session.scalars(select(Invitation).where(Invitation.meeting_id == meeting_id)).all()
        return {
            row.person_id: InvitationState_(row.state, row.sent_sequence, row.sent_at)
            for row in rows
        }


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_invitations_arrive_complete_one_recipient_each(
    db: Database, network: Any, smtp_server: Any
) -> None:
    report = queue_invitations(db, network.meeting_id, attachments_for=pdf_for)
    assert len(report.queued) == 4
    result = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert result.ok
    assert len(result.sent) == 4
    assert not result.drafts

    received = smtp_server.handler.messages
    assert len(received) == 4
    expected_salutations = {
        "a.yilmaz@quartier-lehmheide.example": "Sehr geehrte Frau Yılmaz,",
        "jens.mueller@sport-im-park.example": "Sehr geehrter Herr Dr. Müller,",
        "renee@vielfeld.example": "Guten Tag Renée Öztürk-Weiß,",
        "sarah.connolly@funder.example": "Dear Ms Connolly,",
    }
    for item in received:
        assert item.mail_from == "quartier@impuls-ag.example"
        assert len(item.rcpt_tos) == 1
        address = item.rcpt_tos[0]
        message = parsed(item.content)
        assert [a.addr_spec for a in message["To"].addresses] == [address]
        assert message["Cc"] is None
        assert message["Bcc"] is None
        body = message.get_body(("plain",))
        assert body is not None
        assert body.get_content().startswith(expected_salutations[address])
        files = {part.get_filename(): part for part in message.iter_attachments()}
        calendar_file = "invitation.ics" if address.startswith("sarah") else "einladung.ics"
        assert set(files) == {"Einladung.pdf", calendar_file}
        assert files["Einladung.pdf"].get_content() == FAKE_PDF
        ics = files[calendar_file]
        assert ics.get_content_type() == "text/calendar"
        assert ics.get_param("method") == "REQUEST"
        calendar = Calendar.from_ical(ics.get_content())
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        attendee = event["ATTENDEE"]
        assert not isinstance(attendee, list), "a personal .ics names only its recipient"
        assert str(attendee) == f"mailto:{address}"
        assert str(event["ORGANIZER"]) == "mailto:quartier@impuls-ag.example"
    assert Counter(smtp_server.handler.recipients()) == Counter(list(expected_salutations))

    states = invitations(db, network.meeting_id)
    for key in ("yilmaz", "mueller", "oeztuerk", "connolly"):
        assert states[network.id(key)].state is InvitationState.SENT
        assert states[network.id(key)].sent_sequence == 0
        assert states[network.id(key)].sent_at is not None
    for key in ("nomail", "withdrawn", "invalid"):
        assert states[network.id(key)].state is InvitationState.NOT_SENT
    with db.read() as session:
        assert session.get(Meeting, network.meeting_id).state is MeetingState.INVITED  # type: ignore[union-attr]

    # Running the mailing again sends nobody anything.
    again = queue_invitations(db, network.meeting_id, attachments_for=pdf_for)
    assert again.queued == ()
    assert send_outbox(db, SmtpTransport(smtp_server.settings())).results == ()
    assert len(smtp_server.handler.messages) == 4


def test_one_refused_address_of_forty(db: Database, smtp_server: Any, network_factory: Any) -> None:
    network = network_factory(extra_people=36)
    bad = "partner17@netzwerk.example"
    smtp_server.handler.reject[bad] = "550 5.1.1 <partner17@netzwerk.example>: User unknown"
    report = queue_invitations(db, network.meeting_id)
    assert len(report.queued) == 40
    seen: list[tuple[int, int]] = []
    result = send_outbox(
        db,
        SmtpTransport(smtp_server.settings()),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 40)
    assert seen[-1] == (40, 40)
    assert len(result.sent) == 39
    assert [(r.recipient, r.state) for r in result.failed] == [(bad, OutboxState.FAILED)]
    assert "550" in result.failed[0].error
    assert "User unknown" in result.failed[0].error
    assert not result.ok
    rows = {row.recipient: row for row in list_outbox(db, meeting_id=network.meeting_id)}
    assert rows[bad].state is OutboxState.FAILED
    assert rows[bad].attempts == 1
    assert "User unknown" in rows[bad].last_error
    assert invitations(db, network.meeting_id)[network.id("p17")].state is InvitationState.NOT_SENT
    assert len(smtp_server.handler.messages) == 39

    # The queue does not make a second copy of the failed one; "retry failed" sends it.
    assert queue_invitations(db, network.meeting_id).queued == ()
    smtp_server.handler.reject.clear()
    assert retry_failed(db, meeting_id=network.meeting_id) == 1
    second = send_outbox(db, SmtpTransport(smtp_server.settings()))
    assert [r.recipient for r in second.sent] == [bad]
    assert second.ok
    assert invitations(db, network.meeting_id)[network.id("p17")].state is InvitationState.SENT
    counts = Counter(smtp_server.handler.recipients())
    assert len(counts) == 40
    assert set(counts.values()) == {1}


def test_unreachable_server_leaves_the_outbox_untouched(
    db: Database, network: Any, smtp_server: Any
) -> None:
    queue_invitations(db, network.meeting_id)
    settings = smtp_server.settings(port=closed_port(), timeout_seconds=5)
    with pytest.raises(TransportError) as info:
        send_outbox(db, SmtpTransport(settings))
    assert "127.0.0.1" in str(info.value)
    rows = list_outbox(db)
    assert [(r.state, r.attempts) for r in rows] == [(OutboxState.QUEUED, 0)] * 4
    # Resumes once the server is there.
    assert len(send_outbox(db, SmtpTransport(smtp_server.settings())).sent) == 4


def test_unknown_host_gives_a_clear_error(db: Database, network: Any, smtp_server: Any) -> None:
    queue_invitations(db, network.meeting_id)
    settings = smtp_server.settings(host="mail.invalid", timeout_seconds=5)
    with pytest.raises(TransportError) as info:
        send_outbox(db, SmtpTransport(settings))
    assert "mail.invalid" in str(info.value)
    assert {r.state for r in list_outbox(db)} == {OutboxState.QUEUED}


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "ssl"])
def test_self_signed_certificate_is_refused_and_no_password_sent(
    db: Database, network: Any, server_factory: Any, certificates: Any, implicit: bool
) -> None:
    if implicit:
        # aiosmtpd does not notice implicit TLS itself, so it must be told to offer AUTH.
        server = server_factory(
            ssl_context=certificates.server_context(), with_auth=True, auth_require_tls=False
        )
        security = SmtpSecurity.SSL
    else:
        server = server_factory(
            tls_context=certificates.server_context(), require_starttls=True, with_auth=True
        )
        security = SmtpSecurity.STARTTLS
    settings = server.settings(security=security, username="anna")
    queue_invitations(db, network.meeting_id)

    with pytest.raises(TlsError) as info:
        send_outbox(db, SmtpTransport(settings, "geheim-123"))
    assert "certificate" in str(info.value).lower() or "zertifikat" in str(info.value).lower()
    assert server.handler.logins == []
    assert server.handler.messages == []
    assert {r.state for r in list_outbox(db)} == {OutboxState.QUEUED}

    # The same server with its CA trusted: verified TLS, login, delivery.
    trusted = SmtpTransport(
        settings, "geheim-123", ssl_context=certificates.trusting_client_context()
    )
    assert len(send_outbox(db, trusted).sent) == 4
    assert server.handler.logins == [("anna", "geheim-123")]
    assert len(server.handler.messages) == 4


def test_server_without_starttls_is_not_used_in_plain_text(
    db: Database, network: Any, smtp_server: Any
) -> None:
    queue_invitations(db, network.meeting_id)
    settings = smtp_server.settings(security=SmtpSecurity.STARTTLS, username="anna")
    with pytest.raises(TlsError):
        send_outbox(db, SmtpTransport(settings, "geheim-123"))
    assert smtp_server.handler.logins == []
    assert smtp_server.handler.messages == []


def test_plain_relay_never_carries_a_password(db: Database, network: Any, smtp_server: Any) -> None:
    queue_invitations(db, network.meeting_id)
    with pytest.raises(TransportError):
        send_outbox(db, SmtpTransport(smtp_server.settings(), "geheim-123"))
    assert smtp_server.handler.messages == []


def test_wrong_password_is_refused_clearly(
    db: Database, network: Any, server_factory: Any, certificates: Any
) -> None:
    server = server_factory(
        tls_context=certificates.server_context(), require_starttls=True, with_auth=True
    )
    queue_invitations(db, network.meeting_id)
    transport = SmtpTransport(
        server.settings(security=SmtpSecurity.STARTTLS, username="anna"),
        "falsch",
        ssl_context=certificates.trusting_client_context(),
    )
    with pytest.raises(LoginRefusedError) as info:
        send_outbox(db, transport)
    assert "anna" in str(info.value)
    assert "535" in str(info.value)
    assert "falsch" not in str(info.value)
    assert "falsch" not in repr(transport)
    assert {r.state for r in list_outbox(db)} == {OutboxState.QUEUED}


def test_a_dropped_connection_between_messages_is_reopened(
    db: Database, network: Any, smtp_server: Any
) -> None:
    queue_invitations(db, network.meeting_id)

    class DroppingTransport(SmtpTransport):
        def deliver(self, envelope: Any) -> None:
            super().deliver(envelope)
            assert self._connection is not None
            assert self._connection.sock is not None
            self._connection.sock.close()  # the server "hangs up" after every message

    result = send_outbox(db, DroppingTransport(smtp_server.settings()))
    assert len(result.sent) == 4
    assert result.ok
    assert sorted(Counter(smtp_server.handler.recipients()).values()) == [1, 1, 1, 1]


def test_no_final_answer_after_data_is_uncertain_not_resent(
    db: Database, network: Any, server_factory: Any
) -> None:
    server = server_factory()
    slow = "renee@vielfeld.example"
    original = server.handler.handle_DATA

    async def slow_data(srv: Any, session: Any, envelope: Any) -> str:
        answer = await original(srv, session, envelope)
        if envelope.rcpt_tos == [slow]:
            await asyncio.sleep(3)  # the reply comes after the client's timeout
        return answer

    server.handler.handle_DATA = slow_data
    queue_invitations(db, network.meeting_id)
    result = send_outbox(db, SmtpTransport(server.settings(timeout_seconds=0.5)))
    assert [r.recipient for r in result.uncertain] == [slow]
    assert len(result.sent) == 3
    assert not result.ok
    row = next(r for r in list_outbox(db) if r.recipient == slow)
    assert row.state is OutboxState.SENDING
    assert row.last_error

    # Later runs leave it alone and keep reporting it until the user decides.
    later = send_outbox(db, SmtpTransport(server.settings()))
    assert later.results == ()
    assert [r.recipient for r in later.uncertain] == [slow]
    assert resolve_uncertain(db, [row.id], delivered=True) == 1
    assert invitations(db, network.meeting_id)[network.id("oeztuerk")].state is InvitationState.SENT
    assert Counter(server.handler.recipients())[slow] == 1
