"""``RowTableModel.update_rows`` / ``merge_rows``: a colleague's change applied to a list
without a reset: right rows, German order, selection kept, Qt's model tester content."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from app.db import Database
from app.services.directory import list_people
from app.services.directory_editing import PersonInput, create_person
from app.services.meetings import list_meetings
from ui.meetings.models import MeetingModel
from ui.network.models import PeopleFilter, PeopleModel


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


def test_changed_new_and_gone_rows_without_a_reset(
    qtmodeltester: ModelTester, demo: Database
) -> None:
    people = PeopleModel()
    rows = list_people(demo)
    people.set_rows(rows)
    filtered = PeopleFilter()
    filtered.setSourceModel(people)
    filtered.set_query("a")
    qtmodeltester.check(people)
    qtmodeltester.check(filtered)
    resets: list[int] = []
    people.modelReset.connect(lambda: resets.append(1))

    kept = rows[10]
    selected = QPersistentModelIndex(people.index(10, 1))
    renamed = replace(rows[3], name="Zz Umbenannt", sort_key="zz umbenannt")
    gone = rows[5]
    new_id = create_person(demo, PersonInput(first_name="Ärne", last_name="Aaberg")).id
    new = next(row for row in list_people(demo, ids=[new_id]))
    people.update_rows([renamed, new], {renamed.id, gone.id, new.id})

    assert resets == []
    names = [row.name for row in people.rows()]
    assert len(names) == len(rows)  # one gone, one new
    assert names[0] == "Ärne Aaberg"  # German order: Ä with A
    shown = people.rows()
    assert shown == sorted(shown, key=lambda row: (row.sort_key, row.id))  # the service's order
    assert names.index("Zz Umbenannt") > 3  # moved to its new place
    assert gone.name not in names
    assert selected.isValid()
    assert people.row(selected.row()).id == kept.id  # the selection follows its person
    assert people.index(names.index("Zz Umbenannt"), 1).data() == "Zz Umbenannt"
    qtmodeltester.check(people)
    qtmodeltester.check(filtered)
    assert filtered.rowCount() == sum("a" in row.search_key for row in people.rows())


def test_a_sorted_column_stays_sorted(qtmodeltester: ModelTester, demo: Database) -> None:
    people = PeopleModel()
    rows = list_people(demo)
    people.set_rows(rows)
    people.sort(1, Qt.SortOrder.DescendingOrder)
    first = people.row(0)
    people.update_rows([replace(first, name="Aaa Zuerst", sort_key="aaa")], {first.id})
    assert people.row(len(rows) - 1).name == "Aaa Zuerst"
    qtmodeltester.check(people)


def test_list_people_reads_only_the_asked_rows(demo: Database) -> None:
    every = list_people(demo)
    asked = {every[0].id, every[7].id, 999_999}
    again = list_people(demo, ids=asked)
    assert [row.id for row in again] == [every[0].id, every[7].id]
    assert again == [every[0], every[7]]  # the same rows, e-mails, groups, consents


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
