"""Minutes states: lazy creation and numbering, finalise and lock, corrections, approval."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import ActionItemStatus, Meeting, MeetingState, Minutes, MinutesState
from app.services.demo import fill_demo
from app.services.minutes import (
    ActionDraft,
    ActualTimes,
    DecisionDraft,
    MinutesLockedError,
    NextMeeting,
    PhotoText,
    add_action,
    add_decision,
    add_photo,
    approve_minutes,
    ensure_minutes,
    finalise_minutes,
    get_minutes_info,
    minutes_revisions,
    move_action,
    remove_action,
    remove_decision,
    revision_json,
    revoke_approval,
    save_notes,
    set_action_status,
    set_actual_times,
    set_informed_only,
    set_next_meeting,
    start_correction,
    update_action,
    update_decision,
)
from app.services.minutes.photos import update_photo
from tests.helpers.minutes import LATER, Net, add_meeting, image_bytes


def meeting_state(db: Database, meeting_id: int) -> MeetingState:
    with db.read() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.state


def test_minutes_are_created_lazily_numbered_per_year(db: Database, net: Net) -> None:
    assert get_minutes_info(db, net.second.id) is None
    second = ensure_minutes(db, net.second.id, now=LATER)
    first = ensure_minutes(db, net.first.id, now=LATER)
    assert (second.number, first.number) == ("1/2025", "2/2025")  # in order of starting them
    assert ensure_minutes(db, net.second.id, now=LATER).number == "1/2025"  # once only
    next_year = add_meeting(db, "Januar", datetime(2026, 1, 20, 16, tzinfo=UTC))[0]
    assert ensure_minutes(db, next_year, now=datetime(2026, 2, 1, tzinfo=UTC)).number == "1/2026"
    assert second.state is MinutesState.DRAFT
    assert second.revision == 0
    assert not second.locked
    assert meeting_state(db, net.second.id) is MeetingState.MINUTES_DRAFT


def test_numbers_continue_after_hand_typed_and_demo_numbers(db: Database) -> None:
    fill_demo(db, today=date(2026, 11, 20))  # holds 1/2022, 1/2023 and 2/2023
    meeting = add_meeting(db, "Nachtreffen", datetime(2023, 11, 30, 16, tzinfo=UTC))[0]
    assert ensure_minutes(db, meeting, now=LATER).number == "3/2023"


def test_starting_minutes_moves_a_running_meeting_to_minutes_draft(db: Database) -> None:
    start = datetime(2026, 3, 1, 17, tzinfo=UTC)
    invited = add_meeting(db, "Läuft gerade", start, state=MeetingState.INVITED)[0]
    ahead = add_meeting(
        db, "Noch nicht", datetime(2026, 5, 1, 17, tzinfo=UTC), state=MeetingState.PLANNED
    )[0]
    now = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    ensure_minutes(db, invited, now=now)
    ensure_minutes(db, ahead, now=now)  # notes may be prepared; the meeting stays planned
    assert meeting_state(db, invited) is MeetingState.MINUTES_DRAFT
    assert meeting_state(db, ahead) is MeetingState.PLANNED
    with pytest.raises(ValidationError):  # cannot be finalised before it began
        finalise_minutes(db, ahead, expected_version=None, now=now)


def test_finalise_records_revision_one_with_the_content(db: Database, net: Net) -> None:
    info = ensure_minutes(db, net.first.id, now=LATER)
    save_notes(db, net.first.welcome, "Begrüßung durch **Ayşe**", expected_version=1)
    add_decision(db, net.first.misc, DecisionDraft("Sommerfest am 5. Juli", 12, 0, 1))
    add_action(db, net.first.misc, ActionDraft("Einladung schreiben", owner_person_id=net.ayse))
    final = finalise_minutes(db, net.first.id, expected_version=info.version, now=LATER)
    assert final.state is MinutesState.FINAL
    assert final.locked
    assert final.revision == 1
    assert final.finalised_at == LATER
    assert final.meeting_state is MeetingState.MINUTES_FINAL
    revisions = minutes_revisions(db, net.first.id)
    assert [(r.revision, r.change_summary, r.final) for r in revisions] == [(1, "", True)]
    record = json.loads(revision_json(db, net.first.id, 1))
    assert record["state"] == "final"
    assert record["revision"] == 1
    assert record["agenda"][0]["notes"][0]["type"] == "Paragraph"
    assert record["agenda"][2]["decisions"][0]["text"] == "Sommerfest am 5. Juli"
    assert record["agenda"][2]["actions"][0]["owner"] == "Ayşe Yılmaz"
    assert record["number"] == "1/2025"
    with pytest.raises(ValidationError):  # already final
        finalise_minutes(db, net.first.id, expected_version=final.version, now=LATER)


def test_finalise_with_a_stale_version_is_a_conflict(db: Database, net: Net) -> None:
    info = ensure_minutes(db, net.first.id, now=LATER)
    set_informed_only(
        db, net.first.id, "Förderverein <info@foerderverein.example>", expected_version=info.version
    )
    with pytest.raises(ConflictError):
        finalise_minutes(db, net.first.id, expected_version=info.version, now=LATER)
    assert get_minutes_info(db, net.first.id).state is MinutesState.DRAFT  # type: ignore[union-attr]


@pytest.fixture
def locked(db: Database, net: Net) -> dict[str, int]:
    """Final minutes of the first meeting with a decision, an action item and a photo."""
    info = ensure_minutes(db, net.first.id, now=LATER)
    ids = {
        "decision": add_decision(db, net.first.misc, DecisionDraft("Beschluss")),
        "action": add_action(db, net.first.misc, ActionDraft("Aufgabe")),
        "photo": add_photo(db, net.first.id, "foto.jpg", image_bytes(), "Gruppenbild", "Foto: A"),
    }
    finalise_minutes(db, net.first.id, expected_version=info.version, now=LATER)
    return ids


def test_final_minutes_refuse_every_content_edit(
    db: Database, net: Net, locked: dict[str, int]
) -> None:
    version = get_minutes_info(db, net.first.id).version  # type: ignore[union-attr]
    edits = [
        lambda: save_notes(db, net.first.welcome, "x", expected_version=1),
        lambda: add_decision(db, net.first.misc, DecisionDraft("Neu")),
        lambda: update_decision(db, locked["decision"], DecisionDraft("Geändert")),
        lambda: remove_decision(db, locked["decision"]),
        lambda: add_action(db, net.first.misc, ActionDraft("Neu")),
        lambda: update_action(db, locked["action"], ActionDraft("Geändert")),
        lambda: move_action(db, locked["action"], 0, agenda_item_id=net.first.welcome),
        lambda: remove_action(db, locked["action"]),
        lambda: add_photo(db, net.first.id, "b.png", image_bytes("PNG")),
        lambda: update_photo(db, locked["photo"], PhotoText("Neu", "")),
        lambda: set_next_meeting(
            db, net.first.id, NextMeeting(None, "Ort"), expected_version=version
        ),
        lambda: set_actual_times(
            db, net.first.id, ActualTimes(None, None), expected_version=version
        ),
        lambda: set_informed_only(db, net.first.id, "x@example.org", expected_version=version),
    ]
    for edit in edits:
        with pytest.raises(MinutesLockedError):
            edit()


def test_action_status_stays_changeable_in_final_minutes(
    db: Database, net: Net, locked: dict[str, int]
) -> None:
    previous = set_action_status(
        db, locked["action"], "done", in_meeting_id=net.second.id, now=LATER
    )
    assert previous.status is ActionItemStatus.OPEN


def test_correction_flow_records_a_new_revision_with_what_changed(
    db: Database, net: Net, locked: dict[str, int]
) -> None:
    final = get_minutes_info(db, net.first.id)
    assert final is not None
    with pytest.raises(ValidationError):  # "what changed" is required
        start_correction(db, net.first.id, "   ", expected_version=final.version)
    correction = start_correction(
        db,
        net.first.id,
        "Abstimmungsergebnis in TOP 3 berichtigt",
        expected_version=final.version,
        now=datetime(2026, 2, 1, tzinfo=UTC),
    )
    assert correction.state is MinutesState.DRAFT
    assert not correction.locked
    assert correction.correction
    assert correction.revision == 2
    assert correction.change_summary == "Abstimmungsergebnis in TOP 3 berichtigt"
    assert meeting_state(db, net.first.id) is MeetingState.MINUTES_FINAL  # no step back
    update_decision(db, locked["decision"], DecisionDraft("Beschluss", 10, 2, 0))
    with pytest.raises(ValidationError):  # a correction cannot be started twice
        start_correction(db, net.first.id, "noch mal", expected_version=correction.version)
    final2 = finalise_minutes(
        db, net.first.id, expected_version=correction.version, now=datetime(2026, 2, 2, tzinfo=UTC)
    )
    assert final2.revision == 2
    assert final2.locked
    assert not final2.correction
    assert final2.change_summary == "Abstimmungsergebnis in TOP 3 berichtigt"
    assert [
        (r.revision, r.change_summary, r.final) for r in minutes_revisions(db, net.first.id)
    ] == [(1, "", True), (2, "Abstimmungsergebnis in TOP 3 berichtigt", True)]
    first = json.loads(revision_json(db, net.first.id, 1))
    second = json.loads(revision_json(db, net.first.id, 2))
    assert first["agenda"][2]["decisions"][0]["votes_yes"] is None
    assert second["agenda"][2]["decisions"][0]["votes_yes"] == 10
    assert second["change_summary"] == "Abstimmungsergebnis in TOP 3 berichtigt"
    assert [r["revision"] for r in second["revisions"]] == [1, 2]
    with pytest.raises(NotFound):
        revision_json(db, net.first.id, 3)


def test_correcting_demo_minutes_that_have_no_recorded_revision(db: Database) -> None:
    fill_demo(db, today=date(2026, 11, 20))
    with db.read() as session:
        spring = session.scalars(select(Minutes).where(Minutes.number == "1/2023")).one()
        meeting_id, version = spring.meeting_id, spring.version
    correction = start_correction(
        db, meeting_id, "Teilnehmerliste ergänzt", expected_version=version
    )
    assert correction.revision == 2
    revisions = minutes_revisions(db, meeting_id)
    assert [(r.revision, r.final) for r in revisions] == [(1, True), (2, False)]
    assert json.loads(revision_json(db, meeting_id, 1))["title"].endswith("Frühjahr 2023")


def test_approve_in_a_later_meeting_and_revoke(
    db: Database, net: Net, locked: dict[str, int]
) -> None:
    version = get_minutes_info(db, net.first.id).version  # type: ignore[union-attr]
    with pytest.raises(ValidationError):  # not in the same or an earlier meeting
        approve_minutes(db, net.first.id, net.first.id, expected_version=version)
    approved = approve_minutes(db, net.first.id, net.second.id, expected_version=version, now=LATER)
    assert approved.state is MinutesState.APPROVED
    assert approved.locked
    assert approved.approved_in_meeting_id == net.second.id
    assert approved.approved_at == LATER
    with pytest.raises(ValidationError):  # approved minutes are corrected in the next minutes
        start_correction(db, net.first.id, "zu spät", expected_version=approved.version)
    with pytest.raises(ValidationError):
        approve_minutes(db, net.first.id, net.third.id, expected_version=approved.version)
    revoked = revoke_approval(db, net.first.id, expected_version=approved.version)
    assert revoked.state is MinutesState.FINAL
    assert revoked.approved_in_meeting_id is None


def test_drafts_cannot_be_approved_or_corrected(db: Database, net: Net) -> None:
    info = ensure_minutes(db, net.first.id, now=LATER)
    with pytest.raises(ValidationError):
        approve_minutes(db, net.first.id, net.second.id, expected_version=info.version)
    with pytest.raises(ValidationError):
        start_correction(db, net.first.id, "x", expected_version=info.version)
    with pytest.raises(NotFound):
        approve_minutes(db, net.second.id, net.third.id)  # no minutes at all


def test_cancelled_meetings_have_no_minutes(db: Database) -> None:
    cancelled = add_meeting(
        db, "Abgesagt", datetime(2025, 1, 1, 16, tzinfo=UTC), state=MeetingState.CANCELLED
    )[0]
    with pytest.raises(ValidationError):
        ensure_minutes(db, cancelled, now=LATER)
    with pytest.raises(ValidationError):
        finalise_minutes(db, cancelled, expected_version=None, now=LATER)


# -- the user's intent: take_step, and which steps are open ------------------------------


def test_take_step_applies_the_state_rules_one_step_at_a_time(db: Database, net: Net) -> None:
    """The window asks which steps are open and passes the user's intent; the service keeps
    the rules (a refused step changes nothing)."""
    from app.services.minutes import MinutesStep, load_minutes, take_step

    def status() -> tuple[bool, frozenset[MinutesStep], int]:
        shown = load_minutes(db, net.first.id).status
        return shown.editable, shown.steps, shown.revision

    assert status() == (True, frozenset({MinutesStep.FINALISE}), 0)
    info = ensure_minutes(db, net.first.id, now=LATER)
    with pytest.raises(ValidationError):  # a draft is not corrected
        take_step(db, net.first.id, MinutesStep.CORRECT, expected_version=info.version)
    with pytest.raises(ValidationError):  # nor approved
        take_step(
            db,
            net.first.id,
            MinutesStep.APPROVE,
            expected_version=info.version,
            approved_in_meeting_id=net.second.id,
        )
    assert get_minutes_info(db, net.first.id) == info  # nothing changed

    final = take_step(
        db, net.first.id, MinutesStep.FINALISE, expected_version=info.version, now=LATER
    )
    assert final.state is MinutesState.FINAL
    assert status() == (False, frozenset({MinutesStep.CORRECT, MinutesStep.APPROVE}), 1)
    with pytest.raises(ValidationError):  # approving needs the meeting it happened in
        take_step(db, net.first.id, MinutesStep.APPROVE, expected_version=final.version)
    corrected = take_step(
        db,
        net.first.id,
        MinutesStep.CORRECT,
        expected_version=final.version,
        change_summary="Tippfehler",
        now=LATER,
    )
    assert (corrected.state, corrected.revision) == (MinutesState.DRAFT, 2)
    assert status() == (True, frozenset({MinutesStep.FINALISE}), 2)
    again = take_step(
        db, net.first.id, MinutesStep.FINALISE, expected_version=corrected.version, now=LATER
    )
    approved = take_step(
        db,
        net.first.id,
        MinutesStep.APPROVE,
        expected_version=again.version,
        approved_in_meeting_id=net.second.id,
        now=LATER,
    )
    assert approved.state is MinutesState.APPROVED
    assert status() == (False, frozenset(), 2)


def test_cancelled_meeting_allows_no_step_and_approval_lists_later_meetings(
    db: Database, net: Net
) -> None:
    from app.services.minutes import MinutesStep, approval_meetings, minutes_status

    assert minutes_status(MeetingState.CANCELLED, None).steps == frozenset()
    assert not minutes_status(MeetingState.CANCELLED, None).editable
    assert minutes_status(MeetingState.HELD, None).steps == {MinutesStep.FINALISE}
    later = approval_meetings(db, net.first.id)
    assert [row.id for row in later] == [net.second.id, net.third.id]
    with db.write() as session:
        third = session.get(Meeting, net.third.id)
        assert third is not None
        third.state = MeetingState.CANCELLED
    assert [row.id for row in approval_meetings(db, net.first.id)] == [net.second.id]
    assert approval_meetings(db, net.third.id) == []
    with pytest.raises(NotFound):
        approval_meetings(db, 9999)
