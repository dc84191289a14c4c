"""The demo network's funded projects, linked to its meetings and TOPs (issue 15).

From the city's press release of 24 Nov 2022: "Projekt 37F" brought 700,000 € from the
Integrationspauschale into the quarters over two years (funding ending in November 2022);
the projects it carried (Quartiersbüros, Sport im Park, Sportpark Mobil, VielFeld, the shop
front in Stahldorf run by the shelter at Wehrhahnweg) went on in 2023 with city money. The
kick-off meeting concerns "Projekt 37F" as a whole; its TOPs 2.1 – 2.5 and later TOPs concern
the single projects. Two photos of the kick-off meeting show how photo consent decides:
the group photo shows only people who agreed; the one from the small groups shows a guest
who refused and is therefore never offered for publication. One press release was issued.

Called from ``fill_demo`` inside its transaction; content is German data, not UI text.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    Organisation,
    Photo,
    PressRelease,
    PressReleaseChannel,
    Project,
    Quarter,
    photo_subjects,
)
from app.services.minutes.photos import effective_photo_consent, latest_photo_consents
from app.services.projects.values import amount_to_cents

BERLIN = ZoneInfo("Europe/Berlin")
PRESS_CONTACT = (
    "Stadt Krefeld – Presse und Kommunikation\n"
    "Rathaus, Von-der-Leyen-Platz 1, 47798 Krefeld\n"
    "Telefon 0221 4710-300\n"
    "presse@krefeld.example"
)
PHOTO_CREDIT = "Foto: Stadt Krefeld, Presse und Kommunikation, A. Bischof"

# name, funder, programme, reference, amount, start, end, lead, partners, quarters, description
PROJECTS = (
    (
        "Projekt 37F – Teilhabe und Integration in den Quartieren",
        "Land Nordrhein-Westfalen",
        "Integrationspauschale",
        "37F-2020-KR",
        Decimal("700000.00"),
        date(2020, 12, 1),
        date(2022, 11, 30),
        "Stadt Krefeld – Fachbereich Soziales / Integration",
        (
            "Quartiersbüro Lehmheide",
            "Quartiersbüro Bleichpfad/Hardenberg",
            "Quartiersbüro Gatherhof",
            "Quartiersbüro Schinkenplatz",
            "Quartiersbüro Stahldorf",
            "Bayer SC05 e. V.",
            "VfR Krefeld e. V.",
            "Projekt VielFeld",
            "Gemeinschaftsunterkunft Wehrhahnweg",
            "Gemeinschaftsunterkunft Westparkstraße",
        ),
        ("Lehmheide", "Bleichpfad/Hardenberg", "Gatherhof", "Schinkenplatz", "Stahldorf"),
        "Soziales Quartiersmanagement der Impuls.Ag: Infrastruktur für Teilhabe und "
        "Integration in benachteiligten Quartieren, getragen von den Netzwerkpartnern.",
    ),
    (
        "Quartiersbüros",
        "Land Nordrhein-Westfalen; ab 2023 Stadt Krefeld",
        "Integrationspauschale (Projekt 37F); ab 2023 städtische Haushaltsmittel",
        "",
        None,
        date(2021, 1, 1),
        date(2023, 12, 31),
        "Stadt Krefeld – Fachbereich Soziales / Integration",
        (
            "Quartiersbüro Lehmheide",
            "Quartiersbüro Bleichpfad/Hardenberg",
            "Quartiersbüro Gatherhof",
            "Quartiersbüro Schinkenplatz",
            "Quartiersbüro Stahldorf",
        ),
        ("Lehmheide", "Bleichpfad/Hardenberg", "Gatherhof", "Schinkenplatz", "Stahldorf"),
        "Aufbau von Quartiersbüros in Lehmheide, Bleichpfad/Hardenberg und Gatherhof, neu am "
        "Schinkenplatz und in Stahldorf: offene Sprechstunden und Quartiershelfer.",
    ),
    (
        "Sport im Park",
        "Land Nordrhein-Westfalen; ab 2023 Stadt Krefeld",
        "Integrationspauschale (Projekt 37F); ab 2023 städtische Haushaltsmittel",
        "",
        None,
        date(2021, 5, 1),
        date(2023, 12, 31),
        "VfR Krefeld e. V.",
        ("Gemeinschaftsunterkunft Westparkstraße",),
        (),
        "Kostenlose Bewegungsangebote im Kaiser-Wilhelm-Park, gemeinsam mit der "
        "Gemeinschaftsunterkunft Westparkstraße.",
    ),
    (
        "Sportpark Mobil",
        "Land Nordrhein-Westfalen; ab 2023 Stadt Krefeld",
        "Integrationspauschale (Projekt 37F); ab 2023 städtische Haushaltsmittel",
        "",
        None,
        date(2021, 4, 1),
        date(2023, 12, 31),
        "Bayer SC05 e. V.",
        (),
        ("Lehmheide", "Gatherhof"),
        "Ein Anhänger mit Sport- und Spielgeräten fährt nachmittags wechselnd in die Quartiere.",
    ),
    (
        "VielFeld",
        "Land Nordrhein-Westfalen; ab 2023 Stadt Krefeld",
        "Integrationspauschale (Projekt 37F); ab 2023 städtische Haushaltsmittel",
        "",
        None,
        date(2021, 6, 1),
        date(2023, 12, 31),
        "Projekt VielFeld",
        ("Stiftung Nachbarschaft Niederrhein",),
        ("Lehmheide", "Gatherhof", "Schinkenplatz"),
        "Die Anlaufstellen der Quartiershelfer gestalten je ein Projekt im Wohnumfeld.",
    ),
    (
        "Ladenlokal Stahldorf",
        "Land Nordrhein-Westfalen; ab 2023 Stadt Krefeld",
        "Integrationspauschale (Projekt 37F); ab 2023 städtische Haushaltsmittel",
        "",
        None,
        date(2022, 3, 1),
        date(2023, 12, 31),
        "Gemeinschaftsunterkunft Wehrhahnweg",
        ("Quartiersbüro Stahldorf",),
        ("Stahldorf",),
        "Die Gemeinschaftsunterkunft am Wehrhahnweg ertüchtigt ein Ladenlokal in Stahldorf "
        "als offenen Treffpunkt für die Nachbarschaft.",
    ),
)

# (project index, meeting key, TOP titles; None: the meeting as a whole)
LINKS: tuple[tuple[int, str, tuple[str, ...] | None], ...] = (
    (0, "auftakt", None),
    (1, "auftakt", ("Quartiersbüros",)),
    (1, "spring", ("Verstetigung 2023: Stand der Haushaltsmittel",)),
    (1, "upcoming", ("Berichte aus den Quartiersbüros",)),
    (2, "auftakt", ("Sport im Park",)),
    (2, "spring", ("Sportangebote im Sommer 2023",)),
    (2, "autumn", ("Rückblick: Sport im Park und Sportpark Mobil",)),
    (2, "upcoming", ("Sportangebote im Quartier: Sport im Park und Sportpark Mobil",)),
    (3, "auftakt", ("Sportpark Mobil",)),
    (3, "spring", ("Sportangebote im Sommer 2023",)),
    (3, "autumn", ("Rückblick: Sport im Park und Sportpark Mobil",)),
    (3, "upcoming", ("Sportangebote im Quartier: Sport im Park und Sportpark Mobil",)),
    (4, "auftakt", ("VielFeld",)),
    (4, "autumn", ("VielFeld: Ergebnisse aus den Quartieren",)),
    (5, "auftakt", ("Ladenlokal Stahldorf",)),
    (5, "spring", ("Eröffnung des Ladenlokals Stahldorf",)),
    (5, "upcoming", ("Ladenlokal Stahldorf: Erfahrungen und Ausblick",)),
)

GROUP_CAPTION = (
    "Das Auftakt-Netzwerktreffen der Impuls.Ag unter der Leitung von Quartiersmanagerin "
    "Sabine Krüger hat im Museumscafé K+ stattgefunden."
)
SMALL_GROUP_CAPTION = "Kleingruppenarbeit zur Zusammenarbeit mit den Netzwerkpartnern."


def demo_photo(seed: int, people: int, width: int = 1200, height: int = 800) -> bytes:
    """A drawn stand-in for a meeting photo (JPEG): a room, a table, people around it."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    image = Image.new("RGB", (width, height), (236, 228, 214))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):  # a warm wall, lighter towards the top
        shade = 246 - y * 30 // (height // 2)
        draw.line([(0, y), (width, y)], fill=(shade, shade - 8, shade - 22))
    draw.rectangle([0, height // 2, width, height], fill=(150, 118, 86))  # the floor
    for x in range(80, width, 260):  # windows
        draw.rectangle(
            [x, 60, x + 160, 260], fill=(196, 220, 236), outline=(120, 110, 100), width=6
        )
    spacing = width / (people + 1)
    for number in range(people):
        x = int(spacing * (number + 1))
        y = height // 2 + rng.randint(-30, 20)
        colour = tuple(rng.randint(40, 200) for _ in range(3))
        skin = rng.choice([(241, 204, 170), (198, 144, 104), (141, 94, 62), (224, 172, 130)])
        draw.rounded_rectangle([x - 45, y, x + 45, y + 220], radius=30, fill=colour)
        draw.ellipse([x - 32, y - 80, x + 32, y - 8], fill=skin)
    draw.rectangle([60, height - 210, width - 60, height - 160], fill=(112, 78, 52))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _by_name(session: Session, model: type[Organisation] | type[Quarter], name: str) -> object:
    found = session.scalars(select(model).where(model.name == name)).first()
    if found is None:  # pragma: no cover - a typo in the tables above
        raise LookupError(name)
    return found


def _top(session: Session, meeting: Meeting, title: str) -> AgendaItem:
    found = session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.title == title)
    ).first()
    if found is None:  # pragma: no cover - a typo in the tables above
        raise LookupError(title)
    return found


def add_demo_projects(session: Session, meetings: dict[str, Meeting]) -> None:
    """Projects, their links, two photos and one press release."""
    session.flush()
    projects = []
    for (
        name,
        funder,
        programme,
        reference,
        amount,
        start,
        end,
        lead,
        partners,
        quarters,
        description,
    ) in PROJECTS:
        project = Project(
            name=name,
            description=description,
            funder=funder,
            programme=programme,
            reference=reference,
            amount_cents=amount_to_cents(amount),
            start_date=start,
            end_date=end,
            lead_organisation=_by_name(session, Organisation, lead),
            partners=[_by_name(session, Organisation, p) for p in partners],
            quarters=[_by_name(session, Quarter, q) for q in quarters],
        )
        session.add(project)
        projects.append(project)
    for index, meeting_key, titles in LINKS:
        meeting = meetings[meeting_key]
        if titles is None:
            projects[index].meetings.append(meeting)
        else:
            for title in titles:
                projects[index].agenda_items.append(_top(session, meeting, title))
    session.flush()
    _add_photos_and_press(session, meetings["auftakt"])


def _add_photos_and_press(session: Session, meeting: Meeting) -> None:
    present = list(
        session.scalars(
            select(Attendance)
            .where(
                Attendance.meeting_id == meeting.id,
                Attendance.status == AttendanceStatus.PRESENT,
            )
            .order_by(Attendance.id)
        )
    )
    consents = latest_photo_consents(session, {a.person_id for a in present if a.person_id})

    def consent(row: Attendance) -> bool | None:
        record = consents.get(row.person_id) if row.person_id is not None else None
        return effective_photo_consent(row.photo_consent, record)

    agreed = [row for row in present if consent(row) is True]
    # The walk-in guest who refused (Yusuf Demirci) is on the small-group photo.
    refused = sorted(
        (row for row in present if consent(row) is False), key=lambda r: r.person_id is not None
    )
    group = Photo(
        meeting=meeting,
        position=1,
        filename="auftakt-gruppenfoto.jpg",
        mime_type="image/jpeg",
        data=demo_photo(17, 7),
        caption=GROUP_CAPTION,
        credit=PHOTO_CREDIT,
        subjects_recorded=True,
    )
    small = Photo(
        meeting=meeting,
        position=2,
        filename="auftakt-kleingruppe.jpg",
        mime_type="image/jpeg",
        data=demo_photo(23, 4),
        caption=SMALL_GROUP_CAPTION,
        credit=PHOTO_CREDIT,
        subjects_recorded=True,
    )
    session.add_all([group, small])
    session.flush()
    for row in agreed[:7]:
        session.execute(insert(photo_subjects).values(photo_id=group.id, attendance_id=row.id))
    for row in [*agreed[7:10], *refused[:1]]:
        session.execute(insert(photo_subjects).values(photo_id=small.id, attendance_id=row.id))
    session.add(
        PressRelease(
            meeting=meeting,
            headline="Netzwerktreffen der Impuls.Ag stellt Integration in den Mittelpunkt",
            language="de",
            channel=PressReleaseChannel.MAIL,
            recipients="presse@krefeld.example",
            text="700.000 Euro aus der Integrationspauschale fließen seit 2020 in Quartiere.",
            photo_id=group.id,
            issued_at=datetime(2022, 11, 24, 10, 0, tzinfo=BERLIN),
        )
    )
