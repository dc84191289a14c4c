"""Paper invitations in DIN 5008 form B: read back with coordinates, and ``pdf letters``.

Positions come from pypdf's text visitor, converted to millimetres from the top left corner
of the sheet, the way the standard measures: the window of a DL envelope shows 20–105 mm
from the left and 45–90 mm from the top; the return address sits in its top 17.7 mm.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.cli import main
from app.db import Database
from app.documents import din5008
from app.documents.fonts import REGULAR, register_fonts
from app.documents.invitation import render_invitation
from app.i18n import _
from app.models import AddressKind, Person, Salutation
from app.services.letterhead import Letterhead, save_letterhead
from app.services.letters import letters_snapshot, no_address, no_address_message
from app.services.snapshots.invitation import build_invitation_snapshot
from tests.core.documents.conftest import page_texts
from tests.core.documents.test_invitation_snapshot import Plan, build_plan

cli_main = importlib.import_module("app.cli.main")
MM = 72 / 25.4
LETTERHEAD = Letterhead(
    "Stadt Krefeld – Soziales Quartiersmanagement",
    ("Fachbereich Soziales, Senioren und Wohnen", "Von-der-Leyen-Platz 1", "47798 Krefeld"),
)


@dataclass(frozen=True)
class Run:
    x: float  # mm from the left edge
    y: float  # mm from the top edge (baseline)
    text: str
    size: float


def runs(pdf: bytes, page: int = 0) -> list[Run]:
    reader = PdfReader(BytesIO(pdf))
    sheet = reader.pages[page]
    height = float(sheet.mediabox.height)
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Run(x / MM, (height - y) / MM, text.strip(), size * abs(cm[3] or 1)))

    sheet.extract_text(visitor_text=visit)
    return found


def in_window(run: Run) -> bool:
    return 20 <= run.x <= 105 and 45 <= run.y <= 90


@pytest.fixture
def plan(db: Database) -> Plan:
    plan = build_plan(db)
    with db.write() as session:
        widerruf = session.get(Person, plan.people["widerruf"])
        assert widerruf is not None
        widerruf.street, widerruf.postcode, widerruf.city = "Dionysiusstraße 14", "47798", "Krefeld"
        widerruf.address_kind = AddressKind.PRIVATE
        kaputt = session.get(Person, plan.people["kaputt"])
        assert kaputt is not None
        kaputt.street, kaputt.postcode, kaputt.city = "Rue de la Loi 16", "1000", "Bruxelles"
        kaputt.country = "Belgien"
    save_letterhead(db, LETTERHEAD)
    return plan


def letter_pdf(db: Database, plan: Plan, key: str) -> bytes:
    snapshot = build_invitation_snapshot(
        db, plan.meeting_id, letterhead=LETTERHEAD, person_ids=[plan.people[key]]
    )
    return render_invitation(snapshot)


def test_address_block_in_the_window_in_din_order(db: Database, plan: Plan) -> None:
    pdf = letter_pdf(db, plan, "ohnemail")  # no e-mail; his organisation's address
    window = [run for run in runs(pdf) if in_window(run)]
    texts = [run.text for run in window]
    # Return address in the note zone (top 17.7 mm of the window), the recipient below it.
    (return_line,) = [run for run in window if "Von-der-Leyen-Platz 1" in run.text]
    assert 45 < return_line.y < 62.7
    assert "…" not in return_line.text
    recipient = [run for run in window if run.y > 62.7]
    assert [run.text for run in recipient] == [
        "Müller & Söhne <GmbH>",
        "Herr Klaus Ohnemail",
        "Hauptstraße 5",
        "47798 Krefeld",
    ]
    assert all(abs(run.x - 25) < 0.2 for run in recipient)  # 5 mm inside the window
    assert all(run.y + 1 < 90 for run in recipient)  # the whole block shows
    assert [run.y for run in recipient] == sorted(run.y for run in recipient)
    assert all(run.size >= 8 for run in recipient)
    assert texts.index(return_line.text) < texts.index("Herr Klaus Ohnemail")
    # Date and contact in the information block at 125 mm, not in the window.
    date_runs = [run for run in runs(pdf) if run.text == _("Date") and run.y < 95]
    assert date_runs
    assert all(abs(run.x - 125) < 0.2 and 50 <= run.y <= 90 for run in date_runs)


def test_private_address_has_no_organisation_line(db: Database, plan: Plan) -> None:
    recipient = [run.text for run in runs(letter_pdf(db, plan, "widerruf")) if run.y > 62.7]
    assert recipient[:3] == ["Frau Petra Widerruf", "Dionysiusstraße 14", "47798 Krefeld"]


def test_foreign_address_ends_with_the_country_in_capitals(db: Database, plan: Plan) -> None:
    window = [r for r in runs(letter_pdf(db, plan, "kaputt")) if in_window(r) and r.y > 62.7]
    assert [run.text for run in window] == [
        "Herr Bernd Kaputt",
        "Rue de la Loi 16",
        "1000 Bruxelles",
        "BELGIEN",
    ]


def test_salutation_subject_and_page_numbers_from_page_two(db: Database, plan: Plan) -> None:
    pdf = letter_pdf(db, plan, "ohnemail")
    pages = page_texts(pdf)
    first = runs(pdf)
    subject = next(run for run in first if run.text.startswith(_("Invitation") + ":"))
    assert subject.y >= din5008.SUBJECT_TOP / MM - 1  # below the window and the fold
    salutation = next(run for run in first if run.text == "Sehr geehrter Herr Ohnemail,")
    assert salutation.y > subject.y
    assert _("Page {page} of {pages}").format(page=1, pages=len(pages)) not in pages[0]
    if len(pages) > 1:
        assert _("Page {page} of {pages}").format(page=2, pages=len(pages)) in pages[1]


def test_return_address_is_shortened_in_whole_parts_never_cut() -> None:
    register_fonts()
    name = "Stadt Krefeld – Soziales Quartiersmanagement Bleichpfad/Hardenberg und Gatherhof"
    lines = (
        "Fachbereich Soziales, Senioren, Wohnen und Integration",
        "Westwall 102",
        "47798 Krefeld",
    )
    fitted = din5008.fit_return_address(name, lines)
    (line,) = fitted.lines
    assert line == "Stadt Krefeld · Westwall 102 · 47798 Krefeld"
    assert stringWidth(line, REGULAR, fitted.size) <= din5008.ADDRESS_TEXT_WIDTH
    short = din5008.fit_return_address("QM Lehmheide", ("Lehmheider Str. 3", "47805 Krefeld"))
    assert short.lines == ("QM Lehmheide · Lehmheider Str. 3 · 47805 Krefeld",)
    assert short.size == din5008.RETURN_SIZES[0]  # a short one keeps 8 pt


def test_return_address_too_long_for_one_line_wraps_at_a_separator() -> None:
    register_fonts()
    name = "Arbeitsgemeinschaft der Wohlfahrtsverbände Krefeld"
    fitted = din5008.fit_return_address(name, ("Friedrich-Ebert-Straße 123a", "47799 Krefeld"))
    assert fitted.lines == (name, "Friedrich-Ebert-Straße 123a · 47799 Krefeld")
    longer = "Arbeitsgemeinschaft der Wohlfahrtsverbände und Migrantenselbstorganisationen"
    fitted = din5008.fit_return_address(longer, ("Friedrich-Ebert-Straße 123a", "47799 Krefeld"))
    assert len(fitted.lines) <= 5  # the note zone's lines
    assert " ".join(fitted.lines).split() == [
        *longer.split(),
        "Friedrich-Ebert-Straße",
        "123a",
        "·",
        "47799",
        "Krefeld",
    ]
    for line in fitted.lines:
        assert "…" not in line
        assert stringWidth(line, REGULAR, fitted.size) <= din5008.ADDRESS_TEXT_WIDTH


def test_long_organisation_wraps_at_spaces_and_never_mid_word() -> None:
    register_fonts()
    organisation = (
        "Gemeinschaftsunterkunft für Geflüchtete Westparkstraße der Diakonie Krefeld und Viersen"
    )
    fitted = din5008.fit_address_block(
        [
            organisation,
            "Frau Prof. Dr. Anna-Lena Müller-Lüdenscheidt",
            "Westparkstraße 7",
            "47803 Krefeld",
        ]
    )
    words = " ".join(fitted.lines).split()
    name = ["Frau", "Prof.", "Dr.", "Anna-Lena", "Müller-Lüdenscheidt"]
    assert words == [*organisation.split(), *name, "Westparkstraße", "7", "47803", "Krefeld"]
    assert fitted.lines[-1] == "47803 Krefeld"
    assert len(fitted.lines) <= din5008.address_lines_room(fitted.size)
    for line in fitted.lines:
        assert stringWidth(line, REGULAR, fitted.size) <= din5008.ADDRESS_TEXT_WIDTH


def test_who_has_no_usable_address_is_listed(db: Database, plan: Plan) -> None:
    snapshot = letters_snapshot(db, plan.meeting_id, today=date(2026, 11, 25))
    missing = {letter.person_id for letter in no_address(snapshot)}
    # No address of their own, no organisation (the archived one gets a letter too).
    assert missing == {plan.people["arabic"], plan.people["archived"]}
    message = no_address_message(no_address(snapshot))
    assert "Anna Archiv" in message
    # Still printed: name only, for handing over.
    pdf = render_invitation(snapshot)
    assert len(PdfReader(BytesIO(pdf)).pages) >= len(snapshot.letters)


# -- the command line ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_pdf_letters_for_invitees_without_email(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "briefe.pdf"
    code, out, err = run(
        capsys, "--db", db_arg, "pdf", "letters", str(plan.meeting_id), "-o", str(target)
    )
    assert code == 0
    assert str(target) in out
    # The one without a usable postal address, on stderr, before anything is posted.
    assert len(err.strip().splitlines()) == 1
    assert "Anna Archiv" in err
    text = " ".join(page_texts(target.read_bytes()))
    assert "Sehr geehrter Herr Ohnemail," in text
    assert "Sehr geehrte Frau Widerruf," in text  # e-mail consent withdrawn: a letter
    assert "Yılmaz," not in text  # reachable by e-mail: no letter


def test_pdf_letters_all_invitees(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "alle.pdf"
    code, _out, _err = run(
        capsys,
        "--db",
        db_arg,
        "pdf",
        "letters",
        str(plan.meeting_id),
        "-o",
        str(target),
        "--all",
    )
    assert code == 0
    text = " ".join(page_texts(target.read_bytes()))
    assert "Sehr geehrte Frau Dr. Yılmaz," in text
    assert "Sehr geehrter Herr Ohnemail," in text


def test_pdf_letters_unknown_meeting_writes_nothing(
    capsys: pytest.CaptureFixture[str], db_arg: str, plan: Plan, tmp_path: Path
) -> None:
    target = tmp_path / "x.pdf"
    code, out, err = run(capsys, "--db", db_arg, "pdf", "letters", "999", "-o", str(target))
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert not target.exists()


def test_salutation_of_people_without_salutation(db: Database, plan: Plan) -> None:
    with db.write() as session:
        person = session.get(Person, plan.people["ohnemail"])
        assert person is not None
        person.salutation = Salutation.NONE
    recipient = [run.text for run in runs(letter_pdf(db, plan, "ohnemail")) if run.y > 62.7]
    assert "Klaus Ohnemail" in recipient[:3]
