"""DSGVO: Auskunft (everything about a person) and Löschung (no trace left in the file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from app.db import Database
from app.db.sqlite import journal_path
from app.errors import NotFound
from app.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Decision,
    ErasureLogEntry,
    Group,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Minutes,
    MinutesRevision,
    Organisation,
    OutboxAttachment,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    Person,
    PersonEmail,
    PersonPhone,
)
from app.services import privacy
from app.services.backup import BackupKind, make_backup, restore
from app.services.meetings import get_meeting
from app.text import fold

NAME = ("Ayşe", "Yılmaz")
EMAIL = "ayse.yilmaz@quartier-lehmheide.de"
PHONE = "+49 2151 86-4711"


@dataclass(frozen=True)
class Network:
    ayse: int
    jan: int
    meeting: int
    later_meeting: int


def build_network(db: Database) -> Network:
    """Ayşe Yılmaz appears everywhere a person can appear, Jan Nowak beside her."""
    start = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
    with db.write() as session:
        office = Organisation(
            name="Quartiersbüro Lehmheide", email=EMAIL
        )  # her address doubles as the office's
        group = Group(name="Impuls.Ag")
        ayse = Person(
            title="Dr.",
            first_name=NAME[0],
            last_name=NAME[1],
            organisation=office,
            function="Quartiersmanagerin",
            notes="Spricht Türkisch.",
            groups=[group],
            emails=[PersonEmail(address=EMAIL, is_preferred=True)],
            phones=[PersonPhone(number=PHONE)],
            consents=[
                ConsentRecord(
                    topic=ConsentTopic.PHOTOS, given=True, method=ConsentMethod.SIGNIN_SHEET
                )
            ],
        )
        jan = Person(
            first_name="Jan",
            last_name="Nowak",
            groups=[group],
            notes=f"Vertretung: Frau Dr. {NAME[1]} ({PHONE})",
            emails=[PersonEmail(address="jan.nowak@example.org")],
        )
        session.add_all([ayse, jan])
        session.flush()
        meeting = Meeting(
            title="Auftakt-Netzwerktreffen",
            start=start,
            end=start + timedelta(hours=2),
            organiser=ayse,
            moderator=ayse,
            minute_taker=jan,
            state=MeetingState.MINUTES_FINAL,
            description=f"Rückfragen an {EMAIL}",
        )
        later = Meeting(
            title="Zweites Treffen", start=start + timedelta(days=90), state=MeetingState.INVITED
        )
        session.add_all([meeting, later])
        session.flush()
        top = AgendaItem(
            meeting=meeting,
            position=1,
            title="Begrüßung",
            presenter=ayse,
            notes=f"{NAME[0]} {NAME[1]} begrüßt alle. {NAME[1]} berichtet kurz.",
        )
        session.add(top)
        session.flush()
        session.add_all(
            [
                Invitation(
                    meeting=meeting,
                    person=ayse,
                    state=InvitationState.ACCEPTED,
                    sent_at=start - timedelta(days=14),
                ),
                Invitation(meeting=meeting, person=jan, state=InvitationState.ACCEPTED),
                Invitation(meeting=later, person=ayse, state=InvitationState.SENT),
                Attendance(
                    meeting=meeting,
                    person=ayse,
                    status=AttendanceStatus.PRESENT,
                    photo_consent=True,
                ),
                Attendance(meeting=meeting, person=jan, status=AttendanceStatus.PRESENT),
                # She signed in once more as a walk-in at the later meeting.
                Attendance(
                    meeting=later,
                    guest_name=f"{NAME[0]} {NAME[1]}",
                    guest_organisation="Quartiersbüro",
                    guest_email=EMAIL.upper(),
                ),
                Decision(
                    meeting=meeting,
                    agenda_item_id=top.id,
                    text=f"Auf Vorschlag von {NAME[1]}, {NAME[0]} trifft sich das Netzwerk "
                    "vierteljährlich.",
                ),
                ActionItem(meeting=meeting, text="Einladungen versenden", owner_person_id=ayse.id),
                ActionItem(
                    meeting=meeting,
                    text=f"Flyer mit Frau {NAME[1]} abstimmen",
                    owner_person_id=jan.id,
                ),
            ]
        )
        minutes = Minutes(meeting=meeting, informed_only=f"{NAME[0]} {NAME[1]}")
        session.add(minutes)
        session.flush()
        snapshot = {"present": [f"Dr. {NAME[0]} {NAME[1]}", "Jan Nowak"], "phone": PHONE}
        session.add(
            MinutesRevision(minutes_id=minutes.id, revision=1, snapshot_json=json.dumps(snapshot))
        )  # \\u-escaped
        to_her = OutboxMessage(
            kind=OutboxKind.INVITATION,
            meeting_id=meeting.id,
            person_id=ayse.id,
            recipient=EMAIL,
            subject="Einladung: Auftakt-Netzwerktreffen",
            body=f"Sehr geehrte Frau Dr. {NAME[1]},",
            message_id="<1@x>",
            state=OutboxState.SENT,
        )
        to_her.attachments.append(
            OutboxAttachment(
                filename="einladung.ics",
                mime_type="text/calendar",
                data=f"ATTENDEE:mailto:{EMAIL}".encode(),
            )
        )
        minutes_to_jan = OutboxMessage(
            kind=OutboxKind.MINUTES,
            meeting_id=meeting.id,
            person_id=jan.id,
            recipient="jan.nowak@example.org",
            subject="Protokoll",
            body=f"Guten Tag Jan Nowak,\nanwesend: {NAME[0]} {NAME[1]}, Jan Nowak.",
            message_id="<2@x>",
            state=OutboxState.SENT,
        )
        minutes_to_jan.attachments.append(
            OutboxAttachment(
                filename="protokoll.pdf",
                mime_type="application/pdf",
                data=f"%PDF-1.4 anwesend {NAME[1]}".encode(),
            )
        )
        queued_to_jan = OutboxMessage(
            kind=OutboxKind.MINUTES,
            meeting_id=meeting.id,
            person_id=jan.id,
            recipient="jan.nowak@example.org",
            subject="Protokoll (Korrektur)",
            body="Guten Tag,",
            message_id="<3@x>",
            state=OutboxState.QUEUED,
        )
        queued_to_jan.attachments.append(
            OutboxAttachment(
                filename="protokoll-2.pdf", mime_type="application/pdf", data=b"%PDF-1.4 (z)"
            )
        )
        session.add_all([to_her, minutes_to_jan, queued_to_jan])
        session.flush()
        return Network(ayse.id, jan.id, meeting.id, later.id)


def traces(path: Path) -> list[str]:
    """Which identifying strings of Ayşe occur anywhere in the raw bytes of *path*."""
    data = path.read_bytes()
    found = []
    needles = {
        "surname": NAME[1],
        "first name": NAME[0],
        "surname folded": fold(NAME[1]),
        "surname escaped": json.dumps(NAME[1])[1:-1],
        "e-mail": EMAIL,
        "e-mail folded": EMAIL.casefold(),
        "phone": PHONE,
        "phone digits": "864711",
    }
    for label, needle in needles.items():
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if needle.encode(encoding) in data or needle.upper().encode(encoding) in data:
                found.append(f"{label} ({encoding})")
    return found


# -- Auskunft ----------------------------------------------------------------------------------


def test_export_holds_everything_about_the_person(db: Database) -> None:
    network = build_network(db)
    data = privacy.export_person(db, network.ayse)
    assert data["person"]["last_name"] == NAME[1]
    assert data["person"]["notes"] == "Spricht Türkisch."
    assert data["organisation"]["name"] == "Quartiersbüro Lehmheide"
    assert [e["address"] for e in data["emails"]] == [EMAIL]
    assert [p["number"] for p in data["phones"]] == [PHONE]
    assert data["groups"] == ["Impuls.Ag"]
    assert [c["topic"] for c in data["consents"]] == ["photos"]
    assert [(i["meeting_id"], i["state"]) for i in data["invitations"]] == [
        (network.meeting, "accepted"),
        (network.later_meeting, "sent"),
    ]
    assert sorted((a["meeting_id"], a["as_guest"]) for a in data["attendance"]) == [
        (network.meeting, False),
        (network.later_meeting, True),
    ]
    assert sorted(r["role"] for r in data["meeting_roles"]) == [
        "moderator",
        "organiser",
        "presenter",
    ]
    assert [a["text"] for a in data["action_items"]] == ["Einladungen versenden"]
    assert [m["subject"] for m in data["emails_sent"]] == ["Einladung: Auftakt-Netzwerktreffen"]
    assert "body" not in data["emails_sent"][0]  # documented: bodies are not copied
    mentioned = {(m["table"], m["column"]) for m in data["mentioned_in"]}
    assert ("decisions", "text") in mentioned
    assert ("people", "notes") in mentioned  # Jan's notes name her
    json.dumps(data)  # JSON-ready


def test_export_of_someone_else_does_not_leak_her(db: Database) -> None:
    network = build_network(db)
    data = privacy.export_person(db, network.jan)
    assert [e["address"] for e in data["emails"]] == ["jan.nowak@example.org"]
    assert [m["subject"] for m in data["emails_sent"]] == ["Protokoll", "Protokoll (Korrektur)"]


def test_export_pdf_is_readable(db: Database, tmp_path: Path) -> None:
    from app.documents.access_report import write_person_report_pdf

    network = build_network(db)
    target = tmp_path / "auskunft.pdf"
    write_person_report_pdf(privacy.export_person(db, network.ayse), target)
    reader = PdfReader(target)
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert NAME[1] in content
    assert EMAIL in content
    assert "Auftakt-Netzwerktreffen" in content
    assert "Einladungen versenden" in content
    assert reader.metadata is not None
    assert NAME[1] in (reader.metadata.title or "")


def test_export_unknown_person(db: Database) -> None:
    with pytest.raises(NotFound):
        privacy.export_person(db, 4711)


# -- Löschung ----------------------------------------------------------------------------------


def test_erasure_keeps_minutes_coherent(db: Database) -> None:
    network = build_network(db)
    before = get_meeting(db, network.meeting)
    result = privacy.erase_person(db, network.ayse)
    after = get_meeting(db, network.meeting)
    # The attendance count stays; she is "a participant" now.
    assert len(after.attendance) == len(before.attendance) == 2
    anonymous = [row for row in after.attendance if row.person_id is None]
    assert [row.name for row in anonymous] == [privacy.neutral_label()]
    assert not anonymous[0].guest
    owners = {row.text: row.owner for row in after.action_items}
    assert owners["Einladungen versenden"] == privacy.neutral_label()
    assert after.organiser is None
    assert after.moderator is None
    assert after.minute_taker == "Jan Nowak"
    assert after.agenda[0].presenter == privacy.neutral_label()
    # Her invitations stay without her, so the meeting still counts them (issue 12, 7).
    assert len(after.invitations) == len(before.invitations) == 2
    assert sorted((row.person_id or 0, row.name, row.email) for row in after.invitations) == [
        (0, privacy.neutral_label(), None),
        (network.jan, "Jan Nowak", "jan.nowak@example.org"),
    ]
    assert [r.state for r in after.invitations if r.person_id is None] == [InvitationState.ACCEPTED]
    assert result.invitations == 2
    assert result.attendance_anonymised == 1
    assert result.guest_rows_anonymised == 1
    assert result.messages_deleted == 1
    assert result.attachments_dropped == 1  # the sent minutes "PDF" to Jan names her
    assert result.documents_outdated == 0  # the queued correction's does not
    assert result.vacuumed
    with db.read() as session:
        assert session.get(Person, network.ayse) is None
        assert session.scalars(select(ErasureLogEntry.person_id)).all() == [network.ayse]
        assert session.get(Person, network.jan) is not None
        assert session.scalar(select(func.count()).select_from(Attendance)) == 3
        later_guest = session.scalars(
            select(Attendance).where(Attendance.meeting_id == network.later_meeting)
        ).one()
        assert later_guest.anonymised
        assert later_guest.guest_email == ""
        assert session.scalar(select(Organisation.email)) == ""  # her address, cleared
        if not db.is_server:  # PostgreSQL checks every reference itself
            assert session.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        notes = session.scalars(select(AgendaItem.notes)).one()
    # The full name is replaced; the bare surname is left for review (it may be a word).
    assert notes.startswith(privacy.neutral_label() + " begrüßt alle.")
    assert any(m.table == "agenda_items" and m.column == "notes" for m in result.remaining_mentions)


def test_erasure_keeps_the_invited_count_of_past_meetings(db: Database) -> None:
    from app.services.meetings import list_meetings
    from app.services.reporting.figures import meeting_figures

    network = build_network(db)

    def counts() -> list[tuple[int, int, int, int]]:
        rows = {row.id: row for row in list_meetings(db)}
        figures = [meeting_figures(db, m) for m in (network.meeting, network.later_meeting)]
        return [
            (rows[f.meeting_id].invited, rows[f.meeting_id].accepted, f.invited, f.accepted)
            for f in figures
        ]

    before = counts()
    assert before[0][:2] == (2, 2)  # the test can fail: both invited and accepted
    privacy.erase_person(db, network.ayse)
    assert counts() == before
    with db.read() as session:
        anonymous = session.scalars(select(Invitation).where(Invitation.anonymised)).all()
        assert len(anonymous) == 2
        assert {(i.person_id, i.note) for i in anonymous} == {(None, "")}


@pytest.mark.sqlite_only
def test_no_trace_of_the_person_remains_in_the_file(db: Database, db_path: Path) -> None:
    network = build_network(db)
    with db.write() as session:  # make the bare-surname mention a full one for this test
        item = session.scalars(select(AgendaItem)).one()
        item.notes = f"{NAME[0]} {NAME[1]} begrüßt alle."
    assert len(traces(db_path)) >= 6  # the test can fail: everything is there before
    result = privacy.erase_person(db, network.ayse)
    assert result.remaining_mentions == ()
    db.close()
    assert traces(db_path) == []
    assert not journal_path(db_path).exists()
    # Jan is untouched.
    database = Database.open(db_path)
    try:
        with database.read() as session:
            assert session.scalars(select(PersonEmail.address)).all() == ["jan.nowak@example.org"]
            assert session.scalars(select(Person.notes)).one() == (
                f"Vertretung: {privacy.neutral_label()} ({privacy.removed_label()})"
            )
    finally:
        database.close()


@pytest.mark.sqlite_only
def test_secure_delete_alone_clears_the_bytes(db: Database, db_path: Path) -> None:
    """Even when VACUUM is impossible (another program reads), the deleted bytes are zeroed."""
    network = build_network(db)
    with db.write() as session:
        session.scalars(select(AgendaItem)).one().notes = "Begrüßung"
    result = privacy.erase_person(db, network.ayse, compact=False)
    assert not result.vacuumed
    db.close()
    assert traces(db_path) == []


def test_erasing_twice_or_an_unknown_person(db: Database) -> None:
    network = build_network(db)
    privacy.erase_person(db, network.ayse)
    with pytest.raises(NotFound, match=str(network.ayse)):
        privacy.erase_person(db, network.ayse)
    with pytest.raises(NotFound):
        privacy.erase_person(db, 999)


def test_a_form_open_elsewhere_cannot_write_the_name_back(db: Database) -> None:
    from app.db.versioning import check_version
    from app.errors import ConflictError

    network = build_network(db)
    with db.read() as session:
        loaded = session.scalars(select(AgendaItem.version)).one()
    privacy.erase_person(db, network.ayse)
    with pytest.raises(ConflictError), db.write() as session:
        check_version(session, AgendaItem, 1, loaded)


# -- restore and the erasure log ---------------------------------------------------------------


@pytest.mark.sqlite_only
def test_restoring_an_older_backup_erases_her_again(db: Database, db_path: Path) -> None:
    network = build_network(db)
    with db.write() as session:  # no bare-surname mention (left for review by design)
        session.scalars(select(AgendaItem)).one().notes = f"{NAME[0]} {NAME[1]} begrüßt alle."
    old = make_backup(db_path, BackupKind.AUTO, datetime.now(UTC) - timedelta(days=2))
    privacy.erase_person(db, network.ayse)
    with db.write() as session:  # a newcomer may get her old id: must not be erased
        session.add(Person(first_name="Neu", last_name="Person"))
    db.close()
    result = restore(db_path, old.path)
    assert result.reapplied_erasures == 1
    assert traces(db_path) == []
    database = Database.open(db_path)
    try:
        with database.read() as session:
            assert session.get(Person, network.ayse) is None
            assert session.scalars(select(ErasureLogEntry.person_id)).all() == [network.ayse]
            assert session.get(Person, network.jan) is not None
    finally:
        database.close()


def test_reapply_spares_a_later_person_with_the_same_id(db: Database) -> None:
    network = build_network(db)
    privacy.erase_person(db, network.ayse)
    with db.write() as session:
        session.add(Person(id=network.ayse, first_name="Neu", last_name="Person"))
    assert privacy.reapply_erasures(db) == 0
    with db.read() as session:
        assert session.get(Person, network.ayse) is not None


def test_merge_erasure_log_is_idempotent(db: Database) -> None:
    moment = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    assert privacy.merge_erasure_log(db, [(7, moment), (8, "2026-05-02 09:00:00.000000")]) == 2
    assert privacy.merge_erasure_log(db, [(7, moment)]) == 0
    assert [pid for pid, _at in privacy.erasure_log(db)] == [7, 8]


# -- command line ------------------------------------------------------------------------------


def test_cli_export_and_erase(
    db: Database, db_arg: str, tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    network = build_network(db)
    db.close()
    code, out, err = cli("--db", db_arg, "privacy", "export", str(network.ayse))
    assert code == 0, err
    assert json.loads(out)["person"]["last_name"] == NAME[1]
    target = tmp_path / "auskunft.json"
    code, out, err = cli("--db", db_arg, "privacy", "export", str(network.ayse), "-o", str(target))
    assert code == 0, err
    assert json.loads(target.read_text(encoding="utf-8"))["emails"][0]["address"] == EMAIL
    code, out, err = cli(
        "--db",
        db_arg,
        "privacy",
        "export",
        str(network.ayse),
        "-o",
        str(tmp_path / "auskunft.pdf"),
    )
    assert code == 0, err
    assert (tmp_path / "auskunft.pdf").read_bytes().startswith(b"%PDF")

    code, out, err = cli("--db", db_arg, "privacy", "erase", str(network.ayse))
    assert code == 0, err
    assert str(network.ayse) in out
    assert NAME[1] not in out.split("\n")[0]
    code, out, err = cli("--db", db_arg, "privacy", "export", str(network.ayse))
    assert code == 1
    assert out == ""
    code, out, err = cli("--db", db_arg, "privacy", "erase", "999")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
