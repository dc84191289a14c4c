"""Mail benchmark: 40 personalised invitations with a ~100 KB PDF and an .ics to a local server.

Set-up (not measured): a database with one meeting (5 TOPs) and 40 invitees with German,
Turkish and Vietnamese names; a local SMTP server (aiosmtpd, in this process, accepting every
message); a 100 KB PDF-like attachment (incompressible bytes, like a real PDF's streams).

Measured, in the same sitting, interleaved run by run (A B, B A, ...):

  A  Treffpunkt: ``queue_invitations`` (template, salutation, personal .ics, PDF attached, one
     transaction) and ``send_outbox`` over ``SmtpTransport`` (build each message from its
     outbox row, SENDING/SENT bookkeeping with two committed transactions per message, SMTP
     MAIL/RCPT/DATA on one reused connection), each run on a fresh copy of the database;
  B  baseline: the least an SMTP client does: ``smtplib.SMTP.sendmail`` of the very same 40
     message byte strings over one connection.

Prints median/min/max of each, per-mail times and the ratio of the medians. The longest GUI
stall is measured by the window, not here. Prints figures only; never fails on a timing.

Usage: .venv/bin/python benchmarks/mail_invitations.py [--runs 5] [--recipients 40] [--pdf-kb 100]
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import smtplib
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import Database  # noqa: E402
from app.mail.compose import Attachment, build_message, message_bytes  # noqa: E402
from app.mail.mailings import queue_invitations  # noqa: E402
from app.mail.outbox import read_sender, send_outbox  # noqa: E402
from app.mail.transports import SmtpTransport  # noqa: E402
from app.models import (  # noqa: E402
    AgendaItem,
    Invitation,
    Meeting,
    OutboxMessage,
    Person,
    PersonEmail,
    Salutation,
    Venue,
)
from app.services.mail_settings import SmtpSecurity, SmtpSettings, save_smtp_settings  # noqa: E402

FIRST = ("Ayşe", "Jürgen", "Renée", "Nguyễn Thị", "Łukasz", "Fatma", "Sophie", "Ömer")
LAST = ("Yılmaz", "Müller", "Öztürk-Weiß", "Lan", "Kowalczyk", "Schäfer", "Becker", "Demir")
SENDER = "quartier@impuls-ag.example"


class Counting:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


class LocalController(Controller):
    """aiosmtpd on a free port (the stock Controller cannot probe port 0)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def build_database(path: Path, recipients: int) -> int:
    database = Database.create(path)
    start = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with database.write() as session:
        meeting = Meeting(
            title="Auftakt-Netzwerktreffen der Impuls.Ag",
            start=start,
            end=start + timedelta(hours=2),
            rsvp_by=(start - timedelta(days=7)).date(),
            venue=Venue(
                name="Museumscafé K+",
                street="Am Museum 1",
                postcode="12345",
                city="Musterstadt",
                room="Saal",
            ),
        )
        for position, title in enumerate(
            (
                "Begrüßung",
                "Vorstellung der geförderten Projekte",
                "Zusammenarbeit mit den Netzwerkpartnern",
                "Zukünftige Ausrichtung des Netzwerks",
                "Verschiedenes",
            ),
            1,
        ):
            meeting.agenda_items.append(
                AgendaItem(position=position, title=title, planned_minutes=20)
            )
        session.add(meeting)
        for index in range(recipients):
            person = Person(
                salutation=(Salutation.FRAU, Salutation.HERR, Salutation.NONE)[index % 3],
                first_name=FIRST[index % len(FIRST)],
                last_name=f"{LAST[index % len(LAST)]}{index:02d}",
                preferred_language="en" if index % 7 == 0 else "de",
            )
            person.emails.append(
                PersonEmail(address=f"partner{index:02d}@netzwerk.example", is_preferred=True)
            )
            session.add(person)
            session.flush()
            session.add(Invitation(meeting_id=meeting.id, person_id=person.id))
        session.flush()
        meeting_id = meeting.id
    save_smtp_settings(
        database, SmtpSettings(sender_name="Quartiersmanagement Impuls.Ag", sender_address=SENDER)
    )
    database.close()
    return meeting_id


def run_treffpunkt(
    template: Path, work: Path, meeting_id: int, port: int, pdf: bytes
) -> tuple[float, float, list[tuple[str, bytes]]]:
    path = work / "run.db"
    path.unlink(missing_ok=True)
    shutil.copyfile(template, path)
    database = Database.open(path)
    try:
        attachment = Attachment("Einladung.pdf", "application/pdf", pdf)
        began = time.perf_counter()
        report = queue_invitations(
            database, meeting_id, attachments_for=lambda meeting, person: [attachment]
        )
        queued = time.perf_counter()
        sent = send_outbox(
            database,
            SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, security=SmtpSecurity.NONE)),
        )
        finished = time.perf_counter()
        if len(sent.sent) != len(report.queued) or not sent.ok:
            raise SystemExit(f"Treffpunkt failed: {sent.summary()}")
        wire = rebuild_messages(database)
    finally:
        database.close()
    return queued - began, finished - queued, wire


def rebuild_messages(database: Database) -> list[tuple[str, bytes]]:
    """The same messages as bytes, for the baseline (not measured)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from app.mail.compose import MailDraft

    out = []
    with database.read() as session:
        sender = read_sender(session)
        rows = session.scalars(
            select(OutboxMessage).options(selectinload(OutboxMessage.attachments))
        ).all()
        for row in rows:
            draft = MailDraft(
                row.recipient,
                "",
                row.subject,
                row.body,
                row.message_id,
                tuple(Attachment(a.filename, a.mime_type, a.data) for a in row.attachments),
            )
            out.append((row.recipient, message_bytes(build_message(draft, sender))))
    return out


def run_baseline(port: int, wire: list[tuple[str, bytes]]) -> float:
    began = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        for recipient, data in wire:
            refused = client.sendmail(SENDER, [recipient], data)
            if refused:
                raise SystemExit(f"baseline refused: {refused}")
    return time.perf_counter() - began


def commit_cost(template: Path, work: Path, count: int = 20) -> float:
    """Seconds per durable write transaction on this disk (the outbox makes two per mail)."""
    from sqlalchemy import update

    path = work / "commit.db"
    path.unlink(missing_ok=True)
    shutil.copyfile(template, path)
    database = Database.open(path)
    try:
        began = time.perf_counter()
        for index in range(count):
            with database.write() as session:
                session.execute(update(Meeting).values(description=f"run {index}"))
        return (time.perf_counter() - began) / count
    finally:
        database.close()


def describe(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):7.3f} s   "
        f"min {min(values):7.3f} s   max {max(values):7.3f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--recipients", type=int, default=40)
    parser.add_argument("--pdf-kb", type=int, default=100)
    args = parser.parse_args(argv)

    pdf = b"%PDF-1.7\n" + random.Random(4).randbytes(args.pdf_kb * 1024) + b"\n%%EOF\n"
    handler = Counting()
    controller = LocalController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    work = Path(tempfile.mkdtemp(prefix="treffpunkt-mail-bench-"))
    try:
        template = work / "template.db"
        meeting_id = build_database(template, args.recipients)
        port = int(controller.port)
        # Warm-up of both (imports, first connection, page cache).
        _q, _s, wire = run_treffpunkt(template, work, meeting_id, port, pdf)
        run_baseline(port, wire)
        queue_times: list[float] = []
        send_times: list[float] = []
        totals: list[float] = []
        baseline: list[float] = []
        for run in range(args.runs):
            order = ("A", "B") if run % 2 == 0 else ("B", "A")
            for which in order:
                if which == "A":
                    queue_time, send_time, wire = run_treffpunkt(
                        template, work, meeting_id, port, pdf
                    )
                    queue_times.append(queue_time)
                    send_times.append(send_time)
                    totals.append(queue_time + send_time)
                else:
                    baseline.append(run_baseline(port, wire))
        commit = commit_cost(template, work)
    finally:
        controller.stop()
        shutil.rmtree(work, ignore_errors=True)

    n = args.recipients
    size = statistics.mean(len(data) for _r, data in wire)
    print(
        f"Mail benchmark: {n} personalised invitations, PDF {args.pdf_kb} KB + .ics, "
        f"message ~{size / 1024:.0f} KB on the wire, {args.runs} runs"
    )
    print(f"Python {platform.python_version()} on {platform.platform()}")
    print()
    print(f"A  Treffpunkt total      {describe(totals)}")
    print(f"     queue (compose)     {describe(queue_times)}")
    print(f"     send (outbox+SMTP)  {describe(send_times)}")
    print(f"B  bare smtplib          {describe(baseline)}")
    print()
    total_median = statistics.median(totals)
    send_median = statistics.median(send_times)
    base_median = statistics.median(baseline)
    print(
        f"per mail: Treffpunkt {1000 * total_median / n:.1f} ms "
        f"(queue {1000 * statistics.median(queue_times) / n:.1f} ms, "
        f"send {1000 * send_median / n:.1f} ms), bare smtplib {1000 * base_median / n:.1f} ms"
    )
    print(
        f"ratio send/baseline {send_median / base_median:.2f}, "
        f"total/baseline {total_median / base_median:.2f}"
    )
    print(
        f"one durable commit on this disk: {1000 * commit:.1f} ms "
        f"(the outbox commits twice per mail: SENDING before, SENT after delivery)"
    )
    print(f"server accepted {handler.count} messages in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
