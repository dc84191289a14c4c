"""Choosing invitees, e-mail or letter, replies and counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import ConsentRecord, ConsentTopic, Invitation, InvitationState
from app.services.invitations import (
    ConfirmationRequiredError,
    LetterReason,
    ReplyCounts,
    add_invitees,
    delivery_split,
    find_candidates,
    list_invitees,
    needs_update,
    not_answered,
    remove_invitees,
    reply_counts,
    restore_invitations,
    restore_reply,
    select_people,
    selection_choices,
    set_replies,
    set_reply,
)
from app.services.planning import cancel_meeting, reschedule_meeting

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)


def ids(rows: list[Any]) -> set[int]:
    return {row.person_id for row in rows}


def invitation_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Invitation)) or 0


def mark_sent(db: Database, meeting_id: int, *person_ids: int, sequence: int = 0) -> None:
    with db.write() as session:
        for invitation in session.scalars(
            select(Invitation).where(
                Invitation.meeting_id == meeting_id, Invitation.person_id.in_(person_ids)
            )
        ):
            invitation.state = InvitationState.SENT
            invitation.sent_at = NOW
            invitation.sent_sequence = sequence


# -- candidates -----------------------------------------------------------------------------


def test_everyone_active_without_a_choice(db: Database, network: Any) -> None:
    rows = find_candidates(db)
    assert ids(rows) == {network.ayse, network.rene, network.jan, network.olga}  # not Klaus
    # German order: Łukasik, Müller, Öztürk-Weiß, Yılmaz.
    assert [r.name for r in rows] == [
        "Olga Łukasik",
        "Jan Müller",
        "Renée Öztürk-Weiß",
        "Ayşe Yılmaz",
    ]


def test_by_group(db: Database, network: Any) -> None:
    assert ids(find_candidates(db, group_ids=[network.sport])) == {network.jan}
    assert ids(find_candidates(db, group_ids=[network.impuls])) == {
        network.ayse,
        network.rene,
        network.jan,
        network.olga,
    }


def test_by_quarter_through_the_organisation(db: Database, network: Any) -> None:
    assert ids(find_candidates(db, quarter_ids=[network.lehmheide])) == {
        network.ayse,
        network.olga,
    }
    assert ids(find_candidates(db, quarter_ids=[network.stahldorf])) == {network.rene}
    row = find_candidates(db, quarter_ids=[network.stahldorf])[0]
    assert row.quarters == ("Stahldorf",)


def test_by_organisation_and_person_are_united(db: Database, network: Any) -> None:
    rows = find_candidates(db, organisation_ids=[network.laden], person_ids=[network.jan])
    assert ids(rows) == {network.rene, network.jan}


def test_search_ignores_case_and_accents(db: Database, network: Any) -> None:
    assert ids(find_candidates(db, search="OZTURK")) == {network.rene}
    assert ids(find_candidates(db, search="lukasik")) == {network.olga}
    assert ids(find_candidates(db, search="sport muller")) == {network.jan}
    assert ids(find_candidates(db, search="lehmheide")) == {network.ayse, network.olga}
    assert ids(find_candidates(db, group_ids=[network.sport], search="ayse")) == set()


def test_candidates_show_delivery_and_invitation_state(
    db: Database, network: Any, meeting_id: int
) -> None:
    add_invitees(db, meeting_id, [network.ayse])
    rows = {r.person_id: r for r in find_candidates(db, meeting_id=meeting_id)}
    assert rows[network.ayse].invitation_state is InvitationState.NOT_SENT
    assert rows[network.jan].invitation_state is None
    assert rows[network.ayse].mailable
    assert rows[network.rene].letter_reason is LetterReason.CONSENT_WITHDRAWN
    assert rows[network.olga].letter_reason is LetterReason.NO_EMAIL


def test_selection_choices(db: Database, network: Any) -> None:
    choices = selection_choices(db)
    assert [(c.name, c.people) for c in choices.groups] == [("Impuls.Ag", 4), ("Sport", 1)]
    assert [(c.name, c.people) for c in choices.quarters] == [("Lehmheide", 2), ("Stahldorf", 1)]
    assert [(c.name, c.people) for c in choices.organisations] == [
        ("Ladenlokal Stahldorf", 1),
        ("Quartiersbüro Lehmheide", 2),
        ("SV Gatherhof", 1),
    ]


def test_select_people_by_names(db: Database, network: Any) -> None:
    assert set(select_people(db, group_names=["impuls.ag"])) == {
        network.ayse,
        network.rene,
        network.jan,
        network.olga,
    }
    assert set(select_people(db, quarter_names=["STAHLDORF"])) == {network.rene}
    assert set(select_people(db, organisation_names=["quartiersburo lehmheide"])) == {
        network.ayse,
        network.olga,
    }
    assert set(select_people(db, emails=["jan.mueller@EXAMPLE.org"])) == {network.jan}
    # Named by address, an archived person is passed on (add_invitees reports the skip).
    assert set(select_people(db, emails=["klaus@example.org"])) == {network.klaus}
    assert set(select_people(db, everyone=True)) == {
        network.ayse,
        network.rene,
        network.jan,
        network.olga,
    }
    for kwargs in (
        {"group_names": ["Chor"]},
        {"quarter_names": ["Mitte"]},
        {"organisation_names": ["Unbekannt e.V."]},
        {"emails": ["nobody@example.org"]},
    ):
        with pytest.raises(NotFound):
            select_people(db, **kwargs)  # type: ignore[arg-type]


# -- invitee list ---------------------------------------------------------------------------


def test_add_invitees_is_idempotent_and_skips_archived(
    db: Database, network: Any, meeting_id: int
) -> None:
    result = add_invitees(db, meeting_id, [network.ayse, network.jan, network.klaus, network.ayse])
    assert result.added == (network.ayse, network.jan)
    assert result.skipped_archived == (network.klaus,)
    again = add_invitees(db, meeting_id, [network.ayse, network.olga])
    assert again.added == (network.olga,)
    assert again.already_invited == (network.ayse,)
    assert invitation_count(db) == 3


def test_add_unknown_person_adds_nobody(db: Database, network: Any, meeting_id: int) -> None:
    with pytest.raises(NotFound):
        add_invitees(db, meeting_id, [network.ayse, 999])
    assert invitation_count(db) == 0
    with pytest.raises(NotFound):
        add_invitees(db, 999, [network.ayse])


def test_no_invitees_for_a_cancelled_meeting(db: Database, network: Any, meeting_id: int) -> None:
    cancel_meeting(db, meeting_id)
    with pytest.raises(ValidationError):
        add_invitees(db, meeting_id, [network.ayse])


def test_remove_not_sent_silently_sent_only_when_confirmed(
    db: Database, network: Any, meeting_id: int
) -> None:
    add_invitees(db, meeting_id, [network.ayse, network.jan, network.olga])
    mark_sent(db, meeting_id, network.jan)
    removed = remove_invitees(db, meeting_id, [network.olga, network.rene])
    assert [s.person_id for s in removed] == [network.olga]
    with pytest.raises(ConfirmationRequiredError) as refused:
        remove_invitees(db, meeting_id, [network.ayse, network.jan])
    assert refused.value.person_ids == (network.jan,)
    assert "Jan Müller" in str(refused.value)
    assert ids(list_invitees(db, meeting_id)) == {network.ayse, network.jan}  # nothing changed
    removed = remove_invitees(db, meeting_id, [network.ayse, network.jan], confirm_sent=True)
    assert invitation_count(db) == 0
    restore_invitations(db, removed)
    rows = {r.person_id: r for r in list_invitees(db, meeting_id)}
    assert rows[network.jan].state is InvitationState.SENT
    assert rows[network.jan].sent_at == NOW
    assert rows[network.ayse].state is InvitationState.NOT_SENT


def test_delivery_split_with_reasons(db: Database, network: Any, meeting_id: int) -> None:
    add_invitees(db, meeting_id, [network.ayse, network.rene, network.jan, network.olga])
    with db.write() as session:  # Jan withdraws, then gives consent again: the latest counts
        for given, day in ((False, 1), (True, 2)):
            session.add(
                ConsentRecord(
                    person_id=network.jan,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=given,
                    recorded_at=datetime(2026, 2, day, tzinfo=UTC),
                )
            )
    split = delivery_split(db, meeting_id)
    assert ids(list(split.by_email)) == {network.ayse, network.jan}
    assert {(r.person_id, r.letter_reason) for r in split.by_letter} == {
        (network.rene, LetterReason.CONSENT_WITHDRAWN),
        (network.olga, LetterReason.NO_EMAIL),
    }


def test_an_invitee_archived_later_needs_a_letter(
    db: Database, network: Any, meeting_id: int
) -> None:
    from app.models import Person

    add_invitees(db, meeting_id, [network.ayse])
    with db.write() as session:
        person = session.get(Person, network.ayse)
        assert person is not None
        person.archived = True
    row = list_invitees(db, meeting_id)[0]
    assert (row.mailable, row.letter_reason, row.archived) == (False, LetterReason.ARCHIVED, True)


# -- replies ----------------------------------------------------------------------------------


def test_replies_and_counts(db: Database, network: Any, meeting_id: int) -> None:
    add_invitees(db, meeting_id, [network.ayse, network.rene, network.jan, network.olga])
    mark_sent(db, meeting_id, network.ayse, network.rene, network.jan)
    assert reply_counts(db, meeting_id) == ReplyCounts(not_sent=1, sent=3)

    change = set_reply(
        db, meeting_id, network.ayse, InvitationState.ACCEPTED, "mit Kollegin", now=NOW
    )
    assert change.previous.state is InvitationState.SENT
    assert change.current == type(change.current)(InvitationState.ACCEPTED, "mit Kollegin", NOW)
    set_reply(db, meeting_id, network.rene, InvitationState.DECLINED)
    set_reply(db, meeting_id, network.olga, InvitationState.TENTATIVE)  # by phone, no mail
    counts = reply_counts(db, meeting_id)
    assert counts == ReplyCounts(sent=1, accepted=1, declined=1, tentative=1)
    assert (counts.total, counts.answered) == (4, 3)
    assert ids(not_answered(db, meeting_id)) == {network.jan}

    rows = {r.person_id: r for r in list_invitees(db, meeting_id)}
    assert rows[network.ayse].answered_at == NOW
    assert rows[network.ayse].note == "mit Kollegin"


def test_clearing_a_reply_never_fakes_the_sending(
    db: Database, network: Any, meeting_id: int
) -> None:
    add_invitees(db, meeting_id, [network.ayse, network.olga])
    mark_sent(db, meeting_id, network.ayse)
    set_replies(db, meeting_id, [network.ayse, network.olga], InvitationState.ACCEPTED)
    set_replies(db, meeting_id, [network.ayse, network.olga], None)
    rows = {r.person_id: r for r in list_invitees(db, meeting_id)}
    assert rows[network.ayse].state is InvitationState.SENT
    assert rows[network.olga].state is InvitationState.NOT_SENT
    assert rows[network.ayse].answered_at is None
    set_reply(db, meeting_id, network.olga, InvitationState.SENT)  # cannot invent a sending
    rows = {r.person_id: r for r in list_invitees(db, meeting_id)}
    assert rows[network.olga].state is InvitationState.NOT_SENT
    # Same organisation, then German order by last name: Łukasik before Yılmaz.
    assert [r.person_id for r in list_invitees(db, meeting_id)] == [network.olga, network.ayse]


def test_undo_a_reply(db: Database, network: Any, meeting_id: int) -> None:
    add_invitees(db, meeting_id, [network.ayse])
    mark_sent(db, meeting_id, network.ayse)
    first = set_reply(db, meeting_id, network.ayse, InvitationState.TENTATIVE, "vielleicht")
    second = set_reply(db, meeting_id, network.ayse, InvitationState.ACCEPTED)
    assert second.current.note == "vielleicht"  # None keeps the note
    restore_reply(db, meeting_id, network.ayse, second.previous)
    assert list_invitees(db, meeting_id)[0].state is InvitationState.TENTATIVE
    restore_reply(db, meeting_id, network.ayse, first.previous)
    row = list_invitees(db, meeting_id)[0]
    assert (row.state, row.note, row.answered_at) == (InvitationState.SENT, "", None)


def test_bulk_reply_is_all_or_nothing(db: Database, network: Any, meeting_id: int) -> None:
    add_invitees(db, meeting_id, [network.ayse])
    with pytest.raises(NotFound):
        set_replies(db, meeting_id, [network.ayse, network.jan], InvitationState.ACCEPTED)
    assert list_invitees(db, meeting_id)[0].state is InvitationState.NOT_SENT


def test_needs_update_after_reschedule_and_cancel(
    db: Database, network: Any, meeting_id: int
) -> None:
    add_invitees(db, meeting_id, [network.ayse, network.jan, network.olga])
    mark_sent(db, meeting_id, network.ayse, network.jan, sequence=0)
    assert needs_update(db, meeting_id) == []
    reschedule_meeting(db, meeting_id, datetime(2026, 5, 5, 18))
    assert ids(needs_update(db, meeting_id)) == {network.ayse, network.jan}
    mark_sent(db, meeting_id, network.ayse, sequence=1)  # the update mail went out
    assert ids(needs_update(db, meeting_id)) == {network.jan}
    cancel_meeting(db, meeting_id)
    assert ids(needs_update(db, meeting_id)) == {network.ayse, network.jan}
