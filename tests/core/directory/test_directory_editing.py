"""Editing the directory: every service operation, its conflict check and its inverse."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import (
    ConsentMethod,
    ConsentTopic,
    Group,
    Organisation,
    OrganisationKind,
    Person,
    Quarter,
    Salutation,
)
from app.services import directory_editing as edit
from app.services.consent import may_receive_email
from app.services.directory import list_people
from app.services.directory_editing import (
    ConsentInput,
    EmailInput,
    OrganisationInput,
    PersonInput,
)


@contextmanager
def _person(db: Database, person_id: int) -> Iterator[Person]:
    with db.read() as session:
        person = session.get(Person, person_id)
        assert person is not None
        yield person


def _row(db: Database, person_id: int) -> Any:
    return next(r for r in list_people(db, include_archived=True) if r.id == person_id)


# -- validation ------------------------------------------------------------------------------


def test_validation_requires_last_name_and_valid_unique_emails() -> None:
    errors = edit.validate_person(
        PersonInput(
            last_name="  ",
            emails=(
                EmailInput("ok@example.org"),
                EmailInput("kein-at.example.org"),
                EmailInput("OK@example.org"),
                EmailInput(""),
            ),
        )
    )
    assert [(e.field, e.index) for e in errors] == [
        ("last_name", None),
        ("emails", 1),
        ("emails", 2),
    ]
    assert (
        edit.validate_person(PersonInput(last_name="Yılmaz", emails=(EmailInput("a@b.de"),))) == []
    )
    assert [
        e.field for e in edit.validate_organisation(OrganisationInput(name="", email="x@"))
    ] == [
        "name",
        "email",
    ]


def test_create_person_with_two_emails_second_preferred(directory: Any) -> None:
    db = directory.db
    saved = edit.create_person(
        db,
        PersonInput(
            last_name="Nguyễn",
            first_name="Thi\u0323 Mai",  # decomposed: stored NFC
            salutation=Salutation.FRAU,
            title="Dr.",
            emails=(EmailInput("mai@work.example"), EmailInput("mai@home.example", True)),
            phones=("0221 4710-123", ""),
            organisation_id=directory.office,
            function="Leitung",
            group_ids=(directory.impuls, directory.sport),
            preferred_language="en",
            notes="Notiz",
        ),
    )
    with _person(db, saved.id) as person:
        assert person.first_name == "Thị Mai"
        assert [(e.address, e.is_preferred) for e in person.emails] == [
            ("mai@work.example", False),
            ("mai@home.example", True),
        ]
        assert person.preferred_email == "mai@home.example"
        assert [p.number for p in person.phones] == ["0221 4710-123"]
        assert {g.name for g in person.groups} == {"Impuls.Ag", "Sport"}
        assert (person.title, person.salutation, person.preferred_language) == (
            "Dr.",
            Salutation.FRAU,
            "en",
        )
        assert saved.version == person.version


def test_create_person_refuses_invalid_input(directory: Any) -> None:
    with pytest.raises(ValidationError):
        edit.create_person(directory.db, PersonInput(last_name="X", emails=(EmailInput("nope"),)))
    with pytest.raises(ValidationError):
        edit.create_person(directory.db, PersonInput(last_name=""))
    assert len(list_people(directory.db, include_archived=True)) == 4


def test_no_preferred_mark_makes_the_first_address_preferred(directory: Any) -> None:
    saved = edit.create_person(
        directory.db,
        PersonInput(last_name="A", emails=(EmailInput("a@x.example"), EmailInput("b@x.example"))),
    )
    assert _row(directory.db, saved.id).preferred_email == "a@x.example"


# -- updates, conflicts, undo ----------------------------------------------------------------


def test_update_returns_previous_values_and_revert_restores_them(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.ayse)
    assert form.in_use
    new_values = replace(
        form.values,
        last_name="Yılmaz-Demir",
        emails=(EmailInput("neu@qb.example", True),),
        group_ids=(directory.sport,),
        organisation_id=None,
    )
    change = edit.update_person(db, directory.ayse, new_values, form.version)
    assert change.previous == form.values
    assert change.version == form.version + 1
    row = _row(db, directory.ayse)
    assert (row.last_name, row.emails, row.groups, row.organisation) == (
        "Yılmaz-Demir",
        ("neu@qb.example",),
        ("Sport",),
        None,
    )

    revert = edit.revert_person_change(db, change)
    assert edit.load_person(db, directory.ayse).values == form.values
    # Redo works from what the undo left.
    again = edit.reapply_person_change(db, revert, new_values)
    assert _row(db, directory.ayse).last_name == "Yılmaz-Demir"
    assert again.previous == form.values
    assert again.version > revert.version


def test_undo_history_survives_steps_that_move_the_version(directory: Any) -> None:
    """Create, edit, delete + restore, archive, groups: the edit's undo and redo still apply.

    Regression: redoing a creation re-inserted the row at version 1, and the redone edit,
    which expected the version its undo had left, reported a change made elsewhere."""
    db = directory.db
    saved = edit.create_person(db, PersonInput(last_name="Schaefer", first_name="Lena"))
    form = edit.load_person(db, saved.id)
    change = edit.update_person(
        db, saved.id, replace(form.values, function="Kassenwartin"), form.version
    )
    revert = edit.revert_person_change(db, change)
    removal = edit.remove_people(db, [saved.id], allow_archive=False)
    edit.undo_removals(db, removal)  # the creation redone: the row is back at version 1
    assert _row(db, saved.id).function == ""
    redone = edit.reapply_person_change(db, revert, replace(form.values, function="Kassenwartin"))
    assert _row(db, saved.id).function == "Kassenwartin"

    # Our own archiving and a group in between: not "changed elsewhere".
    edit.set_people_archived(db, [saved.id], True)
    edit.add_to_group(db, [saved.id], directory.sport)
    edit.remove_from_group(db, [saved.id], directory.sport)
    edit.set_people_archived(db, [saved.id], False)
    edit.revert_person_change(db, redone)
    assert _row(db, saved.id).function == ""


def test_redo_conflicts_when_changed_elsewhere_after_the_undo(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.peter)
    values = replace(form.values, title="Dr.")
    revert = edit.revert_person_change(
        db, edit.update_person(db, directory.peter, values, form.version)
    )
    other = edit.load_person(db, directory.peter)
    edit.update_person(db, directory.peter, replace(other.values, notes="elsewhere"), other.version)
    with pytest.raises(ConflictError):
        edit.reapply_person_change(db, revert, values)
    assert _row(db, directory.peter).title == ""


def test_undo_of_an_archived_removal_after_an_edit_of_the_archived_person(directory: Any) -> None:
    db = directory.db
    removals = edit.remove_people(db, [directory.ayse])  # in a meeting: archived
    form = edit.load_person(db, directory.ayse)
    change = edit.update_person(db, directory.ayse, replace(form.values, notes="x"), form.version)
    edit.revert_person_change(db, change)
    edit.undo_removals(db, removals)
    assert not _row(db, directory.ayse).archived


def test_stale_form_raises_conflict_and_changes_nothing(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.peter)
    edit.update_person(
        db, directory.peter, replace(form.values, function="Kassenwart"), form.version
    )
    with pytest.raises(ConflictError):
        edit.update_person(db, directory.peter, replace(form.values, notes="alt"), form.version)
    with _person(db, directory.peter) as person:
        assert (person.function, person.notes) == ("Kassenwart", "")


def test_email_only_change_raises_the_version(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.zoe)
    change = edit.update_person(
        db, directory.zoe, replace(form.values, emails=(EmailInput("z@x.example"),)), form.version
    )
    assert change.version > form.version
    with pytest.raises(ConflictError):
        edit.update_person(db, directory.zoe, form.values, form.version)


def test_undo_of_an_edit_conflicts_when_changed_elsewhere(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.peter)
    change = edit.update_person(
        db, directory.peter, replace(form.values, title="Prof."), form.version
    )
    other = edit.load_person(db, directory.peter)
    edit.update_person(db, directory.peter, replace(other.values, notes="elsewhere"), other.version)
    with pytest.raises(ConflictError):
        edit.revert_person_change(db, change)


def test_deleted_elsewhere_raises_not_found(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.zoe)
    edit.remove_people(db, [directory.zoe])
    with pytest.raises(NotFound):
        edit.update_person(db, directory.zoe, form.values, form.version)


# -- consent ---------------------------------------------------------------------------------


def test_consent_statements_saved_with_the_form_and_removed_by_undo(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.ayse)
    withdrawn = ConsentInput(
        ConsentTopic.EMAIL_INVITATIONS, False, date.today(), ConsentMethod.EMAIL, "per Mail"
    )
    change = edit.update_person(
        db, directory.ayse, replace(form.values, new_consents=(withdrawn,)), form.version
    )
    assert len(change.added_consent_ids) == 1
    assert _row(db, directory.ayse).email_consent is False
    with _person(db, directory.ayse) as person:
        assert not may_receive_email(person)
    consents = edit.list_consents(db, directory.ayse)
    assert [(c.topic, c.given, c.method, c.note) for c in consents] == [
        (ConsentTopic.EMAIL_INVITATIONS, False, ConsentMethod.EMAIL, "per Mail")
    ]

    edit.revert_person_change(db, change)
    assert edit.list_consents(db, directory.ayse) == ()
    with _person(db, directory.ayse) as person:
        assert may_receive_email(person)


def test_add_consent_latest_statement_counts_and_delete_undoes(directory: Any) -> None:
    db = directory.db
    yesterday = date.today() - timedelta(days=1)
    edit.add_consent(db, directory.ayse, ConsentInput(ConsentTopic.PHOTOS, True, yesterday))
    record = edit.add_consent(
        db, directory.ayse, ConsentInput(ConsentTopic.PHOTOS, False, date.today())
    )
    assert _row(db, directory.ayse).photo_consent is False
    edit.delete_consent(db, record)
    assert _row(db, directory.ayse).photo_consent is True
    # A statement dated earlier than the newest does not override it.
    edit.add_consent(
        db, directory.ayse, ConsentInput(ConsentTopic.PHOTOS, False, yesterday - timedelta(days=30))
    )
    assert _row(db, directory.ayse).photo_consent is True


def test_withdrawn_email_consent_moves_an_invitee_to_letters(directory: Any) -> None:
    from app.models import Meeting
    from app.services.invitations import delivery_split

    db = directory.db
    with db.read() as session:
        meeting_id = session.scalar(select(Meeting.id))
    form = edit.load_person(db, directory.jurgen)
    edit.update_person(
        db,
        directory.jurgen,
        replace(form.values, emails=(EmailInput("j@sv.example"),)),
        form.version,
    )
    split = delivery_split(db, meeting_id)
    assert [r.person_id for r in split.by_email] == [directory.jurgen]
    edit.add_consent(
        db, directory.jurgen, ConsentInput(ConsentTopic.EMAIL_INVITATIONS, False, date.today())
    )
    split = delivery_split(db, meeting_id)
    assert split.by_email == ()
    assert [r.person_id for r in split.by_letter] == [directory.jurgen]


# -- removing --------------------------------------------------------------------------------


def test_people_from_meetings_are_archived_others_deleted(directory: Any) -> None:
    db = directory.db
    plans = edit.plan_removal(db, [directory.ayse, directory.jurgen, directory.zoe])
    assert [(p.person_id, p.archive) for p in plans] == [
        (directory.ayse, True),
        (directory.jurgen, True),
        (directory.zoe, False),
    ]
    removals = edit.remove_people(db, [directory.ayse, directory.jurgen, directory.zoe])
    assert [r.archived for r in removals] == [True, True, False]
    with db.read() as session:
        assert session.get(Person, directory.zoe) is None
        assert session.get(Person, directory.ayse).archived  # type: ignore[union-attr]
    assert {r.id for r in list_people(db)} == {directory.peter}


def test_undo_removal_restores_deleted_person_with_same_id_and_all_data(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.peter)
    edit.update_person(
        db,
        directory.peter,
        replace(
            form.values,
            emails=(EmailInput("p@sv.example"), EmailInput("p2@sv.example", True)),
            phones=("0221 1",),
            group_ids=(directory.sport,),
            new_consents=(ConsentInput(ConsentTopic.PHOTOS, True, date(2025, 1, 2)),),
        ),
        form.version,
    )
    before = edit.load_person(db, directory.peter)
    removals = edit.remove_people(db, [directory.peter, directory.ayse])
    assert removals[0].snapshot is not None
    edit.undo_removals(db, removals)
    after = edit.load_person(db, directory.peter)
    assert after.id == directory.peter
    assert after.values == before.values
    assert [(c.id, c.topic, c.given) for c in after.consents] == [
        (c.id, c.topic, c.given) for c in before.consents
    ]
    assert not _row(db, directory.ayse).archived


def test_undo_of_creation_refuses_when_person_was_invited_meanwhile(directory: Any) -> None:
    from app.models import Invitation, Meeting

    db = directory.db
    saved = edit.create_person(db, PersonInput(last_name="Neu"))
    with db.write() as session:
        meeting = session.scalars(select(Meeting)).one()
        session.add(Invitation(meeting=meeting, person_id=saved.id))
    with pytest.raises(ValidationError):
        edit.remove_people(db, [saved.id], allow_archive=False)
    assert _row(db, saved.id).archived is False


def test_archive_and_unarchive_return_changed_ids(directory: Any) -> None:
    db = directory.db
    changed = edit.set_people_archived(db, [directory.peter, directory.zoe], True)
    assert changed == (directory.peter, directory.zoe)
    assert edit.set_people_archived(db, [directory.peter], True) == ()
    assert edit.set_people_archived(db, changed, False) == changed
    assert not any(r.archived for r in list_people(db, include_archived=True))


# -- organisations ---------------------------------------------------------------------------


def test_organisation_create_update_revert_conflict_archive(directory: Any) -> None:
    db = directory.db
    saved = edit.create_organisation(
        db,
        OrganisationInput(
            name="Museumscafé K+",
            kind=OrganisationKind.VENUE,
            quarter_ids=(directory.lehmheide, directory.stahldorf),
            city="Krefeld",
            email="kplus@museum.example",
        ),
    )
    form = edit.load_organisation(db, saved.id)
    assert form.values.quarter_ids == (directory.lehmheide, directory.stahldorf)
    change = edit.update_organisation(
        db, saved.id, replace(form.values, name="Café K+", quarter_ids=()), form.version
    )
    assert change.previous == form.values
    with pytest.raises(ConflictError):
        edit.update_organisation(db, saved.id, form.values, form.version)
    revert = edit.revert_organisation_change(db, change)
    assert edit.load_organisation(db, saved.id).values == form.values
    redone = edit.reapply_organisation_change(db, revert, replace(form.values, name="Café K+"))
    assert edit.load_organisation(db, saved.id).values.name == "Café K+"
    edit.revert_organisation_change(db, redone)
    with pytest.raises(ValidationError):
        edit.create_organisation(db, OrganisationInput(name="X", email="kaputt"))

    assert edit.set_organisations_archived(db, [saved.id], True) == (saved.id,)
    with db.read() as session:
        assert session.get(Organisation, saved.id).archived  # type: ignore[union-attr]
    edit.set_organisations_archived(db, [saved.id], False)
    edit.delete_new_organisation(db, saved.id)
    with db.read() as session:
        assert session.get(Organisation, saved.id) is None


def test_undone_creation_of_an_organisation_comes_back_with_its_id(directory: Any) -> None:
    db = directory.db
    values = OrganisationInput(name="Museumscafé K+", quarter_ids=(directory.lehmheide,))
    saved = edit.create_organisation(db, values)
    assert saved.version == 1  # one save, one version (no autoflush halfway)
    form = edit.load_organisation(db, saved.id)
    change = edit.update_organisation(db, saved.id, replace(values, city="Krefeld"), form.version)
    revert = edit.revert_organisation_change(db, change)
    snapshot = edit.delete_new_organisation(db, saved.id)
    assert snapshot is not None
    with db.read() as session:
        assert session.get(Organisation, saved.id) is None
    edit.restore_organisation(db, snapshot)
    assert edit.load_organisation(db, saved.id).values == form.values
    edit.reapply_organisation_change(db, revert, replace(values, city="Krefeld"))
    assert edit.load_organisation(db, saved.id).values.city == "Krefeld"
    assert edit.delete_new_organisation(db, 9999) is None


def test_organisation_form_lists_its_people(directory: Any) -> None:
    form = edit.load_organisation(directory.db, directory.club)
    assert form.people == ("Peter Adler", "Jürgen Müller")
    with pytest.raises(ValidationError):
        edit.delete_new_organisation(directory.db, directory.club)


# -- groups and quarters ---------------------------------------------------------------------


def test_bulk_add_and_remove_from_group_are_inverse(directory: Any) -> None:
    db = directory.db
    people = [directory.ayse, directory.jurgen, directory.peter]
    added = edit.add_to_group(db, people, directory.sport)
    assert added.person_ids == (directory.ayse, directory.peter)  # jurgen was in already
    assert all("Sport" in _row(db, p).groups for p in people)
    removed = edit.remove_from_group(db, added.person_ids, directory.sport)
    assert removed.person_ids == added.person_ids
    assert "Sport" in _row(db, directory.jurgen).groups
    assert "Sport" not in _row(db, directory.ayse).groups


def test_bulk_assignment_makes_open_forms_stale(directory: Any) -> None:
    db = directory.db
    form = edit.load_person(db, directory.peter)
    edit.add_to_group(db, [directory.peter], directory.impuls)
    with pytest.raises(ConflictError):
        edit.update_person(db, directory.peter, form.values, form.version)


def test_group_create_rename_delete_restore(directory: Any) -> None:
    db = directory.db
    group = edit.create_group(db, "Lenkungskreis")
    with pytest.raises(ValidationError):
        edit.create_group(db, "lenkungskreis")
    with pytest.raises(ValidationError):
        edit.rename_group(db, group, "SPORT")
    assert edit.rename_group(db, group, "Steuerungsgruppe") == "Lenkungskreis"
    choices = {c.name: c.members for c in edit.editing_choices(db).groups}
    assert choices == {"Impuls.Ag": 1, "Sport": 1, "Steuerungsgruppe": 0}

    snapshot = edit.delete_group(db, directory.sport)
    assert snapshot.member_ids == (directory.jurgen,)
    assert _row(db, directory.jurgen).groups == ()
    edit.restore_group(db, snapshot)
    assert _row(db, directory.jurgen).groups == ("Sport",)
    with db.read() as session:
        assert session.get(Group, directory.sport) is not None


def test_quarter_create_rename_delete_restore(directory: Any) -> None:
    db = directory.db
    quarter = edit.create_quarter(db, "Gatherhof")
    assert edit.rename_quarter(db, quarter, "Gatherhof-Süd") == "Gatherhof"
    snapshot = edit.delete_quarter(db, directory.stahldorf)
    assert snapshot.member_ids == (directory.club,)
    assert edit.load_organisation(db, directory.club).values.quarter_ids == ()
    edit.restore_quarter(db, snapshot)
    assert edit.load_organisation(db, directory.club).values.quarter_ids == (directory.stahldorf,)
    with db.read() as session:
        assert session.get(Quarter, quarter).name == "Gatherhof-Süd"  # type: ignore[union-attr]
