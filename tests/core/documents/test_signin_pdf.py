"""The sign-in sheet PDF, read back through its text: names, header, footer, pages."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from app import i18n
from app.db import Database
from app.documents.fonts import REGULAR
from app.documents.signin import SigninRenderer, notice_reference, render_signin, write_signin
from app.documents.text import has_rtl, pdf_plain
from app.i18n import _, format_weekday_date
from app.models import InvitationState
from app.services.snapshots.signin import (
    SigninOptions,
    SigninRow,
    SigninSnapshot,
    build_signin_snapshot,
    default_privacy_notice,
)
from tests.helpers.documents import Invitee, add_meeting, count, page_texts, squeeze

SPECIAL = [
    Invitee("<b>offen", "Ende", "Müller & Söhne <GmbH>", "<i>Leitung"),
    Invitee("Anna", "<anna@x.de>", "<img src='/etc/passwd'>", "Kasse & Co"),
    Invitee("Ayşe", "Yılmaz", "Gemeinschaftsunterkunft Şişli", "Sozialarbeit"),
    Invitee("Işıl", "Kılıç", "Türkischer Elternverein", ""),
    Invitee("Łukasz", "Żółć", "Polnische Mission", "Ehrenamt"),
    Invitee(
        unicodedata.normalize("NFD", "Nguyễn Thị"),
        unicodedata.normalize("NFD", "Minh Khai"),
        "Vietnamesischer Kulturverein",
        unicodedata.normalize("NFD", "Übersetzung"),
    ),
    Invitee("Олександр", "Шевченко", "Українська громада", "Голова"),
    Invitee("Renée", "Öztürk-Weiß", None, "Nachbarin"),
]
ARABIC = Invitee("محمد", "عبد الله", "جمعية الجالية العربية", "")


def header_labels() -> list[str]:
    return [
        _("No."),
        _("Name"),
        _("Organisation"),
        _("Function"),
        _("Photo consent"),
        _("Signature"),
    ]


def footer(page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=page, pages=pages)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def many(n: int, start: int = 0) -> list[Invitee]:
    return [
        Invitee(f"Vorname{i:04d}", f"Nachname{i:04d}", f"Organisation {i % 40}", "Mitarbeit")
        for i in range(start, start + n)
    ]


@dataclass(frozen=True)
class Sheet:
    snapshot: SigninSnapshot
    pdf: bytes
    pages: list[str]  # extracted once: reading 18 pages back takes most of a second


@pytest.fixture(scope="module")
def sheet_300(tmp_path_factory: pytest.TempPathFactory) -> Sheet:
    """300 invitees (the special names among them) and 10 blank rows, written to a file."""
    i18n.set_language("de")  # module scope runs before the autouse fixture that does this
    database = Database.create(tmp_path_factory.mktemp("signin") / "t.db")
    try:
        invitees = [*SPECIAL, ARABIC, *many(300 - len(SPECIAL) - 1)]
        meeting = add_meeting(
            database,
            invitees,
            organiser=Invitee("Petra", "Quartier", "Quartiersmanagement Stahldorf", groups=()),
        )
        snapshot = build_signin_snapshot(database, meeting, SigninOptions(order="organisation"))
    finally:
        database.close()
    path = tmp_path_factory.mktemp("out") / "anwesenheitsliste.pdf"
    write_signin(snapshot, path)
    pdf = path.read_bytes()
    return Sheet(snapshot, pdf, page_texts(pdf))


def test_every_invitee_is_printed_literally(sheet_300: Sheet) -> None:
    snapshot = sheet_300.snapshot
    pages = sheet_300.pages
    text = " ".join(pages)
    for invitee in SPECIAL:
        name = unicodedata.normalize("NFC", f"{invitee.first} {invitee.last}")
        assert count(name, text) == 1, name
        if invitee.organisation:
            assert invitee.organisation in text
    for expected in (
        "<b>offen Ende",
        "Müller & Söhne <GmbH>",
        "<i>Leitung",
        "Anna <anna@x.de>",
        "<img src='/etc/passwd'>",
        "Kasse & Co",
        "Nguyễn Thị Minh Khai",
        "Übersetzung",
        "Işıl Kılıç",
        "Łukasz Żółć",
        "Олександр Шевченко",
        "Українська громада",
    ):
        assert expected in text, expected
    for row in snapshot.invitee_rows:
        if not has_rtl(row.name):  # RTL names: see the next test
            assert count(row.name, text) == 1, row.name
    assert "&amp;" not in text
    assert "&lt;" not in text


def test_arabic_names_are_joined_and_in_visual_order(
    sheet_300: Sheet,
) -> None:
    text = " ".join(sheet_300.pages)
    for logical in ("محمد عبد الله", "جمعية الجالية العربية"):
        drawn = pdf_plain(logical)  # presentation forms, right to left
        assert drawn != logical
        # pypdf reads the drawn glyphs back either as drawn or re-ordered into logical order.
        assert drawn in text or drawn[::-1] in text
        assert logical in nfkc(text) or nfkc(drawn) in nfkc(text)
    assert "محمد" not in text  # never printed as unjoined letters


def test_nfd_input_prints_composed(sheet_300: Sheet) -> None:
    text = " ".join(sheet_300.pages)
    assert unicodedata.normalize("NFD", "Nguyễn") not in text
    assert "Nguyễn Thị Minh Khai" in text


def test_pages_header_row_and_footer_on_every_page(
    sheet_300: Sheet,
) -> None:
    snapshot = sheet_300.snapshot
    pages = sheet_300.pages
    assert 12 <= len(pages) <= 16  # 310 rows of 7.2 mm on A4 landscape
    header = squeeze(" ".join(header_labels()))
    notice = squeeze(snapshot.privacy_notice)
    reference = squeeze(notice_reference())
    for number, text in enumerate(pages, start=1):
        assert footer(number, len(pages)) in text
        # The notice in full on page 1, a one-line reference on every later page.
        if number == 1:
            assert notice in text
            assert reference not in text
        else:
            assert notice not in text
            assert reference in text
        if number < len(pages):  # the last page may hold only the walk-in rows
            assert header in text
    assert header in pages[-1] or squeeze(_("Further participants")) in pages[-1]


def test_rows_are_never_split_and_none_is_lost(sheet_300: Sheet) -> None:
    snapshot = sheet_300.snapshot
    pages = sheet_300.pages
    names = [row.name for row in snapshot.invitee_rows if row.name.startswith("Vorname")]
    on_page = {name: [i for i, text in enumerate(pages) if name in text] for name in names}
    assert all(len(found) == 1 for found in on_page.values())
    assert sorted(on_page, key=lambda name: on_page[name][0]) == names  # in order


def test_first_page_header_block(sheet_300: Sheet) -> None:
    snapshot = sheet_300.snapshot
    pages = sheet_300.pages
    first = pages[0]
    for expected in (
        snapshot.network,
        _("Sign-in sheet"),
        "Auftakt-Netzwerktreffen der Impuls.Ag",
        format_weekday_date(snapshot.date),
        "14:00–16:30",
        "Museumscafé K+, Saal 2, Museumsstraße 1, 12345 Gatherhof",
        "Petra Quartier, Quartiersmanagement Stahldorf",
    ):
        assert squeeze(expected) in first, expected
    assert snapshot.network == "Impuls.Ag"


def test_running_header_names_the_meeting_on_later_pages(
    sheet_300: Sheet,
) -> None:
    snapshot = sheet_300.snapshot
    pages = sheet_300.pages
    for text in pages[1:]:
        assert squeeze(f"{_('Sign-in sheet')} · {snapshot.title}") in text


def test_photo_consent_boxes_and_walk_in_rows(sheet_300: Sheet) -> None:
    snapshot = sheet_300.snapshot
    pages = sheet_300.pages
    text = " ".join(pages)
    boxes = squeeze(f"☐ {_('yes')} ☐ {_('no')}")
    assert count(boxes, text) == len(snapshot.rows)  # 300 invitees + 10 walk-ins
    assert count(squeeze(_("Further participants")), text) == 1
    # The e-mail column (instead of the function) exists only for walk-ins; the footer's
    # notice may mention e-mail too, so look for the column heading in its place.
    assert count(f"{_('Organisation')} {_('E-mail')}", text) == 1
    walk_ins = text[text.index(squeeze(_("Further participants"))) :]
    assert all(re.search(rf"\b{number}\b", walk_ins) for number in range(301, 311))


def test_metadata(sheet_300: Sheet) -> None:
    snapshot = sheet_300.snapshot
    pdf = sheet_300.pdf
    meta = PdfReader(BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == f"{_('Sign-in sheet')}: {snapshot.title}"
    assert meta.author == "Petra Quartier, Quartiersmanagement Stahldorf"
    assert format_weekday_date(snapshot.date) in (meta.subject or "")
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


def test_excused_are_marked(db: Database) -> None:
    meeting = add_meeting(
        db,
        [
            Invitee("Anna", "Becker", "Quartiersbüro Lehmheide", state=InvitationState.DECLINED),
            Invitee("Jan", "Kowalski", "SV Gatherhof"),
        ],
    )
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(declined="excused", blank_rows=0))
    text = " ".join(page_texts(render_signin(snapshot)))
    assert re.search(rf"Anna Becker .*{re.escape(_('excused'))}", text)
    assert count(squeeze(f"☐ {_('yes')} ☐ {_('no')}"), text) == 1  # only Jan signs
    assert _("Further participants") not in text


def make_snapshot(rows: list[SigninRow], **changes: object) -> SigninSnapshot:
    values: dict[str, object] = {
        "meeting_id": 1,
        "network": "Impuls.Ag",
        "title": "Netzwerktreffen",
        "start": datetime(2026, 12, 3, 13, tzinfo=UTC),
        "end": None,
        "venue_name": "",
        "venue_address": "",
        "venue_room": "",
        "organiser": "",
        "privacy_notice": default_privacy_notice("Quartiersmanagement"),
        "rows": tuple(rows),
    }
    values.update(changes)
    return SigninSnapshot(**values)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_thousand_row_sheet(tmp_path: Path) -> None:
    rows = [
        SigninRow(
            number=i,
            name=f"Teilnehmerin {i:04d}",
            organisation=f"Organisation {i % 40}",
            function="Mitarbeit",
        )
        for i in range(1, 991)
    ]
    rows += [SigninRow(number=i, blank=True) for i in range(991, 1001)]
    snapshot = make_snapshot(rows)
    path = tmp_path / "gross.pdf"
    write_signin(snapshot, path)
    pages = page_texts(path.read_bytes())
    assert 38 <= len(pages) <= 46
    header = squeeze(" ".join(header_labels()))
    names_seen = 0
    for number, text in enumerate(pages, start=1):
        assert footer(number, len(pages)) in text
        assert (squeeze(snapshot.privacy_notice) in text) == (number == 1)
        assert header in text or number == len(pages)
        names_seen += count("Teilnehmerin ", text)
    assert names_seen == 990
    assert "Teilnehmerin 0990" in " ".join(pages)


def test_long_names_wrap_or_are_cut_inside_their_cell() -> None:
    long_name = (
        "Prof. Dr. Maximiliane-Charlotte Friederike von "
        "Hohenzollern-Sigmaringen-Brandenburg-Schwerin"
    )
    endless = " ".join(["Nachbarschaftsarbeit"] * 30)
    snapshot = make_snapshot(
        [
            SigninRow(number=1, name=long_name, organisation="Müller & Söhne <GmbH>"),
            SigninRow(number=2, name="Kurz", organisation=endless),
        ]
    )
    text = page_texts(render_signin(snapshot))[0]
    assert long_name.replace(" ", "") in text.replace(" ", "")  # wrapped, complete
    # Cut after a whole word where even the smallest size is too big.
    assert "Nachbarschaftsarbeit…" in text
    assert 3 < count("Nachbarschaftsarbeit", text) < 30


def test_empty_sheet_says_so() -> None:
    text = page_texts(render_signin(make_snapshot([])))[0]
    assert squeeze(_("No one is invited to this meeting yet.")) in text


def test_row_numbers_fit_their_column() -> None:
    renderer = SigninRenderer(make_snapshot([]))
    room = renderer.invitee_widths[0] - 2 * renderer.cell_padding
    assert stringWidth("1000", REGULAR, renderer.name_steps[0][0]) <= room
    assert renderer.walkin_widths[0] == renderer.invitee_widths[0]
    assert sum(renderer.invitee_widths) == pytest.approx(renderer.content_width)
    assert sum(renderer.walkin_widths) == pytest.approx(renderer.content_width)


def test_notice_height_moves_the_frame_not_over_the_table() -> None:
    short = SigninRenderer(make_snapshot([], privacy_notice="Kurz."))
    long = SigninRenderer(make_snapshot([], privacy_notice=" ".join(["Datenschutz"] * 200)))
    assert long.bottom_margin > short.bottom_margin


def test_markup_in_header_and_footer_prints_literally() -> None:
    rows = [SigninRow(number=i, name=f"Person {i}") for i in range(1, 40)]  # two pages
    snapshot = make_snapshot(
        rows,
        network="Müller & Söhne <GmbH>",
        title="Netzwerk <b>offen & frei",
        venue_name="Café <Ecke>",
        organiser="Anna <anna@x.de>",
        privacy_notice="Verantwortlich: <img src='/etc/passwd'> & Co <font size=40>",
    )
    first, second = page_texts(render_signin(snapshot))[:2]
    notice = "Verantwortlich: <img src='/etc/passwd'> & Co <font size=40>"
    for literal in (
        "Müller & Söhne <GmbH>",
        "Netzwerk <b>offen & frei",
        "Café <Ecke>",
        "Anna <anna@x.de>",
        notice,
    ):
        assert literal in first, literal
    assert "Netzwerk <b>offen & frei" in second  # running header
    assert squeeze(notice_reference()) in second  # the footer refers to page 1


def test_rendering_a_snapshot_loads_no_database_code() -> None:
    """The sheet renders from its frozen snapshot: no SQLAlchemy, no models, no settings
    service (the render costs about what bare ReportLab costs: benchmarks/signin_sheet.py)."""
    script = (
        "import sys\n"
        "from app.documents.signin import write_signin\n"
        "heavy = ('sqlalchemy', 'app.models', 'app.services.settings', 'app.services.directory')\n"
        "print(sorted(name for name in sys.modules if name.startswith(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"
