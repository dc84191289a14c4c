"""A colleague's change applied to the lists without a reset: the lazy people list
(``PeopleListModel.apply_change``), the organisations and meetings (``RowTableModel``):
right rows, German order, selection kept, Qt's model tester content."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPersistentModelIndex
from pytestqt.modeltest import ModelTester

from app.db import Database
from app.services.directory import list_organisations, list_people
from app.services.directory_editing import (
    PersonInput,
    create_person,
    load_person,
    remove_people,
    update_person,
)
from app.services.directory_listing import PeopleQuery, person_ids, person_rows
from app.services.meetings import list_meetings
from ui.meetings.models import MeetingModel
from ui.network.models import OrganisationModel
from ui.network.page import load_changed_rows
from ui.network.people_list import DatabasePeopleSource, PeopleListModel


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


def shown_names(model: PeopleListModel) -> list[str]:
    return [str(model.index(row, 1).data()) for row in range(model.rowCount())]


def test_people_come_go_and_move_without_a_reset(
    qtmodeltester: ModelTester, demo: Database
) -> None:
    model = PeopleListModel()
    model.set_source(DatabasePeopleSource(demo))
    query = PeopleQuery()
    with demo.raw_read() as connection:
        ids = person_ids(connection, query)
        model.set_ids(ids, len(ids), person_rows(connection, ids))
    qtmodeltester.check(model)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    before = shown_names(model)
    kept_id = ids[10]
    selected = QPersistentModelIndex(model.index(10, 1))

    renamed_id, gone_id = ids[3], ids[5]
    form = load_person(demo, renamed_id)
    update_person(demo, renamed_id, replace(form.values, last_name="Zzyzx"), form.version)
    removals = remove_people(demo, [gone_id])
    new_id = create_person(demo, PersonInput(first_name="Ärne", last_name="Aaberg")).id
    assert shown_names(model) == before  # nothing shows before the notice is applied

    asked = frozenset({renamed_id, gone_id, new_id})
    changed = load_changed_rows(demo, asked, frozenset(), query)
    model.apply_change(changed.people, asked, changed.order, changed.search_keys)

    assert resets == []
    names = shown_names(model)
    assert len(names) == len(before)  # one gone (deleted, or archived and so hidden), one new
    assert removals[0].name not in names
    assert names[0] == "Ärne Aaberg"  # German order: Ä with A
    assert names == [row.name for row in list_people(demo)]  # what the database says now
    assert any(name.endswith("Zzyzx") for name in names)
    assert selected.isValid()
    assert model.id_at(selected.row()) == kept_id  # the selection follows its person
    qtmodeltester.check(model)


def test_search_sees_a_colleagues_rename(demo: Database) -> None:
    model = PeopleListModel()
    model.set_source(DatabasePeopleSource(demo))
    query = PeopleQuery()
    with demo.raw_read() as connection:
        from app.services.directory_listing import search_keys

        ids = person_ids(connection, query)
        model.set_ids(ids, len(ids), person_rows(connection, ids))
        model.set_search_keys(search_keys(connection))
    model.set_query("zzyzx")
    assert model.rowCount() == 0
    form = load_person(demo, ids[0])
    update_person(demo, ids[0], replace(form.values, last_name="Zzyzx"), form.version)
    changed = load_changed_rows(demo, frozenset({ids[0]}), frozenset(), query)
    model.apply_change(changed.people, frozenset({ids[0]}), changed.order, changed.search_keys)
    assert model.rowCount() == 1
    assert str(model.index(0, 1).data()).endswith("Zzyzx")


def test_organisation_rows_replaced_in_place(qtmodeltester: ModelTester, demo: Database) -> None:
    organisations = OrganisationModel()
    rows = list_organisations(demo)
    organisations.set_rows(rows)
    resets: list[int] = []
    organisations.modelReset.connect(lambda: resets.append(1))
    selected = QPersistentModelIndex(organisations.index(4, 0))
    first = rows[0]
    organisations.update_rows([replace(first, name="Zzz Verein", sort_key="zzz")], {first.id})
    assert resets == []
    assert organisations.row(len(rows) - 1).name == "Zzz Verein"
    assert organisations.row(selected.row()).id == rows[4].id
    qtmodeltester.check(organisations)


def test_merge_rows_touches_only_what_differs(qtmodeltester: ModelTester, demo: Database) -> None:
    meetings = MeetingModel()
    rows = list_meetings(demo)
    meetings.set_rows(rows)
    changed: list[int] = []
    meetings.dataChanged.connect(lambda first, _last, *_: changed.append(first.row()))
    retitled = replace(rows[1], title="Neuer Titel")
    meetings.merge_rows([rows[0], retitled, *rows[2:]])
    assert changed == [1]
    assert meetings.row(1).title == "Neuer Titel"
    qtmodeltester.check(meetings)
