"""Every Qt model passes Qt's model tester; sorting and filtering follow German rules."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from app.db import Database
from app.services.directory import list_organisations, list_people
from app.services.meetings import MeetingDetail, get_meeting, list_meetings
from ui.meetings.models import AgendaModel, AttendanceModel, InvitationModel, MeetingModel
from ui.network.models import OrganisationModel, PeopleFilter, PeopleModel
from ui.widgets.tables import ROW_ROLE


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


@pytest.fixture
def auftakt(demo: Database) -> MeetingDetail:
    row = next(r for r in list_meetings(demo) if r.title.startswith("Auftakt"))
    return get_meeting(demo, row.id)


def check_sorted_both_ways(qtmodeltester: ModelTester, model: PeopleModel | MeetingModel) -> None:
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)
    model.sort(-1)


def test_network_models_pass_the_model_tester(qtmodeltester: ModelTester, demo: Database) -> None:
    organisations = OrganisationModel()
    organisations.set_rows(list_organisations(demo))
    qtmodeltester.check(organisations)

    people = PeopleModel()
    people.set_rows(list_people(demo))
    qtmodeltester.check(people)
    check_sorted_both_ways(qtmodeltester, people)

    people_filter = PeopleFilter()
    people_filter.setSourceModel(people)
    qtmodeltester.check(people_filter)
    people_filter.set_query("quartier")
    qtmodeltester.check(people_filter)
    assert 0 < people_filter.rowCount() < people.rowCount()


def test_meeting_models_pass_the_model_tester(
    qtmodeltester: ModelTester, demo: Database, auftakt: MeetingDetail
) -> None:
    meetings = MeetingModel()
    meetings.set_rows(list_meetings(demo))
    qtmodeltester.check(meetings)
    check_sorted_both_ways(qtmodeltester, meetings)

    agenda = AgendaModel()
    agenda.set_rows(auftakt.agenda)
    qtmodeltester.check(agenda)

    invitations = InvitationModel()
    invitations.set_invitations(list(auftakt.invitations), ZoneInfo(auftakt.timezone))
    qtmodeltester.check(invitations)

    attendance = AttendanceModel()
    attendance.set_rows(auftakt.attendance)
    qtmodeltester.check(attendance)


def test_empty_models_pass_the_model_tester(qtmodeltester: ModelTester) -> None:
    for model in (
        OrganisationModel(),
        PeopleModel(),
        MeetingModel(),
        AgendaModel(),
        InvitationModel(),
        AttendanceModel(),
    ):
        qtmodeltester.check(model)


def test_sorting_by_organisation_is_german_and_keeps_people_without_one_last(
    network_db: Database,
) -> None:
    model = PeopleModel()
    model.set_rows(list_people(network_db))
    model.sort(2, Qt.SortOrder.AscendingOrder)
    organisations = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert organisations[0].startswith("Gemeinschaftsunterkunft")
    assert organisations[-1] == ""  # Renée Ährenfeld has none
    assert organisations.index("Quartiersbüro Lehmheide") < organisations.index(
        "SV Blau-Weiß Stahldorf 1911 e. V."
    )


def test_sorting_moves_persistent_indexes_with_their_rows(network_db: Database) -> None:
    model = PeopleModel()
    model.set_rows(list_people(network_db))
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "Ayşe Yılmaz")
    remembered = QPersistentModelIndex(model.index(row, 1))
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert remembered.isValid()
    assert remembered.data() == "Ayşe Yılmaz"
    assert remembered.data(ROW_ROLE).last_name == "Yılmaz"
    model.sort(-1)
    assert remembered.row() == row


def test_filter_needs_every_term_and_respects_the_organisation(network_db: Database) -> None:
    people = list_people(network_db)
    model = PeopleModel()
    model.set_rows(people)
    people_filter = PeopleFilter()
    people_filter.setSourceModel(model)

    def names() -> list[str]:
        return [people_filter.index(r, 1).data() for r in range(people_filter.rowCount())]

    people_filter.set_query("  SPORT   müller ")
    assert names() == ["Jürgen Müller"]
    people_filter.set_query("sport")
    assert sorted(names()) == ["Jürgen Müller", "Peter Adler"]
    office = next(p.organisation_id for p in people if p.organisation == "Quartiersbüro Lehmheide")
    people_filter.set_query("")
    people_filter.set_organisation(office)
    assert sorted(names()) == ["Ayşe Yılmaz", "Thị Mai Nguyễn", "Zoë Öztürk-Weiß"]
    people_filter.set_query("zoe")
    assert names() == ["Zoë Öztürk-Weiß"]


def test_sorting_many_times_cannot_use_up_true(network_db: Database) -> None:
    # PySide6 6.12.0 takes a reference from True with each ``layoutChanged.emit()``; enough
    # sorts and Python aborted ("bool_dealloc"). On such builds importing ``ui`` gives True
    # more references than any session can use (ui/refcount_guard.py); elsewhere none is lost.
    from ui import refcount_guard

    model = PeopleModel()
    model.set_rows(list_people(network_db))
    before = sys.getrefcount(True)
    for _round in range(50):
        model.sort(1, Qt.SortOrder.DescendingOrder)
        model.sort(-1)
    if refcount_guard.GUARDED:
        assert sys.getrefcount(True) > 1 << 39
    else:
        assert sys.getrefcount(True) >= before


def _shown_names(proxy: PeopleFilter) -> list[str]:
    return [proxy.index(r, 0).data(ROW_ROLE).name for r in range(proxy.rowCount())]


def test_people_filter_stays_right_when_the_rows_change_under_it(
    qtmodeltester: ModelTester, demo: Database
) -> None:
    """The filter works its answers out once per keystroke (speed at 10,000 people); they
    must be worked out again when the list is reloaded or re-sorted, never reused."""
    people = list_people(demo)
    model = PeopleModel()
    model.set_rows(people)
    proxy = PeopleFilter()
    proxy.setSourceModel(model)
    proxy.set_query("ayse")
    expected = sorted(p.name for p in people if "ayse" in p.search_key)
    assert sorted(_shown_names(proxy)) == expected
    model.set_rows(list(reversed(people)))  # a reload with the rows in another order
    assert sorted(_shown_names(proxy)) == expected
    model.sort(1, Qt.SortOrder.DescendingOrder)  # re-sorted by organisation
    assert sorted(_shown_names(proxy)) == expected
    model.set_rows(people[: len(people) // 2])  # fewer rows
    assert sorted(_shown_names(proxy)) == sorted(
        p.name for p in people[: len(people) // 2] if "ayse" in p.search_key
    )
    organisation = next(p.organisation_id for p in people if p.organisation_id is not None)
    proxy.set_query("")
    proxy.set_organisation(organisation)
    assert all(
        proxy.index(r, 0).data(ROW_ROLE).organisation_id == organisation
        for r in range(proxy.rowCount())
    )
    qtmodeltester.check(proxy)
