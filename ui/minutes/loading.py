"""What the minutes editor reads when it opens a meeting, in one background task."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db import Database
from app.services.directory import list_organisations, list_people
from app.services.meetings import MeetingDetail, get_meeting
from app.services.minutes import ConsentWarning, MinutesView, load_minutes, photo_consent_warnings
from app.services.minutes_recovery import (
    RecoveryEntry,
    RecoveryOffer,
    pending_recoveries,
    recovery_offers,
)
from app.services.press.photos import PicturedOverview, pictured_overview
from app.services.snapshots.minutes import MinutesSnapshot, build_minutes_snapshot


@dataclass(frozen=True, slots=True)
class Owner:
    """A choice for "who" in the completer."""

    label: str  # "Name (Organisation)" for a person
    name: str  # the name alone
    person_id: int | None
    organisation_id: int | None


@dataclass(frozen=True, slots=True)
class MinutesBundle:
    view: MinutesView
    detail: MeetingDetail  # the agenda with start times, moderator, minute-taker
    snapshot: MinutesSnapshot  # attendance as the minutes print it
    consent_warnings: tuple[ConsentWarning, ...]
    pictured: PicturedOverview  # who is on each photo, with everyone present


@dataclass(frozen=True, slots=True)
class OpenedMinutes:
    bundle: MinutesBundle
    owners: tuple[Owner, ...]
    offers: tuple[RecoveryOffer, ...]  # unsaved text left by a crash
    obsolete: tuple[RecoveryEntry, ...]  # journals whose text was saved after all


def load_bundle(db: Database, meeting_id: int) -> MinutesBundle:
    return MinutesBundle(
        view=load_minutes(db, meeting_id),
        detail=get_meeting(db, meeting_id),
        snapshot=build_minutes_snapshot(db, meeting_id),
        consent_warnings=tuple(photo_consent_warnings(db, meeting_id)),
        pictured=pictured_overview(db, meeting_id),
    )


def load_owners(db: Database) -> tuple[Owner, ...]:
    people = [
        Owner(f"{p.name} ({p.organisation})" if p.organisation else p.name, p.name, p.id, None)
        for p in list_people(db)
    ]
    organisations = [Owner(o.name, o.name, None, o.id) for o in list_organisations(db)]
    return tuple(people + organisations)


def open_minutes(db: Database, meeting_id: int, recovery_dir: Path | None) -> OpenedMinutes:
    bundle = load_bundle(db, meeting_id)
    entries = pending_recoveries(db.path, meeting_id, directory=recovery_dir)
    stored = {top.id: (top.notes, top.notes_version) for top in bundle.view.tops}
    offers, obsolete = recovery_offers(entries, stored)
    return OpenedMinutes(bundle, load_owners(db), tuple(offers), tuple(obsolete))
