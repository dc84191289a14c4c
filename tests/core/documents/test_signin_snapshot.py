"""What goes on the sign-in sheet: rows, their order, the excused, blank rows, header data."""

from __future__ import annotations

import dataclasses
import pickle
import unicodedata

import pytest

from app.db import Database
from app.errors import NotFound
from app.i18n import _
from app.models import InvitationState
from app.services.letterhead import Letterhead
from app.services.snapshots.signin import (
    DeclinedMode,
    SigninOptions,
    SigninOrder,
    SigninSnapshot,
    build_signin_snapshot,
    default_privacy_notice,
)
from tests.helpers.documents import Invitee, add_meeting

A = InvitationState.ACCEPTED
D = InvitationState.DECLINED

INVITEES = [
    Invitee("Ayşe", "Yılmaz", "Quartiersbüro Lehmheide", "Koordination", A),
    Invitee("Łukasz", "Żółć", "SV Gatherhof", "Trainer", InvitationState.SENT),
    Invitee("Олександр", "Шевченко", None, "", D),
    Invitee(
        "Nguyễn Thị Minh",
        "Khai",
        "Ladenlokal Stahldorf",
        unicodedata.normalize("NFD", "Leitung Café"),
        InvitationState.TENTATIVE,
    ),
    Invitee("Jürgen", "Müller", "Ärztehaus am Park", "Arzt", A, title="Dr."),
    Invitee("Anna", "Becker", "Quartiersbüro Lehmheide", "", D),
    Invitee("Renée", "Öztürk-Weiß", None, "Nachbarin", A),
    Invitee("Klaus", "Neumann", "SV Gatherhof", "", InvitationState.NOT_SENT),
]
ORGANISER = Invitee("Petra", "Quartier", "Quartiersmanagement Stahldorf", groups=())


@pytest.fixture
def meeting(db: Database) -> int:
    return add_meeting(
        db,
        INVITEES,
        organiser=ORGANISER,
        title=unicodedata.normalize("NFD", "Auftakt-Netzwerktreffen für Bürger"),
    )


def names(snapshot: SigninSnapshot) -> list[str]:
    return [row.name for row in snapshot.invitee_rows]


def test_default_is_one_alphabetical_run_without_headings(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(blank_rows=0))
    assert names(snapshot) == [
        "Nguyễn Thị Minh Khai",  # by the family name as stored: Khai
        "Dr. Jürgen Müller",
        "Klaus Neumann",
        "Renée Öztürk-Weiß",  # Ö sorted as O
        "Ayşe Yılmaz",
        "Łukasz Żółć",
    ]
    assert {row.group for row in snapshot.rows} == {""}


def test_accepted_first_then_everyone_else_each_under_a_heading(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(
        db, meeting, SigninOptions(order="accepted_first", blank_rows=0)
    )
    assert [(row.group, row.name) for row in snapshot.invitee_rows] == [
        (_("Accepted"), "Dr. Jürgen Müller"),
        (_("Accepted"), "Renée Öztürk-Weiß"),
        (_("Accepted"), "Ayşe Yılmaz"),
        (_("Further invitees"), "Nguyễn Thị Minh Khai"),
        (_("Further invitees"), "Klaus Neumann"),
        (_("Further invitees"), "Łukasz Żółć"),  # no answer yet or tentative
    ]
    assert [row.reply for row in snapshot.rows[:3]] == ["accepted"] * 3


def test_by_organisation_alphabetically_without_organisation_last(
    db: Database, meeting: int
) -> None:
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(order="organisation", blank_rows=0))
    assert [(row.organisation, row.name) for row in snapshot.rows] == [
        ("Ärztehaus am Park", "Dr. Jürgen Müller"),  # Ä sorts with A
        ("Ladenlokal Stahldorf", "Nguyễn Thị Minh Khai"),
        ("Quartiersbüro Lehmheide", "Ayşe Yılmaz"),
        ("SV Gatherhof", "Klaus Neumann"),
        ("SV Gatherhof", "Łukasz Żółć"),
        ("", "Renée Öztürk-Weiß"),
    ]
    # Each organisation is a heading of its own; those without one come last, headed too.
    assert [row.group for row in snapshot.rows] == [
        "Ärztehaus am Park",
        "Ladenlokal Stahldorf",
        "Quartiersbüro Lehmheide",
        "SV Gatherhof",
        "SV Gatherhof",
        _("Without organisation"),
    ]


def test_declined_are_left_out_by_default(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(db, meeting)
    assert "Anna Becker" not in names(snapshot)
    assert "Олександр Шевченко" not in names(snapshot)
    assert not any(row.excused for row in snapshot.rows)


def test_declined_listed_as_excused_at_the_end(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(
        db, meeting, SigninOptions(declined=DeclinedMode.EXCUSED, blank_rows=0)
    )
    assert names(snapshot)[-2:] == ["Anna Becker", "Олександр Шевченко"]
    assert [row.excused for row in snapshot.rows] == [False] * 6 + [True] * 2
    # The second alphabetical run has a heading: nobody looks for a name in the wrong run.
    assert [row.group for row in snapshot.rows] == [""] * 6 + [_("Excused")] * 2
    assert {row.reply for row in snapshot.rows if row.excused} == {"declined"}


def test_excused_follow_the_organisation_order_too(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(
        db, meeting, SigninOptions(order="organisation", declined="excused", blank_rows=0)
    )
    excused = [(row.organisation, row.name) for row in snapshot.rows if row.excused]
    assert excused == [("Quartiersbüro Lehmheide", "Anna Becker"), ("", "Олександр Шевченко")]


def test_blank_rows_are_numbered_on_after_the_invitees(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(blank_rows=4))
    assert [row.number for row in snapshot.rows] == list(range(1, 11))
    assert [row.blank for row in snapshot.rows] == [False] * 6 + [True] * 4
    assert all(row.name == row.organisation == "" for row in snapshot.blank_rows)
    assert len(build_signin_snapshot(db, meeting).blank_rows) == 10  # the default


def test_row_fields_and_nfc(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(order="organisation"))
    khai = next(row for row in snapshot.rows if row.name.endswith("Khai"))
    assert khai.function == "Leitung Café"
    assert unicodedata.is_normalized("NFC", khai.function)
    assert khai.organisation == "Ladenlokal Stahldorf"
    assert khai.person_id is not None
    assert snapshot.title == "Auftakt-Netzwerktreffen für Bürger"
    assert unicodedata.is_normalized("NFC", snapshot.title)


def test_header_data_in_the_meetings_time_zone(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(db, meeting)
    assert snapshot.network == "Impuls.Ag"
    assert (snapshot.start.hour, snapshot.start.minute) == (14, 0)
    assert snapshot.end is not None
    assert (snapshot.end.hour, snapshot.end.minute) == (16, 30)
    assert str(snapshot.start.tzinfo) == "Europe/Berlin"
    assert snapshot.date.isoformat() == "2026-12-03"
    assert (snapshot.venue_name, snapshot.venue_room, snapshot.venue_address) == (
        "Museumscafé K+",
        "Saal 2",
        "Museumsstraße 1, 12345 Gatherhof",
    )
    assert snapshot.organiser == "Petra Quartier, Quartiersmanagement Stahldorf"


def test_default_privacy_notice_names_the_organisers_organisation(
    db: Database, meeting: int
) -> None:
    snapshot = build_signin_snapshot(db, meeting)
    assert snapshot.privacy_notice == default_privacy_notice("Quartiersmanagement Stahldorf")
    assert "Quartiersmanagement Stahldorf" in snapshot.privacy_notice


def test_letterhead_is_the_controller_and_the_network_fallback(db: Database) -> None:
    meeting = add_meeting(
        db,
        [
            Invitee("Ayşe", "Yılmaz", groups=("Impuls.Ag",)),
            Invitee("Jan", "Kowalski", groups=("Sport",)),
        ],
    )
    letterhead = Letterhead("Quartiersmanagement Stahldorf", ("Hauptstraße 5", "12345 Stahldorf"))
    snapshot = build_signin_snapshot(db, meeting, letterhead=letterhead)
    assert snapshot.network == "Quartiersmanagement Stahldorf"  # no group shared by all
    assert snapshot.privacy_notice == default_privacy_notice(
        "Quartiersmanagement Stahldorf, Hauptstraße 5, 12345 Stahldorf"
    )
    assert snapshot.letterhead == letterhead
    assert build_signin_snapshot(db, meeting).network == ""


def test_of_several_shared_groups_the_first_alphabetically(db: Database) -> None:
    both = ("Sport", "Impuls.Ag")
    meeting = add_meeting(
        db, [Invitee("Ayşe", "Yılmaz", groups=both), Invitee("Jan", "Kowalski", groups=both)]
    )
    assert build_signin_snapshot(db, meeting).network == "Impuls.Ag"


def test_custom_privacy_notice_is_used_verbatim(db: Database, meeting: int) -> None:
    text = unicodedata.normalize("NFD", "Datenschutz: Verantwortlich ist der Verein Grün e. V.")
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(privacy_notice=text))
    assert snapshot.privacy_notice == unicodedata.normalize("NFC", text)


def test_meeting_without_invitees_venue_or_organiser(db: Database) -> None:
    meeting = add_meeting(db, [], with_venue=False)
    snapshot = build_signin_snapshot(db, meeting, SigninOptions(blank_rows=3))
    assert snapshot.invitee_rows == ()
    assert [row.number for row in snapshot.rows] == [1, 2, 3]
    assert (snapshot.network, snapshot.venue_name, snapshot.organiser) == ("", "", "")
    assert snapshot.privacy_notice == default_privacy_notice("")


def test_unknown_meeting(db: Database) -> None:
    with pytest.raises(NotFound):
        build_signin_snapshot(db, 4711)


def test_options_accept_identifiers_and_refuse_nonsense() -> None:
    options = SigninOptions(order="organisation", declined="excused", blank_rows=0)
    assert options.order is SigninOrder.ORGANISATION
    assert options.declined is DeclinedMode.EXCUSED
    with pytest.raises(ValueError, match="nonsense"):
        SigninOptions(order="nonsense")
    with pytest.raises(ValueError, match="blank_rows"):
        SigninOptions(blank_rows=-1)


def test_snapshot_is_frozen_plain_data(db: Database, meeting: int) -> None:
    snapshot = build_signin_snapshot(db, meeting)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.title = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(snapshot)) == snapshot
