"""Final minutes as they are filed: decisions whole, no empty filler, counts in words,
lines to sign; and the option behind the signature lines."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.db import Database, migrate
from app.documents.minutes import attendance_summary, render_minutes
from app.i18n import _
from app.models import Meeting, Minutes, MinutesState
from app.services.backup import backup_before_migration
from app.services.minutes import load_minutes, set_signature_lines
from app.services.minutes.markup import parse_notes
from app.services.snapshots.minutes import (
    Attendee,
    DecisionEntry,
    MinutesSnapshot,
    PresentGroup,
    TopEntry,
    build_minutes_snapshot,
)
from tests.core.documents.conftest import demo_meeting, page_texts

cli_main = importlib.import_module("app.cli.main")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> MinutesSnapshot:
    database = Database.create(tmp_path_factory.mktemp("final") / "t.db")
    try:
        with database.write() as session:
            meeting = Meeting(title="Netzwerktreffen", start=datetime(2026, 3, 4, 16, tzinfo=UTC))
            session.add(meeting)
            session.flush()
            meeting_id = meeting.id
        return build_minutes_snapshot(database, meeting_id)
    finally:
        database.close()


def _top(number: int, *, notes: str = "", decisions: tuple[DecisionEntry, ...] = ()) -> TopEntry:
    return TopEntry(
        id=number,
        number=str(number),
        depth=0,
        title=f"Thema {number}",
        presenter="",
        description="",
        notes=tuple(parse_notes(notes)) if notes else (),
        notes_text=notes,
        decisions=decisions,
        actions=(),
    )


def test_a_decision_never_splits_across_pages(base: MinutesSnapshot) -> None:
    decision = DecisionEntry(
        1,
        "BESCHLUSSANFANG Die Impuls.Ag wird nach dem Ende der Förderphase fortgeführt; die "
        "Quartiersbüros laden im Wechsel ein, das Quartiersmanagement führt das Protokoll "
        "und pflegt die Partnerliste. BESCHLUSSENDE",
        31,
        0,
        2,
    )
    filler = "Die Runde bespricht den Stand im Quartier und die nächsten Schritte. " * 4
    split_seen = 0
    # Push the decision down line by line past the foot of page 1 (and of later pages).
    for paragraphs in range(8, 40):
        notes = "\n\n".join(f"Absatz {n}: {filler}" for n in range(paragraphs))
        snapshot = replace(
            base, state=MinutesState.FINAL, agenda=(_top(1, notes=notes, decisions=(decision,)),)
        )
        pages = page_texts(render_minutes(snapshot))
        start = next(n for n, page in enumerate(pages) if "BESCHLUSSANFANG" in page)
        assert "BESCHLUSSENDE" in pages[start], paragraphs
        assert "31" in pages[start].split("BESCHLUSSENDE", 1)[1][:80], paragraphs  # the votes
        split_seen += start > 0
    assert split_seen  # the loop did reach later pages


def test_final_minutes_leave_empty_sections_out(base: MinutesSnapshot) -> None:
    agenda = (_top(1), _top(2, notes="Es wird berichtet."))
    draft = " ".join(page_texts(render_minutes(replace(base, agenda=agenda))))
    final = " ".join(
        page_texts(render_minutes(replace(base, agenda=agenda, state=MinutesState.FINAL)))
    )
    for filler in (
        _("No notes."),
        _("No action items were agreed."),
        _("The next meeting has not been scheduled yet."),
        _("No recipients."),
        _("No attendance was recorded."),
    ):
        assert filler in draft, filler  # a to-do list for the writer
        assert filler not in final, filler
    assert _("Item {number}: {title}").format(number="1", title="Thema 1") in final
    assert "Es wird berichtet." in final


def test_counts_add_up_in_words(base: MinutesSnapshot) -> None:
    present = (
        PresentGroup("Quartiersbüro Lehmheide", tuple(Attendee(f"Person {n}") for n in range(20))),
        PresentGroup("SV Gatherhof", tuple(Attendee(f"Mitglied {n}") for n in range(15))),
    )
    guests = (Attendee("Gast Eins", guest=True), Attendee("Gast Zwei", guest=True))
    excused = tuple(Attendee(f"Entschuldigt {n}") for n in range(4))
    snapshot = replace(base, present=present, guests=guests, excused=excused)
    summary = attendance_summary(snapshot)
    assert summary.startswith("37 ")
    assert " 35 " in summary
    assert summary.count("2") == 1  # "2 guests"
    assert "4" in summary
    text = " ".join(page_texts(render_minutes(snapshot)))
    assert summary in text
    assert _("Present from the network ({n})").format(n=35) in text
    assert _("Guests ({n})").format(n=2) in text


def test_signature_lines_under_final_minutes_only(base: MinutesSnapshot) -> None:
    snapshot = replace(base, minute_taker="Jana Hoffmann", moderator="Sabine Krüger")
    labels = (_("Date, signature (minutes)"), _("Date, signature (moderation)"))
    final = page_texts(render_minutes(replace(snapshot, state=MinutesState.FINAL)))
    assert all(label in final[-1] for label in labels)
    assert "Jana Hoffmann" in final[-1].split(labels[0])[1]
    draft = " ".join(page_texts(render_minutes(snapshot)))
    assert not any(label in draft for label in labels)  # a draft is not signed
    off = replace(snapshot, state=MinutesState.FINAL, signature_lines=False)
    assert not any(label in " ".join(page_texts(render_minutes(off))) for label in labels)


def test_the_option_is_kept_per_meeting_and_allowed_on_final_minutes(db: Database) -> None:
    with db.write() as session:
        meeting = Meeting(title="Treffen", start=datetime(2026, 3, 4, 16, tzinfo=UTC))
        session.add(meeting)
        session.flush()
        session.add(Minutes(meeting=meeting, state=MinutesState.FINAL, number="1/2026", revision=1))
        meeting_id = meeting.id
    info = load_minutes(db, meeting_id).minutes
    assert info is not None
    assert info.signature_lines  # on by default
    change = set_signature_lines(db, meeting_id, False, expected_version=info.version)
    assert change.previous is True
    assert not build_minutes_snapshot(db, meeting_id).signature_lines
    again = load_minutes(db, meeting_id).minutes
    assert again is not None
    assert again.version == change.version
    assert not again.signature_lines


def test_revision_counts_from_one(demo_network: Database) -> None:
    final = load_minutes(demo_network, demo_meeting(demo_network, "minutes_final")).minutes
    assert final is not None
    assert final.revision == 1  # "Fassung 1", never "Fassung 0"


def test_old_final_minutes_are_revision_one_after_the_upgrade(tmp_path: Path) -> None:
    import shutil
    import sqlite3

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "20261125_01.db"
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE minutes SET state = 'final', revision = 0")
        rows = connection.execute("SELECT count(*) FROM minutes").fetchone()[0]
    connection.close()
    assert rows
    database = Database.open(path, before_upgrade=backup_before_migration)
    try:
        assert database.schema_revision() == migrate.head_revision()
        with database.read() as session:
            revisions = {m.revision for m in session.query(Minutes)}
        assert revisions == {1}
    finally:
        database.close()


def test_cli_can_leave_the_lines_out_for_one_file(
    capsys: pytest.CaptureFixture[str], db_arg: str, db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        meeting = Meeting(title="Treffen", start=datetime(2026, 3, 4, 16, tzinfo=UTC))
        session.add(meeting)
        session.flush()
        session.add(Minutes(meeting=meeting, state=MinutesState.FINAL, number="1/2026", revision=1))
        meeting_id = meeting.id
    label = _("Date, signature (minutes)")
    for flag, expected in (("--signatures", True), ("--no-signatures", False)):
        target = tmp_path / f"protokoll{flag}.pdf"
        code = main(["--db", db_arg, "pdf", "minutes", str(meeting_id), "-o", str(target), flag])
        capsys.readouterr()
        assert code == 0
        text = " ".join(page_texts(target.read_bytes()))
        assert (label in text) is expected
    assert build_minutes_snapshot(db, meeting_id).signature_lines  # the stored option stays
    assert PdfReader(BytesIO(target.read_bytes())).pages
