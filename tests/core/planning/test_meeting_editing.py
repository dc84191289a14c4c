"""Creating, editing (with lost-update protection), copying, rescheduling and cancelling."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import (
    AgendaItem,
    Invitation,
    InvitationState,
    Meeting,
    MeetingState,
    Person,
    Venue,
)
from app.services.agenda import AgendaItemDraft, add_item, get_agenda
from app.services.invitations import add_invitees, list_invitees
from app.services.meetings import get_meeting
from app.services.planning import (
    MeetingDraft,
    allowed_transitions,
    cancel_meeting,
    copy_meeting,
    create_meeting,
    delete_meeting,
    load_meeting_form,
    reschedule_meeting,
    set_meeting_state,
    update_meeting,
)


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def mark_sent(db: Database, meeting_id: int, person_id: int, sequence: int) -> None:
    """What the mailing does after a successful send."""
    with db.write() as session:
        invitation = session.scalar(
            select(Invitation).where(
                Invitation.meeting_id == meeting_id, Invitation.person_id == person_id
            )
        )
        assert invitation is not None
        invitation.state = InvitationState.SENT
        invitation.sent_at = datetime.now(UTC)
        invitation.sent_sequence = sequence


# -- create -------------------------------------------------------------------------------


def test_create_stores_utc_and_reads_back_local(db: Database, meeting_id: int) -> None:
    meeting = get_meeting(db, meeting_id)
    assert meeting.title == "Netzwerktreffen"
    assert meeting.start == datetime(2026, 5, 4, 16, 0, tzinfo=UTC)
    assert meeting.start.utcoffset() == timedelta(hours=2)
    assert meeting.end == datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
    assert meeting.state is MeetingState.PLANNED
    assert meeting.timezone == "Europe/Berlin"
    assert meeting.venue is not None
    assert meeting.venue.name == "Museumscafé K+"
    assert meeting.sequence == 0


def test_create_reuses_a_venue_by_name_ignoring_case_and_accents(
    db: Database, meeting_id: int
) -> None:
    other = create_meeting(
        db, MeetingDraft("Zweites Treffen", datetime(2026, 6, 1, 18), venue_name="museumscafe k+")
    )
    assert count(db, Venue) == 1
    assert get_meeting(db, other).venue.name == "Museumscafé K+"  # type: ignore[union-attr]


def test_create_with_roles_and_standard_agenda(db: Database, network: Any) -> None:
    meeting_id = create_meeting(
        db,
        MeetingDraft(
            "Auftakt",
            datetime(2026, 5, 4, 18),
            organiser_id=network.ayse,
            moderator_id=network.jan,
            minute_taker_id=network.olga,
            description="Kennenlernen",
            rsvp_by=date(2026, 4, 27),
        ),
        with_standard_agenda=True,
        language="de",
    )
    meeting = get_meeting(db, meeting_id)
    assert meeting.organiser == "Ayşe Yılmaz"
    assert meeting.moderator == "Jan Müller"
    assert meeting.minute_taker == "Olga Łukasik"
    assert meeting.rsvp_by == date(2026, 4, 27)
    assert next(row.title for row in meeting.agenda) == "Begrüßung"
    assert len(meeting.agenda) == 5


@pytest.mark.parametrize(
    "draft",
    [
        MeetingDraft("Treffen", datetime(2026, 5, 4, 18), end=datetime(2026, 5, 4, 17)),
        MeetingDraft("Treffen", datetime(2026, 5, 4, 18), end=datetime(2026, 5, 4, 18)),
        MeetingDraft("Treffen", datetime(2026, 3, 29, 2, 30)),
        MeetingDraft("Treffen", datetime(2026, 3, 29, 1, 0), end=datetime(2026, 3, 29, 2, 15)),
        MeetingDraft("   ", datetime(2026, 5, 4, 18)),
        MeetingDraft("Treffen", datetime(2026, 5, 4, 18), rsvp_by=date(2026, 5, 5)),
        MeetingDraft("Treffen", datetime(2026, 5, 4, 18), timezone="Nowhere/Town"),
    ],
)
def test_invalid_meetings_are_refused_and_nothing_is_written(
    db: Database, draft: MeetingDraft
) -> None:
    with pytest.raises(ValidationError):
        create_meeting(db, dataclasses.replace(draft, venue_name="Neuer Ort"))
    assert count(db, Meeting) == 0
    assert count(db, Venue) == 0  # the venue found-or-created is rolled back too


def test_unknown_person_or_venue_is_refused(db: Database) -> None:
    with pytest.raises(NotFound):
        create_meeting(db, MeetingDraft("T", datetime(2026, 5, 4, 18), organiser_id=999))
    with pytest.raises(NotFound):
        create_meeting(db, MeetingDraft("T", datetime(2026, 5, 4, 18), venue_id=999))
    assert count(db, Meeting) == 0


def test_ambiguous_start_is_resolved_to_summer_time(db: Database) -> None:
    meeting_id = create_meeting(db, MeetingDraft("Nachtcafé", datetime(2026, 10, 25, 2, 30)))
    start = get_meeting(db, meeting_id).start
    assert start.utcoffset() == timedelta(hours=2)
    # Compared in UTC: Python never calls an ambiguous local time equal across zones.
    assert start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    form = load_meeting_form(db, meeting_id)
    change = update_meeting(db, meeting_id, form.draft, expected_version=form.version)
    assert change.changed == frozenset()  # saving it again is no change
    assert not reschedule_meeting(db, meeting_id, datetime(2026, 10, 25, 2, 30)).changed


def test_text_is_normalised_to_nfc(db: Database) -> None:
    decomposed = "Begru\u0308ßung im Cafe\u0301"
    meeting_id = create_meeting(db, MeetingDraft(decomposed, datetime(2026, 5, 4, 18)))
    assert get_meeting(db, meeting_id).title == "Begrüßung im Café"


# -- edit ----------------------------------------------------------------------------------


def test_form_round_trip(db: Database, meeting_id: int) -> None:
    form = load_meeting_form(db, meeting_id)
    assert form.version == 1
    assert form.draft.start == datetime(2026, 5, 4, 16, tzinfo=UTC)
    assert form.draft.start.utcoffset() == timedelta(hours=2)
    assert form.draft.venue_name == "Museumscafé K+"
    assert form.allowed_states == allowed_transitions(MeetingState.PLANNED)
    # Saving the form unchanged writes nothing.
    change = update_meeting(db, meeting_id, form.draft, expected_version=form.version)
    assert change.changed == frozenset()
    assert change.version == 1
    assert not change.sequence_raised


def test_second_form_loaded_at_the_same_version_is_refused(db: Database, meeting_id: int) -> None:
    first = load_meeting_form(db, meeting_id)
    second = load_meeting_form(db, meeting_id)
    saved = update_meeting(
        db,
        meeting_id,
        dataclasses.replace(first.draft, description="Aus Fenster 1"),
        expected_version=first.version,
    )
    assert saved.version == first.version + 1
    with pytest.raises(ConflictError):
        update_meeting(
            db,
            meeting_id,
            dataclasses.replace(second.draft, description="Aus Fenster 2"),
            expected_version=second.version,
        )
    assert get_meeting(db, meeting_id).description == "Aus Fenster 1"
    # The first window continues with the version it got back.
    update_meeting(
        db,
        meeting_id,
        dataclasses.replace(first.draft, description="Nochmal 1"),
        expected_version=saved.version,
    )
    assert get_meeting(db, meeting_id).description == "Nochmal 1"


def test_other_changes_also_bump_the_version(db: Database, meeting_id: int) -> None:
    form = load_meeting_form(db, meeting_id)
    reschedule_meeting(db, meeting_id, datetime(2026, 5, 5, 18))
    with pytest.raises(ConflictError):
        update_meeting(db, meeting_id, form.draft, expected_version=form.version)
    assert get_meeting(db, meeting_id).start.day == 5


def test_sequence_rises_for_time_place_and_title_only(db: Database, meeting_id: int) -> None:
    form = load_meeting_form(db, meeting_id)
    change = update_meeting(
        db,
        meeting_id,
        dataclasses.replace(form.draft, description="Mit Imbiss", rsvp_by=date(2026, 4, 30)),
        expected_version=form.version,
    )
    assert change.changed == {"description", "rsvp_by"}
    assert (change.sequence_raised, change.ics_sequence) == (False, 0)

    form = load_meeting_form(db, meeting_id)
    change = update_meeting(
        db,
        meeting_id,
        dataclasses.replace(form.draft, venue_id=None, venue_name="Stadtteilzentrum"),
        expected_version=form.version,
    )
    assert change.changed == {"venue_id"}
    assert (change.sequence_raised, change.ics_sequence) == (True, 1)

    form = load_meeting_form(db, meeting_id)
    change = update_meeting(
        db,
        meeting_id,
        dataclasses.replace(form.draft, title="Netzwerktreffen Mai", end=datetime(2026, 5, 4, 21)),
        expected_version=form.version,
    )
    assert change.changed == {"title", "end"}
    assert change.ics_sequence == 2  # one step per save, however many fields
    assert change.previous is not None
    assert change.previous.title == "Netzwerktreffen"


def test_edit_refuses_end_before_start_and_keeps_old_values(db: Database, meeting_id: int) -> None:
    form = load_meeting_form(db, meeting_id)
    with pytest.raises(ValidationError):
        update_meeting(
            db,
            meeting_id,
            dataclasses.replace(form.draft, end=datetime(2026, 5, 4, 17)),
            expected_version=form.version,
        )
    assert load_meeting_form(db, meeting_id) == form


def test_undo_an_edit_with_the_previous_values(db: Database, meeting_id: int) -> None:
    form = load_meeting_form(db, meeting_id)
    change = update_meeting(
        db, meeting_id, dataclasses.replace(form.draft, title="Neu"), expected_version=1
    )
    assert change.previous is not None
    update_meeting(db, meeting_id, change.previous, expected_version=change.version)
    assert load_meeting_form(db, meeting_id).draft == form.draft


def test_update_mail_due_counts_people_with_an_older_version(
    db: Database, meeting_id: int, network: Any
) -> None:
    add_invitees(db, meeting_id, [network.ayse, network.jan, network.olga])
    mark_sent(db, meeting_id, network.ayse, 0)
    mark_sent(db, meeting_id, network.jan, 0)
    change = reschedule_meeting(db, meeting_id, datetime(2026, 5, 6, 18))
    assert change.sequence_raised
    assert change.ics_sequence == 1
    assert change.update_mail_due == 2
    assert {r.person_id for r in list_invitees(db, meeting_id) if r.needs_update} == {
        network.ayse,
        network.jan,
    }


# -- reschedule, cancel, states -------------------------------------------------------------


def test_reschedule_keeps_the_length(db: Database, meeting_id: int) -> None:
    change = reschedule_meeting(db, meeting_id, datetime(2026, 5, 11, 17, 30))
    assert change.changed == {"start", "end"}
    meeting = get_meeting(db, meeting_id)
    assert (meeting.start.hour, meeting.start.minute) == (17, 30)
    assert meeting.end is not None
    assert meeting.end - meeting.start == timedelta(hours=2)
    assert meeting.sequence == 1


def test_reschedule_to_the_same_time_changes_nothing(db: Database, meeting_id: int) -> None:
    change = reschedule_meeting(db, meeting_id, datetime(2026, 5, 4, 18))
    assert not change.sequence_raised
    assert get_meeting(db, meeting_id).sequence == 0


def test_reschedule_refuses_gap_and_end_before_start(db: Database, meeting_id: int) -> None:
    with pytest.raises(ValidationError):
        reschedule_meeting(db, meeting_id, datetime(2026, 3, 29, 2, 30))
    with pytest.raises(ValidationError):
        reschedule_meeting(db, meeting_id, datetime(2026, 5, 4, 18), datetime(2026, 5, 4, 9))
    form = load_meeting_form(db, meeting_id)
    assert (form.version, form.ics_sequence) == (1, 0)


def test_cancel(db: Database, meeting_id: int) -> None:
    change = cancel_meeting(db, meeting_id)
    assert change.state is MeetingState.CANCELLED
    assert change.ics_sequence == 1
    form = load_meeting_form(db, meeting_id)
    assert form.state is MeetingState.CANCELLED
    assert form.cancelled_at is not None
    assert form.allowed_states == ()
    with pytest.raises(ValidationError):
        cancel_meeting(db, meeting_id)
    with pytest.raises(ValidationError):
        reschedule_meeting(db, meeting_id, datetime(2026, 5, 5, 18))
    with pytest.raises(ValidationError):
        update_meeting(db, meeting_id, form.draft, expected_version=form.version)
    assert load_meeting_form(db, meeting_id).ics_sequence == 1


def test_state_machine(db: Database, meeting_id: int) -> None:
    for state in (
        MeetingState.INVITED,
        MeetingState.HELD,
        MeetingState.MINUTES_DRAFT,
        MeetingState.MINUTES_FINAL,
    ):
        assert set_meeting_state(db, meeting_id, state).state is state
    # Setting the current state again is a no-op.
    assert set_meeting_state(db, meeting_id, MeetingState.MINUTES_FINAL).version == 5


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], MeetingState.MINUTES_DRAFT),
        ([], MeetingState.MINUTES_FINAL),
        ([MeetingState.INVITED], MeetingState.PLANNED),
        ([MeetingState.HELD], MeetingState.CANCELLED),
        ([MeetingState.HELD], MeetingState.INVITED),
        ([MeetingState.HELD, MeetingState.MINUTES_DRAFT], MeetingState.HELD),
        ([MeetingState.CANCELLED], MeetingState.PLANNED),
        ([MeetingState.CANCELLED], MeetingState.HELD),
    ],
)
def test_invalid_transitions_are_refused(
    db: Database, meeting_id: int, path: list[MeetingState], refused: MeetingState
) -> None:
    for state in path:
        set_meeting_state(db, meeting_id, state)
    before = load_meeting_form(db, meeting_id)
    with pytest.raises(ValidationError):
        set_meeting_state(db, meeting_id, refused)
    assert load_meeting_form(db, meeting_id) == before


def test_cancel_through_set_state_stamps_and_raises_sequence(db: Database, meeting_id: int) -> None:
    set_meeting_state(db, meeting_id, MeetingState.INVITED)
    change = set_meeting_state(db, meeting_id, MeetingState.CANCELLED)
    assert change.sequence_raised
    assert change.ics_sequence == 1
    assert load_meeting_form(db, meeting_id).cancelled_at is not None


def test_state_change_with_a_stale_version_is_refused(db: Database, meeting_id: int) -> None:
    with pytest.raises(ConflictError):
        set_meeting_state(db, meeting_id, MeetingState.INVITED, expected_version=7)
    with pytest.raises(ConflictError):
        cancel_meeting(db, meeting_id, expected_version=7)
    assert load_meeting_form(db, meeting_id).state is MeetingState.PLANNED


# -- copy and delete --------------------------------------------------------------------------


def test_copy_meeting(db: Database, network: Any) -> None:
    source = create_meeting(
        db,
        MeetingDraft(
            "Netzwerktreffen",
            datetime(2026, 2, 10, 18),
            end=datetime(2026, 2, 10, 20, 30),
            venue_name="K+",
            moderator_id=network.jan,
            rsvp_by=date(2026, 2, 3),
        ),
    )
    top = add_item(db, source, AgendaItemDraft("Projekte", 30, presenter_text="alle"))
    add_item(db, source, AgendaItemDraft("Sport im Park", 10), parent_id=top)
    add_item(db, source, AgendaItemDraft("Verschiedenes", 10))
    with db.write() as session:
        for item in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == source)):
            item.notes = "Protokollnotiz"
    add_invitees(db, source, [network.ayse, network.jan, network.olga])
    mark_sent(db, source, network.ayse, 0)
    with db.write() as session:  # archived since: not invited again
        person = session.get(Person, network.olga)
        assert person is not None
        person.archived = True

    copy = copy_meeting(db, source, start=datetime(2026, 5, 12, 18), with_invitees=True)
    meeting = get_meeting(db, copy)
    assert meeting.title == "Netzwerktreffen"
    assert meeting.start == datetime(2026, 5, 12, 16, tzinfo=UTC)  # summer time now
    assert meeting.end is not None
    assert meeting.end - meeting.start == timedelta(hours=2, minutes=30)
    assert meeting.rsvp_by == date(2026, 5, 5)
    assert meeting.moderator == "Jan Müller"
    assert meeting.venue is not None
    assert meeting.venue.name == "K+"
    assert meeting.state is MeetingState.PLANNED
    assert [(r.number, r.title, r.planned_minutes, r.presenter) for r in meeting.agenda] == [
        ("1", "Projekte", 30, "alle"),
        ("1.1", "Sport im Park", 10, ""),
        ("2", "Verschiedenes", 10, ""),
    ]
    assert all(r.notes == "" for r in meeting.agenda)
    assert {(r.person_id, r.state) for r in meeting.invitations} == {
        (network.ayse, InvitationState.NOT_SENT),
        (network.jan, InvitationState.NOT_SENT),
    }
    assert meeting.uid != get_meeting(db, source).uid
    # The source is untouched.
    assert len(get_meeting(db, source).agenda) == 3


def test_copy_without_invitees_and_with_new_title(
    db: Database, meeting_id: int, network: Any
) -> None:
    add_invitees(db, meeting_id, [network.ayse])
    copy = copy_meeting(
        db, meeting_id, start=datetime(2026, 6, 1, 10), end=datetime(2026, 6, 1, 12), title="Juni"
    )
    meeting = get_meeting(db, copy)
    assert meeting.title == "Juni"
    assert meeting.invitations == ()
    assert get_agenda(db, copy).entries == ()


def test_new_meeting_from_the_form_with_an_earlier_agenda_in_one_transaction(
    db: Database, meeting_id: int, network: Any
) -> None:
    """The meeting form's "copy" is one service call: the form's values, the source's agenda
    and invitees; a refused value leaves nothing behind (no copy made and deleted again)."""
    add_item(db, meeting_id, AgendaItemDraft("Begrüßung", 10))
    add_item(db, meeting_id, AgendaItemDraft("Verschiedenes", 15))
    add_invitees(db, meeting_id, [network.ayse, network.jan])
    form = MeetingDraft(
        "Herbsttreffen",
        datetime(2026, 9, 8, 17),
        end=datetime(2026, 9, 8, 19),
        moderator_id=network.jan,
        description="Mit Rückblick",
    )
    meetings, items, invitations = count(db, Meeting), count(db, AgendaItem), count(db, Invitation)
    refused = dataclasses.replace(form, rsvp_by=date(2026, 9, 9))  # after the meeting day
    with pytest.raises(ValidationError):
        create_meeting(db, refused, copy_from=meeting_id, with_invitees=True)
    with pytest.raises(NotFound):
        create_meeting(db, form, copy_from=9999)
    assert (count(db, Meeting), count(db, AgendaItem), count(db, Invitation)) == (
        meetings,
        items,
        invitations,
    )

    new = create_meeting(db, form, copy_from=meeting_id, with_invitees=True)
    meeting = get_meeting(db, new)
    assert (meeting.title, meeting.moderator, meeting.description) == (
        "Herbsttreffen",
        "Jan Müller",
        "Mit Rückblick",
    )
    assert [r.title for r in meeting.agenda] == ["Begrüßung", "Verschiedenes"]
    assert {r.person_id for r in meeting.invitations} == {network.ayse, network.jan}
    assert load_meeting_form(db, new).ics_sequence == 0  # nothing announced yet
    plain = create_meeting(db, form, copy_from=meeting_id)
    assert get_meeting(db, plain).invitations == ()


def test_copy_refuses_a_gap_start(db: Database, meeting_id: int) -> None:
    with pytest.raises(ValidationError):
        copy_meeting(db, meeting_id, start=datetime(2026, 3, 29, 2, 30))
    assert count(db, Meeting) == 1


def test_delete_only_unannounced_planned_meetings(
    db: Database, meeting_id: int, network: Any
) -> None:
    add_invitees(db, meeting_id, [network.ayse])
    mark_sent(db, meeting_id, network.ayse, 0)
    with pytest.raises(ValidationError):
        delete_meeting(db, meeting_id)
    other = create_meeting(db, MeetingDraft("Versehen", datetime(2026, 7, 1, 18)))
    add_item(db, other, AgendaItemDraft("TOP"))
    delete_meeting(db, other)
    assert count(db, Meeting) == 1
    assert count(db, AgendaItem) == 0
