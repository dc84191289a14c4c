"""The sign-in sheet of the demo's upcoming meeting (67 invitees), read back as the door sees it.

What a volunteer at the door needs: one A–Z run to find a name, 20 names or more on page 1,
no word broken in the middle, and a sheet short enough to hand round (3 or 4 pages).
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.db import Database
from app.documents.signin import notice_reference, render_signin
from app.documents.text import has_rtl
from app.i18n import _
from app.services.snapshots.signin import SigninOptions, build_signin_snapshot
from app.text import fold
from tests.helpers.documents import demo_meeting, page_texts, squeeze


@pytest.fixture(scope="module")
def sheet(demo_network: Database) -> tuple[object, bytes]:
    meeting = demo_meeting(demo_network, "invited")
    snapshot = build_signin_snapshot(demo_network, meeting, SigninOptions())
    return snapshot, render_signin(snapshot)


def _words(pdf: bytes) -> set[str]:
    """Every word of the extracted text, also each part of a hyphenated word."""
    text = " ".join(page_texts(pdf))
    words = set(text.split())
    return words | {part for word in words for part in re.split(r"(?<=-)", word) if part}


def test_the_demo_meeting_has_67_invitees(sheet: tuple[object, bytes]) -> None:
    snapshot, _pdf = sheet
    assert len(snapshot.invitee_rows) == 67  # type: ignore[attr-defined]


def test_one_alphabetical_run_by_last_name(sheet: tuple[object, bytes]) -> None:
    snapshot, pdf = sheet
    rows = snapshot.invitee_rows  # type: ignore[attr-defined]
    assert all(row.group == "" for row in rows)  # no subheadings: there is one run
    # In the printed order the last names never go back in the alphabet.
    text = " ".join(page_texts(pdf))
    positions = [text.index(row.name) for row in rows if not has_rtl(row.name)]
    assert positions == sorted(positions)
    last_names = [fold(row.name.split()[-1]) for row in rows if not has_rtl(row.name)]
    restarts = [n for n in range(1, len(last_names)) if last_names[n][0] < last_names[n - 1][0]]
    assert restarts == []


def test_at_least_20_names_on_page_one_and_four_pages_at_most(
    sheet: tuple[object, bytes],
) -> None:
    snapshot, pdf = sheet
    pages = page_texts(pdf)
    assert len(pages) <= 4
    first = pages[0]
    on_first = [row for row in snapshot.invitee_rows if row.name in first]  # type: ignore[attr-defined]
    assert len(on_first) >= 20
    # The notice in full once, then one line on each later page.
    assert squeeze(snapshot.privacy_notice) in first  # type: ignore[attr-defined]
    assert all(squeeze(notice_reference()) in page for page in pages[1:])
    assert all(squeeze(snapshot.privacy_notice) not in page for page in pages[1:])  # type: ignore[attr-defined]


def test_no_word_is_broken(sheet: tuple[object, bytes]) -> None:
    snapshot, pdf = sheet
    words = _words(pdf)
    for row in snapshot.invitee_rows:  # type: ignore[attr-defined]
        for text in (row.name, row.organisation, row.function):
            if has_rtl(text):
                continue  # shaped into presentation forms; checked in test_signin_pdf
            for word in text.split():
                parts = [part for part in re.split(r"(?<=-)", word) if part]
                assert word in words or all(part in words for part in parts), (word, text)
    # "e. V." stays on one line (as do "Dr." and its name).
    lines = [
        line.strip()
        for page in PdfReader(BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    assert not [line for line in lines if re.search(r"\b(e\.|Dr\.)$", line)]


def test_grouped_by_organisation_with_headings(demo_network: Database) -> None:
    meeting = demo_meeting(demo_network, "invited")
    snapshot = build_signin_snapshot(
        demo_network, meeting, SigninOptions(order="organisation", declined="excused")
    )
    pages = page_texts(render_signin(snapshot))
    text = " ".join(pages)
    groups = list(dict.fromkeys(row.group for row in snapshot.invitee_rows))
    assert groups[-1] == _("Excused")
    for group in groups:
        assert group in text, group
    reader = PdfReader(BytesIO(render_signin(snapshot)))
    assert len(reader.pages) == len(pages)
