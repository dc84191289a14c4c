"""The Art. 15 report as a readable PDF, rendered from the dict of ``privacy.export_person``.

The export dict is the snapshot (built first, in one read session); this renderer only lays
it out, with the shared ``DocumentRenderer`` (fonts, "Page X of Y", metadata, atomic save).

Written for the person who asked, in plain language: who is responsible (the letterhead of
the settings), the answers Art. 15 (1) a–h requires (purposes, categories, recipients,
retention from the settings, rights, complaint, source, automated decisions), then the data
itself with human labels only: no table or column names, no record numbers, no language
codes. Statements agree with each other: invitations sent by e-mail are not contradicted by
an empty list of *stored copies* of e-mails, which is what the e-mail section lists.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app import i18n
from app.documents.base import LIGHT_GREY, RULE_GREY, DocumentRenderer
from app.documents.fonts import REGULAR
from app.documents.text import pdf_text
from app.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    babel_locale,
    format_date,
    format_datetime,
    supported_language,
)
from app.models import ActionItemStatus, AttendanceStatus
from app.services.meetings import ACTION_STATUS_LABELS, ATTENDANCE_STATUS_LABELS
from app.services.snapshots.common import DocumentInfo

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
# The person's answer to an invitation, as the person would say it.
REPLY_LABELS = {
    # Translators: Art. 15 report, the person's reply to an invitation.
    "not_sent": N_("not invited yet"),
    "sent": N_("no reply"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "tentative": N_("maybe"),
}
ROLE_LABELS = {
    # Translators: Art. 15 report, the person's role in a meeting.
    "organiser": N_("Organising the meeting"),
    "moderator": N_("Moderation"),
    "minute_taker": N_("Taking the minutes"),
    "presenter": N_("Presenting"),
}
SALUTATION_LABELS = {"frau": N_("Ms"), "herr": N_("Mr")}
# Where a text mentions the person, in words (never the table and column it is stored in).
MENTION_LABELS: dict[tuple[str, str], str] = {
    ("meetings", "title"): N_("Title of a meeting"),
    ("meetings", "description"): N_("Description of a meeting"),
    ("agenda_items", "title"): N_("Agenda item"),
    ("agenda_items", "description"): N_("Description of an agenda item"),
    ("agenda_items", "presenter_text"): N_("Presenter of an agenda item"),
    ("agenda_items", "notes"): N_("Minutes: notes on an agenda item"),
    ("minutes", "next_meeting_place"): N_("Minutes: the next meeting"),
    ("minutes", "next_meeting_note"): N_("Minutes: the next meeting"),
    ("minutes", "informed_only"): N_("Minutes: distribution list"),
    ("minutes_revisions", "change_summary"): N_("Minutes: note on a correction"),
    ("minutes_revisions", "snapshot_json"): N_("Minutes: a finalised version"),
    ("decisions", "text"): N_("Minutes: a decision"),
    ("action_items", "text"): N_("An action item"),
    ("action_items", "owner_text"): N_("Who is responsible for an action item"),
    ("photos", "caption"): N_("Caption of a photo"),
    ("photos", "credit"): N_("Credit of a photo"),
    ("photos", "filename"): N_("File name of a photo"),
    ("invitations", "note"): N_("Note on an invitation"),
    ("attendances", "guest_name"): N_("Attendance list: a guest"),
    ("attendances", "guest_organisation"): N_("Attendance list: a guest"),
    ("outbox_messages", "subject"): N_("An e-mail to someone else"),
    ("outbox_messages", "body"): N_("An e-mail to someone else"),
    ("outbox_messages", "last_error"): N_("An e-mail to someone else"),
    ("outbox_attachments", "filename"): N_("Attachment of an e-mail"),
    ("people", "notes"): N_("Notes about another person"),
    ("people", "function"): N_("Function of another person"),
    ("consent_records", "note"): N_("Note on another person's consent"),
    ("organisations", "notes"): N_("Notes about an organisation"),
    ("organisations", "email"): N_("Contact details of an organisation"),
    ("organisations", "phone"): N_("Contact details of an organisation"),
    ("venues", "notes"): N_("Notes about a venue"),
    ("venues", "accessibility_notes"): N_("Notes about a venue"),
    ("groups", "description"): N_("Description of a group"),
    ("settings", "value_json"): N_("Program settings (e.g. letterhead, mail templates)"),
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
        # Translators: Art. 15 report, e.g. photo consent at a meeting nobody asked about.
        return _("not asked")
    return _("yes") if value else _("no")


def _label(labels: dict[str, str], value: str) -> str:
    return _(labels[value]) if value in labels else value


def language_name(code: str) -> str:
    """ "de" → "Deutsch" (in the report's language); an unknown code stays as it is."""
    if not code:
        return "–"
    try:
        from babel import Locale

        name = Locale.parse(code.replace("-", "_")).get_display_name(babel_locale())
    except (ValueError, TypeError, LookupError):
        return code
    return name or code


def mention_label(table: str, column: str) -> str:
    label = MENTION_LABELS.get((table, column))
    # Translators: Art. 15 report, a text of another kind that mentions the person.
    return _(label) if label else _("Another text")


def _address(person: dict[str, Any]) -> str:
    town = " ".join(part for part in (person.get("postcode", ""), person.get("city", "")) if part)
    parts = [person.get("street", ""), town, person.get("country", "")]
    return ", ".join(part for part in parts if part)


class PersonReportRenderer(DocumentRenderer):
    """A4 portrait: who answers, the Art. 15 (1) a–h answers, then the stored data."""

    def __init__(self, export: dict[str, Any]) -> None:
        person = export["person"]
        self.export = export
        self.name = " ".join(
            p for p in (person["title"], person["first_name"], person["last_name"]) if p
        )
        controller = export.get("controller") or {}
        super().__init__(
            DocumentInfo(
                title=f"{report_title()}: {self.name}",
                author=controller.get("name", ""),
                subject=report_title(),
            )
        )

    # -- building blocks -----------------------------------------------------------------------

    def _p(self, text: str, style: str = "TableCell") -> Paragraph:
        return Paragraph(pdf_text(text), self.styles[style])

    def _table(self, headers: list[str], rows: list[list[str]], widths: list[float]) -> Flowable:
        data = [[self._p(h, "TableHeader") for h in headers]]
        data += [[self._p(cell) for cell in row] for row in rows]
        total = sum(widths)
        table = Table(
            data, colWidths=[self.content_width * w / total for w in widths], repeatRows=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), REGULAR),
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        table.hAlign = "LEFT"
        return table

    def _pairs(self, rows: list[tuple[str, str]], label_share: float = 0.3) -> Flowable:
        """Label | text rows without a header (the overview and the directory data)."""
        label_width = self.content_width * label_share
        data = [[self._p(label, "Label"), self._p(text, "TableCell")] for label, text in rows]
        table = Table(data, colWidths=[label_width, self.content_width - label_width])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), REGULAR),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        table.hAlign = "LEFT"
        return table

    def _section(self, title: str, *body: Flowable) -> list[Flowable]:
        return [self._p(title, "Heading1"), *body]

    def _none(self, text: str | None = None) -> Paragraph:
        # Translators: Art. 15 report, under a heading with nothing to list.
        return self._p(text or _("None."), "Normal")

    # -- the story -----------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        e = self.export
        story: list[Flowable] = [
            self._p(report_title(), "Title"),
            self._p(
                # Translators: Art. 15 report, under the title: for whom, as of when.
                _("For {name}, as of {date}.").format(
                    name=self.name, date=_when(e["exported_at"], with_time=False)
                ),
                "Normal",
            ),
            Spacer(1, 2 * mm),
            self._p(
                _(
                    "You asked which personal data about you we store. This is the complete "
                    "answer: first the information the GDPR requires, then the data itself."
                ),
                "Normal",
            ),
        ]
        story += self._controller()
        story += self._overview()
        story += self._directory_data()
        story += self._consents()
        story += self._invitations()
        story += self._attendance()
        story += self._photos()
        story += self._roles_and_actions()
        story += self._emails()
        story += self._mentions()
        story += [Spacer(1, 4 * mm), self._p(e["not_included"], "Small")]
        return story

    def _controller(self) -> list[Flowable]:
        controller = self.export.get("controller")
        if controller:
            lines = [controller["name"], *controller.get("address_lines", [])]
            body = Paragraph("<br/>".join(pdf_text(line) for line in lines), self.styles["Normal"])
        else:
            body = self._p(
                _(
                    "The organiser of the network. (The name and address of the organisation "
                    "responsible have not been entered in Treffpunkt's letterhead yet.)"
                ),
                "Normal",
            )
        # Translators: Art. 15 report, heading over the controller's name and address.
        return self._section(_("Who is responsible for your data"), body)

    def _overview(self) -> list[Flowable]:
        """Art. 15 (1) a–h, each in a sentence or two."""
        e = self.export
        months = int(e.get("retention_months") or 24)
        rows = [
            (
                # Translators: Art. 15 (1) a GDPR.
                _("a) Purposes"),
                _(
                    "Organising the network and its meetings: invitations, attendance, minutes "
                    "and action items, and proving to the funding body who met and what was "
                    "decided (Art. 6 (1) c and f GDPR). Photos only with your consent "
                    "(Art. 6 (1) a GDPR)."
                ),
            ),
            (_("b) Categories of data"), self._categories()),
            (_("c) Recipients"), self._recipients()),
            (
                _("d) How long"),
                _(
                    "As long as you take part in the network. Whoever has not been active for "
                    "{months} months is reviewed, and data no longer needed is then deleted. "
                    "Sign-in sheets and minutes are kept as long as the funding conditions "
                    "require."
                ).format(months=months),
            ),
            (
                _("e) Your rights"),
                _(
                    "You may ask for your data to be corrected (Art. 16), erased (Art. 17) or "
                    "its use restricted (Art. 18), and you may object to its use (Art. 21). "
                    "You may withdraw a consent at any time, for the future (Art. 7 (3))."
                ),
            ),
            (
                _("f) Complaints"),
                _(
                    "You may complain to a data protection supervisory authority (Art. 77 "
                    "GDPR), for example the one of the federal state where you live."
                ),
            ),
            (_("g) Where the data comes from"), self._sources()),
            (
                _("h) Automated decisions"),
                _("There is no automated decision-making and no profiling (Art. 22 GDPR)."),
            ),
        ]
        # Translators: Art. 15 report, heading of the a–h answers.
        return self._section(_("The information at a glance (Art. 15 (1) GDPR)"), self._pairs(rows))

    def _recipients(self) -> str:
        text = _(
            "The participants of a meeting receive its minutes, which name those "
            "present and their organisations. The funding body receives sign-in sheets "
            "and minutes as proof. E-mails are sent through the organiser's mail "
            "provider. Nothing is passed to countries outside the EU."
        )
        if any(photo["publishable"] for photo in self.export.get("photos", [])):
            text += " " + _(
                "Photos that may be published go to the press with a press release and into "
                "reports to the funding body."
            )
        return text

    def _categories(self) -> str:
        e = self.export
        person = e["person"]
        found = [_("name and salutation")]
        if e["organisation"] or person["function"]:
            found.append(_("organisation and function"))
        contact = []
        if e["emails"]:
            contact.append(_("e-mail address"))
        if e["phones"]:
            contact.append(_("phone number"))
        if _address(person):
            contact.append(_("postal address"))
        if contact:
            found.append(_("contact details ({items})").format(items=", ".join(contact)))
        if e["groups"]:
            found.append(_("membership of groups of the network"))
        found.append(_("preferred language"))
        if e["consents"]:
            found.append(_("consents and withdrawals"))
        if e["invitations"]:
            found.append(_("invitations and your replies"))
        if e["attendance"]:
            found.append(_("attendance at meetings and photo consent"))
        if e.get("photos"):
            found.append(_("photos of meetings that show or may show you"))
        if e["meeting_roles"] or e["action_items"]:
            found.append(_("roles and action items in meetings"))
        if e["emails_sent"]:
            found.append(_("e-mails sent to you (subject, address, time)"))
        if person["notes"]:
            found.append(_("notes"))
        if e["mentioned_in"]:
            found.append(_("mentions in minutes and other texts"))
        text = ", ".join(found)
        return text[:1].upper() + text[1:] + "."

    def _sources(self) -> str:
        e = self.export
        methods = {c["method"] for c in e["consents"]}
        parts = []
        if methods & {"form", "signin_sheet", "email", "verbal"}:
            parts.append(
                _("From you yourself (by form, on a sign-in sheet, by e-mail or in person).")
            )
        if "import" in methods:
            parts.append(_("From a contact list of the organiser that was imported."))
        if not parts:
            parts.append(
                _(
                    "From you or your organisation, in the course of working together in the "
                    "network."
                )
            )
        if e["attendance"] or e["meeting_roles"]:
            parts.append(_("Attendance and roles come from the sign-in sheets and the minutes."))
        return " ".join(parts)

    def _directory_data(self) -> list[Flowable]:
        e = self.export
        person = e["person"]
        organisation = e["organisation"]["name"] if e["organisation"] else "–"
        emails = [
            m["address"]
            + (" (" + _("preferred") + ")" if m["preferred"] and len(e["emails"]) > 1 else "")
            for m in e["emails"]
        ]
        own = _address(person)
        if own:
            kind = _("private") if person.get("address_kind") == "private" else _("work")
            address = f"{own} ({kind})"
        else:
            letter = e.get("letter_address")
            address = (
                _("none of your own; letters go to your organisation: {address}").format(
                    address=_address(letter)
                )
                if letter
                else "–"
            )
        salutation = SALUTATION_LABELS.get(person["salutation"])
        rows = [
            (_("Salutation"), _(salutation) if salutation else "–"),
            (_("Name"), self.name),
            (_("Organisation"), organisation),
            (_("Function"), person["function"] or "–"),
            (_("Postal address"), address),
            (_("E-mail"), ", ".join(emails) or "–"),
            (_("Phone"), ", ".join(p["number"] for p in e["phones"]) or "–"),
            (_("Groups"), ", ".join(e["groups"]) or "–"),
            (_("Preferred language"), language_name(person["preferred_language"])),
            (_("Notes"), person["notes"] or "–"),
            (
                _("Status"),
                _("archived: no longer invited") if person["archived"] else _("active"),
            ),
            (_("Recorded on"), _when(person["created_at"], with_time=False)),
            (_("Last changed on"), _when(person["updated_at"], with_time=False)),
        ]
        # Translators: Art. 15 report, heading over name, organisation, contact details.
        return self._section(_("Your data in the directory"), self._pairs(rows, 0.25))

    def _consents(self) -> list[Flowable]:
        rows = [
            [
                _label(CONSENT_TOPIC_LABELS, c["topic"]),
                _("given") if c["given"] else _("refused or withdrawn"),
                _when(c["recorded_at"], with_time=False),
                _label(CONSENT_METHOD_LABELS, c["method"]),
                c["note"] or "–",
            ]
            for c in self.export["consents"]
        ]
        body = (
            self._table(
                [_("Topic"), _("Your answer"), _("On"), _("How"), _("Note")],
                rows,
                [3, 2, 1.6, 1.5, 3],
            )
            if rows
            else self._none()
        )
        return self._section(_("Consent"), body)

    def _invitations(self) -> list[Flowable]:
        rows = []
        for i in self.export["invitations"]:
            reply = _label(REPLY_LABELS, i["state"])
            if i["answered_at"] and i["state"] in ("accepted", "declined", "tentative"):
                # Translators: Art. 15 report, a reply and its date ("zugesagt am 25.09.2023").
                reply = _("{reply} on {date}").format(
                    reply=reply, date=_when(i["answered_at"], with_time=False)
                )
            rows.append(
                [
                    i["meeting_title"],
                    _when(i["meeting_start"], with_time=False),
                    _when(i["sent_at"], with_time=False),
                    reply,
                ]
            )
        body = (
            self._table(
                [_("Meeting"), _("Date"), _("Invitation sent"), _("Your reply")],
                rows,
                [4, 1.5, 1.8, 2.2],
            )
            if rows
            else self._none()
        )
        return self._section(_("Invitations"), body)

    def _attendance(self) -> list[Flowable]:
        rows = [
            [
                a["meeting_title"],
                _when(a["meeting_start"], with_time=False),
                _label(
                    {s.value: v for s, v in ATTENDANCE_STATUS_LABELS.items()},
                    AttendanceStatus(a["status"]).value,
                ),
                _yes_no(a["photo_consent"]),
            ]
            for a in self.export["attendance"]
        ]
        body = (
            self._table(
                [_("Meeting"), _("Date"), _("Attendance"), _("Photos allowed")],
                rows,
                [4.5, 1.5, 1.6, 1.8],
            )
            if rows
            else self._none()
        )
        return self._section(_("Attendance at meetings"), body)

    def _photos(self) -> list[Flowable]:
        """Photos that show (or may show) the person; nothing when there are none."""
        photos = self.export.get("photos", [])
        if not photos:
            return []
        rows = []
        for photo in photos:
            meeting = "{title} ({date})".format(
                title=photo["meeting_title"], date=_when(photo["meeting_start"], with_time=False)
            )
            described = photo["caption"] or photo["filename"]
            if photo["credit"]:
                described += "\n" + photo["credit"]
            pictured = (
                _("yes")
                if photo["recorded_as_pictured"]
                # Translators: Art. 15 report: nobody recorded who is on a photo of a meeting.
                else _("possibly (it is not recorded who is on it)")
            )
            published = [
                # Translators: Art. 15 report, a press release that used the photo.
                _("{headline} ({date})").format(
                    headline=release["headline"],
                    date=_when(release["issued_at"], with_time=False),
                )
                for release in photo["press_releases"]
            ]
            use = _("yes") if photo["publishable"] else _("no")
            if published:
                use += "\n" + _("Used in: {releases}").format(releases="; ".join(published))
            rows.append([meeting, described, pictured, use])
        intro = self._p(
            _(
                "A photo may be published (with a press release, in a report to the funding "
                "body) only when no one on it refused photo consent."
            ),
            "Normal",
        )
        return self._section(
            # Translators: Art. 15 report, heading over the photos that show the person.
            _("Photos that show or may show you"),
            intro,
            Spacer(1, 1.5 * mm),
            self._table(
                [_("Meeting"), _("Photo"), _("You are on it"), _("May be published")],
                rows,
                [3, 3.5, 1.8, 2.5],
            ),
        )

    def _roles_and_actions(self) -> list[Flowable]:
        e = self.export
        story: list[Flowable] = []
        roles = []
        for r in e["meeting_roles"]:
            role = _label(ROLE_LABELS, r["role"])
            if r.get("agenda_item"):
                # Translators: Art. 15 report: presenting an agenda item ("Vortrag: „Titel“").
                role = _("{role}: “{item}”").format(role=role, item=r["agenda_item"])
            roles.append([r["meeting_title"], _when(r["meeting_start"], with_time=False), role])
        if roles:
            story += self._section(
                _("Roles in meetings"),
                self._table([_("Meeting"), _("Date"), _("Role")], roles, [4, 1.5, 3.5]),
            )
        statuses = {s.value: v for s, v in ACTION_STATUS_LABELS.items()}
        actions = [
            [
                a["text"],
                a["meeting_title"],
                _when(a["due"], with_time=False),
                _label(statuses, ActionItemStatus(a["status"]).value),
            ]
            for a in e["action_items"]
        ]
        if actions:
            story += self._section(
                _("Action items"),
                self._table(
                    [_("What"), _("From the meeting"), _("Due"), _("Status")],
                    actions,
                    [4, 3, 1.5, 1.2],
                ),
            )
        return story

    def _emails(self) -> list[Flowable]:
        e = self.export
        rows = [
            [
                m["subject"],
                m["recipient"],
                _label(MESSAGE_STATE_LABELS, m["state"]),
                _when(m["sent_at"]),
            ]
            for m in e["emails_sent"]
        ]
        # Translators: Art. 15 report: the e-mails of which Treffpunkt keeps a copy.
        title = _("Stored copies of e-mails to you")
        if rows:
            return self._section(
                title,
                self._table([_("Subject"), _("To"), _("State"), _("Sent")], rows, [4, 3, 1.2, 2]),
            )
        if any(i["sent_at"] for i in e["invitations"]):
            text = _(
                "No copies of e-mails to you are stored. When invitations were sent to you "
                "is listed above under “Invitations”."
            )
        else:
            text = _("No copies of e-mails to you are stored.")
        return self._section(title, self._none(text))

    def _mentions(self) -> list[Flowable]:
        counts: Counter[tuple[str, str, str]] = Counter()
        for m in self.export["mentioned_in"]:
            meeting = ""
            if m.get("meeting_title"):
                meeting = m["meeting_title"]
                if m.get("meeting_start"):
                    meeting += f" ({_when(m['meeting_start'], with_time=False)})"
            counts[
                (mention_label(m["table"], m["column"]), meeting, m.get("meeting_start") or "")
            ] += 1
        rows = [
            [label if count == 1 else f"{label} ({count}×)", meeting or "–"]
            for (label, meeting, _start), count in sorted(
                counts.items(), key=lambda item: (item[0][2], item[0][0])
            )
        ]
        body = self._table([_("Where"), _("Meeting")], rows, [3, 3]) if rows else self._none()
        # Translators: Art. 15 report: other texts in which the person's name appears.
        return [KeepTogether(self._section(_("Texts that mention you"), body))]


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
