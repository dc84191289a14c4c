"""Venues are kept for reuse: name, address, room and accessibility notes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _, ngettext
from app.models import Meeting, Organisation, Venue
from app.text import fold, nfc


@dataclass(frozen=True, slots=True)
class VenueDraft:
    """What the venue form edits."""

    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    room: str = ""
    accessibility_notes: str = ""
    notes: str = ""
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class VenueRow:
    id: int
    name: str
    street: str
    postcode: str
    city: str
    room: str
    accessibility_notes: str
    notes: str
    organisation_id: int | None
    address: str  # "Museumsplatz 1, 12345 Stadt"
    meetings: int  # how many meetings use it
    search_key: str

    def draft(self) -> VenueDraft:
        return VenueDraft(
            name=self.name,
            street=self.street,
            postcode=self.postcode,
            city=self.city,
            room=self.room,
            accessibility_notes=self.accessibility_notes,
            notes=self.notes,
            organisation_id=self.organisation_id,
        )


def venue_address(street: str, postcode: str, city: str) -> str:
    town = " ".join(part for part in (postcode, city) if part)
    return ", ".join(part for part in (street, town) if part)


def _row(venue: Venue, meetings: int) -> VenueRow:
    address = venue_address(venue.street, venue.postcode, venue.city)
    return VenueRow(
        id=venue.id,
        name=venue.name,
        street=venue.street,
        postcode=venue.postcode,
        city=venue.city,
        room=venue.room,
        accessibility_notes=venue.accessibility_notes,
        notes=venue.notes,
        organisation_id=venue.organisation_id,
        address=address,
        meetings=meetings,
        search_key=fold(" ".join((venue.name, venue.room, address))),
    )


def list_venues(db: Database) -> list[VenueRow]:
    """All venues, sorted the German way by name."""
    with db.read() as session:
        usage = dict(
            session.execute(
                select(Meeting.venue_id, func.count())
                .where(Meeting.venue_id.is_not(None))
                .group_by(Meeting.venue_id)
            ).all()
        )
        rows = [_row(v, usage.get(v.id, 0)) for v in session.scalars(select(Venue))]
    return sorted(rows, key=lambda row: (fold(row.name), fold(row.room), row.id))


def get_venue(db: Database, venue_id: int) -> VenueRow:
    with db.read() as session:
        venue = load_venue(session, venue_id)
        used = session.scalar(select(func.count()).where(Meeting.venue_id == venue_id)) or 0
        return _row(venue, used)


def load_venue(session: Session, venue_id: int) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise NotFound(_("There is no venue with the number {id}.").format(id=venue_id))
    return venue


def find_venue(session: Session, name: str) -> Venue | None:
    """The venue whose name matches *name* ignoring case and accents (lowest id first).

    Venues are few (dozens), so comparing folded names in Python is fine and handles "Café K+"
    against "cafe k+", which SQLite's ASCII-only ``lower()`` would not.
    """
    key = fold(name)
    if not key:
        return None
    for venue in session.scalars(select(Venue).order_by(Venue.id)):
        if fold(venue.name) == key:
            return venue
    return None


def find_or_create_venue(session: Session, name: str) -> Venue:
    """Reuse a venue of that name, or add a bare one (the address can be filled in later)."""
    cleaned = nfc(name)
    if not cleaned:
        raise ValidationError(_("A venue needs a name."))
    venue = find_venue(session, cleaned)
    if venue is None:
        venue = Venue(name=cleaned)
        session.add(venue)
        session.flush()
    return venue


def _apply(session: Session, venue: Venue, draft: VenueDraft) -> None:
    name = nfc(draft.name)
    if not name:
        raise ValidationError(_("A venue needs a name."))
    organisation_id = draft.organisation_id
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise NotFound(
            _("There is no organisation with the number {id}.").format(id=draft.organisation_id)
        )
    venue.name = name
    venue.street = nfc(draft.street)
    venue.postcode = nfc(draft.postcode)
    venue.city = nfc(draft.city)
    venue.room = nfc(draft.room)
    venue.accessibility_notes = nfc(draft.accessibility_notes)
    venue.notes = nfc(draft.notes)
    venue.organisation_id = draft.organisation_id


def create_venue(db: Database, draft: VenueDraft) -> int:
    with db.write() as session:
        venue = Venue(name="")
        _apply(session, venue, draft)
        session.add(venue)
        session.flush()
        return venue.id


def update_venue(db: Database, venue_id: int, draft: VenueDraft) -> VenueDraft:
    """Save the form; returns the previous values (for undo)."""
    with db.write() as session:
        venue = load_venue(session, venue_id)
        previous = _row(venue, 0).draft()
        _apply(session, venue, draft)
        return previous


def delete_venue(db: Database, venue_id: int) -> None:
    """Delete a venue no meeting uses; a used venue stays so old minutes keep their place."""
    with db.write() as session:
        venue = load_venue(session, venue_id)
        used = session.scalar(select(func.count()).where(Meeting.venue_id == venue_id)) or 0
        if used:
            raise ValidationError(
                ngettext(
                    "The venue “{name}” is used by {count} meeting and cannot be deleted.",
                    "The venue “{name}” is used by {count} meetings and cannot be deleted.",
                    used,
                ).format(name=venue.name, count=used)
            )
        session.delete(venue)
