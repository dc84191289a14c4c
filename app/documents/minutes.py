"""The minutes PDF ("Protokoll"), rendered from a ``MinutesSnapshot``.

``minutes_snapshot.build_minutes_snapshot`` freezes the minutes in one read session;
``render_minutes`` / ``write_minutes`` turn the snapshot into an A4 portrait PDF. This module
touches no database and, at run time, imports neither the snapshot module nor the minutes
services (type hints only), so rendering stays cheap and runs in any worker thread.

Layout: letterhead; "Minutes no. 3/2026", the meeting title; date, time, place, moderation,
minute-taker, state (with the revision note of a correction and approvals); attendance:
present grouped by organisation, excused, guests; each TOP as a heading kept with its first
paragraph, its notes (paragraphs, bullet lists, bold), decisions with votes, action items and,
under the TOP that lists them, the open action items of earlier meetings with their status;
entries whose TOP was removed; the summary table of action items (What / Who / Due / Status,
header repeated on every page); next meeting; distribution; on final minutes lines to sign
for the minute-taker and the moderation (an option per meeting); photos with caption and
credit, scaled to fit. Every page: running header (from page 2), "Page X of Y", and on drafts
the "DRAFT" watermark. All user text goes through ``pdf_text`` (escaped, NFC, RTL shaped).

A decision box never splits across pages. Attendance starts with the counts in words
("37 participants: 35 from the network and 2 guests"), so the numbers further down add up.
Drafts show what is still empty ("No notes.", "No action items were agreed."), as a to-do
for the writer; final minutes leave empty sections out.
"""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Image

from app import i18n
from app.documents.base import GREY, LIGHT_GREY, RULE_GREY, DocumentRenderer
from app.documents.fonts import BOLD, REGULAR
from app.documents.signin import time_range
from app.documents.text import pdf_plain, pdf_text
from app.i18n import N_, _, format_date, format_time, format_weekday_date, ngettext, pgettext

if TYPE_CHECKING:
    from app.services.minutes.carry_over import CarriedItem
    from app.services.minutes.markup import Block, Run
    from app.services.snapshots.minutes import (
        ActionEntry,
        Attendee,
        DecisionEntry,
        MinutesSnapshot,
        PhotoEntry,
        TopEntry,
    )

log = logging.getLogger(__name__)

# The same msgids as app.services.meetings.ACTION_STATUS_LABELS: one translation for both.
_STATUS_LABELS = {"open": N_("Open"), "done": N_("Done")}
_STATE_LABELS = {"draft": N_("Draft"), "final": N_("Final"), "approved": N_("Approved")}
PHOTO_MAX_PIXELS = 2000  # longest side of a photo in the PDF: sharp in print, small in mail
PHOTO_JPEG_QUALITY = 85
DECISION_BACKGROUND = colors.Color(0.95, 0.95, 0.95)
# A credit typed with its own prefix is printed as typed, not as "Foto: Foto: …".
_CREDIT_PREFIXES = ("foto", "photo", "bild", "©", "(c)")


def document_title() -> str:
    # Translators: the printed minutes ("Protokoll").
    return _("Minutes")


def numbered_title(number: str) -> str:
    if not number:
        return document_title()
    # Translators: title of the minutes with their number ("Protokoll Nr. 3/2026").
    return _("Minutes no. {number}").format(number=number)


def votes_text(decision: DecisionEntry) -> str:
    """ "yes: 12 · no: 0 · abstentions: 1" (only the counts that were recorded)."""
    parts = []
    if decision.votes_yes is not None:
        # Translators: vote count of a decision ("ja: 12").
        parts.append(_("yes: {n}").format(n=decision.votes_yes))
    if decision.votes_no is not None:
        # Translators: vote count of a decision ("nein: 0").
        parts.append(_("no: {n}").format(n=decision.votes_no))
    if decision.votes_abstain is not None:
        # Translators: vote count of a decision ("Enthaltungen: 1").
        parts.append(_("abstentions: {n}").format(n=decision.votes_abstain))
    return " · ".join(parts)


def attendee_text(attendee: Attendee, *, with_organisation: bool, times: bool = True) -> str:
    """ "Ayşe Yılmaz (from item 2)"; with the organisation: "Ayşe Yılmaz – Büro"."""
    text = attendee.label if with_organisation else attendee.name
    if not times:
        return text
    notes = []
    if attendee.arrived_at:
        # Translators: an attendee who came late ("ab TOP 2").
        notes.append(_("from item {number}").format(number=attendee.arrived_at))
    if attendee.left_after:
        # Translators: an attendee who left early ("bis TOP 3").
        notes.append(_("until item {number}").format(number=attendee.left_after))
    return f"{text} ({', '.join(notes)})" if notes else text


def status_text(status: str, *, overdue: bool = False) -> str:
    text = _(_STATUS_LABELS.get(str(status), N_("Open")))
    if overdue:
        # Translators: after an action item's status when its due date has passed.
        overdue_label = _("overdue")
        text += f" ({overdue_label})"
    return text


def _run_markup(run: Run) -> str:
    """One run of the notes as Paragraph markup, keeping the spaces around it.

    ``pdf_text`` strips (it normalises like user input), but "Begrüßung durch " + bold
    "Dr. Quartier" must keep the space between the two runs.
    """
    text = pdf_text(run.text)
    if not text:
        return " " if run.text[:1].isspace() else ""
    stripped = run.text.lstrip()
    lead = run.text[: len(run.text) - len(stripped)]
    trail = stripped[len(stripped.rstrip()) :]
    if run.bold:
        text = f"<b>{text}</b>"
    before = "<br/>" if "\n" in lead else (" " if lead else "")
    after = "<br/>" if "\n" in trail else (" " if trail else "")
    return before + text + after


def runs_markup(runs: tuple[Run, ...]) -> str:
    return "".join(_run_markup(run) for run in runs)


def scaled_photo(data: bytes) -> tuple[bytes, int, int]:
    """The photo at most ``PHOTO_MAX_PIXELS`` on its longest side (JPEG, or PNG for alpha),
    with its size in pixels.

    A 48-megapixel phone photo is 15 MB: embedded as is, the minutes mail to 40 partners
    would carry it 40 times. Smaller photos are embedded byte for byte.
    """
    from PIL import Image as PILImage

    with PILImage.open(BytesIO(data)) as image:
        width, height = image.size
        if max(width, height) <= PHOTO_MAX_PIXELS:
            return data, width, height
        image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
        buffer = BytesIO()
        if image.mode in ("RGBA", "LA", "P"):
            image.save(buffer, format="PNG")
        else:
            image.convert("RGB").save(buffer, format="JPEG", quality=PHOTO_JPEG_QUALITY)
        return buffer.getvalue(), image.width, image.height


class MinutesRenderer(DocumentRenderer):
    """A4 portrait minutes; see the module docstring for the layout."""

    running_header_height = 9 * mm
    photo_max_height = 120 * mm
    # Summary table: TOP | What | Who | Due | Status  (sum: the 170 mm content width)
    summary_widths = (13 * mm, 68 * mm, 46 * mm, 21 * mm, 22 * mm)
    # Carried items: What | Who | Due | Status | From
    carried_widths = (60 * mm, 42 * mm, 19 * mm, 24 * mm, 25 * mm)

    def __init__(self, snapshot: MinutesSnapshot) -> None:
        super().__init__(snapshot.info, draft=snapshot.draft)
        self.snapshot = snapshot
        heading = numbered_title(snapshot.number)
        self._running_header = pdf_plain(
            f"{heading} · {snapshot.title} · {format_date(snapshot.date)}"
        )
        styles = self.styles
        styles.add(
            ParagraphStyle(
                "Top",
                parent=styles["Heading1"],
                fontSize=12,
                leading=15,
                spaceBefore=5 * mm,
                spaceAfter=1.5 * mm,
            )
        )
        styles.add(
            ParagraphStyle(
                "SubTop",
                parent=styles["Heading2"],
                fontSize=10.5,
                leading=13,
                spaceBefore=3 * mm,
                spaceAfter=1 * mm,
            )
        )
        styles.add(
            ParagraphStyle(
                "Presenter",
                parent=styles["Small"],
                textColor=GREY,
                spaceAfter=1.5 * mm,
                keepWithNext=1,
            )
        )
        styles.add(ParagraphStyle("Body", parent=styles["Normal"], spaceAfter=2 * mm))
        # bulletFontName: ReportLab's default is Helvetica, which has no glyphs for most scripts.
        styles.add(
            ParagraphStyle(
                "Bullet",
                parent=styles["Normal"],
                leftIndent=5 * mm,
                bulletIndent=1.5 * mm,
                bulletFontName=REGULAR,
                spaceAfter=0.8 * mm,
            )
        )
        styles.add(
            ParagraphStyle(
                "Decision",
                parent=styles["Normal"],
                backColor=DECISION_BACKGROUND,
                borderPadding=2 * mm,
                leftIndent=2 * mm,
                rightIndent=2 * mm,
                spaceBefore=2.5 * mm,
                spaceAfter=3.5 * mm,
            )
        )
        styles.add(
            ParagraphStyle(
                "Action",
                parent=styles["Normal"],
                leftIndent=5 * mm,
                bulletIndent=0,
                bulletFontName=REGULAR,
                spaceAfter=1.2 * mm,
            )
        )
        styles.add(ParagraphStyle("Group", parent=styles["Normal"], spaceAfter=1.2 * mm))
        styles.add(
            ParagraphStyle("Empty", parent=styles["Small"], textColor=GREY, spaceAfter=1.5 * mm)
        )
        styles.add(ParagraphStyle("Note", parent=styles["Small"], spaceAfter=1 * mm))
        styles.add(ParagraphStyle("Caption", parent=styles["Small"], spaceBefore=1.5 * mm))
        styles.add(
            ParagraphStyle(
                "Credit", parent=styles["Fineprint"], fontSize=7.5, leading=9, spaceAfter=5 * mm
            )
        )
        styles.add(ParagraphStyle("Section", parent=styles["Heading1"], keepWithNext=1))
        # Before a long table: keepWithNext would move the whole table to the next page and
        # leave a gap; a CondPageBreak keeps the heading with the first rows instead.
        styles.add(ParagraphStyle("TableSection", parent=styles["Heading1"], keepWithNext=0))
        styles.add(
            ParagraphStyle("Subsection", parent=styles["Heading2"], fontSize=10.5, leading=13)
        )
        styles.add(ParagraphStyle("CellBold", parent=styles["TableCell"], fontName=BOLD))
        styles.add(ParagraphStyle("SmallCell", parent=styles["TableCell"], fontSize=8, leading=10))

    # -- page decoration ---------------------------------------------------------------------

    def draw_running_header(self, canvas: Canvas) -> None:
        self.draw_once(canvas, "minutesRunningHeader", self._draw_running_header)

    def _draw_running_header(self, canvas: Canvas) -> None:
        y = self.page_height - self.top_margin - 3 * mm
        self.draw_text_line(
            canvas, self.left_margin, y, self._running_header, max_width=self.content_width
        )
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.3)
        canvas.line(self.left_margin, y - 2 * mm, self.page_width - self.right_margin, y - 2 * mm)
        canvas.restoreState()

    # -- story -------------------------------------------------------------------------------

    @property
    def final(self) -> bool:
        return not self.snapshot.draft

    def story(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = []
        if snapshot.letterhead is not None:
            story += [self.letterhead_block(snapshot.letterhead), Spacer(1, 8 * mm)]
        story += self._title_block()
        story += self._attendance()
        for top in snapshot.agenda:
            story += self._top(top)
        story += self._unassigned()
        if snapshot.carried_section:
            story += [
                CondPageBreak(35 * mm),
                self._p(_("Open action items from earlier meetings"), "TableSection"),
                self._carried_table(snapshot.carried_section),
            ]
        story += self._action_summary()
        story += self._next_meeting()
        story += self._distribution()
        story += self._signatures()
        story += self._photos()
        return story

    def _p(self, text: str, style: str) -> Paragraph:
        """A paragraph of user (or translated) text: always escaped."""
        return Paragraph(pdf_text(text), self.styles[style])

    def _section(self, text: str) -> Paragraph:
        return self._p(text, "Section")

    def _title_block(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [
            self._p(numbered_title(snapshot.number), "Title"),
            self._p(snapshot.title, "Subtitle"),
        ]
        rows: list[tuple[str, str]] = [
            (_("Date"), format_weekday_date(snapshot.date)),
            (_("Time"), time_range(snapshot.start, snapshot.end)),
        ]
        venue = snapshot.venue
        if venue is not None:
            first = ", ".join(part for part in (venue.name, venue.room) if part)
            rows.append((_("Venue"), "\n".join(p for p in (first, venue.address) if p)))
        if snapshot.moderator:
            # Translators: label in the minutes header ("Moderation").
            rows.append((_("Moderation"), snapshot.moderator))
        if snapshot.minute_taker:
            # Translators: label in the minutes header ("Protokoll", i.e. who took them).
            rows.append((_("Minute-taker"), snapshot.minute_taker))
        rows.append((_("Status"), self._state_text()))
        story.append(self._facts_table(rows))
        for note in self._state_notes():
            story.append(self._p(note, "Note"))
        return story

    def _state_text(self) -> str:
        snapshot = self.snapshot
        text = _(_STATE_LABELS.get(str(snapshot.state), N_("Draft")))
        if snapshot.revision > 1 and not snapshot.draft:  # "Fassung 2": the first correction
            # Translators: after the state of corrected minutes ("Endgültig, Fassung 2").
            text += ", " + _("revision {number}").format(number=snapshot.revision)
        if snapshot.finalised_at is not None and not snapshot.draft:
            # Translators: when the minutes were finalised ("abgeschlossen am 12.03.2025").
            text += ", " + _("finalised on {date}").format(
                date=format_date(snapshot.finalised_at.date())
            )
        return text

    def _state_notes(self) -> list[str]:
        snapshot = self.snapshot
        notes = []
        if snapshot.change_summary:
            # Translators: the note on corrected minutes; {changes} is what the user typed.
            notes.append(
                _("Corrected version (revision {number}). Changes: {changes}").format(
                    number=snapshot.revision, changes=snapshot.change_summary
                )
            )
        if snapshot.approved_in is not None:
            # Translators: these minutes were approved at a later meeting.
            notes.append(
                _("Approved at the meeting “{title}” on {date}.").format(
                    title=snapshot.approved_in.title, date=format_date(snapshot.approved_in.date)
                )
            )
        for approval in snapshot.approvals:
            number = approval.minutes_number or "–"
            # Translators: minutes of an earlier meeting approved in this one.
            notes.append(
                _(
                    "In this meeting the minutes no. {number} of “{title}” ({date}) were approved."
                ).format(number=number, title=approval.title, date=format_date(approval.date))
            )
        return notes

    def _facts_table(self, rows: list[tuple[str, str]]) -> Table:
        size = self.styles["Label"].fontSize
        label_width = max(stringWidth(pdf_plain(label), REGULAR, size) for label, _v in rows)
        label_width += 5 * mm
        data = [[self._p(label, "Label"), self._p(value, "Value")] for label, value in rows]
        table = Table(
            data,
            colWidths=[label_width, self.content_width - label_width],
            style=[
                ("FONT", (0, 0), (-1, -1), REGULAR),  # see _table
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
        table.hAlign = "LEFT"
        return table

    # -- attendance --------------------------------------------------------------------------

    def _attendance(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [self._section(_("Attendance"))]
        if not (snapshot.present or snapshot.excused or snapshot.guests):
            if self.final:
                return []
            # Translators: in the minutes when no one was recorded as present or excused.
            return [*story, self._p(_("No attendance was recorded."), "Empty")]
        present_count = sum(len(group.attendees) for group in snapshot.present)
        story.append(self._p(attendance_summary(snapshot), "Body"))
        if snapshot.present:
            # Translators: heading with the number of network members present
            # ("Anwesend aus dem Netzwerk (35)").
            story.append(
                self._p(_("Present from the network ({n})").format(n=present_count), "Subsection")
            )
            for group in snapshot.present:
                names = ", ".join(
                    pdf_text(attendee_text(a, with_organisation=False)) for a in group.attendees
                )
                # Translators: the group of attendees without an organisation.
                organisation = group.organisation or _("Without organisation")
                story.append(
                    Paragraph(f"<b>{pdf_text(organisation)}:</b> {names}", self.styles["Group"])
                )
        for heading, people, times in (
            # Translators: heading with the number of excused people ("Entschuldigt (3)").
            (_("Excused ({n})"), snapshot.excused, False),
            # Translators: heading with the number of guests ("Gäste (2)").
            (_("Guests ({n})"), snapshot.guests, True),
        ):
            if people:
                story.append(self._p(heading.format(n=len(people)), "Subsection"))
                story.append(
                    Paragraph(
                        "; ".join(
                            pdf_text(attendee_text(a, with_organisation=True, times=times))
                            for a in people
                        ),
                        self.styles["Group"],
                    )
                )
        return story

    # -- TOPs --------------------------------------------------------------------------------

    def _top(self, top: TopEntry) -> list[Flowable]:
        # Translators: a TOP heading in the minutes ("TOP 3 Verschiedenes").
        heading = _("Item {number}: {title}").format(number=top.number, title=top.title)
        story: list[Flowable] = [self._p(heading, "Top" if top.depth == 0 else "SubTop")]
        if top.presenter:
            story.append(self._p(_("Presenter: {name}").format(name=top.presenter), "Presenter"))
        for block in top.notes:
            story += self._block(block)
        for decision in top.decisions:
            story.append(self._decision(decision))
        for action in top.actions:
            story.append(self._action(action))
        if top.carried_actions:
            story.append(self._p(_("Open action items from earlier meetings"), "Bold"))
            story.append(self._carried_table(top.carried_actions))
        if len(story) == (2 if top.presenter else 1) and not self.final:
            # Translators: under a TOP of the minutes that has no notes or entries (drafts).
            story.append(self._p(_("No notes."), "Empty"))
        return story

    def _block(self, block: Block) -> list[Flowable]:
        items = getattr(block, "items", None)
        if items is None:  # a paragraph
            return [Paragraph(runs_markup(block.runs), self.styles["Body"])]  # type: ignore[union-attr]
        bullets: list[Flowable] = [
            Paragraph(runs_markup(runs), self.styles["Bullet"], bulletText="•") for runs in items
        ]
        return [*bullets, Spacer(1, 1.2 * mm)]

    def _decision(self, decision: DecisionEntry) -> Flowable:
        """The decision box; kept whole: the vote line never ends up alone on the next page."""
        # Translators: label before a decision in the minutes ("Beschluss:").
        label = pdf_text(_("Decision:"))
        text = f"<b>{label}</b> {pdf_text(decision.text)}"
        if decision.has_votes:
            text += f'<br/><font size="8.5">{pdf_text(votes_text(decision))}</font>'
        return KeepTogether([Paragraph(text, self.styles["Decision"])])

    def _action(self, action: ActionEntry) -> Paragraph:
        details = []
        if action.owner:
            details.append(_("Who: {owner}").format(owner=action.owner))
        if action.due is not None:
            details.append(_("Due: {date}").format(date=format_date(action.due)))
        if str(action.status) == "done":
            details.append(status_text(action.status))
        # Translators: label before an action item in the minutes ("Aufgabe:").
        label = pdf_text(_("Action item:"))
        text = f"<b>{label}</b> {pdf_text(action.text)}"
        if details:
            text += f' <font color="#595959">– {pdf_text(" · ".join(details))}</font>'
        return Paragraph(text, self.styles["Action"], bulletText="→")

    def _carried_table(self, items: tuple[CarriedItem, ...]) -> Table:
        cell = self.styles["SmallCell"]
        header = [
            Paragraph(pdf_text(text), self.styles["TableHeader"])
            for text in (
                _("What"),
                _("Who"),
                _("Due"),
                _("Status"),
                # Translators: column of the meeting an open action item comes from.
                _("From meeting"),
            )
        ]
        data: list[list[Any]] = [header]
        for item in items:
            origin = format_date(item.meeting_start.date())
            if item.agenda_number:
                origin += ", " + _("item {number}").format(number=item.agenda_number)
            data.append(
                [
                    Paragraph(pdf_text(item.text), cell),
                    Paragraph(pdf_text(item.owner), cell),
                    Paragraph(pdf_text(format_date(item.due)), cell),
                    Paragraph(pdf_text(status_text(item.status, overdue=item.overdue)), cell),
                    Paragraph(pdf_text(origin), cell),
                ]
            )
        return self._table(data, self.carried_widths)

    def _table(self, data: list[list[Any]], widths: tuple[float, ...]) -> Table:
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    # Every cell sets its font, even one holding a Paragraph; without this, the page
                    # would refer to ReportLab's default, Helvetica (not embedded, few glyphs).
                    ("FONT", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ]
            )
        )
        table.hAlign = "LEFT"
        table.spaceBefore = 1 * mm
        table.spaceAfter = 3 * mm
        return table

    def _unassigned(self) -> list[Flowable]:
        snapshot = self.snapshot
        if not (snapshot.unassigned_decisions or snapshot.unassigned_actions):
            return []
        # Translators: section for decisions and action items whose TOP was removed.
        story: list[Flowable] = [self._section(_("Further decisions and action items"))]
        story += [self._decision(decision) for decision in snapshot.unassigned_decisions]
        story += [self._action(action) for action in snapshot.unassigned_actions]
        return story

    # -- after the TOPs ----------------------------------------------------------------------

    def _action_summary(self) -> list[Flowable]:
        actions = self.snapshot.action_summary
        # Translators: heading of the summary table of action items ("Aufgabenübersicht").
        story: list[Flowable] = [CondPageBreak(35 * mm), self._p(_("Action items"), "TableSection")]
        if not actions:
            if self.final:
                return []
            return [*story, self._p(_("No action items were agreed."), "Empty")]
        cell = self.styles["TableCell"]
        header = [
            Paragraph(pdf_text(text), self.styles["TableHeader"])
            for text in (
                pgettext("agenda table", "Item"),
                _("What"),
                _("Who"),
                _("Due"),
                _("Status"),
            )
        ]
        data: list[list[Any]] = [header]
        for action in actions:
            data.append(
                [
                    Paragraph(pdf_text(action.agenda_number or "–"), cell),
                    Paragraph(pdf_text(action.text), cell),
                    Paragraph(pdf_text(action.owner), cell),
                    Paragraph(pdf_text(format_date(action.due)), cell),
                    Paragraph(pdf_text(status_text(action.status)), cell),
                ]
            )
        return [*story, self._table(data, self.summary_widths)]

    def _next_meeting(self) -> list[Flowable]:
        upcoming = self.snapshot.next_meeting
        story: list[Flowable] = [self._section(_("Next meeting"))]
        if upcoming is None:
            if self.final:
                return []
            # Translators: in the minutes when no next meeting was fixed.
            return [*story, self._p(_("The next meeting has not been scheduled yet."), "Body")]
        lines = []
        if upcoming.start is not None:
            lines.append(
                f"{format_weekday_date(upcoming.start.date())}, {format_time(upcoming.start)}"
            )
        lines += [text for text in (upcoming.place, upcoming.note) if text]
        return [*story, self._p("\n".join(lines), "Body")]

    def _distribution(self) -> list[Flowable]:
        distribution = self.snapshot.distribution
        # Translators: heading of the distribution list of the minutes ("Verteiler").
        story: list[Flowable] = [self._section(_("Distribution"))]
        lines = []
        if distribution.attendees or distribution.excused:
            # Translators: the distribution list names the attendance above instead of
            # repeating every name.
            lines.append(
                _("The participants ({present}) and the excused ({excused}) listed above.").format(
                    present=len(distribution.attendees), excused=len(distribution.excused)
                )
            )
        if distribution.informed_only:
            names = "; ".join(
                f"{r.name} – {r.organisation}" if r.organisation else r.name
                for r in distribution.informed_only
            )
            # Translators: recipients of the minutes who did not take part ("Zur Kenntnis").
            lines.append(_("For information: {names}").format(names=names))
        if not lines:
            if self.final:
                return []
            lines.append(_("No recipients."))
        return [*story, *(self._p(line, "Body") for line in lines)]

    def _signatures(self) -> list[Flowable]:
        """Lines to sign for the minute-taker and the moderation (final minutes, if chosen)."""
        snapshot = self.snapshot
        if snapshot.draft or not snapshot.signature_lines:
            return []
        roles = [
            # Translators: under a signature line of the minutes ("Datum, Unterschrift
            # Protokoll").
            (_("Date, signature (minutes)"), snapshot.minute_taker),
            # Translators: under a signature line of the minutes ("Datum, Unterschrift
            # Moderation").
            (_("Date, signature (moderation)"), snapshot.moderator),
        ]
        cells = [
            [
                Paragraph(pdf_text(label), self.styles["Small"]),
                Paragraph(pdf_text(name), self.styles["Normal"]),
            ]
            for label, name in roles
        ]
        gap = 12 * mm
        width = (self.content_width - gap) / 2
        # Row 0 is the room to sign; the line to sign on is the rule above row 1.
        table = Table(
            [["", "", ""], [cells[0], "", cells[1]]],
            colWidths=[width, gap, width],
            rowHeights=[14 * mm, None],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEABOVE", (0, 1), (0, 1), 0.5, colors.black),
                    ("LINEABOVE", (2, 1), (2, 1), 0.5, colors.black),
                ]
            )
        )
        table.hAlign = "LEFT"
        return [Spacer(1, 6 * mm), KeepTogether([table])]

    def _photos(self) -> list[Flowable]:
        photos = self.snapshot.photos
        if not photos:
            return []
        story: list[Flowable] = [CondPageBreak(60 * mm), self._section(_("Photos"))]
        for photo in photos:
            story.append(KeepTogether(self._photo(photo)))
        return story

    def _photo(self, photo: PhotoEntry) -> list[Flowable]:
        parts: list[Flowable] = []
        image = self._photo_image(photo)
        if image is not None:
            parts.append(image)
        else:
            # Translators: in place of a photo that cannot be read.
            parts.append(
                self._p(
                    _("(The photo {name} cannot be shown.)").format(name=photo.filename), "Empty"
                )
            )
        if photo.caption:
            parts.append(self._p(photo.caption, "Caption"))
        if photo.credit:
            credit = photo.credit
            if not credit.casefold().startswith(_CREDIT_PREFIXES):  # "Foto: Alex" as typed
                # Translators: photo credit under a photo ("Foto: Anna Schmidt").
                credit = _("Photo: {credit}").format(credit=credit)
            parts.append(self._p(credit, "Credit"))
        else:
            parts.append(Spacer(1, 4 * mm))
        return parts

    def _photo_image(self, photo: PhotoEntry) -> Image | None:
        try:
            data, width, height = scaled_photo(photo.data)
        except Exception:  # Pillow raises many kinds for a damaged file; print the rest
            log.warning("photo %s cannot be read; left out of the minutes", photo.id)
            return None
        if width <= 0 or height <= 0:
            return None
        # Fit the box, but never enlarge beyond one point per pixel: a small image stays
        # small instead of turning into coloured blocks.
        scale = min(self.content_width / width, self.photo_max_height / height, 1.0)
        image = Image(BytesIO(data), width=width * scale, height=height * scale)
        image.hAlign = "LEFT"
        return image


def attendance_summary(snapshot: MinutesSnapshot) -> str:
    """ "37 participants: 35 from the network and 2 guests; 3 excused." in words."""
    members = sum(len(group.attendees) for group in snapshot.present)
    guests = len(snapshot.guests)
    total = members + guests
    participants = ngettext("{n} participant", "{n} participants", total).format(n=total)
    if guests and members:
        text = _("{participants}: {members} from the network and {guests}").format(
            participants=participants,
            members=members,
            guests=ngettext("{n} guest", "{n} guests", guests).format(n=guests),
        )
    elif guests:
        text = ngettext("{n} participant, a guest", "{n} participants, all guests", total).format(
            n=total
        )
    elif members:
        text = ngettext(
            "{n} participant from the network", "{n} participants from the network", total
        ).format(n=total)
    else:
        # Translators: minutes, when nobody was present (only excused people are listed).
        text = _("Nobody present")
    excused = len(snapshot.excused)
    if excused:
        text = _("{attendance}; {excused}").format(
            attendance=text,
            # Translators: minutes, the number of excused people ("3 entschuldigt").
            excused=ngettext("{n} excused", "{n} excused", excused).format(n=excused),
        )
    return text + "."


def render_minutes(snapshot: MinutesSnapshot) -> bytes:
    """The minutes as PDF bytes, in the snapshot's language."""
    with i18n.language(snapshot.info.language):
        return MinutesRenderer(snapshot).render_to_bytes()


def write_minutes(snapshot: MinutesSnapshot, path: Path) -> None:
    """Render and save atomically; raises ``DocumentWriteError`` with a user message."""
    with i18n.language(snapshot.info.language):
        MinutesRenderer(snapshot).write(path)
