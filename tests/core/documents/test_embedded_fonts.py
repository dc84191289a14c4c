"""Every font in every PDF is embedded: no base font (Helvetica) a printer must substitute.

Walks every page's font resources, and those of the form XObjects drawn on it (page counts,
footers, running headers), and asks each font for its embedded font program
(``/FontFile``, ``/FontFile2`` or ``/FontFile3`` in its descriptor; for composite fonts in
the descendant's). A base-14 font such as Helvetica has no descriptor at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.db import Database
from app.documents.access_report import render_person_report
from app.documents.figures import render_figures_pdf
from app.documents.invitation import render_invitation
from app.documents.minutes import render_minutes
from app.documents.signin import render_signin
from app.services.letterhead import load_letterhead
from app.services.letters import letters_snapshot
from app.services.privacy import export_person
from app.services.reporting.figures import period_figures
from app.services.snapshots.invitation import build_invitation_snapshot
from app.services.snapshots.minutes import build_minutes_snapshot
from app.services.snapshots.signin import SigninOptions, build_signin_snapshot
from tests.helpers.documents import demo_meeting

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def font_report(pdf: bytes) -> dict[str, bool]:
    """{font name: embedded?} over all pages and the forms they draw."""
    reader = PdfReader(BytesIO(pdf))
    found: dict[str, bool] = {}
    seen: set[int] = set()

    def walk(resources: Any) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or DictionaryObject()).get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in _FONT_FILES
            )
            name = str(font.get("/BaseFont"))
            found[name] = found.get(name, True) and embedded
        for ref in (resources.get("/XObject") or DictionaryObject()).get_object().values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def _invitation(db: Database) -> bytes:
    meeting = demo_meeting(db, "invited")
    return render_invitation(build_invitation_snapshot(db, meeting, letterhead=load_letterhead(db)))


def _letters(db: Database) -> bytes:
    meeting = demo_meeting(db, "invited")
    return render_invitation(letters_snapshot(db, meeting, all_invitees=True))


def _signin(db: Database) -> bytes:
    meeting = demo_meeting(db, "invited")
    options = SigninOptions(order="organisation", declined="excused")
    return render_signin(build_signin_snapshot(db, meeting, options, letterhead=None))


def _minutes_final(db: Database) -> bytes:
    meeting = demo_meeting(db, "minutes_final")
    return render_minutes(build_minutes_snapshot(db, meeting, letterhead=load_letterhead(db)))


def _minutes_draft(db: Database) -> bytes:
    meeting = demo_meeting(db, "minutes_draft")
    return render_minutes(build_minutes_snapshot(db, meeting))


def _access_report(db: Database) -> bytes:
    from app.services.directory import list_people

    person = next(row.id for row in list_people(db) if row.last_name == "Al-Khatib")
    return render_person_report(export_person(db, person))


def _figures(db: Database) -> bytes:
    return render_figures_pdf(period_figures(db, date(2022, 1, 1), date(2023, 12, 31)))


DOCUMENTS: dict[str, Callable[[Database], bytes]] = {
    "invitation": _invitation,
    "letters": _letters,
    "signin": _signin,
    "minutes (final)": _minutes_final,
    "minutes (draft)": _minutes_draft,
    "Art. 15 report": _access_report,
    "figures": _figures,
}


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_font_is_embedded(demo_network: Database, kind: str) -> None:
    fonts = font_report(DOCUMENTS[kind](demo_network))
    assert fonts, "no fonts found: the check itself is broken"
    assert {name: embedded for name, embedded in fonts.items() if not embedded} == {}
    assert not any("Helvetica" in name for name in fonts)


def test_the_check_finds_a_base_font() -> None:
    """The check must be able to fail: a bare ReportLab canvas uses Helvetica."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer, initialFontName="Helvetica")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(100, 100, "Hallo")
    canvas.save()
    assert font_report(buffer.getvalue()) == {"/Helvetica": False}
