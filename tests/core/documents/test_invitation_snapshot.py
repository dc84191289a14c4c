"""What goes into the invitation: the snapshot in detail (the PDF tests read it back)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import pytest

from app.db import Database
from app.errors import NotFound
from app.i18n import pgettext
from app.models import (
    AgendaItem,
    Meeting,
    MeetingState,
)
from app.services.letterhead import Letterhead
from app.services.mail_settings import SmtpSettings, save_smtp_settings
from app.services.snapshots.invitation import (
    AgendaEntry,
    Contact,
    InvitationSnapshot,
    NoLettersNeededError,
    VenueBlock,
    build_invitation_snapshot,
    default_privacy_notice,
)
from tests.helpers.invitation_plan import (
    ARABIC_FIRST,
    ARABIC_LAST,
    MARKUP_ORG,
    MARKUP_TITLE,
    NFD_TITLE,
    START,
    Plan,
    build_plan,
)


@pytest.fixture
def plan(db: Database) -> Plan:
    return build_plan(db)


def at(hour: int, minute: int) -> datetime:
    return START.replace(hour=hour, minute=minute)


def test_meeting_facts(db: Database, plan: Plan) -> None:
    snapshot = build_invitation_snapshot(db, plan.meeting_id)
    assert isinstance(snapshot, InvitationSnapshot)
    assert snapshot.meeting_id == plan.meeting_id
    assert snapshot.title == "Netzwerktreffen Winter"
    assert snapshot.description == "Bitte <b>pünktlich</b> & gut gelaunt."  # unescaped
    assert (snapshot.start, snapshot.end) == (START, START + timedelta(hours=2))
    assert snapshot.start.tzinfo is not None
    assert snapshot.start.utcoffset() == timedelta(hours=1)
    assert snapshot.date == date(2026, 12, 16)
    assert snapshot.planned_end == at(16, 20)
    assert snapshot.rsvp_by == date(2026, 12, 9)
    assert snapshot.venue == VenueBlock(
        "Museumscafé K+",
        "Studio",
        "Joseph-Beuys-Platz 1, 47798 Krefeld",
        "Stufenloser Zugang, barrierefreies WC",
    )
    assert snapshot.organiser == Contact(
        "Sabine Krüger",
        "Stadt Krefeld – Fachbereich Soziales",
        "sabine.krueger@krefeld.example",
        "02151 86-0",
    )
    assert not snapshot.cancelled
    assert snapshot.letters == ()
    assert snapshot.issued is None  # only letters carry a date
    assert snapshot.letterhead is None


def test_agenda_numbers_times_presenters_and_sub_items(db: Database, plan: Plan) -> None:
    agenda = build_invitation_snapshot(db, plan.meeting_id).agenda
    assert [(e.number, e.depth, e.start, e.title, e.presenter, e.minutes) for e in agenda] == [
        ("1", 0, at(15, 0), "Begrüßung", "Sabine Krüger", 10),
        ("2", 0, at(15, 10), "Offene Aufgaben aus dem letzten Treffen", "", 15),
        ("3", 0, at(15, 25), "Projekte", "alle Projektträger", 5),
        ("3.1", 1, at(15, 30), unicodedata.normalize("NFC", NFD_TITLE), "Ayşe Yılmaz", 10),
        ("3.2", 1, at(15, 40), "Sport im Park", "", 20),
        ("4", 0, at(16, 0), "Haushalt 2027", "", 10),
        ("5", 0, at(16, 10), MARKUP_TITLE, "", 10),
    ]
    assert agenda[2].description == "Je fünf Minuten: was läuft gut?"
    assert [e.kind for e in agenda][:4] == [
        "information",
        "discussion",
        "information",
        "information",
    ]
    assert agenda[5].kind == "decision"
    assert [e.lists_open_items for e in agenda] == [False, True, False, False, False, False, False]


def test_open_action_items_under_the_listing_top_only(db: Database, plan: Plan) -> None:
    snapshot = build_invitation_snapshot(db, plan.meeting_id)
    listing = snapshot.agenda[1]
    assert [
        (i.text, i.owner, i.due, i.overdue, i.meeting_title, i.meeting_date)
        for i in listing.open_items
    ] == [
        (
            "Flyer <drucken> & verteilen",
            "",  # a person without organisation: the invitation for all names no one
            date(2026, 11, 1),
            True,
            "Netzwerktreffen Herbst",
            date(2026, 9, 10),
        ),
        (
            "Raum für 2027 anfragen",
            MARKUP_ORG,
            date(2027, 1, 15),
            False,
            "Netzwerktreffen Herbst",
            date(2026, 9, 10),
        ),
    ]
    assert all(not entry.open_items for entry in snapshot.agenda if entry is not listing)
    assert snapshot.open_items == listing.open_items  # done and later items are not listed


def test_only_the_first_listing_top_gets_the_items(db: Database, plan: Plan) -> None:
    with db.write() as session:
        meeting = session.get(Meeting, plan.meeting_id)
        assert meeting is not None
        meeting.agenda_items.append(
            AgendaItem(
                position=9, title="Noch einmal offene Aufgaben", lists_open_action_items=True
            )
        )
    agenda = build_invitation_snapshot(db, plan.meeting_id).agenda
    assert len(agenda[1].open_items) == 2
    assert agenda[-1].lists_open_items
    assert agenda[-1].open_items == ()


def test_privacy_notice_names_the_letterhead_or_the_organiser(db: Database, plan: Plan) -> None:
    letterhead = Letterhead("Quartiersmanagement Impuls.Ag", ("Von-der-Leyen-Platz 1",))
    with_letterhead = build_invitation_snapshot(db, plan.meeting_id, letterhead=letterhead)
    assert with_letterhead.privacy_notice == default_privacy_notice(
        "Quartiersmanagement Impuls.Ag, Von-der-Leyen-Platz 1"
    )
    assert with_letterhead.letterhead == letterhead
    plain = build_invitation_snapshot(db, plan.meeting_id)
    assert plain.privacy_notice == default_privacy_notice("Stadt Krefeld – Fachbereich Soziales")
    custom = build_invitation_snapshot(db, plan.meeting_id, privacy_notice=" Eigener Text ")
    assert custom.privacy_notice == "Eigener Text"


def test_without_organiser_the_mail_sender_is_the_contact(db: Database, plan: Plan) -> None:
    with db.write() as session:
        meeting = session.get(Meeting, plan.meeting_id)
        assert meeting is not None
        meeting.organiser_id = None
    assert build_invitation_snapshot(db, plan.meeting_id).organiser is None
    save_smtp_settings(
        db, SmtpSettings(sender_name="Quartiersmanagement", sender_address="qm@krefeld.example")
    )
    contact = build_invitation_snapshot(db, plan.meeting_id).organiser
    assert contact == Contact("Quartiersmanagement", email="qm@krefeld.example")


def test_letters_for_everyone_who_cannot_be_mailed(db: Database, plan: Plan) -> None:
    snapshot = build_invitation_snapshot(
        db, plan.meeting_id, letters=True, today=date(2026, 11, 25)
    )
    assert snapshot.issued == date(2026, 11, 25)
    by_id = {letter.person_id: letter for letter in snapshot.letters}
    assert set(by_id) == {
        plan.people[k] for k in ("ohnemail", "widerruf", "kaputt", "arabic", "archived")
    }
    assert plan.people["yilmaz"] not in by_id  # reachable by e-mail
    # Sorted by name (last name first): Archiv, Kaputt, Ohnemail, Widerruf, then Arabic.
    assert [letter.name for letter in snapshot.letters][:4] == [
        "Anna Archiv",
        "Bernd Kaputt",
        "Klaus Ohnemail",
        "Petra Widerruf",
    ]
    reasons = {letter.name: letter.reason for letter in snapshot.letters}
    assert reasons == {
        "Anna Archiv": "archived",
        "Bernd Kaputt": "invalid_address",
        "Klaus Ohnemail": "no_email",
        "Petra Widerruf": "consent_withdrawn",
        f"{ARABIC_FIRST} {ARABIC_LAST}": "no_email",
    }
    ohnemail = by_id[plan.people["ohnemail"]]
    assert ohnemail.salutation == "Sehr geehrter Herr Ohnemail,"
    assert ohnemail.address_lines == (
        MARKUP_ORG,
        f"{pgettext('postal address', 'Mr')} Klaus Ohnemail",
        "Hauptstraße 5",
        "47798 Krefeld",
    )
    widerruf = by_id[plan.people["widerruf"]]
    assert widerruf.salutation == "Sehr geehrte Frau Widerruf,"
    assert widerruf.address_lines == (f"{pgettext('postal address', 'Ms')} Petra Widerruf",)
    arabic = by_id[plan.people["arabic"]]
    assert arabic.salutation == f"Guten Tag {ARABIC_FIRST} {ARABIC_LAST},"
    assert arabic.address_lines == (f"{ARABIC_FIRST} {ARABIC_LAST}",)


def test_letters_for_chosen_people_in_the_given_order(db: Database, plan: Plan) -> None:
    ids = [plan.people["yilmaz"], plan.people["ohnemail"], plan.people["yilmaz"]]
    snapshot = build_invitation_snapshot(db, plan.meeting_id, person_ids=ids)
    assert [letter.name for letter in snapshot.letters] == ["Dr. Ayşe Yılmaz", "Klaus Ohnemail"]
    assert snapshot.letters[0].salutation == "Sehr geehrte Frau Dr. Yılmaz,"
    assert snapshot.letters[0].reason == ""  # she has e-mail; printed because asked for
    assert snapshot.issued is not None
    with pytest.raises(NotFound):
        build_invitation_snapshot(db, plan.meeting_id, person_ids=[999_999])


def test_letters_follow_the_meeting_not_the_window(db: Database, plan: Plan) -> None:
    from app import i18n

    i18n.set_language("en")
    ohnemail = [plan.people["ohnemail"]]
    snapshot = build_invitation_snapshot(db, plan.meeting_id, person_ids=ohnemail)
    assert snapshot.language == "de"
    assert snapshot.letters[0].salutation == "Sehr geehrter Herr Ohnemail,"
    assert snapshot.letters[0].address_lines[1] == "Herr Klaus Ohnemail"
    with db.write() as session:
        session.get_one(Meeting, plan.meeting_id).language = "en"
    i18n.set_language("de")
    snapshot = build_invitation_snapshot(db, plan.meeting_id, person_ids=ohnemail)
    assert snapshot.letters[0].salutation == "Dear Mr Ohnemail,"
    assert snapshot.letters[0].address_lines[1] == "Mr Klaus Ohnemail"


def test_nobody_needs_a_letter(db: Database) -> None:
    plan = build_plan(db, letters_needed=False)
    with pytest.raises(NoLettersNeededError):
        build_invitation_snapshot(db, plan.meeting_id, letters=True)


def test_unknown_meeting(db: Database) -> None:
    with pytest.raises(NotFound):
        build_invitation_snapshot(db, 404)


def test_cancelled_meeting_and_empty_agenda(db: Database) -> None:
    with db.write() as session:
        meeting = Meeting(title="Kurzfristig", start=START, state=MeetingState.CANCELLED)
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    snapshot = build_invitation_snapshot(db, meeting_id)
    assert snapshot.cancelled
    assert snapshot.agenda == ()
    assert (snapshot.end, snapshot.venue, snapshot.rsvp_by, snapshot.organiser) == (
        None,
        None,
        None,
        None,
    )
    assert snapshot.planned_end == snapshot.start
    assert snapshot.privacy_notice == default_privacy_notice("")


def test_agenda_entry_defaults() -> None:
    entry = AgendaEntry("1", 0, START, "Begrüßung")
    assert (entry.description, entry.presenter, entry.minutes, entry.kind) == (
        "",
        "",
        0,
        "information",
    )
    assert entry.open_items == ()
    assert not entry.lists_open_items
