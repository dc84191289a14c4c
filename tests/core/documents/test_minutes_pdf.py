"""The minutes PDF read back through its text: attendance, TOPs, decisions, action items,
carried items, photos, draft mark, metadata; built from real minutes through the services."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.db import Database
from app.documents.minutes import (
    attendance_summary,
    document_title,
    numbered_title,
    render_minutes,
    status_text,
    write_minutes,
)
from app.documents.text import pdf_plain
from app.i18n import _, format_date, format_weekday_date, ngettext
from app.models import Attendance, AttendanceStatus, Meeting, Organisation, Person
from app.services.letterhead import Letterhead
from app.services.minutes import (
    ActionDraft,
    DecisionDraft,
    NextMeeting,
    add_action,
    add_decision,
    add_photo,
    ensure_minutes,
    finalise_minutes,
    save_notes,
    set_action_status,
    set_informed_only,
    set_next_meeting,
    start_correction,
)
from app.services.snapshots.minutes import MinutesSnapshot, build_minutes_snapshot
from tests.helpers.documents import count, page_texts, squeeze
from tests.helpers.minutes import LATER, Net, build_net, image_bytes

MARKUP_NAME = "<b>offen"
MARKUP_ORG = "Müller & Söhne <GmbH>"
ARABIC_FIRST, ARABIC_LAST = "سلمى", "الخطيب"
NFD_GUEST = unicodedata.normalize("NFD", "Nguyễn Thị Minh")
TURKISH = "Işıl Kılıç"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def footer(page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=page, pages=pages)


@dataclass(frozen=True)
class Written:
    net: Net
    snapshot: MinutesSnapshot
    pages: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def write_rich(db: Database) -> Net:
    """The second meeting (4 June 2025) with everything the minutes can hold."""
    net = build_net(db)
    with db.write() as session:
        meeting = session.get(Meeting, net.second.id)
        assert meeting is not None
        moderator = Person(first_name="Petra", last_name="Quartier", title="Dr.")
        taker = Person(first_name="Jana", last_name="Hoffmann")
        markup = Person(
            first_name=MARKUP_NAME, last_name="Ärger", organisation=Organisation(name=MARKUP_ORG)
        )
        arabic = Person(first_name=ARABIC_FIRST, last_name=ARABIC_LAST)
        turkish = Person(
            first_name="Işıl", last_name="Kılıç", organisation=session.get(Organisation, net.verein)
        )
        excused = Person(first_name="Eva", last_name="Entschuldigt")
        session.add_all([moderator, taker, markup, arabic, turkish, excused])
        session.flush()
        meeting.organiser_id = moderator.id
        meeting.moderator_id = moderator.id
        meeting.minute_taker_id = taker.id
        present = AttendanceStatus.PRESENT
        session.add_all(
            [
                Attendance(meeting_id=meeting.id, person_id=person_id, status=present)
                for person_id in (
                    net.ayse,
                    net.jan,
                    net.olga,
                    markup.id,
                    arabic.id,
                    turkish.id,
                    taker.id,
                    moderator.id,
                )
            ]
        )
        session.add_all(
            [
                Attendance(
                    meeting_id=meeting.id, person_id=excused.id, status=AttendanceStatus.EXCUSED
                ),
                Attendance(
                    meeting_id=meeting.id,
                    guest_name=NFD_GUEST,
                    guest_organisation="Presse",
                    status=present,
                ),
            ]
        )
    # Action items of the first meeting come back under TOP 2 of the second.
    add_action(
        db,
        net.first.misc,
        ActionDraft(
            "Raum <buchen> & putzen", owner_organisation_id=net.buero, due=date(2025, 4, 1)
        ),
    )
    done = add_action(db, net.first.misc, ActionDraft("Flyer drucken", owner_person_id=net.jan))
    set_action_status(db, done, "done", in_meeting_id=net.second.id, now=LATER)
    save_notes(
        db,
        net.second.welcome,
        "Begrüßung durch **Dr. Quartier** und Vorstellungsrunde.\n\n"
        "- erster Punkt <i>kursiv</i>\n- zweiter Punkt & mehr\n\n"
        "Ein **unvollständiger Absatz",
        expected_version=1,
    )
    save_notes(db, net.second.misc, "Arabisch: مرحبا بكم\nTürkçe: Işıl geldi.", expected_version=1)
    add_decision(db, net.second.misc, DecisionDraft("Sommerfest <am> 5. Juli & mehr", 12, 0, 1))
    add_decision(db, net.second.misc, DecisionDraft("Protokoll per E-Mail"))
    add_action(
        db,
        net.second.misc,
        ActionDraft("Plakat **drucken**", owner_person_id=net.ayse, due=date(2025, 7, 1)),
    )
    add_action(
        db, net.second.welcome, ActionDraft("Einladung an <alle>", owner_text="Müller & Söhne")
    )
    info = ensure_minutes(db, net.second.id, now=LATER)
    change = set_next_meeting(
        db,
        net.second.id,
        NextMeeting(datetime(2025, 9, 10, 17), "Museumscafé K+", "Bitte Fotos mitbringen"),
        expected_version=info.version,
    )
    set_informed_only(
        db,
        net.second.id,
        "Stadt Krefeld <foerderung@krefeld.example>\nBezirksvertretung Süd",
        expected_version=change.version,
    )
    add_photo(
        db, net.second.id, "gruppe.jpg", image_bytes(), "Die Runde im <Studio>", "Alex Fotograf"
    )
    add_photo(db, net.second.id, "zwei.png", image_bytes("PNG"), "Zweites Bild", "Foto: Kim")
    return net


LETTERHEAD = Letterhead("Quartiersmanagement Impuls.Ag", ("Von-der-Leyen-Platz 1",))


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Written:
    from app import i18n

    i18n.set_language("de")  # module scope runs before the autouse fixture that does this
    database = Database.create(tmp_path_factory.mktemp("minutes") / "t.db")
    try:
        net = write_rich(database)
        snapshot = build_minutes_snapshot(database, net.second.id, letterhead=LETTERHEAD)
    finally:
        database.close()
    return Written(net, snapshot, page_texts(render_minutes(snapshot)))


def test_header_facts(draft: Written) -> None:
    text = draft.text
    for needle in (
        "Quartiersmanagement Impuls.Ag",
        numbered_title(draft.snapshot.number),
        "Netzwerktreffen Sommer",
        format_weekday_date(date(2025, 6, 4)),
        "17:00–19:00",
        "Museumscafé K+, Studio",
        "Joseph-Beuys-Platz 1, 47798 Krefeld",
        "Dr. Petra Quartier",
        "Jana Hoffmann",
    ):
        assert needle in text, needle
    assert draft.snapshot.number  # "2/2025"
    assert draft.snapshot.number in text


def test_every_attendee_literally_grouped(draft: Written) -> None:
    text = draft.text
    for group in draft.snapshot.present:
        assert (group.organisation or _("Without organisation")) + ":" in text
        for attendee in group.attendees:
            if attendee.name.startswith(ARABIC_FIRST):
                continue  # see the Arabic test
            assert attendee.name in text, attendee.name
    assert f"{MARKUP_ORG}: {MARKUP_NAME} Ärger" in text
    assert f"SV Gatherhof: {TURKISH}, Jan Müller" in text  # by last name: Kılıç, Müller
    assert "Eva Entschuldigt" in text
    assert unicodedata.normalize("NFC", NFD_GUEST) + " – Presse" in text
    assert _("Present from the network ({n})").format(n=8) in text
    # The counts in words, adding up: 8 members and 1 guest are 9 participants.
    assert attendance_summary(draft.snapshot) in text
    assert ngettext("{n} participant", "{n} participants", 9).format(n=9) in text
    assert _("Excused ({n})").format(n=1) in text
    assert _("Guests ({n})").format(n=1) in text
    assert "&amp;" not in text
    assert "&lt;" not in text


def test_arabic_is_joined(draft: Written) -> None:
    text = draft.text
    for logical in (f"{ARABIC_FIRST} {ARABIC_LAST}", "مرحبا بكم"):
        drawn = pdf_plain(logical)
        assert drawn != logical
        assert drawn in text or drawn[::-1] in text or logical in nfkc(text)
        assert logical in nfkc(text) or nfkc(drawn) in nfkc(text)
    assert ARABIC_FIRST not in text  # never as unjoined letters
    assert "Türkçe: Işıl geldi." in text


def test_tops_notes_decisions_actions(draft: Written) -> None:
    text = draft.text
    for top in draft.snapshot.agenda:
        heading = _("Item {number}: {title}").format(number=top.number, title=top.title)
        assert heading in text, heading
    # Notes: bold without the stars, bullets, markup-like text literally, spaces kept.
    assert "Begrüßung durch Dr. Quartier und Vorstellungsrunde." in text
    assert "**Dr. Quartier**" not in text
    assert "• erster Punkt <i>kursiv</i>" in text
    assert "• zweiter Punkt & mehr" in text
    assert "Ein **unvollständiger Absatz" in text  # unclosed: literal
    decision = _("Decision:")
    assert f"{decision} Sommerfest <am> 5. Juli & mehr" in text
    assert (
        "{} · {} · {}".format(
            _("yes: {n}").format(n=12), _("no: {n}").format(n=0), _("abstentions: {n}").format(n=1)
        )
        in text
    )
    assert f"{decision} Protokoll per E-Mail" in text
    action = _("Action item:")
    assert f"{action} Plakat **drucken**" in text  # action texts are not markup
    assert _("Who: {owner}").format(owner="Ayşe Yılmaz") in text
    assert _("Due: {date}").format(date=format_date(date(2025, 7, 1))) in text
    assert f"{action} Einladung an <alle>" in text
    assert "Müller & Söhne" in text


def test_carried_items_with_status(draft: Written) -> None:
    text = draft.text
    assert _("Open action items from earlier meetings") in text
    assert "Raum <buchen> & putzen" in text
    assert "Quartiersbüro Lehmheide" in text
    assert status_text("open", overdue=True) in text  # due 1 April, the meeting is in June
    assert "Flyer drucken" in text
    assert status_text("done") in text
    assert format_date(date(2025, 3, 5)) in text  # the meeting they come from


def test_summary_next_meeting_distribution_photos(draft: Written) -> None:
    text = draft.text
    summary = text[text.rindex(_("Action items")) :]
    for header in (_("What"), _("Who"), _("Due"), _("Status")):
        assert header in summary
    assert summary.index("Einladung an <alle>") < summary.index("Plakat **drucken**")
    assert _("Next meeting") in text
    assert f"{format_weekday_date(date(2025, 9, 10))}, 17:00" in text
    assert "Bitte Fotos mitbringen" in text
    assert _("Distribution") in text
    assert (
        _("For information: {names}").format(names="Stadt Krefeld; Bezirksvertretung Süd") in text
    )
    assert "foerderung@krefeld.example" not in text  # names only, never addresses
    assert "Die Runde im <Studio>" in text
    assert _("Photo: {credit}").format(credit="Alex Fotograf") in text
    assert "Foto: Kim" in text
    assert "Foto: Foto" not in text


def test_draft_mark_on_every_page_and_page_numbers(draft: Written) -> None:
    pages = draft.pages
    assert 2 <= len(pages) <= 6
    for number, page in enumerate(pages, start=1):
        assert count(_("DRAFT"), page) >= 1
        assert footer(number, len(pages)) in page
    for page in pages[1:]:
        assert numbered_title(draft.snapshot.number) in page  # the running header


def test_metadata(draft: Written) -> None:
    reader = PdfReader(BytesIO(render_minutes(draft.snapshot)))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == _("Minutes: {title}").format(title="Netzwerktreffen Sommer")
    assert meta.author == "Dr. Petra Quartier"
    assert meta.subject == draft.snapshot.info.subject
    assert draft.snapshot.number in str(meta.subject)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    images = [len(page["/Resources"].get("/XObject", {})) for page in reader.pages]
    assert sum(images) >= 2  # both photos (and the draft watermark form)


def test_final_minutes_have_no_draft_mark(db: Database) -> None:
    net = write_rich(db)
    info = ensure_minutes(db, net.second.id, now=LATER)
    final = finalise_minutes(db, net.second.id, expected_version=info.version, now=LATER)
    pages = page_texts(render_minutes(build_minutes_snapshot(db, net.second.id)))
    assert not any(_("DRAFT") in page for page in pages)
    assert _("Final") in pages[0]
    assert _("finalised on {date}").format(date=format_date(LATER.date())) in pages[0]
    # A correction is a draft again and says what changes.
    start_correction(
        db, net.second.id, "Name <berichtigt>", expected_version=final.version, now=LATER
    )
    snapshot = build_minutes_snapshot(db, net.second.id)
    text = " ".join(page_texts(render_minutes(snapshot)))
    assert _("DRAFT") in text
    assert (
        _("Corrected version (revision {number}). Changes: {changes}").format(
            number=snapshot.revision, changes="Name <berichtigt>"
        )
        in text
    )


def test_minutes_of_a_bare_meeting(db: Database) -> None:
    net = build_net(db)
    with db.write() as session:
        meeting = Meeting(title="Leer", start=datetime(2025, 12, 1, 16, tzinfo=UTC))
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    snapshot = build_minutes_snapshot(db, meeting_id)
    pages = page_texts(render_minutes(snapshot))
    assert len(pages) == 1
    text = pages[0]
    assert document_title() in text  # no number yet
    assert _("No attendance was recorded.") in text
    assert _("No action items were agreed.") in text
    assert _("The next meeting has not been scheduled yet.") in text
    assert _("No recipients.") in text
    assert _("DRAFT") in text
    assert net.first.id != meeting_id


def test_write_minutes(tmp_path: Path, draft: Written) -> None:
    target = tmp_path / "protokoll.pdf"
    write_minutes(draft.snapshot, target)
    assert squeeze(page_texts(target.read_bytes())[0]) == draft.pages[0]
    assert [p.name for p in tmp_path.iterdir()] == ["protokoll.pdf"]


def test_big_photos_are_scaled_down(db: Database) -> None:
    net = build_net(db)
    buffer = BytesIO()
    Image.effect_noise((3000, 2000), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    big = buffer.getvalue()
    add_photo(db, net.first.id, "gross.jpg", big, "Groß", "")
    pdf = render_minutes(build_minutes_snapshot(db, net.first.id))
    reader = PdfReader(BytesIO(pdf))
    sizes = [
        (obj.get_object()["/Width"], obj.get_object()["/Height"])
        for page in reader.pages
        for obj in page["/Resources"].get("/XObject", {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert sizes == [(2000, 1333)]
    assert len(pdf) < len(big)


def test_only_the_embedded_dejavu_fonts(draft: Written) -> None:
    reader = PdfReader(BytesIO(render_minutes(draft.snapshot)))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        names |= {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names
    assert all("DejaVuSans" in name for name in names), names
