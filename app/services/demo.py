"""The demo network: the "Impuls.Ag" of Krefeld, ready to explore, print and mail.

Modelled on the real city-wide network of ~40 institutions (press release of the city of
Krefeld, 24 Nov 2022): the institutions may be real, every person is invented. E-mail domains
end in ``.example`` (RFC 2606) and telephone numbers come from the Bundesnetzagentur's range for
media productions (Köln 0221 4710-000…999), so the demo never reaches a real inbox or phone.

Everything is deterministic: the same ``today`` gives the same rows, so tests and screenshots
stay stable. The content is data (German, like the network), not user interface text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DatabaseNotEmpty
from app.i18n import _
from app.models import (
    ActionItem,
    ActionItemStatus,
    AddressKind,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Decision,
    Group,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    Organisation,
    OrganisationKind,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
    Venue,
)
from app.services.demo_projects import PRESS_CONTACT, add_demo_projects
from app.services.letterhead import LetterheadFields, write_letterhead_fields
from app.services.mail_settings import MailMode, SmtpSettings, write_smtp_settings
from app.services.planning.defaults import MeetingDefaults, write_meeting_defaults
from app.services.settings_registry import write_press_contact
from app.services.setup_assistant import SetupOutcome, mark_setup

TIMEZONE = "Europe/Berlin"
BERLIN = ZoneInfo(TIMEZONE)
CITY = "Krefeld"
PHONE_PREFIX = "0221 4710-"  # BNetzA "drama numbers": never assigned to a subscriber


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    people: int
    meetings: int
    upcoming_meeting_id: int


# =============================================================================================
# Directory data

QUARTERS = ("Lehmheide", "Bleichpfad/Hardenberg", "Gatherhof", "Schinkenplatz", "Stahldorf")

# Code letter in the people table → group name and description.
GROUPS: dict[str, tuple[str, str]] = {
    "I": ("Impuls.Ag", "Stadtweites Netzwerk für Teilhabe und Integration in den Quartieren."),
    "S": ("Sport", "Sportvereine und Bewegungsangebote (Sport im Park, Sportpark Mobil)."),
    "Q": ("Quartiersbüros", "Quartiersmanagement und Quartiershelfer in den fünf Quartieren."),
    "G": ("Gemeinschaftsunterkünfte", "Leitungen und Ansprechpersonen der Unterkünfte."),
    "L": ("Lenkungskreis", "Bereitet die Netzwerktreffen vor (seit dem Auftakttreffen 2022)."),
}

K = OrganisationKind


class _Org(NamedTuple):
    key: str
    name: str
    kind: OrganisationKind
    street: str
    postcode: str
    domain: str  # website www.<domain>, e-mail info@<domain>; "" for neither
    quarters: tuple[str, ...] = ()
    notes: str = ""


ORGANISATIONS: tuple[_Org, ...] = (
    _Org(
        "stadt",
        "Stadt Krefeld – Fachbereich Soziales / Integration",
        K.MUNICIPALITY,
        "Von-der-Leyen-Platz 1",
        "47798",
        "krefeld.example",
        (),
        "Fördermittelgeber: Integrationspauschale des Landes NRW („Projekt 37F“, 2020–2022), "
        "ab 2023 städtische Haushaltsmittel. Sitz des sozialen Quartiersmanagements.",
    ),
    _Org(
        "ki",
        "Kommunales Integrationszentrum Krefeld",
        K.MUNICIPALITY,
        "Friedrich-Ebert-Straße 42",
        "47799",
        "ki-krefeld.example",
    ),
    _Org(
        "integrationsrat",
        "Integrationsrat der Stadt Krefeld",
        K.MUNICIPALITY,
        "Von-der-Leyen-Platz 1",
        "47798",
        "integrationsrat-krefeld.example",
    ),
    _Org(
        "qb-lehmheide",
        "Quartiersbüro Lehmheide",
        K.NEIGHBOURHOOD_OFFICE,
        "Lehmheider Straße 112",
        "47805",
        "quartiersbuero-lehmheide.example",
        ("Lehmheide",),
        "Sprechstunden Mo, Mi 10–13 Uhr und Do 15–18 Uhr. Gemeinschaftsraum für bis zu 30 "
        "Personen.",
    ),
    _Org(
        "qb-bleichpfad",
        "Quartiersbüro Bleichpfad/Hardenberg",
        K.NEIGHBOURHOOD_OFFICE,
        "Bleichpfad 28",
        "47799",
        "quartiersbuero-bleichpfad.example",
        ("Bleichpfad/Hardenberg",),
    ),
    _Org(
        "qb-gatherhof",
        "Quartiersbüro Gatherhof",
        K.NEIGHBOURHOOD_OFFICE,
        "Gatherhofstraße 14",
        "47805",
        "quartiersbuero-gatherhof.example",
        ("Gatherhof",),
    ),
    _Org(
        "qb-schinkenplatz",
        "Quartiersbüro Schinkenplatz",
        K.NEIGHBOURHOOD_OFFICE,
        "Schinkenplatz 6",
        "47798",
        "quartiersbuero-schinkenplatz.example",
        ("Schinkenplatz",),
        "Seit 2022. Sucht noch Räume für Gruppenangebote.",
    ),
    _Org(
        "qb-stahldorf",
        "Quartiersbüro Stahldorf",
        K.NEIGHBOURHOOD_OFFICE,
        "Stahldorfer Platz 3",
        "47807",
        "quartiersbuero-stahldorf.example",
        ("Stahldorf",),
        "Seit 2022, gemeinsam mit der Gemeinschaftsunterkunft Wehrhahnweg im Ladenlokal Stahldorf.",
    ),
    _Org(
        "bayer",
        "Bayer SC05 e. V.",
        K.SPORTS_CLUB,
        "Löschenhofweg 70",
        "47829",
        "bayer-sc05.example",
        (),
        "Träger von „Sportpark Mobil“: ein Anhänger mit Sport- und Spielgeräten fährt in die "
        "Quartiere.",
    ),
    _Org(
        "vfr",
        "VfR Krefeld e. V.",
        K.SPORTS_CLUB,
        "Am Kaiser-Wilhelm-Park 5",
        "47800",
        "vfr-krefeld.example",
        (),
        "„Sport im Park“ im Kaiser-Wilhelm-Park, gemeinsam mit der Gemeinschaftsunterkunft "
        "Westparkstraße.",
    ),
    _Org(
        "boxclub",
        "Boxsportverein Stahldorf e. V.",
        K.SPORTS_CLUB,
        "Hafenstraße 61",
        "47807",
        "bsv-stahldorf.example",
        ("Stahldorf",),
    ),
    _Org(
        "gu-wehrhahn",
        "Gemeinschaftsunterkunft Wehrhahnweg",
        K.SHELTER,
        "Wehrhahnweg 7",
        "47807",
        "gu-wehrhahnweg.example",
        ("Stahldorf",),
        "Hat das Ladenlokal Stahldorf ertüchtigt: Sprachcafé, Kleidertausch, Hausaufgabenhilfe.",
    ),
    _Org(
        "gu-westpark",
        "Gemeinschaftsunterkunft Westparkstraße",
        K.SHELTER,
        "Westparkstraße 45",
        "47803",
        "gu-westparkstrasse.example",
        (),
        "Gemeinwesenorientierte Zusammenarbeit mit dem VfR im Kaiser-Wilhelm-Park.",
    ),
    _Org(
        "gu-diessem",
        "Gemeinschaftsunterkunft Dießemer Bruch",
        K.SHELTER,
        "Dießemer Bruch 150",
        "47805",
        "gu-diessemerbruch.example",
        ("Bleichpfad/Hardenberg",),
    ),
    _Org(
        "caritas",
        "Caritasverband für die Region Krefeld e. V.",
        K.WELFARE,
        "Hubertusstraße 30",
        "47798",
        "caritas-krefeld.example",
    ),
    _Org(
        "diakonie",
        "Diakonie Krefeld & Viersen",
        K.WELFARE,
        "Dreikönigenstraße 55",
        "47799",
        "diakonie-krefeld.example",
    ),
    _Org(
        "awo",
        "AWO Kreisverband Krefeld e. V.",
        K.WELFARE,
        "Thielenstraße 20",
        "47798",
        "awo-krefeld.example",
    ),
    _Org(
        "drk",
        "DRK-Kreisverband Krefeld e. V.",
        K.WELFARE,
        "Grenzstraße 131",
        "47799",
        "drk-krefeld.example",
    ),
    _Org(
        "paritaet",
        "Der Paritätische NRW – Kreisgruppe Krefeld",
        K.WELFARE,
        "Lewerentzstraße 40",
        "47798",
        "paritaet-krefeld.example",
    ),
    _Org(
        "skf",
        "Sozialdienst katholischer Frauen Krefeld e. V.",
        K.WELFARE,
        "Lutherplatz 11",
        "47805",
        "skf-krefeld.example",
    ),
    _Org(
        "kplus",
        "Museumscafé K+ im Kaiser-Wilhelm-Museum",
        K.VENUE,
        "Joseph-Beuys-Platz 1",
        "47798",
        "kplus-cafe.example",
        (),
        "Ort des Auftakt-Netzwerktreffens. Raum „Studio“ für bis zu 60 Personen; Buchung über "
        "die Betriebsleitung des Cafés.",
    ),
    _Org(
        "vielfeld",
        "Projekt VielFeld",
        K.INITIATIVE,
        "Gatherhofstraße 14",
        "47805",
        "vielfeld-krefeld.example",
        QUARTERS,
        "Die Anlaufstellen der Quartiershelfer gestalten je ein Projekt im Wohnumfeld.",
    ),
    _Org(
        "gs-lehmheide",
        "Gemeinschaftsgrundschule Lehmheide",
        K.EDUCATION,
        "Lehmheider Straße 80",
        "47805",
        "ggs-lehmheide.example",
        ("Lehmheide",),
    ),
    _Org(
        "gesamtschule",
        "Gesamtschule Kaiserplatz",
        K.EDUCATION,
        "Kaiserplatz 1",
        "47800",
        "gesamtschule-kaiserplatz.example",
    ),
    _Org(
        "vhs",
        "Volkshochschule Krefeld/Neukirchen-Vluyn",
        K.EDUCATION,
        "Von-der-Leyen-Platz 2",
        "47798",
        "vhs-krefeld.example",
        (),
        "Integrationskurse und Deutsch als Zweitsprache.",
    ),
    _Org(
        "fz-gatherhof",
        "Familienzentrum Gatherhof",
        K.EDUCATION,
        "Am Gatherhof 9",
        "47805",
        "familienzentrum-gatherhof.example",
        ("Gatherhof",),
        "Elterncafé jeden Dienstag 9–11 Uhr.",
    ),
    _Org(
        "jz-schinkenplatz",
        "Kinder- und Jugendzentrum Schinkenplatz",
        K.OTHER,
        "Schinkenplatz 15",
        "47798",
        "jz-schinkenplatz.example",
        ("Schinkenplatz",),
    ),
    _Org(
        "moschee",
        "Türkisch-Islamische Gemeinde Krefeld-Süd e. V.",
        K.RELIGIOUS,
        "Oberschlesienstraße 88",
        "47807",
        "moschee-krefeld-sued.example",
        ("Stahldorf",),
    ),
    _Org(
        "ev",
        "Evangelische Kirchengemeinde Krefeld-Süd",
        K.RELIGIOUS,
        "Lutherplatz 3",
        "47805",
        "ev-krefeld-sued.example",
        ("Gatherhof",),
    ),
    _Org(
        "kath",
        "Katholische Pfarrgemeinde St. Norbert",
        K.RELIGIOUS,
        "Norbertstraße 2",
        "47799",
        "st-norbert-krefeld.example",
        ("Bleichpfad/Hardenberg",),
    ),
    _Org(
        "mso-tr",
        "Deutsch-Türkischer Kulturverein Krefeld e. V.",
        K.INITIATIVE,
        "Ostwall 170",
        "47798",
        "dtkv-krefeld.example",
    ),
    _Org(
        "mso-syr",
        "Syrisch-Deutscher Freundeskreis Krefeld e. V.",
        K.INITIATIVE,
        "Rheinstraße 44",
        "47799",
        "sdf-krefeld.example",
    ),
    _Org(
        "mso-ukr",
        "Ukrainischer Verein Krefeld e. V.",
        K.INITIATIVE,
        "Marktstraße 120",
        "47798",
        "ukraine-krefeld.example",
        (),
        "Seit März 2022 Anlaufstelle für Geflüchtete aus der Ukraine.",
    ),
    _Org(
        "mso-pl",
        "Polnischer Kulturverein „Most“ e. V.",
        K.INITIATIVE,
        "Südwall 21",
        "47798",
        "most-krefeld.example",
    ),
    _Org(
        "mso-vn",
        "Vietnamesischer Kulturverein Niederrhein e. V.",
        K.INITIATIVE,
        "Dionysiusstraße 35",
        "47798",
        "vkv-niederrhein.example",
    ),
    _Org(
        "mso-kurd",
        "Kurdisches Kulturzentrum Krefeld e. V.",
        K.INITIATIVE,
        "Blumenstraße 72",
        "47798",
        "kkz-krefeld.example",
    ),
    _Org(
        "mso-gr",
        "Griechische Gemeinde Krefeld e. V.",
        K.INITIATIVE,
        "Neue Linner Straße 50",
        "47799",
        "gr-gemeinde-krefeld.example",
    ),
    _Org(
        "fwz",
        "Freiwilligenzentrum Krefeld",
        K.INITIATIVE,
        "Mennonitenkirchstraße 20",
        "47798",
        "freiwillige-krefeld.example",
    ),
    _Org(
        "wohnstaette",
        "Wohnstätte Krefeld AG",
        K.OTHER,
        "Königstraße 192",
        "47798",
        "wohnstaette.example",
        ("Lehmheide", "Gatherhof"),
        "Wohnungsunternehmen; Sozialmanagement in Lehmheide und Gatherhof.",
    ),
    _Org(
        "stiftung",
        "Stiftung Nachbarschaft Niederrhein",
        K.FUNDER,
        "Friedrichstraße 18",
        "47798",
        "stiftung-nachbarschaft.example",
        (),
        "Fördert Kleinprojekte im Rahmen von VielFeld (Verfügungsfonds, bis 2.500 € je Projekt).",
    ),
)

F, H, N = Salutation.FRAU, Salutation.HERR, Salutation.NONE


class _Person(NamedTuple):
    key: str
    salutation: Salutation
    title: str
    first_name: str
    last_name: str
    org: str | None  # key into ORGANISATIONS
    function: str
    # "local" → local@<org domain>; a full address as is; "" for none (letters only).
    mail: str
    groups: str  # letters of GROUPS
    consent: str  # key of CONSENT_PROFILES
    phone: bool = True
    language: str = "de"
    # A second address; a leading "*" makes it the preferred one.
    mail2: str = ""
    notes: str = ""


# fmt: off
PEOPLE: tuple[_Person, ...] = (
    # The organiser and her colleagues at the city.
    _Person("krueger", F, "", "Sabine", "Krüger", "stadt", "Quartiersmanagerin",
            "sabine.krueger", "IQL", "form"),
    _Person("hoffmann", F, "", "Jana", "Hoffmann", "stadt",
            "Sachbearbeitung Quartiersmanagement (Protokoll)", "jana.hoffmann", "I", "form"),
    _Person("weber", H, "Dr.", "Thomas", "Weber", "stadt",
            "Leitung Fachbereich Soziales / Integration", "thomas.weber", "IL", "form"),
    _Person("schulte", F, "", "Birgit", "Schulte", "stadt", "Fördermittelmanagement",
            "birgit.schulte", "I", "form"),
    _Person("dahmen", H, "", "Oliver", "Dahmen", "stadt", "Sport und Sportförderung",
            "oliver.dahmen", "IS", "sheet"),
    _Person("heinen", F, "", "Nicole", "Heinen", "stadt", "Presse und Kommunikation",
            "nicole.heinen", "", "mail", phone=False),
    _Person("haddad", F, "", "Rania", "Haddad", "ki", "Integrationsmanagerin",
            "r.haddad", "I", "form"),
    _Person("lange", H, "", "Stefan", "Lange", "ki", "Leitung", "s.lange", "I", "form"),
    _Person("polat", F, "", "Dilek", "Polat", "ki", "Bildung und Integration", "d.polat", "I",
            "sheet"),
    _Person("oeztuerk", H, "", "Mehmet", "Öztürk", "integrationsrat",
            "Vorsitzender des Integrationsrats", "m.oeztuerk", "I", "form",
            mail2="*mehmet.oeztuerk@example.org",
            notes="Bevorzugt die private Adresse; dienstlich nur dienstags erreichbar."),
    # Quartiersbüros.
    _Person("yilmaz", F, "", "Ayşe", "Yılmaz", "qb-lehmheide", "Quartiersmanagerin",
            "a.yilmaz", "IQL", "form"),
    _Person("becker", H, "", "Jonas", "Becker", "qb-lehmheide", "Quartiershelfer",
            "j.becker", "IQ", "sheet"),
    _Person("petrovic", F, "", "Marija", "Petrović", "qb-lehmheide", "Quartiershelferin",
            "m.petrovic", "IQ", "nophoto"),
    _Person("wrobel", H, "", "Łukasz", "Wróbel", "qb-bleichpfad", "Quartiersmanager",
            "l.wrobel", "IQ", "form"),
    _Person("nguyen", F, "", "Thị Mai", "Nguyễn", "qb-bleichpfad", "Quartiershelferin",
            "mai.nguyen", "IQ", "sheet", notes="Spricht Vietnamesisch, Deutsch und Englisch."),
    _Person("schmitz", F, "", "Claudia", "Schmitz", "qb-gatherhof", "Quartiersmanagerin",
            "c.schmitz", "IQ", "form"),
    _Person("kaya", H, "", "Şükrü", "Kaya", "qb-gatherhof", "Quartiershelfer",
            "s.kaya", "IQ", "sheet_nophoto"),
    _Person("papadopoulou", F, "", "Eleni", "Papadopoulou", "qb-schinkenplatz",
            "Quartiersmanagerin", "e.papadopoulou", "IQ", "form"),
    _Person("kowalczyk", H, "", "Piotr", "Kowalczyk", "qb-schinkenplatz", "Quartiershelfer",
            "p.kowalczyk", "IQ", "sheet"),
    _Person("oeztuerk-weiss", N, "", "Renée", "Öztürk-Weiß", "qb-stahldorf",
            "Quartiersmanagerin", "r.oeztuerk-weiss", "IQ", "form",
            notes="Wünscht die Anrede ohne „Frau/Herr“."),
    _Person("tran", H, "", "Văn Minh", "Trần", "qb-stahldorf", "Quartiershelfer",
            "minh.tran", "IQ", "sheet"),
    # Sports clubs.
    _Person("hartmann", H, "", "Michael", "Hartmann", "bayer", "Vorsitzender",
            "m.hartmann", "ISL", "form"),
    _Person("brandt", F, "", "Lea", "Brandt", "bayer", "Projektleitung Sportpark Mobil",
            "lea.brandt", "IS", "form"),
    _Person("demir", H, "", "Emre", "Demir", "bayer", "Übungsleiter", "e.demir", "S", "mail"),
    _Person("kaczmarek", F, "", "Magdalena", "Kaczmarek", "bayer",
            "Übungsleiterin Sportpark Mobil", "m.kaczmarek", "S", "sheet"),
    _Person("esposito", H, "", "Marco", "Esposito", "vfr", "Abteilungsleiter Breitensport",
            "marco.esposito", "IS", "form"),
    _Person("rossi", F, "", "Giulia", "Rossi", "vfr", "Übungsleiterin Sport im Park",
            "giulia.rossi", "S", "nophoto"),
    _Person("klein", H, "", "Dieter", "Klein", "vfr", "Vorsitzender", "", "IS", "letter",
            notes="Hat keine E-Mail; Einladungen bitte per Post."),
    _Person("aksoy", H, "", "Kemal", "Aksoy", "boxclub", "Trainer", "k.aksoy", "IS", "sheet"),
    _Person("vogt", H, "", "Rainer", "Vogt", "boxclub", "Vorsitzender", "vorstand", "IS", "form"),
    # Gemeinschaftsunterkünfte.
    _Person("alkhatib", H, "", "Mahmoud", "Al-Khatib", "gu-wehrhahn", "Einrichtungsleitung",
            "m.alkhatib", "IGL", "form"),
    _Person("salma", F, "", "سلمى", "الخطيب", "gu-wehrhahn", "Sprachmittlerin (Arabisch)",
            "s.alkhatib", "IG", "sheet", language="en",
            notes="Name in lateinischer Schrift: Salma Al-Khatib."),
    _Person("lindner", F, "", "Katrin", "Lindner", "gu-wehrhahn", "Sozialarbeiterin",
            "k.lindner", "IG", "form"),
    _Person("celik", H, "", "Yusuf", "Çelik", "gu-wehrhahn",
            "Ehrenamtliche Koordination Ladenlokal Stahldorf", "y.celik@example.org", "IG",
            "sheet"),
    _Person("kovalenko", F, "", "Олена", "Коваленко", "gu-westpark",
            "Sprachmittlerin (Ukrainisch/Russisch)", "o.kovalenko", "IG", "sheet", language="en",
            notes="Name in lateinischer Schrift: Olena Kovalenko."),
    _Person("schroeder", H, "", "Frank", "Schröder", "gu-westpark", "Einrichtungsleitung",
            "f.schroeder", "IG", "form"),
    _Person("bondarenko", F, "", "Oksana", "Bondarenko", "gu-westpark", "Sozialarbeiterin",
            "o.bondarenko", "IG", "nophoto"),
    _Person("wagner", F, "", "Miriam", "Wagner", "gu-diessem", "Einrichtungsleitung",
            "m.wagner", "IG", "form"),
    _Person("hussein", H, "", "Ahmad", "Hussein", "gu-diessem",
            "Hausmeister, Ansprechpartner Nachbarschaft", "", "G", "letter"),
    # Welfare organisations.
    _Person("jansen", F, "", "Petra", "Jansen", "caritas", "Fachdienst Integration und Migration",
            "petra.jansen", "IL", "form"),
    _Person("ibrahim", H, "", "Samir", "Ibrahim", "caritas",
            "Migrationsberatung für Erwachsene", "samir.ibrahim", "I", "sheet"),
    _Person("hendricks", F, "", "Gabriele", "Hendricks", "caritas", "Ehrenamtliche Koordination",
            "g.hendricks", "I", "withdrawn"),
    _Person("koch", H, "", "Andreas", "Koch", "diakonie", "Bereichsleitung Quartiersarbeit",
            "a.koch", "I", "form"),
    _Person("schewtschenko", F, "", "Tetjana", "Schewtschenko", "diakonie",
            "Beratung für Geflüchtete aus der Ukraine", "t.schewtschenko", "I", "sheet"),
    _Person("saleh", F, "", "Yasmin", "Saleh", "diakonie", "Sozialarbeiterin, Flüchtlingsberatung",
            "y.saleh", "I", "form"),
    _Person("wozniak", F, "", "Małgorzata", "Woźniak", "awo", "Jugendmigrationsdienst",
            "m.wozniak", "I", "form"),
    _Person("schneider", H, "", "Uwe", "Schneider", "awo", "Geschäftsführer", "u.schneider", "I",
            "withdrawn", notes="Hat die E-Mail-Einwilligung widerrufen; Einladungen per Post."),
    _Person("neumann", F, "", "Sarah", "Neumann", "drk", "Koordination Ehrenamt", "s.neumann",
            "I", "sheet"),
    _Person("georgiou", H, "", "Nikolaos", "Georgiou", "drk", "Erste-Hilfe-Ausbildung",
            "n.georgiou", "", "mail", phone=False),
    _Person("yildiz", H, "Dr.", "Can", "Yıldız", "paritaet", "Kreisgruppengeschäftsführer",
            "c.yildiz", "I", "form"),
    _Person("bauer", F, "", "Monika", "Bauer", "skf", "Leitung Frauenberatung", "m.bauer", "I",
            "form"),
    # Venue, project, schools, families.
    _Person("devries", F, "", "Anke", "de Vries", "kplus", "Betriebsleitung Museumscafé",
            "anke.devries", "", "mail"),
    _Person("zimmermann", F, "", "Julia", "Zimmermann", "vielfeld", "Projektkoordination VielFeld",
            "j.zimmermann", "IQ", "form"),
    _Person("aslan", F, "", "Berfin", "Aslan", "vielfeld", "Quartiershelferin VielFeld",
            "b.aslan", "IQ", "sheet"),
    _Person("wolters", F, "", "Heike", "Wolters", "gs-lehmheide", "Schulleiterin",
            "schulleitung", "I", "form"),
    _Person("ekinci", F, "", "Sevgi", "Ekinci", "gs-lehmheide", "Schulsozialarbeiterin",
            "s.ekinci", "I", "sheet"),
    _Person("pohl", F, "Dr.", "Karin", "Pohl", "gesamtschule", "Schulleiterin", "k.pohl", "I",
            "form", phone=False),
    _Person("peters", H, "", "Martin", "Peters", "gesamtschule", "Schulsozialarbeiter",
            "m.peters", "I", "nophoto"),
    _Person("lewandowska", F, "Dr.", "Anna", "Lewandowska", "vhs",
            "Fachbereichsleitung Deutsch als Zweitsprache", "a.lewandowska", "I", "form"),
    _Person("oconnor", F, "", "Siobhan", "O'Connor", "vhs", "Kursleiterin Integrationskurse",
            "s.oconnor", "I", "mail", language="en"),
    _Person("kuepper", F, "", "Sabrina", "Küpper", "fz-gatherhof", "Leitung Familienzentrum",
            "s.kuepper", "I", "form"),
    _Person("arslan", F, "", "Fatma", "Arslan", "fz-gatherhof", "Erzieherin, Elterncafé",
            "f.arslan", "I", "sheet"),
    _Person("hermes", H, "", "Kevin", "Hermes", "jz-schinkenplatz", "Leitung Jugendzentrum",
            "k.hermes", "I", "form"),
    # Religious communities and migrant self-organisations.
    _Person("dogan", H, "", "Hüseyin", "Doğan", "moschee",
            "Vorstand, Ansprechpartner Nachbarschaft", "h.dogan", "I", "sheet"),
    _Person("koc", F, "", "Emine", "Koç", "moschee", "Frauengruppe", "", "I", "letter"),
    _Person("huesgen", F, "", "Christiane", "Hüsgen", "ev", "Pfarrerin", "c.huesgen", "I", "form"),
    _Person("terhorst", H, "", "Bernhard", "Terhorst", "kath", "Gemeindereferent", "b.terhorst",
            "I", "form"),
    _Person("gueler", H, "", "Osman", "Güler", "mso-tr", "Vorsitzender", "o.gueler", "I", "form"),
    _Person("simsek", F, "", "Zeynep", "Şimşek", "mso-tr", "Jugendarbeit", "z.simsek", "I",
            "sheet", phone=False),
    _Person("mansour", F, "", "Lina", "Mansour", "mso-syr", "Vorsitzende", "l.mansour", "I",
            "form"),
    _Person("almasri", H, "", "Khaled", "Al-Masri", "mso-syr", "Hausaufgabenhilfe",
            "k.almasri", "I", "sheet_nophoto", language="en"),
    _Person("melnyk", F, "", "Iryna", "Melnyk", "mso-ukr", "Vorsitzende", "i.melnyk", "I",
            "form", language="en"),
    _Person("tkachenko", H, "", "Андрій", "Ткаченко", "mso-ukr", "Elternarbeit", "a.tkachenko",
            "I", "sheet", language="en", notes="Name in lateinischer Schrift: Andrij Tkatschenko."),
    _Person("zielinska", F, "", "Agnieszka", "Zielińska", "mso-pl", "Vorsitzende", "a.zielinska",
            "I", "form"),
    _Person("pham", H, "", "Quang Huy", "Phạm", "mso-vn", "Vorsitzender", "huy.pham", "I", "form"),
    _Person("le", F, "", "Thu Hà", "Lê", "mso-vn", "Kulturarbeit", "ha.le", "I", "sheet",
            phone=False),
    _Person("ahmadi", H, "", "Rêzan", "Ahmadi", "mso-kurd", "Vorsitzender", "r.ahmadi", "I",
            "form"),
    _Person("papadakis", H, "", "Georgios", "Papadakis", "mso-gr", "Vorsitzender",
            "g.papadakis", "I", "nophoto"),
    _Person("kamps", F, "", "Ursula", "Kamps", "fwz", "Leitung Freiwilligenzentrum", "u.kamps",
            "I", "form"),
    _Person("reuter", H, "", "Markus", "Reuter", "wohnstaette", "Sozialmanagement", "m.reuter",
            "I", "form"),
    _Person("maassen", F, "Dr.", "Elisabeth", "Maaßen", "stiftung", "Vorstand", "e.maassen", "",
            "mail"),
    # People without an organisation.
    _Person("breuer", F, "", "Gisela", "Breuer", None, "Ehrenamtliche Lesepatin", "", "I",
            "letter"),
    _Person("janssen", H, "", "Hans-Peter", "Janßen", None,
            "Bezirksvertreter, Ausschuss für Soziales", "hp.janssen@example.org", "I", "mail"),
    _Person("benali", F, "", "Nadia", "Benali", None, "Anwohnerin, Ehrenamt im Ladenlokal",
            "nadia.benali@example.net", "IG", "sheet"),
    _Person("morgenstern", N, "", "Alex", "Morgenstern", None, "Fotografie (ehrenamtlich)",
            "alex.morgenstern@example.com", "", "mail"),
)
# fmt: on

# People with a postal address of their own (street, postcode, city, country, private?):
# letters go there instead of to their organisation.
OWN_ADDRESSES: dict[str, tuple[str, str, str, str, bool]] = {
    "breuer": ("Dionysiusstraße 14", "47798", "Krefeld", "", True),
    "benali": ("Stahldorfer Straße 3", "47805", "Krefeld", "", True),
    "morgenstern": ("Van-der-Valk-Straat 8", "5911 AB", "Venlo", "Niederlande", True),
    "dahmen": ("Westwall 102", "47798", "Krefeld", "", False),
}

ORGANISER = "krueger"
MINUTE_TAKER = "hoffmann"


class _Consent(NamedTuple):
    topic: ConsentTopic
    given: bool
    method: ConsentMethod
    when: str  # "form", "auftakt", "reply" or "withdrawal": see _consent_time
    note: str = ""


_CONTACT, _EMAIL, _PHOTOS = (
    ConsentTopic.CONTACT_DATA,
    ConsentTopic.EMAIL_INVITATIONS,
    ConsentTopic.PHOTOS,
)
_FORM_NOTE = "Einwilligungserklärung Impuls.Ag (Papier)"
_SHEET_NOTE = "Anwesenheitsliste Auftakt-Netzwerktreffen, 17.11.2022"
_FORM_ALL = (
    _Consent(_CONTACT, True, ConsentMethod.FORM, "form", _FORM_NOTE),
    _Consent(_EMAIL, True, ConsentMethod.FORM, "form", _FORM_NOTE),
)

CONSENT_PROFILES: dict[str, tuple[_Consent, ...]] = {
    "form": (*_FORM_ALL, _Consent(_PHOTOS, True, ConsentMethod.FORM, "form", _FORM_NOTE)),
    "nophoto": (
        *_FORM_ALL,
        _Consent(_PHOTOS, False, ConsentMethod.FORM, "form", "Keine Fotos, bitte."),
    ),
    "sheet": (
        _Consent(_CONTACT, True, ConsentMethod.SIGNIN_SHEET, "auftakt", _SHEET_NOTE),
        _Consent(_PHOTOS, True, ConsentMethod.SIGNIN_SHEET, "auftakt", _SHEET_NOTE),
        _Consent(_EMAIL, True, ConsentMethod.EMAIL, "reply", "Zusage per E-Mail nach dem Treffen"),
    ),
    "sheet_nophoto": (
        _Consent(_CONTACT, True, ConsentMethod.SIGNIN_SHEET, "auftakt", _SHEET_NOTE),
        _Consent(_PHOTOS, False, ConsentMethod.SIGNIN_SHEET, "auftakt", _SHEET_NOTE),
        _Consent(_EMAIL, True, ConsentMethod.EMAIL, "reply", "Zusage per E-Mail nach dem Treffen"),
    ),
    "withdrawn": (
        *_FORM_ALL,
        _Consent(_PHOTOS, True, ConsentMethod.FORM, "form", _FORM_NOTE),
        _Consent(
            _EMAIL,
            False,
            ConsentMethod.EMAIL,
            "withdrawal",
            "Widerruf per E-Mail: Einladungen künftig nur per Post.",
        ),
    ),
    "mail": (
        _Consent(_CONTACT, True, ConsentMethod.EMAIL, "reply", "Einverstanden per E-Mail"),
        _Consent(_EMAIL, True, ConsentMethod.EMAIL, "reply", "Einverstanden per E-Mail"),
    ),
    "letter": (_Consent(_CONTACT, True, ConsentMethod.FORM, "form", "Nur Post und Telefon"),),
    "none": (),
}


# =============================================================================================
# Meeting data


class _Top(NamedTuple):
    """A TOP of an agenda; ``key`` lets decisions and action items point at it."""

    title: str
    minutes: int
    kind: AgendaItemKind = AgendaItemKind.INFORMATION
    presenter: str = ""  # key into PEOPLE
    presenter_text: str = ""
    description: str = ""
    notes: str = ""
    children: tuple[_Top, ...] = ()
    lists_open_action_items: bool = False
    key: str = ""


class _Decision(NamedTuple):
    top: str
    text: str
    votes: tuple[int, int, int] | None = None  # yes, no, abstentions


class _Action(NamedTuple):
    top: str
    text: str
    due: date
    person: str = ""
    organisation: str = ""
    owner_text: str = ""
    # Done: when, and in which later meeting it was reported done ("" for none).
    done_on: date | None = None
    done_in: str = ""


INFO, DISCUSSION, DECISION = (
    AgendaItemKind.INFORMATION,
    AgendaItemKind.DISCUSSION,
    AgendaItemKind.DECISION,
)

AUFTAKT_TITLE = "Auftakt-Netzwerktreffen der Impuls.Ag"
AUFTAKT_DAY = date(2022, 11, 17)

AUFTAKT_AGENDA: tuple[_Top, ...] = (
    _Top(
        "Begrüßung",
        10,
        presenter="weber",
        key="welcome",
        notes=(
            "Dr. Thomas Weber begrüßt die Anwesenden im Museumscafé K+ und dankt dem Team des "
            "Cafés für die Gastfreundschaft. Sabine Krüger moderiert das Treffen; die "
            "Tagesordnung wird ohne Änderungen angenommen.\n\n"
            "- Anwesend sind rund 35 Vertreterinnen und Vertreter aus gut 20 Einrichtungen.\n"
            "- Das Protokoll führt Jana Hoffmann (Stadt Krefeld)."
        ),
    ),
    # 5 minutes of introduction and 55 for the sub-items: the block takes an hour.
    _Top(
        "Vorstellung der geförderten Projekte",
        5,
        presenter="krueger",
        key="projects",
        description="Kurzvorstellung aller Projekte, die seit 2020 aus der "
        "Integrationspauschale gefördert wurden.",
        notes=(
            "Sabine Krüger gibt einen Überblick über die Förderphase. Über das **Projekt 37F** "
            "konnte das soziale Quartiersmanagement in zwei Jahren rund **700.000 €** aus der "
            "Integrationspauschale des Landes NRW abrufen. Möglich wurde das, weil sich die "
            "Impuls.Ag auf das gemeinsame Thema „Integration“ geeinigt hatte. Die Fördermittel "
            "laufen Ende November 2022 aus.\n\n"
            "Alle Maßnahmen folgen der Strategie, in benachteiligten Quartieren Infrastruktur "
            "für alle Bewohnerinnen und Bewohner zu entwickeln:\n"
            "- Aufbau von Quartiersbüros\n"
            "- Nutzung öffentlicher Räume durch die Quartiersbewohner\n"
            "- Beteiligung der Gemeinschaftsunterkünfte an der Nachbarschaft"
        ),
        children=(
            _Top(
                "Quartiersbüros",
                15,
                presenter="yilmaz",
                presenter_text="für alle fünf Quartiersbüros",
                key="offices",
                notes=(
                    "Die Quartiersbüros Lehmheide, Bleichpfad/Hardenberg und Gatherhof "
                    "arbeiten seit 2021; Schinkenplatz und Stahldorf sind 2022 neu "
                    "hinzugekommen.\n\n"
                    "- Offene Sprechstunden an zwei bis drei Tagen pro Woche\n"
                    "- Quartiershelferinnen und Quartiershelfer als erste Anlaufstelle, auch "
                    "mehrsprachig (u. a. Türkisch, Arabisch, Polnisch, Vietnamesisch)\n"
                    "- Schinkenplatz und Stahldorf suchen noch Räume für Gruppenangebote"
                ),
            ),
            _Top(
                "Sport im Park",
                10,
                presenter="esposito",
                key="park",
                notes=(
                    "Der VfR bietet von Mai bis September samstags kostenlose Bewegungsangebote im "
                    "Kaiser-Wilhelm-Park an. Die Gemeinschaftsunterkunft Westparkstraße hat die "
                    "Angebote in der Unterkunft beworben; viele Kinder und Jugendliche von dort "
                    "nehmen regelmäßig teil.\n\n"
                    "- Der Verein will sich stärker zum Quartier hin öffnen.\n"
                    "- Bedarf: Übungsleitungen mit Sprachkenntnissen"
                ),
            ),
            _Top(
                "Sportpark Mobil",
                10,
                presenter="brandt",
                key="mobile",
                notes=(
                    "Ein Anhänger mit Sport- und Spielgeräten fährt nachmittags wechselnd in die "
                    "Quartiere. 2022 gab es 64 Einsätze; am stärksten gefragt waren Lehmheide und "
                    "Gatherhof.\n\n"
                    "- Die Quartiersbüros kündigen die Termine vor Ort an.\n"
                    "- Für 2023 ist ein fester Wochenplan geplant."
                ),
            ),
            _Top(
                "VielFeld",
                10,
                presenter="zimmermann",
                key="vielfeld",
                notes=(
                    "Im Projekt „VielFeld“ setzen die Anlaufstellen der Quartiershelfer je ein "
                    "eigenes Projekt zur Gestaltung des Wohnumfelds um: Hochbeete am "
                    "Schinkenplatz, "
                    "eine Tauschbox in Lehmheide, Sitzbänke in Gatherhof. Die Bewohnerinnen und "
                    "Bewohner wurden bei allen Projekten beteiligt."
                ),
            ),
            _Top(
                "Ladenlokal Stahldorf",
                10,
                presenter="alkhatib",
                presenter_text="Gemeinschaftsunterkunft Wehrhahnweg",
                key="shop",
                notes=(
                    "Die Gemeinschaftsunterkunft am Wehrhahnweg hat ein leerstehendes "
                    "Ladenlokal in Stahldorf ertüchtigt. Es soll ein offener Treffpunkt für "
                    "die Nachbarschaft werden: Sprachcafé, Kleidertausch, Hausaufgabenhilfe."
                    "\n\n"
                    "- Eröffnung geplant im Frühjahr 2023\n"
                    "- Ehrenamtliche aus Unterkunft und Nachbarschaft übernehmen die "
                    "Öffnungszeiten"
                ),
            ),
        ),
    ),
    _Top(
        "Zusammenarbeit mit den Netzwerkpartnern",
        30,
        DISCUSSION,
        presenter="krueger",
        key="partners",
        notes=(
            "In Kleingruppen wurde nachgezeichnet, mit welchen Partnern die Projekte "
            "zusammengearbeitet haben.\n\n"
            "- Die Zusammenarbeit von Quartiersbüros, Wohlfahrtsverbänden und "
            "Gemeinschaftsunterkünften hat sich bewährt; die Wege sind kürzer geworden.\n"
            "- Die Migrantenselbstorganisationen wünschen sich, früher an der Planung "
            "beteiligt zu werden.\n"
            "- Schulen und Familienzentren sind bisher nur punktuell eingebunden.\n"
            "- Es fehlt ein gemeinsamer Überblick über Termine und Angebote.\n\n"
            "Eleni Papadopoulou regt an, allen Mitgliedern eine Partnerliste mit "
            "Ansprechpersonen zur Verfügung zu stellen, soweit die Einwilligungen das erlauben."
        ),
    ),
    _Top(
        "Zukünftige Ausrichtung des Netzwerks",
        30,
        DECISION,
        presenter="krueger",
        key="future",
        notes=(
            "Die meisten Projekte können 2023 aus städtischen Haushaltsmitteln weitergeführt "
            "und verstetigt werden. Dr. Weber weist darauf hin, dass die Mittel unter dem "
            "Vorbehalt des Haushaltsbeschlusses stehen.\n\n"
            "Aus der Diskussion:\n"
            "- Integration ist eine Querschnittsaufgabe; so sieht es auch das Teilhabe- und "
            "Integrationsgesetz NRW.\n"
            "- Neben den persönlichen Voraussetzungen zählen die Zugänge zu Bildung, "
            "Arbeitsmarkt und Wohnen. Das Netzwerk will dafür weitere Partner gewinnen.\n"
            "- Das Netzwerk soll sich auch nach dem Ende der Förderung regelmäßig treffen.\n\n"
            "**Beschlüsse** siehe unten."
        ),
    ),
    _Top(
        "Verschiedenes",
        10,
        key="misc",
        notes=(
            "- Das Museumscafé K+ steht auch künftig für Netzwerkveranstaltungen zur Verfügung.\n"
            "- Fotos des Treffens werden nur mit Einwilligung der Abgebildeten veröffentlicht.\n"
            "- Das nächste Treffen findet im Frühjahr 2023 im Ladenlokal Stahldorf statt."
        ),
    ),
)

AUFTAKT_DECISIONS: tuple[_Decision, ...] = (
    _Decision(
        "future",
        "Die Impuls.Ag wird nach dem Ende der Förderphase fortgeführt; die "
        "Netzwerktreffen finden zweimal im Jahr statt.",
        (31, 0, 2),
    ),
    _Decision(
        "future",
        "Ein Lenkungskreis aus Vertretungen der Quartiersbüros, der Sportvereine, "
        "der Gemeinschaftsunterkünfte, der Wohlfahrtsverbände und der Stadt "
        "Krefeld bereitet die Treffen vor.",
        (29, 0, 4),
    ),
    _Decision(
        "projects",
        "Sport im Park, Sportpark Mobil und VielFeld sollen 2023 aus "
        "städtischen Haushaltsmitteln weitergeführt werden; die Stadt bereitet "
        "die Vorlage für den Sozialausschuss vor.",
    ),
    _Decision(
        "partners",
        "Die Partnerliste wird vom Quartiersmanagement gepflegt; Änderungen "
        "gehen formlos per E-Mail an Sabine Krüger.",
    ),
)

AUFTAKT_ACTIONS: tuple[_Action, ...] = (
    _Action(
        "projects",
        "Kurzbericht (eine Seite) je gefördertem Projekt für den "
        "Verwendungsnachweis an das Quartiersmanagement senden",
        date(2022, 12, 9),
        owner_text="alle Projektträger",
        done_on=date(2022, 12, 12),
        done_in="spring",
    ),
    _Action(
        "projects",
        "Vorlage zur Verstetigung 2023 für den Ausschuss für Soziales, Gesundheit "
        "und Integration erstellen",
        date(2023, 1, 31),
        person="weber",
        organisation="stadt",
    ),
    _Action(
        "partners",
        "Gemeinsamen Terminkalender der Netzwerkpartner aufbauen",
        date(2023, 3, 15),
        person="schmitz",
    ),
    _Action(
        "shop",
        "Öffnungszeiten und Angebote des Ladenlokals Stahldorf an alle Partner schicken",
        date(2023, 1, 15),
        person="alkhatib",
    ),
    _Action(
        "future",
        "Geschäftsordnung für den Lenkungskreis entwerfen",
        date(2023, 2, 28),
        person="krueger",
    ),
    _Action(
        "misc",
        "Fotos vom Auftakttreffen mit den Einwilligungen abgleichen, bevor sie "
        "veröffentlicht werden",
        date(2022, 12, 2),
        owner_text="Presse und Kommunikation / Quartiersmanagement",
    ),
)

# One letter per invitee (Impuls.Ag members in table order, organiser and minute-taker
# excepted): A accepted, D declined, T tentative, S sent without answer.
AUFTAKT_REPLIES = "AAAAA ADAAT AASAA ADAAA TAAAS AADAA TAAAA SDAAT ADASA"
# Attendance of the same invitees: P present, E excused, X absent, "." no entry.
AUFTAKT_ATTENDANCE = "PPPPP PEPPP PP.PX PEPPP .PPP. PP.PE PPPPP .EPP. P.PPP"
AUFTAKT_LATE_ARRIVAL = 6  # invitee index: arrived during TOP 2
AUFTAKT_EARLY_LEAVE = 11  # invitee index: left after TOP 3
AUFTAKT_GUESTS = (
    # name, organisation, photo consent
    ("Tamara Schulz", "Westdeutsche Zeitung (Presse)", True),
    ("Yusuf Demirci", "Anwohner Stahldorf", False),
)

SPRING_TITLE = "Netzwerktreffen Impuls.Ag – Frühjahr 2023"
SPRING_DAY = date(2023, 3, 23)
SPRING_AGENDA: tuple[_Top, ...] = (
    _Top(
        "Begrüßung",
        5,
        presenter="krueger",
        key="welcome",
        notes="Sabine Krüger begrüßt die Anwesenden im neuen Ladenlokal Stahldorf.",
    ),
    _Top(
        "Genehmigung der Tagesordnung",
        5,
        DECISION,
        key="agenda",
        notes=(
            "Die Tagesordnung wird genehmigt. Das Protokoll des Auftakttreffens liegt noch als "
            "Entwurf vor; Ergänzungen bitte bis Ende April an Sabine Krüger."
        ),
    ),
    _Top(
        "Offene Aufgaben aus dem letzten Treffen",
        15,
        key="open",
        lists_open_action_items=True,
        notes=(
            "- Die Kurzberichte aller Projekte liegen vor; der Verwendungsnachweis ist "
            "eingereicht.\n"
            "- Die Vorlage zur Verstetigung ist in Arbeit."
        ),
    ),
    _Top(
        "Eröffnung des Ladenlokals Stahldorf",
        20,
        presenter="celik",
        key="shop",
        notes=(
            "Yusuf Çelik stellt die ersten Wochen vor: Sprachcafé dienstags, Kleidertausch "
            "donnerstags, Hausaufgabenhilfe mit Ehrenamtlichen aus der Nachbarschaft. Ein "
            "Eröffnungsfest ist für Mai geplant."
        ),
    ),
    _Top(
        "Verstetigung 2023: Stand der Haushaltsmittel",
        30,
        presenter="weber",
        key="budget",
        notes=(
            "Die Mittel für 2023 sind im Haushalt eingeplant. Quartiersbüros, Sport im Park, "
            "Sportpark Mobil und VielFeld werden weitergeführt; die Quartiersbüros "
            "Schinkenplatz und Stahldorf vorerst mit halben Stellen."
        ),
    ),
    _Top(
        "Sportangebote im Sommer 2023",
        20,
        DISCUSSION,
        presenter="hartmann",
        key="sport",
        notes=(
            "Sport im Park und Sportpark Mobil wollen ihre Termine abstimmen, damit jedes "
            "Quartier mindestens ein Angebot pro Woche hat."
        ),
    ),
    _Top("Verschiedenes", 10, key="misc"),
)
SPRING_DECISIONS = (
    _Decision(
        "sport",
        "Sport im Park und Sportpark Mobil veröffentlichen einen gemeinsamen "
        "Sommerplan für alle Quartiere.",
    ),
)
SPRING_ACTIONS = (
    _Action(
        "sport",
        "Gemeinsamen Sommerplan Sport 2023 erstellen und an alle Partner senden",
        date(2023, 4, 30),
        person="brandt",
        done_on=date(2023, 4, 26),
        done_in="autumn",
    ),
    _Action(
        "shop",
        "Eröffnungsfest des Ladenlokals Stahldorf vorbereiten",
        date(2023, 5, 13),
        person="celik",
        organisation="gu-wehrhahn",
        done_on=date(2023, 5, 13),
        done_in="autumn",
    ),
    _Action(
        "misc",
        "Übersicht der Sprachkenntnisse von Ehrenamtlichen für die Sprachmittlung zusammenstellen",
        date(2023, 6, 30),
        organisation="fwz",
    ),
)

AUTUMN_TITLE = "Netzwerktreffen Impuls.Ag – Herbst 2023"
AUTUMN_DAY = date(2023, 10, 12)
AUTUMN_AGENDA: tuple[_Top, ...] = (
    _Top("Begrüßung", 5, presenter="krueger", key="welcome"),
    _Top(
        "Genehmigung der Tagesordnung und des letzten Protokolls",
        5,
        DECISION,
        key="agenda",
        notes="Tagesordnung und Protokoll vom 23.03.2023 werden ohne Änderungen genehmigt.",
    ),
    _Top(
        "Offene Aufgaben aus dem letzten Treffen",
        15,
        key="open",
        lists_open_action_items=True,
        notes="Sommerplan Sport und Eröffnungsfest Ladenlokal sind erledigt.",
    ),
    _Top(
        "Rückblick: Sport im Park und Sportpark Mobil",
        20,
        presenter="esposito",
        key="sport",
        notes=(
            "Der gemeinsame Sommerplan hat sich bewährt: 38 Termine Sport im Park, 71 Einsätze "
            "Sportpark Mobil. Besonders gut angenommen wurden die Angebote für Mädchen."
        ),
    ),
    _Top(
        "VielFeld: Ergebnisse aus den Quartieren",
        20,
        presenter="zimmermann",
        key="vielfeld",
        notes="Alle fünf Quartiersprojekte sind umgesetzt; Fotos zeigt die Ausstellung im "
        "Quartiersbüro Gatherhof.",
    ),
    _Top(
        "Planung 2024",
        25,
        DECISION,
        presenter="krueger",
        key="plan",
        notes=(
            "Die Treffen sollen künftig im Wechsel in den Quartiersbüros stattfinden, damit die "
            "Partner die Quartiere kennenlernen."
        ),
    ),
    _Top("Verschiedenes", 10, key="misc"),
)
AUTUMN_DECISIONS = (
    _Decision(
        "plan",
        "Die Netzwerktreffen finden 2024 zweimal statt, im Wechsel in einem der Quartiersbüros.",
        (18, 0, 2),
    ),
)
AUTUMN_ACTIONS = (
    _Action(
        "plan",
        "Raumanfragen für 2024 an die Quartiersbüros stellen",
        date(2023, 12, 15),
        person="krueger",
    ),
    _Action(
        "vielfeld",
        "Kurzbericht VielFeld für den Sozialausschuss schreiben",
        date(2024, 1, 31),
        person="zimmermann",
    ),
)


class _PastMeeting(NamedTuple):
    key: str
    title: str
    day: date
    end: tuple[int, int]  # local hour, minute; all meetings start at 15:00
    venue: str
    agenda: tuple[_Top, ...]
    decisions: tuple[_Decision, ...]
    actions: tuple[_Action, ...]
    minutes_number: str
    finalised_on: date
    # Replies cycled over all Impuls.Ag members (letters as in AUFTAKT_REPLIES).
    replies: str
    next_day: date | None  # the next meeting, at 15:00
    next_place: str
    next_note: str


PAST_MEETINGS = (
    _PastMeeting(
        "spring",
        SPRING_TITLE,
        SPRING_DAY,
        (17, 0),
        "stahldorf",
        SPRING_AGENDA,
        SPRING_DECISIONS,
        SPRING_ACTIONS,
        "1/2023",
        date(2023, 4, 3),
        "ADSATSDASA",
        AUTUMN_DAY,
        "Quartiersbüro Lehmheide",
        "Einladung folgt nach den Sommerferien.",
    ),
    _PastMeeting(
        "autumn",
        AUTUMN_TITLE,
        AUTUMN_DAY,
        (17, 0),
        "lehmheide",
        AUTUMN_AGENDA,
        AUTUMN_DECISIONS,
        AUTUMN_ACTIONS,
        "2/2023",
        date(2023, 10, 24),
        "ADSSATDSAS",
        None,
        "",
        "Termin und Ort werden mit der Einladung bekanntgegeben.",
    ),
)


UPCOMING_AGENDA: tuple[_Top, ...] = (
    _Top("Begrüßung", 10, presenter="krueger"),
    _Top("Genehmigung der Tagesordnung und des letzten Protokolls", 5, DECISION),
    _Top("Offene Aufgaben aus dem letzten Treffen", 15, lists_open_action_items=True),
    _Top(
        "Berichte aus den Quartiersbüros",
        25,
        presenter_text="Quartiersbüros",
        description="Je fünf Minuten: was läuft gut, wo braucht es Partner?",
    ),
    _Top("Sportangebote im Quartier: Sport im Park und Sportpark Mobil", 15, presenter="brandt"),
    _Top("Ladenlokal Stahldorf: Erfahrungen und Ausblick", 15, DISCUSSION, presenter="celik"),
    _Top("Verschiedenes", 10),
    _Top("Nächster Termin", 5, DECISION),
)
# Replies so far, cycled over the invitees: most have not answered yet.
UPCOMING_REPLIES = "ASSADSTSSA"

VENUES = (
    # key, organisation key, name, room, accessibility notes
    (
        "kplus",
        "kplus",
        "Museumscafé K+ (Kaiser-Wilhelm-Museum)",
        "Studio im Erdgeschoss",
        "Stufenloser Zugang über den Haupteingang, barrierefreies WC im Erdgeschoss. "
        "Behindertenparkplätze am Joseph-Beuys-Platz.",
    ),
    (
        "lehmheide",
        "qb-lehmheide",
        "Quartiersbüro Lehmheide",
        "Gemeinschaftsraum",
        "Ebenerdiger Zugang über den Hof; kein barrierefreies WC.",
    ),
    (
        "stahldorf",
        "qb-stahldorf",
        "Ladenlokal Stahldorf (Quartiersbüro Stahldorf)",
        "Ladenlokal",
        "Eine Stufe am Eingang (mobile Rampe vorhanden), barrierefreies WC.",
    ),
)


# =============================================================================================
# Building


@dataclass
class _Built:
    """What the directory builders created, by the keys of the tables above."""

    organisations: dict[str, Organisation]
    people: dict[str, Person]
    groups: dict[str, Group]
    venues: dict[str, Venue]
    meetings: dict[str, Meeting]
    # Action items done, with the key of the later meeting that reported them done.
    done_later: list[tuple[ActionItem, str]]


def fill_demo(db: Database, *, today: date | None = None) -> DemoSummary:
    """Fill an empty database with the demo network in one all-or-nothing transaction.

    Raises ``DatabaseNotEmpty`` (and changes nothing) when the database holds any person,
    organisation or meeting; existing quarters and groups of the same names are reused.
    ``today`` decides the one upcoming meeting (about three weeks later); the history
    (November 2022 to October 2023) is fixed, so ``today`` must lie after it.
    """
    today = today or date.today()
    if today <= AUTUMN_DAY:
        raise ValueError(f"today ({today}) must lie after the demo history ({AUTUMN_DAY})")
    with db.write() as session:
        _refuse_unless_empty(session)
        built = _Built({}, {}, {}, {}, {}, [])
        quarters = _add_quarters(session)
        _add_organisations(session, built, quarters)
        _add_groups(session, built)
        _add_people(session, built)
        _add_venues(session, built)
        _add_auftakt(session, built)
        for spec in PAST_MEETINGS:
            _add_past_meeting(session, built, spec)
        upcoming = _add_upcoming(session, built, today)
        for action, meeting_key in built.done_later:
            action.done_in_meeting_id = built.meetings[meeting_key].id
        add_demo_projects(session, built.meetings)  # projects, photos, a press release
        session.flush()
        _write_settings(session, built)
        return DemoSummary(
            organisations=len(built.organisations),
            people=len(built.people),
            meetings=len(built.meetings),
            upcoming_meeting_id=upcoming.id,
        )


# The letterhead of the (fictional) quarter management office on invitations and minutes.
DEMO_LETTERHEAD = LetterheadFields(
    name="Stadt Krefeld – Soziales Quartiersmanagement",
    department="Fachbereich Soziales, Senioren und Wohnen",
    street="Von-der-Leyen-Platz 1",
    postcode="47798",
    city=CITY,
)
DEMO_PRESS_CONTACT = PRESS_CONTACT


def _write_settings(session: Session, built: _Built) -> None:
    """The settings a real office would have made in the set-up assistant: letterhead, sender
    (the organiser), Outlook drafts as the way out (the demo never reaches a mail server), the
    usual venue and time of the network meetings."""
    organiser = built.people[ORGANISER]
    write_letterhead_fields(session, DEMO_LETTERHEAD)
    write_smtp_settings(
        session,
        SmtpSettings(
            sender_name=f"{organiser.first_name} {organiser.last_name}, Quartiersmanagement",
            sender_address=organiser.preferred_email or "",
            mode=MailMode.EML,
        ),
    )
    write_meeting_defaults(
        session,
        MeetingDefaults(
            organiser_id=organiser.id,
            venue_id=built.venues["kplus"].id,
            start=time(15, 0),
            duration_minutes=120,
        ),
    )
    write_press_contact(session, DEMO_PRESS_CONTACT)
    mark_setup(session, SetupOutcome.COMPLETED)


def _refuse_unless_empty(session: Session) -> None:
    # Counted inside the write transaction (BEGIN IMMEDIATE): nobody can add rows meanwhile.
    counts = {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in (
            ("people", Person),
            ("organisations", Organisation),
            ("meetings", Meeting),
        )
    }
    if any(counts.values()):
        raise DatabaseNotEmpty(
            _(
                "The database already holds data (people: {people}, organisations: "
                "{organisations}, meetings: {meetings}); demo data is only added to an empty "
                "database."
            ).format(**counts)
        )


_Named = TypeVar("_Named", Quarter, Group)


def _get_or_add(session: Session, model: type[_Named], name: str) -> _Named:
    """Quarters and groups are unique by name and may exist in a database without people."""
    existing = session.scalars(select(model).where(model.name == name)).first()
    if existing is not None:
        return existing
    row = model(name=name)
    session.add(row)
    return row


def _add_quarters(session: Session) -> dict[str, Quarter]:
    quarters = {}
    for name in QUARTERS:
        quarters[name] = _get_or_add(session, Quarter, name)
    return quarters


def _phone(number: int) -> str:
    return f"{PHONE_PREFIX}{number:03d}"


def _add_organisations(session: Session, built: _Built, quarters: dict[str, Quarter]) -> None:
    for index, spec in enumerate(ORGANISATIONS):
        organisation = Organisation(
            name=spec.name,
            kind=spec.kind,
            street=spec.street,
            postcode=spec.postcode,
            city=CITY,
            website=f"https://www.{spec.domain}" if spec.domain else "",
            email=f"info@{spec.domain}" if spec.domain else "",
            phone=_phone(100 + index),
            notes=spec.notes,
            quarters=[quarters[name] for name in spec.quarters],
        )
        session.add(organisation)
        built.organisations[spec.key] = organisation


def _add_groups(session: Session, built: _Built) -> None:
    for code, (name, description) in GROUPS.items():
        group = _get_or_add(session, Group, name)
        if not group.description:
            group.description = description
        built.groups[code] = group


def _berlin(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware local time; refuses wall times that do not exist (DST gap) or are ambiguous."""
    value = datetime.combine(day, time(hour, minute), tzinfo=BERLIN)
    # Both readings of the wall time (fold 0 and 1) agree except in a gap or an overlap.
    if value.utcoffset() != value.replace(fold=1).utcoffset():
        raise ValueError(f"{value:%Y-%m-%d %H:%M} is not a unique local time in {TIMEZONE}")
    return value


def _consent_time(when: str, index: int) -> datetime:
    """Spread the statements over plausible days so lists do not all show one date."""
    if when == "form":
        return _berlin(date(2022, 9, 1) + timedelta(days=(index * 5) % 60), 10)
    if when == "auftakt":
        return _berlin(AUFTAKT_DAY, 15)
    if when == "reply":
        return _berlin(date(2022, 11, 21) + timedelta(days=index % 9), 9, 30)
    return _berlin(date(2023, 5, 2) + timedelta(days=index % 20), 11)  # withdrawal


def _email_rows(spec: _Person, domain: str) -> list[PersonEmail]:
    addresses: list[tuple[str, bool]] = []
    if spec.mail:
        address = spec.mail if "@" in spec.mail else f"{spec.mail}@{domain}"
        addresses.append((address, not spec.mail2.startswith("*")))
    if spec.mail2:
        addresses.append((spec.mail2.lstrip("*"), spec.mail2.startswith("*")))
    return [
        PersonEmail(
            address=address,
            label="dienstlich" if address.endswith(f"@{domain}") else "privat",
            is_preferred=preferred,
            position=position,
        )
        for position, (address, preferred) in enumerate(addresses)
    ]


def _add_people(session: Session, built: _Built) -> None:
    domains = {spec.key: spec.domain for spec in ORGANISATIONS}
    for index, spec in enumerate(PEOPLE):
        organisation = built.organisations[spec.org] if spec.org else None
        person = Person(
            salutation=spec.salutation,
            title=spec.title,
            first_name=spec.first_name,
            last_name=spec.last_name,
            organisation=organisation,
            function=spec.function,
            preferred_language=spec.language,
            notes=spec.notes,
            emails=_email_rows(spec, domains.get(spec.org or "", "")),
            **_own_address(spec.key),
            phones=[PersonPhone(number=_phone(300 + index), label="dienstlich", position=0)]
            if spec.phone
            else [],
            groups=[built.groups[code] for code in spec.groups],
            consents=[
                ConsentRecord(
                    topic=consent.topic,
                    given=consent.given,
                    method=consent.method,
                    recorded_at=_consent_time(consent.when, index),
                    note=consent.note,
                )
                for consent in CONSENT_PROFILES[spec.consent]
            ],
        )
        session.add(person)
        built.people[spec.key] = person


def _own_address(key: str) -> dict[str, Any]:
    if key not in OWN_ADDRESSES:
        return {}
    street, postcode, city, country, private = OWN_ADDRESSES[key]
    return {
        "street": street,
        "postcode": postcode,
        "city": city,
        "country": country,
        "address_kind": AddressKind.PRIVATE if private else AddressKind.WORK,
    }


def _add_venues(session: Session, built: _Built) -> None:
    session.flush()  # venues refer to their organisation by id only
    for key, organisation_key, name, room, accessibility in VENUES:
        organisation = built.organisations[organisation_key]
        venue = Venue(
            name=name,
            street=organisation.street,
            postcode=organisation.postcode,
            city=CITY,
            room=room,
            accessibility_notes=accessibility,
            organisation_id=organisation.id,
        )
        session.add(venue)
        built.venues[key] = venue


# -- meetings ---------------------------------------------------------------------------------


def _new_meeting(
    session: Session,
    built: _Built,
    key: str,
    title: str,
    start: datetime,
    end: datetime,
    venue: str,
    state: MeetingState,
    description: str = "",
    rsvp_by: date | None = None,
) -> Meeting:
    meeting = Meeting(
        title=title,
        start=start,
        end=end,
        timezone=TIMEZONE,
        venue=built.venues[venue],
        organiser=built.people[ORGANISER],
        moderator=built.people[ORGANISER],
        minute_taker=built.people[MINUTE_TAKER],
        description=description,
        rsvp_by=rsvp_by,
        state=state,
    )
    session.add(meeting)
    built.meetings[key] = meeting
    return meeting


def _add_agenda(
    session: Session, built: _Built, meeting: Meeting, tops: tuple[_Top, ...]
) -> dict[str, AgendaItem]:
    """Adds the TOPs (and sub-items) in order; returns the keyed ones, flushed."""
    keyed: dict[str, AgendaItem] = {}

    def add(items: tuple[_Top, ...], parent: AgendaItem | None) -> None:
        for position, top in enumerate(items, start=1):
            item = AgendaItem(
                meeting=meeting,
                position=position,
                title=top.title,
                description=top.description,
                presenter=built.people[top.presenter] if top.presenter else None,
                presenter_text=top.presenter_text,
                planned_minutes=top.minutes,
                kind=top.kind,
                lists_open_action_items=top.lists_open_action_items,
                notes=top.notes,
                parent_id=parent.id if parent is not None else None,
            )
            session.add(item)
            if top.children:
                session.flush()  # the sub-items need this item's id
            if top.key:
                keyed[top.key] = item
            add(top.children, item)

    add(tops, None)
    session.flush()  # decisions, action items and attendance refer to the items by id
    return keyed


def _add_decisions(
    session: Session, meeting: Meeting, items: dict[str, AgendaItem], specs: tuple[_Decision, ...]
) -> None:
    for position, spec in enumerate(specs, start=1):
        yes, no, abstain = spec.votes or (None, None, None)
        session.add(
            Decision(
                meeting=meeting,
                agenda_item_id=items[spec.top].id,
                position=position,
                text=spec.text,
                votes_yes=yes,
                votes_no=no,
                votes_abstain=abstain,
            )
        )


def _add_actions(
    session: Session,
    built: _Built,
    meeting: Meeting,
    items: dict[str, AgendaItem],
    specs: tuple[_Action, ...],
) -> None:
    for position, spec in enumerate(specs, start=1):
        action = ActionItem(
            meeting=meeting,
            agenda_item_id=items[spec.top].id,
            position=position,
            text=spec.text,
            owner_person=built.people[spec.person] if spec.person else None,
            owner_organisation=built.organisations[spec.organisation]
            if spec.organisation
            else None,
            owner_text=spec.owner_text,
            due=spec.due,
            status=ActionItemStatus.DONE if spec.done_on else ActionItemStatus.OPEN,
            done_at=_berlin(spec.done_on, 12) if spec.done_on else None,
        )
        session.add(action)
        if spec.done_in:
            built.done_later.append((action, spec.done_in))


def _invitees(built: _Built, count: int | None = None) -> list[Person]:
    """Impuls.Ag members in table order; the organiser and minute-taker invite, not attend."""
    members = [
        built.people[spec.key]
        for spec in PEOPLE
        if "I" in spec.groups and spec.key not in (ORGANISER, MINUTE_TAKER)
    ]
    return members[:count] if count is not None else members


_REPLY_STATES = {
    "A": InvitationState.ACCEPTED,
    "D": InvitationState.DECLINED,
    "T": InvitationState.TENTATIVE,
    "S": InvitationState.SENT,
}
_ATTENDANCE_STATES = {
    "P": AttendanceStatus.PRESENT,
    "E": AttendanceStatus.EXCUSED,
    "X": AttendanceStatus.ABSENT,
}


def _invite(
    session: Session,
    meeting: Meeting,
    people: list[Person],
    replies: str,
    sent_at: datetime,
    latest_answer: datetime,
) -> None:
    """One invitation per person; ``replies`` holds one letter of _REPLY_STATES each."""
    span = max((latest_answer - sent_at).total_seconds(), 0)
    for index, (person, letter) in enumerate(zip(people, replies, strict=True)):
        state = _REPLY_STATES[letter]
        answered_at = None
        if state is not InvitationState.SENT:
            # Spread the answers over the span, earliest first for the first invitees.
            answered_at = sent_at + timedelta(seconds=span * ((index * 7) % 23 + 1) / 24)
        by_post = not person.emails or _withdrew_email(person, sent_at)
        session.add(
            Invitation(
                meeting=meeting,
                person=person,
                state=state,
                sent_at=sent_at,
                sent_sequence=meeting.ics_sequence,
                answered_at=answered_at,
                note="per Post" if by_post else "",
            )
        )


def _withdrew_email(person: Person, moment: datetime) -> bool:
    statements = [
        c
        for c in person.consents
        if c.topic is ConsentTopic.EMAIL_INVITATIONS and c.recorded_at <= moment
    ]
    return bool(statements) and not max(statements, key=lambda c: c.recorded_at).given


def _photo_consent(person: Person, moment: datetime) -> bool | None:
    statements = [
        c for c in person.consents if c.topic is ConsentTopic.PHOTOS and c.recorded_at <= moment
    ]
    return max(statements, key=lambda c: c.recorded_at).given if statements else None


def _attend(
    session: Session, meeting: Meeting, person: Person, status: AttendanceStatus
) -> Attendance:
    attendance = Attendance(
        meeting=meeting,
        person=person,
        status=status,
        photo_consent=_photo_consent(person, meeting.start)
        if status is AttendanceStatus.PRESENT
        else None,
    )
    session.add(attendance)
    return attendance


def _add_staff_attendance(session: Session, built: _Built, meeting: Meeting) -> None:
    for key in (ORGANISER, MINUTE_TAKER):
        _attend(session, meeting, built.people[key], AttendanceStatus.PRESENT)


def _letters(pattern: str) -> str:
    return pattern.replace(" ", "")


def _add_auftakt(session: Session, built: _Built) -> None:
    start = _berlin(AUFTAKT_DAY, 15)
    meeting = _new_meeting(
        session,
        built,
        "auftakt",
        AUFTAKT_TITLE,
        start,
        _berlin(AUFTAKT_DAY, 17, 30),
        "kplus",
        MeetingState.MINUTES_DRAFT,
        description="Zum Ende der Förderphase aus der Integrationspauschale ziehen die Partner "
        "der Impuls.Ag Bilanz und beraten über die Zukunft des Netzwerks.",
        rsvp_by=AUFTAKT_DAY - timedelta(days=7),
    )
    items = _add_agenda(session, built, meeting, AUFTAKT_AGENDA)
    replies = _letters(AUFTAKT_REPLIES)
    people = _invitees(built, len(replies))
    _invite(
        session,
        meeting,
        people,
        replies,
        _berlin(date(2022, 10, 27), 10, 15),
        _berlin(date(2022, 11, 15), 17),
    )
    _add_staff_attendance(session, built, meeting)
    for index, (person, letter) in enumerate(
        zip(people, _letters(AUFTAKT_ATTENDANCE), strict=True)
    ):
        if letter == ".":
            continue
        attendance = _attend(session, meeting, person, _ATTENDANCE_STATES[letter])
        if index == AUFTAKT_LATE_ARRIVAL:
            attendance.arrived_at_item_id = items["projects"].id
        if index == AUFTAKT_EARLY_LEAVE:
            attendance.left_after_item_id = items["partners"].id
    for name, organisation, photo_consent in AUFTAKT_GUESTS:
        session.add(
            Attendance(
                meeting=meeting,
                guest_name=name,
                guest_organisation=organisation,
                status=AttendanceStatus.PRESENT,
                photo_consent=photo_consent,
            )
        )
    _add_decisions(session, meeting, items, AUFTAKT_DECISIONS)
    _add_actions(session, built, meeting, items, AUFTAKT_ACTIONS)
    session.add(
        Minutes(
            meeting=meeting,
            state=MinutesState.DRAFT,
            number="1/2022",
            actual_start=_berlin(AUFTAKT_DAY, 15, 5),
            actual_end=_berlin(AUFTAKT_DAY, 17, 40),
            next_meeting_start=_berlin(SPRING_DAY, 15),
            next_meeting_place="Ladenlokal Stahldorf",
            next_meeting_note="Die Einladung mit Tagesordnung folgt im Februar 2023.",
        )
    )


def _past_attendance(index: int, letter: str) -> AttendanceStatus | None:
    """Who came to the 2023 meetings: most who accepted, some who were unsure."""
    if letter == "A":
        return AttendanceStatus.ABSENT if index % 11 == 10 else AttendanceStatus.PRESENT
    if letter == "D":
        return AttendanceStatus.EXCUSED
    if letter == "T":
        return AttendanceStatus.PRESENT if index % 2 == 0 else None
    return None


def _cycle(pattern: str, length: int) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


def _add_past_meeting(session: Session, built: _Built, spec: _PastMeeting) -> None:
    start = _berlin(spec.day, 15)
    meeting = _new_meeting(
        session,
        built,
        spec.key,
        spec.title,
        start,
        _berlin(spec.day, *spec.end),
        spec.venue,
        MeetingState.MINUTES_FINAL,
        rsvp_by=spec.day - timedelta(days=7),
    )
    items = _add_agenda(session, built, meeting, spec.agenda)
    people = _invitees(built)
    replies = _cycle(spec.replies, len(people))
    sent_at = _berlin(spec.day - timedelta(days=24), 9, 45)
    _invite(session, meeting, people, replies, sent_at, _berlin(spec.day - timedelta(days=2), 16))
    _add_staff_attendance(session, built, meeting)
    for index, (person, letter) in enumerate(zip(people, replies, strict=True)):
        status = _past_attendance(index, letter)
        if status is not None:
            _attend(session, meeting, person, status)
    _add_decisions(session, meeting, items, spec.decisions)
    _add_actions(session, built, meeting, items, spec.actions)
    session.add(
        Minutes(
            meeting=meeting,
            state=MinutesState.FINAL,
            number=spec.minutes_number,
            revision=1,
            actual_start=start,
            actual_end=_berlin(spec.day, *spec.end),
            next_meeting_start=_berlin(spec.next_day, 15) if spec.next_day else None,
            next_meeting_place=spec.next_place,
            next_meeting_note=spec.next_note,
            finalised_at=_berlin(spec.finalised_on, 11),
        )
    )


def upcoming_day(today: date) -> date:
    """About three weeks ahead, on a Tuesday to Thursday, outside the Christmas holidays."""
    day = today + timedelta(days=21)
    while (
        day.weekday() not in (1, 2, 3)
        or (day.month, day.day) >= (12, 22)
        or (day.month == 1 and day.day <= 6)
    ):
        day += timedelta(days=1)
    return day


def _season(day: date) -> str:
    if day.month in (12, 1, 2):
        first = day.year if day.month == 12 else day.year - 1
        return f"Winter {first}/{(first + 1) % 100:02d}"
    name = {3: "Frühjahr", 4: "Frühjahr", 5: "Frühjahr", 6: "Sommer", 7: "Sommer", 8: "Sommer"}
    return f"{name.get(day.month, 'Herbst')} {day.year}"


def _add_upcoming(session: Session, built: _Built, today: date) -> Meeting:
    day = upcoming_day(today)
    meeting = _new_meeting(
        session,
        built,
        "upcoming",
        f"Netzwerktreffen der Impuls.Ag – {_season(day)}",
        _berlin(day, 15),
        _berlin(day, 17),
        "kplus",
        MeetingState.INVITED,
        description="Halbjährliches Treffen des Netzwerks. Bitte geben Sie bis zum "
        "Anmeldeschluss Bescheid, ob Sie teilnehmen.",
        rsvp_by=day - timedelta(days=7),
    )
    _add_agenda(session, built, meeting, UPCOMING_AGENDA)
    people = _invitees(built)
    _invite(
        session,
        meeting,
        people,
        _cycle(UPCOMING_REPLIES, len(people)),
        _berlin(today - timedelta(days=4), 10),
        _berlin(today - timedelta(days=1), 18),
    )
    return meeting
