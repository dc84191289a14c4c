"""Art. 17 and the documents in the outbox: an erasure removes what names the person and
nothing else; queued documents that name them are made again before they go out."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.mail.documents import document_attachment
from app.mail.erasure import erase_person
from app.models import (
    AgendaItem,
    OutboxAttachment,
    OutboxKind,
    OutboxMessage,
    OutboxState,
)
from app.services import privacy
from app.services.backup import BackupKind, make_backup, restore
from app.services.mail_settings import SmtpSettings, save_smtp_settings
from app.services.pdf_text import pdf_text

from .test_privacy import EMAIL, NAME, Network, build_network


def names_her(text: str) -> bool:
    return NAME[1] in text or NAME[1].casefold() in text.casefold() or EMAIL in text


def message(
    kind: OutboxKind, meeting_id: int, person_id: int, number: int, state: OutboxState, pdf: bytes
) -> OutboxMessage:
    row = OutboxMessage(
        kind=kind,
        meeting_id=meeting_id,
        person_id=person_id,
        recipient=f"partner{number}@example.org",
        subject=f"Nachricht {number}",
        body="Guten Tag,",
        message_id=f"<doc-{number}@x>",
        state=state,
        sent_at=datetime(2026, 3, 1, tzinfo=UTC) if state is OutboxState.SENT else None,
    )
    row.attachments.append(
        OutboxAttachment(filename=f"dokument-{number}.pdf", mime_type="application/pdf", data=pdf)
    )
    return row


def add_real_documents(db: Database, network: Network) -> dict[str, list[int]]:
    """Mails to others with the PDFs Treffpunkt really makes: invitations to the later meeting
    (they do not name her), the minutes of the first meeting (they list her as present)."""
    with db.write() as session:  # no bare-surname mention (left for review by design)
        session.scalars(select(AgendaItem)).one().notes = f"{NAME[0]} {NAME[1]} begrüßt alle."
    invitation = document_attachment(db, "invitations", network.later_meeting).data
    minutes = document_attachment(db, "minutes", network.meeting).data
    assert not names_her(pdf_text(invitation) or "")  # the test can fail: a fair comparison
    assert names_her(pdf_text(minutes) or "")
    ids: dict[str, list[int]] = {"sent invitations": [], "sent minutes": [], "queued minutes": []}
    with db.write() as session:
        rows = {
            "sent invitations": [
                message(
                    OutboxKind.INVITATION,
                    network.later_meeting,
                    network.jan,
                    10 + n,
                    OutboxState.SENT,
                    invitation,
                )
                for n in range(3)
            ],
            "sent minutes": [
                message(
                    OutboxKind.MINUTES, network.meeting, network.jan, 20, OutboxState.SENT, minutes
                )
            ],
            "queued minutes": [
                message(
                    OutboxKind.MINUTES,
                    network.meeting,
                    network.jan,
                    30,
                    OutboxState.QUEUED,
                    minutes,
                ),
                message(
                    OutboxKind.MINUTES,
                    network.meeting,
                    network.jan,
                    31,
                    OutboxState.FAILED,
                    minutes,
                ),
            ],
        }
        for key, messages in rows.items():
            session.add_all(messages)
            session.flush()
            ids[key] = [m.id for m in messages]
    return ids


def documents(db: Database, outbox_id: int) -> list[tuple[str, bytes]]:
    with db.read() as session:
        return [
            (a.filename, a.data)
            for a in session.scalars(
                select(OutboxAttachment).where(
                    OutboxAttachment.message_id == outbox_id,
                    OutboxAttachment.mime_type == "application/pdf",
                )
            )
        ]


def test_erasure_keeps_others_documents_and_rebuilds_queued_ones(db: Database) -> None:
    network = build_network(db)
    ids = add_real_documents(db, network)
    before = {i: documents(db, i) for i in ids["sent invitations"]}

    result = erase_person(db, network.ayse)

    # Sent invitations to others do not name her: untouched, byte for byte.
    for outbox_id, docs in before.items():
        assert documents(db, outbox_id) == docs
    # The sent minutes list her: that document is gone (the fake one of build_network too).
    assert documents(db, ids["sent minutes"][0]) == []
    assert result.attachments_dropped == 2
    # Queued (and failed, i.e. not yet sent) minutes: made again from the anonymised data.
    assert result.documents_outdated == 2
    assert result.documents_rebuilt == 2
    for outbox_id in ids["queued minutes"]:
        [(filename, data)] = documents(db, outbox_id)
        text = pdf_text(data) or ""
        assert filename.endswith(".pdf")
        assert not names_her(text)
        assert "Jan Nowak" in text
        assert privacy.neutral_label() in text
    with db.read() as session:
        assert not any(session.scalars(select(OutboxMessage.documents_outdated)))
    assert "2" in result.documents_note()


@pytest.mark.sqlite_only  # about the SQLite file and its file backups
def test_mailing_after_a_restore_rebuilds_before_sending(
    db: Database, db_path: Path, tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    """The erasure is re-applied to an older backup (which marks the queued documents); the
    next ``mail minutes`` makes them again before anything goes out."""
    network = build_network(db)
    ids = add_real_documents(db, network)
    old = make_backup(db_path, BackupKind.AUTO, datetime.now(UTC) - timedelta(days=1))
    privacy.erase_person(db, network.ayse)
    db.close()
    result = restore(db_path, old.path)
    assert result.reapplied_erasures == 1
    with Database.open(db_path) as restored:
        with restored.read() as session:
            outdated = set(
                session.scalars(
                    select(OutboxMessage.id).where(OutboxMessage.documents_outdated.is_(True))
                )
            )
        assert set(ids["queued minutes"]) <= outdated
        for outbox_id in ids["queued minutes"]:
            assert documents(restored, outbox_id) == []  # the old one is gone already

    with Database.open(db_path) as database:
        save_smtp_settings(database, SmtpSettings(sender_address="netzwerk@example.org"))
    drafts = tmp_path / "entwuerfe"
    code, _out, err = cli(
        "--db",
        str(db_path),
        "mail",
        "minutes",
        str(network.meeting),
        "--retry-failed",
        "--eml-dir",
        str(drafts),
    )
    assert code == 0, err
    written = sorted(drafts.glob("*.eml"))
    assert written
    pdfs = 0
    for path in written:
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for part in parsed.iter_attachments():
            if part.get_content_type() == "application/pdf":
                pdfs += 1
                assert not names_her(pdf_text(part.get_content()) or "")
    assert pdfs >= len(ids["queued minutes"])
    with Database.open(db_path) as database, database.read() as session:
        states = dict(
            session.execute(
                select(OutboxMessage.id, OutboxMessage.state).where(
                    OutboxMessage.id.in_(ids["queued minutes"])
                )
            ).all()
        )
    assert set(states.values()) == {OutboxState.SENT}


def test_a_document_that_cannot_be_made_again_never_goes_out(db: Database, tmp_path: Path) -> None:
    from app.mail.outbox import send_outbox
    from app.mail.transports import EmlTransport

    network = build_network(db)
    ids = add_real_documents(db, network)
    with db.write() as session:  # outdated, and of a kind without a document of its own
        row = session.get(OutboxMessage, ids["queued minutes"][0])
        assert row is not None
        row.kind = OutboxKind.CANCELLATION
        row.documents_outdated = True
    report = send_outbox(db, EmlTransport(tmp_path / "out"), ids=[ids["queued minutes"][0]])
    assert [r.state for r in report.results] == [OutboxState.FAILED]
    assert report.results[0].error
    assert not list((tmp_path / "out").glob("*.eml"))
