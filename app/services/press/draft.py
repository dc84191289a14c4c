"""The press release draft of a held meeting, in the shape of the city's press releases.

``press_draft(db, meeting_id, language)`` writes a first draft from what Treffpunkt knows:
headline and subheadline, a date line, a lead that answers who / what / when / where, how
many institutions and city quarters were present (the figures page's numbers), the projects
the meeting concerned (with their funding), the decisions in plain words, quote placeholders
for the quarter manager (the meeting's organiser), the next meeting, the photo with caption
and credit, and the press contact from the settings (``press.contact``).

The photo is offered only when no one pictured refused photo consent
(``press.photos``); otherwise the draft has no photo and a warning says why. A meeting that
has not been held yet gets no draft (``ValidationError``).

The user edits the fields (``PressDraft`` is frozen; ``dataclasses.replace``) before export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import dates as babel_dates
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.i18n import _, ngettext
from app.models import Decision, Meeting, Minutes, Person, Project
from app.services.meetings import MEETING_STATE_LABELS, label
from app.services.planning.common import load_meeting
from app.services.planning.times import zone
from app.services.press.photos import PhotoClearance, clearances
from app.services.press.phrases import PRESS_LANGUAGES, joined, phrases
from app.services.projects.queries import concerns
from app.services.projects.values import cents_to_amount, format_amount
from app.services.reporting.figures import HELD_STATES, meeting_figures
from app.services.settings_registry import read_press_contact
from app.text import nfc

_LOCALES = {"de": "de_DE", "en": "en_GB"}


@dataclass(frozen=True, slots=True)
class PressPhoto:
    """A photo of the meeting and whether it may be offered to the press."""

    photo_id: int
    filename: str
    caption: str
    credit: str
    usable: bool
    refused: tuple[str, ...]
    unknown: tuple[str, ...]
    subjects_recorded: bool


@dataclass(frozen=True, slots=True)
class PressDraft:
    meeting_id: int
    meeting_title: str
    language: str
    headline: str
    subheadline: str
    dateline: str
    lead: str
    body: str  # paragraphs separated by blank lines; "- " starts a list item
    photo_id: int | None
    caption: str
    credit: str
    contact: str
    photos: tuple[PressPhoto, ...]

    def photo(self) -> PressPhoto | None:
        return next((p for p in self.photos if p.photo_id == self.photo_id), None)


@dataclass(frozen=True, slots=True)
class _Funded:
    name: str
    funder: str
    programme: str
    amount: Decimal | None


def _press_photo(clearance: PhotoClearance) -> PressPhoto:
    return PressPhoto(
        clearance.photo_id,
        clearance.filename,
        clearance.caption,
        clearance.credit,
        clearance.usable,
        clearance.refused,
        clearance.unknown,
        clearance.subjects_recorded,
    )


def photo_warnings(draft: PressDraft) -> list[str]:
    """What the user must know about the photos before publishing (window language)."""
    warnings = []
    refused = [p for p in draft.photos if not p.usable]
    if draft.photos and not any(p.usable for p in draft.photos):
        names = sorted({name for p in refused for name in p.refused})
        warnings.append(
            _(
                "No photo can be offered: someone pictured did not consent to publication "
                "({names})."
            ).format(names=", ".join(names))
        )
    elif refused:
        warnings.append(
            ngettext(
                "{count} photo is not offered: someone pictured did not consent to publication.",
                "{count} photos are not offered: someone pictured did not consent to publication.",
                len(refused),
            ).format(count=len(refused))
        )
    chosen = draft.photo()
    if chosen is not None and chosen.unknown:
        warnings.append(
            _("Photo consent is not recorded for: {names}. Check before publishing.").format(
                names=", ".join(chosen.unknown)
            )
        )
    if chosen is not None and not chosen.subjects_recorded:
        warnings.append(
            _(
                "It is not recorded who is pictured, so everyone present counts as pictured. "
                "Say who is on it in the minutes of the meeting, tab “Photos”."
            )
        )
    return warnings


def _weekday_date(day: date, language: str) -> str:
    if language == "de":
        return babel_dates.format_date(day, "EEEE, d. MMMM y", locale=_LOCALES["de"])
    return babel_dates.format_date(day, "EEEE, d MMMM y", locale=_LOCALES["en"])


def _short_date(day: date, language: str) -> str:
    pattern = "dd.MM.y" if language == "de" else "d MMMM y"
    return babel_dates.format_date(day, pattern, locale=_LOCALES[language])


def check_held(meeting: Meeting) -> None:
    if meeting.state not in HELD_STATES:
        raise ValidationError(
            _(
                "The meeting “{title}” has not been held yet ({state}); a press release can "
                "only be drafted afterwards."
            ).format(title=meeting.title, state=label(MEETING_STATE_LABELS, meeting.state))
        )


def press_draft(
    db: Database, meeting_id: int, language: str = "de", *, today: date | None = None
) -> PressDraft:
    """A first draft (see the module docstring); refuses a meeting not held yet."""
    if language not in PRESS_LANGUAGES:
        raise ValidationError(_("Press releases can be written in German (de) or English (en)."))
    words = phrases(language)
    with db.read() as session:
        meeting = load_meeting(session, meeting_id)
        check_held(meeting)
        local = meeting.start.astimezone(zone(meeting.timezone))
        venue = meeting.venue
        organiser: Person | None = meeting.organiser or meeting.moderator
        organiser_name = organiser_function = ""
        if organiser is not None:
            organiser_name = " ".join(
                p for p in (organiser.title, organiser.first_name, organiser.last_name) if p
            )
            organisation = organiser.organisation.name if organiser.organisation else ""
            organiser_function = ", ".join(
                p for p in (organiser.function or words.manager, organisation) if p
            )
        concern = concerns(session, [meeting_id]).get(meeting_id)
        project_ids = set()
        if concern is not None:
            project_ids = set(concern.whole) | {p for ids in concern.items.values() for p in ids}
        projects = [
            _Funded(p.name, p.funder, p.programme, cents_to_amount(p.amount_cents))
            for p in session.scalars(
                select(Project).where(Project.id.in_(project_ids)).order_by(Project.name_key)
            )
        ]
        decisions = [
            d.text
            for d in session.scalars(
                select(Decision)
                .where(Decision.meeting_id == meeting_id)
                .order_by(Decision.position, Decision.id)
            )
        ]
        minutes = session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()
        photos = [_press_photo(c) for c in clearances(session, [meeting_id]).get(meeting_id, [])]
        contact = read_press_contact(session)
        if not contact and organiser is not None:
            contact = "\n".join(
                p
                for p in (
                    organiser_name,
                    organiser_function,
                    organiser.preferred_email or "",
                    organiser.phones[0].number if organiser.phones else "",
                )
                if p
            )
        city = (venue.city if venue is not None else "") or ""
        venue_name = venue.name if venue is not None else ""
        next_start = minutes.next_meeting_start if minutes is not None else None
        next_place = minutes.next_meeting_place if minutes is not None else ""
        title = meeting.title
    figures = meeting_figures(db, meeting_id)

    def fill(template: str, **values: object) -> str:
        return template.format(**values)

    amount_locale = _LOCALES[language]
    funded = [p for p in projects if p.amount]
    if funded:
        main = funded[0]
        subheadline = fill(
            words.subheadline_funded,
            amount=format_amount(main.amount, locale=amount_locale),
            programme=main.programme or main.funder,
            project=main.name,
        )
    elif projects:
        subheadline = fill(
            words.subheadline_projects, projects=joined([p.name for p in projects], language)
        )
    else:
        subheadline = ""
    lead_parts = [
        fill(
            words.lead if venue_name else words.lead_no_venue,
            participants=figures.participants,
            organisations=figures.organisations_represented,
            weekday_date=_weekday_date(local.date(), language),
            title=title,
            venue=venue_name,
        )
    ]
    if organiser_name:
        lead_parts.append(fill(words.invited_by, name=organiser_name, function=organiser_function))
    paragraphs = []
    if figures.quarter_names:
        paragraphs.append(
            fill(
                words.represented,
                organisations=figures.organisations_represented,
                quarters=figures.quarters_represented,
                quarter_names=joined(list(figures.quarter_names), language),
            )
        )
    else:
        paragraphs.append(
            fill(words.represented_no_quarters, organisations=figures.organisations_represented)
        )
    if projects:
        names = [f"„{p.name}“" if language == "de" else f"“{p.name}”" for p in projects]
        template = words.projects_one if len(projects) == 1 else words.projects_many
        text = fill(template, projects=joined(names, language))
        for project in funded:
            amount = format_amount(project.amount, locale=amount_locale)
            if project.programme and project.funder:
                sentence = fill(
                    words.funded,
                    project=project.name,
                    amount=amount,
                    programme=project.programme,
                    funder=project.funder,
                )
            elif project.programme or project.funder:
                sentence = fill(
                    words.funded_by,
                    project=project.name,
                    amount=amount,
                    source=project.programme or project.funder,
                )
            else:
                sentence = fill(words.funded_plain, project=project.name, amount=amount)
            text += " " + sentence
        paragraphs.append(text)
    if organiser_name:
        paragraphs.append(
            fill(words.quote_manager, name=organiser_name, function=organiser_function)
        )
    else:
        paragraphs.append(words.quote_manager_unknown)
    if decisions:
        paragraphs.append(
            words.decisions_intro + "\n" + "\n".join(f"- {nfc(text)}" for text in decisions)
        )
    if organiser_name:
        paragraphs.append(fill(words.quote_second, name=organiser_name))
    if next_start is not None:
        next_day = next_start.astimezone(zone("Europe/Berlin")).date()
        paragraphs.append(
            fill(words.next_meeting, date=_weekday_date(next_day, language), place=next_place)
            if next_place
            else fill(words.next_meeting_no_place, date=_weekday_date(next_day, language))
        )
    chosen = next((p for p in photos if p.usable), None)
    return PressDraft(
        meeting_id=meeting_id,
        meeting_title=title,
        language=language,
        headline=fill(words.headline, title=title),
        subheadline=subheadline,
        dateline=fill(words.dateline, city=city, date=_short_date(today or date.today(), language))
        if city
        else _short_date(today or date.today(), language),
        lead=" ".join(lead_parts),
        body="\n\n".join(paragraphs),
        photo_id=chosen.photo_id if chosen is not None else None,
        caption=chosen.caption if chosen is not None else "",
        credit=chosen.credit if chosen is not None else "",
        contact=contact,
        photos=tuple(photos),
    )
