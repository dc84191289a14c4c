"""Layout of long minutes from hand-made snapshots: page breaks, repeated table headers,
headings kept with their first paragraph, long names, very long notes, empty parts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.db import Database
from app.documents.minutes import numbered_title, render_minutes
from app.i18n import _, format_date, pgettext
from app.models import ActionItemStatus, Meeting, MinutesState
from app.services.minutes.markup import parse_notes
from app.services.snapshots.minutes import (
    ActionEntry,
    Attendee,
    DecisionEntry,
    MinutesSnapshot,
    PresentGroup,
    TopEntry,
    build_minutes_snapshot,
)
from tests.helpers.documents import page_texts


def footer(page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=page, pages=pages)


def heading(number: str, title: str) -> str:
    return _("Item {number}: {title}").format(number=number, title=title)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> MinutesSnapshot:
    """A real (empty) snapshot to vary: everything the hand-made ones do not set."""
    from app import i18n

    i18n.set_language("de")
    database = Database.create(tmp_path_factory.mktemp("layout") / "t.db")
    try:
        with database.write() as session:
            meeting = Meeting(
                title="Großes Netzwerktreffen", start=datetime(2026, 3, 4, 16, tzinfo=UTC)
            )
            session.add(meeting)
            session.flush()
            meeting_id = meeting.id
        return build_minutes_snapshot(database, meeting_id)
    finally:
        database.close()


def big(
    base: MinutesSnapshot, *, attendees: int = 300, tops: int = 30, actions_per_top: int = 3
) -> MinutesSnapshot:
    groups = []
    for org in range(40):
        people = tuple(
            Attendee(f"Vorname{i:03d} Nachname{i:03d}", f"Organisation {org:02d}", person_id=i)
            for i in range(org, attendees, 40)
        )
        if people:
            groups.append(PresentGroup(f"Organisation {org:02d}", people))
    agenda = []
    summary: list[ActionEntry] = []
    for n in range(1, tops + 1):
        notes = parse_notes(
            f"Absatz eins von TOP {n}: "
            + "Die Runde bespricht den Stand im Quartier. " * 6
            + f"\n\nAbsatz zwei von TOP {n} mit **fettem Text**.\n\n"
            "- erster Punkt\n- zweiter Punkt\n- dritter Punkt"
        )
        actions = tuple(
            ActionEntry(
                id=n * 10 + k,
                agenda_number=str(n),
                text=f"Aufgabe {n}.{k} erledigen",
                owner=f"Verantwortliche {k}",
                due=date(2026, 4, k + 1),
                status=ActionItemStatus.OPEN,
                done_at=None,
            )
            for k in range(actions_per_top)
        )
        decisions = (DecisionEntry(n, f"Beschluss zu TOP {n}", 20, 1, 2),) if n % 2 else ()
        agenda.append(
            TopEntry(
                id=n,
                number=str(n),
                depth=0,
                title=f"Thema {n}",
                presenter=f"Person {n}",
                description="",
                notes=tuple(notes),
                notes_text="",
                decisions=decisions,
                actions=actions,
            )
        )
        summary += actions
    return replace(
        base,
        present=tuple(groups),
        agenda=tuple(agenda),
        action_summary=tuple(summary),
        state=MinutesState.FINAL,
    )


@pytest.fixture(scope="module")
def long_minutes(base: MinutesSnapshot) -> tuple[MinutesSnapshot, list[str]]:
    snapshot = big(base)
    return snapshot, page_texts(render_minutes(snapshot))


def test_page_count_and_numbers(long_minutes: tuple[MinutesSnapshot, list[str]]) -> None:
    _snapshot, pages = long_minutes
    assert 10 <= len(pages) <= 30
    for number, page in enumerate(pages, start=1):
        assert footer(number, len(pages)) in page
    assert not any(_("DRAFT") in page for page in pages)


def test_every_attendee_once(long_minutes: tuple[MinutesSnapshot, list[str]]) -> None:
    snapshot, pages = long_minutes
    # Running header and page number removed: a name may wrap from one page to the next.
    running = f"{numbered_title(snapshot.number)} · {snapshot.title} · "
    running += format_date(snapshot.date)
    text = " ".join(
        page.replace(footer(number, len(pages)), "").replace(running, "")
        for number, page in enumerate(pages, start=1)
    )
    text = " ".join(text.split())
    for i in range(300):
        assert text.count(f"Vorname{i:03d} Nachname{i:03d}") == 1
    assert _("Present from the network ({n})").format(n=300) in text


def test_headings_stay_with_their_first_paragraph(
    long_minutes: tuple[MinutesSnapshot, list[str]],
) -> None:
    _snapshot, pages = long_minutes

    def page_of(needle: str) -> int:
        found = [index for index, page in enumerate(pages) if needle in page]
        assert len(found) == 1, needle
        return found[0]

    for n in range(1, 31):
        assert page_of(heading(str(n), f"Thema {n}") + " ") == page_of(f"Absatz eins von TOP {n}:")


def test_summary_table_repeats_its_header(long_minutes: tuple[MinutesSnapshot, list[str]]) -> None:
    snapshot, pages = long_minutes
    text = " ".join(pages)
    for action in snapshot.action_summary:
        assert text.count(action.text) == 2  # under its TOP and in the summary
    start = next(
        i
        for i, page in enumerate(pages)
        if _("Action items") in page and pgettext("agenda table", "Item") in page
    )
    summary_pages = [page for page in pages[start:] if "erledigen" in page]
    assert len(summary_pages) >= 2
    for page in summary_pages:
        for label in (_("What"), _("Who"), _("Due"), _("Status")):
            assert label in page


def test_a_note_longer_than_a_page(base: MinutesSnapshot) -> None:
    lines = "\n".join(f"Zeile {i} einer sehr langen Mitschrift" for i in range(200))
    top = TopEntry(
        id=1,
        number="1",
        depth=0,
        title="Lang",
        presenter="",
        description="",
        notes=tuple(parse_notes(lines)),
        notes_text=lines,
        decisions=(),
        actions=(),
    )
    pages = page_texts(render_minutes(replace(base, agenda=(top,))))
    assert len(pages) >= 3
    text = " ".join(pages)
    assert "Zeile 0 einer" in text
    assert "Zeile 199 einer" in text


def test_long_names_and_many_carried_items_wrap(base: MinutesSnapshot) -> None:
    name = "Hohenzollern-Sigmaringen-" * 6 + "Ende"
    group = PresentGroup("Gemeinschaftsunterkunft " * 10, (Attendee(name, "x"),))
    action = ActionEntry(
        id=1,
        agenda_number=None,
        text="Sehr lange Aufgabe " * 30,
        owner=name,
        due=None,
        status=ActionItemStatus.DONE,
        done_at=None,
    )
    snapshot = replace(
        base, present=(group,), action_summary=(action,), unassigned_actions=(action,)
    )
    pages = page_texts(render_minutes(snapshot))
    text = " ".join(pages)
    assert "Ende" in text
    assert _("Further decisions and action items") in text
    assert "–" in text  # the summary's TOP column of an item whose TOP was removed


def test_empty_tops_say_so(base: MinutesSnapshot) -> None:
    top = TopEntry(
        id=1,
        number="1",
        depth=0,
        title="Ohne Notizen",
        presenter="",
        description="",
        notes=(),
        notes_text="",
        decisions=(),
        actions=(),
    )
    sub = replace(top, id=2, number="1.1", depth=1, title="Unterpunkt")
    text = " ".join(page_texts(render_minutes(replace(base, agenda=(top, sub)))))
    assert heading("1", "Ohne Notizen") in text
    assert heading("1.1", "Unterpunkt") in text
    assert text.count(_("No notes.")) == 2


def test_sub_items_use_a_smaller_heading(base: MinutesSnapshot) -> None:
    top = TopEntry(
        id=1,
        number="1",
        depth=0,
        title="Oben",
        presenter="",
        description="",
        notes=(),
        notes_text="",
        decisions=(),
        actions=(),
    )
    sub = replace(top, id=2, number="1.1", depth=1, title="Unten")
    pdf = render_minutes(replace(base, agenda=(top, sub)))
    sizes: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        for word in ("Oben", "Unten"):
            if word in text:
                sizes[word] = size * tm[0]

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert sizes["Unten"] < sizes["Oben"]


def test_photos_small_ones_stay_small_damaged_ones_are_named(base: MinutesSnapshot) -> None:
    from PIL import Image

    from app.services.snapshots.minutes import PhotoEntry

    buffer = BytesIO()
    Image.effect_noise((120, 80), 50).convert("RGB").save(buffer, "PNG")
    small = PhotoEntry(1, "klein.png", "image/png", buffer.getvalue(), "Klein", "")
    broken = PhotoEntry(2, "kaputt.jpg", "image/jpeg", b"\xff\xd8\xff kaputt", "Kaputt", "")
    pdf = render_minutes(replace(base, photos=(small, broken)))
    text = " ".join(page_texts(pdf))
    assert _("(The photo {name} cannot be shown.)").format(name="kaputt.jpg") in text
    assert "Klein" in text
    assert "Kaputt" in text  # the caption is kept
    widths = []

    def visit(operator: bytes, args: list[object], cm: list[float], tm: object) -> None:
        if operator == b"Do" and cm[0] > 20:  # an image XObject, scaled by the matrix
            widths.append(cm[0])

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_operand_before=visit)
    assert widths == [pytest.approx(120)]  # one point per pixel, not the page width
