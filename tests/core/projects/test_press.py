"""The press release draft: content, refusal before the meeting, .docx/.txt, mail via outbox."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.mail.outbox import list_outbox
from app.mail.press import export_press_release, mail_press_release
from app.models import Meeting, MeetingState, OutboxKind, Photo, PressRelease, PressReleaseChannel
from app.services.press.draft import photo_warnings, press_draft
from app.services.press.photos import set_pictured

from .conftest import AUFTAKT, TODAY


def _meeting(db: Database, title: str = AUFTAKT) -> int:
    with db.read() as session:
        return session.scalars(select(Meeting.id).where(Meeting.title == title)).one()


def test_draft_in_the_shape_of_the_seed(demo: Database) -> None:
    draft = press_draft(demo, _meeting(demo), today=TODAY)
    assert draft.headline.startswith(AUFTAKT)
    assert draft.subheadline.startswith("700.000,00\xa0€ aus der Integrationspauschale")
    assert draft.dateline == "Krefeld, 06.12.2026"
    assert "Donnerstag, 17. November 2022" in draft.lead
    assert "Museumscafé K+" in draft.lead
    assert "37 Teilnehmende aus 21 Einrichtungen" in draft.lead
    assert "aus 5 Quartieren" in draft.body
    assert "„Sportpark Mobil“" in draft.body
    assert "„VielFeld“" in draft.body
    assert "- Die Impuls.Ag wird nach dem Ende der Förderphase fortgeführt" in draft.body
    assert "„[Zitat]“, sagt Sabine Krüger" in draft.body
    assert draft.photo() is not None
    assert draft.photo().filename == "auftakt-gruppenfoto.jpg"
    assert draft.credit == "Foto: Stadt Krefeld, Presse und Kommunikation, A. Bischof"
    assert draft.contact.startswith("Stadt Krefeld – Presse und Kommunikation")
    assert photo_warnings(draft) == [
        "1 Foto wird nicht angeboten: Jemand, der darauf abgebildet ist, hat der "
        "Veröffentlichung nicht zugestimmt."
    ]
    english = press_draft(demo, _meeting(demo), "en", today=TODAY)
    assert "participants from 21 institutions" in english.lead
    assert "Thursday, 17 November 2022" in english.lead


def test_no_draft_before_the_meeting_was_held(demo: Database) -> None:
    with demo.read() as session:
        upcoming = session.scalars(
            select(Meeting.id).where(Meeting.state == MeetingState.INVITED)
        ).one()
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        press_draft(demo, upcoming)


def test_no_photo_offered_when_everyone_pictured_refused_somewhere(demo: Database) -> None:
    meeting_id = _meeting(demo)
    with demo.read() as session:
        photos = list(session.scalars(select(Photo.id).where(Photo.meeting_id == meeting_id)))
    for photo_id in photos:
        set_pictured(demo, photo_id, None)  # not recorded: everyone present, one refused
    draft = press_draft(demo, meeting_id, today=TODAY)
    assert draft.photo_id is None
    assert draft.caption == ""
    assert "Es kann kein Foto angeboten werden" in photo_warnings(draft)[0]
    assert "Yusuf Demirci" in photo_warnings(draft)[0]


def test_docx_read_back_and_record(demo: Database, tmp_path: Path) -> None:
    meeting_id = _meeting(demo)
    draft = replace(
        press_draft(demo, meeting_id, today=TODAY),
        headline="<b>Neu</b> & gut",
        body="Erster Absatz.\n\nZweiter Absatz:\n- Punkt eins\n- Punkt <zwei>",
    )
    path = tmp_path / "presse.docx"
    export_press_release(demo, draft, path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "<b>Neu</b> & gut"
    assert texts[2].startswith("Krefeld, 06.12.2026 – 37 Teilnehmende")
    assert "Punkt <zwei>" in texts
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == ["Punkt eins", "Punkt <zwei>"]
    assert len(document.inline_shapes) == 1
    assert "Foto: Stadt Krefeld, Presse und Kommunikation, A. Bischof" in texts
    assert "Pressekontakt" in texts
    assert document.core_properties.title == "<b>Neu</b> & gut"
    with demo.read() as session:
        record = session.scalars(select(PressRelease).order_by(PressRelease.id.desc())).first()
        assert record is not None
        assert (record.headline, record.channel) == ("<b>Neu</b> & gut", PressReleaseChannel.DOCX)


def test_txt_export_and_refused_photo_is_refused(demo: Database, tmp_path: Path) -> None:
    meeting_id = _meeting(demo)
    draft = press_draft(demo, meeting_id, today=TODAY)
    path = tmp_path / "presse.txt"
    export_press_release(demo, draft, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(draft.headline + "\n\n")
    assert "Bildunterschrift: Das Auftakt-Netzwerktreffen" in text
    refused = next(p for p in draft.photos if not p.usable)
    with demo.read() as session:
        before = len(list(session.scalars(select(PressRelease.id))))
    with pytest.raises(ValidationError, match="darf nicht veröffentlicht werden"):
        export_press_release(demo, replace(draft, photo_id=refused.photo_id), tmp_path / "x.txt")
    assert not (tmp_path / "x.txt").exists()
    with demo.read() as session:
        assert len(list(session.scalars(select(PressRelease.id)))) == before


def test_mail_to_the_press_goes_through_the_outbox(demo: Database) -> None:
    meeting_id = _meeting(demo)
    draft = press_draft(demo, meeting_id, today=TODAY)
    # The sender: the meeting's organiser (no mail settings in the demo).
    report = mail_press_release(
        demo, draft, addresses="Redaktion <redaktion@zeitung.example>; kaputt@; wdr@wdr.example"
    )
    assert report.queued == ("redaktion@zeitung.example", "wdr@wdr.example")
    assert [s.address for s in report.skipped] == ["kaputt@"]
    rows = list_outbox(demo, kinds=[OutboxKind.PRESS])
    assert {r.recipient for r in rows} == set(report.queued)
    assert all(r.subject == draft.headline for r in rows)
    assert rows[0].attachment_names == ("Pressemitteilung.docx", "auftakt-gruppenfoto.jpg")


def test_press_release_with_no_recipient_changes_nothing(demo: Database) -> None:
    draft = press_draft(demo, _meeting(demo), today=TODAY)
    with pytest.raises(ValidationError):
        mail_press_release(demo, draft, addresses="")
    assert list_outbox(demo, kinds=[OutboxKind.PRESS]) == []
