"""The pace of a mailing: temporary failures tried again with growing pauses (a real local
server answering 451 first, then 250), a rate limit from the mail settings, waits that Stop
ends at once, and a status that says why the mailing waits."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import TreffpunktError
from app.mail import pacing
from app.mail.mailings import queue_invitations
from app.mail.outbox import send_outbox
from app.mail.transports import EmlTransport, SmtpTransport
from app.models import OutboxMessage, OutboxState
from app.services.mail_settings import SmtpSettings, load_smtp_settings, save_smtp_settings
from tests.helpers.mail import LocalController, Recorder, SmtpServer


@dataclass
class Busy(Recorder):
    """Answers the first *busy* DATA commands with a temporary refusal, then accepts."""

    busy: int = 1
    answer: str = "451 4.3.0 Please try again later"
    refused: int = field(default=0)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refused < self.busy:
            self.refused += 1
            return self.answer
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def busy_server() -> Any:
    started: list[SmtpServer] = []

    def start(**options: Any) -> SmtpServer:
        handler = Busy(**options)
        controller = LocalController(handler, hostname="127.0.0.1", port=0)
        controller.start()
        server = SmtpServer(controller, handler)
        started.append(server)
        return server

    yield start
    for server in started:
        server.controller.stop()


class Waits:
    """Stands in for the real waiting: records how long the outbox wanted to wait."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float, cancelled: Any = None) -> bool:
        self.seconds.append(seconds)
        return False


@dataclass(frozen=True)
class Row:
    id: int
    state: OutboxState
    attempts: int
    last_error: str


def rows(db: Database) -> list[Row]:
    with db.read() as session:
        return [
            Row(m.id, m.state, m.attempts, m.last_error)
            for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_451_then_250_is_delivered_on_the_second_try(
    db: Database, network_factory: Any, busy_server: Any
) -> None:
    server = busy_server(busy=1)
    network = network_factory(extra_people=0)
    queued = queue_invitations(db, network.meeting_id).queued
    waits, said = Waits(), []
    report = send_outbox(
        db,
        SmtpTransport(server.settings()),
        ids=[queued[0].outbox_id],
        pause=waits,
        status=said.append,
    )
    assert [r.state for r in report.results] == [OutboxState.SENT]
    assert report.ok
    assert waits.seconds == [pacing.RETRY_DELAYS[0]]
    assert len(server.handler.messages) == 1  # delivered once, not twice
    [row] = [r for r in rows(db) if r.id == queued[0].outbox_id]
    assert row.state is OutboxState.SENT
    assert row.attempts == 2
    assert row.last_error == ""
    waiting = [text for text in said if text]
    assert len(waiting) == 1
    assert "451" in waiting[0]
    assert "2 von 4" in waiting[0]
    assert said[-1] == ""  # the wait is over


def test_a_server_that_stays_busy_fails_the_message_after_bounded_tries(
    db: Database, network_factory: Any, busy_server: Any
) -> None:
    server = busy_server(busy=100)
    network = network_factory(extra_people=0)
    first = queue_invitations(db, network.meeting_id).queued[0].outbox_id
    waits = Waits()
    report = send_outbox(db, SmtpTransport(server.settings()), ids=[first], pause=waits)
    assert [r.state for r in report.results] == [OutboxState.FAILED]
    assert waits.seconds == list(pacing.RETRY_DELAYS)  # growing pauses, then no more
    assert waits.seconds == sorted(waits.seconds)
    [row] = [r for r in rows(db) if r.id == first]
    assert row.attempts == len(pacing.RETRY_DELAYS) + 1
    assert "451" in row.last_error
    assert server.handler.messages == []


def test_421_drops_the_connection_and_the_next_try_opens_a_new_one(
    db: Database, network_factory: Any, busy_server: Any
) -> None:
    server = busy_server(busy=1, answer="421 4.7.0 Too many connections, closing")
    network = network_factory(extra_people=2)
    queue_invitations(db, network.meeting_id)
    report = send_outbox(db, SmtpTransport(server.settings()), pause=Waits())
    assert report.ok
    assert len(server.handler.messages) == len(report.sent) == 6


def test_stop_during_a_wait_ends_it_at_once_and_loses_nothing(
    db: Database, network_factory: Any, busy_server: Any
) -> None:
    server = busy_server(busy=100)
    network = network_factory(extra_people=0)
    first = queue_invitations(db, network.meeting_id).queued[0].outbox_id
    stop = []
    started = time.monotonic()
    report = send_outbox(
        db,
        SmtpTransport(server.settings()),
        ids=[first],
        status=lambda text: stop.append(bool(text)),  # Stop pressed while it waits
        cancelled=lambda: any(stop),
    )  # the real pause: 5 s unless stopped
    assert time.monotonic() - started < 3
    assert report.cancelled
    [row] = [r for r in rows(db) if r.id == first]
    assert row.state is OutboxState.QUEUED  # not SENDING: certainly not delivered
    assert "451" in row.last_error


class Clock:
    """Time that passes only when the outbox waits (and a little per message)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.seconds: list[float] = []

    def __call__(self) -> float:
        self.now += 0.01
        return self.now

    def pause(self, seconds: float, cancelled: Any = None) -> bool:
        self.seconds.append(seconds)
        self.now += seconds
        return False


def test_the_rate_limit_from_the_mail_settings(
    db: Database, network_factory: Any, smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = network_factory(extra_people=3)  # 7 invitees with an address
    queue_invitations(db, network.meeting_id)
    clock, said = Clock(), []
    monkeypatch.setattr(pacing, "_monotonic", clock)
    report = send_outbox(
        db,
        SmtpTransport(smtp_server.settings(rate_per_minute=3)),
        pause=clock.pause,
        status=said.append,
    )
    assert report.ok
    assert len(report.sent) == 7
    assert len(clock.seconds) == 2  # before the 4th and the 7th: 3 per minute
    assert all(59 < s <= 60 for s in clock.seconds)
    assert any("3 Nachrichten pro Minute" in text for text in said)


def test_drafts_have_no_rate_limit(db: Database, network_factory: Any, tmp_path: Any) -> None:
    network = network_factory(extra_people=30)
    queue_invitations(db, network.meeting_id)
    waits = Waits()
    report = send_outbox(db, EmlTransport(tmp_path / "entwuerfe"), pause=waits)
    assert len(report.sent) > 20
    assert waits.seconds == []


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = pacing.RateLimiter(20, clock=lambda: now[0])
    for _ in range(20):
        assert limiter.wait_time() == 0.0
        limiter.record()
        now[0] += 0.05
    assert limiter.wait_time() == pytest.approx(60 - 20 * 0.05)
    now[0] = 60.0
    assert limiter.wait_time() == 0.0
    assert pacing.RateLimiter(0).wait_time() == 0.0


def test_the_rate_is_a_mail_setting(db: Database) -> None:
    assert load_smtp_settings(db).rate_per_minute == 20  # the default
    save_smtp_settings(db, SmtpSettings(host="mail.example.org", rate_per_minute=10))
    assert load_smtp_settings(db).rate_per_minute == 10
    for wrong in (0, 601):
        with pytest.raises(TreffpunktError, match="pro Minute"):
            save_smtp_settings(db, SmtpSettings(host="mail.example.org", rate_per_minute=wrong))
