"""Benchmark: Treffpunkt's minutes PDF against a bare ReportLab script of the same content.

Creates a database with one held meeting: N attendees (default 300) in 40 organisations and
T TOPs (default 30), each with notes (two paragraphs, one with bold, three bullets), a decision
with votes on every other TOP and two action items, plus the next meeting and an
"informed only" list; finalises the minutes (``--draft`` keeps the draft with its watermark).

Measured in one process, interleaved (A B, B A, …), after one warm-up of each:

- ``treffpunkt``: ``render_minutes(snapshot)`` from the frozen snapshot: translations, dates,
  text preparation (NFC, RTL shaping, escaping), layout, running header, "Seite X von Y";
- ``bare``: ``bare_minutes(content)`` below, a plain ReportLab script with the same registered
  DejaVu Sans TTF and the same story (title, facts table, attendance paragraphs, TOP headings
  with paragraphs, bullets, decisions and action items, a summary table with a repeated
  header, next meeting, distribution) and a "Seite X von Y" footer by the usual two-pass
  canvas. Its content is prepared plain text (escaped inside the timing), dates preformatted.

Reported: the medians, the ratio (target: ≤ 1.2) and, for information, one figure
for the whole command (``python -c`` that opens the database, builds the snapshot and writes
the PDF, i.e. ``treffpunkt pdf minutes ID -o FILE`` without argument parsing).

Usage::

    python benchmarks/minutes_pdf.py [--attendees 300] [--tops 30] [--rounds 9] [--draft]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

FIRST = ["Ayşe", "Łukasz", "Олександр", "Nguyễn", "Jürgen", "Renée", "Işıl", "Małgorzata"]
LAST = ["Yılmaz", "Żółć", "Шевченко", "Thị Minh Khai", "Müller", "Öztürk-Weiß", "Kılıç", "Woźniak"]

FULL_SCRIPT = """
import sys
from pathlib import Path
from app import i18n
from app.db import Database
from app.documents.minutes import write_minutes
from app.services.snapshots.minutes import build_minutes_snapshot
i18n.set_language("de")
with Database.open(Path(sys.argv[1])) as db:
    snapshot = build_minutes_snapshot(db, int(sys.argv[2]))
write_minutes(snapshot, Path(sys.argv[3]))
"""


# -- data ----------------------------------------------------------------------------------


def create_database(path: Path, attendees: int, tops: int, *, final: bool) -> int:
    """The meeting described in the module docstring; returns its id."""
    from sqlalchemy import insert, select

    from app.db import Database
    from app.models import (
        ActionItem,
        AgendaItem,
        Attendance,
        AttendanceStatus,
        Decision,
        Meeting,
        MeetingState,
        Organisation,
        Person,
        Venue,
    )
    from app.services.minutes import (
        NextMeeting,
        ensure_minutes,
        finalise_minutes,
        set_informed_only,
        set_next_meeting,
    )
    from app.text import sort_key

    start = datetime(2026, 3, 4, 15, tzinfo=UTC)
    with Database.create(path) as db:
        with db.write() as session:
            venue = Venue(
                name="Museumscafé K+",
                street="Joseph-Beuys-Platz 1",
                postcode="47798",
                city="Krefeld",
                room="Studio",
            )
            moderator = Person(first_name="Sabine", last_name="Krüger")
            taker = Person(first_name="Jana", last_name="Hoffmann")
            meeting = Meeting(
                title="Netzwerktreffen der Impuls.Ag – Frühjahr 2026",
                start=start,
                end=start + timedelta(hours=3),
                venue=venue,
                organiser=moderator,
                moderator=moderator,
                minute_taker=taker,
                state=MeetingState.HELD,
            )
            session.add(meeting)
            session.execute(
                insert(Organisation),
                [
                    {"name": f"Quartiersbüro {i:02d} & Partner", "name_key": sort_key(f"Q {i:02d}")}
                    for i in range(40)
                ],
            )
            organisations = list(session.scalars(select(Organisation.id)))
            session.execute(
                insert(Person),
                [
                    {
                        "first_name": f"{FIRST[i % 8]}",
                        "last_name": f"{LAST[(i // 8) % 8]}-{i:03d}",
                        "name_key": sort_key(f"{LAST[(i // 8) % 8]}-{i:03d}", FIRST[i % 8]),
                        "organisation_id": organisations[i % 40],
                        "function": "Mitarbeit",
                    }
                    for i in range(attendees)
                ],
            )
            session.flush()
            people = list(
                session.scalars(select(Person.id).where(Person.organisation_id.is_not(None)))
            )
            session.execute(
                insert(Attendance),
                [
                    {
                        "meeting_id": meeting.id,
                        "person_id": person_id,
                        "status": AttendanceStatus.PRESENT if n % 15 else AttendanceStatus.EXCUSED,
                    }
                    for n, person_id in enumerate(people)
                ],
            )
            for n in range(1, tops + 1):
                notes = (
                    f"Zu TOP {n} berichtet **Sabine Krüger** über den Stand: "
                    + "Die Quartiersbüros arbeiten eng mit den Vereinen zusammen. " * 4
                    + "\n\nDie Runde sammelt Vorschläge für die nächsten Schritte."
                    "\n\n- Sprechstunden ausweiten\n- Räume im Quartier nutzen"
                    "\n- Ehrenamtliche gewinnen & begleiten"
                )
                item = AgendaItem(
                    meeting=meeting,
                    position=n,
                    title=f"Bericht aus Projekt {n}",
                    presenter_text=f"Projektleitung {n}",
                    planned_minutes=6,
                    notes=notes,
                )
                session.add(item)
                session.flush()
                if n % 2:
                    session.add(
                        Decision(
                            meeting_id=meeting.id,
                            agenda_item_id=item.id,
                            position=1,
                            text=f"Projekt {n} wird fortgeführt.",
                            votes_yes=25,
                            votes_no=1,
                            votes_abstain=2,
                        )
                    )
                for k in range(2):
                    session.add(
                        ActionItem(
                            meeting_id=meeting.id,
                            agenda_item_id=item.id,
                            position=k + 1,
                            text=f"Bericht {n}.{k + 1} für den Verwendungsnachweis schreiben",
                            owner_organisation_id=organisations[(n + k) % 40],
                            due=date(2026, 4, 1) + timedelta(days=n),
                        )
                    )
            meeting_id = meeting.id
        info = ensure_minutes(db, meeting_id)
        planned = set_next_meeting(
            db,
            meeting_id,
            NextMeeting(datetime(2026, 9, 9, 17), "Museumscafé K+", ""),
            expected_version=info.version,
        )
        informed = set_informed_only(
            db,
            meeting_id,
            "Stadt Krefeld <foerderung@krefeld.example>",
            expected_version=planned.version,
        )
        if final:
            finalise_minutes(db, meeting_id, expected_version=informed.version)
    return meeting_id


# -- the bare script -------------------------------------------------------------------------


@dataclass
class BareContent:
    """The minutes as prepared plain text: what a hand-written script would be given."""

    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    present: list[tuple[str, list[str]]]
    excused: list[str]
    tops: list[dict[str, Any]] = field(default_factory=list)
    summary: list[list[str]] = field(default_factory=list)
    next_meeting: str = ""
    distribution: str = ""
    draft: bool = False


def bare_content(snapshot: Any) -> BareContent:
    from app.documents.minutes import votes_text
    from app.i18n import format_date, format_time, format_weekday_date

    content = BareContent(
        title=f"Protokoll Nr. {snapshot.number}",
        subtitle=snapshot.title,
        facts=[
            ("Datum", format_weekday_date(snapshot.date)),
            ("Uhrzeit", f"{format_time(snapshot.start)}–{format_time(snapshot.end)}"),
            ("Ort", f"{snapshot.venue.name}, {snapshot.venue.room}\n{snapshot.venue.address}"),
            ("Moderation", snapshot.moderator),
            ("Protokoll", snapshot.minute_taker),
            ("Status", "Final"),
        ],
        present=[(g.organisation, [a.name for a in g.attendees]) for g in snapshot.present],
        excused=[a.label for a in snapshot.excused],
        draft=snapshot.draft,
    )
    for top in snapshot.agenda:
        blocks: list[tuple[str, Any]] = []
        for block in top.notes:
            if hasattr(block, "items"):
                blocks.append(("ul", [[(r.text, r.bold) for r in item] for item in block.items]))
            else:
                blocks.append(("p", [(r.text, r.bold) for r in block.runs]))
        content.tops.append(
            {
                "heading": f"TOP {top.number}: {top.title}",
                "presenter": f"Vortragende: {top.presenter}",
                "blocks": blocks,
                "decisions": [(d.text, votes_text(d)) for d in top.decisions],
                "actions": [
                    (a.text, f"Wer: {a.owner} · Bis: {format_date(a.due)}") for a in top.actions
                ],
            }
        )
    content.summary = [
        [a.agenda_number or "", a.text, a.owner, format_date(a.due), "Offen"]
        for a in snapshot.action_summary
    ]
    upcoming = snapshot.next_meeting
    content.next_meeting = f"{format_weekday_date(upcoming.start.date())}, {upcoming.place}"
    content.distribution = (
        "Die Teilnehmenden und Entschuldigten (siehe oben). Zur Kenntnis: "
        + "; ".join(r.name for r in snapshot.distribution.informed_only)
    )
    return content


_BARE_FONTS: list[str] = []


def register_bare_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from app.paths import font_path

    if not _BARE_FONTS:
        pdfmetrics.registerFont(TTFont("BareSans", str(font_path("DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont("BareSans-Bold", str(font_path("DejaVuSans-Bold.ttf"))))
        pdfmetrics.registerFontFamily(
            "BareSans",
            normal="BareSans",
            bold="BareSans-Bold",
            italic="BareSans",
            boldItalic="BareSans-Bold",
        )
        _BARE_FONTS.append("BareSans")


def bare_minutes(content: BareContent) -> bytes:
    """A hand-written ReportLab document of the same content (the baseline)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    normal = ParagraphStyle("n", fontName="BareSans", fontSize=10, leading=13)
    small = ParagraphStyle("s", parent=normal, fontSize=8.5, leading=10.5)
    title = ParagraphStyle("t", parent=normal, fontName="BareSans-Bold", fontSize=18, leading=22)
    h1 = ParagraphStyle(
        "h1",
        parent=normal,
        fontName="BareSans-Bold",
        fontSize=12,
        leading=15,
        spaceBefore=5 * mm,
        spaceAfter=1.5 * mm,
        keepWithNext=1,
    )
    body = ParagraphStyle("b", parent=normal, spaceAfter=2 * mm)
    bullet = ParagraphStyle("u", parent=normal, leftIndent=5 * mm, bulletFontName="BareSans")
    decision = ParagraphStyle(
        "d",
        parent=normal,
        backColor=colors.Color(0.95, 0.95, 0.95),
        borderPadding=2 * mm,
        spaceBefore=2.5 * mm,
        spaceAfter=3.5 * mm,
    )
    cell = ParagraphStyle("c", parent=normal, fontSize=9, leading=11)

    def runs(parts: list[tuple[str, bool]]) -> str:
        return "".join(f"<b>{escape(t)}</b>" if b else escape(t) for t, b in parts)

    story: list[Any] = [
        Paragraph(escape(content.title), title),
        Paragraph(escape(content.subtitle), h1),
    ]
    story.append(
        Table(
            [
                [Paragraph(escape(k), small), Paragraph(escape(v).replace("\n", "<br/>"), normal)]
                for k, v in content.facts
            ],
            colWidths=[30 * mm, 140 * mm],
        )
    )
    story.append(Paragraph("Anwesenheit", h1))
    for organisation, names in content.present:
        story.append(
            Paragraph(
                f"<b>{escape(organisation)}:</b> " + ", ".join(escape(n) for n in names), body
            )
        )
    story.append(Paragraph("Entschuldigt", h1))
    story.append(Paragraph("; ".join(escape(n) for n in content.excused), body))
    for top in content.tops:
        story.append(Paragraph(escape(top["heading"]), h1))
        story.append(Paragraph(escape(top["presenter"]), small))
        for kind, value in top["blocks"]:
            if kind == "p":
                story.append(Paragraph(runs(value), body))
            else:
                story += [Paragraph(runs(item), bullet, bulletText="•") for item in value]
        for text, votes in top["decisions"]:
            story.append(
                Paragraph(f"<b>Beschluss:</b> {escape(text)}<br/>{escape(votes)}", decision)
            )
        for text, details in top["actions"]:
            story.append(
                Paragraph(
                    f"<b>Aufgabe:</b> {escape(text)} – {escape(details)}", body, bulletText="→"
                )
            )
    story.append(Paragraph("Aufgaben", h1))
    rows = [[Paragraph(h, cell) for h in ("TOP", "Was", "Wer", "Bis wann", "Status")]]
    rows += [[Paragraph(escape(v), cell) for v in row] for row in content.summary]
    table = Table(rows, colWidths=[13 * mm, 68 * mm, 46 * mm, 21 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "BareSans"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey),
            ]
        )
    )
    story += [
        table,
        Paragraph("Nächstes Treffen", h1),
        Paragraph(escape(content.next_meeting), body),
        Paragraph("Verteiler", h1),
        Paragraph(escape(content.distribution), body),
    ]

    class NumberedCanvas(Canvas):  # the usual recipe: keep pages, number them at the end
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self.pages)
            for state in self.pages:
                self.__dict__.update(state)
                self.setFont("BareSans", 8)
                self.drawRightString(190 * mm, 10 * mm, f"Seite {self._pageNumber} von {total}")
                if self._pageNumber > 1:
                    self.drawString(20 * mm, 280 * mm, f"{content.title} · {content.subtitle}")
                if content.draft:
                    self.saveState()
                    self.setFont("BareSans-Bold", 120)
                    self.setFillColor(colors.Color(0.86, 0.86, 0.86))
                    self.translate(105 * mm, 148 * mm)
                    self.rotate(55)
                    self.drawCentredString(0, 0, "ENTWURF")
                    self.restoreState()
                super().showPage()
            super().save()

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=content.title,
        author="Quartiersmanagement",
        lang="de",
    )
    doc.build([*story, Spacer(1, 1)], canvasmaker=NumberedCanvas)
    return buffer.getvalue()


# -- timing ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=300)
    parser.add_argument("--tops", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--draft", action="store_true", help="keep the minutes a draft")
    args = parser.parse_args()

    from pypdf import PdfReader

    from app import i18n
    from app.db import Database
    from app.documents.minutes import render_minutes
    from app.services.snapshots.minutes import build_minutes_snapshot

    i18n.set_language("de")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db_path = work / "bench.db"
        started = time.perf_counter()
        meeting_id = create_database(db_path, args.attendees, args.tops, final=not args.draft)
        with Database.open(db_path) as db:
            snapshot = build_minutes_snapshot(db, meeting_id)
        built = time.perf_counter() - started
        content = bare_content(snapshot)
        register_bare_fonts()
        runners = {
            "treffpunkt": lambda: render_minutes(snapshot),
            "bare": lambda: bare_minutes(content),
        }
        outputs = {name: run() for name, run in runners.items()}  # warm-up
        times: dict[str, list[float]] = {name: [] for name in runners}
        order = list(runners)
        for round_number in range(args.rounds):
            for name in order if round_number % 2 == 0 else reversed(order):
                start = time.perf_counter()
                outputs[name] = runners[name]()
                times[name].append(time.perf_counter() - start)
        pages = {name: len(PdfReader(BytesIO(data)).pages) for name, data in outputs.items()}
        sizes = {name: len(data) for name, data in outputs.items()}
        whole = []
        for _run in range(3):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    FULL_SCRIPT,
                    str(db_path),
                    str(meeting_id),
                    str(work / "full.pdf"),
                ],
                check=True,
                cwd=ROOT,
            )
            whole.append(time.perf_counter() - start)

    present = sum(len(group.attendees) for group in snapshot.present)
    print(
        f"minutes PDF: {present} present, {len(snapshot.excused)} excused, "
        f"{len(snapshot.agenda)} TOPs, {len(snapshot.action_summary)} action items, "
        f"{'draft' if snapshot.draft else 'final'}; data built in {built:.1f} s (not measured)"
    )
    print(
        f"rendering from the snapshot, median of {args.rounds} interleaved rounds "
        f"(one process, after a warm-up):"
    )
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        spread = f"{min(times[name]):.3f}–{max(times[name]):.3f}"
        print(
            f"  {name:10s} {value:.3f} s (range {spread} s)  {pages[name]} pages, "
            f"{sizes[name] / 1024:.0f} KB"
        )
    print(
        f"  ratio treffpunkt / bare: {medians['treffpunkt'] / medians['bare']:.2f}  (target ≤ 1.2)"
    )
    print(
        f"whole command (open database, snapshot, write PDF; new process), median of 3: "
        f"{statistics.median(whole):.3f} s"
    )


if __name__ == "__main__":
    main()
