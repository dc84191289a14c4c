"""The Art. 15 report as a readable PDF, rendered from the dict of ``privacy.export_person``.

The export dict is the snapshot (built first, in one read session); this renderer only lays
it out, with the shared ``DocumentRenderer`` (fonts, "Page X of Y", metadata, atomic save).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app import i18n
from app.documents.base import LIGHT_GREY, RULE_GREY, DocumentInfo, DocumentRenderer
from app.documents.text import pdf_text
from app.i18n import DEFAULT_LANGUAGE, N_, _, format_date, format_datetime, supported_language
from app.models import ActionItemStatus, AttendanceStatus, InvitationState
from app.services.meetings import (
    ACTION_STATUS_LABELS,
    ATTENDANCE_STATUS_LABELS,
    INVITATION_STATE_LABELS,
)

CONSENT_TOPIC_LABELS = {
    "contact_data": N_("Storing contact data"),
    "email_invitations": N_("Invitations by e-mail"),
    "photos": N_("Photos"),
}
CONSENT_METHOD_LABELS = {
    "form": N_("Form"),
    "signin_sheet": N_("Sign-in sheet"),
    "email": N_("E-mail"),
    "verbal": N_("Verbally"),
    "import": N_("Import"),
    "other": N_("Other"),
}
MESSAGE_STATE_LABELS = {
    "queued": N_("queued"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
}
ROLE_LABELS = {
    "organiser": N_("Organiser"),
    "moderator": N_("Moderator"),
    "minute_taker": N_("Minute-taker"),
    "presenter": N_("Presenter"),
}


def report_title() -> str:
    return _("Information on stored personal data (Art. 15 GDPR)")


def _when(value: str | None, *, with_time: bool = True) -> str:
    if not value:
        return "–"
    parsed = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(parsed, datetime):
        return format_datetime(parsed.astimezone()) if with_time else format_date(parsed)
    return format_date(parsed)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("yes") if value else _("no")


def _enum_label(labels: dict[Any, str], enum_type: type[Any], value: str) -> str:
    try:
        return _(labels[enum_type(value)])
    except (KeyError, ValueError):
        return value


class PersonReportRenderer(DocumentRenderer):
    """A4 portrait: the person's data, then one table per kind of record."""

    def __init__(self, export: dict[str, Any]) -> None:
        person = export["person"]
        self.export = export
        self.name = " ".join(
            p for p in (person["title"], person["first_name"], person["last_name"]) if p
        )
        super().__init__(
            DocumentInfo(title=f"{report_title()}: {self.name}", subject=report_title())
        )

    def _p(self, text: str, style: str = "TableCell") -> Paragraph:
        return Paragraph(pdf_text(text), self.styles[style])

    def _table(self, headers: list[str], rows: list[list[str]], widths: list[float]) -> Flowable:
        if not rows:
            return self._p(_("None."), "Normal")
        data = [[self._p(h, "TableHeader") for h in headers]]
        data += [[self._p(cell) for cell in row] for row in rows]
        total = sum(widths)
        table = Table(
            data, colWidths=[self.content_width * w / total for w in widths], repeatRows=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def _section(self, title: str, body: Flowable) -> list[Flowable]:
        return [self._p(title, "Heading1"), body]

    def story(self) -> list[Flowable]:
        e = self.export
        person = e["person"]
        story: list[Flowable] = [
            self._p(report_title(), "Title"),
            self._p(
                _("Prepared on {date} for {name} (no. {id}).").format(
                    date=_when(e["exported_at"]), name=self.name, id=person["id"]
                ),
                "Normal",
            ),
            Spacer(1, 3 * mm),
        ]
        organisation = e["organisation"]["name"] if e["organisation"] else "–"
        master = [
            [_("Name"), self.name],
            [_("Organisation"), organisation],
            [_("Function"), person["function"] or "–"],
            [_("Preferred language"), person["preferred_language"]],
            [_("E-mail"), ", ".join(m["address"] for m in e["emails"]) or "–"],
            [_("Phone"), ", ".join(p["number"] for p in e["phones"]) or "–"],
            [_("Groups"), ", ".join(e["groups"]) or "–"],
            [_("Notes"), person["notes"] or "–"],
            [_("Archived"), _yes_no(person["archived"])],
            [_("Recorded since"), _when(person["created_at"])],
            [_("Last changed"), _when(person["updated_at"])],
        ]
        story += self._section(
            _("Directory data"), self._table([_("Field"), _("Value")], master, [1, 3])
        )
        story += self._section(
            _("Consent"),
            self._table(
                [_("Topic"), _("Given"), _("Recorded"), _("How"), _("Note")],
                [
                    [
                        _(CONSENT_TOPIC_LABELS.get(c["topic"], c["topic"])),
                        _yes_no(c["given"]),
                        _when(c["recorded_at"]),
                        _(CONSENT_METHOD_LABELS.get(c["method"], c["method"])),
                        c["note"],
                    ]
                    for c in e["consents"]
                ],
                [3, 1, 2, 1.5, 3],
            ),
        )
        story += self._section(
            _("Invitations"),
            self._table(
                [_("Meeting"), _("Date"), _("Reply"), _("Sent"), _("Answered")],
                [
                    [
                        i["meeting_title"],
                        _when(i["meeting_start"], with_time=False),
                        _enum_label(INVITATION_STATE_LABELS, InvitationState, i["state"]),
                        _when(i["sent_at"]),
                        _when(i["answered_at"]),
                    ]
                    for i in e["invitations"]
                ],
                [4, 1.5, 1.5, 2, 2],
            ),
        )
        story += self._section(
            _("Attendance"),
            self._table(
                [_("Meeting"), _("Date"), _("Status"), _("Photo consent")],
                [
                    [
                        a["meeting_title"],
                        _when(a["meeting_start"], with_time=False),
                        _enum_label(ATTENDANCE_STATUS_LABELS, AttendanceStatus, a["status"]),
                        _yes_no(a["photo_consent"]),
                    ]
                    for a in e["attendance"]
                ],
                [5, 1.5, 1.5, 1.5],
            ),
        )
        story += self._section(
            _("Roles in meetings"),
            self._table(
                [_("Meeting"), _("Date"), _("Role")],
                [
                    [
                        r["meeting_title"],
                        _when(r["meeting_start"], with_time=False),
                        _(ROLE_LABELS.get(r["role"], r["role"]))
                        + (f": {r['agenda_item']}" if r.get("agenda_item") else ""),
                    ]
                    for r in e["meeting_roles"]
                ],
                [4, 1.5, 3],
            ),
        )
        story += self._section(
            _("Action items"),
            self._table(
                [_("What"), _("Meeting"), _("Due"), _("Status")],
                [
                    [
                        a["text"],
                        a["meeting_title"],
                        _when(a["due"]),
                        _enum_label(ACTION_STATUS_LABELS, ActionItemStatus, a["status"]),
                    ]
                    for a in e["action_items"]
                ],
                [4, 3, 1.5, 1.2],
            ),
        )
        story += self._section(
            _("E-mails to the person"),
            self._table(
                [_("Subject"), _("To"), _("State"), _("Sent")],
                [
                    [
                        m["subject"],
                        m["recipient"],
                        _(MESSAGE_STATE_LABELS.get(m["state"], m["state"])),
                        _when(m["sent_at"]),
                    ]
                    for m in e["emails_sent"]
                ],
                [4, 3, 1.2, 2],
            ),
        )
        story += self._section(
            _("Texts that mention the person"),
            self._table(
                [_("Where"), _("Meeting")],
                [
                    [
                        f"{m['table']}.{m['column']} #{m['row_id']}",
                        str(m["meeting_id"]) if m["meeting_id"] is not None else "–",
                    ]
                    for m in e["mentioned_in"]
                ],
                [4, 1],
            ),
        )
        story += [Spacer(1, 4 * mm), self._p(e["not_included"], "Small")]
        return story


def report_language(export: dict[str, Any]) -> str:
    """The report is for the person it is about: their preferred language ("de" without)."""
    return supported_language(export["person"].get("preferred_language"), DEFAULT_LANGUAGE)


def render_person_report(export: dict[str, Any]) -> bytes:
    with i18n.language(report_language(export)):
        return PersonReportRenderer(export).render_to_bytes()


def write_person_report_pdf(export: dict[str, Any], path: Path) -> None:
    """Render and save atomically (``DocumentWriteError`` with a user message on failure),
    in the person's language (``report_language``)."""
    with i18n.language(report_language(export)):
        PersonReportRenderer(export).write(path)
