"""The fixed phrases of a press release, per language (German first, English available).

Like the mail phrases (``app.services.phrases``), these are plain per-language constants: a
press release is written in its own language, chosen in the editor, whatever language the
window speaks. Placeholders in square brackets are for the user to fill in before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

PRESS_LANGUAGES = ("de", "en")


@dataclass(frozen=True, slots=True)
class PressPhrases:
    headline: str  # {title}
    subheadline_funded: str  # {amount} {programme} {project}
    subheadline_projects: str  # {projects}
    dateline: str  # {city} {date}
    lead: str  # {participants} {organisations} {weekday_date} {title} {venue}
    lead_no_venue: str
    invited_by: str  # {name} {function}
    represented: str  # {organisations} {quarters} {quarter_names}
    represented_no_quarters: str  # {organisations}
    projects_one: str  # {projects}
    projects_many: str  # {projects}
    funded: str  # {project} {amount} {programme} {funder}
    funded_by: str  # {project} {amount} {source}: only the programme or the funder known
    funded_plain: str  # {project} {amount}
    decisions_intro: str
    quote_manager: str  # {name} {function}
    quote_manager_unknown: str
    quote_second: str  # {name}
    next_meeting: str  # {date} {place}
    next_meeting_no_place: str  # {date}
    contact_heading: str
    photo: str  # "Foto"
    caption_prefix: str
    and_: str
    manager: str  # the default function: "Quartiersmanagerin" etc. when none is known


PHRASES = {
    "de": PressPhrases(
        headline="{title}: Netzwerk zieht Bilanz",
        subheadline_funded="{amount} aus der {programme} für „{project}“",
        subheadline_projects="Im Mittelpunkt: {projects}",
        dateline="{city}, {date}",
        lead=(
            "{participants} Teilnehmende aus {organisations} Einrichtungen und Initiativen sind "
            "am {weekday_date} zum „{title}“ im {venue} zusammengekommen."
        ),
        lead_no_venue=(
            "{participants} Teilnehmende aus {organisations} Einrichtungen und Initiativen sind "
            "am {weekday_date} zum „{title}“ zusammengekommen."
        ),
        invited_by="Eingeladen hatte {name}, {function}.",
        represented=(
            "Vertreten waren {organisations} Einrichtungen und Initiativen aus {quarters} "
            "Quartieren: {quarter_names}."
        ),
        represented_no_quarters="Vertreten waren {organisations} Einrichtungen und Initiativen.",
        projects_one="Vorgestellt und besprochen wurde das Projekt {projects}.",
        projects_many="Vorgestellt und besprochen wurden die Projekte {projects}.",
        funded="„{project}“ wird mit {amount} aus der {programme} ({funder}) gefördert.",
        funded_by="„{project}“ wird mit {amount} gefördert ({source}).",
        funded_plain="„{project}“ wird mit {amount} gefördert.",
        decisions_intro="Die Teilnehmenden haben beschlossen:",
        quote_manager="„[Zitat]“, sagt {name}, {function}.",
        quote_manager_unknown="„[Zitat]“, sagt [Name], [Funktion].",
        quote_second="„[Zweites Zitat]“, betont {name}.",
        next_meeting="Das nächste Treffen ist für den {date} im {place} geplant.",
        next_meeting_no_place="Das nächste Treffen ist für den {date} geplant.",
        contact_heading="Pressekontakt",
        photo="Foto",
        caption_prefix="Bildunterschrift",
        and_="und",
        manager="Quartiersmanagement",
    ),
    "en": PressPhrases(
        headline="{title}: the network takes stock",
        subheadline_funded="{amount} from the {programme} for “{project}”",
        subheadline_projects="In focus: {projects}",
        dateline="{city}, {date}",
        lead=(
            "{participants} participants from {organisations} institutions and initiatives "
            "met on {weekday_date} for the “{title}” at {venue}."
        ),
        lead_no_venue=(
            "{participants} participants from {organisations} institutions and initiatives "
            "met on {weekday_date} for the “{title}”."
        ),
        invited_by="The meeting was convened by {name}, {function}.",
        represented=(
            "{organisations} institutions and initiatives from {quarters} quarters took "
            "part: {quarter_names}."
        ),
        represented_no_quarters="{organisations} institutions and initiatives took part.",
        projects_one="The project {projects} was presented and discussed.",
        projects_many="The projects {projects} were presented and discussed.",
        funded="“{project}” is funded with {amount} from the {programme} ({funder}).",
        funded_by="“{project}” is funded with {amount} ({source}).",
        funded_plain="“{project}” is funded with {amount}.",
        decisions_intro="The participants decided:",
        quote_manager="“[Quote]”, says {name}, {function}.",
        quote_manager_unknown="“[Quote]”, says [name], [function].",
        quote_second="“[Second quote]”, {name} stresses.",
        next_meeting="The next meeting is planned for {date} at {place}.",
        next_meeting_no_place="The next meeting is planned for {date}.",
        contact_heading="Press contact",
        photo="Photo",
        caption_prefix="Caption",
        and_="and",
        manager="quarter management",
    ),
}


def phrases(language: str) -> PressPhrases:
    return PHRASES[language if language in PHRASES else "de"]


def joined(items: list[str], language: str) -> str:
    """ "A, B und C" / "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {phrases(language).and_} {items[-1]}"
