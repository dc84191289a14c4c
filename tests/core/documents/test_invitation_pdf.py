"""The invitation PDF read back through its text: agenda, facts, letters, pages, metadata."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from app.db import Database
from app.documents.invitation import document_title, render_invitation, write_invitation
from app.documents.text import pdf_plain
from app.i18n import _, format_date, format_time, format_weekday_date, pgettext
from app.services.letterhead import Letterhead
from app.services.snapshots.invitation import (
    AgendaEntry,
    Contact,
    InvitationSnapshot,
    LetterRecipient,
    OpenItemLine,
    VenueBlock,
    build_invitation_snapshot,
)
from tests.helpers.documents import count, page_texts, squeeze
from tests.helpers.invitation_plan import (
    ARABIC_FIRST,
    ARABIC_LAST,
    BERLIN,
    MARKUP_ORG,
    MARKUP_TITLE,
    START,
    Plan,
    build_plan,
)

LETTERHEAD = Letterhead(
    "Quartiersmanagement <Impuls.Ag>", ("Von-der-Leyen-Platz 1", "47798 Krefeld")
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def footer(page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=page, pages=pages)


def png(width: int = 60, height: int = 30) -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def plan(db: Database) -> Plan:
    return build_plan(db)


def snapshot_for(db: Database, plan: Plan, **options: object) -> InvitationSnapshot:
    return build_invitation_snapshot(db, plan.meeting_id, letterhead=LETTERHEAD, **options)  # type: ignore[arg-type]


def test_generic_invitation_shows_everything_literally(db: Database, plan: Plan) -> None:
    snapshot = snapshot_for(db, plan)
    pdf = render_invitation(snapshot)
    pages = page_texts(pdf)
    text = " ".join(pages)
    for needle in (
        "Quartiersmanagement <Impuls.Ag>",
        "Von-der-Leyen-Platz 1",
        document_title(),
        "Netzwerktreffen Winter",
        format_weekday_date(date(2026, 12, 16)),
        "15:00–17:00",
        "Museumscafé K+, Studio",
        "Joseph-Beuys-Platz 1, 47798 Krefeld",
        "Stufenloser Zugang, barrierefreies WC",
        _("Please reply by {date}.").format(date=format_weekday_date(date(2026, 12, 9))),
        "Bitte <b>pünktlich</b> & gut gelaunt.",
        "Sabine Krüger",
        "sabine.krueger@krefeld.example",
        "02151 86-0",
        squeeze(snapshot.privacy_notice),
    ):
        assert needle in text, needle
    for entry in snapshot.agenda:
        assert entry.title in text, entry.title
        assert format_time(entry.start) in text
    assert MARKUP_TITLE in text
    assert "Je fünf Minuten: was läuft gut?" in text
    assert "alle Projektträger" in text
    assert "Ayşe Yılmaz" in text
    assert "(" + _("for decision") + ")" in text
    # The open items under TOP 2: what, who (an organisation, never a person), by when.
    assert (
        "Flyer <drucken> & verteilen · "
        + _("due {date}").format(date=format_date(date(2026, 11, 1)))
        in text
    )
    assert "Yılmaz – " not in text
    assert "Flyer <drucken> & verteilen –" not in text
    assert _("overdue") not in text  # no reminder list in a document for every partner
    assert f"Raum für 2027 anfragen – {MARKUP_ORG}" in text
    assert "Erledigte Aufgabe" not in text
    assert "Aufgabe aus der Zukunft" not in text
    assert "&amp;" not in text
    assert "&lt;" not in text
    assert _("DRAFT") not in text
    assert len(pages) <= 2
    assert footer(1, len(pages)) in pages[0]


def test_nfd_input_is_printed_composed(db: Database, plan: Plan) -> None:
    text = " ".join(page_texts(render_invitation(snapshot_for(db, plan))))
    assert "Nguyễn Thị Minh stellt vor" in text


def test_metadata(db: Database, plan: Plan) -> None:
    reader = PdfReader(BytesIO(render_invitation(snapshot_for(db, plan))))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"{document_title()}: Netzwerktreffen Winter"
    assert meta.author == "Quartiersmanagement <Impuls.Ag>"
    assert meta.subject == f"Netzwerktreffen Winter – {format_weekday_date(date(2026, 12, 16))}"
    assert meta.creator == "Treffpunkt"
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_without_letterhead_the_organiser_is_the_author(db: Database, plan: Plan) -> None:
    snapshot = build_invitation_snapshot(db, plan.meeting_id)
    meta = PdfReader(BytesIO(render_invitation(snapshot))).metadata
    assert meta is not None
    assert meta.author == "Sabine Krüger"


def test_letters_one_per_person_with_own_page_numbers(db: Database, plan: Plan) -> None:
    snapshot = snapshot_for(db, plan, letters=True, today=date(2026, 11, 25))
    assert len(snapshot.letters) == 5
    pages = page_texts(render_invitation(snapshot))
    subject = f"{document_title()}: Netzwerktreffen Winter"
    firsts = [index for index, page in enumerate(pages) if subject in page]
    assert len(firsts) == 5  # every letter starts on a page of its own
    for letter, first in zip(snapshot.letters, firsts, strict=True):
        page = pages[first]
        if letter.person_id == plan.people["arabic"]:
            # pypdf reads the right-to-left run back in logical order.
            assert "Guten Tag" in page
            assert f"{ARABIC_FIRST} {ARABIC_LAST}" in nfkc(page)
        else:
            assert letter.salutation in page
            for line in letter.address_lines:
                assert line in page, line
        assert format_date(date(2026, 11, 25), "long") in page
        # The letterhead's return address in the envelope window (too long for one line:
        # the name above street and town).
        assert "Von-der-Leyen-Platz 1 · 47798 Krefeld" in page
    # DIN 5008: no number on a letter's first page; from page 2 each letter counts its own.
    bounds = [*firsts, len(pages)]
    for start, end in itertools.pairwise(bounds):
        total = end - start
        assert footer(1, total)[:-1] not in pages[start]
        for offset in range(1, total):
            assert footer(offset + 1, total) in pages[start + offset]
    text = " ".join(pages)
    assert count("Netzwerktreffen Winter", text) >= 10
    assert "Ayşe Yılmaz," not in text  # she gets mail, no letter


def test_arabic_name_is_joined_in_the_address(db: Database, plan: Plan) -> None:
    snapshot = snapshot_for(db, plan, person_ids=[plan.people["arabic"]])
    text = " ".join(page_texts(render_invitation(snapshot)))
    logical = f"{ARABIC_FIRST} {ARABIC_LAST}"
    drawn = pdf_plain(logical)
    assert drawn != logical
    assert drawn in text or drawn[::-1] in text
    assert logical in nfkc(text) or nfkc(drawn) in nfkc(text)
    assert ARABIC_FIRST not in text  # never as unjoined letters


def test_letter_without_letterhead_and_with_a_long_address(db: Database, plan: Plan) -> None:
    snapshot = build_invitation_snapshot(db, plan.meeting_id, person_ids=[plan.people["yilmaz"]])
    long_line = "Gemeinschaftsunterkunft " * 8
    letter = replace(
        snapshot.letters[0], address_lines=(long_line, *(f"Zeile {i}" for i in range(12)))
    )
    pdf = render_invitation(replace(snapshot, letters=(letter,)))
    text = " ".join(page_texts(pdf))
    assert "…" not in text  # wrapped at spaces, never cut
    assert count("Gemeinschaftsunterkunft", text) == 8
    assert "Zeile 0" in text
    assert "Zeile 11" in text  # the last lines (the town) stay; the middle gives way


def test_letterhead_with_logo_and_many_address_lines(db: Database, plan: Plan) -> None:
    letterhead = Letterhead("QM", tuple(f"Adresszeile {i}" for i in range(6)), png())
    snapshot = build_invitation_snapshot(
        db, plan.meeting_id, letterhead=letterhead, person_ids=[plan.people["yilmaz"]]
    )
    pdf = render_invitation(snapshot)
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert page["/Resources"]["/XObject"]  # the logo
    text = page_texts(pdf)[0]
    assert "Adresszeile 0" in text  # in the return address at least


def test_cancelled_meeting(db: Database, plan: Plan) -> None:
    snapshot = replace(snapshot_for(db, plan), cancelled=True)
    text = " ".join(page_texts(render_invitation(snapshot)))
    assert _("This meeting has been cancelled.") in text
    assert (
        _("Please reply by {date}.").format(date=format_weekday_date(date(2026, 12, 9))) not in text
    )


def minimal(**changes: object) -> InvitationSnapshot:
    snapshot = InvitationSnapshot(
        meeting_id=1,
        title="Treffen",
        description="",
        start=START,
        end=None,
        planned_end=START,
        venue=None,
        rsvp_by=None,
        agenda=(),
        organiser=None,
        privacy_notice="",
    )
    return replace(snapshot, **changes)  # type: ignore[arg-type]


def test_empty_invitation() -> None:
    pages = page_texts(render_invitation(minimal()))
    assert len(pages) == 1
    text = pages[0]
    assert _("The agenda will follow.") in text
    assert "Treffen" in text
    assert format_time(START) in text
    assert footer(1, 1) in text


def test_long_agenda_splits_with_the_header_on_every_page() -> None:
    description = "Ein langer Text über die Arbeit im Quartier. " * 12
    open_items = tuple(
        OpenItemLine(
            f"Aufgabe {i}", "Jana Hoffmann", date(2026, 1, 1), True, "Herbst", date(2025, 9, 1)
        )
        for i in range(60)
    )
    agenda = [
        AgendaEntry(
            str(i),
            0,
            START + timedelta(minutes=5 * i),
            f"Tagesordnungspunkt {i}",
            description=description,
            presenter=f"Person {i}",
            minutes=5,
        )
        for i in range(1, 41)
    ]
    agenda[1] = replace(agenda[1], lists_open_items=True, open_items=open_items)
    pages = page_texts(render_invitation(minimal(agenda=tuple(agenda))))
    assert len(pages) >= 5
    header = pgettext("agenda table", "Topic")
    assert all(header in page for page in pages[1:] if "Tagesordnungspunkt" in page)
    text = " ".join(pages)
    for i in range(1, 41):
        assert f"Tagesordnungspunkt {i} " in text + " "
    for i in range(60):
        assert f"Aufgabe {i} – Jana Hoffmann" in text
    for number, page in enumerate(pages, start=1):
        assert footer(number, len(pages)) in page


def test_a_description_longer_than_a_page_does_not_break_the_layout() -> None:
    description = "\n".join(f"Zeile {i} der sehr langen Beschreibung" for i in range(120))
    agenda = (AgendaEntry("1", 0, START, "Lang", description=description),)
    pages = page_texts(render_invitation(minimal(agenda=agenda)))
    assert len(pages) >= 2
    text = " ".join(pages)
    assert "Zeile 0 der" in text
    assert "Zeile 119 der" in text


def test_sub_items_are_indented() -> None:
    agenda = (
        AgendaEntry("1", 0, START, "Oberpunkt"),
        AgendaEntry("1.1", 1, START, "Unterpunkt"),
    )
    pdf = render_invitation(minimal(agenda=agenda))
    positions: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], font: object, size: object) -> None:
        for word in ("Oberpunkt", "Unterpunkt"):
            if word in text:
                positions[word] = tm[4]

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert positions["Unterpunkt"] > positions["Oberpunkt"] + 10  # points


def test_contact_and_open_items_placeholder() -> None:
    agenda = (AgendaEntry("1", 0, START, "Offene Aufgaben", lists_open_items=True),)
    snapshot = minimal(
        agenda=agenda,
        organiser=Contact("Anna <anna@x.de>", "Müller & Söhne", "anna@x.de", "0123"),
        venue=VenueBlock("Saal"),
    )
    text = " ".join(page_texts(render_invitation(snapshot)))
    assert _("No open action items.") in text
    assert "Anna <anna@x.de>" in text
    assert "Müller & Söhne" in text
    assert _("E-mail: {address}").format(address="anna@x.de") in text


def test_write_invitation_atomically(tmp_path: Path) -> None:
    target = tmp_path / "einladung.pdf"
    write_invitation(minimal(), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["einladung.pdf"]


def test_english_labels_follow_the_language() -> None:
    from app import i18n

    i18n.set_language("en")
    snapshot = minimal(
        start=datetime(2026, 12, 16, 15, 0, tzinfo=BERLIN), rsvp_by=date(2026, 12, 9)
    )
    text = " ".join(page_texts(render_invitation(snapshot)))
    assert "Invitation" in text
    assert "Please reply by Wednesday, 9 December 2026." in text
    assert "Page 1 of 1" in text
    reader = PdfReader(BytesIO(render_invitation(snapshot)))
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_letter_recipient_without_letterhead() -> None:
    letter = LetterRecipient(
        7,
        "Klaus Ohnemail",
        "Sehr geehrter Herr Ohnemail,",
        ("Herr Klaus Ohnemail", "Hauptstraße 5", "47798 Krefeld"),
    )
    pages = page_texts(render_invitation(minimal(letters=(letter,), issued=date(2026, 11, 25))))
    assert len(pages) == 1
    assert "Herr Klaus Ohnemail Hauptstraße 5 47798 Krefeld" in pages[0]
    assert "Sehr geehrter Herr Ohnemail," in pages[0]
    assert _("Kind regards") in pages[0]
    assert squeeze(_("We would like to invite you to the following meeting.")) in pages[0]


def test_only_the_embedded_dejavu_fonts(db: Database, plan: Plan) -> None:
    snapshot = snapshot_for(db, plan, letters=True)
    reader = PdfReader(BytesIO(render_invitation(snapshot)))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        names |= {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names
    assert all("DejaVuSans" in name for name in names), names
