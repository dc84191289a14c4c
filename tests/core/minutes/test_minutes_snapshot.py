"""What goes into the minutes PDF: the snapshot in detail."""

from __future__ import annotations

import json
import pickle
import unicodedata
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import NotFound
from app.i18n import _
from app.models import (
    ActionItemStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MinutesState,
    Organisation,
    Person,
)
from app.services.demo import fill_demo
from app.services.letterhead import Letterhead
from app.services.minutes import (
    ActionDraft,
    ActualTimes,
    DecisionDraft,
    NextMeeting,
    add_action,
    add_decision,
    add_photo,
    approve_minutes,
    ensure_minutes,
    finalise_minutes,
    save_notes,
    set_action_status,
    set_actual_times,
    set_informed_only,
    set_next_meeting,
    start_correction,
)
from app.services.minutes.markup import BulletList, Paragraph, Run
from app.services.snapshots.minutes import (
    Attendee,
    MinutesSnapshot,
    build_minutes_snapshot,
    snapshot_json,
)
from tests.helpers.minutes import LATER, Net, add_meeting, image_bytes

MARKUP_NAME = "<b>Anna</b> & <i>Co"
MARKUP_ORG = "Müller & Söhne <GmbH>"
NFD_GUEST = unicodedata.normalize("NFD", "Nguyễn Thị Minh")


@pytest.fixture
def rich(db: Database, net: Net) -> Net:
    """The first meeting with roles, attendance of every kind, notes, decisions, actions."""
    with db.write() as session:
        meeting = session.get(Meeting, net.first.id)
        assert meeting is not None
        moderator = Person(first_name="Petra", last_name="Quartier", title="Dr.")
        minute_taker = Person(first_name="Jana", last_name="Hoffmann")
        markup_org = Organisation(name=MARKUP_ORG)
        markup = Person(
            first_name=MARKUP_NAME, last_name="Ärger", organisation=markup_org, function="Leitung"
        )
        arabic = Person(first_name="سلمى", last_name="الخطيب")
        absent = Person(first_name="Klaus", last_name="Abwesend")
        session.add_all([moderator, minute_taker, markup, arabic, absent])
        session.flush()
        meeting.organiser_id = moderator.id
        meeting.moderator_id = moderator.id
        meeting.minute_taker_id = minute_taker.id
        present, excused = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED
        first = net.first.id
        session.add_all(
            [
                Attendance(meeting_id=first, person_id=net.olga, status=present),
                Attendance(
                    meeting_id=first,
                    person_id=net.ayse,
                    status=present,
                    arrived_at_item_id=net.first.open_items,
                ),
                Attendance(
                    meeting_id=first,
                    person_id=net.jan,
                    status=present,
                    left_after_item_id=net.first.open_items,
                ),
                Attendance(meeting_id=first, person_id=markup.id, status=present),
                Attendance(meeting_id=first, person_id=arabic.id, status=present),
                Attendance(meeting_id=first, person_id=minute_taker.id, status=excused),
                Attendance(meeting_id=first, person_id=absent.id, status=AttendanceStatus.ABSENT),
                Attendance(meeting_id=first, status=present, anonymised=True),
                Attendance(
                    meeting_id=first,
                    guest_name=NFD_GUEST,
                    guest_organisation="Presse",
                    guest_email="minh@zeitung.example",
                    status=present,
                ),
                Attendance(meeting_id=first, guest_name="Anton Gast", status=present),
                Attendance(meeting_id=first, guest_name="Eva Entschuldigt", status=excused),
            ]
        )
    save_notes(
        db,
        net.first.welcome,
        "Begrüßung durch **Dr. Quartier**.\n\n- eins\n- zwei",
        expected_version=1,
    )
    add_decision(db, net.first.misc, DecisionDraft("Sommerfest <am> 5. Juli & mehr", 12, 0, 1))
    add_decision(db, net.first.misc, DecisionDraft("Protokoll per E-Mail"))
    add_action(
        db,
        net.first.misc,
        ActionDraft("Plakat **drucken**", owner_person_id=net.jan, due=date(2025, 4, 1)),
    )
    add_action(db, net.first.welcome, ActionDraft("Raum buchen", owner_organisation_id=net.buero))
    return net


def test_header_roles_place_and_times(db: Database, rich: Net) -> None:
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert snapshot.title == "Netzwerktreffen Frühjahr"
    assert snapshot.number == "1/2025"  # the notes started the minutes
    assert snapshot.state is MinutesState.DRAFT
    assert snapshot.draft
    assert snapshot.date == date(2025, 3, 5)
    assert (snapshot.start.hour, snapshot.end.hour if snapshot.end else None) == (17, 19)
    assert not snapshot.times_actual
    assert snapshot.venue is not None
    assert (snapshot.venue.name, snapshot.venue.address, snapshot.venue.room) == (
        "Museumscafé K+",
        "Joseph-Beuys-Platz 1, 47798 Krefeld",
        "Studio",
    )
    assert (snapshot.moderator, snapshot.minute_taker, snapshot.organiser) == (
        "Dr. Petra Quartier",
        "Jana Hoffmann",
        "Dr. Petra Quartier",
    )
    assert snapshot.info.title == _("Minutes: {title}").format(title="Netzwerktreffen Frühjahr")
    assert snapshot.info.author == "Dr. Petra Quartier"
    assert "1/2025" in snapshot.info.subject
    assert snapshot.info.language == "de"


def test_actual_times_replace_the_planned_ones(db: Database, rich: Net) -> None:
    info = ensure_minutes(db, rich.first.id, now=LATER)
    set_actual_times(
        db,
        rich.first.id,
        ActualTimes(datetime(2025, 3, 5, 17, 12), datetime(2025, 3, 5, 19, 40)),
        expected_version=info.version,
    )
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert snapshot.times_actual
    assert (snapshot.start.hour, snapshot.start.minute) == (17, 12)
    assert snapshot.end is not None
    assert (snapshot.end.hour, snapshot.end.minute) == (19, 40)


def test_present_grouped_by_organisation_excused_and_guests(db: Database, rich: Net) -> None:
    snapshot = build_minutes_snapshot(db, rich.first.id)
    groups = [(group.organisation, [a.name for a in group.attendees]) for group in snapshot.present]
    assert groups == [
        (MARKUP_ORG, [f"{MARKUP_NAME} Ärger"]),  # "Müller …" sorts as "Muller"
        ("Quartiersbüro Lehmheide", ["Olga Łukasik", "Ayşe Yılmaz"]),  # by last name
        ("SV Gatherhof", ["Jan Müller"]),
        ("", ["سلمى الخطيب", _("a participant")]),  # no organisation; erased people last
    ]
    markup = snapshot.present[0].attendees[0]
    assert markup.label == f"{MARKUP_NAME} Ärger – {MARKUP_ORG}"  # literally, unescaped
    assert markup.function == "Leitung"
    ayse = snapshot.present[1].attendees[1]
    assert (ayse.arrived_at, ayse.left_after) == ("2", None)
    assert snapshot.present[2].attendees[0].left_after == "2"
    erased = snapshot.present[3].attendees[1]
    assert erased.anonymised
    assert erased.person_id is None
    assert erased.organisation == ""
    assert [a.label for a in snapshot.excused] == [
        "Eva Entschuldigt",
        "Jana Hoffmann",
    ]
    assert snapshot.guests == (
        Attendee("Anton Gast", "", guest=True),
        Attendee(unicodedata.normalize("NFC", NFD_GUEST), "Presse", guest=True),
    )
    assert "Klaus Abwesend" not in repr(snapshot)
    assert snapshot.present_count == 8


def test_tops_with_notes_decisions_and_actions(db: Database, rich: Net) -> None:
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert [(top.number, top.title) for top in snapshot.agenda] == [
        ("1", "Begrüßung"),
        ("2", "Offene Aufgaben aus dem letzten Treffen"),
        ("3", "Verschiedenes"),
    ]
    welcome, _open, misc = snapshot.agenda
    assert welcome.notes == (
        Paragraph((Run("Begrüßung durch "), Run("Dr. Quartier", True), Run("."))),
        BulletList(((Run("eins"),), (Run("zwei"),))),
    )
    assert welcome.notes_text.startswith("Begrüßung durch **Dr. Quartier**")
    assert [
        (d.text, d.votes_yes, d.votes_no, d.votes_abstain, d.has_votes) for d in misc.decisions
    ] == [
        ("Sommerfest <am> 5. Juli & mehr", 12, 0, 1, True),
        ("Protokoll per E-Mail", None, None, None, False),
    ]
    [plakat] = misc.actions
    assert (plakat.text, plakat.owner, plakat.due, plakat.status, plakat.agenda_number) == (
        "Plakat **drucken**",
        "Jan Müller",
        date(2025, 4, 1),
        ActionItemStatus.OPEN,
        "3",
    )
    # The summary table: all of this meeting's action items in agenda order.
    assert [(a.agenda_number, a.text, a.owner) for a in snapshot.action_summary] == [
        ("1", "Raum buchen", "Quartiersbüro Lehmheide"),
        ("3", "Plakat **drucken**", "Jan Müller"),
    ]


def test_carried_items_under_their_top_or_in_a_section(db: Database, rich: Net) -> None:
    flyer = add_action(db, rich.second.misc, ActionDraft("Flyer aus dem Sommer"))
    set_action_status(db, flyer, "done", in_meeting_id=rich.third.id, now=LATER)
    add_action(db, rich.first.misc, ActionDraft("Immer noch offen"))
    third = build_minutes_snapshot(db, rich.third.id)
    host = third.agenda[1]
    # Oldest meeting first, then in that meeting's agenda order.
    assert [(c.text, c.status) for c in host.carried_actions] == [
        ("Raum buchen", ActionItemStatus.OPEN),
        ("Plakat **drucken**", ActionItemStatus.OPEN),
        ("Immer noch offen", ActionItemStatus.OPEN),
        ("Flyer aus dem Sommer", ActionItemStatus.DONE),
    ]
    texts = [c.text for c in third.carried_actions]
    assert third.agenda[0].carried_actions == ()
    assert third.carried_section == ()
    # Without a TOP that lists them, they get a section of their own.
    lone = add_meeting(
        db, "Ohne Aufgaben-TOP", datetime(2025, 11, 5, 16, tzinfo=UTC), tops=(("Begrüßung", False),)
    )[0]
    snapshot = build_minutes_snapshot(db, lone)
    assert [c.text for c in snapshot.carried_section] == texts[:3]
    assert all(top.carried_actions == () for top in snapshot.agenda)
    assert snapshot.carried_actions == snapshot.carried_section


def test_next_meeting_distribution_and_photos(db: Database, rich: Net) -> None:
    info = ensure_minutes(db, rich.first.id, now=LATER)
    next_meeting = NextMeeting(datetime(2025, 6, 4, 17), "Ladenlokal", "Einladung folgt")
    change = set_next_meeting(db, rich.first.id, next_meeting, expected_version=info.version)
    set_informed_only(
        db,
        rich.first.id,
        "Stadt Krefeld <foerderung@krefeld.example>",
        expected_version=change.version,
    )
    jpeg = image_bytes()
    add_photo(db, rich.first.id, "gruppe.jpg", jpeg, "Die Runde", "Foto: Alex")
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert snapshot.next_meeting is not None
    assert (
        snapshot.next_meeting.start.hour if snapshot.next_meeting.start else None,
        snapshot.next_meeting.place,
        snapshot.next_meeting.note,
    ) == (
        17,
        "Ladenlokal",
        "Einladung folgt",
    )
    distribution = snapshot.distribution
    assert "Ayşe Yılmaz" in [r.name for r in distribution.attendees]
    assert "Jana Hoffmann" in [r.name for r in distribution.excused]
    assert [r.name for r in distribution.informed_only] == ["Stadt Krefeld"]
    assert all(r.email is None for r in distribution.everyone)  # no addresses in the PDF
    [photo] = snapshot.photos
    assert (photo.data, photo.mime_type, photo.caption, photo.credit) == (
        jpeg,
        "image/jpeg",
        "Die Runde",
        "Foto: Alex",
    )


def test_final_correction_and_approval_are_shown(db: Database, rich: Net) -> None:
    info = ensure_minutes(db, rich.first.id, now=LATER)
    final = finalise_minutes(db, rich.first.id, expected_version=info.version, now=LATER)
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert not snapshot.draft
    assert snapshot.revision == 1
    assert snapshot.finalised_at is not None
    assert [r.revision for r in snapshot.revisions] == [1]
    correction = start_correction(
        db, rich.first.id, "Namen berichtigt", expected_version=final.version, now=LATER
    )
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert snapshot.draft
    assert snapshot.revision == 2
    assert snapshot.change_summary == "Namen berichtigt"
    assert [r.revision for r in snapshot.revisions] == [1]  # 2 is not final yet
    final2 = finalise_minutes(db, rich.first.id, expected_version=correction.version, now=LATER)
    approve_minutes(db, rich.first.id, rich.second.id, expected_version=final2.version)
    approved = build_minutes_snapshot(db, rich.first.id)
    assert approved.state is MinutesState.APPROVED
    assert approved.approved_in is not None
    assert (approved.approved_in.meeting_id, approved.approved_in.date) == (
        rich.second.id,
        date(2025, 6, 4),
    )
    later = build_minutes_snapshot(db, rich.second.id)
    [reference] = later.approvals  # "Protokoll vom 05.03.2025 genehmigt"
    assert (reference.meeting_id, reference.date, reference.minutes_number, reference.revision) == (
        rich.first.id,
        date(2025, 3, 5),
        "1/2025",
        2,
    )


def test_letterhead_is_carried_and_named_as_author_without_organiser(
    db: Database, net: Net
) -> None:
    letterhead = Letterhead("Impuls.Ag", ("Von-der-Leyen-Platz 1", "47798 Krefeld"))
    snapshot = build_minutes_snapshot(db, net.second.id, letterhead=letterhead)
    assert snapshot.letterhead == letterhead
    assert snapshot.info.author == "Impuls.Ag"
    assert snapshot.number == ""  # nobody started these minutes yet
    assert snapshot.state is MinutesState.DRAFT


def test_snapshot_is_plain_frozen_nfc_data(db: Database, rich: Net) -> None:
    snapshot = build_minutes_snapshot(db, rich.first.id)
    assert pickle.loads(pickle.dumps(snapshot)) == snapshot
    with pytest.raises(AttributeError):
        snapshot.title = "anders"  # type: ignore[misc]

    def strings(value: object) -> list[str]:
        found: list[str] = []
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                found.extend(strings(item))
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                found.extend(strings(getattr(value, name)))
        return found

    texts = strings(snapshot)
    assert texts
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_json_record_has_no_photo_bytes_and_no_letterhead(db: Database, rich: Net) -> None:
    add_photo(db, rich.first.id, "gruppe.png", image_bytes("PNG"))
    snapshot = build_minutes_snapshot(db, rich.first.id, letterhead=Letterhead("X", (), b"logo"))
    record = json.loads(snapshot_json(snapshot))
    assert "letterhead" not in record
    assert set(record["photos"][0]["data"]) == {"sha256", "size"}
    assert record["present"][0]["attendees"][0]["name"] == f"{MARKUP_NAME} Ärger"
    assert record["agenda"][0]["notes"][1] == {
        "type": "BulletList",
        "items": [[{"text": "eins", "bold": False}], [{"text": "zwei", "bold": False}]],
    }


def test_unknown_meeting(db: Database) -> None:
    with pytest.raises(NotFound):
        build_minutes_snapshot(db, 4711)


def test_demo_auftakt_minutes(db: Database) -> None:
    fill_demo(db, today=date(2026, 11, 20))
    with db.read() as session:
        auftakt = session.scalars(
            select(Meeting).where(Meeting.title == "Auftakt-Netzwerktreffen der Impuls.Ag")
        ).one()
        meeting_id = auftakt.id
        sub_items = session.scalars(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.parent_id.is_not(None)
            )
        ).all()
    snapshot: MinutesSnapshot = build_minutes_snapshot(db, meeting_id)
    assert snapshot.number == "1/2022"
    assert snapshot.draft
    assert snapshot.times_actual
    assert (snapshot.start.hour, snapshot.start.minute) == (15, 5)
    assert len(sub_items) == 5
    assert [top.number for top in snapshot.agenda][:4] == ["1", "2", "2.1", "2.2"]
    votes = [
        (d.votes_yes, d.votes_no, d.votes_abstain)
        for top in snapshot.agenda
        for d in top.decisions
        if d.has_votes
    ]
    assert votes == [(31, 0, 2), (29, 0, 4)]
    assert len(snapshot.action_summary) == 6
    assert [g.label for g in snapshot.guests] == [
        "Tamara Schulz – Westdeutsche Zeitung (Presse)",
        "Yusuf Demirci – Anwohner Stahldorf",
    ]
    assert snapshot.carried_actions == ()  # the first meeting of the network
    assert snapshot.next_meeting is not None
    assert snapshot.next_meeting.place == "Ladenlokal Stahldorf"
    names = [a.name for group in snapshot.present for a in group.attendees]
    assert "Ayşe Yılmaz" in names
    assert "Thị Mai Nguyễn" in names
